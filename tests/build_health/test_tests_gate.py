"""`gate check tests` on JUnit reports of real pytest runs, in real repositories."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from tests.build_health.test_junit_adapter import BILLION_LAUGHS


def _results(outcome):
    return json.loads(outcome.out)["results"][0]


def test_no_report_skips_with_a_note(repo, gate):
    repo.commit("chore: start")
    result = gate("check", "tests", "--format", "json")
    assert result.code == 0
    gate_result = _results(result)
    assert gate_result["status"] == "skip"
    assert "pytest --junitxml" in gate_result["summary"]


def test_green_report_passes(repo, gate, junit_reports):
    shutil.copy(junit_reports["green"], repo.path / "junit.xml")
    result = gate("check", "tests")
    assert result.code == 0, result.out
    assert "6 tests: 3 passed, 3 skipped" in result.out


def test_failures_and_errors_block_with_id_and_first_line(repo, gate, junit_reports):
    (repo.path / "reports").mkdir()
    shutil.copy(junit_reports["broken"], repo.path / "reports" / "junit-unit.xml")
    result = gate("check", "tests", "--format", "json")
    assert result.code == 1
    findings = _results(result)["findings"]
    messages = {f["rule"] + " " + f["message"] for f in findings}
    assert (
        "tests.failed test_sample::test_flaky failed: AssertionError: flaky network timeout"
        in messages
    )
    assert any(
        m.startswith(
            "tests.failed test_sample.TestGroup::test_math failed: AssertionError: arithmetic"
        )
        for m in messages
    )
    assert any(
        m.startswith("tests.error test_sample::test_uses_database error:")
        and "database is down" in m
        for m in messages
    )
    assert all(f["hint"] for f in findings)


def test_quarantine_lets_named_flaky_tests_fail_until_expiry(repo, gate, junit_reports):
    shutil.copy(junit_reports["broken"], repo.path / "junit.xml")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    repo.write(
        ".gate.yaml",
        f"""extends: gitflow
tests:
  quarantine:
    - test: test_sample::test_flaky
      reason: flaky network, JIRA-12
      expires: '{tomorrow}'
    - test: 'test_sample.TestGroup::*'
      reason: being rewritten
      expires: {tomorrow}
    - test: test_sample::test_uses_database
      reason: database flakes
      expires: '{yesterday}'
""",
    )
    result = gate("check", "tests", "--format", "json")
    assert result.code == 1  # the expired quarantine no longer applies
    findings = _results(result)["findings"]
    by_message = {f["message"].split(" ")[0]: f for f in findings}
    flaky = by_message["test_sample::test_flaky"]
    assert flaky["severity"] == "note"
    assert flaky["waiver"] == f"quarantined until {tomorrow}: flaky network, JIRA-12"
    assert by_message["test_sample.TestGroup::test_math"]["severity"] == "note"
    database = by_message["test_sample::test_uses_database"]
    assert database["severity"] == "error"
    assert f"expired on {yesterday}" in database["hint"]
    assert "2 of the failures quarantined" in _results(result)["summary"]
    console = gate("check", "tests")
    assert "quarantined until" in console.out


def test_quarantine_of_every_failure_passes_and_shows_them(repo, gate, junit_reports):
    shutil.copy(junit_reports["broken"], repo.path / "junit.xml")
    repo.write(
        ".gate.yaml",
        "tests:\n  quarantine:\n    - {test: 'test_sample*', reason: migration, expires: '2999-01-01'}\n",
    )
    result = gate("check", "tests")
    assert result.code == 0, result.out
    assert "3 of the failures quarantined" in result.out
    assert "quarantined test passed: test_sample::test_ok" in result.out


def test_a_run_with_no_test_blocks(repo, gate, junit_reports):
    shutil.copy(junit_reports["skipped"], repo.path / "junit.xml")
    result = gate("check", "tests")
    assert result.code == 1
    assert "no test ran (1 collected, all skipped)" in result.out
    shutil.copy(junit_reports["empty"], repo.path / "junit.xml")
    result = gate("check", "tests")
    assert result.code == 1
    assert "holds no test case" in result.out


def test_bad_input_is_exit_3_never_a_pass(repo, gate, junit_reports):
    repo.write("junit.xml", BILLION_LAUGHS)
    result = gate("check", "tests")
    assert result.code == 3
    assert "refused" in result.out
    data = junit_reports["green"].read_bytes()
    (repo.path / "junit.xml").write_bytes(data[:-40])
    assert gate("check", "tests").code == 3
    (repo.path / "junit.xml").unlink()
    result = gate("check", "tests", "--junit", "build/*.xml")
    assert result.code == 3
    assert "no JUnit XML file matches build/*.xml" in result.out


def test_required_report_missing_is_exit_3(repo, gate):
    repo.write(".gate.yaml", "tests:\n  required: true\n")
    result = gate("check", "tests")
    assert result.code == 3
    assert "pytest --junitxml" in result.out


def test_explain_names_the_input(gate):
    result = gate("explain", "tests")
    assert result.code == 0
    assert "pytest --junitxml=junit.xml" in result.out
    assert "tests.none-run" in result.out
