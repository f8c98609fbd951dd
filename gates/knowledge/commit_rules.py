"""The team's Conventional Commits policy applied to one message: allowed types and scopes,
lengths, exemptions, fixup commits. Pure; the commit-msg and commits gates turn each Problem
into a Finding.

Problem rules (gates prefix them with their id): the parser's `empty`, `type`, `scope`,
`separator`, `description`, `body-leading-blank`, `footer-breaking-change`, and the policy's
`type-allowed`, `scope-required`, `scope-allowed`, `header-length`, `body-line-length`
(a warning), `fixup`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from gates.knowledge.conventional import (
    ConventionalCommit,
    ParseError,
    nearest_type,
    parse,
    parse_header,
)
from gates.knowledge.patterns import compile_pattern

DEFAULT_TYPES = (
    "feat",
    "fix",
    "docs",
    "style",
    "refactor",
    "perf",
    "test",
    "build",
    "ci",
    "chore",
    "revert",
)

# Subjects git and the forges write for merges.
# Patterns are plain strings: `re` compiles each on first use, so a hook run compiles only
# the ones its message needs.
MERGE_SUBJECT = (
    r"^(?:Merge (?:branch(?:es)? |remote-tracking branch |tag |commit |pull request #\d+ |"
    r"[0-9a-f]{7,40} into |'[^']+' (?:of|into) )|Merged in \S+ \(pull request #\d+\))"
)
# `git revert` writes `Revert "subject"`; reverting that revert, `Reapply "subject"` (git 2.43+).
REVERT_SUBJECT = r'^(?:Revert|Reapply) ".*"$'
AUTOSQUASH_PREFIXES = ("fixup! ", "squash! ", "amend! ")
# Forges put these before a request title while it is not ready; the merge drops them.
DRAFT_PREFIX = r"(?i)^\s*(?:(?:draft|wip)\s*:|\[(?:draft|wip)\]|\((?:draft|wip)\))\s*"
_URL = r"\w+://\S+"
_LOOSE_HEADER = (
    r"^\s*(?P<type>[A-Za-z]+)[\s_-]*(?P<bang1>!)?\s*(?:\(\s*(?P<scope>[^():]*)\)?)?\s*"
    r"(?P<bang2>!)?\s*[:\-]?\s*(?P<description>.*)$"
)


# Records are NamedTuples, not frozen dataclasses: this module loads on every commit, and a
# NamedTuple class is built several times faster.
class CommitPolicy(NamedTuple):
    """The `commits` section of the policy, as the rules use it."""

    types: tuple[str, ...] = DEFAULT_TYPES
    scopes: tuple[str, ...] = ()
    scope_required: bool = False
    header_max_length: int = 72
    body_max_line_length: int = 100
    exempt_merges: bool = True
    exempt_reverts: bool = True
    release_commit: str | None = r"^chore\(release\): "
    allow_autosquash: bool = True

    @classmethod
    def from_section(cls, section: Mapping[str, Any], *, allow_autosquash: bool) -> CommitPolicy:
        defaults = cls()
        return cls(
            types=tuple(section.get("types") or defaults.types),
            scopes=tuple(section.get("scopes") or ()),
            scope_required=bool(section.get("scope_required", defaults.scope_required)),
            header_max_length=int(section.get("header_max_length", defaults.header_max_length)),
            body_max_line_length=int(
                section.get("body_max_line_length", defaults.body_max_line_length)
            ),
            exempt_merges=bool(section.get("exempt_merges", defaults.exempt_merges)),
            exempt_reverts=bool(section.get("exempt_reverts", defaults.exempt_reverts)),
            release_commit=section.get("release_commit", defaults.release_commit) or None,
            allow_autosquash=allow_autosquash,
        )

    def example_header(self) -> str:
        kind = "feat" if "feat" in self.types else self.types[0]
        scope = (
            f"({self.scopes[0]})" if self.scopes else ("(parser)" if self.scope_required else "")
        )
        return f"{kind}{scope}: add support for footers"


class Problem(NamedTuple):
    rule: str
    message: str
    hint: str
    line: int = 1
    column: int | None = None
    warning: bool = False


class Verdict(NamedTuple):
    """The policy's word on one message: its parse (if any), its problems, or why it is exempt."""

    commit: ConventionalCommit | None
    problems: tuple[Problem, ...] = ()
    exempt: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def exemption(subject: str, policy: CommitPolicy, *, merge: bool = False) -> str | None:
    """Why a commit passes unchecked: `merge`, `revert`, `release`, `autosquash`; or None."""
    if policy.exempt_merges and (merge or re.match(MERGE_SUBJECT, subject)):
        return "merge"
    if policy.exempt_reverts and re.match(REVERT_SUBJECT, subject):
        return "revert"
    if policy.release_commit and compile_pattern(
        policy.release_commit, key="commits.release_commit"
    ).search(subject):
        return "release"
    if policy.allow_autosquash and subject.startswith(AUTOSQUASH_PREFIXES):
        return "autosquash"
    return None


def check_message(message: str, policy: CommitPolicy, *, merge: bool = False) -> Verdict:
    """Apply the specification and the policy to a cleaned message."""
    subject = message.lstrip("\n").split("\n", 1)[0].rstrip()
    reason = exemption(subject, policy, merge=merge)
    if reason:
        return Verdict(None, exempt=reason)
    if subject.startswith(AUTOSQUASH_PREFIXES):
        prefix = subject.split(" ", 1)[0]
        return Verdict(
            None,
            (
                Problem(
                    "fixup",
                    f"a `{prefix}` commit is meant to be squashed before it merges",
                    "squash it into its target: git rebase -i --autosquash <base>",
                ),
            ),
        )
    try:
        commit = parse(message)
    except ParseError as error:
        return Verdict(None, (_parse_problem(error, subject, policy),))
    problems = [
        *_header_problems(commit, subject, policy),
        *_body_problems(commit, message, policy),
    ]
    return Verdict(commit, tuple(problems))


def check_header(header: str, policy: CommitPolicy) -> Verdict:
    """A header alone, such as a pull request title that becomes the squash commit's subject."""
    header = re.sub(DRAFT_PREFIX, "", header.strip())
    first_line = header.split("\n", 1)[0]
    return check_message(first_line, policy)


def _parse_problem(error: ParseError, subject: str, policy: CommitPolicy) -> Problem:
    hint = "write the header as `type(scope): description`"
    if error.line == 1:
        repaired = repair_header(subject, policy)
        hint = (
            f"write the header as `{repaired}`"
            if repaired
            else f"for example `{policy.example_header()}`"
        )
        hint = f"{pointer(subject, error.column)}\n{hint}"
    elif error.rule == "body-leading-blank":
        hint = "leave one blank line between the header and the body"
    elif error.rule == "footer-breaking-change":
        hint = "write `BREAKING CHANGE: what breaks` in the footers, after a blank line"
    return Problem(error.rule, error.message, hint, error.line, error.column)


def _header_problems(
    commit: ConventionalCommit, subject: str, policy: CommitPolicy
) -> list[Problem]:
    problems = []
    if commit.type not in policy.types:
        suggestion = nearest_type(commit.type, policy.types)
        allowed = ", ".join(policy.types)
        if suggestion:
            rest = subject[len(commit.type) :]
            hint = f"did you mean `{suggestion}{rest}`? allowed types: {allowed}"
        else:
            hint = (
                f"use one of the allowed types: {allowed}; for example `{policy.example_header()}`"
            )
        message = f"type '{commit.type}' is not allowed"
        if suggestion and suggestion.casefold() == commit.type.casefold():
            message = f"type '{commit.type}' is spelt '{suggestion}' in this policy"
        problems.append(Problem("type-allowed", message, hint, 1, 1))
    scope_column = len(commit.type) + 1
    if commit.scope is None and policy.scope_required:
        scopes = (
            f"one of {', '.join(policy.scopes)}" if policy.scopes else "a noun for the part changed"
        )
        scope = policy.scopes[0] if policy.scopes else "parser"
        example = f"{commit.type}({scope}){'!' if commit.bang else ''}"
        problems.append(
            Problem(
                "scope-required",
                "the header names no scope",
                f"add a scope, {scopes}: `{example}: {commit.description}`",
                1,
                scope_column,
            )
        )
    if commit.scope is not None and policy.scopes:
        unknown = _unknown_scopes(commit.scope, policy.scopes)
        if unknown:
            from difflib import get_close_matches

            close = get_close_matches(unknown[0], policy.scopes, n=1, cutoff=0.6)
            nearest = f"did you mean '{close[0]}'? " if close else ""
            problems.append(
                Problem(
                    "scope-allowed",
                    f"scope '{unknown[0]}' is not allowed",
                    f"{nearest}allowed scopes: {', '.join(policy.scopes)}",
                    1,
                    scope_column + 1,
                )
            )
    length = len(_FORGE_SUFFIX.sub("", subject))
    if length > policy.header_max_length:
        problems.append(
            Problem(
                "header-length",
                f"the header is {length} characters long, "
                f"over the limit of {policy.header_max_length}",
                "shorten the description; put the details in the body, after a blank line",
                1,
                policy.header_max_length + 1,
            )
        )
    return problems


# A forge's squash merge appends the pull request's number: ` (#1234)` is not the author's text.
_FORGE_SUFFIX = re.compile(r" \(#\d+\)\Z")


def _unknown_scopes(scope: str, allowed: tuple[str, ...]) -> list[str]:
    """The parts of `scope` (`api` or `api,ui`) that the policy does not list."""
    if scope in allowed:
        return []
    return [part for part in (p.strip() for p in scope.split(",")) if part not in allowed]


def _body_problems(commit: ConventionalCommit, message: str, policy: CommitPolicy) -> list[Problem]:
    limit = policy.body_max_line_length
    if not limit or not commit.body:
        return []
    lines = message.replace("\r\n", "\n").split("\n")
    long_lines = [
        (number, line)
        for number, line in enumerate(lines[1:], start=2)
        if len(line.rstrip()) > limit and not re.search(_URL, line) and line.rstrip() in commit.body
    ]
    if not long_lines:
        return []
    number, line = long_lines[0]
    more = f" (and {len(long_lines) - 1} more)" if len(long_lines) > 1 else ""
    return [
        Problem(
            "body-line-length",
            f"body line {number} is {len(line.rstrip())} characters long, over {limit}{more}",
            f"wrap the body at {limit} characters",
            number,
            limit + 1,
            warning=True,
        )
    ]


def pointer(text: str, column: int) -> str:
    """The text, and a caret under the 1-based column."""
    return f"{text}\n{' ' * (column - 1)}^"


def repair_header(subject: str, policy: CommitPolicy) -> str | None:
    """A valid header close to what was written (`Fix bug` → `fix: bug`), or None."""
    match = re.match(_LOOSE_HEADER, subject)
    if not match:
        return None
    kind = nearest_type(match["type"], policy.types)
    if kind is None:
        return None
    description = match["description"].strip() or "describe the change"
    scope = f"({match['scope'].strip()})" if (match["scope"] or "").strip() else ""
    bang = "!" if match["bang1"] or match["bang2"] else ""
    header = f"{kind}{scope}{bang}: {description}"
    try:
        parse_header(header)
    except ParseError:
        return None
    return header


# The documentation of every rule, shared by the commit-msg and commits gates
# (`gate explain commit-msg.type`, `gate explain commits.type`).
RULE_DOCS: dict[str, dict[str, str]] = {
    "empty": {
        "summary": "The message is empty.",
        "what": "Fails when nothing is left once comment lines and the scissors part are dropped.",
        "why": "A commit without a message says nothing about the change; git aborts it.",
        "instead": "feat(parser): accept footers without a body",
    },
    "type": {
        "summary": "The header does not start with a type.",
        "what": "The header (first line) starts with a type: a word such as feat or fix (§1).",
        "why": "Changelog and version tools sort commits by type; a header without one is lost.",
        "example": "Added a login form\n(api): add endpoint",
        "instead": "feat: add a login form\nfeat(api): add endpoint",
    },
    "scope": {
        "summary": "The scope is empty or its parentheses are not closed.",
        "what": "A scope is a noun in parentheses right after the type, `fix(parser):` (§4).",
        "why": "Tools read the scope to group changes; a broken one breaks the whole header.",
        "example": "feat(api: add endpoint\nfeat(): add endpoint",
        "instead": "feat(api): add endpoint\nfeat: add endpoint",
    },
    "separator": {
        "summary": "The type (scope, `!`) is not followed by a colon and one space.",
        "what": (
            "After the type, the optional scope and the optional `!` comes `: ` with no space"
            " before the colon and one space after it (§1, §13)."
        ),
        "why": "The colon and space are what tells a Conventional Commit from free text.",
        "example": "feat add login\nfeat (api): add login\nfeat!(api): drop v1\nfeat:add login",
        "instead": "feat: add login\nfeat(api): add login\nfeat(api)!: drop v1",
    },
    "description": {
        "summary": "The description after `: ` is missing or starts with extra spaces.",
        "what": "A short description follows the colon and space immediately (§5).",
        "why": "The description becomes the changelog line; an empty one says nothing.",
        "example": "fix:\nfix:  two spaces",
        "instead": "fix: reject empty passwords",
    },
    "body-leading-blank": {
        "summary": "The body does not start after a blank line.",
        "what": "The body begins one blank line after the header (§6).",
        "why": "git and every tool take the first line as the subject; text under it joins it.",
        "example": "fix: reject empty passwords\nThe form allowed them.",
        "instead": "fix: reject empty passwords\n\nThe form allowed them.",
    },
    "footer-breaking-change": {
        "summary": "A breaking-change footer is misspelt, so the break would go unnoticed.",
        "what": (
            "A breaking change footer is `BREAKING CHANGE: description` or `BREAKING-CHANGE:"
            " description`: uppercase, colon, space, on a line after a blank line (§12, §15, §16)."
        ),
        "why": "A misspelt footer does not mark the commit as breaking: the major bump is missed.",
        "example": "feat: new config\n\nbreaking change: the old keys are gone",
        "instead": "feat: new config\n\nBREAKING CHANGE: the old keys are gone",
    },
    "type-allowed": {
        "summary": "The type is not one of the policy's types.",
        "what": (
            "The type is one of `commits.types` (default: feat, fix, docs, style, refactor,"
            " perf, test, build, ci, chore, revert), spelt as listed (lowercase)."
        ),
        "why": "One vocabulary keeps the changelog's sections and the version bumps predictable.",
        "example": "feature: add login\nFix: reject empty passwords",
        "instead": "feat: add login\nfix: reject empty passwords",
        "options": "commits.types",
    },
    "scope-required": {
        "summary": "The policy requires a scope and the header has none.",
        "what": "With `commits.scope_required: true`, every header names a scope.",
        "why": "Teams with several components read the scope to route changes.",
        "example": "fix: reject empty passwords",
        "instead": "fix(auth): reject empty passwords",
        "options": "commits.scope_required, commits.scopes",
    },
    "scope-allowed": {
        "summary": "The scope is not one of the policy's scopes.",
        "what": "When `commits.scopes` lists scopes, the scope (or each of `a,b`) is one of them.",
        "why": "A fixed list of scopes keeps components named one way.",
        "options": "commits.scopes",
    },
    "header-length": {
        "summary": "The header is longer than the policy allows.",
        "what": "The first line is at most `commits.header_max_length` characters (default 72).",
        "why": "Long subjects are cut in `git log --oneline`, on forges and in changelogs.",
        "instead": "Keep the header short; put details in the body.",
        "options": "commits.header_max_length",
    },
    "body-line-length": {
        "summary": "A body line is longer than the policy's limit (a warning).",
        "what": (
            "Body lines are at most `commits.body_max_line_length` characters (default 100;"
            " 0 turns it off). Lines with a URL are not counted."
        ),
        "why": "git does not wrap; long lines are hard to read in a terminal.",
        "options": "commits.body_max_line_length",
    },
    "fixup": {
        "summary": "A fixup!/squash!/amend! commit is about to be merged.",
        "what": (
            "`git commit --fixup` commits pass on a developer machine, but in a CI range they"
            " fail unless `commits.fixup_in_ci` is true."
        ),
        "why": "They are notes for `git rebase --autosquash`, not history anyone should read.",
        "instead": "git rebase -i --autosquash <base>, then push again",
        "options": "commits.fixup_in_ci",
    },
}
