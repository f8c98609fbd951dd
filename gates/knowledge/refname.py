"""Git's own rules for a branch name, as `git check-ref-format --branch NAME` applies them.

A port of refs.c (`check_refname_component`, `check_or_sanitize_refname`) and
of `strbuf_check_branch_ref`: the name is checked as `refs/heads/NAME`, must
not begin with `-` and must not be `HEAD`. Git works on bytes; every byte from
0x80 up is allowed, so any non-ASCII character (and a lone surrogate that
stands for a raw byte from the command line) is allowed here too.

Git only says "'NAME' is not a valid branch name"; each problem here names the
rule from git-check-ref-format(1) that the name breaks, so a user knows what to
change. The check is one linear pass, safe on input of any length.
"""

from __future__ import annotations

import re
from typing import NamedTuple

LOCK_SUFFIX = ".lock"
_FORBIDDEN = {
    " ": "a space is",
    "~": "a tilde '~' is",
    "^": "a caret '^' is",
    ":": "a colon ':' is",
    "?": "a question mark '?' is",
    "*": "an asterisk '*' is",
    "[": "an open bracket '[' is",
    "\\": "a backslash '\\' is",
}


class RefProblem(NamedTuple):
    """One git rule a branch name breaks; `position` is the 0-based index of the offending part."""

    rule: str
    reason: str
    position: int | None = None


def _control_name(char: str) -> str:
    code = ord(char)
    if char == "\t":
        return "a tab"
    if code == 0x7F:
        return "the control character DEL (\\x7f)"
    return f"the control character \\x{code:02x}"


def _character_problem(char: str, previous: str, index: int) -> RefProblem | None:
    if ord(char) < 0x20 or ord(char) == 0x7F:
        reason = f"control characters are not allowed: {_control_name(char)}"
        return RefProblem("control-character", reason, index)
    if char in _FORBIDDEN:
        return RefProblem("forbidden-character", f"{_FORBIDDEN[char]} not allowed", index)
    if char == "." and previous == ".":
        return RefProblem("double-dot", "two consecutive dots '..' are not allowed", index - 1)
    if char == "{" and previous == "@":
        return RefProblem("at-brace", "the sequence '@{' is not allowed", index - 1)
    return None


def _component_problems(name: str, start: int, end: int) -> list[RefProblem]:
    component = name[start:end]
    problems = []
    if component.startswith("."):
        problems.append(RefProblem("leading-dot", "a path component cannot begin with '.'", start))
    if component.endswith(LOCK_SUFFIX):
        reason = "a path component cannot end with '.lock'"
        problems.append(RefProblem("lock-suffix", reason, end - len(LOCK_SUFFIX)))
    return problems


def problems(name: str) -> list[RefProblem]:
    """Every git rule the branch name breaks, in order; empty when git accepts the name."""
    if name == "":
        return [RefProblem("empty", "a branch name cannot be empty")]
    found: list[RefProblem] = []
    if name.startswith("-"):
        found.append(RefProblem("leading-dash", "a branch name cannot begin with '-'", 0))
    if name == "HEAD":
        found.append(RefProblem("head", "'HEAD' cannot be a branch name: it names the checkout"))
    if name.startswith("/"):
        found.append(RefProblem("leading-slash", "a name cannot begin with '/'", 0))
    previous = ""
    component_start = 0
    for index, char in enumerate(name):
        if char == "/":
            if previous == "/":
                reason = "consecutive slashes '//' are not allowed"
                found.append(RefProblem("double-slash", reason, index - 1))
            elif index > 0:
                found += _component_problems(name, component_start, index)
            component_start = index + 1
        else:
            problem = _character_problem(char, previous, index)
            if problem is not None:
                found.append(problem)
        previous = char
    if name.endswith("/"):
        found.append(RefProblem("trailing-slash", "a name cannot end with '/'", len(name) - 1))
    else:
        found += _component_problems(name, component_start, len(name))
        if name.endswith("."):
            found.append(RefProblem("trailing-dot", "a name cannot end with '.'", len(name) - 1))
    return _first_of_each_rule(found)


def _first_of_each_rule(found: list[RefProblem]) -> list[RefProblem]:
    seen: dict[tuple[str, str], RefProblem] = {}
    for problem in found:
        seen.setdefault((problem.rule, problem.reason), problem)
    return list(seen.values())


def is_valid(name: str) -> bool:
    """True where `git check-ref-format --branch NAME` (outside a repository) accepts the name."""
    return not problems(name)


def sanitize(name: str) -> str:
    """A name git accepts, made from `name` the way a person would fix it ('' when nothing is left).

    Forbidden characters, control characters and `@{…}` become `-`; `..` becomes `.`;
    empty components, leading dots, `.lock` endings, a leading `-` and a trailing `.`
    go. (Git's own sanitizer, used for worktree names, works much the same way.)
    """
    cleaned = []
    for char in name:
        if ord(char) < 0x20 or ord(char) == 0x7F or char in _FORBIDDEN:
            cleaned.append("-")
        else:
            cleaned.append(char)
    text = re.sub(r"@\{([^}]*)\}?", r"-\1", "".join(cleaned))
    while ".." in text:
        text = text.replace("..", ".")
    components = []
    for raw in text.split("/"):
        component = raw
        while component.endswith(LOCK_SUFFIX):
            component = component[: -len(LOCK_SUFFIX)]
        component = component.lstrip(".").strip("-")
        while "--" in component:
            component = component.replace("--", "-")
        if component:
            components.append(component)
    result = "/".join(components).rstrip(".")
    while result.endswith(LOCK_SUFFIX) or result.endswith("."):
        result = result.removesuffix(LOCK_SUFFIX).rstrip(".")
    if result == "HEAD":
        return ""
    return result if is_valid(result) else ""
