"""In CI the policy of the change's target judges the change; the change's own policy edits are
listed as policy.changed and block when they weaken it (issue 20)."""

from __future__ import annotations

import json

import pytest

TARGET_POLICY = """extends: gitflow
stages:
  ci: [branch-name, commits]
commits:
  release_commit: '^chore\\\\(release\\\\): '
coverage:
  total_min: 80
"""

WEAK_POLICY = """extends: gitflow
stages:
  ci: []
  deploy: []
branches:
  extra: ['.*']
commits:
  release_commit: '.*'
coverage:
  total_min: 10
waivers:
  - rule: deploy
    reason: trust me
    expires: 2026-12-31
"""


@pytest.fixture
def pull_request(repo, monkeypatch):
    """develop holds the policy; feature/bad edits it and brings a commit the policy refuses."""
    repo.commit("chore: start", {".gate.yaml": TARGET_POLICY})
    repo.branch("develop")
    repo.branch("feature/bad")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_BASE_REF", "develop")
    monkeypatch.setenv("GITHUB_HEAD_REF", "feature/bad")
    return repo


def _report(result):
    return json.loads(result.out)


def test_a_change_that_empties_its_stages_is_judged_by_the_target_policy(pull_request, gate):
    pull_request.commit("not a conventional commit", {".gate.yaml": WEAK_POLICY})
    result = gate("run", "--stage", "ci", "--format", "json")
    assert result.code == 1, result.err
    report = _report(result)
    assert report["policy"]["sources"][-1] == "develop:.gate.yaml"
    gates = {r["gate"]: r for r in report["results"]}
    assert gates["commits"]["status"] == "fail"  # the target's rules, not release_commit '.*'
    changed = gates["policy"]["findings"]
    assert [f["rule"] for f in changed] == ["policy.changed"]
    message = changed[0]["message"]
    for key in (
        "stages.ci",
        "stages.deploy",
        "branches.extra",
        "commits.release_commit",
        "coverage.total_min: lowered from 80 to 10",
        "waiver added: deploy",
    ):
        assert key in message, message
    assert changed[0]["severity"] == "error"


def test_weakening_passes_only_when_the_target_policy_allows_it(pull_request, gate):
    pull_request.checkout("develop")
    pull_request.commit(
        "chore: allow policy changes",
        {".gate.yaml": TARGET_POLICY + "policy:\n  allow_weakening: true\n"},
    )
    pull_request.checkout("feature/bad")
    pull_request.git("merge", "-q", "develop")
    pull_request.commit(
        "chore: lower the bar",
        {".gate.yaml": TARGET_POLICY.replace("80", "70") + "policy:\n  allow_weakening: true\n"},
    )
    result = gate("run", "--stage", "ci", "--format", "json")
    assert result.code == 0, result.out
    finding = _report(result)["results"][0]["findings"][0]
    assert finding["severity"] == "warning" and "coverage.total_min" in finding["message"]
    # the head cannot grant itself the right: the flag is read from the target
    pull_request.checkout("develop")
    pull_request.git("reset", "-q", "--hard", "HEAD~1")
    pull_request.checkout("feature/bad")
    pull_request.git("reset", "-q", "--hard", "HEAD~2")
    pull_request.commit(
        "chore: lower the bar",
        {".gate.yaml": TARGET_POLICY.replace("80", "70") + "policy:\n  allow_weakening: true\n"},
    )
    result = gate("run", "--stage", "ci", "--format", "json")
    assert result.code == 1
    message = _report(result)["results"][0]["findings"][0]["message"]
    assert "policy.allow_weakening: turned on" in message


def test_a_stricter_policy_is_a_note(pull_request, gate):
    pull_request.commit("chore: raise the bar", {".gate.yaml": TARGET_POLICY.replace("80", "90")})
    result = gate("run", "--stage", "ci", "--format", "json")
    assert result.code == 0, result.out
    finding = _report(result)["results"][0]["findings"][0]
    assert finding["rule"] == "policy.changed" and finding["severity"] == "note"


def test_policy_from_names_the_ref_outside_ci(repo, gate, monkeypatch):
    repo.commit("chore: start", {".gate.yaml": TARGET_POLICY})
    repo.branch("feature/bad")
    repo.commit("not conventional", {".gate.yaml": WEAK_POLICY})
    result = gate("check", "commits", "--base", "main", "--policy-from", "main")
    assert result.code == 1, result.out + result.err
    assert "policy.changed" in result.out and "commits.release_commit" in result.out
    # without it, locally, the working tree's policy applies (and is refused: empty stage)
    assert gate("run", "--stage", "ci", "--base", "main").code == 2


def test_a_target_missing_from_the_clone_is_an_error(pull_request, gate, monkeypatch):
    monkeypatch.setenv("GITHUB_BASE_REF", "release/9.9.9")
    result = gate("run", "--stage", "ci")
    assert result.code == 3
    assert "cannot read the policy of 'release/9.9.9'" in result.err


def test_a_pyproject_policy_on_the_target_is_read_too(repo, gate, monkeypatch):
    repo.commit(
        "chore: start",
        {
            "pyproject.toml": '[tool.gate]\nextends = "gitflow"\n[tool.gate.stages]\nci = ["commits"]\n'
        },
    )
    repo.branch("develop")
    repo.branch("feature/x")
    repo.commit("feat: fine", {"pyproject.toml": "[tool.gate.stages]\nci = []\n"})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_BASE_REF", "develop")
    monkeypatch.setenv("GITHUB_HEAD_REF", "feature/x")
    result = gate("run", "--stage", "ci", "--format", "json")
    report = _report(result)
    assert report["policy"]["sources"][-1] == "develop:pyproject.toml [tool.gate]"
    assert [r["gate"] for r in report["results"]] == ["policy", "commits"]
    assert "stages.ci" in report["results"][0]["findings"][0]["message"]


def test_the_hint_points_to_an_explanation(gate):
    result = gate("explain", "policy.changed")
    assert result.code == 0
    assert "policy.allow_weakening" in result.out and "target branch" in result.out
    assert "policy.waiver-expired" in gate("explain", "policy").out
