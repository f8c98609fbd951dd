"""The components of a repository, declared (`components:` in the policy) or detected from
the workspace files teams already keep: pnpm-workspace.yaml, package.json workspaces, a
Cargo workspace, several pyproject.toml under packages/ or services/, Helm charts under
charts/. Every path stays inside the repository; nothing is run."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.errors import GateError, PolicyError
from gates.knowledge.components import Component, tag_style

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gates.context import Context


def components(ctx: Context, tags: list[tuple[str, str]] | None = None) -> list[Component]:
    """The policy's components when it declares them, else those the workspace files name;
    their tag style, when the policy does not set one, follows the existing tags (`tags`,
    when the caller has them already)."""
    declared = ctx.policy.data.get("components")
    if declared:
        return [_declared(entry, index) for index, entry in enumerate(declared)]
    found = detect(ctx.root)
    if not found:
        return []
    names = (name for name, _ in (ctx.git.tags() if tags is None else tags))
    style = tag_style(names, (c.name for c in found))
    return [c._replace(tag_format=style) for c in found]


def scope(ctx: Context) -> Component | None:
    """The component a command is narrowed to (`--component NAME`), or None."""
    name = ctx.options.get("component")
    if not name:
        return None
    if "_component" not in ctx.options:
        ctx.options["_component"] = find(ctx, name)
    return ctx.options["_component"]


def tag_format(ctx: Context) -> str:
    """The release tags' format: the component's under --component, else the policy's."""
    component = scope(ctx)
    if component is not None:
        return component.tag
    from gates.policy.sections import VersioningOptions

    return VersioningOptions.from_policy(ctx.policy).tag_format


def source_root(ctx: Context) -> Path:
    """Where the version sources are: the component's folder under --component."""
    from gates.adapters.repo_paths import inside

    component = scope(ctx)
    return ctx.root if component is None else inside(ctx.root, component.path, "components.path")


def versioning_for(ctx: Context) -> dict[str, Any]:
    """The versioning settings a command reads sources with: under --component, the
    component's own (its sources found by convention in its folder)."""
    versioning = ctx.policy.section("versioning")
    component = scope(ctx)
    if component is None:
        return versioning
    own = dict(component.settings.get("versioning") or {})
    return {"scheme": versioning.get("scheme") or "semver", **own}


def changelog_for(ctx: Context) -> dict[str, Any]:
    """The changelog settings: under --component, the component's changelog file."""
    section = ctx.policy.section("changelog")
    component = scope(ctx)
    return section if component is None else {**section, "file": component.changelog_file}


def is_monorepo(ctx: Context) -> bool:
    """Components are released on their own: the policy declares them, or the workspace
    names some and the root declares no version of its own (a private root package.json
    does not count)."""
    from gates.adapters.version_files import read_sources

    if ctx.policy.data.get("components"):
        return True
    private = (_json(ctx.root / "package.json") or {}).get("private") is True
    root = [
        s
        for s in read_sources(ctx.root, ctx.policy.section("versioning"))
        if s.version and not (private and s.kind == "package.json")
    ]
    return not root and bool(components(ctx))


def find(ctx: Context, name: str) -> Component:
    """One component by name; a usage error naming the known ones otherwise."""
    from gates.errors import UsageError

    known = components(ctx)
    for component in known:
        if component.name == name:
            return component
    listed = ", ".join(c.name for c in known[:8]) + (" …" if len(known) > 8 else "")
    raise UsageError(
        f"no component named '{name}'",
        hint=f"known: {listed}" if known else "this repository has no components (gate components)",
    )


def _declared(entry: Any, index: int) -> Component:
    if not isinstance(entry, dict) or not entry.get("name") or not entry.get("path"):
        raise PolicyError(
            f"components[{index}]: a component needs a name and a path",
            hint="components: [{name: api, path: services/api}]",
        )
    path = str(entry["path"]).strip("/")
    return Component(
        name=str(entry["name"]),
        path=path,
        kind="declared",
        tag_format=str(entry.get("tag_format") or "{name}@{version}"),
        changelog=str(entry.get("changelog") or ""),
        depends=tuple(entry.get("depends") or ()),
        settings={k: v for k, v in entry.items() if isinstance(v, dict)},
        scopes=tuple(entry.get("scopes") or ()),
        also=tuple(str(p).strip("/") for p in entry.get("also") or ()),
    )


def detect(root: Path) -> list[Component]:
    """Components named by the workspace files, published ones only, by name."""
    found: dict[str, Component] = {}
    for folder, kind in _members(root):
        component = _read(root, folder, kind)
        if component is not None and not component.private:
            found.setdefault(component.name, component)
    names = set(found)
    return sorted(
        (c._replace(depends=tuple(d for d in c.depends if d in names)) for c in found.values()),
        key=lambda c: c.name,
    )


def _members(root: Path) -> Iterator[tuple[Path, str]]:
    """(folder, kind) of every workspace member the repository's files name."""
    patterns: list[str] = []
    pnpm = _text(root, "pnpm-workspace.yaml")
    if pnpm is not None:
        import yaml

        try:
            patterns += list((yaml.safe_load(pnpm) or {}).get("packages") or [])
        except yaml.YAMLError as exc:
            raise GateError(f"pnpm-workspace.yaml is not valid YAML: {exc}") from None
    package = _json(root / "package.json")
    workspaces = (package or {}).get("workspaces")
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    patterns += [p for p in workspaces or [] if isinstance(p, str)]
    for folder in _expand(root, patterns):
        yield folder, "npm"
    cargo = _toml(root / "Cargo.toml")
    members = ((cargo or {}).get("workspace") or {}).get("members") or []
    for folder in _expand(root, [m for m in members if isinstance(m, str)]):
        yield folder, "cargo"
    for folder in _expand(root, ["packages/*", "services/*"]):
        if (folder / "pyproject.toml").is_file():
            yield folder, "python"
    for folder in _expand(root, ["charts/*"]):
        yield folder, "helm"


def _expand(root: Path, patterns: list[str]) -> list[Path]:
    """The folders the workspace globs name, inside the repository, negations applied."""
    included: dict[Path, None] = {}
    excluded: set[Path] = set()
    resolved_root = root.resolve()
    for written in patterns:
        negated = written.startswith("!")
        pattern = written.lstrip("!").strip("/") or "."
        if ".." in Path(pattern).parts:
            continue
        for folder in sorted(root.glob(pattern)):
            if not folder.is_dir() or folder.is_symlink():
                continue
            if not folder.resolve().is_relative_to(resolved_root):
                continue
            (excluded.add(folder) if negated else included.setdefault(folder, None))
    return [folder for folder in included if folder not in excluded]


def _read(root: Path, folder: Path, kind: str) -> Component | None:
    path = folder.relative_to(root).as_posix()
    if kind == "npm":
        data = _json(folder / "package.json")
        if not data or not isinstance(data.get("name"), str):
            return None
        deps = {
            name
            for key in ("dependencies", "devDependencies", "peerDependencies")
            for name in (data.get(key) or {})
        }
        return Component(
            data["name"],
            path,
            kind,
            depends=tuple(sorted(deps)),
            private=data.get("private") is True,
        )
    if kind == "cargo":
        data = _toml(folder / "Cargo.toml") or {}
        package = data.get("package") or {}
        if not isinstance(package.get("name"), str):
            return None
        deps = tuple(sorted(data.get("dependencies") or {}))
        return Component(
            package["name"], path, kind, depends=deps, private=package.get("publish") is False
        )
    if kind == "python":
        project = (_toml(folder / "pyproject.toml") or {}).get("project") or {}
        name = project.get("name")
        return Component(name, path, kind) if isinstance(name, str) else None
    chart = _text(folder, "Chart.yaml")
    if chart is None:
        return None
    import yaml

    try:
        name = (yaml.safe_load(chart) or {}).get("name")
    except yaml.YAMLError:
        return None
    return Component(name, path, kind) if isinstance(name, str) else None


def _text(folder: Path, name: str) -> str | None:
    path = folder / name
    if not path.is_file() or path.is_symlink():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _json(path: Path) -> dict[str, Any] | None:
    text = _text(path.parent, path.name)
    try:
        data = json.loads(text) if text is not None else None
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _toml(path: Path) -> dict[str, Any] | None:
    text = _text(path.parent, path.name)
    try:
        return tomllib.loads(text) if text is not None else None
    except tomllib.TOMLDecodeError:
        return None
