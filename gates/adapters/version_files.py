"""Version sources: where a project declares its version, read and written in place.

pyproject.toml (`[project].version`, Poetry's `[tool.poetry].version`), a
module's `__version__`, package.json, Helm's Chart.yaml (`version` and
`appVersion`), a VERSION file, and a file plus a regex. Writing replaces the
characters of the version at the declared key and nothing else: quotes,
comments, spacing and line endings stay byte for byte, and a dependency pin
that carries the same version string is never touched. Every rewrite is
checked by parsing the file again: the document must equal the old one with
only that key changed, or nothing is written.

Dynamic versions (setuptools-scm, hatch-vcs, pdm-scm, poetry-dynamic-versioning,
`[project].dynamic`) are recognised and reported, never rewritten.
"""

from __future__ import annotations

import ast
import json
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.errors import GateError
from gates.knowledge.json_scan import top_level_string_span
from gates.knowledge.toml_scan import string_value_span

if TYPE_CHECKING:
    from semver import Version

KINDS = ("pyproject", "python", "package.json", "cargo", "chart", "version-file", "pattern")
# Versions that only hold a place: the release tooling sets the real one from the tags.
PLACEHOLDERS = frozenset(
    {"0.0.0-development", "0.0.0-semantically-released", "0.0.0-semantic-release", "0.0.0-dev"}
)
PYTHON_KINDS = ("pyproject", "python")
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
VCS_TOOLS = (
    "setuptools_scm",
    "setuptools-scm",
    "hatch-vcs",
    "poetry-dynamic-versioning",
    "versioneer",
    "dunamai",
)

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


# --- reading --------------------------------------------------------------------------------


def read_sources(root: Path, section: dict[str, Any]) -> list[VersionSource]:
    """The declared sources (`versioning.sources`), or those found when none are declared."""
    declared = section.get("sources") or []
    if declared:
        return [_read_declared(root, spec) for spec in declared]
    return detect_sources(root)


def _read_declared(root: Path, spec: dict[str, Any]) -> VersionSource:
    name = spec["file"]
    kind = spec.get("kind") or _kind_of(name)
    path = _inside(root, name)
    key = spec.get("key") or _default_key(kind)
    if not path.is_file():
        return VersionSource(name, kind, key, None, error="no such file")
    text, problem = _text(path)
    if text is None:
        return VersionSource(name, kind, key, None, error=problem)
    if kind == "pyproject":
        return _pyproject(name, text, spec.get("key"))[0]
    if kind == "python":
        return _python(name, text, key, explicit=True) or VersionSource(
            name, kind, key, None, error=f'no module-level `{key} = "..."` assignment'
        )
    if kind == "package.json":
        return _package_json(name, text)
    if kind == "cargo":
        return _cargo(name, text, spec.get("key"))
    if kind == "chart":
        return _chart(name, text, key)
    if kind == "version-file":
        return _version_file(name, text)
    return _pattern(name, text, spec.get("pattern") or "")


def _kind_of(name: str) -> str:
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


def _default_key(kind: str) -> str:
    return {
        "pyproject": "project.version",
        "python": "__version__",
        "package.json": "version",
        "cargo": "package.version",
        "chart": "version",
        "version-file": "VERSION",
        "pattern": "pattern",
    }[kind]


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
    return [_placeholder(source) for source in found]


def _detected_pyproject(root: Path) -> list[VersionSource]:
    """pyproject.toml's versions, and the files a dynamic version is read from."""
    if not (root / "pyproject.toml").is_file():
        return []
    text, problem = _text(root / "pyproject.toml")
    if text is None:
        return [
            VersionSource("pyproject.toml", "pyproject", "project.version", None, error=problem)
        ]
    found = [s for s in _pyproject("pyproject.toml", text, None) if not _absent(s)]
    return found + _followed(root, text)


def _detected_modules(root: Path, seen: set[str]) -> list[VersionSource]:
    """`__version__` in the top-level packages (and src/), except in files already read."""
    found = []
    for path in _python_candidates(root):
        name = path.relative_to(root).as_posix()
        if name in seen:
            continue
        text, _ = _text(path)
        source = _python(name, text, "__version__", explicit=False) if text else None
        if source is not None:
            found.append(source)
    return found


def _detected_package_json(root: Path) -> list[VersionSource]:
    """package.json's version, unless it is a private workspace root's."""
    if not (root / "package.json").is_file():
        return []
    text, problem = _text(root / "package.json")
    if text is None:
        return [VersionSource("package.json", "package.json", "version", None, error=problem)]
    source = _package_json("package.json", text)
    if _absent(source) or workspace_root(root, text):
        return []
    return [source]


def _detected_cargo(root: Path) -> list[VersionSource]:
    if not (root / "Cargo.toml").is_file():
        return []
    text, problem = _text(root / "Cargo.toml")
    source = (
        _cargo("Cargo.toml", text, None)
        if text is not None
        else VersionSource("Cargo.toml", "cargo", "package.version", None, error=problem)
    )
    return [] if _absent(source) else [source]


def _detected_charts(root: Path) -> list[VersionSource]:
    """Each chart's `version`, and its `appVersion` where it has one."""
    found = []
    for pattern in CHART_PLACES:
        for path in sorted(root.glob(pattern)):
            name = path.relative_to(root).as_posix()
            text, problem = _text(path)
            if text is None:
                found.append(VersionSource(name, "chart", "version", None, error=problem))
                continue
            chart = _chart(name, text, "version")
            found.append(chart)
            app = _chart(name, text, "appVersion")
            if not _absent(app) and not (chart.error or "").startswith("invalid YAML"):
                found.append(app)
    return found


def _detected_version_file(root: Path) -> list[VersionSource]:
    if not (root / "VERSION").is_file():
        return []
    text, problem = _text(root / "VERSION")
    if text is None:
        return [VersionSource("VERSION", "version-file", "VERSION", None, error=problem)]
    return [_version_file("VERSION", text)]


def _placeholder(source: VersionSource) -> VersionSource:
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


def _absent(source: VersionSource) -> bool:
    """The file exists but declares no version at this key (not a source, when detecting)."""
    return source.error is not None and source.error.startswith("no ")


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


# --- pyproject.toml ---------------------------------------------------------------------------


def _pyproject(name: str, text: str, key: str | None) -> list[VersionSource]:
    """[project].version and/or [tool.poetry].version; `key` picks one."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [
            VersionSource(
                name, "pyproject", key or "project.version", None, error=f"invalid TOML: {exc}"
            )
        ]
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


def _cargo(name: str, text: str, key: str | None) -> VersionSource:
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
    via = _dynamic_via(data)
    if key == "project.version" and "version" in (data.get("project", {}).get("dynamic") or []):
        return VersionSource(
            name, "pyproject", key, None, dynamic=True, via=via or "listed in [project].dynamic"
        )
    if key == "tool.poetry.version" and _tool(data, "poetry-dynamic-versioning").get("enabled"):
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


def _tool(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get("tool", {}).get(name, {})
    return value if isinstance(value, dict) else {}


def _get(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _dynamic_via(data: dict[str, Any]) -> str | None:
    """How a dynamic version is computed, as far as pyproject.toml says."""
    return (
        _hatch_via(data)
        or _pdm_via(data)
        or _setuptools_via(data)
        or _build_requires_via(data)
        or _build_backend_via(data)
    )


def _hatch_via(data: dict[str, Any]) -> str | None:
    hatch = _tool(data, "hatch").get("version", {})
    if not isinstance(hatch, dict):
        return None
    if hatch.get("source") == "vcs":
        return "hatch-vcs (from git tags)"
    if hatch.get("path"):
        return f"hatch: read from {hatch['path']}"
    return None


def _pdm_via(data: dict[str, Any]) -> str | None:
    pdm = _tool(data, "pdm").get("version", {})
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
    setuptools = _tool(data, "setuptools").get("dynamic", {}).get("version")
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


def _followed(root: Path, text: str) -> list[VersionSource]:
    """The files a dynamic version is read from (hatch path, pdm file, setuptools attr, flit)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    if "version" not in (data.get("project", {}).get("dynamic") or []):
        return []
    names: list[tuple[str, str]] = []
    for tool in ("hatch", "pdm"):
        spec = _tool(data, tool).get("version", {})
        if (
            isinstance(spec, dict)
            and spec.get("path")
            and spec.get("source", "regex" if tool == "hatch" else "file") in ("regex", "file")
        ):
            names.append((spec["path"], "python"))
    setuptools = _tool(data, "setuptools").get("dynamic", {}).get("version")
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


# --- Python modules ---------------------------------------------------------------------------


def _python(name: str, text: str | None, key: str, *, explicit: bool) -> VersionSource | None:
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


# --- package.json -----------------------------------------------------------------------------


def _package_json(name: str, text: str) -> VersionSource:
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


# --- Chart.yaml, VERSION, pattern -----------------------------------------------------------


def _chart(name: str, text: str, key: str) -> VersionSource:
    import yaml

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


def _version_file(name: str, text: str) -> VersionSource:
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


def _pattern(name: str, text: str, pattern: str) -> VersionSource:
    from gates.knowledge.patterns import compile_pattern

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


# --- writing ----------------------------------------------------------------------------------


def _reader(source: VersionSource) -> Callable[[str], VersionSource | None]:
    if source.kind == "pyproject":
        return lambda text: _pyproject(source.file, text, source.key)[0]
    if source.kind == "python":
        return lambda text: _python(source.file, text, source.key, explicit=True)
    if source.kind == "package.json":
        return lambda text: _package_json(source.file, text)
    if source.kind == "cargo":
        return lambda text: _cargo(source.file, text, source.key)
    if source.kind == "chart":
        return lambda text: _chart(source.file, text, source.key)
    if source.kind == "version-file":
        return lambda text: _version_file(source.file, text)
    return lambda text: _pattern(source.file, text, source.key)


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


def plan_writes(
    root: Path, sources: list[VersionSource], spelled: Callable[[VersionSource], str]
) -> dict[Path, tuple[str, str]]:
    """Each file's old and new text, checked; a GateError when a rewrite is unsafe."""
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
            current = _reader(source)(text)
            if current is None or current.span is None or current.version != source.version:
                raise GateError(
                    f"{source.label}: the version text cannot be rewritten in place",
                    hint="write it as a plain one-line string (no escapes, no inline table)",
                )
            new_version = spelled(source)
            start, end = current.span
            changed = text[:start] + new_version + text[end:]
            after = _reader(source)(changed)
            expected = _expected(
                source.kind, _structure(source.kind, text), current, new_version, text
            )
            if (
                after is None
                or after.version != new_version
                or _structure(source.kind, changed) != expected
            ):
                raise GateError(
                    f"{source.label}: rewriting the version would change more than the version; "
                    "nothing was written"
                )
            text = changed
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
