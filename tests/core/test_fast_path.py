"""The argument lists git hooks pass are read without argparse: exactly as argparse reads them."""

from __future__ import annotations

import pytest

from gates.cli import build_parser
from gates.commands import check, hook


def _parsed(argv: list[str]) -> dict[str, object]:
    """What argparse makes of `gate ARGV`, with the gate's own arguments for `gate check`."""
    args = build_parser(argv[0]).parse_args(argv)
    if argv[0] == "check":
        return {"gate": argv[1], **vars(check.gate_parser(argv[1]).parse_args(argv[2:]))}
    return vars(args)


@pytest.mark.parametrize(
    "argv",
    [
        ["commit-msg", ".git/COMMIT_EDITMSG"],
        ["pre-commit"],
        ["pre-commit", "--gate", "branch-name"],
        ["pre-commit", "--gate", "branch-name", "--gate", "version"],
        ["pre-push", "origin", "git@example.com:shop.git"],
        ["pre-push", "origin", "url", "--gate", "commits"],
        ["commit-msg", "MSG", "--gate", "commit-msg"],
    ],
)
def test_hook_arguments_read_as_argparse_does(argv):
    fast = hook.parse_fast(argv)
    assert fast is not None
    assert vars(fast) == _parsed(["hook", *argv])


def test_check_commit_msg_reads_as_argparse_does():
    fast = check.parse_fast(["commit-msg", "message.txt"])
    assert fast is not None
    assert fast.func is check.run
    assert {"gate": fast.gate, **vars(fast.gate_args)} == _parsed(
        ["check", "commit-msg", "message.txt"]
    )


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["commit-msg", "-"],
        ["commit-msg", "--help"],
        ["commit-msg", "MSG", "--verbose"],
        ["pre-commit", "--gate"],
        ["pre-commit", "--gate", "--verbose"],
        ["pre-commit", "--gate", "branch-name", "extra"],
        ["pre-commit", "-q"],
        ["post-merge"],
        ["branch-name", "feature/x"],
    ],
)
def test_any_other_hook_argument_list_goes_to_argparse(argv):
    assert hook.parse_fast(argv) is None


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["commit-msg"],
        ["commit-msg", "-"],
        ["commit-msg", "--title", "feat: x"],
        ["commit-msg", "MSG", "--verbose"],
        ["commit-msg", "MSG", "extra"],
        ["branch-name", "feature/x"],
    ],
)
def test_any_other_check_argument_list_goes_to_argparse(argv):
    assert check.parse_fast(argv) is None


def test_the_fast_path_runs_the_gate(repo, gate):
    repo.commit("chore: start")
    (repo.path / "msg").write_text("Added search\n")
    for command in ("hook", "check"):
        result = gate(command, "commit-msg", "msg")
        assert result.code == 1, result.err
        assert "commit-msg" in result.out + result.err


def test_debug_before_the_command_is_taken_on_the_hook_path(repo, gate):
    repo.commit("chore: start")
    (repo.path / "msg").write_text("feat: add search\n")
    assert gate("--debug", "check", "commit-msg", "msg").code == 0
