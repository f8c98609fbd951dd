"""Repository path globs, as policies write them.

`*` and `?` stay inside one path segment, `**` crosses segments, and `**/`
also matches no folder at all (`**/test_*.py` matches `test_a.py` at the top).
A pattern matches the whole path: `*.md` is a file at the top level only;
write `**/*.md` for any depth. Python 3.11's fnmatch lets `*` cross `/`,
which would make `src/*.py` match `src/a/b/c.py`, hence this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache


def _translate(pattern: str) -> str:
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
                i += 1
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_translate(p.lstrip('/'))})" for p in patterns))


def matcher(patterns: Iterable[str]) -> Callable[[str], bool]:
    """A predicate: does a repository path (posix, relative) match any of the globs?"""
    compiled = _compiled(tuple(patterns))
    if compiled is None:
        return lambda _path: False
    fullmatch = compiled.fullmatch
    return lambda path: fullmatch(path) is not None


def matches(path: str, patterns: Iterable[str]) -> bool:
    return matcher(patterns)(path)
