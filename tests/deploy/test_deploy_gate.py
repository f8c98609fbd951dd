"""`gate run --stage deploy --env NAME`: branch and tag rules, attestation, versions, image, tests, speed."""

from __future__ import annotations

import datetime as dt
import json
import shutil


def _deploy(gate, *args):
    result = gate("run", "--stage", "deploy", *args, "--format", "json")
    report = json.loads(result.out) if result.out.startswith("{") else None
    return result, report


def _rules(report):
    return [(f["rule"], f["severity"], f["message"]) for f in report["results"][0]["findings"]]


def _attest(gate):
    assert gate("run", "--stage", "ci", "--attest", ".gate/attestation.json").code == 0


def test_environment_must_be_given_and_known(release, gate):
    result = gate("run", "--stage", "deploy")
    assert result.code == 2
    assert "--env NAME" in result.err and "production, staging" in result.err
    result = gate("run", "--stage", "deploy", "--env", "prod")
    assert result.code == 2
    assert "unknown environment 'prod'" in result.err


def test_release_tag_on_main_deploys_to_production(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_HMAC_KEY", "deploy key")  # production requires a signature
    _attest(gate)
    monkeypatch.setenv("GATE_IMAGE_TAG", "europe-docker.pkg.dev/p/r/app:1.2.0")
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 0, result.out
    assert (
        report["results"][0]["summary"]
        == f"production deploy of v1.2.0 at {release.head[:8]} (1.2.0): allowed"
    )
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:v1.2.0")
    assert _deploy(gate, "--env", "production")[0].code == 0


def test_develop_deploys_to_staging_but_not_to_production(release, gate):
    release.checkout("develop")
    result, report = _deploy(gate, "--env", "staging")
    assert result.code == 0, result.out
    release.write(
        ".gate.yaml",
        (release.path / ".gate.yaml").read_text()
        + "  environments:\n    production:\n      require_ci_attestation: false\n      check_image_tag: false\n      check_versions: false\n",
    )
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 1
    assert (
        "deploy.ref",
        "error",
        "branch develop may not deploy to production (allowed: branches hotfix/*, tags v*)",
    ) in _rules(report)


def test_feature_branch_may_not_deploy_to_staging(release, gate):
    release.branch("feature/login")
    result, report = _deploy(gate, "--env", "staging")
    assert result.code == 1
    assert _rules(report)[0][0] == "deploy.ref"
    assert (
        _rules(report)[0][2]
        == "branch feature/login with tag v1.2.0 may not deploy to staging (allowed: branches develop release/* hotfix/*)"
    )


def test_release_tag_off_main_is_refused(release, gate, monkeypatch):
    release.branch("feature/sneaky", "develop")
    release.commit("feat: sneaky", {"app.py": "VALUE = 3\n"})
    release.tag("v9.9.9")
    release.checkout("v9.9.9")
    release.write(
        ".gate.yaml",
        (release.path / ".gate.yaml").read_text()
        + "  environments:\n    production:\n      require_ci_attestation: false\n      check_versions: false\n      check_image_tag: false\n",
    )
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 1
    assert "tag v9.9.9 is not on main" in _rules(report)[0][2]


def test_image_tag_must_equal_the_release_version(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_HMAC_KEY", "deploy key")  # production requires a signature
    _attest(gate)
    for image, expected in [
        (None, "no image tag given"),
        ("app:1.1.0", "image tag 1.1.0 is not the release version 1.2.0"),
        ("app@sha256:" + "a" * 64, "pinned by digest"),
    ]:
        if image:
            monkeypatch.setenv("GATE_IMAGE_TAG", image)
        result, report = _deploy(gate, "--env", "production")
        assert result.code == 1
        assert any(
            rule == "deploy.image-tag" and expected in message
            for rule, _, message in _rules(report)
        ), _rules(report)
    result = gate("check", "deploy", "--env", "production", "--image-tag", "app:1.2.0")
    assert result.code == 0, result.out


def test_versions_and_changelog_must_agree_with_the_tag(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    release.write("pyproject.toml", '[project]\nname = "app"\nversion = "1.2.1"\n')
    release.write(
        "CHANGELOG.md", "# Changelog\n\n## [1.1.0] - 2026-10-01\n\n### Fixed\n\n- Logout.\n"
    )
    _attest(gate)
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 1
    messages = [m for rule, _, m in _rules(report) if rule == "deploy.versions"]
    assert "pyproject.toml (project.version) says 1.2.1, the tag v1.2.0 says 1.2.0" in messages
    assert "CHANGELOG.md has no section for 1.2.0" in messages


def test_test_report_must_show_no_failure_and_exist(release, gate, monkeypatch, junit_reports):
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    _attest(gate)
    shutil.copy(junit_reports["broken"], release.path / "junit.xml")
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 1
    tests = [m for rule, _, m in _rules(report) if rule == "deploy.tests"]
    assert tests[0].startswith(
        "the test report shows 3 failed or errored test(s): test_sample::test_flaky"
    )
    (release.path / "junit.xml").unlink()
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 3
    assert "no JUnit XML file matches" in report["results"][0]["summary"]


def test_build_over_budget_blocks_production(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    release.write(
        ".gate.yaml",
        (release.path / ".gate.yaml").read_text() + "build_time:\n  budget_seconds: 0\n",
    )
    _attest(gate)
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 1
    assert any(
        rule == "deploy.build-time" and "over the budget of 0 s" in m
        for rule, _, m in _rules(report)
    )


def test_missing_or_foreign_attestation(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 3
    assert "no attestation at" in report["results"][0]["summary"]
    release.write(".gate/attestation.json", "[]")
    result, _ = _deploy(gate, "--env", "production")
    assert result.code == 3
    _attest(gate)
    release.commit("fix: after ci", {"app.py": "VALUE = 4\n"})
    release.tag("v1.2.1")
    release.write("pyproject.toml", '[project]\nname = "app"\nversion = "1.2.1"\n')
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 1
    assert any(
        rule == "deploy.attestation" and "it is for commit" in m for rule, _, m in _rules(report)
    )


def _berlin_today() -> dt.date:
    """The freeze windows of these tests are in Europe/Berlin, whose date is not UTC's
    between 22:00 and midnight UTC."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Europe/Berlin")).date()


def _freeze_policy(release, window):
    release.write(
        ".gate.yaml",
        (release.path / ".gate.yaml").read_text()
        + f"  timezone: Europe/Berlin\n  freezes:\n{window}",
    )


def test_freeze_blocks_production_and_an_override_is_recorded(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_HMAC_KEY", "deploy key")  # production requires a signature
    today = _berlin_today()
    _freeze_policy(
        release,
        f"    - name: year-end\n      start: '{today - dt.timedelta(days=1)}'\n      end: '{today + dt.timedelta(days=1)}'\n",
    )
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    _attest(gate)
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 1
    freeze = [m for rule, _, m in _rules(report) if rule == "deploy.freeze"]
    assert freeze[0].startswith("change freeze year-end (")
    assert "Europe/Berlin" in freeze[0]
    monkeypatch.setenv("GATE_FREEZE_OVERRIDE", "payment outage fix, approved by CTO")
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 0, result.out
    assert _rules(report)[0][:2] == ("deploy.freeze-override", "warning")
    assert "payment outage fix, approved by CTO" in _rules(report)[0][2]
    lines = [
        json.loads(line)
        for line in (release.path / ".gate" / "audit.jsonl").read_text().splitlines()
    ]
    last = lines[-1]
    assert last["severity"] == "WARNING"
    assert last["verdict"] == "allowed"
    assert any("approved by CTO" in r["message"] for r in last["reasons"])
    monkeypatch.delenv("GATE_FREEZE_OVERRIDE")
    release.checkout("develop")
    assert _deploy(gate, "--env", "staging")[0].code == 0  # staging has no freeze


def test_hotfix_passes_a_freeze(release, gate):
    today = _berlin_today()
    _freeze_policy(release, f"    - {{start: '{today}', end: '{today}'}}\n")
    release.write(
        ".gate.yaml",
        (release.path / ".gate.yaml").read_text()
        + "  environments:\n    production:\n      require_ci_attestation: false\n      check_image_tag: false\n      check_versions: false\n",
    )
    release.branch("hotfix/1.2.1")
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 0, result.out
    assert _rules(report)[0][:2] == ("deploy.freeze", "note")
    assert "hotfix" in _rules(report)[0][2]


def test_bad_freeze_calendar_is_an_error_never_a_deploy(release, gate):
    _freeze_policy(release, "    - {start: '2026-13-01', end: '2026-12-31'}\n")
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 3
    assert "deploy.freezes[0].start" in report["results"][0]["summary"]
    release.write(
        ".gate.yaml",
        (release.path / ".gate.yaml").read_text().replace("Europe/Berlin", "Mars/Olympus"),
    )
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 3
    assert "unknown time zone 'Mars/Olympus'" in report["results"][0]["summary"]


def test_every_verdict_is_an_audit_line(release, gate):
    release.checkout("develop")
    assert _deploy(gate, "--env", "staging")[0].code == 0
    release.branch("feature/x")
    assert _deploy(gate, "--env", "staging")[0].code == 1
    lines = [
        json.loads(line)
        for line in (release.path / ".gate" / "audit.jsonl").read_text().splitlines()
    ]
    assert [(line["severity"], line["verdict"], line["branch"]) for line in lines] == [
        ("INFO", "allowed", "develop"),
        ("ERROR", "blocked", "feature/x"),
    ]
    blocked = lines[1]
    assert blocked["actor"] == "release-bot"
    assert blocked["environment"] == "staging"
    assert blocked["commit"] == release.head
    assert blocked["reasons"][0]["rule"] == "deploy.ref"
    assert blocked["message"] == f"deploy to staging of {release.head[:12]} blocked"


def test_hotfix_branch_deploys_even_with_its_tag_off_main(release, gate):
    release.write(
        ".gate.yaml",
        (release.path / ".gate.yaml").read_text()
        + "  environments:\n    production:\n      require_ci_attestation: false\n"
        "      check_image_tag: false\n      check_versions: false\n",
    )
    release.branch("hotfix/1.2.1")
    release.commit("fix: urgent", {"app.py": "VALUE = 5\n"})
    release.tag("v1.2.1")
    result, report = _deploy(gate, "--env", "production")
    assert result.code == 0, result.out
    assert report["results"][0]["summary"].startswith("production deploy of hotfix/1.2.1 at ")
