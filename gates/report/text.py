"""Making outside text safe to print: no terminal control, no escape sequences."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def clean(text: object, limit: int = 2000) -> str:
    """Text with escape sequences and control characters shown as visible escapes, cut to `limit`."""
    out = _ANSI.sub(lambda m: repr(m.group())[1:-1], str(text))
    out = _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        out,
    )
    if len(out) > limit:
        out = out[: limit - 1] + "…"
    return out


def one_line(text: object, limit: int = 300) -> str:
    return clean(str(text).replace("\r", " ").replace("\n", " ⏎ "), limit)
