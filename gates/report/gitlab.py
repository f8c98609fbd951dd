"""`--format gitlab`: the GitLab Code Quality report (artifacts:reports:codequality).

One issue per finding: description, check_name (the rule), fingerprint,
severity, location.path and location.lines.begin. GitLab needs a path for
every issue: a finding about a commit or a branch has none, so it is filed
under the policy file that set the rule.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from gates.model import Finding, Result, Severity, Status
from gates.report.findings import fingerprint
from gates.report.text import one_line

if TYPE_CHECKING:
    from gates.model import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}
POLICY_FILE = ".gate.yaml"


def _description(finding: Finding) -> str:
    text = one_line(finding.message, 1000)
    if finding.commit:
        text += f" (commit {one_line(finding.commit, 64)[:12]})"
    if finding.waiver:
        text += f" — waived: {one_line(finding.waiver, 300)}"
    if finding.hint:
        text += f" — hint: {one_line(finding.hint, 500)}"
    return text


def _policy_path(report: Report) -> str:
    own = [s for s in report.policy_sources if not s.startswith("policies/")]
    return own[-1].split(" ", 1)[0] if own else POLICY_FILE


def issue(report: Report, result: Result, finding: Finding) -> dict[str, Any]:
    severity = "critical" if result.status is Status.ERROR else SEVERITIES[finding.severity]
    return {
        "type": "issue",
        "description": _description(finding),
        "check_name": finding.rule,
        "fingerprint": fingerprint(result.label, finding),
        "severity": severity,
        "location": {
            "path": finding.path or _policy_path(report),
            "lines": {"begin": max(finding.line or 1, 1)},
        },
    }


def render(report: Report) -> str:
    issues = [
        issue(report, result, finding) for result in report.results for finding in result.findings
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
