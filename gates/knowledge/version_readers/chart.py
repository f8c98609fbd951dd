"""Helm's Chart.yaml: `version` and `appVersion`, one-line scalars at the top level."""

from __future__ import annotations

import re

from gates.knowledge.version_source import VersionSource


def read_chart(name: str, text: str, key: str | None = None) -> VersionSource:
    """The top-level `version` (or `key`: `appVersion`), a one-line scalar."""
    import yaml

    key = key or "version"

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return VersionSource(
            name,
            "chart",
            key,
            None,
            error=f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            line=line,
        )
    if not isinstance(data, dict) or key not in data:
        return VersionSource(name, "chart", key, None, error=f"no top-level `{key}:`")
    pattern = re.compile(
        rf"^(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}'):[ \t]+"
        r"(?P<quote>[\"']?)(?P<value>[^\"'#\s]+)(?P=quote)[ \t]*(?:#.*)?$",
        re.MULTILINE,
    )
    matches = list(pattern.finditer(text))
    if len(matches) != 1:
        problem = (
            f"`{key}:` appears {len(matches)} times at the top level"
            if matches
            else f"`{key}:` is not a one-line scalar"
        )
        return VersionSource(name, "chart", key, None, error=problem)
    match = matches[0]
    if not isinstance(data[key], str) and not match.group("quote"):
        return VersionSource(
            name,
            "chart",
            key,
            None,
            line=text.count("\n", 0, match.start()) + 1,
            error=f"`{key}: {match.group('value')}` is read by YAML as a number; quote it",
        )
    return VersionSource(
        name,
        "chart",
        key,
        match.group("value"),
        line=text.count("\n", 0, match.start()) + 1,
        span=(match.start("value"), match.end("value")),
    )
