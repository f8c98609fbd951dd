"""A Python module's `__version__ = "..."` (or another name), found in its syntax tree."""

from __future__ import annotations

import ast
import re

from gates.knowledge.version_source import Span, VersionSource


def read_declared_module(name: str, text: str, key: str | None) -> VersionSource:
    """A declared module's version assignment (`__version__` unless `key` names another)."""
    key = key or "__version__"
    return read_python_module(name, text, key, explicit=True) or VersionSource(
        name, "python", key, None, error=f'no module-level `{key} = "..."` assignment'
    )


def read_python_module(
    name: str, text: str | None, key: str, *, explicit: bool
) -> VersionSource | None:
    """A module-level `__version__ = "..."`; None when the module has no such assignment."""
    if text is None or key not in text:
        return None
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        if not explicit:
            return None
        return VersionSource(
            name,
            "python",
            key,
            None,
            error=f"invalid Python: {exc.msg} (line {exc.lineno})",
            line=exc.lineno,
        )
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        if value is None or not any(isinstance(t, ast.Name) and t.id == key for t in targets):
            continue
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            span = _string_span(text, value)
            return VersionSource(name, "python", key, value.value, line=node.lineno, span=span)
        if not explicit:
            return None
        return VersionSource(
            name,
            "python",
            key,
            None,
            dynamic=True,
            line=node.lineno,
            via=f"computed at import time: {ast.unparse(value)[:60]}",
        )
    return None


def _string_span(text: str, node: ast.Constant) -> Span | None:
    """The inside of the quotes of a simple string literal (no escapes, no concatenation)."""
    if node.end_lineno != node.lineno or node.end_col_offset is None:
        return None
    lines = text.splitlines(keepends=True)
    line_start = sum(len(line) for line in lines[: node.lineno - 1])
    encoded = lines[node.lineno - 1].encode("utf-8")
    start = line_start + len(encoded[: node.col_offset].decode("utf-8"))
    end = line_start + len(encoded[: node.end_col_offset].decode("utf-8"))
    literal = text[start:end]
    match = re.fullmatch(
        r"(?P<prefix>[rRuU]?)(?P<quote>'''|\"\"\"|'|\")(?P<value>.*)(?P=quote)", literal, re.DOTALL
    )
    if match is None or match.group("value") != node.value:
        return None
    return start + match.start("value"), start + match.end("value")
