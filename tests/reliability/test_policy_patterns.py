"""A policy regex with catastrophic backtracking, met by a crafted name or subject, cannot hang a
hook or a CI run and cannot pass: it ends with exit 3 and names the policy key to simplify.

Each run is a subprocess with a generous timeout, so a hang fails the test instead of blocking
the suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gates.errors import GateError
from gates.knowledge.patterns import PatternTimeout, compile_pattern
from tests.conftest import GitRepo
from tests.conftest import gate_process as gate

EVIL = "^(a|aa)+$"  # exponential on a run of a's that ends in something else
CRAFTED = "a" * 64 + "!"


def test_a_timeout_is_a_gate_error_naming_the_key() -> None:
    with pytest.raises(GateError) as raised:
        compile_pattern(EVIL, key="branches.slug").fullmatch(CRAFTED)
    assert isinstance(raised.value, PatternTimeout)
    assert raised.value.exit_code == 3
    assert "the policy pattern branches.slug took too long; simplify it" in raised.value.message


@pytest.mark.parametrize(
    ("policy", "args", "key"),
    [
        (
            f"branches:\n  slug: '{EVIL}'\n",
            ("check", "branch-name", f"feature/{CRAFTED}"),
            "branches.slug",
        ),
        (f"branches:\n  extra: ['{EVIL}']\n", ("check", "branch-name", CRAFTED), "branches.extra"),
        (
            f"branches:\n  slug: '{EVIL}'\n",
            ("check", "merge-target", "--branch", f"feature/{CRAFTED}", "--target", "develop"),
            "branches.slug",
        ),
        (f"branches:\n  slug: '{EVIL}'\n", ("run", "--stage", "pre-commit"), "branches.slug"),
    ],
    ids=["slug", "extra", "merge-target", "pre-commit-hook-stage"],
)
def test_a_catastrophic_branch_pattern_is_refused_not_passed(
    repo: GitRepo, policy: str, args: tuple[str, ...], key: str
) -> None:
    repo.commit("feat: first")
    repo.git("checkout", "-q", "-b", f"feature/{CRAFTED}")
    repo.write(".gate.yaml", "extends: gitflow\n" + policy)
    result = gate(repo.path, *args)
    output = result.stdout + result.stderr
    assert result.returncode == 3, output
    assert f"the policy pattern {key} took too long; simplify it" in output
    assert "Traceback" not in output


def test_a_catastrophic_release_commit_pattern_in_the_commit_msg_hook(
    repo: GitRepo, tmp_path: Path
) -> None:
    repo.write(".gate.yaml", f"extends: gitflow\ncommits:\n  release_commit: '{EVIL}'\n")
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text(CRAFTED + "\n")
    for args in (("check", "commit-msg", str(message)), ("hook", "commit-msg", str(message))):
        result = gate(repo.path, *args)
        output = result.stdout + result.stderr
        assert result.returncode == 3, output
        assert "the policy pattern commits.release_commit took too long" in output


def test_a_catastrophic_release_commit_pattern_in_ci(repo: GitRepo) -> None:
    repo.write(".gate.yaml", f"extends: gitflow\ncommits:\n  release_commit: '{EVIL}'\n")
    repo.commit("feat: first")
    repo.branch("develop")
    repo.branch("feature/x")
    repo.commit(CRAFTED)
    result = gate(repo.path, "check", "commits", "--base", "develop")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "commits.release_commit took too long" in result.stdout + result.stderr
    result = gate(repo.path, "changelog")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "commits.release_commit took too long" in result.stderr


def test_an_ordinary_pattern_still_decides(repo: GitRepo) -> None:
    """The limit is no excuse to refuse: the preset's patterns answer at once."""
    repo.commit("feat: first")
    assert gate(repo.path, "check", "branch-name", "feature/add-login").returncode == 0
    assert gate(repo.path, "check", "branch-name", "feature/Add Login").returncode == 1
