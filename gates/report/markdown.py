"""`--format markdown`: a summary table and the findings of each gate, for a pull request
comment or the GitHub step summary. Outside text is escaped for Markdown and HTML, so a
commit message cannot add links, images, HTML or table cells of its own."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from gates.model import Finding, Result, Status
from gates.report.console import ICONS, verdict, where
from gates.report.text import one_line

if TYPE_CHECKING:
    from gates.model import Report

# Every ASCII punctuation character that can start or end Markdown syntax, GitHub's extensions
# included ($ math, @ mentions, : autolinks), even at the start of a line (# - + = . lists and
# headings); CommonMark allows a backslash before any of them. & < > are entities by then.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~@:=$])")


def md(text: object, limit: int = 500) -> str:
    """Outside text as inert inline Markdown: one line, no HTML, no syntax."""
    return _MARKDOWN.sub(r"\\\1", html.escape(one_line(text, limit), quote=False))


def code(text: object, limit: int = 200) -> str:
    """Text in a code span that hostile backticks cannot close."""
    return "<code>" + html.escape(one_line(text, limit)).replace("|", "&#124;") + "</code>"


def _finding(finding: Finding) -> list[str]:
    place = where(finding)
    head = f"- **{finding.severity.value}** {code(finding.rule)} {md(finding.message)}"
    if place:
        head += f" ({code(place)})"
    lines = [head]
    if finding.waiver:
        lines.append(f"  - waived: {md(finding.waiver)}")
    if finding.hint:
        lines.append(f"  - hint: {md(finding.hint)}")
    return lines


def _gate(result: Result) -> list[str]:
    """A person reads it (a pull request summary): one finding per cause, at most ten, as
    the console shows them; the machine formats carry every finding."""
    from gates.report.console import shown

    lines = [f"### {md(result.label)} — {result.status.value}", "", md(result.summary), ""]
    findings, hidden = shown(result.findings)
    for finding in findings:
        lines += _finding(finding)
    if hidden:
        lines.append(
            f"- … and {hidden} more: every finding is in `--format json`, sarif, junit or gitlab"
        )
    return [*lines, ""]


def render(report: Report) -> str:
    stage = f" — stage {md(report.stage)}" if report.stage else ""
    lines = [f"## gate: {'passed' if report.passed else 'BLOCKED'}{stage}", ""]
    if report.results:
        lines += ["| gate | status | summary | ms |", "| --- | --- | --- | ---: |"]
        for result in report.results:
            lines.append(
                f"| {md(result.label)} | {ICONS[result.status]} {result.status.value} "
                f"| {md(result.summary, 200)} | {result.duration_ms:.1f} |"
            )
        lines.append("")
    else:
        lines += ["No gates ran in this stage: nothing was checked.", ""]
    for result in report.results:
        if result.findings or result.status is Status.ERROR:
            lines += _gate(result)
    if report.waivers:
        lines += ["### Waivers used", ""]
        lines += [f"- {md(w.describe())}" for w in report.waivers]
        lines.append("")
    commit = report.repository.get("commit")
    facts = [md(verdict(report))]
    if commit:
        facts.append(f"commit {code(commit[:12])}")
    facts.append(f"policy {code(report.policy_digest[:19])}")
    lines.append("<sub>" + " · ".join(facts) + "</sub>")
    return "\n".join(lines) + "\n"
