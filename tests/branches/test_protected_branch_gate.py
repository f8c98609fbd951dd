"""The protected-branch gate: no direct commit on main/develop, with the release manager's way out."""

from __future__ import annotations

import json
import os
import subprocess

import pytest


def status(outcome) -> str:
    return json.loads(outcome.out)["results"][0]["status"]


@pytest.fixture
def on_main(repo):
    repo.commit("chore: start")
    return repo


@pytest.mark.parametrize("branch", ["main", "develop"])
def test_a_commit_on_a_protected_branch_fails(on_main, gate, branch):
    if branch != "main":
        on_main.branch(branch)
    outcome = gate("check", "protected-branch")
    assert outcome.code == 1
    assert "[protected-branch.direct-commit]" in outcome.out
    assert "git switch -c feature/<name>" in outcome.out
    assert "GATE_RELEASE=1" in outcome.out


@pytest.mark.parametrize("branch", ["feature/x", "release/1.0.0", "hotfix/1.0.1", "anything"])
def test_other_branches_pass(on_main, gate, branch):
    on_main.branch(branch)
    assert gate("check", "protected-branch").code == 0


def test_the_release_manager_gets_through_with_a_visible_note(on_main, gate, monkeypatch):
    monkeypatch.setenv("GATE_RELEASE", "1")
    outcome = gate("check", "protected-branch", "--format", "json")
    assert outcome.code == 0
    finding = json.loads(outcome.out)["results"][0]["findings"][0]
    assert finding["rule"] == "protected-branch.release-override"
    assert finding["severity"] == "note"
    monkeypatch.setenv("GATE_RELEASE", "0")
    assert gate("check", "protected-branch").code == 1


def test_detached_head_first_commit_and_ci(repo, gate, ci):
    assert gate("check", "protected-branch").code == 0  # the repository's first commit
    repo.commit("chore: start")
    assert gate("check", "protected-branch").code == 1
    repo.checkout(repo.head)
    assert gate("check", "protected-branch").code == 0  # a rebase commits on a detached HEAD
    repo.checkout("main")
    ci(GITHUB_ACTIONS="true", GITHUB_REF_NAME="main")
    outcome = gate("check", "protected-branch", "--format", "json")
    assert outcome.code == 0 and status(outcome) == "skip"


def test_protected_follows_the_policy(on_main, gate):
    on_main.write(
        ".gate.yaml", "branches:\n  main: master\n  protected: [main, release, 'env/*']\n"
    )
    on_main.git("branch", "-m", "master")
    assert gate("check", "protected-branch").code == 1
    on_main.branch("release/1.0.0")
    assert gate("check", "protected-branch").code == 1
    on_main.branch("env/prod")
    assert gate("check", "protected-branch").code == 1
    on_main.branch("develop")
    assert gate("check", "protected-branch").code == 0


def test_git_commit_through_the_pre_commit_hook(on_main, gate):
    """End to end: the native hook refuses `git commit` on main and lets the release commit through."""
    assert gate("hooks", "install", "pre-commit").code == 0
    on_main.write("a.txt", "a\n")
    on_main.git("add", "a.txt")
    env = {k: v for k, v in os.environ.items() if k != "GATE_RELEASE"}

    def commit(message: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "commit", "-q", "-m", message],
            cwd=on_main.path,
            capture_output=True,
            text=True,
            env={**env, **extra},
            check=False,
        )

    refused = commit("fix: straight on main")
    assert refused.returncode != 0
    assert "protected-branch.direct-commit" in refused.stdout + refused.stderr
    released = commit("chore(release): 1.0.0", GATE_RELEASE="1")
    assert released.returncode == 0, released.stdout + released.stderr
    on_main.branch("featur/oops")
    on_main.write("b.txt", "b\n")
    on_main.git("add", "b.txt")
    misnamed = commit("feat: b")
    assert misnamed.returncode != 0
    assert "did you mean 'feature/oops'?" in misnamed.stdout + misnamed.stderr
    on_main.git("branch", "-m", "feature/oops")
    assert commit("feat: b").returncode == 0
