"""One place that declares a project's version, as read from its text.

The kinds of version source, the record a reader returns for one, and the
placeholders (`0.0.0-development`, `1.0.dev0`) that say the tags hold the version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

KINDS = ("pyproject", "python", "package.json", "cargo", "chart", "version-file", "pattern")
# Versions that only hold a place: the release tooling sets the real one from the tags.
PLACEHOLDERS = frozenset(
    {"0.0.0-development", "0.0.0-semantically-released", "0.0.0-semantic-release", "0.0.0-dev"}
)
PYTHON_KINDS = ("pyproject", "python")

Span = tuple[int, int]


@dataclass(frozen=True)
class VersionSource:
    """One place that declares the version.

    `version` is the text as written: None when dynamic or unreadable (then `error` says why).
    """

    file: str
    kind: str
    key: str
    version: str | None
    dynamic: bool = False
    line: int | None = None
    error: str | None = None
    via: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def python(self) -> bool:
        """Python packaging metadata, which may use PEP 440 spelling."""
        return self.kind in PYTHON_KINDS

    @property
    def label(self) -> str:
        return f"{self.file} ({self.key})"


def kind_of(name: str) -> str:
    """The kind of a declared source that names no kind, from its file name."""
    base = name.rsplit("/", 1)[-1]
    if base == "pyproject.toml":
        return "pyproject"
    if base.endswith(".py"):
        return "python"
    if base == "package.json":
        return "package.json"
    if base == "Cargo.toml":
        return "cargo"
    if base == "Chart.yaml":
        return "chart"
    return "version-file"


def default_key(kind: str) -> str:
    """The key a source of this kind declares the version at, when none is named."""
    return {
        "pyproject": "project.version",
        "python": "__version__",
        "package.json": "version",
        "cargo": "package.version",
        "chart": "version",
        "version-file": "VERSION",
        "pattern": "pattern",
    }[kind]


def with_placeholder(source: VersionSource) -> VersionSource:
    """A placeholder (`0.0.0-development`) or a Python development version (`8.5.0.dev`),
    found by convention, says that the release sets the version from the tags."""
    if source.version is None or source.dynamic:
        return source
    via = placeholder(source.version, python=source.python)
    if via is None:
        return source
    return replace(source, version=None, dynamic=True, via=via)


def placeholder(version: str, *, python: bool) -> str | None:
    """Why `version` only holds a place (the tags hold the version), or None when it is one."""
    if version in PLACEHOLDERS:
        return f"the placeholder {version}: the version lives in the tags"
    if python and re.fullmatch(r"\d+(?:\.\d+)*\.?dev\d*", version):
        return f"the development version {version}: the release tag sets the version"
    return None


def absent(source: VersionSource) -> bool:
    """The file exists but declares no version at this key (not a source, when detecting)."""
    return source.error is not None and source.error.startswith("no ")
