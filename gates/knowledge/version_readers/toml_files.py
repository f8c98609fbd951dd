"""pyproject.toml and Cargo.toml: the version's key, its place in the text, dynamic versions.

pyproject.toml declares `[project].version` or Poetry's `[tool.poetry].version`,
or says the version is dynamic and, as far as the file tells, how it is computed
(hatch-vcs, setuptools-scm, pdm, flit, ...). Cargo.toml declares `[package].version`
or `[workspace.package].version`.
"""

from __future__ import annotations

import tomllib
from typing import Any

from gates.knowledge.toml_scan import string_value_span
from gates.knowledge.version_source import VersionSource

VCS_TOOLS = (
    "setuptools_scm",
    "setuptools-scm",
    "hatch-vcs",
    "poetry-dynamic-versioning",
    "versioneer",
    "dunamai",
)


def read_pyproject(name: str, text: str, key: str | None) -> VersionSource:
    """The first of pyproject.toml's versions (`key` picks one)."""
    return pyproject_sources(name, text, key)[0]


def pyproject_sources(name: str, text: str, key: str | None) -> list[VersionSource]:
    """[project].version and/or [tool.poetry].version; `key` picks one."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [
            VersionSource(
                name, "pyproject", key or "project.version", None, error=f"invalid TOML: {exc}"
            )
        ]
    return sources_in_pyproject(name, text, data, key)


def sources_in_pyproject(
    name: str, text: str, data: dict[str, Any], key: str | None
) -> list[VersionSource]:
    """pyproject_sources for a document already parsed: `data` is `text` read by tomllib."""
    keys = (
        [key]
        if key
        else [k for k in ("project.version", "tool.poetry.version") if _has_table(data, k)]
    )
    if not keys:
        keys = ["project.version"]
    sources = []
    for item in keys:
        sources.append(_pyproject_key(name, text, data, item))
    return sources


def read_cargo(name: str, text: str, key: str | None) -> VersionSource:
    """Cargo.toml's [package].version, or [workspace.package].version; a package that
    inherits it (`version.workspace = true`) declares none of its own."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return VersionSource(
            name, "cargo", key or "package.version", None, error=f"invalid TOML: {exc}"
        )
    for item in [key] if key else ["package.version", "workspace.package.version"]:
        value = _get(data, item)
        if isinstance(value, str):
            located = string_value_span(text, tuple(item.split(".")))
            line = text.count("\n", 0, located[0]) + 1 if located else None
            return VersionSource(name, "cargo", item, value, line=line, span=located)
    wanted = key or "package.version"
    return VersionSource(name, "cargo", wanted, None, error=f"no {wanted} string")


def _has_table(data: dict[str, Any], dotted: str) -> bool:
    node: Any = data
    for part in dotted.split(".")[:-1]:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return isinstance(node, dict)


def _pyproject_key(name: str, text: str, data: dict[str, Any], key: str) -> VersionSource:
    via = dynamic_via(data)
    if key == "project.version" and "version" in (data.get("project", {}).get("dynamic") or []):
        return VersionSource(
            name, "pyproject", key, None, dynamic=True, via=via or "listed in [project].dynamic"
        )
    if key == "tool.poetry.version" and tool_table(data, "poetry-dynamic-versioning").get(
        "enabled"
    ):
        return VersionSource(
            name,
            "pyproject",
            key,
            None,
            dynamic=True,
            via="poetry-dynamic-versioning (from git tags)",
        )
    value = _get(data, key)
    if value is None:
        return VersionSource(name, "pyproject", key, None, error=f"no {key}")
    if not isinstance(value, str):
        return VersionSource(name, "pyproject", key, None, error=f"{key} is not a string")
    located = string_value_span(text, tuple(key.split(".")))
    line = text.count("\n", 0, located[0]) + 1 if located else None
    return VersionSource(name, "pyproject", key, value, line=line, span=located)


def tool_table(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get("tool", {}).get(name, {})
    return value if isinstance(value, dict) else {}


def _get(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def dynamic_via(data: dict[str, Any]) -> str | None:
    """How a dynamic version is computed, as far as pyproject.toml says."""
    return (
        _hatch_via(data)
        or _pdm_via(data)
        or _setuptools_via(data)
        or _build_requires_via(data)
        or _build_backend_via(data)
    )


def _hatch_via(data: dict[str, Any]) -> str | None:
    hatch = tool_table(data, "hatch").get("version", {})
    if not isinstance(hatch, dict):
        return None
    if hatch.get("source") == "vcs":
        return "hatch-vcs (from git tags)"
    if hatch.get("path"):
        return f"hatch: read from {hatch['path']}"
    return None


def _pdm_via(data: dict[str, Any]) -> str | None:
    pdm = tool_table(data, "pdm").get("version", {})
    if not isinstance(pdm, dict):
        return None
    if pdm.get("source") == "scm":
        return "pdm-backend scm (from git tags)"
    if pdm.get("source") == "file" and pdm.get("path"):
        return f"pdm: read from {pdm['path']}"
    return None


def _setuptools_via(data: dict[str, Any]) -> str | None:
    if "setuptools_scm" in data.get("tool", {}):
        return "setuptools-scm (from git tags)"
    setuptools = tool_table(data, "setuptools").get("dynamic", {}).get("version")
    if not isinstance(setuptools, dict):
        return None
    if "attr" in setuptools:
        return f"setuptools: attr {setuptools['attr']}"
    if "file" in setuptools:
        return f"setuptools: file {setuptools['file']}"
    return None


def _build_requires_via(data: dict[str, Any]) -> str | None:
    """A VCS versioning plugin among the build requirements."""
    requires = " ".join(data.get("build-system", {}).get("requires", []))
    return next((f"{tool} (from git tags)" for tool in VCS_TOOLS if tool in requires), None)


def _build_backend_via(data: dict[str, Any]) -> str | None:
    backend = data.get("build-system", {}).get("build-backend", "")
    return "flit: __version__ of the module" if backend.startswith("flit") else None
