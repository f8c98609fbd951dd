"""Gate `lint`: ruff's findings, blocking on lines a change touched (or everywhere, by policy)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.model import Finding, Result, Severity
from gates.options import Choice, Flag, Options, Texts
from gates.registry import Doc, Gate, Rule, see

if TYPE_CHECKING:
    import argparse

    from gates.adapters.ruff import RuffFinding
    from gates.context import Context

GATE_ID = "lint"


class LintOptions(
    Options,
    section="lint",
    summary="Ruff findings (the repository's own ruff configuration applies).",
):
    scope = Choice(
        "changed",
        ("changed", "all"),
        "changed: only findings on lines changed in base..head block; all: all.",
    )
    paths = Texts(["."], "Paths given to ruff, relative to the repository root.")
    required = Flag(False, "Fail when ruff has no Python file to check instead of skipping.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scope",
        choices=("changed", "all"),
        help="block on changed lines or everywhere (default: policy)",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="paths given to ruff (default: policy lint.paths)"
    )


def run(ctx: Context, options: LintOptions) -> Result:
    from gates.adapters import ruff
    from gates.errors import GateError

    scope = ctx.options.get("scope") or options.scope
    paths = list(ctx.options.get("paths") or options.paths or ["."])
    missing = [path for path in paths if not (ctx.root / path).exists()]
    if missing:
        raise GateError(
            "no such path to lint: " + ", ".join(missing),
            hint="fix `lint.paths` in the policy (paths relative to the repository root)",
        )
    findings = ruff.check(ctx.root, paths)
    if not findings and not ruff.checked_files(ctx.root, paths):
        if options.required:
            raise GateError(
                "ruff found no Python files to check in " + ", ".join(paths),
                hint="fix `lint.paths` in the policy, or set `lint.required: false`",
            )
        return Result.skip(GATE_ID, "no Python files to lint")
    if scope == "all":
        blocking = [_finding(f, Severity.ERROR) for f in findings]
        return Result.of(GATE_ID, blocking, f"{_count(len(blocking))} in the repository")
    if ctx.base is None:
        shown = [_finding(f, Severity.WARNING) for f in findings]
        summary = (
            f"{_count(len(shown))}, none blocking: no base to tell new lines from old; "
            "pass --base REF or --target BRANCH"
        )
        return Result.of(GATE_ID, shown, summary)
    added = ctx.diff.added_lines
    inside = [f for f in findings if _touches(f, added.get(f.path, set()))]
    outside = len(findings) - len(inside)
    results = [_finding(f, Severity.ERROR) for f in inside]
    if outside:
        results.append(
            Finding(
                f"{GATE_ID}.outside-change",
                f"{outside} ruff finding(s) on lines this change did not touch (not blocking)",
                severity=Severity.NOTE,
                hint="run `ruff check` to see them; `lint.scope: all` in the policy blocks on "
                "them too",
            )
        )
    summary = f"{_count(len(inside))} on changed lines" + (
        f", {outside} elsewhere (not blocking)" if outside else ""
    )
    return Result.of(GATE_ID, results, summary)


def _touches(finding: RuffFinding, lines: set[int]) -> bool:
    return any(line in lines for line in range(finding.line, finding.end_line + 1))


def _finding(finding: RuffFinding, severity: Severity) -> Finding:
    from gates.adapters.ruff import RULES_URL

    url = finding.url or (RULES_URL if finding.code is None else f"{RULES_URL}{finding.code}")
    fix = (
        "fix the syntax error"
        if finding.code in (None, "invalid-syntax")
        else f"fix it (ruff rule {finding.label}: {url})"
    )
    return Finding(
        f"{GATE_ID}.ruff",
        f"{finding.label} {finding.message}",
        severity=severity,
        hint=f"{fix}; `ruff check --fix` fixes some automatically; {see(f'{GATE_ID}.ruff')}",
        path=finding.path,
        line=finding.line,
        end_line=finding.end_line,
        column=finding.column,
        cause=f"ruff {finding.label}" if finding.code else None,
    )


def _count(count: int) -> str:
    return f"{count or 'no'} ruff finding{'' if count == 1 else 's'}"


GATE = Gate(
    id=GATE_ID,
    doc=Doc(
        summary="Ruff findings on the lines a change touched (or the whole repository, by policy).",
        what=(
            "Runs the ruff executable installed beside gate (`ruff check --output-format "
            "json`) in the repository root, so the repository's own ruff configuration "
            "(pyproject.toml [tool.ruff], ruff.toml, .ruff.toml) applies. By default only "
            "findings on lines added or changed in base..head block; the others are counted in "
            "one note. With `lint.scope: all` every finding blocks. Without a base (a push to "
            "main with no target), findings are shown as warnings. A missing ruff, a bad ruff "
            "configuration or a ruff crash is an error (exit 3), never a pass."
        ),
        why=(
            "The new-code rule lets a legacy repository adopt the gate on day one: nobody has "
            "to fix ten thousand old findings first, and no new one gets in."
        ),
        example="error [lint.ruff] F401 `os` imported but unused  (app/core.py:3:8)",
        instead="Fix the finding, or `ruff check --fix`; silence a deliberate case with `# noqa: "
        "CODE` and a reason.",
        inputs=(
            "The working tree at HEAD and the diff base..head. Ruff reads its configuration "
            "from the repository. In CI, check out the full history (fetch-depth: 0) so the "
            "base exists."
        ),
        options=(
            "lint.scope: changed (default) or all.\n"
            "lint.paths: paths given to ruff (default [.]).\n"
            "lint.required: with no Python file to check, fail instead of skipping.\n"
            "`gate check lint --scope all [PATH...]` overrides both from the command line."
        ),
    ),
    run=run,
    options=LintOptions,
    rules=(
        Rule(
            f"{GATE_ID}.ruff",
            Doc(
                summary="A ruff finding in scope: on a changed line, or anywhere with "
                "`lint.scope: all`.",
                what="One ruff diagnostic; the message starts with ruff's rule code and the hint "
                "links ruff's rule page.",
                why="Lint findings are cheap to fix when they are new and expensive once they "
                "pile up.",
                example="error [lint.ruff] E711 Comparison to `None` should be `cond is None`  "
                "(app/x.py:10:8)",
                instead="Fix it, run `ruff check --fix`, or add `# noqa: CODE` with a reason.",
            ),
        ),
        Rule(
            f"{GATE_ID}.outside-change",
            Doc(
                summary="Ruff findings on lines the change did not touch: counted, not blocking.",
                what="With `lint.scope: changed`, findings on untouched lines are summed up in "
                "one note.",
                why="Old findings should not block an unrelated change, but they should stay "
                "visible.",
                instead="Clean them up in a dedicated change, then set `lint.scope: all`.",
            ),
        ),
    ),
    add_arguments=add_arguments,
)
