"""Gate `build-time`: the test run's duration against a budget and a committed baseline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gates.checks.tests import JUNIT
from gates.model import Finding, Result, Severity
from gates.options import Flag, Integer, Number, Options, Text, Texts
from gates.registry import Doc, Gate, Rule, hint

if TYPE_CHECKING:
    import argparse

    from gates.adapters.junit import TestRun
    from gates.context import Context

GATE_ID = "build-time"


class BuildTimeOptions(Options, section="build_time", summary="Build speed from JUnit durations."):
    junit = Texts(JUNIT, "JUnit XML files or globs whose durations are read.")
    required = Flag[bool | None](
        None,
        "Fail (exit 3) when no JUnit file exists instead of skipping; "
        "left out: required in CI, a skip with a note on a developer's machine.",
    )
    budget_seconds = Number[float | None](
        600, "Budget of the test run in seconds; null: none.", nullable=True, minimum=0
    )
    fail_over_budget = Flag(False, "Over budget fails instead of warning.")
    slowest = Integer(5, "How many of the slowest tests to list.", minimum=0)
    baseline = Text(
        ".gate/build-time-baseline.json",
        "Baseline file (`gate check build-time --write-baseline`).",
    )
    tolerance_percent = Number(
        25, "Growth of the total over the baseline that warns, percent.", minimum=0
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from gates.adapters import junit

    junit.add_option(parser, "build_time")
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help="write this run's durations to the baseline file (build_time.baseline) and pass",
    )


def run(ctx: Context, options: BuildTimeOptions) -> Result:
    from gates.adapters import duration_baseline, junit
    from gates.knowledge.durations import per_test

    writing = bool(ctx.options.get("write_baseline"))
    test_run, patterns = junit.collect_for(
        ctx.root,
        ctx.options.get("junit"),
        options.to_dict(),
        required=writing or ctx.evidence_required(options.required),
    )
    if test_run is None:
        return Result.skip(GATE_ID, junit.not_found(patterns))
    tests = per_test([(case.id, case.seconds) for case in test_run.cases])
    findings = _budget(test_run, options) + _slowest(tests, options.slowest)
    from gates.adapters.repo_paths import inside

    baseline_path = inside(
        ctx.root,
        options.baseline,
        "build_time.baseline",
    )
    shown = _shown(baseline_path, ctx)
    if writing:
        duration_baseline.write(baseline_path, duration_baseline.Baseline(test_run.seconds, tests))
        findings.append(
            Finding(
                f"{GATE_ID}.baseline-written",
                f"baseline written to {shown}: {test_run.seconds:.2f} s, {len(tests)} tests",
                severity=Severity.NOTE,
                hint="commit it, so later builds compare with it",
                path=shown,
            )
        )
    else:
        baseline = duration_baseline.read(baseline_path)
        if baseline is not None:
            findings += _regression(baseline, test_run.seconds, tests, options, shown)
    budget = options.budget_seconds
    summary = f"test run took {test_run.seconds:.2f} s" + (
        f" (budget {budget:g} s)" if budget is not None else ""
    )
    return Result.of(GATE_ID, findings, summary)


def _budget(test_run: TestRun, options: BuildTimeOptions) -> list[Finding]:
    budget = options.budget_seconds
    if budget is None or test_run.seconds <= budget:
        return []
    blocking = options.fail_over_budget
    return [
        Finding(
            f"{GATE_ID}.over-budget",
            f"the test run took {test_run.seconds:.2f} s, over the budget of {budget:g} s",
            severity=Severity.ERROR if blocking else Severity.WARNING,
            hint=hint(
                "speed up the slowest tests listed here (or run them in parallel, pytest -n auto)",
                f"{GATE_ID}.over-budget",
            ),
        )
    ]


def _slowest(tests: dict[str, float], count: int) -> list[Finding]:
    from gates.knowledge.durations import slowest

    return [
        Finding(
            f"{GATE_ID}.slowest",
            f"slow test: {seconds:.2f} s {test}",
            severity=Severity.NOTE,
            hint="one of the slowest tests of the run",
        )
        for test, seconds in slowest(tests, count)
        if seconds > 0
    ]


def _regression(
    baseline: Any, total: float, tests: dict[str, float], options: BuildTimeOptions, shown: str
) -> list[Finding]:
    from gates.knowledge.durations import compare

    comparison = compare(baseline.total_seconds, baseline.tests, total, tests)
    tolerance = float(options.tolerance_percent)
    if comparison.percent <= tolerance:
        return []
    grew = "; ".join(f"{g.test} {g.before:.2f} s → {g.after:.2f} s" for g in comparison.grown)
    new = f"; {comparison.new_tests} new tests" if comparison.new_tests else ""
    return [
        Finding(
            f"{GATE_ID}.regression",
            f"the test run grew {comparison.percent:.0f}% over the baseline "
            f"({baseline.total_seconds:.2f} s → {total:.2f} s, tolerance {tolerance:g}%)",
            severity=Severity.WARNING,
            hint=("grew most: " + grew + new + "; " if grew or new else "")
            + "speed them up, or accept the new time: gate check build-time --write-baseline",
            path=shown,
        )
    ]


def _shown(path: Any, ctx: Context) -> str:
    try:
        return path.relative_to(ctx.root).as_posix()
    except ValueError:
        return str(path)


GATE = Gate(
    id=GATE_ID,
    doc=Doc(
        summary="The test run's duration stays within its budget and near its baseline.",
        what=(
            "Reads the total duration of the test run from the JUnit XML reports (the root's "
            "time, else the sum of its suites) and compares it with "
            "`build_time.budget_seconds`: over budget is a warning, or a failure with "
            "`fail_over_budget: true`. The slowest tests are listed. When a committed baseline "
            "exists, a total that grew beyond `tolerance_percent` is a warning naming the "
            "tests that grew most. With no report the gate is skipped, unless "
            "`build_time.required`."
        ),
        why="A slow build is visible before it becomes the norm; fast feedback keeps deploys "
        "routine.",
        example="warning [build-time.over-budget] the test run took 812.40 s, over the budget of "
        "600 s",
        instead="Speed up or parallelise the slowest tests; raise the budget deliberately in the "
        "policy.",
        inputs=(
            "JUnit XML written by the test run: `pytest --junitxml=junit.xml`; found with the "
            "`build_time.junit` globs. The baseline is the JSON file `build_time.baseline` "
            "(default .gate/build-time-baseline.json), written by "
            "`gate check build-time --write-baseline` and committed."
        ),
        options=(
            "build_time.junit: files or globs of JUnit XML.\nbuild_time.required: fail (exit "
            "3) when no report exists instead of skipping.\nbuild_time.budget_seconds: the "
            "budget of the whole run (null: no budget).\nbuild_time.fail_over_budget: over "
            "budget fails instead of warning.\nbuild_time.slowest: how many of the slowest "
            "tests to list.\nbuild_time.baseline: the baseline file; "
            "build_time.tolerance_percent: growth that warns.\n`gate check build-time "
            "--write-baseline` writes the baseline from the current report."
        ),
    ),
    run=run,
    options=BuildTimeOptions,
    uses_git=False,
    rules=(
        Rule(
            f"{GATE_ID}.over-budget",
            Doc(
                summary="The test run took longer than the budget.",
                what="The run's total duration exceeds `build_time.budget_seconds`.",
                why="Slow builds delay every fix and make deploys rare and risky.",
                instead="Speed up the slowest tests (listed as notes), run in parallel, or raise "
                "the budget.",
            ),
        ),
        Rule(
            f"{GATE_ID}.regression",
            Doc(
                summary="The test run grew beyond the tolerance over the committed baseline.",
                what="Total duration compared with the baseline file; the tests that grew most "
                "are named.",
                why="Slowness creeps in one test at a time; a baseline makes the creep visible.",
                instead="Speed up the tests named, or accept: gate check build-time "
                "--write-baseline.",
            ),
        ),
        Rule(
            f"{GATE_ID}.slowest",
            Doc(
                summary="One of the slowest tests of the run (a note).",
                what="The `build_time.slowest` slowest tests, slowest first.",
                why="The few slowest tests are usually where the time goes.",
            ),
        ),
        Rule(
            f"{GATE_ID}.baseline-written",
            Doc(
                summary="The baseline was written (a note).",
                what="`--write-baseline` saved the run's total and per-test durations.",
                why="Later builds compare with it.",
            ),
        ),
    ),
    add_arguments=add_arguments,
)
