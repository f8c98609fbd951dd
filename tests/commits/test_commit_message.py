"""Cleaning the commit-msg hook's file as git does, checked against git itself, and decoding."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gates.knowledge.commit_message import (
    SCISSORS,
    MessageDecodeError,
    auto_comment_char,
    clean,
    decode,
)

# --- clean -----------------------------------------------------------------------------------


def test_comment_lines_are_dropped():
    text = "feat: a\n# Please enter the commit message\n#\n# On branch main\n"
    assert clean(text) == "feat: a\n"


def test_other_comment_char():
    assert clean("feat: a\n\n#2 is kept\n; comment\n", ";") == "feat: a\n\n#2 is kept\n"


def test_comment_string_of_several_characters():
    assert clean("feat: a\n// note\n#kept\n", "//") == "feat: a\n#kept\n"


def test_no_comment_char_keeps_every_line():
    assert clean("feat: a\n\n# heading\n", None) == "feat: a\n\n# heading\n"


def test_scissors_drops_everything_below():
    text = f"feat: a\n\nbody\n# {SCISSORS}\n# Do not modify or remove the line above.\ndiff --git a/x b/x\n+feat: not me\n"
    assert clean(text) == "feat: a\n\nbody\n"


def test_scissors_with_another_comment_char():
    text = f"feat: a\n; {SCISSORS}\ndiff\n"
    assert clean(text, ";") == "feat: a\n"
    assert clean(text, "#") == f"feat: a\n; {SCISSORS}\ndiff\n"


def test_crlf_bom_trailing_whitespace_and_blank_runs():
    assert clean("\ufeff\r\n\r\nfeat: a  \r\n\r\n\r\n\r\nbody\t\r\n\r\n") == "feat: a\n\nbody\n"


def test_empty_after_cleaning():
    assert clean("# only a comment\n\n") == ""
    assert clean("") == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["#", ";", "auto", None]))
def test_clean_is_idempotent_for_a_fixed_char(text, comment_char):
    once = clean(text, comment_char)
    char = (
        auto_comment_char(text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff"))
        if comment_char == "auto"
        else comment_char
    )
    assert clean(once, char) == once


# --- auto comment char -----------------------------------------------------------------------


def test_auto_is_hash_when_the_message_has_no_hash():
    assert auto_comment_char("feat: a\n# Please enter\n") == "#"


def test_auto_skips_a_hash_at_line_start():
    text = "feat: a\n\n#123 is the issue\n; Please enter the commit message\n;\n"
    assert auto_comment_char(text) == ";"
    assert clean(text, "auto") == "feat: a\n\n#123 is the issue\n"


def test_auto_skips_every_used_candidate():
    text = "feat: a #1\n\n# x\n; y\n@ z\n! Please enter\n"
    assert auto_comment_char(text) == "!"


# --- against git itself ----------------------------------------------------------------------


def _git(
    path: Path, *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> bytes:
    result = subprocess.run(
        ["git", *args],
        cwd=path,
        capture_output=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


@pytest.mark.parametrize("comment_char", ["#", ";", "%"])
@pytest.mark.parametrize(
    "text",
    [
        "feat: a\n# c\n",
        "\n\n  feat: a  \n\n\n\nbody  \n# c\n\n",
        "feat: a\r\n\r\n%x\r\n;y\r\n#z\r\n",
        "feat: a\n\n\tindented\n \n  \nend\n",
    ],
)
def test_clean_matches_git_stripspace(repo, text, comment_char):
    expected = _git(
        repo.path,
        "-c",
        f"core.commentChar={comment_char}",
        "stripspace",
        "--strip-comments",
        stdin=text.encode(),
    )
    assert clean(text, comment_char) == expected.decode().replace("\r\n", "\n").replace("\r", "\n")


def _capture_editor(tmp_path: Path) -> tuple[Path, Path]:
    """An editor that keeps git's message and saves a copy of the file the hook would get."""
    capture = tmp_path / "captured.txt"
    editor = tmp_path / "editor.py"
    editor.write_text(f"import shutil, sys\nshutil.copyfile(sys.argv[1], {str(capture)!r})\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    return capture, editor


@pytest.mark.parametrize("comment_char", ["#", "auto", ";"])
@pytest.mark.parametrize("verbose", [False, True])
def test_clean_gives_the_message_git_stores(repo, tmp_path, comment_char, verbose):
    repo.commit("chore: init")
    repo.git("config", "core.commentChar", comment_char)
    repo.write("file.txt", "# a changed line\n; another\n")
    repo.git("add", "-A")
    capture, editor = _capture_editor(tmp_path)
    message = "feat: a\n\n#12 is the issue, ;-)\nbody"
    _git(
        repo.path,
        "commit",
        "-q",
        "-e",
        "-m",
        message,
        *(["-v"] if verbose else []),
        env={"GIT_EDITOR": f"{sys.executable} {editor}"},
    )
    stored = repo.git("log", "-1", "--format=%B")
    hook_file = capture.read_text()
    assert hook_file != stored + "\n"
    assert clean(hook_file, comment_char) == stored + "\n"
    if comment_char != "#":
        assert "#12 is the issue" in stored
    if verbose:
        assert "diff --git" in hook_file


# --- decode ----------------------------------------------------------------------------------


def test_decode_utf8_with_and_without_bom():
    assert decode("feat: añadir".encode()) == "feat: añadir"
    assert decode(b"\xef\xbb\xbffeat: a") == "feat: a"


def test_decode_per_commit_encoding():
    assert decode("feat: añadir".encode("latin-1"), "ISO-8859-1") == "feat: añadir"
    assert decode(b"feat: a", "UTF-8") == "feat: a"


def test_decode_not_utf8_without_commit_encoding_names_the_byte():
    with pytest.raises(MessageDecodeError) as caught:
        decode(b"feat: ok\n\nbody \xe9t\xe9\n")
    assert "line 3, column 6" in caught.value.message
    assert "0xe9" in caught.value.message
    assert "i18n.commitEncoding" in caught.value.hint


def test_decode_with_a_wrong_commit_encoding():
    with pytest.raises(MessageDecodeError) as caught:
        decode(b"feat: \x81\xff", "shift_jis")
    assert "neither UTF-8 nor shift_jis" in caught.value.message


def test_decode_with_an_unknown_commit_encoding():
    with pytest.raises(MessageDecodeError) as caught:
        decode(b"feat: \xe9", "klingon-8")
    assert "unknown encoding" in caught.value.message


def test_decode_utf16_is_reported():
    with pytest.raises(MessageDecodeError) as caught:
        decode("feat: a".encode("utf-16"))
    assert "UTF-16" in caught.value.message
