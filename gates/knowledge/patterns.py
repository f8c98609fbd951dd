"""Policy regular expressions that cannot hang a hook.

A pattern from a policy file runs on outside text (branch names, commit
subjects). Python's `re` has no time limit, and a pattern such as `(a+)+$`
backtracks for ever on a crafted input. So every pattern that repeats anything
runs on the `regex` engine with a time limit; only a pattern without any repeat
(which cannot backtrack beyond its own length) runs on `re`, which loads faster.
A match that runs out of time raises PatternTimeout, which is a GateError: the
gate cannot decide (exit 3), never a pass. Pass the policy key (`branches.slug`)
so that the message names what to simplify.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from gates.errors import GateError

TIMEOUT_SECONDS = 0.25


class PatternTimeout(GateError):
    """A policy pattern ran out of time: the gate cannot decide (exit 3)."""

    def __init__(self, pattern: str, key: str | None = None) -> None:
        super().__init__(
            f"the policy pattern {key or repr(pattern)} took too long; simplify it"
            f" (it took longer than {TIMEOUT_SECONDS}s on this input)",
            hint=f"rewrite {pattern!r} without a repeat inside a repeat, e.g. (a+)+ → a+",
        )
        self.pattern = pattern
        self.key = key


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _has_repeat(items: Any) -> bool:
    """True where the parsed pattern repeats anything (`*`, `+`, `?`, `{m,n}`) or refers back
    to a group: only such a pattern can take more than linear time."""
    try:
        from re import _constants as sre_constants  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - older layouts
        return True
    repeats = {getattr(sre_constants, name) for name in _REPEATS if hasattr(sre_constants, name)}
    for op, arg in items:
        if op in repeats or op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
            return True
        if op is sre_constants.BRANCH and any(_has_repeat(branch) for branch in arg[1]):
            return True
        if op is sre_constants.SUBPATTERN and _has_repeat(arg[-1]):
            return True
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and _has_repeat(arg[1]):
            return True
        if op is getattr(sre_constants, "ATOMIC_GROUP", None) and _has_repeat(arg):
            return True
    return False


def is_risky(pattern: str) -> bool:
    """Whether a pattern needs the time limit: every pattern that repeats anything does, since
    sequences of plain repeats (`^a*a*a*a*a*a*a*a*b$`) or bounded ones inside each other
    (`^(a{1,50}){1,50}$`) backtrack for ever as surely as `(a+)+`. A pattern without any
    repeat matches in linear time on `re`, which keeps the hooks from loading `regex`."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        return _has_repeat(_parser.parse(pattern))
    except Exception:
        return True


class SafePattern(NamedTuple):
    pattern: str
    compiled: Any
    limited: bool
    key: str | None = None

    def _call(self, method: str, text: str) -> Any:
        if not self.limited:
            return getattr(self.compiled, method)(text)
        try:
            return getattr(self.compiled, method)(text, timeout=TIMEOUT_SECONDS)
        except TimeoutError:
            raise PatternTimeout(self.pattern, self.key) from None

    def search(self, text: str) -> Any:
        return self._call("search", text)

    def match(self, text: str) -> Any:
        return self._call("match", text)

    def fullmatch(self, text: str) -> Any:
        return self._call("fullmatch", text)


@lru_cache(maxsize=256)
def compile_pattern(pattern: str, flags: int = 0, key: str | None = None) -> SafePattern:
    """Compile a policy pattern (already validated as a Python regex by the policy schema);
    `key` names it in the PatternTimeout message."""
    if not is_risky(pattern):
        return SafePattern(pattern, re.compile(pattern, flags), limited=False, key=key)
    import regex

    compiled = regex.compile(pattern, flags | regex.VERSION0)
    return SafePattern(pattern, compiled, limited=True, key=key)
