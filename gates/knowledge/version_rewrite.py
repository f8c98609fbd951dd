"""A version rewritten in a file's text, characters only, and proved to change nothing else.

The new text replaces the characters of the version at its span and keeps every
other byte. It is accepted only when reading it again finds the new version at
the same key, and parsing it gives the old document with that one value changed.
"""

from __future__ import annotations

import ast
import json
import tomllib
from typing import Any

from gates.errors import GateError
from gates.knowledge.version_readers import read_source
from gates.knowledge.version_source import VersionSource


def locate_version(text: str, source: VersionSource) -> VersionSource:
    """`source` as read from `text` now, with the span of its characters; a GateError when
    the version is not there, or not written so that it can be replaced in place."""
    current = read_source(source.kind, source.file, text, source.key)
    if current.span is None or current.version != source.version:
        raise _not_in_place(source)
    return current


def rewrite_version(text: str, current: VersionSource, new_version: str) -> str:
    """`text` with the version that `locate_version` found replaced by `new_version`; a
    GateError when that would change more than the version."""
    if current.span is None:
        raise _not_in_place(current)
    start, end = current.span
    changed = text[:start] + new_version + text[end:]
    after = read_source(current.kind, current.file, changed, current.key)
    expected = _expected(current.kind, _structure(current.kind, text), current, new_version, text)
    if after.version != new_version or _structure(current.kind, changed) != expected:
        raise GateError(
            f"{current.label}: rewriting the version would change more than the version; "
            "nothing was written"
        )
    return changed


def _not_in_place(source: VersionSource) -> GateError:
    return GateError(
        f"{source.label}: the version text cannot be rewritten in place",
        hint="write it as a plain one-line string (no escapes, no inline table)",
    )


def _structure(kind: str, text: str) -> Any:
    """The parsed document, to prove that a rewrite changed only the version."""
    if kind in ("pyproject", "cargo"):
        return tomllib.loads(text)
    if kind == "package.json":
        return json.loads(text)
    if kind == "chart":
        import yaml

        return yaml.safe_load(text)
    if kind == "python":
        return ast.dump(ast.parse(text))
    return None


def _expected(kind: str, before: Any, source: VersionSource, new: str, text: str) -> Any:
    if kind == "python":
        tree = ast.parse(text)
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.lineno == source.line:
                node.value = ast.Constant(new)
        return ast.dump(tree)
    if before is None:
        return None
    node = before
    path = source.key.split(".") if kind in ("pyproject", "cargo") else [source.key]
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = new
    return before
