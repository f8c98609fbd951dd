"""package.json's top-level `"version"`."""

from __future__ import annotations

import json

from gates.knowledge.json_scan import top_level_string_span
from gates.knowledge.version_source import VersionSource


def read_package_json(name: str, text: str, _key: str | None = None) -> VersionSource:
    """The top-level `"version"` (package.json has no other key for it)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return VersionSource(
            name,
            "package.json",
            "version",
            None,
            error=f"invalid JSON: {exc.msg} (line {exc.lineno})",
            line=exc.lineno,
        )
    if not isinstance(data, dict) or "version" not in data:
        return VersionSource(name, "package.json", "version", None, error='no top-level "version"')
    if not isinstance(data["version"], str):
        return VersionSource(
            name, "package.json", "version", None, error='"version" is not a string'
        )
    span = top_level_string_span(text, "version")
    line = text.count("\n", 0, span[0]) + 1 if span else None
    return VersionSource(name, "package.json", "version", data["version"], line=line, span=span)
