import datetime as dt
import json

import pytest

SOON = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def write_policy(repo, text):
    repo.write(".gate.yaml", text)


@pytest.fixture
def demo_repo(repo, demo_plugin):
    repo.commit("chore: start")
    return repo


def test_passing_stage_exits_0(demo_repo, gate):
    write_policy(demo_repo, "stages:\n  ci: [demo-pass, demo-warn]\n")
    result = gate("run", "--stage", "ci")
    assert result.code == 0
    assert "PASSED" in result.out
    assert "demo-warn" in result.out


def test_failing_gate_exits_1_with_finding(demo_repo, gate):
    write_policy(demo_repo, "stages:\n  ci: [demo-pass, demo-fail]\n")
    result = gate("run", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["passed"] is False
    failed = report["results"][1]
    assert failed["status"] == "fail"
    expected = {
        "rule": "demo-fail.bad",
        "severity": "error",
        "path": "src/app.py",
        "line": 3,
        "hint": "make it good",
    }
    assert expected.items() <= failed["findings"][0].items()


@pytest.mark.parametrize("gate_id", ["demo-crash", "demo-cannot", "demo-wrong"])
def test_a_gate_that_cannot_run_blocks_with_exit_3(demo_repo, gate, gate_id):
    write_policy(demo_repo, f"stages:\n  ci: [demo-pass, {gate_id}]\n")
    result = gate("run", "--format", "json")
    assert result.code == 3
    report = json.loads(result.out)
    assert report["passed"] is False
    assert report["results"][1]["status"] == "error"
    assert "Traceback" not in result.out + result.err


def test_error_outranks_failure(demo_repo, gate):
    write_policy(demo_repo, "stages:\n  ci: [demo-fail, demo-crash]\n")
    assert gate("run").code == 3


def test_debug_shows_the_traceback_of_a_crash(demo_repo, gate):
    write_policy(demo_repo, "stages:\n  ci: [demo-crash]\n")
    result = gate("run", "--debug", "--format", "json")
    assert result.code == 3
    assert "Traceback" in json.loads(result.out)["results"][0]["findings"][0]["message"]


def test_only_and_skip_select_gates(demo_repo, gate):
    write_policy(demo_repo, "stages:\n  ci: [demo-pass, demo-fail]\n")
    assert gate("run", "--skip", "demo-fail").code == 0
    assert gate("run", "--only", "demo-fail").code == 1
    unknown = gate("run", "--only", "nope")
    assert unknown.code == 2
    assert "unknown gate 'nope'" in unknown.err


def test_plugin_with_a_mismatched_id_is_refused(demo_repo, gate):
    write_policy(demo_repo, "stages:\n  ci: [demo-misnamed]\n")
    result = gate("run")
    assert result.code == 2
    assert "not a valid gate definition" in result.err


def test_waiver_turns_a_failure_into_a_note_and_is_reported(demo_repo, gate):
    write_policy(
        demo_repo,
        "stages:\n  ci: [demo-fail]\nwaivers:\n"
        "  - rule: demo-fail.bad\n    path: 'src/*'\n    reason: legacy code, ticket OPS-1\n    expires: "
        + SOON
        + "\n",
    )
    result = gate("run", "--format", "json")
    assert result.code == 0
    report = json.loads(result.out)
    finding = report["results"][0]["findings"][0]
    assert finding["severity"] == "note"
    assert finding["waiver"] == "legacy code, ticket OPS-1"
    assert report["waivers"][0]["reason"] == "legacy code, ticket OPS-1"


def test_expired_waiver_no_longer_applies(demo_repo, gate):
    write_policy(
        demo_repo,
        "stages:\n  ci: [demo-fail]\nwaivers:\n"
        "  - rule: demo-fail\n    reason: was fine once\n    expires: 2000-01-01\n",
    )
    result = gate("run", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    rules = [f["rule"] for f in report["results"][0]["findings"]]
    assert "policy.waiver-expired" in rules
    assert report["waivers"] == []


def test_waiver_for_another_path_does_not_apply(demo_repo, gate):
    write_policy(
        demo_repo,
        "stages:\n  ci: [demo-fail]\nwaivers:\n"
        "  - rule: demo-fail.bad\n    path: 'docs/*'\n    reason: docs only\n    expires: "
        + SOON
        + "\n",
    )
    assert gate("run").code == 1


def test_explain_a_plugin_gate_and_rule(demo_repo, gate):
    result = gate("explain", "demo-fail")
    assert result.code == 0
    assert "## What it does" in result.out
    assert "demo-fail.bad" in result.out
    rule = gate("explain", "demo-fail.bad")
    assert rule.out.startswith("demo-fail.bad: the bad rule")
    missing = gate("explain", "demo-fail.nope")
    assert missing.code == 2


def test_check_runs_one_gate(demo_repo, gate):
    result = gate("check", "demo-fail")
    assert result.code == 1
    assert "demo-fail.bad" in result.out
    assert "hint: make it good" in result.out
    assert gate("check", "no-such-gate").code == 2


def test_several_formats_each_to_its_own_path(demo_repo, gate, tmp_path):
    write_policy(demo_repo, "stages:\n  ci: [demo-pass, demo-fail]\n")
    out = tmp_path / "out" / "report.json"
    result = gate("run", "--format", "console", "--format", f"json:{out}")
    assert result.code == 1
    assert "BLOCKED" in result.out
    assert json.loads(out.read_text())["passed"] is False


def test_unwritable_report_path_is_exit_3(demo_repo, gate):
    write_policy(demo_repo, "stages:\n  ci: [demo-pass]\n")
    result = gate("run", "--format", "json:/dev/full/report.json")
    assert result.code == 3
    assert "cannot write the report" in result.err


def test_quiet_prints_nothing_on_pass(demo_repo, gate):
    write_policy(demo_repo, "stages:\n  ci: [demo-pass]\n")
    result = gate("run", "--quiet")
    assert (result.code, result.out) == (0, "")
