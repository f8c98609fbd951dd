"""A commit message as the commit-msg hook receives it, cleaned the way git will clean it.

git runs the commit-msg hook on the raw file it gave the editor, before its own
cleanup: the file still holds the template's comment lines and, with
`git commit -v`, the diff below the scissors line. These functions turn that
file into the message git will store (`git commit --cleanup=strip`). Pure: bytes
and settings in, text out.
"""

from __future__ import annotations

import codecs

# `core.commentChar=auto`: git picks the first of these that no line of the message starts with.
AUTO_COMMENT_CANDIDATES = "#;@!$%^&|:"
SCISSORS = "------------------------ >8 ------------------------"
_UTF8_NAMES = {"utf-8", "utf8", "utf_8"}


class MessageDecodeError(ValueError):
    """The bytes are not text in the expected encoding; `hint` says how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def decode(data: bytes, commit_encoding: str | None = None) -> str:
    """UTF-8 (with or without a BOM); else the encoding of `i18n.commitEncoding`; else an error
    that says where the first bad byte is."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise MessageDecodeError(
            "the message file is UTF-16, which git cannot store as a commit message",
            "save the message as UTF-8 (set your editor's encoding to UTF-8)",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        if commit_encoding and commit_encoding.strip().lower() not in _UTF8_NAMES:
            try:
                return data.decode(commit_encoding.strip())
            except LookupError:
                raise MessageDecodeError(
                    f"i18n.commitEncoding names an unknown encoding: {commit_encoding!r}",
                    "set it to an encoding Python knows (ISO-8859-1, cp1252…), or unset it",
                ) from None
            except UnicodeDecodeError as error:
                where = _position(data, error.start)
                raise MessageDecodeError(
                    f"the message is neither UTF-8 nor {commit_encoding} ({where})",
                    "save the message in the encoding of i18n.commitEncoding, or as UTF-8",
                ) from None
        where = _position(data, utf8_error.start)
        raise MessageDecodeError(
            f"the message is not UTF-8 ({where}: byte 0x{data[utf8_error.start]:02x})",
            "save it as UTF-8, or tell git its encoding: git config i18n.commitEncoding ISO-8859-1",
        ) from None


def _position(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def auto_comment_char(text: str) -> str:
    """The comment character git chose for `core.commentChar=auto`, found from the file itself.

    git picks `#` unless the message contains one, else the first candidate no line starts with,
    and appends its comments (`c` alone or `c text`, then the scissors line with -v) after the
    message. So: the character of a scissors line; else that of the last line, if git could
    have picked it; else the first candidate git could have picked.
    """
    lines = text.split("\n")
    for candidate in AUTO_COMMENT_CANDIDATES:
        if f"{candidate} {SCISSORS}" in lines:
            return candidate
    consistent = [
        candidate
        for candidate in AUTO_COMMENT_CANDIDATES
        if _git_would_pick([line for line in lines if not line.startswith(candidate)]) == candidate
    ]
    last = next((line for line in reversed(lines) if line.strip()), "")
    if last[:1] in consistent:
        return last[:1]
    return consistent[0] if consistent else "#"


def _git_would_pick(lines: list[str]) -> str | None:
    if not any("#" in line for line in lines):
        return "#"
    starts = {line[:1] for line in lines}
    return next((c for c in AUTO_COMMENT_CANDIDATES if c not in starts), None)


def clean(text: str, comment_char: str | None = "#") -> str:
    """The message git stores from this hook file: scissors and everything below it dropped,
    comment lines dropped (`comment_char` may be `auto`, or None to keep them), CRLF and a BOM
    tolerated, trailing whitespace stripped, runs of blank lines squeezed, edges trimmed."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if comment_char == "auto":
        comment_char = auto_comment_char(text)
    lines = text.split("\n")
    if comment_char:
        cut = f"{comment_char} {SCISSORS}"
        lines = lines[: next((i for i, line in enumerate(lines) if line == cut), len(lines))]
        lines = [line for line in lines if not line.startswith(comment_char)]
    kept: list[str] = []
    for line in (line.rstrip() for line in lines):
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""
