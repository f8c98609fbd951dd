"""A small validator for the subset of JSON Schema that the policy schema uses.

Hand-written rather than jsonschema because it runs in the commit-msg hook,
where every millisecond is felt (jsonschema costs ~60 ms to import), and
because every error must name the key path in the words a user wrote. The
test suite checks that jsonschema agrees with it on the same documents.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

KeyPath = tuple[str | int, ...]

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "null": (type(None),),
}


class Problem(NamedTuple):
    path: KeyPath
    message: str
    hint: str | None = None


def dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _type_ok(value: Any, kinds: str | list[str]) -> bool:
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        if isinstance(value, bool) and kind in ("integer", "number"):
            continue
        if isinstance(value, _TYPES[kind]):
            return True
    return False


def _type_name(value: Any) -> str:
    for name, types in _TYPES.items():
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, types):
            return name
    return type(value).__name__


def validate(value: Any, schema: dict[str, Any], path: KeyPath = ()) -> list[Problem]:
    kinds = schema.get("type")
    if kinds is not None and not _type_ok(value, kinds):
        wanted = kinds if isinstance(kinds, str) else " or ".join(kinds)
        return [Problem(path, f"expected {wanted}, got {_type_name(value)} {value!r:.60}")]
    problems: list[Problem] = []
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(map(str, schema["enum"]))
        problems.append(
            Problem(path, f"{value!r} is not one of the allowed values", f"use one of: {choices}")
        )
    if isinstance(value, str):
        problems += _string(value, schema, path)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(Problem(path, f"{value} is below the minimum {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(Problem(path, f"{value} is above the maximum {schema['maximum']}"))
    if isinstance(value, dict):
        problems += _object(value, schema, path)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += validate(item, schema["items"], (*path, index))
    return problems


def _string(value: str, schema: dict[str, Any], path: KeyPath) -> list[Problem]:
    fmt = schema.get("format")
    if fmt == "regex":
        try:
            re.compile(value)
        except re.error as exc:
            return [
                Problem(path, f"invalid regular expression: {exc}", "write a Python `re` pattern")
            ]
    if fmt == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return [Problem(path, f"{value!r} is not a date", "write dates as YYYY-MM-DD")]
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return [Problem(path, f"{value!r} does not match {schema['pattern']}")]
    return []


def _object(value: dict[str, Any], schema: dict[str, Any], path: KeyPath) -> list[Problem]:
    problems: list[Problem] = []
    properties: dict[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key in schema.get("required", []):
        if key not in value:
            problems.append(Problem(path, f"missing required key '{key}'"))
    for key, item in value.items():
        if not isinstance(key, str):
            problems.append(Problem((*path, str(key)), "keys must be strings"))
        elif key in properties:
            problems += validate(item, properties[key], (*path, key))
        elif extra is False:
            problems.append(
                Problem((*path, key), f"unknown key '{key}'", _did_you_mean(key, properties))
            )
        elif isinstance(extra, dict):
            problems += validate(item, extra, (*path, key))
    return problems


def _did_you_mean(key: str, known: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known keys: " + ", ".join(sorted(known)) if known else "remove it"
