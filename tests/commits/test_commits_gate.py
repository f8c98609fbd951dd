"""`gate check commits`: every commit of base..head in real repositories, and the request title
in CI (GitHub's event file, GitLab's variables) on a detached HEAD."""

from __future__ import annotations

import json

import pytest

from gates.policy import load_preset


@pytest.fixture
def feature(repo):
    """main ← develop ← feature/login, with one commit on each long-lived branch."""
    repo.commit("chore: init")
    repo.branch("develop")
    repo.commit("feat: base work")
    repo.branch("feature/login")
    return repo


def _json(outcome) -> dict:
    report = json.loads(outcome.out)
    (result,) = report["results"]
    return result


def test_good_commits_pass(feature, gate):
    feature.commit("feat(auth): add login form")
    feature.commit("test(auth): cover the login form\n\nWith a body.\n\nRefs: #12")
    outcome = gate("check", "commits")
    assert outcome.code == 0, outcome.out
    assert "2 commits checked" in outcome.out


def test_one_finding_per_bad_commit_with_sha_subject_and_reword_hint(feature, gate):
    bad_one = feature.commit("Added the login form")
    feature.commit("feat(auth): add a logout button")
    bad_two = feature.commit("feature: remember me")
    outcome = gate("check", "commits", "--format", "json")
    assert outcome.code == 1
    result = _json(outcome)
    assert result["status"] == "fail"
    assert result["summary"] == "3 commits checked; 2 not a Conventional Commit the policy allows"
    first, second = result["findings"]
    assert first["commit"] == bad_one
    assert first["rule"] == "commits.separator"
    assert first["message"].startswith(f"{bad_one[:8]} 'Added the login form': ")
    base = feature.git("rev-parse", "develop")[:8]
    assert f"reword it: git rebase -i {base}, mark {bad_one[:8]} as `reword`" in first["hint"]
    assert "see `gate explain commits.separator`" in first["hint"]
    assert second["commit"] == bad_two
    assert second["rule"] == "commits.type-allowed"
    assert "did you mean `feat: remember me`?" in second["hint"]
    assert "reword it: git commit --amend" in second["hint"]


def test_several_problems_in_one_commit_make_one_finding(feature, gate):
    feature.commit("feature: " + "x" * 80)
    result = _json(gate("check", "commits", "--format", "json"))
    (finding,) = result["findings"]
    assert finding["message"].endswith("(and 1 more)")


def test_merges_reverts_and_release_commits_are_exempt(feature, gate):
    feature.commit("feat(auth): add login form")
    feature.checkout("develop")
    feature.commit("fix: develop moved on")
    feature.checkout("feature/login")
    feature.merge("develop", "Sync with develop")
    feature.commit("feat(auth): remember me")
    feature.git("revert", "--no-edit", "HEAD")
    feature.commit("chore(release): 1.0.0")
    result = _json(gate("check", "commits", "--format", "json", "--base", "develop~1"))
    assert result["status"] == "pass", result
    assert "(1 merge, 1 release, 1 revert exempt)" in result["summary"]


def test_fixup_passes_locally_fails_in_ci_unless_allowed(feature, gate, monkeypatch):
    feature.commit("feat(auth): add login form")
    fixup = feature.commit("fixup! feat(auth): add login form")
    local = gate("check", "commits")
    assert local.code == 0
    assert "1 autosquash exempt" in local.out
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_HEAD_REF", "feature/login")
    monkeypatch.setenv("GITHUB_BASE_REF", "develop")
    in_ci = _json(gate("check", "commits", "--format", "json"))
    (finding,) = [f for f in in_ci["findings"] if f["severity"] == "error"]
    assert (finding["rule"], finding["commit"]) == ("commits.fixup", fixup)
    assert "git rebase -i --autosquash" in finding["hint"]
    feature.write(".gate.yaml", "extends: gitflow\ncommits:\n  fixup_in_ci: true\n")
    # in CI the target's policy judges; the pipeline may name a policy file of its own
    assert gate("check", "commits").code == 1
    assert gate("check", "commits", "--policy", ".gate.yaml").code == 0


def test_explicit_base(feature, gate):
    feature.commit("Added a thing")
    feature.commit("feat: add another thing")
    assert gate("check", "commits").code == 1
    outcome = gate("check", "commits", "--base", "HEAD~1")
    assert outcome.code == 0
    assert "1 commit checked" in outcome.out


def test_empty_range(feature, gate):
    outcome = gate("check", "commits", "--base", "HEAD")
    assert outcome.code == 0
    assert "no commits after" in outcome.out


def test_no_base_skips_with_a_note(repo, gate):
    repo.commit("Initial commit")
    outcome = gate("check", "commits")
    assert outcome.code == 0
    assert "commits skip" in outcome.out
    assert "[commits.range]" in outcome.out
    assert "pass --base REF" in outcome.out


def test_no_commits_skips(repo, gate):
    outcome = gate("check", "commits")
    assert outcome.code == 0
    assert "no commits yet" in outcome.out


def test_unknown_base_is_an_error(feature, gate):
    outcome = gate("check", "commits", "--base", "no-such-ref")
    assert outcome.code == 3
    assert "unknown revision 'no-such-ref'" in outcome.out


# --- CI: detached HEAD, the request title -----------------------------------------------------


def _github_pull_request(monkeypatch, tmp_path, title: str | None) -> None:
    event = tmp_path / "event.json"
    payload = {"action": "opened", "number": 7, "pull_request": {"number": 7}}
    if title is not None:
        payload["pull_request"]["title"] = title
    event.write_text(json.dumps(payload))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_HEAD_REF", "feature/login")
    monkeypatch.setenv("GITHUB_BASE_REF", "develop")
    monkeypatch.setenv("GITHUB_REF", "refs/pull/7/merge")


def test_github_pull_request_title_on_a_detached_head(feature, gate, monkeypatch, tmp_path):
    feature.commit("feat(auth): add login form")
    feature.checkout(feature.head)  # CI checkouts are detached
    _github_pull_request(monkeypatch, tmp_path, "Login form")
    result = _json(gate("check", "commits", "--format", "json"))
    assert result["status"] == "fail"
    (finding,) = result["findings"]
    assert finding["rule"] == "commits.title"
    assert finding["message"].startswith("request title 'Login form': ")
    assert "a squash merge makes it the commit header" in finding["hint"]
    assert "1 commit checked" in result["summary"]


def test_github_good_title_passes(feature, gate, monkeypatch, tmp_path):
    feature.commit("feat(auth): add login form")
    feature.checkout(feature.head)
    _github_pull_request(monkeypatch, tmp_path, "feat(auth): login form (#7)")
    assert gate("check", "commits").code == 0


def test_github_title_missing_from_the_event_is_a_note(feature, gate, monkeypatch, tmp_path):
    feature.commit("feat(auth): add login form")
    feature.checkout(feature.head)
    _github_pull_request(monkeypatch, tmp_path, None)
    result = _json(gate("check", "commits", "--format", "json"))
    assert result["status"] == "pass"
    (note,) = result["findings"]
    assert (note["rule"], note["severity"]) == ("commits.title", "note")


def test_title_check_can_be_turned_off(feature, gate, monkeypatch, tmp_path):
    feature.commit("feat(auth): add login form")
    _github_pull_request(monkeypatch, tmp_path, "Login form")
    feature.write(".gate.yaml", "extends: gitflow\ncommits:\n  check_pr_title: false\n")
    assert gate("check", "commits", "--policy", ".gate.yaml").code == 0


def test_gitlab_merge_request_title(feature, gate, monkeypatch):
    feature.commit("fix(auth): reject empty passwords")
    feature.checkout(feature.head)
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/login")
    monkeypatch.setenv("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "develop")
    monkeypatch.setenv("CI_MERGE_REQUEST_TITLE", "Draft: fix(auth): reject empty passwords")
    assert gate("check", "commits").code == 0
    monkeypatch.setenv("CI_MERGE_REQUEST_TITLE", 'Resolve "Empty passwords"')
    outcome = gate("check", "commits")
    assert outcome.code == 1
    assert "[commits.title] request title 'Resolve \"Empty passwords\"'" in outcome.out


def test_title_is_checked_even_without_a_range(repo, gate, monkeypatch):
    repo.commit("Initial commit")
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_MERGE_REQUEST_TITLE", "Some title")
    outcome = gate("check", "commits")
    assert outcome.code == 1
    assert "[commits.title]" in outcome.out


def test_explain(gate):
    outcome = gate("explain", "commits")
    assert "commits.title" in outcome.out
    assert "commits.range" in outcome.out
    assert gate("explain", "commits.fixup").code == 0


def test_stages_of_the_default_policy():
    policy = load_preset("gitflow")
    assert policy.stage("commit-msg") == ["commit-msg"]
    assert "commits" in policy.stage("pre-push")
    assert "commits" in policy.stage("ci")
