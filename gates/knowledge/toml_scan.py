"""Where a key's string value sits in a TOML document, as character offsets.

tomllib says what a document means but not where anything is, and a version
rewrite must change the characters of one value and nothing else. This scanner
walks the lines: table headers set the current table, `key = "value"` lines
name a key inside it, and lines that begin inside a multi-line string are
skipped. It finds only plain one-line strings (no escapes); anything else
(an inline table, an array of tables) yields None, and the caller refuses to
rewrite rather than guess. The caller checks every rewrite by parsing again.

Measured against tomlkit (benchmarks/version_files.py): tomlkit keeps the same
bytes for the rewrites gate makes, but adds tens of milliseconds of import to the
hook path, runs slower, and gives no line for the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

Span = tuple[int, int]

_BARE_KEY = r"[A-Za-z0-9_-]+"
_KEY_PART = re.compile(rf'\s*(?:"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|({_BARE_KEY}))\s*')
_HEADER = re.compile(r"\s*\[(?!\[)(?P<name>[^\]]+)\]\s*(?:#.*)?$")
_ARRAY_HEADER = re.compile(r"\s*\[\[")
_ASSIGN = re.compile(
    r"(?P<key>[^=#\n]+?)=\s*(?P<quote>\"(?!\"\")|'(?!''))(?P<value>[^\"'\\\n]*)(?P=quote)"
)


def key_parts(text: str) -> tuple[str, ...] | None:
    """A dotted TOML key (`tool.poetry`, `"project" . version`) as its parts; None if not one."""
    parts: list[str] = []
    position = 0
    while True:
        match = _KEY_PART.match(text, position)
        if match is None:
            return None
        parts.append(next(g for g in match.groups() if g is not None))
        position = match.end()
        if position == len(text):
            return tuple(parts)
        if text[position] != ".":
            return None
        position += 1


def string_value_span(text: str, wanted: tuple[str, ...]) -> Span | None:
    """Where the string value of the key `wanted` sits, inside its quotes; None unless it is
    a plain one-line string assigned under a `[table]` header (or at the top)."""
    table: tuple[str, ...] | None = ()
    for offset, line in logical_lines(text):
        header = _HEADER.match(line)
        if header:
            table = key_parts(header.group("name"))
            continue
        if _ARRAY_HEADER.match(line):
            table = None
            continue
        if table is None:
            continue
        assign = _ASSIGN.match(line)
        if assign and table + (key_parts(assign.group("key")) or ("",)) == wanted:
            return offset + assign.start("value"), offset + assign.end("value")
    return None


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line that does not start inside a multi-line string."""
    inside: str | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        if inside is None:
            yield offset, line
        inside = _open_string_at_end(line, inside)
        offset += len(line)


def _open_string_at_end(line: str, inside: str | None) -> str | None:
    """The multi-line string delimiter still open at the end of the line, if any."""
    position = 0
    while position < len(line):
        if inside is not None:
            end = _closing_delimiter(line, position, inside)
            if end == -1:
                return inside
            position, inside = end + 3, None
            continue
        char = line[position]
        if char == "#":
            return None
        if line.startswith(('"""', "'''"), position):
            inside = line[position : position + 3]
            position += 3
        elif char in "\"'":
            position = _one_line_string_end(line, position) + 1
        else:
            position += 1
    return inside


def _closing_delimiter(line: str, position: int, delimiter: str) -> int:
    """Where a multi-line string's closing delimiter starts on this line, or -1."""
    end = line.find(delimiter, position)
    while end != -1 and delimiter == '"""' and _escaped(line, end):
        end = line.find(delimiter, end + 1)
    return end


def _one_line_string_end(line: str, start: int) -> int:
    """The index of the quote that closes the one-line string opened at `start`."""
    quote = line[start]
    end = start + 1
    while end < len(line) and (line[end] != quote or (quote == '"' and _escaped(line, end))):
        end += 1
    return end


def _escaped(line: str, position: int) -> bool:
    backslashes = 0
    while position - backslashes - 1 >= 0 and line[position - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
