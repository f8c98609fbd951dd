"""The merge-target gate: --target on the command line, and pull/merge requests in CI."""

from __future__ import annotations

import json

import pytest


def result_of(outcome) -> dict:
    return json.loads(outcome.out)["results"][0]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("feature/login", "develop", 0),
        ("feature/login", "main", 1),
        ("bugfix/crash", "develop", 0),
        ("bugfix/crash", "release/1.2.0", 1),
        ("release/1.2.0", "main", 0),
        ("release/1.2.0", "develop", 0),
        ("hotfix/1.2.1", "main", 0),
        ("hotfix/1.2.1", "develop", 0),
        ("hotfix/1.2.1", "release/1.3.0", 0),
        ("hotfix/1.2.1", "feature/x", 1),
        ("support/1.x", "main", 1),
        ("develop", "main", 0),
    ],
)
def test_pairs_of_the_gitflow_preset(repo, gate, source, target, expected):
    repo.commit("chore: start")
    repo.branch(source)
    outcome = gate("check", "merge-target", "--target", target, "--format", "json")
    assert outcome.code == expected, outcome.out
    if expected:
        finding = result_of(outcome)["findings"][0]
        assert finding["rule"] == "merge-target.not-allowed"
        assert f"into '{target}'" in finding["message"]


def test_a_violation_names_the_allowed_targets(repo, gate):
    repo.commit("chore: start")
    repo.branch("hotfix/1.0.1")
    outcome = gate("check", "merge-target", "--target", "feature/x")
    assert outcome.code == 1
    assert "allowed: main, develop, release/*" in outcome.out
    assert "branches.merge_targets.hotfix" in outcome.out
    outcome = gate("check", "merge-target", "--branch", "support/2.x", "--target", "main")
    assert "allowed: nowhere" in outcome.out


def test_the_policy_names_the_targets(repo, gate):
    repo.commit("chore: start")
    repo.write(
        ".gate.yaml",
        "branches:\n  main: master\n  merge_targets:\n    feature: [develop, 'integration/*']\n",
    )
    assert (
        gate("check", "merge-target", "--branch", "feature/x", "--target", "integration/q3").code
        == 0
    )
    assert (
        gate("check", "merge-target", "--branch", "release/1.0.0", "--target", "master").code == 0
    )
    assert gate("check", "merge-target", "--branch", "release/1.0.0", "--target", "main").code == 1


def test_no_target_skips(repo, gate):
    repo.commit("chore: start")
    repo.branch("feature/x")
    outcome = gate("check", "merge-target", "--format", "json")
    assert outcome.code == 0
    assert result_of(outcome)["status"] == "skip"


def test_an_unknown_source_kind_fails_closed(repo, gate):
    repo.commit("chore: start")
    repo.branch("random-name")
    outcome = gate("check", "merge-target", "--target", "develop", "--format", "json")
    assert outcome.code == 1
    assert result_of(outcome)["findings"][0]["rule"] == "merge-target.unknown-source"


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {
                "GITHUB_ACTIONS": "true",
                "GITHUB_REF": "refs/pull/3/merge",
                "GITHUB_HEAD_REF": "feature/login",
                "GITHUB_BASE_REF": "develop",
            },
            0,
        ),
        (
            {
                "GITHUB_ACTIONS": "true",
                "GITHUB_REF": "refs/pull/3/merge",
                "GITHUB_HEAD_REF": "feature/login",
                "GITHUB_BASE_REF": "main",
            },
            1,
        ),
        (
            {
                "GITLAB_CI": "true",
                "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "release/2.0.0",
                "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
            },
            0,
        ),
        (
            {
                "GITLAB_CI": "true",
                "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "bugfix/x",
                "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
            },
            1,
        ),
        (
            {
                "JENKINS_URL": "https://ci.example/",
                "BRANCH_NAME": "PR-4",
                "CHANGE_BRANCH": "hotfix/1.0.1",
                "CHANGE_TARGET": "develop",
            },
            0,
        ),
        (
            {
                "JENKINS_URL": "https://ci.example/",
                "BRANCH_NAME": "PR-4",
                "CHANGE_BRANCH": "feature/y",
                "CHANGE_TARGET": "release/1.0.0",
            },
            1,
        ),
    ],
)
def test_pull_and_merge_requests_in_ci(detached, gate, ci, variables, expected):
    ci(**variables)
    outcome = gate(
        "run",
        "--stage",
        "ci",
        "--only",
        "merge-target",
        "--only",
        "branch-name",
        "--format",
        "json",
    )
    assert outcome.code == expected, outcome.out
    statuses = {r["gate"]: r["status"] for r in json.loads(outcome.out)["results"]}
    assert statuses["branch-name"] == "pass"
    assert statuses["merge-target"] == ("pass" if expected == 0 else "fail")


def test_a_push_build_in_ci_skips(detached, gate, ci):
    ci(GITLAB_CI="true", CI_COMMIT_BRANCH="feature/x")
    outcome = gate("check", "merge-target", "--format", "json")
    assert result_of(outcome)["status"] == "skip"


def test_detached_with_a_target_but_no_source_cannot_decide(detached, gate):
    outcome = gate("check", "merge-target", "--target", "develop")
    assert outcome.code == 3
    assert "--branch NAME" in outcome.out


def test_trunk_preset_end_to_end(repo, gate):
    repo.write(".gate.yaml", "extends: trunk\n")
    repo.commit("chore: start")
    repo.branch("feature/x")
    assert gate("check", "branch-name").code == 0
    assert gate("check", "merge-target", "--target", "main").code == 0
    assert gate("check", "merge-target", "--target", "develop").code == 1
    assert gate("check", "branch-name", "release/1.0.0").code == 1
    assert gate("check", "branch-name", "develop").code == 1
