"""`--format console`: what a person reads in a terminal or a CI log.

One gate (a hook, `gate check`) prints plain lines without loading rich, so
hooks stay instant; a stage prints a rich summary table. Colour only on a
terminal and never with NO_COLOR.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.model import Finding, Result, Severity, Status
from gates.report.text import clean, one_line

if TYPE_CHECKING:
    from gates.model import Report

ICONS = {Status.PASS: "✔", Status.WARN: "!", Status.FAIL: "✖", Status.ERROR: "✖", Status.SKIP: "-"}
COLORS = {
    Status.PASS: "32",
    Status.WARN: "33",
    Status.FAIL: "31",
    Status.ERROR: "31;1",
    Status.SKIP: "2",
}
SEVERITY_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.NOTE: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def where(finding: Finding) -> str:
    parts = []
    if finding.path:
        location = finding.path
        if finding.line:
            location += f":{finding.line}"
            if finding.end_line and finding.end_line != finding.line:
                location += f"-{finding.end_line}"
            if finding.column:
                location += f":{finding.column}"
        parts.append(location)
    if finding.commit:
        parts.append(f"commit {finding.commit[:8]}")
    return " ".join(parts)


def finding_lines(finding: Finding, color: bool) -> list[str]:
    severity = _paint(finding.severity.value, SEVERITY_COLORS[finding.severity], color)
    place = where(finding)
    head = f"  {severity} [{finding.rule}] {clean(finding.message)}"
    lines = [head + (f"  ({clean(place)})" if place else "")]
    if finding.waiver:
        lines.append(f"      waived: {one_line(finding.waiver)}")
    if finding.hint:
        lines += [f"      hint: {clean(line)}" for line in finding.hint.splitlines()]
    return lines


# A terminal shows at most ten findings of a gate, errors first, then warnings, then notes: one
# cause can carry hundreds (uncovered lines, lint), which the machine formats keep whole.
MAX_SHOWN = 10
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


# A grouped finding names this many of its places.
FIRST_PLACES = 3


def grouped(findings: list[Finding]) -> list[Finding]:
    """One finding per cause: findings sharing a `cause` (and severity) become the first of
    them, with the count and the first places; the others stay as they are."""
    groups: dict[tuple[str, Severity], list[Finding]] = {}
    for finding in findings:
        if finding.cause and not finding.waiver:
            groups.setdefault((finding.cause, finding.severity), []).append(finding)
    out: list[Finding] = []
    for finding in findings:
        group = groups.get((finding.cause, finding.severity)) if finding.cause else None
        if not group or len(group) == 1 or finding.waiver:
            out.append(finding)
            continue
        if group[0] is not finding:
            continue
        places = [where(f) for f in group if where(f)]
        listed = ", ".join(places[:FIRST_PLACES]) + (" …" if len(places) > FIRST_PLACES else "")
        out.append(
            finding._replace(
                message=f"{finding.message} — {len(group)} times: {listed}",
                path=None,
                line=None,
                end_line=None,
                column=None,
                commit=None,
            )
        )
    return out


def shown(findings: list[Finding]) -> tuple[list[Finding], int]:
    """The findings a terminal shows, in their order, and how many were left out."""
    findings = grouped(findings)
    if len(findings) <= MAX_SHOWN:
        return list(findings), 0
    ranked = sorted(range(len(findings)), key=lambda i: (_RANK[findings[i].severity], i))
    kept = set(ranked[:MAX_SHOWN])
    return [f for i, f in enumerate(findings) if i in kept], len(findings) - MAX_SHOWN


def _more(hidden: int) -> str:
    return (
        f"  … and {hidden} more (every finding is in --format json, sarif, junit or gitlab; "
        "--format json | jq '.results[].findings[]')"
    )


def terminal_width(default: int = 120) -> int:
    """The terminal's own width; a fixed width only when the output is not a terminal."""
    import os
    import sys

    try:
        if sys.stdout.isatty():
            return max(40, os.get_terminal_size(sys.stdout.fileno()).columns)
    except (OSError, ValueError):
        pass
    return default


def result_lines(result: Result, color: bool) -> list[str]:
    icon = _paint(ICONS[result.status], COLORS[result.status], color)
    status = _paint(result.status.value, COLORS[result.status], color)
    lines = [f"{icon} {result.label} {status}: {one_line(result.summary)}"]
    findings, hidden = shown(result.findings)
    for finding in findings:
        lines += finding_lines(finding, color)
    if hidden:
        lines.append(_more(hidden))
    return lines


def verdict(report: Report) -> str:
    counts: dict[Status, int] = {}
    for result in report.results:
        counts[result.status] = counts.get(result.status, 0) + 1
    tally = ", ".join(f"{n} {s.value}" for s, n in counts.items()) or "no gates"
    stage = f"stage {report.stage}, " if report.stage else ""
    word = "PASSED" if report.passed else "BLOCKED"
    return f"{word}: {tally} ({stage}{report.duration_ms:.0f} ms)"


def render(report: Report, *, color: bool = False, quiet: bool = False) -> str:
    if quiet and report.passed and not any(r.findings for r in report.results):
        return ""
    if len(report.results) <= 1:
        lines = [line for result in report.results for line in result_lines(result, color)]
        if not report.results:
            lines.append(f"no gates to run in stage {report.stage}: nothing was checked")
        return "\n".join(lines) + "\n"
    return _table(report, color)


def _table(report: Report, color: bool) -> str:
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=terminal_width(),
        highlight=False,
    )
    table = Table(title=f"gate run — stage {report.stage}", title_justify="left", expand=False)
    table.add_column("gate")
    table.add_column("status")
    table.add_column("summary", overflow="fold")
    table.add_column("ms", justify="right")
    styles = {
        Status.PASS: "green",
        Status.WARN: "yellow",
        Status.FAIL: "red",
        Status.ERROR: "bold red",
        Status.SKIP: "dim",
    }
    for result in report.results:
        table.add_row(
            Text(result.label),
            Text(f"{ICONS[result.status]} {result.status.value}", style=styles[result.status]),
            Text(one_line(result.summary)),
            f"{result.duration_ms:.1f}",
        )
    console.print(table)
    for result in report.results:
        if result.findings:
            console.print(Text(f"\n{result.label}:", style="bold"))
            # one Text per gate: a print per line costs rich's whole render pipeline each time
            details = Text()
            findings, hidden = shown(result.findings)
            for finding in findings:
                style = SEVERITY_STYLE.get(finding.severity, "")
                for line in finding_lines(finding, False):
                    details.append(line, style=style)
                    details.append("\n")
            if hidden:
                details.append(_more(hidden) + "\n", style="dim")
            details.right_crop(1)
            console.print(details, soft_wrap=True)
    for waiver in report.waivers:
        console.print(
            Text(f"waiver used: {one_line(waiver.describe())}", style="cyan"), soft_wrap=True
        )
    console.print(Text(verdict(report), style="bold green" if report.passed else "bold red"))
    return buffer.getvalue()


SEVERITY_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
