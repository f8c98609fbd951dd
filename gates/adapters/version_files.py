"""Version sources: where a project declares its version, read and written in place.

pyproject.toml (`[project].version`, Poetry's `[tool.poetry].version`), a
module's `__version__`, package.json, Cargo.toml, Helm's Chart.yaml (`version`
and `appVersion`), a VERSION file, and a file plus a regex. This module does the
I/O: it finds the files, reads them, hands their text to the readers in
gates/knowledge/version_readers/, and writes what gates/knowledge/version_rewrite.py
proved to change only the version, each file whole or not at all.

Dynamic versions (setuptools-scm, hatch-vcs, pdm-scm, poetry-dynamic-versioning,
`[project].dynamic`) are recognised and reported, never rewritten.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.errors import GateError
from gates.knowledge.version_source import (
    KINDS,
    PLACEHOLDERS,
    PYTHON_KINDS,
    Span,
    VersionSource,
    absent,
    default_key,
    kind_of,
    placeholder,
    with_placeholder,
)

if TYPE_CHECKING:
    from semver import Version

# re-exported: callers import these from here
__all__ = [
    "KINDS",
    "PLACEHOLDERS",
    "PYTHON_KINDS",
    "Span",
    "VersionSource",
    "current_version",
    "detect_sources",
    "placeholder",
    "plan_writes",
    "read_sources",
    "workspace_root",
    "write_version",
]

CHART_PLACES = (
    "Chart.yaml",
    "chart/Chart.yaml",
    "charts/*/Chart.yaml",
    "helm/Chart.yaml",
    "helm/*/Chart.yaml",
)
SKIPPED_FOLDERS = frozenset(
    {"tests", "test", "docs", "doc", "examples", "build", "dist", "node_modules", "venv"}
)


# --- reading --------------------------------------------------------------------------------


def read_sources(root: Path, section: dict[str, Any]) -> list[VersionSource]:
    """The declared sources (`versioning.sources`), or those found when none are declared."""
    declared = section.get("sources") or []
    if declared:
        return [_read_declared(root, spec) for spec in declared]
    return detect_sources(root)


def _read_declared(root: Path, spec: dict[str, Any]) -> VersionSource:
    name = spec["file"]
    kind = spec.get("kind") or kind_of(name)
    path = _inside(root, name)
    key = spec.get("key") or default_key(kind)
    if not path.is_file():
        return VersionSource(name, kind, key, None, error="no such file")
    text, problem = _text(path)
    if text is None:
        return VersionSource(name, kind, key, None, error=problem)
    from gates.knowledge.version_readers import read_source

    return read_source(
        kind, name, text, spec.get("pattern") if kind == "pattern" else spec.get("key")
    )


def _inside(root: Path, name: str) -> Path:
    from gates.adapters.repo_paths import inside

    return inside(root, name, "versioning.sources")


def _text(path: Path) -> tuple[str | None, str | None]:
    if path.is_symlink():
        from gates.errors import UnsafePathError

        raise UnsafePathError(
            f"{path.name} is a symbolic link (to {os.readlink(path)}): refused",
            hint="a version source must be a regular file inside the repository",
        )
    try:
        return path.read_bytes().decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 ({exc.reason})"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror}"


def detect_sources(root: Path) -> list[VersionSource]:
    """Every version source found by convention: pyproject.toml, `__version__` in the packages,
    package.json, Cargo.toml, Chart.yaml (version and appVersion) and VERSION."""
    found = _detected_pyproject(root)
    found += _detected_modules(root, {s.file for s in found})
    found += _detected_package_json(root)
    found += _detected_cargo(root)
    found += _detected_charts(root)
    found += _detected_version_file(root)
    return [with_placeholder(source) for source in found]


def _detected_pyproject(root: Path) -> list[VersionSource]:
    """pyproject.toml's versions, and the files a dynamic version is read from."""
    if not (root / "pyproject.toml").is_file():
        return []
    from gates.knowledge.version_readers.toml_files import (
        pyproject_sources,
        sources_in_pyproject,
    )

    text, problem = _text(root / "pyproject.toml")
    if text is None:
        return [
            VersionSource("pyproject.toml", "pyproject", "project.version", None, error=problem)
        ]
    try:
        data = tomllib.loads(text)  # once, for the versions and the files they point to
    except tomllib.TOMLDecodeError:
        return pyproject_sources("pyproject.toml", text, None)  # which says why
    found = sources_in_pyproject("pyproject.toml", text, data, None)
    return [s for s in found if not absent(s)] + _followed(root, data)


def _detected_modules(root: Path, seen: set[str]) -> list[VersionSource]:
    """`__version__` in the top-level packages (and src/), except in files already read."""
    from gates.knowledge.version_readers.python_module import read_python_module

    found = []
    for path in _python_candidates(root):
        name = path.relative_to(root).as_posix()
        if name in seen:
            continue
        text, _ = _text(path)
        source = read_python_module(name, text, "__version__", explicit=False) if text else None
        if source is not None:
            found.append(source)
    return found


def _detected_package_json(root: Path) -> list[VersionSource]:
    """package.json's version, unless it is a private workspace root's."""
    if not (root / "package.json").is_file():
        return []
    from gates.knowledge.version_readers.package_json import read_package_json

    text, problem = _text(root / "package.json")
    if text is None:
        return [VersionSource("package.json", "package.json", "version", None, error=problem)]
    source = read_package_json("package.json", text)
    if absent(source) or workspace_root(root, text):
        return []
    return [source]


def _detected_cargo(root: Path) -> list[VersionSource]:
    if not (root / "Cargo.toml").is_file():
        return []
    from gates.knowledge.version_readers.toml_files import read_cargo

    text, problem = _text(root / "Cargo.toml")
    source = (
        read_cargo("Cargo.toml", text, None)
        if text is not None
        else VersionSource("Cargo.toml", "cargo", "package.version", None, error=problem)
    )
    return [] if absent(source) else [source]


def _detected_charts(root: Path) -> list[VersionSource]:
    """Each chart's `version`, and its `appVersion` where it has one."""
    found = []
    for pattern in CHART_PLACES:
        for path in sorted(root.glob(pattern)):
            from gates.knowledge.version_readers.chart import read_chart

            name = path.relative_to(root).as_posix()
            text, problem = _text(path)
            if text is None:
                found.append(VersionSource(name, "chart", "version", None, error=problem))
                continue
            chart = read_chart(name, text, "version")
            found.append(chart)
            app = read_chart(name, text, "appVersion")
            if not absent(app) and not (chart.error or "").startswith("invalid YAML"):
                found.append(app)
    return found


def _detected_version_file(root: Path) -> list[VersionSource]:
    if not (root / "VERSION").is_file():
        return []
    from gates.knowledge.version_readers.plain_text import read_version_file

    text, problem = _text(root / "VERSION")
    if text is None:
        return [VersionSource("VERSION", "version-file", "VERSION", None, error=problem)]
    return [read_version_file("VERSION", text)]


WORKSPACE_FILES = ("pnpm-workspace.yaml", "lerna.json")


def workspace_root(root: Path, text: str) -> bool:
    """A `"private": true` workspace root (a monorepo's: `workspaces`, pnpm or lerna) is never
    published: its version is no release of anything (a private application's still is)."""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    if not isinstance(data, dict) or data.get("private") is not True:
        return False
    return "workspaces" in data or any((root / name).is_file() for name in WORKSPACE_FILES)


def _python_candidates(root: Path) -> Iterator[Path]:
    for base in (root, root / "src"):
        if not base.is_dir():
            continue
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            if (
                folder.name.startswith((".", "_"))
                or folder.name in SKIPPED_FOLDERS
                or folder.name == "src"
            ):
                continue
            for module in ("__init__.py", "__about__.py"):
                if (folder / module).is_file():
                    yield folder / module


def _followed(root: Path, data: dict[str, Any]) -> list[VersionSource]:
    """The files a dynamic version is read from (hatch path, pdm file, setuptools attr, flit)."""
    from gates.knowledge.version_readers.toml_files import tool_table

    if "version" not in (data.get("project", {}).get("dynamic") or []):
        return []
    names: list[tuple[str, str]] = []
    for tool in ("hatch", "pdm"):
        spec = tool_table(data, tool).get("version", {})
        if (
            isinstance(spec, dict)
            and spec.get("path")
            and spec.get("source", "regex" if tool == "hatch" else "file") in ("regex", "file")
        ):
            names.append((spec["path"], "python"))
    setuptools = tool_table(data, "setuptools").get("dynamic", {}).get("version")
    if isinstance(setuptools, dict) and isinstance(setuptools.get("attr"), str):
        module, _, attribute = setuptools["attr"].rpartition(".")
        names += [(p, f"python:{attribute}") for p in _module_files(root, module)]
    if isinstance(setuptools, dict) and setuptools.get("file"):
        files = setuptools["file"]
        names += [(f, "version-file") for f in ([files] if isinstance(files, str) else files)]
    if data.get("build-system", {}).get("build-backend", "").startswith("flit") and data.get(
        "project", {}
    ).get("name"):
        names += [
            (p, "python") for p in _module_files(root, data["project"]["name"].replace("-", "_"))
        ]
    sources = []
    for name, spec in names:
        kind, _, key = spec.partition(":")
        sources.append(_read_declared(root, {"file": name, "kind": kind, "key": key or None}))
    return sources


def _module_files(root: Path, module: str) -> list[str]:
    relative = module.replace(".", "/")
    for base in ("", "src/"):
        for candidate in (f"{base}{relative}/__init__.py", f"{base}{relative}.py"):
            if (root / candidate).is_file():
                return [candidate]
    return []


# --- writing ----------------------------------------------------------------------------------


def plan_writes(
    root: Path, sources: list[VersionSource], spelled: Callable[[VersionSource], str]
) -> dict[Path, tuple[str, str]]:
    """Each file's old and new text, checked; a GateError when a rewrite is unsafe."""
    from gates.knowledge.version_rewrite import locate_version, rewrite_version

    by_file: dict[str, list[VersionSource]] = {}
    for source in sources:
        if source.dynamic:
            continue
        if source.error or source.version is None:
            raise GateError(
                f"{source.label}: {source.error or 'no version'}",
                hint="fix the file first; nothing was written",
            )
        by_file.setdefault(source.file, []).append(source)
    plans: dict[Path, tuple[str, str]] = {}
    for name, items in by_file.items():
        path = _inside(root, name)
        old, problem = _text(path)
        if old is None:
            raise GateError(f"{name}: {problem}")
        text = old
        for source in sorted(items, key=lambda s: s.span[0] if s.span else -1, reverse=True):
            current = locate_version(text, source)
            text = rewrite_version(text, current, spelled(source))
        if text != old:
            plans[path] = (old, text)
    return plans


def write_version(
    root: Path, section: dict[str, Any], version: str, *, dry_run: bool = False
) -> list[Path]:
    """Write `version` into every non-dynamic source; the files written (or, dry, to be written).

    Python sources get the PEP 440 spelling when the scheme is pep440; the
    others always get SemVer. All files are checked before the first is written.
    """
    from gates.knowledge.semver import VersionError, format_version, to_version

    scheme = section.get("scheme", "semver")
    try:
        parsed = to_version(version, scheme)
    except VersionError as exc:
        raise GateError(f"'{version}' is not a version: {exc}") from None
    sources = read_sources(root, section)
    if sources and all(s.dynamic for s in sources):
        via = ", ".join(sorted({s.via or "dynamic" for s in sources}))
        raise GateError(
            f"the version is dynamic ({via}); gate does not rewrite it",
            hint="the release tag sets it: git tag v{version}",
        )
    if not sources:
        raise GateError(
            "no version source to write",
            hint="declare one in versioning.sources, see `gate explain version`",
        )

    def spelled(source: VersionSource) -> str:
        try:
            return format_version(parsed, scheme if source.python else "semver")
        except VersionError as exc:
            raise GateError(f"{source.label}: {exc}") from None

    plans = plan_writes(root, sources, spelled)
    if not dry_run:
        from gates.adapters.atomic_files import atomic_write

        for path, (_old, new) in plans.items():
            atomic_write(path, new)
    return list(plans)


def current_version(root: Path, section: dict[str, Any]) -> tuple[Version, list[VersionSource]]:
    """The one version the sources agree on; a GateError when there is none, or they disagree."""
    from gates.knowledge.semver import VersionError, same_version, to_version

    scheme = section.get("scheme", "semver")
    sources = read_sources(root, section)
    static = [s for s in sources if not s.dynamic]
    if not sources:
        raise GateError(
            "no version source",
            hint="add a version to pyproject.toml, a VERSION file, "
            "or declare versioning.sources; see `gate explain version`",
        )
    if not static:
        via = ", ".join(sorted({s.via or "dynamic" for s in sources}))
        raise GateError(
            f"the version is dynamic ({via}); gate does not rewrite it",
            hint="the release tag sets it: git tag v{version}",
        )
    versions: list[tuple[VersionSource, Version]] = []
    for source in static:
        if source.error or source.version is None:
            raise GateError(
                f"{source.label}: {source.error or 'no version'}", hint="`gate check version`"
            )
        try:
            versions.append(
                (source, to_version(source.version, scheme if source.python else "semver"))
            )
        except VersionError as exc:
            raise GateError(f"{source.label}: '{source.version}' is not a version: {exc}") from None
    first = versions[0][1]
    if any(not same_version(v, first) for _, v in versions[1:]):
        listing = ", ".join(f"{s.label} = {s.version}" for s, _ in versions)
        raise GateError(
            f"the version sources disagree: {listing}",
            hint="`gate version bump X.Y.Z` writes one version everywhere",
        )
    return first, static
