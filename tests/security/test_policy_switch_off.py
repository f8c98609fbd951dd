"""A change may not switch its own gate off through the policy it brings (issue 20)."""

from __future__ import annotations

import datetime as dt
import json

from tests.deploy.conftest import POLICY

SOON = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def _policy(repo, extra: str) -> None:
    repo.write(".gate.yaml", POLICY + extra)


def test_an_empty_ci_stage_is_a_policy_error_not_a_pass(release, gate):
    release.write(".gate.yaml", "extends: gitflow\nstages:\n  ci: []\n  deploy: []\n")
    result = gate("run", "--stage", "ci", "--attest", "att.json")
    assert result.code == 2
    assert "stages.ci" in result.err and "has no gates" in result.err
    assert not (release.path / "att.json").exists()
    result = gate("run", "--stage", "deploy", "--env", "production")
    assert result.code == 2
    assert "stages.deploy" in result.err


def test_a_deploy_stage_without_the_deploy_gate_is_a_policy_error(release, gate):
    release.write(".gate.yaml", "extends: gitflow\nstages:\n  ci: [tests]\n  deploy: [tests]\n")
    result = gate("run", "--stage", "deploy", "--env", "production")
    assert result.code == 2
    assert "does not run the deploy gate" in result.err


def test_a_waiver_for_ever_is_a_policy_error(release, gate):
    _policy(
        release,
        "waivers:\n  - rule: deploy\n    reason: trust me\n    expires: 9999-12-31\n",
    )
    result = gate("run", "--stage", "ci")
    assert result.code == 2
    assert "waivers.max_days" in result.err and "9999-12-31" in result.err


def test_max_days_is_a_policy_key_and_a_preset_value_survives_a_list(release, gate):
    later = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    _policy(
        release,
        f"waivers:\n  max_days: 10\n  entries:\n"
        f"    - rule: tests\n      reason: flaky\n      expires: {later}\n",
    )
    assert gate("run", "--stage", "ci").code == 2
    _policy(release, f"waivers:\n  - rule: tests\n    reason: flaky\n    expires: {later}\n")
    from gates.policy import load_policy

    waivers = load_policy(release.path).data["waivers"]
    assert waivers["max_days"] == 90 and waivers["entries"][0]["rule"] == "tests"
    assert gate("run", "--stage", "ci").code == 0


def test_a_waiver_cannot_let_an_unattested_commit_reach_production(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    _policy(
        release,
        "waivers:\n"
        f"  - rule: deploy\n    reason: hurry\n    expires: {SOON}\n"
        f"  - rule: deploy.attestation\n    reason: hurry\n    expires: {SOON}\n"
        f"  - rule: deploy.ref\n    reason: hurry\n    expires: {SOON}\n",
    )
    assert gate("run", "--stage", "ci", "--attest", ".gate/attestation.json").code == 0
    monkeypatch.setenv("GATE_HMAC_KEY", "the deploy key")  # the attestation is unsigned
    result = gate("run", "--stage", "deploy", "--env", "production", "--format", "json")
    assert result.code == 1, result.out
    findings = json.loads(result.out)["results"][0]["findings"]
    blocking = [f["rule"] for f in findings if f["severity"] == "error" and not f.get("waiver")]
    assert "deploy.attestation" in blocking
    release.checkout("develop")
    result = gate("run", "--stage", "deploy", "--env", "production", "--format", "json")
    assert result.code == 1
    findings = json.loads(result.out)["results"][0]["findings"]
    assert any(f["rule"] == "deploy.ref" and f["severity"] == "error" for f in findings)
