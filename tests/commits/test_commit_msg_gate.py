"""`gate check commit-msg FILE|-`, `--title`, and `gate hook commit-msg FILE`, through the CLI and
through a real `git commit` running the hook."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from gates.knowledge.commit_message import SCISSORS


def _message(repo, text: str | bytes, name: str = "COMMIT_EDITMSG") -> str:
    path = repo.path / ".git" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


def test_valid_message_passes(repo, gate):
    outcome = gate(
        "check", "commit-msg", _message(repo, "feat(api): add search\n\n# Please enter\n")
    )
    assert outcome.code == 0, outcome.out
    assert "commit-msg pass" in outcome.out
    assert "feat(api) commit" in outcome.out


def test_invalid_message_points_at_the_column_and_suggests(repo, gate):
    path = _message(repo, "feature (api): add search\n")
    outcome = gate("check", "commit-msg", path)
    assert outcome.code == 1
    assert "[commit-msg.separator] no space between the type and its scope" in outcome.out
    assert f"{path}:1:8" in outcome.out
    assert "hint: feature (api): add search" in outcome.out
    assert "hint:        ^" in outcome.out
    assert "write the header as `feat(api): add search`" in outcome.out
    assert "see `gate explain commit-msg.separator`" in outcome.out


def test_type_suggestion(repo, gate):
    outcome = gate("check", "commit-msg", _message(repo, "Fix: reject empty passwords\n"))
    assert outcome.code == 1
    assert "[commit-msg.type-allowed] type 'Fix' is spelt 'fix' in this policy" in outcome.out
    assert "did you mean `fix: reject empty passwords`?" in outcome.out


def test_json_report_has_rule_line_and_column(repo, gate):
    path = _message(repo, "fix: a\nno blank line\n")
    outcome = gate("check", "commit-msg", path, "--format", "json")
    assert outcome.code == 1
    report = json.loads(outcome.out)
    (result,) = report["results"]
    (finding,) = result["findings"]
    assert (finding["rule"], finding["path"], finding["line"], finding["column"]) == (
        "commit-msg.body-leading-blank",
        path,
        2,
        1,
    )
    assert report["repository"] == {"commit": None, "branch": None, "base": None}


def test_body_line_warning_does_not_block(repo, gate):
    outcome = gate("check", "commit-msg", _message(repo, "fix: a\n\n" + "word " * 30 + "\n"))
    assert outcome.code == 0
    assert "warning [commit-msg.body-line-length]" in outcome.out


def test_stdin(repo, gate, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"docs: fix typo\r\n")))
    assert gate("check", "commit-msg", "-").code == 0
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Docs fix typo\n")))
    outcome = gate("check", "commit-msg", "-")
    assert outcome.code == 1
    assert "(column 5)" in outcome.out


def test_title(repo, gate):
    assert gate("check", "commit-msg", "--title", "feat(ui): dark mode (#12)").code == 0
    assert gate("check", "commit-msg", "--title", "Draft: feat(ui): dark mode").code == 0
    outcome = gate("check", "commit-msg", "--title", "Dark mode")
    assert outcome.code == 1
    assert "title: the type is one word" in outcome.out


def test_file_and_title_together(repo, gate):
    outcome = gate("check", "commit-msg", _message(repo, "feat: a\n"), "--title", "nope")
    assert outcome.code == 1
    assert "message: feat commit; title: not a Conventional Commit" in outcome.out


def test_nothing_to_check_is_an_error(repo, gate):
    outcome = gate("check", "commit-msg")
    assert outcome.code == 3
    assert "no message to check" in outcome.out


def test_missing_file_is_an_error(repo, gate):
    outcome = gate("check", "commit-msg", "no-such-file")
    assert outcome.code == 3
    assert "cannot read the message file no-such-file" in outcome.out


def test_empty_message_fails(repo, gate):
    outcome = gate("check", "commit-msg", _message(repo, "\n# only comments\n"))
    assert outcome.code == 1
    assert "[commit-msg.empty]" in outcome.out


def test_core_comment_char(repo, gate):
    repo.git("config", "core.commentChar", ";")
    path = _message(repo, "feat: a\n\n#1 is kept\n; Please enter the commit message\n")
    assert gate("check", "commit-msg", path).code == 0
    repo.git("config", "core.commentChar", "auto")
    assert gate("check", "commit-msg", path).code == 0


def test_scissors(repo, gate):
    path = _message(repo, f"fix: a\n# {SCISSORS}\ndiff --git a/x b/x\n+not: part of the message\n")
    assert gate("check", "commit-msg", path).code == 0


def test_non_utf8_message_with_and_without_commit_encoding(repo, gate):
    path = _message(repo, "feat: añadir búsqueda\n".encode("latin-1"))
    outcome = gate("check", "commit-msg", path)
    assert outcome.code == 1
    assert (
        "[commit-msg.encoding] the message is not UTF-8 (line 1, column 8: byte 0xf1)"
        in outcome.out
    )
    assert "git config i18n.commitEncoding" in outcome.out
    repo.git("config", "i18n.commitEncoding", "ISO-8859-1")
    assert gate("check", "commit-msg", path).code == 0


def test_fixup_passes_locally_and_fails_in_ci(repo, gate, monkeypatch):
    path = _message(repo, "fixup! feat: a\n")
    assert gate("check", "commit-msg", path).code == 0
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    outcome = gate("check", "commit-msg", path)
    assert outcome.code == 1
    assert "[commit-msg.fixup]" in outcome.out
    repo.write(".gate.yaml", "extends: gitflow\ncommits:\n  fixup_in_ci: true\n")
    assert gate("check", "commit-msg", path).code == 0


def test_policy_from_gate_yaml(repo, gate):
    repo.write(
        ".gate.yaml",
        "extends: gitflow\ncommits:\n  types: [feat, fix]\n  scopes: [api]\n  scope_required: true\n",
    )
    assert gate("check", "commit-msg", _message(repo, "feat(api): a\n")).code == 0
    outcome = gate("check", "commit-msg", _message(repo, "docs: a\n"))
    assert outcome.code == 1
    assert "[commit-msg.type-allowed]" in outcome.out
    assert "[commit-msg.scope-required]" in outcome.out


def test_merge_revert_and_release_commits_are_exempt(repo, gate):
    for text in (
        "Merge branch 'feature/x' into develop\n",
        'Revert "feat: a"\n\nThis reverts commit abc.\n',
        "chore(release): 1.0.0\n",
    ):
        outcome = gate("check", "commit-msg", _message(repo, text))
        assert outcome.code == 0, text
        assert "not checked" in outcome.out


def test_hook_is_silent_when_the_message_passes(repo, gate):
    outcome = gate("hook", "commit-msg", _message(repo, "feat: a\n"))
    assert (outcome.code, outcome.out) == (0, "")


def test_hook_fails_with_the_finding(repo, gate):
    outcome = gate("hook", "commit-msg", _message(repo, "add things\n"))
    assert outcome.code == 1
    assert "[commit-msg.separator]" in outcome.out


def test_explain(gate):
    outcome = gate("explain", "commit-msg")
    assert outcome.code == 0
    assert "commit-msg.type-allowed" in outcome.out
    assert "commit-msg.encoding" in outcome.out
    outcome = gate("explain", "commit-msg.footer-breaking-change")
    assert "BREAKING CHANGE: the old keys are gone" in outcome.out


# --- a real `git commit` running the hook -----------------------------------------------------


@pytest.fixture
def hooked(repo):
    hook = repo.path / ".git" / "hooks" / "commit-msg"
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gates hook commit-msg "$1"\n')
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    repo.commit("chore: init")
    return repo


def _commit(
    repo, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    repo.write("change.txt", os.urandom(4).hex())
    repo.git("add", "-A")
    return subprocess.run(
        ["git", "commit", "-q", *args],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_git_commit_runs_the_hook(hooked):
    refused = _commit(hooked, "-m", "Added a thing")
    assert refused.returncode != 0
    assert "[commit-msg.separator]" in refused.stdout + refused.stderr
    assert hooked.git("log", "--format=%s") == "chore: init"
    accepted = _commit(hooked, "-m", "feat: add a thing")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert hooked.git("log", "-1", "--format=%s") == "feat: add a thing"


def test_git_commit_verbose_with_editor(hooked, tmp_path):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\nfrom pathlib import Path\n"
        "p = Path(sys.argv[1])\np.write_text('fix: typed in the editor\\n' + p.read_text())\n"
    )
    hooked.write("notes.txt", "Not a header: the diff below the scissors is not the message\n")
    done = _commit(hooked, "-v", env={"GIT_EDITOR": f"{sys.executable} {editor}"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert hooked.git("log", "-1", "--format=%B") == "fix: typed in the editor"


def test_hook_does_not_need_a_repository(tmp_path, monkeypatch, gate):
    monkeypatch.chdir(tmp_path)
    message = tmp_path / "msg"
    message.write_text("feat: a\n")
    assert gate("check", "commit-msg", str(message)).code == 0
    assert Path(message).exists()
