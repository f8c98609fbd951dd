"""Policy regular expressions that cannot hang a hook.

A pattern from a policy file runs on outside text (branch names, commit
subjects). Python's `re` has no time limit, and a pattern such as `(a+)+$`
backtracks for ever on a crafted input. So a pattern whose shape allows
catastrophic backtracking (a repeat inside a repeat, or alternation inside a
repeat) runs on the `regex` engine with a time limit; a simple pattern runs on
`re`, which loads faster. A match that runs out of time raises PatternTimeout,
which is a GateError: the gate cannot decide (exit 3), never a pass. Pass the
policy key (`branches.slug`) so that the message names what to simplify.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from gates.errors import GateError

TIMEOUT_SECONDS = 0.25
_MAX_REPEAT = 4294967295  # sre's MAXREPEAT: an unbounded quantifier


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


def _risky(items: Any, inside_repeat: bool = False) -> bool:
    """True where a repeat nests an unbounded repeat or an alternation (backtracking risk)."""
    try:
        from re import _constants as sre_constants  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - older layouts
        return True
    for op, arg in items:
        if op in (
            sre_constants.MAX_REPEAT,
            sre_constants.MIN_REPEAT,
            sre_constants.POSSESSIVE_REPEAT,
        ):
            _low, high, body = arg
            unbounded = high == _MAX_REPEAT or high > 50
            if inside_repeat and unbounded:
                return True
            if _risky(body, inside_repeat or unbounded):
                return True
        elif op is sre_constants.BRANCH:
            if inside_repeat:
                return True
            if any(_risky(branch, inside_repeat) for branch in arg[1]):
                return True
        elif op is sre_constants.SUBPATTERN:
            if _risky(arg[-1], inside_repeat):
                return True
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            if _risky(arg[1], inside_repeat):
                return True
        elif op is sre_constants.GROUPREF_EXISTS:
            return True
    return False


def is_risky(pattern: str) -> bool:
    try:
        from re import _parser  # type: ignore[attr-defined]

        return _risky(_parser.parse(pattern))
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
