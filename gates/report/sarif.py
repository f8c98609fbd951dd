"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the driver lists every rule that a finding used, documented from the
registry; each finding is a result with its level, message, location (relative
to the repository root, `%SRCROOT%`) and a partial fingerprint. A waived
finding is a `note` with an external suppression that carries the reason.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from gates.model import Finding, Result, Severity, Status
from gates.report.findings import fingerprint, relative_uri, rule_doc
from gates.report.text import clean

if TYPE_CHECKING:
    from gates.model import Report

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/gates/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
FINGERPRINT_KEY = "gateFinding/v1"


def _rule(rule_id: str, gate: str) -> dict[str, Any]:
    doc = rule_doc(rule_id) or rule_doc(gate)
    explain = f"`gate explain {rule_id}` prints the full explanation."
    if doc is None:
        return {
            "id": rule_id,
            "shortDescription": {"text": f"a finding of the {gate} gate"},
            "help": {"text": explain},
        }
    full = "\n\n".join(part.strip() for part in (doc.what, doc.why) if part.strip()) or doc.summary
    return {
        "id": rule_id,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": full},
        "help": {
            "text": doc.render(rule_id) + "\n" + explain,
            "markdown": _help_markdown(rule_id, doc.render(rule_id)),
        },
    }


def _help_markdown(rule_id: str, rendered: str) -> str:
    return rendered.replace(f"{rule_id}: ", f"**{rule_id}**: ", 1)


def _message(finding: Finding) -> str:
    text = clean(finding.message)
    if finding.hint:
        text += "\nhint: " + clean(finding.hint)
    if finding.commit:
        text += f"\ncommit: {clean(finding.commit)}"
    return text


def _location(finding: Finding) -> dict[str, Any] | None:
    if not finding.path:
        return None
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": relative_uri(finding.path), "uriBaseId": "%SRCROOT%"}
    }
    if finding.line and finding.line >= 1:
        region: dict[str, int] = {"startLine": finding.line}
        if finding.end_line and finding.end_line >= finding.line:
            region["endLine"] = finding.end_line
        if finding.column and finding.column >= 1:
            region["startColumn"] = finding.column
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(result: Result, finding: Finding, rule_index: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": _message(finding)},
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(result.label, finding)},
        "properties": {"gate": result.label, "gateStatus": result.status.value},
    }
    location = _location(finding)
    if location:
        item["locations"] = [location]
    if finding.commit:
        item["properties"]["commit"] = finding.commit
    if finding.waiver:
        item["suppressions"] = [{"kind": "external", "justification": clean(finding.waiver)}]
    return item


def document(report: Report) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    for result in report.results:
        for finding in result.findings:
            if finding.rule not in index:
                index[finding.rule] = len(rules)
                rules.append(_rule(finding.rule, result.gate))
            results.append(_result(result, finding, index[finding.rule]))
    notifications = [
        {
            "level": "error",
            "message": {"text": clean(f"{r.gate}: {r.summary}")},
            "descriptor": {"id": r.gate},
        }
        for r in report.results
        if r.status is Status.ERROR
    ]
    invocation: dict[str, Any] = {
        "executionSuccessful": not notifications,
        "exitCode": report.exit_code,
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "gate",
                "version": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [invocation],
        "results": results,
        "properties": {
            "stage": report.stage,
            "passed": report.passed,
            "policy": {"sources": report.policy_sources, "digest": report.policy_digest},
            "repository": report.repository,
        },
    }
    run["automationDetails"] = {"id": f"gate/{report.stage or 'check'}/"}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
