"""Gate `coverage`: total coverage, coverage of the changed lines, per-path minimums, ratchet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.checks.tests_with_code import TestsWithCodeOptions
from gates.errors import GateError
from gates.model import Finding, Result, Severity
from gates.options import Choice, Flag, Number, Options, Records, Shared, Text, Texts
from gates.registry import Doc, Gate, Rule, see

if TYPE_CHECKING:
    import argparse

    from gates.adapters.coverage_data import CoverageReport
    from gates.context import Context
    from gates.knowledge.coverage_math import ChangedCoverage

GATE_ID = "coverage"
UNMAPPED_LISTED = 20


class PathMinimum(Options):
    glob = Text[str](
        None,  # type: ignore[arg-type]
        "A path glob (gitignore-style, anchored at the root: docs/globs.md).",
        required=True,
    )
    min = Number[float](
        None,  # type: ignore[arg-type]
        "Minimum percent for the files the glob matches, together.",
        required=True,
        minimum=0,
        maximum=100,
    )


class CoverageOptions(
    Options,
    section="coverage",
    summary="Test-first coverage: total, changed lines and the ratchet.",
):
    data = Texts(
        [".coverage", "coverage.xml", "coverage.json", "lcov.info", "coverage.lcov"],
        "Coverage data files (or globs) to read, first found wins: .coverage, coverage.xml "
        "(Cobertura), coverage.json, LCOV (lcov.info, coverage.lcov).",
    )
    required = Flag[bool | None](
        None,
        "Missing coverage data is an error (exit 3) instead of a skip; left out: required in "
        "CI, a skip with a note on a developer's machine.",
    )
    total_min = Number(80, "Minimum total coverage, percent.", minimum=0, maximum=100)
    changed_min = Number(
        90, "Minimum coverage of lines changed in base..head, percent.", minimum=0, maximum=100
    )
    branch = Flag(True, "Count branch coverage where the data has it (coverage.py's percentage).")
    paths = Records[list[PathMinimum]](
        PathMinimum, [], "Per-path minimums by glob, e.g. [{glob: 'src/core/**', min: 95}]."
    )
    unmapped = Choice(
        "warning",
        ("error", "warning"),
        "Severity of data for files that are not in the repository.",
    )
    baseline = Text[str | None](
        ".gate/coverage-baseline.json",
        "Ratchet file `gate coverage baseline` writes; null: none.",
        nullable=True,
    )
    tolerance = Number(
        0.5, "How many points total coverage may fall below the baseline.", minimum=0, maximum=100
    )
    tests_with_code = Shared(TestsWithCodeOptions)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        metavar="FILE",
        help="coverage data to read: .coverage, coverage.xml, coverage.json or LCOV "
        "(default: the first of coverage.data that exists)",
    )


def run(ctx: Context, options: CoverageOptions) -> Result:
    ctx.prefetch_diff()  # git compares the trees while the coverage data is read
    try:
        return _check(ctx, options)
    finally:
        ctx.cancel_prefetch()  # when no changed lines were asked for: no data, or bad data


def _check(ctx: Context, options: CoverageOptions) -> Result:
    from gates.adapters import coverage_data
    from gates.knowledge.coverage_math import at_least, percent_text, total

    report = coverage_data.load_repository(
        ctx.root, ctx.git, list(options.data), ctx.options.get("data")
    )
    if report is None:
        candidates = ", ".join(options.data)
        if ctx.evidence_required(options.required):
            hint = coverage_data.missing_hint(ctx.root)
            if options.required is None:
                hint += "; in CI the evidence is required (coverage.required: false skips)"
            raise GateError(f"no coverage data ({candidates})", hint=hint)
        return Result.skip(
            GATE_ID,
            f"no coverage data ({candidates}): {coverage_data.missing_hint(ctx.root)}",
        )
    branch = options.branch and report.has_branches
    shown = _shown(ctx, report)
    findings = _unmapped(report, shown, options)
    overall = total(report.files.values())
    percent = overall.percent(branch)
    total_min = float(options.total_min)
    summary = [f"total {percent_text(percent)} (min {total_min:g}%)"]
    if not at_least(percent, total_min):
        findings.append(
            Finding(
                f"{GATE_ID}.total",
                f"total coverage {percent_text(percent)} is below the minimum {total_min:g}% "
                f"({overall.describe(branch)})",
                hint=(
                    f"add tests for the least covered files (coverage report -m); "
                    f"{see(f'{GATE_ID}.total')}"
                ),
            )
        )
    findings += _paths(report, options, branch)
    findings += _ratchet(ctx, options, percent, branch, shown)
    changed_summary, changed_findings = _changed(ctx, report, options, branch)
    findings += changed_findings
    if changed_summary:
        summary.append(changed_summary)
    return Result.of(GATE_ID, findings, f"{shown}: " + ", ".join(summary))


def _shown(ctx: Context, report: CoverageReport) -> str:
    try:
        return report.source.relative_to(ctx.root).as_posix()
    except ValueError:
        return str(report.source)


def _unmapped(report: CoverageReport, shown: str, options: CoverageOptions) -> list[Finding]:
    severity = Severity.ERROR if options.unmapped == "error" else Severity.WARNING
    hint = (
        "regenerate the data from this checkout, or map the path to the repository with [paths] "
        f"in the coverage config (or a <source> root in the XML); {see(f'{GATE_ID}.unmapped')}"
    )
    findings = [
        Finding(
            f"{GATE_ID}.unmapped",
            f"{shown} measures {path}, which maps to no file here: {reason}",
            severity=severity,
            hint=hint,
        )
        for path, reason in report.unmapped[:UNMAPPED_LISTED]
    ]
    more = len(report.unmapped) - UNMAPPED_LISTED
    if more > 0:
        findings.append(
            Finding(
                f"{GATE_ID}.unmapped",
                f"… and {more} more files of {shown} map to no file here",
                severity=severity,
                hint=hint,
            )
        )
    return findings


def _paths(report: CoverageReport, options: CoverageOptions, branch: bool) -> list[Finding]:
    from gates.knowledge.coverage_math import at_least, by_glob, percent_text

    minimums = [(item.glob, float(item.min)) for item in options.paths]
    findings = []
    for tally in by_glob(report.files.values(), minimums):
        percent = tally.tally.percent(branch)
        if tally.files == 0:
            findings.append(
                Finding(
                    f"{GATE_ID}.path-min",
                    f"coverage.paths glob {tally.glob!r} matches no file of the coverage data",
                    severity=Severity.WARNING,
                    hint=(
                        f"fix the glob (`**` crosses folders, `*` does not); {see(f'{GATE_ID}.path-min')}"
                    ),
                )
            )
        elif not at_least(percent, tally.minimum):
            findings.append(
                Finding(
                    f"{GATE_ID}.path-min",
                    f"{tally.glob}: coverage {percent_text(percent)} is below its minimum "
                    f"{tally.minimum:g}% ({tally.tally.describe(branch)} in {tally.files} "
                    f"file{'' if tally.files == 1 else 's'})",
                    hint=f"add tests for the files under {tally.glob}; {see(f'{GATE_ID}.path-min')}",
                )
            )
    return findings


def _ratchet(
    ctx: Context, options: CoverageOptions, percent: float | None, branch: bool, shown: str
) -> list[Finding]:
    from gates.adapters.coverage_data import read_baseline
    from gates.knowledge.coverage_math import percent_text

    name = options.baseline
    if not name or percent is None:
        return []
    from gates.adapters.repo_paths import inside

    baseline = read_baseline(inside(ctx.root, name, "coverage.baseline"))
    rule = f"{GATE_ID}.ratchet"
    if baseline is None:
        return [
            Finding(
                rule,
                f"no coverage baseline yet ({name}): the ratchet is not in force",
                severity=Severity.NOTE,
                hint="on develop: gate coverage baseline, then commit the file",
            )
        ]
    if baseline.branch != branch:
        measures = ("lines+branches", "lines")
        return [
            Finding(
                rule,
                f"the baseline measured {measures[not baseline.branch]}, the data now "
                f"{measures[not branch]}: the two cannot be compared",
                severity=Severity.WARNING,
                hint="rewrite the baseline: gate coverage baseline, and commit it",
                path=name,
            )
        ]
    tolerance = float(options.tolerance)
    if round(percent, 2) < round(baseline.floor(tolerance), 2):
        return [
            Finding(
                rule,
                f"total coverage fell to {percent_text(percent)}, below the baseline "
                f"{baseline.percent:.2f}% less the tolerance {tolerance:g} points",
                hint=f"add tests for the code that lost coverage ({shown}); {see(f'{GATE_ID}.ratchet')}",
                path=name,
            )
        ]
    if round(percent, 2) > round(baseline.percent, 2):
        return [
            Finding(
                rule,
                f"total coverage rose to {percent_text(percent)} from the baseline "
                f"{baseline.percent:.2f}%",
                severity=Severity.NOTE,
                hint="lock the gain in: gate coverage baseline on develop, and commit it",
                path=name,
            )
        ]
    return []


def _changed(
    ctx: Context, report: CoverageReport, options: CoverageOptions, branch: bool
) -> tuple[str, list[Finding]]:
    """Coverage of the lines added or changed in base..head."""
    from gates.knowledge.coverage_math import at_least, changed_coverage, percent_text

    rule = f"{GATE_ID}.changed"
    if ctx.base is None:
        return "", [
            Finding(
                rule,
                "no change range (no base, no target branch): changed lines not checked",
                severity=Severity.NOTE,
                hint="pass --base REF or --target BRANCH; in CI, run on the pull/merge request",
            )
        ]
    diff = ctx.diff
    changed = changed_coverage(report.files, diff.added_lines, branch=branch)
    tests = options.tests_with_code.tests
    findings = _unmeasured(report, diff.added_lines, tests)
    measured = changed.tally.measured(branch)
    if measured == 0:
        findings.append(
            Finding(
                rule,
                "no executable line was added or changed: nothing to cover",
                severity=Severity.NOTE,
            )
        )
        return "no executable changed lines", findings
    minimum = float(options.changed_min)
    percent = changed.tally.percent(branch)
    enough = at_least(percent, minimum)
    summary = (
        f"changed lines {percent_text(percent)} of {changed.tally.describe(branch)} "
        f"(min {minimum:g}%)"
    )
    if not enough:
        findings.append(
            Finding(
                rule,
                f"coverage of the changed lines is {percent_text(percent)}, below the "
                f"minimum {minimum:g}% ({changed.tally.describe(branch)} in "
                f"{changed.files} file{'' if changed.files == 1 else 's'})",
                hint=f"write tests that run the lines listed below; {see(f'{GATE_ID}.changed')}",
            )
        )
    findings += _line_findings(changed, Severity.ERROR if not enough else Severity.NOTE)
    return summary, findings


def _line_findings(changed: ChangedCoverage, severity: Severity) -> list[Finding]:
    findings = []
    for span in changed.uncovered:
        if span.start == span.end:
            message = f"line {span.start} was changed, and no test runs it"
        else:
            message = f"lines {span.start}-{span.end} were changed, and no test runs them"
        findings.append(
            Finding(
                f"{GATE_ID}.uncovered-lines",
                message,
                severity=severity,
                hint=f"add a test that runs this code; {see(f'{GATE_ID}.uncovered-lines')}",
                path=span.path,
                line=span.start,
                end_line=span.end,
            )
        )
    for partial in changed.partial:
        findings.append(
            Finding(
                f"{GATE_ID}.partial-branches",
                f"line {partial.line} was changed, and tests took {partial.taken} of its "
                f"{partial.branches} branches",
                severity=severity,
                hint="add a test that takes the other way through this condition; "
                f"{see(f'{GATE_ID}.partial-branches')}",
                path=partial.path,
                line=partial.line,
            )
        )
    return findings


def _unmeasured(
    report: CoverageReport, added: dict[str, set[int]], test_globs: list[str]
) -> list[Finding]:
    """Changed files of a kind the data measures (by suffix) that it does not contain, tests
    (tests_with_code.tests) aside: they are rarely measured."""
    from gates.knowledge.globs import matcher

    is_test = matcher(test_globs)
    suffixes = {path.rsplit(".", 1)[-1] for path in report.files if "." in path}
    missing = sorted(
        path
        for path, lines in added.items()
        if lines
        and "." in path
        and path not in report.files
        and path.rsplit(".", 1)[-1] in suffixes
        and not is_test(path)
    )
    if not missing:
        return []
    listed = ", ".join(missing[:10])
    if len(missing) > 10:
        listed += f" and {len(missing) - 10} more"
    return [
        Finding(
            f"{GATE_ID}.unmeasured",
            f"changed but not in the coverage data: {listed}",
            severity=Severity.NOTE,
            hint="fine for tests and scripts; for source, include it in the measurement "
            f"(coverage.py: [run] source = …); {see(f'{GATE_ID}.unmeasured')}",
        )
    ]


GATE = Gate(
    id=GATE_ID,
    doc=Doc(
        summary="Total coverage, coverage of the changed lines, per-path minimums and the ratchet.",
        what=(
            "Reads the coverage data (coverage.py's .coverage, Cobertura coverage.xml, "
            "coverage.json or LCOV) and maps its paths onto the repository. Fails when the "
            "total is below `coverage.total_min`, when the lines added or changed in "
            "base..head are covered less than `coverage.changed_min`, when a `coverage.paths` "
            "glob is below its minimum, or when the total fell more than `coverage.tolerance` "
            "points below the committed baseline. Uncovered changed lines are listed with path "
            "and line range, so SARIF and GitHub annotations land on the pull request's lines. "
            "With branch data and `coverage.branch`, the percentage is coverage.py's: (lines "
            "run + branches taken) / (lines + branches)."
        ),
        why=(
            "Tests written with the code are the cheapest safety net a deploy can have; "
            "measuring the changed lines makes every pull request carry its tests, and the "
            "ratchet keeps the total from eroding one untested change at a time."
        ),
        example=(
            "error [coverage.changed] coverage of the changed lines is 62.50%, below the "
            "minimum 90%\nerror [coverage.uncovered-lines] lines 14-18 were changed, and no "
            "test runs them (src/app/pricing.py:14-18)"
        ),
        instead="Write the test first, see it fail, then write the code that makes it pass.",
        inputs=(
            "A coverage data file, the first of `coverage.data` that exists, or `--data FILE`: "
            "`coverage run -m pytest` leaves .coverage; `coverage xml`, `coverage json`, "
            "`coverage lcov` write the others. The change is base..head (--base/--target, or "
            "the pull request). The baseline is `coverage.baseline`, written by `gate coverage "
            "baseline`."
        ),
        options=(
            "coverage.data: data files or globs, first found wins.\n"
            "coverage.required: missing data is an error (exit 3) instead of a skip.\n"
            "coverage.total_min / coverage.changed_min: minimum percentages.\n"
            "coverage.branch: count branches where the data has them.\n"
            "coverage.paths: [{glob, min}] per-path minimums.\n"
            "coverage.unmapped: error or warning for data of files not in the repository.\n"
            "coverage.baseline / coverage.tolerance: the ratchet file and how many points total "
            "coverage may fall below it."
        ),
    ),
    run=run,
    options=CoverageOptions,
    rules=(
        Rule(
            f"{GATE_ID}.total",
            Doc(
                summary="Total coverage is below coverage.total_min.",
                what="The covered share of every measured line (and branch) of the repository.",
                why="A floor under the whole code base keeps untested corners from growing.",
                instead="Add tests for the least covered files: `coverage report -m --sort=cover`.",
            ),
        ),
        Rule(
            f"{GATE_ID}.changed",
            Doc(
                summary=(
                    "The lines added or changed in base..head are covered less than "
                    "coverage.changed_min."
                ),
                what=(
                    "Only the executable lines the change adds or modifies count (coverage on "
                    "new code). A change without executable lines passes with a note."
                ),
                why=(
                    "Each change carries its own tests; legacy code does not block a new, "
                    "tested change."
                ),
                instead="Write tests that run the lines listed by coverage.uncovered-lines.",
            ),
        ),
        Rule(
            f"{GATE_ID}.uncovered-lines",
            Doc(
                summary="Changed lines that no test runs (path and line range).",
                what=(
                    "Each range is changed executable lines without a hit; lines between them are not "
                    "executable. An error when changed-line coverage is below its minimum, else a note."
                ),
                why="Shown on the pull request's lines, so the reviewer sees what is untested.",
                instead="Add a test that runs these lines.",
            ),
        ),
        Rule(
            f"{GATE_ID}.partial-branches",
            Doc(
                summary="A changed line whose branches were only partly taken.",
                what="With branch data: a changed condition whose other way no test took.",
                why="The untested way through a condition is where the bug waits.",
                instead="Add a test for the other outcome of the condition.",
            ),
        ),
        Rule(
            f"{GATE_ID}.path-min",
            Doc(
                summary="The files under a coverage.paths glob are below their own minimum.",
                what=(
                    "Each {glob, min} of coverage.paths: the files the glob matches, counted "
                    "together."
                ),
                why="Critical code (payments, auth) deserves a higher bar than the rest.",
                example="paths: [{glob: 'src/app/billing/**', min: 95}]",
                instead="Add tests under that path, or correct a glob that matches nothing.",
            ),
        ),
        Rule(
            f"{GATE_ID}.ratchet",
            Doc(
                summary="Total coverage fell below the committed baseline, less the tolerance.",
                what=(
                    "Compares the total with the baseline file (coverage.baseline, written by "
                    "`gate coverage baseline`). Falling more than coverage.tolerance points below it "
                    "fails; rising above it is a note suggesting to raise the baseline."
                ),
                why="Coverage only moves up: each merge keeps at least what the last one reached.",
                instead=(
                    "Add the missing tests. To lower the bar on purpose, run "
                    "`gate coverage baseline --allow-lower` and let the team review the file's diff."
                ),
            ),
        ),
        Rule(
            f"{GATE_ID}.unmapped",
            Doc(
                summary="The coverage data measures a file that is not in the repository.",
                what=(
                    "A path in the data that neither matches a repository file directly, nor "
                    "through a source root of the report, nor as a unique path suffix (data "
                    "from another machine)."
                ),
                why=(
                    "Data of other files, or stale data of deleted ones, must not pass silently as "
                    "this repository's coverage."
                ),
                instead=(
                    "Regenerate the data from this checkout, or map paths with [paths] in "
                    ".coveragerc."
                ),
            ),
        ),
        Rule(
            f"{GATE_ID}.unmeasured",
            Doc(
                summary="A changed file of a measured kind is not in the coverage data (a note).",
                what="Such a file cannot count toward changed-line coverage.",
                why=(
                    "A new module no test imports is missing from coverage.py's data unless "
                    "`source` is set."
                ),
                instead="Set [run] source in the coverage config so unimported files show up at 0%.",
            ),
        ),
    ),
    add_arguments=add_arguments,
)
