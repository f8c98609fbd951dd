import re
import xml.etree.ElementTree as ET

from gates.report import junit

# Characters XML 1.0 forbids: a report containing one is rejected by Jenkins and GitLab.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def test_one_testcase_per_gate_with_status_elements(mixed_report):
    root = ET.fromstring(junit.render(mixed_report).encode())
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "2", "1")
    suite = root.find("testsuite")
    assert suite.get("name") == "gate.ci"
    assert (
        suite.get("tests"),
        suite.get("failures"),
        suite.get("errors"),
        suite.get("skipped"),
    ) == ("5", "2", "1", "1")
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("ci", "branch-name"),
        ("ci", "commits"),
        ("ci", "lint"),
        ("ci", "coverage"),
        ("ci", "changelog"),
    ]
    assert [child.tag for c in cases for child in c] == ["failure", "failure", "error", "skipped"]
    failure = cases[1].find("failure")
    assert failure.get("message") == "2 problems in 3 commits"
    assert "error [commits.subject] subject too long (90 > 72) (commit 01234567)" in failure.text
    assert "hint: shorten it; see `gate explain commits.subject`" in failure.text
    assert "warning [commits.type] unknown type 'wip'" in failure.text
    lint = cases[2].find("failure").text
    assert "(src/app.py:3-4:8)" in lint and "waived: generated code" in lint
    assert cases[3].find("error").get("message") == "coverage data is broken"
    assert (
        cases[4].find("skipped").get("message")
        == "no CHANGELOG.md and the policy does not require one"
    )
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert properties["policy.digest"] == "sha256:" + "ab" * 32
    assert properties["repository.commit"].startswith("0123456789")
    assert float(cases[0].get("time")) == 0.0  # 0.4 ms rounds to 0.000 s


def test_hostile_text_is_well_formed_and_inert(hostile_report):
    text = junit.render(hostile_report)
    root = ET.fromstring(text.encode())  # well-formed, or this raises
    assert not NOT_XML.search(text)
    assert "\x1b" not in text and "<script>" not in text
    failure = root.find("testsuite/testcase/failure")
    assert "\\x1b[31mRED" in failure.text
    assert (
        "<script>alert(1)</script>" in failure.text
    )  # the text survives as text, escaped in the file
    assert "]]>" in failure.text
    assert "\n" not in failure.get("message")


def test_a_warning_gate_passes_with_its_findings_in_system_out():
    from gates.model import Finding, Result, Severity
    from tests.report.conftest import make_report

    report = make_report(
        [
            Result.of(
                "commits", [Finding("commits.type", "meh", severity=Severity.WARNING)], "1 warning"
            )
        ],
        stage=None,
    )
    case = ET.fromstring(junit.render(report).encode()).find("testsuite/testcase")
    assert case.get("classname") == "gate"
    assert [child.tag for child in case] == ["system-out"]
    assert "warning [commits.type] meh" in case.find("system-out").text


def test_real_run_writes_junit(echo_repo, gate, tmp_path):
    out = tmp_path / "reports" / "junit.xml"
    assert gate("run", "--format", f"junit:{out}").code == 1
    suite = ET.parse(out).getroot().find("testsuite")
    assert [c.get("name") for c in suite.findall("testcase")] == [
        "always-pass",
        "echo-commit",
        "always-skip",
    ]
    assert "::set-output name=deploy::yes" in suite.find("testcase/failure").text
