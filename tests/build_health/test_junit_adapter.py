"""The JUnit adapter on reports written by real pytest, and on hostile or broken files."""

from __future__ import annotations

import shutil

import pytest

from gates.adapters import junit
from gates.errors import GateError

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<testsuites><testsuite name="x" tests="1"><testcase classname="a" name="&lol4;"/></testsuite></testsuites>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<testsuite name="x"><testcase classname="a" name="b"><failure message="&secret;"/></testcase></testsuite>
"""

# Maven Surefire writes a lone <testsuite> root; Karma/Ant nest suites in suites.
SUREFIRE = """<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.example.AppTest"
    time="1.250" tests="3" errors="0" skipped="1" failures="1">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="adds" classname="com.example.AppTest" time="0.010"/>
  <testcase name="divides" classname="com.example.AppTest" time="1.200">
    <failure message="expected: &lt;2&gt; but was: &lt;3&gt;" type="org.opentest4j.AssertionFailedError">
      org.opentest4j.AssertionFailedError: expected: &lt;2&gt; but was: &lt;3&gt;
    </failure>
    <system-out>log line</system-out>
  </testcase>
  <testcase name="later" classname="com.example.AppTest" time="0"><skipped/></testcase>
</testsuite>
"""

NESTED = """<?xml version="1.0"?>
<testsuites>
  <testsuite name="outer" time="2.5">
    <testsuite name="inner" time="2.0">
      <testcase classname="ui.Login" name="renders" time="1.5"/>
      <testcase classname="ui.Login" name="submits" time="0.5">
        <error type="TypeError">TypeError: undefined is not a function
    at submit (login.js:10)</error>
      </testcase>
    </testsuite>
    <testcase classname="ui.App" name="boots" time="0.25"/>
  </testsuite>
</testsuites>
"""


def test_green_pytest_report(junit_reports, tmp_path):
    cases, seconds = junit.parse_file(junit_reports["green"])
    by_id = {case.id: case for case in cases}
    assert by_id["test_sample::test_ok"].outcome == junit.PASSED
    assert by_id["test_sample::test_skipped"].outcome == junit.SKIPPED
    assert by_id["test_sample::test_skipped"].message == "not today"
    assert by_id["test_sample.TestGroup::test_math"].outcome == junit.SKIPPED
    assert not any(case.blocks for case in cases)
    assert seconds >= 0


def test_broken_pytest_report_tells_failure_from_error(junit_reports):
    cases, _ = junit.parse_file(junit_reports["broken"])
    by_id = {case.id: case for case in cases}
    flaky = by_id["test_sample::test_flaky"]
    assert flaky.outcome == junit.FAILED
    assert flaky.message.startswith("AssertionError: flaky network timeout")
    assert "second line" not in flaky.message
    assert by_id["test_sample.TestGroup::test_math"].outcome == junit.FAILED
    database = by_id["test_sample::test_uses_database"]
    assert database.outcome == junit.ERROR
    assert "database is down" in database.message


def test_testsuite_root_and_nested_suites(tmp_path):
    (tmp_path / "surefire.xml").write_text(SUREFIRE)
    cases, seconds = junit.parse_file(tmp_path / "surefire.xml")
    assert [c.outcome for c in cases] == [junit.PASSED, junit.FAILED, junit.SKIPPED]
    assert cases[1].message == "expected: <2> but was: <3>"
    assert seconds == pytest.approx(1.25)
    (tmp_path / "nested.xml").write_text(NESTED)
    cases, seconds = junit.parse_file(tmp_path / "nested.xml")
    assert [c.id for c in cases] == ["ui.Login::renders", "ui.Login::submits", "ui.App::boots"]
    assert cases[1].outcome == junit.ERROR
    assert cases[1].message == "TypeError: undefined is not a function"
    assert seconds == pytest.approx(2.5)  # the outer suite's time, not outer + inner


def test_glob_collects_several_reports_and_sums_durations(junit_reports, tmp_path):
    reports = tmp_path / "test-results"
    reports.mkdir()
    shutil.copy(junit_reports["green"], reports / "unit.xml")
    shutil.copy(junit_reports["slow"], reports / "slow.xml")
    run = junit.collect(tmp_path, ["test-results/**/*.xml"], required=True)
    assert run is not None
    assert len(run.files) == 2
    assert len(run.cases) == 12
    assert run.seconds >= 0.6
    assert run.executed == 6


@pytest.mark.parametrize(
    "text,expected",
    [
        (BILLION_LAUGHS, "refused"),
        (EXTERNAL_ENTITY, "refused"),
        ("<coverage line-rate='1'/>", "not a JUnit XML report"),
        ("not xml at all", "not well-formed"),
    ],
)
def test_hostile_or_foreign_files_are_errors(tmp_path, text, expected):
    (tmp_path / "junit.xml").write_text(text)
    with pytest.raises(GateError, match=expected):
        junit.collect(tmp_path, ["junit.xml"], required=False)


def test_truncated_report_is_an_error(junit_reports, tmp_path):
    data = junit_reports["broken"].read_bytes()
    (tmp_path / "junit.xml").write_bytes(data[: len(data) // 2])
    with pytest.raises(GateError, match="truncated"):
        junit.collect(tmp_path, ["junit.xml"], required=False)


def test_missing_reports(tmp_path):
    assert junit.collect(tmp_path, ["junit.xml", "reports/*.xml"], required=False) is None
    with pytest.raises(GateError, match=r"no JUnit XML file matches junit\.xml"):
        junit.collect(tmp_path, ["junit.xml"], required=True)
    with pytest.raises(GateError, match=r"matches out/\*\.xml"):
        junit.collect(tmp_path, ["out/*.xml"], required=False, explicit=True)


def test_bad_time_attribute_is_an_error(tmp_path):
    (tmp_path / "junit.xml").write_text(
        '<testsuite><testcase classname="a" name="b" time="soon"/></testsuite>'
    )
    with pytest.raises(GateError, match="bad time attribute"):
        junit.collect(tmp_path, ["junit.xml"], required=False)


def test_deeply_nested_suites_are_read(tmp_path):
    depth = 5000
    text = (
        "<testsuites>"
        + "<testsuite>" * depth
        + '<testcase classname="deep" name="t"/>'
        + "</testsuite>" * depth
        + "</testsuites>"
    )
    (tmp_path / "junit.xml").write_text(text)
    cases, _ = junit.parse_file(tmp_path / "junit.xml")
    assert [case.id for case in cases] == ["deep::t"]
