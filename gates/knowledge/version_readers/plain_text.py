"""A VERSION file (the version alone on its line) and any file read with a regex."""

from __future__ import annotations

import re

from gates.knowledge.version_source import VersionSource


def read_version_file(name: str, text: str, _key: str | None = None) -> VersionSource:
    """The one line of a VERSION file, spaces and line break around it kept out."""
    stripped = text.strip()
    if not stripped:
        return VersionSource(name, "version-file", "VERSION", None, error="the file is empty")
    if "\n" in stripped:
        return VersionSource(
            name, "version-file", "VERSION", None, error="the file has more than one line"
        )
    start = text.index(stripped)
    return VersionSource(
        name,
        "version-file",
        "VERSION",
        stripped,
        line=text.count("\n", 0, start) + 1,
        span=(start, start + len(stripped)),
    )


def read_pattern(name: str, text: str, pattern: str | None) -> VersionSource:
    """The first group of the first match of `pattern`."""
    from gates.knowledge.patterns import compile_pattern

    pattern = pattern or ""

    try:
        # time-limited where the shape could backtrack for ever: a PatternTimeout is exit 3
        regex = compile_pattern(pattern, re.MULTILINE, key=f"versioning.sources ({name}) pattern")
    except re.error as exc:
        return VersionSource(name, "pattern", pattern, None, error=f"invalid pattern: {exc}")
    if regex.compiled.groups < 1:
        return VersionSource(
            name, "pattern", pattern, None, error="the pattern needs one group: the version"
        )
    match = regex.search(text)
    if match is None or match.group(1) is None:
        return VersionSource(name, "pattern", pattern, None, error="the pattern matches nothing")
    return VersionSource(
        name,
        "pattern",
        pattern,
        match.group(1),
        line=text.count("\n", 0, match.start(1)) + 1,
        span=match.span(1),
    )
