"""Fuzz targets: every parser that takes outside text, fed arbitrary bytes.

Each target decodes the bytes as the real entry point would and calls the
parser. The errors a parser is meant to raise for bad input (a clear verdict)
are caught; anything else escapes and is a bug. `run.py` drives these with
atheris (coverage-guided); the test suite drives them with hypothesis.
"""

from __future__ import annotations

from collections.abc import Callable

from gates.errors import GateToolError

Target = Callable[[bytes], None]
TARGETS: dict[str, Target] = {}


def target(name: str) -> Callable[[Target], Target]:
    def register(fn: Target) -> Target:
        TARGETS[name] = fn
        return fn

    return register


def text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


@target("policy-yaml")
def policy_yaml(data: bytes) -> None:
    from gates.policy.loader import parse_policy_text

    try:
        parse_policy_text(data.decode("utf-8", "replace"))
    except GateToolError:
        pass


@target("policy-toml")
def policy_toml(data: bytes) -> None:
    from gates.policy.loader import parse_policy_text

    try:
        parse_policy_text(data.decode("utf-8", "replace"), "pyproject.toml")
    except GateToolError:
        pass
