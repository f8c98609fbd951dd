"""`gate hook NAME`: silent on pass, the pushed refs from stdin or from pre-commit's variables."""

import io
import sys

from gates.knowledge.pushed_refs import ZERO_SHA

BRANCH_POLICY = (
    "stages:\n  pre-commit: [branch-name]\n  commit-msg: []\n  pre-push: [branch-name]\n"
)


def _push_line(branch: str, sha: str) -> str:
    return f"refs/heads/{branch} {sha} refs/heads/{branch} {ZERO_SHA}\n"


def test_passing_hook_prints_nothing_and_verbose_shows_the_gate(repo, gate):
    repo.write(".gate.yaml", BRANCH_POLICY)
    repo.commit("chore: start")
    repo.branch("feature/quiet")
    result = gate("hook", "pre-commit")
    assert (result.code, result.out) == (0, "")
    assert gate("hook", "pre-commit", "--quiet").out == ""
    verbose = gate("hook", "pre-commit", "--verbose")
    assert verbose.code == 0
    assert "branch-name" in verbose.out


def test_failing_hook_says_what_and_how_to_fix(repo, gate):
    repo.write(".gate.yaml", BRANCH_POLICY)
    repo.commit("chore: start")
    repo.branch("my-stuff")
    result = gate("hook", "pre-commit")
    assert result.code == 1
    assert "my-stuff" in result.out
    assert "hint" in result.out


def test_gate_option_runs_that_gate_instead_of_the_stage(repo, gate):
    repo.write(".gate.yaml", "stages:\n  pre-commit: []\n")
    repo.commit("chore: start")
    repo.branch("my-stuff")
    assert gate("hook", "pre-commit").code == 0
    assert gate("hook", "pre-commit", "--gate", "branch-name").code == 1
    unknown = gate("hook", "pre-commit", "--gate", "no-such-gate")
    assert unknown.code == 2


def test_commit_msg_without_file_is_a_usage_error(repo, gate):
    result = gate("hook", "commit-msg")
    assert result.code == 2
    assert "message file" in result.err


def test_pre_push_checks_the_branches_git_lists_on_stdin(repo, gate, monkeypatch):
    repo.write(".gate.yaml", BRANCH_POLICY)
    sha = repo.commit("chore: start")
    repo.branch("feature/current")
    monkeypatch.setattr(sys, "stdin", io.StringIO(_push_line("badly-named", sha)))
    result = gate("hook", "pre-push", "origin", "/tmp/remote.git")
    assert result.code == 1
    assert "badly-named" in result.out
    monkeypatch.setattr(
        sys, "stdin", io.StringIO(_push_line("feature/ok", sha) + _push_line("release/1.0.0", sha))
    )
    assert gate("hook", "pre-push", "origin", "/tmp/remote.git").code == 0


def test_pre_push_of_a_tag_or_a_deletion_checks_nothing(repo, gate, monkeypatch):
    repo.write(".gate.yaml", BRANCH_POLICY)
    sha = repo.commit("chore: start")
    repo.branch("badly-named")
    lines = f"refs/tags/v1.0.0 {sha} refs/tags/v1.0.0 {ZERO_SHA}\n(delete) {ZERO_SHA} refs/heads/x {sha}\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    result = gate("hook", "pre-push", "origin", "url")
    assert (result.code, result.out) == (0, "")


def test_pre_push_with_no_refs_on_stdin_checks_the_checkout(repo, gate, monkeypatch):
    repo.write(".gate.yaml", BRANCH_POLICY)
    repo.commit("chore: start")
    repo.branch("badly-named")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert gate("hook", "pre-push").code == 1


def test_under_pre_commit_a_push_checks_the_pushed_branch(repo, gate, monkeypatch):
    repo.write(".gate.yaml", BRANCH_POLICY)
    sha = repo.commit("chore: start")
    repo.branch("feature/current")
    monkeypatch.setenv("PRE_COMMIT", "1")
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/badly-named")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", sha)
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", ZERO_SHA)
    # stdin belongs to pre-commit: a hook under it never reads it
    monkeypatch.setattr(sys, "stdin", io.StringIO(_push_line("feature/ok", sha)))
    for name in ("pre-push", "pre-commit"):
        result = gate("hook", name, "--gate", "branch-name")
        assert result.code == 1
        assert "badly-named" in result.out
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/feature/fine")
    assert gate("hook", "pre-commit", "--gate", "branch-name").code == 0


def test_under_pre_commit_without_push_variables_the_checkout_is_checked(repo, gate, monkeypatch):
    repo.write(".gate.yaml", BRANCH_POLICY)
    repo.commit("chore: start")
    repo.branch("feature/fine")
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert gate("hook", "pre-commit").code == 0
    repo.branch("badly-named")
    assert gate("hook", "pre-commit").code == 1


def test_a_pass_with_only_notes_stays_silent_but_warnings_would_show(repo, gate, monkeypatch):
    repo.write(".gate.yaml", "stages:\n  pre-commit: []\n  commit-msg: []\n  pre-push: [commits]\n")
    repo.commit("chore: start")
    repo.branch("feature/no-develop-yet")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    quiet = gate("hook", "pre-push")
    assert (quiet.code, quiet.out) == (0, "")
    verbose = gate("hook", "pre-push", "--verbose")
    assert "note" in verbose.out  # the reason the gate skipped is there for who asks
