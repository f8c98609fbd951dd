"""`gate run --stage ci --attest FILE` and `gate verify FILE`: in-toto statements, signed or not."""

from __future__ import annotations

import base64
import json
import shutil

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from gates import __version__
from gates.knowledge import attestation


def _attest(gate, name="att.json"):
    result = gate("run", "--stage", "ci", "--attest", name, "--format", "json")
    return result, json.loads(result.out)


def test_statement_shape_and_verification(release, gate):
    result, report = _attest(gate)
    assert result.code == 0, result.out
    statement = json.loads((release.path / "att.json").read_text())
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["subject"][0]["digest"] == {"gitCommit": release.head}
    assert statement["predicateType"] == attestation.PREDICATE_TYPE
    predicate = statement["predicate"]
    assert predicate["passed"] is True
    assert predicate["stage"] == "ci"
    assert predicate["tool"] == {"name": "gate", "version": __version__}
    assert predicate["policy"]["digest"] == report["policy"]["digest"]
    assert predicate["report"]["results"][0]["gate"] == "tests"
    verified = gate("verify", "att.json")
    assert verified.code == 0, verified.err
    assert f"commit {release.head[:12]}" in verified.out
    assert "unsigned" in verified.out


def test_refused_for_another_commit_a_failed_run_or_a_changed_policy(release, gate, junit_reports):
    assert _attest(gate)[0].code == 0
    release.commit("fix: later", {"app.py": "VALUE = 2\n"})
    result = gate("verify", "att.json")
    assert result.code == 1
    assert "it is for commit" in result.err and f"not {release.head[:12]}" in result.err
    shutil.copy(junit_reports["broken"], release.path / "junit.xml")
    failed, _ = _attest(gate)
    assert failed.code == 1
    result = gate("verify", "att.json")
    assert result.code == 1
    assert "the ci stage did not pass" in result.err
    shutil.copy(junit_reports["green"], release.path / "junit.xml")
    assert _attest(gate)[0].code == 0
    release.write(".gate.yaml", (release.path / ".gate.yaml").read_text() + "lint:\n  scope: all\n")
    result = gate("verify", "att.json")
    assert result.code == 1
    assert "the policy changed since" in result.err


def test_a_partial_run_does_not_vouch_for_the_stage(release, gate):
    release.write(
        ".gate.yaml",
        (release.path / ".gate.yaml").read_text().replace("ci: [tests]", "ci: [tests, build-time]"),
    )
    result = gate("run", "--stage", "ci", "--only", "tests", "--attest", "att.json")
    assert result.code == 0
    result = gate("verify", "att.json")
    assert result.code == 1
    assert "left out gate(s) build-time" in result.err


@pytest.mark.parametrize(
    "text,reason",
    [
        ("{not json", "not JSON"),
        ('{"_type": "https://in-toto.io/Statement/v0.1"}', "not an in-toto Statement v1"),
        (
            '{"payloadType": "application/vnd.in-toto+json", "payload": "%%%", "signatures": []}',
            "not base64 JSON",
        ),
    ],
)
def test_malformed_or_missing_attestation_is_exit_3(release, gate, text, reason):
    release.write("att.json", text)
    result = gate("verify", "att.json")
    assert result.code == 3
    assert reason in result.err
    assert gate("verify", "missing.json").code == 3


def test_hmac_signed_attestation(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_HMAC_KEY", "correct horse battery staple")
    assert _attest(gate)[0].code == 0
    envelope = json.loads((release.path / "att.json").read_text())
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    assert envelope["signatures"][0]["keyid"].startswith("hmac-sha256:")
    result = gate("verify", "att.json")
    assert result.code == 0, result.err
    assert "signed (hmac-sha256:" in result.out
    monkeypatch.setenv("GATE_HMAC_KEY", "another key")
    result = gate("verify", "att.json")
    assert result.code == 1
    assert "tampered or foreign" in result.err
    monkeypatch.delenv("GATE_HMAC_KEY")
    result = gate("verify", "att.json")
    assert result.code == 1
    assert "no key to verify it" in result.err


def test_tampered_signed_payload_is_refused(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_HMAC_KEY", "k3y")
    assert _attest(gate)[0].code == 0
    path = release.path / "att.json"
    envelope = json.loads(path.read_text())
    statement = json.loads(base64.b64decode(envelope["payload"]))
    statement["subject"][0]["digest"]["gitCommit"] = "0" * 40
    envelope["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    path.write_text(json.dumps(envelope))
    result = gate("verify", "att.json", "--commit", "HEAD")
    assert result.code == 1
    assert "tampered or foreign" in result.err


def test_unsigned_attestation_is_refused_when_a_key_is_configured(release, gate, monkeypatch):
    assert _attest(gate)[0].code == 0
    monkeypatch.setenv("GATE_HMAC_KEY", "k3y")
    result = gate("verify", "att.json")
    assert result.code == 1
    assert "not signed" in result.err


@pytest.mark.parametrize("encoding", ["pem", "raw"])
def test_ed25519_signed_attestation(release, gate, monkeypatch, encoding):
    private = ed25519.Ed25519PrivateKey.generate()
    if encoding == "pem":
        private_text = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        public_text = (
            private.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
    else:
        private_text = base64.b64encode(
            private.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
        ).decode()
        public_text = base64.b64encode(
            private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        ).decode()
    monkeypatch.setenv("GATE_ED25519_PRIVATE_KEY", private_text)
    assert _attest(gate)[0].code == 0
    monkeypatch.delenv("GATE_ED25519_PRIVATE_KEY")
    monkeypatch.setenv("GATE_ED25519_PUBLIC_KEY", public_text)
    result = gate("verify", "att.json")
    assert result.code == 0, result.err
    assert "signed (ed25519:" in result.out
    other = (
        ed25519.Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    monkeypatch.setenv("GATE_ED25519_PUBLIC_KEY", base64.b64encode(other).decode())
    result = gate("verify", "att.json")
    assert result.code == 1
    assert "tampered or foreign" in result.err


def test_bad_key_in_the_environment_is_exit_3(release, gate, monkeypatch):
    monkeypatch.setenv("GATE_ED25519_PRIVATE_KEY", "not a key")
    result = gate("run", "--stage", "ci", "--attest", "att.json")
    assert result.code == 3
    assert "GATE_ED25519_PRIVATE_KEY is not an Ed25519 key" in result.err


def test_subject_names_the_remote_without_its_credentials(release, gate):
    release.git(
        "remote", "add", "origin", "https://gitlab-ci-token:s3cr3t@gitlab.example.com/acme/app.git"
    )
    assert _attest(gate)[0].code == 0
    text = (release.path / "att.json").read_text()
    assert "s3cr3t" not in text and "gitlab-ci-token" not in text
    assert json.loads(text)["subject"][0]["name"] == "https://gitlab.example.com/acme/app.git"
