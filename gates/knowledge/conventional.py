"""Conventional Commits 1.0.0: parse a commit message, render it back, read git trailers.

Pure: no I/O, no git. The parser follows https://www.conventionalcommits.org/en/v1.0.0/
item by item; the numbers in comments (§n) are the specification's items.

- Header `type(scope)!: description` (§1, §4, §5, §13). Types are case-insensitive
  (§15): `Fix:` parses; whether the team allows it is policy, not syntax.
- Body after one blank line (§6, §7).
- Footers after one blank line (§8-§10): `Token: value` or `Token #value`; a token uses
  `-` for spaces except `BREAKING CHANGE` (§9); a value runs, newlines included, until
  the next line that starts a footer (§10). The footer section starts at the first
  paragraph whose first line is a footer; everything before it is the body.
- `BREAKING CHANGE` / `BREAKING-CHANGE` must be uppercase and use `: ` (§12, §15, §16).
"""

from __future__ import annotations

import re
from typing import NamedTuple

BREAKING_TOKENS = ("BREAKING CHANGE", "BREAKING-CHANGE")

# §1: a type is a noun; letters first, then letters, digits, `_` or `-`.
_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# §8, §9: `Token: value` or `Token #value`; BREAKING CHANGE is the one token with a space.
_FOOTER = re.compile(r"(?P<token>BREAKING CHANGE|[A-Za-z][A-Za-z0-9-]*)(?P<sep>: | #)(?P<value>.+)")
# Anything that tries to be a breaking-change footer, whatever its case or separator.
_BREAKING_LIKE = re.compile(r"breaking[ -]change\s*[:#]", re.IGNORECASE)
_BREAKING_OK = r"BREAKING[ -]CHANGE: \S"  # compiled on first use, as _TRAILER
# git interpret-trailers: `Token: value` (git also allows spaces before the colon).
_TRAILER = r"(?P<token>[A-Za-z0-9][A-Za-z0-9-]*)\s*:\s?(?P<value>.*)"
_GIT_GENERATED_TRAILERS = ("Signed-off-by: ", "(cherry picked from commit ")

EXAMPLE_HEADER = "feat(parser): accept footers without a body"

# Words people write for a type, mapped to the type they mean.
TYPE_ALIASES = {
    "feature": "feat",
    "features": "feat",
    "add": "feat",
    "new": "feat",
    "bug": "fix",
    "bugfix": "fix",
    "hotfix": "fix",
    "fixes": "fix",
    "fixed": "fix",
    "doc": "docs",
    "documentation": "docs",
    "readme": "docs",
    "tests": "test",
    "testing": "test",
    "refactoring": "refactor",
    "performance": "perf",
    "chores": "chore",
    "deps": "build",
    "styles": "style",
    "format": "style",
    "formatting": "style",
    "reverts": "revert",
    "release": "chore",
}


class Footer(NamedTuple):
    """One footer: `token` as written, `value` without the separator.

    `separator` is `": "` or `" #"` (`Refs #133` has token `Refs`, value `133`).
    """

    token: str
    value: str
    separator: str = ": "

    @property
    def breaking(self) -> bool:
        return self.token in BREAKING_TOKENS

    def render(self) -> str:
        return f"{self.token}{self.separator}{self.value}"


class ConventionalCommit(NamedTuple):
    type: str
    scope: str | None
    bang: bool
    description: str
    body: str | None
    footers: tuple[Footer, ...] = ()

    @property
    def breaking(self) -> bool:
        """§11: `!` before the colon, or a BREAKING CHANGE / BREAKING-CHANGE footer."""
        return self.bang or any(f.breaking for f in self.footers)

    @property
    def breaking_description(self) -> str | None:
        """What breaks: the BREAKING CHANGE footer, else (§13) the description when `!` is used."""
        for footer in reversed(self.footers):
            if footer.breaking:
                return footer.value
        return self.description if self.bang else None

    @property
    def header(self) -> str:
        scope = f"({self.scope})" if self.scope is not None else ""
        return f"{self.type}{scope}{'!' if self.bang else ''}: {self.description}"

    def footer(self, token: str) -> str | None:
        """The last value of a footer; tokens compare case-insensitively (§15), `-` as a space."""
        wanted = token.replace(" ", "-").casefold()
        for footer in reversed(self.footers):
            if footer.token.replace(" ", "-").casefold() == wanted:
                return footer.value
        return None

    def render(self) -> str:
        """The message text; `parse(c.render()) == c` for every parsed commit."""
        parts = [self.header]
        if self.body:
            parts.append(self.body)
        if self.footers:
            parts.append("\n".join(f.render() for f in self.footers))
        return "\n\n".join(parts) + "\n"


class ParseError(ValueError):
    """Why a message is not a Conventional Commit, and where: 1-based `line` and `column`.

    `rule` is a short id (`type`, `scope`, `separator`, `description`, `body-leading-blank`,
    `footer-breaking-change`, `empty`) that gates prefix with their own id.
    """

    def __init__(self, message: str, column: int, rule: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.rule = rule
        self.line = line

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


def _lines(message: str) -> list[str]:
    text = message.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


_EMPTY_DESCRIPTION = "the description is empty: say what the change does after ': '"


def parse_header(header: str, line: int = 1) -> tuple[str, str | None, bool, str]:
    """`type(scope)!: description` → (type, scope, bang, description), or ParseError."""
    header = header.rstrip()
    if not header:
        raise ParseError("the header (first line) is empty", 1, "empty", line)
    match = _TYPE.match(header)
    if match is None:
        raise ParseError(_missing_type(header[0]), 1, "type", line)
    kind = match.group()
    pos = match.end()
    scope: str | None = None
    if pos < len(header) and header[pos] == "(":
        scope, pos = _parse_scope(header, pos, line)
    bang = pos < len(header) and header[pos] == "!"
    if bang:
        pos += 1
    if pos >= len(header):
        why = "expected ': ' and a description at the end of the header"
        raise ParseError(why, pos + 1, "separator", line)
    if header[pos] != ":":
        misplaced_bang = bang and header[pos] == "("
        column = pos if misplaced_bang else pos + 1
        raise ParseError(_separator_problem(header, pos, bang), column, "separator", line)
    if pos + 1 >= len(header):
        raise ParseError(_EMPTY_DESCRIPTION, pos + 2, "description", line)
    if header[pos + 1] != " ":
        raise ParseError("expected a space after ':'", pos + 2, "separator", line)
    description = header[pos + 2 :]
    if not description:
        raise ParseError(_EMPTY_DESCRIPTION, pos + 3, "description", line)
    if description[0].isspace():
        raise ParseError("one space after ':', not more", pos + 3, "description", line)
    return kind, scope, bang, description


def _missing_type(first: str) -> str:
    if first.isspace():
        return "the header starts with whitespace; start it with the type"
    if first == "(":
        return "the type is missing before the scope"
    if first in ":!":
        return "the type is missing before the colon"
    return f"the header must start with a type (a word such as feat or fix), not {first!r}"


def _parse_scope(header: str, pos: int, line: int) -> tuple[str, int]:
    """The scope in `(...)` at `pos`, and the position after `)`."""
    close = header.find(")", pos + 1)
    if close < 0:
        raise ParseError("the scope is not closed: ')' is missing", pos + 1, "scope", line)
    scope = header[pos + 1 : close]
    if "(" in scope:
        raise ParseError("'(' inside the scope", pos + 2 + scope.index("("), "scope", line)
    if not scope:
        why = "the scope is empty: write a noun between the parentheses, or drop them"
        raise ParseError(why, close + 1, "scope", line)
    if scope != scope.strip():
        column = pos + 2 if scope[0].isspace() else close
        raise ParseError("the scope has whitespace at its edge", column, "scope", line)
    return scope, close + 1


def _separator_problem(header: str, pos: int, bang: bool) -> str:
    char = header[pos]
    if char.isspace():
        after = header[pos:].lstrip()
        if after.startswith("("):
            return "no space between the type and its scope"
        if after.startswith(("!", ":")):
            return "no space before ':' (write `type(scope): description`)"
        return "the type is one word, followed by ':' and a space (`type: description`)"
    if char == "(" and bang:
        return "'!' goes after the scope, right before ':' (`type(scope)!: description`)"
    return f"expected ':' after the type, found {char!r}"


def _check_breaking_like(text: str, line: int) -> None:
    if _BREAKING_LIKE.match(text) and not re.match(_BREAKING_OK, text):
        raise ParseError(
            "a breaking-change footer is spelled `BREAKING CHANGE: what breaks` "
            "(uppercase, colon, space, description on the same line)",
            1,
            "footer-breaking-change",
            line,
        )


def parse(message: str) -> ConventionalCommit:
    """Parse a cleaned commit message (no comment lines); raise ParseError if it breaks the spec."""
    lines = _lines(message)
    start = 0
    while start < len(lines) and not lines[start]:
        start += 1
    if start == len(lines):
        raise ParseError("the message is empty", 1, "empty", 1)
    kind, scope, bang, description = parse_header(lines[start], start + 1)
    rest_start = start + 1
    if rest_start < len(lines) and lines[rest_start]:
        raise ParseError(
            "the body must begin after one blank line below the header",
            1,
            "body-leading-blank",
            rest_start + 1,
        )
    rest = lines[rest_start:]
    footer_at = len(rest)
    for index, text in enumerate(rest):
        paragraph_start = text and (index == 0 or not rest[index - 1])
        if not paragraph_start:
            if _BREAKING_LIKE.match(text):
                raise ParseError(
                    "a BREAKING CHANGE footer needs a blank line above it",
                    1,
                    "footer-breaking-change",
                    rest_start + index + 1,
                )
            continue
        _check_breaking_like(text, rest_start + index + 1)
        if _FOOTER.fullmatch(text):
            footer_at = index
            break
    body = "\n".join(rest[:footer_at]).strip("\n") or None
    footers: list[list[str]] = []
    for index in range(footer_at, len(rest)):
        text = rest[index]
        _check_breaking_like(text, rest_start + index + 1)
        match = _FOOTER.fullmatch(text)
        if match:
            footers.append([match["token"], match["sep"], match["value"]])
        else:
            footers[-1][2] += "\n" + text
    return ConventionalCommit(
        type=kind,
        scope=scope,
        bang=bang,
        description=description,
        body=body,
        footers=tuple(Footer(token, value.rstrip("\n"), sep) for token, sep, value in footers),
    )


def try_parse(message: str) -> ConventionalCommit | None:
    try:
        return parse(message)
    except ParseError:
        return None


def trailers(message: str) -> list[tuple[str, str]]:
    """git-style trailers: the last paragraph, if it is a trailer block (as git interpret-trailers
    decides: every line a trailer or an indented continuation, or at least a quarter of them
    trailers with one written by git such as Signed-off-by). Continuations are unfolded."""
    lines = _lines(message)
    paragraphs: list[list[str]] = [[]]
    for text in lines:
        if text:
            paragraphs[-1].append(text)
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    if len(paragraphs) < 2:
        return []
    found: list[list[str]] = []
    trailer_lines = other_lines = 0
    git_generated = False
    for text in paragraphs[-1]:
        if text[0].isspace() and found:
            found[-1][1] += " " + text.strip()
            continue
        if text.startswith(_GIT_GENERATED_TRAILERS):
            git_generated = True
        match = re.fullmatch(_TRAILER, text)
        if match and not text.startswith("(cherry picked"):
            found.append([match["token"], match["value"].strip()])
            trailer_lines += 1
        else:
            other_lines += 1
    if other_lines and not (git_generated and trailer_lines * 3 >= other_lines):
        return []
    return [(token, value) for token, value in found]


def nearest_type(word: str, allowed: list[str] | tuple[str, ...]) -> str | None:
    """The allowed type someone most likely meant by `word`: `Fix` → fix, `feature` → feat."""
    if not word or not allowed:
        return None
    lowered = word.casefold()
    by_fold = {t.casefold(): t for t in allowed}
    if lowered in by_fold:
        return by_fold[lowered]
    alias = TYPE_ALIASES.get(lowered)
    if alias and alias in by_fold:
        return by_fold[alias]
    prefixed = [
        t
        for t in by_fold
        if len(t) >= 3 and (lowered.startswith(t) or (len(lowered) >= 3 and t.startswith(lowered)))
    ]
    if prefixed:
        return by_fold[max(prefixed, key=len)]
    from difflib import get_close_matches

    close = get_close_matches(lowered, list(by_fold), n=1, cutoff=0.6)
    return by_fold[close[0]] if close else None
