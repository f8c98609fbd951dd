"""Where a top-level key's string value sits in a JSON document, as character offsets.

json.loads says what package.json means but not where anything is; a version
rewrite must change the characters of the top-level `"version"` and never the
same key inside `"dependencies"`. This scanner walks the document once,
counting depth and reading strings with the json module's own `scanstring`.
"""

from __future__ import annotations

from json import JSONDecodeError
from json.decoder import scanstring

Span = tuple[int, int]

_SPACE = " \t\r\n"


def top_level_string_span(text: str, wanted: str) -> Span | None:
    """The inside of the quotes of the string value of the top-level key `wanted`;
    None when absent, not a string, written with escapes, or the text is not JSON."""
    try:
        return _scan(text, wanted)
    except JSONDecodeError:
        return None


def _scan(text: str, wanted: str) -> Span | None:
    depth = 0
    expect_key = False
    position = 0
    while position < len(text):
        char = text[position]
        if char == '"':
            value, end = scanstring(text, position + 1)
            if depth == 1 and expect_key:
                start = _value_start(text, end) if value == wanted else None
                if start is not None and text.startswith('"', start):
                    return _plain_string(text, start)
                expect_key = False
            position = end
            continue
        if char in "{[":
            depth += 1
            expect_key = char == "{" and depth == 1
        elif char in "}]":
            depth -= 1
        elif char == "," and depth == 1:
            expect_key = True
        position += 1
    return None


def _value_start(text: str, after_key: int) -> int | None:
    """Where the value of a key begins, past the colon; None when no colon follows the key."""
    colon = _skip_space(text, after_key)
    if colon >= len(text) or text[colon] != ":":
        return None
    return _skip_space(text, colon + 1)


def _plain_string(text: str, start: int) -> Span | None:
    """The inside of the string that opens at `start`; None when it is written with escapes."""
    inner, close = scanstring(text, start + 1)
    raw = text[start + 1 : close - 1]
    return (start + 1, close - 1) if raw == inner else None


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in _SPACE:
        position += 1
    return position
