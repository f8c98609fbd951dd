"""`--format junit`: JUnit XML as Jenkins and GitLab read it, one testcase per gate.

classname is the stage, name the gate id; a failed gate carries one <failure>
with every finding, a gate that could not run an <error>, a skipped gate
<skipped>. Text that XML 1.0 cannot hold is removed, escape sequences shown.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from gates.model import Result, Status
from gates.report.console import where
from gates.report.text import clean, one_line

if TYPE_CHECKING:
    from gates.model import Report

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: object, limit: int = 4000) -> str:
    return _NOT_XML.sub("", clean(text, limit))


def _attr(text: object) -> str:
    return _NOT_XML.sub("", one_line(text))


def _details(result: Result) -> str:
    lines = []
    for finding in result.findings:
        place = where(finding)
        lines.append(
            f"{finding.severity.value} [{finding.rule}] {finding.message}"
            + (f" ({place})" if place else "")
        )
        if finding.waiver:
            lines.append(f"    waived: {finding.waiver}")
        if finding.hint:
            lines.append(f"    hint: {finding.hint}")
    return xml_text("\n".join(lines) or result.summary, limit=100_000)


def _testcase(suite: ET.Element, classname: str, result: Result) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=classname,
        name=_attr(result.label),
        time=f"{result.duration_ms / 1000:.3f}",
    )
    if result.status is Status.FAIL:
        node = ET.SubElement(case, "failure", message=_attr(result.summary), type="gate.fail")
        node.text = _details(result)
    elif result.status is Status.ERROR:
        node = ET.SubElement(case, "error", message=_attr(result.summary), type="gate.error")
        node.text = _details(result)
    elif result.status is Status.SKIP:
        ET.SubElement(case, "skipped", message=_attr(result.summary))
    if result.findings and result.status in (Status.PASS, Status.WARN, Status.SKIP):
        ET.SubElement(case, "system-out").text = _details(result)


def render(report: Report) -> str:
    classname = report.stage or "gate"
    counts = {status: sum(r.status is status for r in report.results) for status in Status}
    totals = {
        "tests": str(len(report.results)),
        "failures": str(counts[Status.FAIL]),
        "errors": str(counts[Status.ERROR]),
        "skipped": str(counts[Status.SKIP]),
        "time": f"{report.duration_ms / 1000:.3f}",
    }
    root = ET.Element(
        "testsuites", name="gate", **{k: v for k, v in totals.items() if k != "skipped"}
    )
    suite = ET.SubElement(root, "testsuite", name=f"gate.{classname}", **totals)
    properties = ET.SubElement(suite, "properties")
    facts = {
        "tool.version": report.tool_version,
        "policy.digest": report.policy_digest,
        "policy.sources": ", ".join(report.policy_sources),
        **{f"repository.{k}": v for k, v in report.repository.items() if v},
    }
    for name, value in facts.items():
        ET.SubElement(properties, "property", name=name, value=_attr(value))
    for result in report.results:
        _testcase(suite, classname, result)
    ET.indent(root)
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue().decode("utf-8") + "\n"
