"""Attestations that a missing secret, an old run or another ref cannot pass off (issue 20)."""

from __future__ import annotations

import datetime as dt
import json

from gates import __version__
from gates.adapters import attestation_file

KEY = "the deploy key"
ATTESTATION = ".gate/attestation.json"


def _deploy(gate):
    result = gate("run", "--stage", "deploy", "--env", "production", "--format", "json")
    findings = json.loads(result.out)["results"][0]["findings"] if result.out else []
    return result, [f["message"] for f in findings if f["rule"] == "deploy.attestation"]


def test_an_empty_key_is_a_missing_secret_not_no_key(release, gate, monkeypatch):
    assert gate("run", "--stage", "ci", "--attest", "att.json").code == 0
    monkeypatch.setenv("GATE_HMAC_KEY", "")
    result = gate("verify", "att.json")
    assert result.code == 3
    assert "GATE_HMAC_KEY is set but empty" in result.err
    monkeypatch.delenv("GATE_HMAC_KEY")
    monkeypatch.setenv("GATE_ED25519_PUBLIC_KEY", "  ")
    assert gate("verify", "att.json").code == 3
    monkeypatch.delenv("GATE_ED25519_PUBLIC_KEY")
    monkeypatch.setenv("GATE_ED25519_PRIVATE_KEY", "")
    result = gate("run", "--stage", "ci", "--attest", "signed.json")
    assert result.code == 3 and "GATE_ED25519_PRIVATE_KEY is set but empty" in result.err


def test_production_requires_a_signature_by_default(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    assert gate("run", "--stage", "ci", "--attest", ATTESTATION).code == 0
    result, refused = _deploy(gate)
    assert result.code == 1
    assert any("requires a signature" in m for m in refused), refused
    assert gate("verify", ATTESTATION).code == 0
    assert gate("verify", ATTESTATION, "--require-signature").code == 1
    monkeypatch.setenv("GATE_HMAC_KEY", KEY)
    assert gate("run", "--stage", "ci", "--attest", ATTESTATION).code == 0
    result, refused = _deploy(gate)
    assert result.code == 0, refused
    assert gate("verify", ATTESTATION, "--require-signature").code == 0


def test_the_attestation_binds_repository_ref_commit_tool_and_time(release, gate):
    release.git("remote", "add", "origin", "https://github.com/acme/app.git")
    assert gate("run", "--stage", "ci", "--attest", "att.json").code == 0
    predicate = json.loads((release.path / "att.json").read_text())["predicate"]
    assert predicate["repository"] == "https://github.com/acme/app.git"
    assert predicate["ref"] == "refs/heads/main"
    assert predicate["tool"]["version"] == __version__
    created = dt.datetime.fromisoformat(predicate["created"])
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)


def _forge(release, gate, *, hours_ago: float, ref: str) -> None:
    """A signed attestation of a real passing ci run, dated and bound as asked."""
    assert gate("run", "--stage", "ci", "--format", "json:report.json").code == 0
    report = json.loads((release.path / "report.json").read_text())
    (release.path / ".gate").mkdir(exist_ok=True)
    attestation_file.write(
        release.path / ATTESTATION,
        report=report,
        commit=release.head,
        subject_name="git+file://repo",
        env={"GATE_HMAC_KEY": KEY},
        now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago),
        ref=ref,
    )


def test_an_old_attestation_is_refused(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_HMAC_KEY", KEY)
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    _forge(release, gate, hours_ago=1, ref="refs/heads/main")
    result, refused = _deploy(gate)
    assert result.code == 0, refused
    _forge(release, gate, hours_ago=200, ref="refs/heads/main")
    result, refused = _deploy(gate)
    assert result.code == 1
    assert any("hours old, over deploy.attestation_max_age_hours (168)" in m for m in refused)


def test_an_attestation_for_another_ref_is_refused(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_HMAC_KEY", KEY)
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    _forge(release, gate, hours_ago=0, ref="refs/heads/feature/x")
    result, refused = _deploy(gate)
    assert result.code == 1
    assert any("made for refs/heads/feature/x, not for refs/heads/main" in m for m in refused)


def test_in_ci_only_the_runs_own_tag_deploys(release, gate, monkeypatch):
    """A branch pipeline on a commit that carries a release tag is not a release pipeline."""
    monkeypatch.setenv("GATE_HMAC_KEY", KEY)
    monkeypatch.setenv("GATE_IMAGE_TAG", "app:1.2.0")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_REF", "refs/heads/main")
    monkeypatch.setenv("GITHUB_REF_NAME", "main")
    monkeypatch.setenv("GITHUB_REF_TYPE", "branch")
    assert gate("run", "--stage", "ci", "--attest", ATTESTATION).code == 0
    result = gate("run", "--stage", "deploy", "--env", "production", "--format", "json")
    assert result.code == 1
    findings = json.loads(result.out)["results"][0]["findings"]
    assert any(f["rule"] == "deploy.ref" for f in findings)
    for name, value in (
        ("GITHUB_REF", "refs/tags/v1.2.0"),
        ("GITHUB_REF_NAME", "v1.2.0"),
        ("GITHUB_REF_TYPE", "tag"),
    ):
        monkeypatch.setenv(name, value)
    assert gate("run", "--stage", "ci", "--attest", ATTESTATION).code == 0
    result = gate("run", "--stage", "deploy", "--env", "production", "--format", "json")
    assert result.code == 0, result.out
