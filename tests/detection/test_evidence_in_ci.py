"""Evidence is required in CI: a gate whose input is missing blocks (exit 3) unless the
policy says `required: false`; on a developer's machine it skips with a note."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("gate_id", ["coverage", "tests", "build-time"])
def test_missing_evidence_blocks_in_ci_and_skips_locally(repo, gate, monkeypatch, gate_id):
    repo.commit("feat: first")
    local = gate("run", "--only", gate_id, "--format", "json")
    assert local.code == 0
    assert json.loads(local.out)["results"][0]["status"] == "skip"
    monkeypatch.setenv("CI", "true")
    in_ci = gate("run", "--only", gate_id, "--format", "json")
    assert in_ci.code == 3, in_ci.out
    assert json.loads(in_ci.out)["results"][0]["status"] == "error"


@pytest.mark.parametrize(
    ("gate_id", "section"),
    [("coverage", "coverage"), ("tests", "tests"), ("build-time", "build_time")],
)
def test_required_false_skips_in_ci_too(repo, gate, monkeypatch, gate_id, section):
    repo.commit("feat: first", {".gate.yaml": f"{section}:\n  required: false\n"})
    monkeypatch.setenv("CI", "true")
    result = gate("run", "--only", gate_id, "--format", "json")
    assert result.code == 0, result.out
    assert json.loads(result.out)["results"][0]["status"] == "skip"


def test_ci_false_is_not_ci(repo, gate, monkeypatch):
    repo.commit("feat: first")
    monkeypatch.setenv("CI", "false")
    assert gate("run", "--only", "coverage").code == 0
