"""What the repository's release tooling says about its changelog: which tool writes it (and so
which format it is in), whether the tool writes it at release time, where fragments go, and
which file it is.

Reads configuration files only (release-please-config.json, .releaserc, .cz.toml, cliff.toml,
towncrier.toml, [tool.*] in pyproject.toml, .changeset/config.json, package.json); never runs
the tools.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.knowledge.changelog_formats import COMMIT, FRAGMENT

if TYPE_CHECKING:
    from gates.knowledge.changelog_formats import ChangelogFormat

# The file names a changelog has, most usual first: where to look when the policy's default
# `CHANGELOG.md` does not exist.
CANDIDATES = (
    "CHANGELOG.md",
    "CHANGES.md",
    "HISTORY.md",
    "NEWS.md",
    "CHANGELOG.rst",
    "CHANGES.rst",
    "HISTORY.rst",
    "NEWS.rst",
)
DEFAULT_FILE = "CHANGELOG.md"
_SEMANTIC_RELEASE = (
    ".releaserc",
    ".releaserc.json",
    ".releaserc.yaml",
    ".releaserc.yml",
    ".releaserc.js",
    ".releaserc.cjs",
    ".releaserc.mjs",
    "release.config.js",
    "release.config.cjs",
    "release.config.mjs",
)
_COMMITIZEN = (".cz.toml", "cz.toml", ".cz.json", "cz.json", ".cz.yaml", "cz.yaml")
_TOWNCRIER_TYPES = ("feature", "bugfix", "doc", "removal", "misc")


@dataclass(frozen=True)
class Tooling:
    """The release tool found (None: none), and what follows from it."""

    tool: str | None = None
    format: str | None = None  # the changelog format the tool writes
    entry_rule: str | None = None  # how a change proves its entry, when the tool decides it
    fragment_dir: str | None = None
    fragment_types: tuple[str, ...] = ()
    changelog_file: str | None = None  # the file the tool's configuration names
    package_changelogs: tuple[str, ...] = ()  # a monorepo's per-package files (changesets)


def scan(root: Path) -> Tooling:
    """The first release tool whose configuration is in the repository."""
    pyproject = _toml(root / "pyproject.toml").get("tool", {})
    package = _json(root / "package.json")
    towncrier = _toml(root / "towncrier.toml").get("tool", {}).get("towncrier")
    if towncrier is None:
        towncrier = pyproject.get("towncrier")
    if (root / ".changeset" / "config.json").is_file():
        return Tooling(
            "changesets",
            "changesets",
            FRAGMENT,
            ".changeset",
            ("md",),
            package_changelogs=package_changelogs(root),
        )
    if towncrier is not None:
        return _towncrier(root, towncrier)
    if (root / "release-please-config.json").is_file() or (
        root / ".release-please-manifest.json"
    ).is_file():
        return Tooling("release-please", "conventional-changelog", COMMIT)
    if any((root / name).is_file() for name in _SEMANTIC_RELEASE) or "release" in package:
        return Tooling("semantic-release", "conventional-changelog", COMMIT)
    if any((root / name).is_file() for name in (".versionrc", ".versionrc.json")) or any(
        tool in (package.get("devDependencies") or {})
        for tool in ("standard-version", "commit-and-tag-version")
    ):
        return Tooling("standard-version", "conventional-changelog", COMMIT)
    if any((root / name).is_file() for name in _COMMITIZEN) or "commitizen" in pyproject:
        return Tooling("commitizen", "commitizen", COMMIT)
    if (root / "cliff.toml").is_file() or "git-cliff" in pyproject:
        return Tooling("git-cliff", "git-cliff", COMMIT)
    return Tooling()


def package_changelogs(root: Path, depth: int = 3) -> tuple[str, ...]:
    """CHANGELOG.md files of a workspace's packages (`packages/*/CHANGELOG.md`, …), outside
    node_modules and hidden folders, at most `depth` folders down."""
    found: list[str] = []
    for folder, names, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        names[:] = sorted(
            n
            for n in names
            if not n.startswith(".") and n != "node_modules" and len(relative.parts) < depth
        )
        if relative.parts and DEFAULT_FILE in files:
            found.append((relative / DEFAULT_FILE).as_posix())
    return tuple(sorted(found))


def _towncrier(root: Path, config: dict[str, Any]) -> Tooling:
    directory = config.get("directory")
    if not directory:
        from gates.knowledge.changelog_formats.towncrier import DIRECTORIES

        directory = next((d for d in DIRECTORIES if (root / d).is_dir()), "newsfragments")
    types = tuple(
        t.get("directory") for t in config.get("type") or [] if isinstance(t, dict)
    ) or tuple((config.get("types") or {}).keys())
    return Tooling(
        "towncrier",
        "towncrier",
        FRAGMENT,
        str(directory).strip("/"),
        tuple(t for t in types if t) or _TOWNCRIER_TYPES,
        config.get("filename"),
    )


def changelog_path(root: Path, configured: str | None, tooling: Tooling) -> str:
    """The changelog file: the policy's, else the tool's, else the first that exists."""
    if configured and configured != DEFAULT_FILE:
        return configured
    if tooling.changelog_file:
        return tooling.changelog_file
    if (root / DEFAULT_FILE).is_file():
        return DEFAULT_FILE
    return next((name for name in CANDIDATES if (root / name).is_file()), DEFAULT_FILE)


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Located:
    """The changelog of a repository: its file, text (None: no file), format and tooling."""

    path: Path
    name: str
    text: str | None
    format: ChangelogFormat
    tooling: Tooling


def locate(root: Path, section: dict[str, Any]) -> Located:
    """The changelog file and its format, as the policy and the repository say; a file that is
    clearly in another format than the configured one is refused with one line."""
    from gates.adapters.atomic_files import read_text
    from gates.adapters.repo_paths import inside
    from gates.errors import GateError
    from gates.knowledge import changelog_formats

    tooling = scan(root)
    name = changelog_path(root, section.get("file"), tooling)
    path = inside(root, name, "changelog.file")
    text = read_text(path)
    configured = section.get("format") or changelog_formats.AUTO
    fmt = changelog_formats.get(changelog_formats.resolve(configured, text, tooling.format))
    if text is not None and configured != changelog_formats.AUTO:
        other = changelog_formats.mismatch(fmt.name, text)
        if other is not None:
            raise GateError(
                f"{name} looks like {other}, not {fmt.name} (changelog.format)",
                hint=f"set `changelog.format: {other}`, or auto to let it be detected",
            )
    return Located(path, name, text, fmt, tooling)
