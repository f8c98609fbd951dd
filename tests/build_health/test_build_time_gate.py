"""`gate check build-time`: budget, slowest tests and baseline, on real pytest durations."""

from __future__ import annotations

import json
import shutil


def _result(outcome):
    return json.loads(outcome.out)["results"][0]


def test_within_budget_passes_and_lists_the_slowest(repo, gate, junit_reports):
    shutil.copy(junit_reports["slow"], repo.path / "junit.xml")
    result = gate("check", "build-time", "--format", "json")
    assert result.code == 0
    gate_result = _result(result)
    assert gate_result["status"] == "pass"
    slowest = [f for f in gate_result["findings"] if f["rule"] == "build-time.slowest"]
    assert slowest[0]["message"].endswith("test_sample::test_slow")
    assert "(budget 600 s)" in gate_result["summary"]


def test_over_budget_warns_by_default_and_fails_by_policy(repo, gate, junit_reports):
    shutil.copy(junit_reports["slow"], repo.path / "junit.xml")
    repo.write(".gate.yaml", "build_time:\n  budget_seconds: 0.3\n")
    result = gate("check", "build-time")
    assert result.code == 0
    assert "over the budget of 0.3 s" in result.out
    assert "warning [build-time.over-budget]" in result.out
    repo.write(".gate.yaml", "build_time:\n  budget_seconds: 0.3\n  fail_over_budget: true\n")
    result = gate("check", "build-time")
    assert result.code == 1
    assert "error [build-time.over-budget]" in result.out


def test_baseline_written_then_growth_warns_naming_the_tests(repo, gate, junit_reports):
    shutil.copy(junit_reports["green"], repo.path / "junit.xml")
    result = gate("check", "build-time", "--write-baseline")
    assert result.code == 0
    baseline = json.loads((repo.path / ".gate" / "build-time-baseline.json").read_text())
    assert baseline["schema"] == "gate-build-time/1"
    assert "test_sample::test_slow" in baseline["tests"]
    assert "baseline written to .gate/build-time-baseline.json" in result.out
    shutil.copy(junit_reports["slow"], repo.path / "junit.xml")
    result = gate("check", "build-time", "--format", "json")
    assert result.code == 0
    regression = [f for f in _result(result)["findings"] if f["rule"] == "build-time.regression"]
    assert len(regression) == 1
    assert regression[0]["severity"] == "warning"
    assert regression[0]["hint"].startswith("grew most: test_sample::test_slow")
    assert "--write-baseline" in regression[0]["hint"]


def test_growth_within_tolerance_is_quiet(repo, gate, junit_reports):
    shutil.copy(junit_reports["slow"], repo.path / "junit.xml")
    assert gate("check", "build-time", "--write-baseline").code == 0
    result = gate("check", "build-time")
    assert result.code == 0
    assert "build-time.regression" not in result.out


def test_broken_baseline_is_exit_3(repo, gate, junit_reports):
    shutil.copy(junit_reports["green"], repo.path / "junit.xml")
    repo.write(
        ".gate/build-time-baseline.json", '{"schema": "gate-build-time/1", "total_seconds": "slow"'
    )
    result = gate("check", "build-time")
    assert result.code == 3
    assert "--write-baseline" in result.out


def test_no_report_skips_and_write_baseline_without_one_is_exit_3(repo, gate):
    result = gate("check", "build-time")
    assert result.code == 0
    assert "skip" in result.out
    assert gate("check", "build-time", "--write-baseline").code == 3
