"""Gate `tests-with-code`: a change to source paths changes test paths too, or says why not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.model import Finding, Result, Severity
from gates.options import Options, Text, Texts
from gates.registry import Doc, Gate, Rule, hint

if TYPE_CHECKING:
    from gates.adapters.git import Commit
    from gates.context import Context

GATE_ID = "tests-with-code"
LISTED = 8


class TestsWithCodeOptions(
    Options,
    section="tests_with_code",
    summary="A change to source paths must change test paths too.",
):
    source = Texts(
        ["src/**", "lib/**", "*.py", "**/*.py"],
        "Source paths: gitignore-style globs, anchored at the root (docs/globs.md).",
    )
    tests = Texts(
        ["tests/**", "test/**", "**/test_*.py", "**/*_test.py", "**/tests/**", "**/conftest.py"],
        "Test paths (path globs); a path matching both is a test.",
    )
    exempt_types = Texts(
        ["docs", "ci", "chore", "style", "build"],
        "Commit types that need no tests (docs, ci, chore…), all commits.",
    )
    exempt_paths = Texts(
        ["*.md", "docs/**", ".github/**", "*.yaml", "*.yml", "*.toml", "*.cfg", "*.ini"],
        "Path globs that never need tests (docs, config).",
    )
    trailer = Text(
        "Tests-Not-Needed", "Trailer that waives the rule with a reason: `Tests-Not-Needed: why`."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _listed(paths: list[str]) -> str:
    text = ", ".join(paths[:LISTED])
    return text + (f" and {len(paths) - LISTED} more" if len(paths) > LISTED else "")


def run(ctx: Context, options: TestsWithCodeOptions) -> Result:
    from gates.knowledge.globs import matcher

    if ctx.base is None:
        return Result.skip(
            GATE_ID,
            "no change range (no base, no target branch): pass --base REF or --target BRANCH",
        )
    diff = ctx.diff
    # deleted files and pure renames need no tests
    changed = [
        f.path
        for f in diff.files
        if f.status != "D" and not (f.status == "R" and not diff.added_lines.get(f.path))
    ]
    is_test = matcher(options.tests)
    is_source = matcher(options.source)
    is_exempt = matcher(options.exempt_paths)
    tests = [p for p in changed if is_test(p)]
    sources = [p for p in changed if not is_test(p) and is_source(p) and not is_exempt(p)]
    if not changed:
        return Result.of(GATE_ID, [], "no file added or modified")
    if not sources:
        others = [p for p in changed if not is_test(p)]
        note = Finding(
            f"{GATE_ID}.exempt",
            f"no source path changed, so no test is needed (changed: {_listed(others or tests)})",
            severity=Severity.NOTE,
        )
        return Result.of(GATE_ID, [note], "no source path changed")
    if tests:
        summary = f"{_count(len(sources), 'source file')} changed with "
        return Result.of(GATE_ID, [], summary + _count(len(tests), "test file"))
    return _exemption_or_failure(ctx, options, sources)


def _exemption_or_failure(
    ctx: Context, options: TestsWithCodeOptions, sources: list[str]
) -> Result:
    from gates.knowledge.conventional import trailers, try_parse

    commits = [c for c in ctx.commits() if not c.is_merge]
    changed = _count(len(sources), "source file") + " changed"
    token = options.trailer
    findings: list[Finding] = []
    reasons: list[tuple[str, Commit]] = []
    for commit in commits:
        for key, value in trailers(commit.message):
            if key.casefold() != token.casefold():
                continue
            if value.strip():
                reasons.append((value.strip(), commit))
            else:
                findings.append(
                    Finding(
                        f"{GATE_ID}.trailer-reason",
                        f"the {token} trailer gives no reason",
                        hint=hint(
                            f"write why no test is needed: `{token}: <reason>`",
                            f"{GATE_ID}.trailer-reason",
                        ),
                        commit=commit.sha,
                    )
                )
    if reasons:
        notes = [
            Finding(
                f"{GATE_ID}.exempt",
                f"no test changed, waived by {token}: {reason}",
                severity=Severity.NOTE,
                commit=commit.sha,
            )
            for reason, commit in reasons
        ]
        return Result.of(GATE_ID, notes, f"{changed} without tests: {token}")
    exempt_types = set(options.exempt_types)
    parsed = [try_parse(c.message) for c in commits]
    if commits and all(p is not None and p.type in exempt_types for p in parsed):
        types = sorted({p.type for p in parsed if p is not None})
        note = Finding(
            f"{GATE_ID}.exempt",
            f"no test changed; every commit is of an exempt type ({', '.join(types)})",
            severity=Severity.NOTE,
        )
        return Result.of(GATE_ID, [note], f"{changed}, exempt by type")
    findings.append(
        Finding(
            f"{GATE_ID}.missing-tests",
            f"{changed} and no test file: {_listed(sources)}",
            hint=hint(
                "add or update a test in this change; if none is needed, say why in a commit "
                f"trailer `{token}: <reason>`",
                f"{GATE_ID}.missing-tests",
            ),
            path=sources[0],
        )
    )
    return Result.of(GATE_ID, findings, f"{changed} without tests")


GATE = Gate(
    id=GATE_ID,
    doc=Doc(
        summary="A change to source paths changes test paths too, or says why not.",
        what=(
            "Looks at the files added or modified in base..head. When some match "
            "`tests_with_code.source` (and neither `tests` nor `exempt_paths`) and none matches "
            "`tests_with_code.tests`, the gate fails, unless a commit of the range carries the "
            "trailer `Tests-Not-Needed: <reason>`, or every commit is of an exempt type "
            "(docs, ci, chore…). Every exemption is shown in the report as a note."
        ),
        why=(
            "Test-first means the test arrives with the code. A reviewer sees at once when a "
            "change brings none, and the exemptions leave a written reason behind."
        ),
        example="error [tests-with-code.missing-tests] 2 source files changed and no test file: "
        "src/app/pricing.py, src/app/cart.py",
        instead=(
            "Commit the test with the code. When a test truly is not needed, end a commit "
            "message with:\n\n    Tests-Not-Needed: log message wording only"
        ),
        inputs="The diff and the commits of base..head (--base/--target, or the pull request).",
        options=(
            "tests_with_code.source / tests_with_code.tests: globs (`*` stays in a folder, `**` "
            "crosses folders; a path that matches both is a test).\n"
            "tests_with_code.exempt_paths: globs that never need tests (docs, config).\n"
            "tests_with_code.exempt_types: commit types that need no tests.\n"
            "tests_with_code.trailer: the trailer token (default Tests-Not-Needed)."
        ),
    ),
    run=run,
    options=TestsWithCodeOptions,
    rules=(
        Rule(
            f"{GATE_ID}.missing-tests",
            Doc(
                summary="Source paths changed, test paths did not.",
                what="No file of the change matches tests_with_code.tests, and no exemption applies.",
                why="Code without its test is the change most likely to break in production.",
                instead="Add or update a test in the same change, or give the trailer with a reason.",
            ),
        ),
        Rule(
            f"{GATE_ID}.trailer-reason",
            Doc(
                summary="The Tests-Not-Needed trailer has no reason.",
                what="An exemption must say why; an empty trailer does not exempt.",
                why="The reason is what a reviewer and a later reader judge the exemption by.",
                example="Tests-Not-Needed:",
                instead="Tests-Not-Needed: only renames a log message",
            ),
        ),
        Rule(
            f"{GATE_ID}.exempt",
            Doc(
                summary="The change needs no test, and why (a note).",
                what=(
                    "Only docs or config changed, every commit is of an exempt type, or a commit "
                    "carries the trailer with a reason."
                ),
                why="An exemption leaves a trace in every report.",
            ),
        ),
    ),
)
