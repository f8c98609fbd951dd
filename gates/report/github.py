"""`--format github`: GitHub Actions workflow commands that annotate the pull request.

Every finding becomes `::error|warning|notice file=…,line=…,endLine=…,col=…,title=…::message`.
Outside text is escaped as the Actions runner expects (data: % CR LF; properties
also : and ,), so a commit message or branch name can never start a command of
its own (`::set-output`, `::add-mask::`, `::stop-commands::`) on a new line; escape
sequences are shown, not emitted. The Markdown step summary is written by
gates.report.output when $GITHUB_STEP_SUMMARY is set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.model import Finding, Result, Severity
from gates.report.console import verdict
from gates.report.text import clean

if TYPE_CHECKING:
    from gates.model import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _safe(text: object) -> str:
    # clean() shows escape sequences and control characters but keeps \n: escape_data encodes it.
    return clean(str(text).replace("\r\n", "\n"), limit=4000)


def annotation(result: Result, finding: Finding) -> str:
    properties: list[tuple[str, str]] = []
    if finding.path:
        properties.append(("file", finding.path))
        if finding.line:
            properties.append(("line", str(finding.line)))
            if finding.end_line and finding.end_line >= finding.line:
                properties.append(("endLine", str(finding.end_line)))
            if finding.column:
                properties.append(("col", str(finding.column)))
    properties.append(("title", f"{result.label}: {finding.rule}"))
    message = _safe(finding.message)
    if finding.commit:
        message += f"\ncommit {_safe(finding.commit)}"
    if finding.waiver:
        message += f"\nwaived: {_safe(finding.waiver)}"
    if finding.hint:
        message += f"\nhint: {_safe(finding.hint)}"
    props = ",".join(f"{key}={escape_property(_safe(value))}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def render(report: Report) -> str:
    lines = [
        annotation(result, finding) for result in report.results for finding in result.findings
    ]
    lines.append(escape_data(verdict(report)))
    return "\n".join(lines) + "\n"
