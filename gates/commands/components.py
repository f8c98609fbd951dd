"""`gate components`: the components of a monorepo, declared or detected, with their versions."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "components",
        help="the components of a monorepo, declared or detected",
        description=(
            "The components of this repository: those the policy declares (`components:`), or"
            " those its workspace files name (pnpm-workspace.yaml, package.json workspaces, a"
            " Cargo workspace, pyproject.toml under packages/ or services/, charts/), private"
            " packages left out; each with its path, declared version, tag format and latest"
            " release tag. `gate version next --component NAME` and `gate changelog --component"
            " NAME` work on one of them."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--next",
        action="store_true",
        help="also each component's next version and bump (reads each one's history)",
    )
    parser.add_argument(
        "--policy", metavar="FILE", help="policy file instead of .gate.yaml / [tool.gate]"
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import json

    from gates.adapters.version_files import detect_sources
    from gates.adapters.workspaces import components
    from gates.commands._common import build_context
    from gates.knowledge.components import in_dependency_order, split_tags
    from gates.policy.sections import VersioningOptions

    ctx = build_context(args, None)
    every_tag = ctx.git.tags()
    found = in_dependency_order(components(ctx, every_tag))
    scheme = VersioningOptions.from_policy(ctx.policy).scheme
    tags = split_tags(every_tag, found, scheme)
    rows = []
    for component in found:
        sources = [s for s in detect_sources(ctx.root / component.path) if s.version]
        released = tags.get(component.name, [])
        rows.append(
            {
                "component": component.name,
                "path": component.path,
                "kind": component.kind,
                "version": sources[0].version if sources else None,
                "tag_format": component.tag,
                "latest_tag": released[0].name if released else None,
                "released": str(released[0].version) if released else None,
                "tags": len(released),
                "depends": list(component.depends),
            }
        )
        if args.next:
            rows[-1].update(_next(ctx, component.name))
    if args.json:
        print(json.dumps({"components": rows}, indent=2))
        return 0
    if not rows:
        print(
            "no components: no `components:` in the policy, and no workspace file names a"
            " published package"
        )
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title="components, dependencies first", title_justify="left")
    columns = ["component", "path", "version", "released", "tags"]
    columns += ["next", "bump"] if args.next else []
    for column in columns:
        table.add_column(column)
    for row in rows:
        cells = [row["component"], row["path"], row["version"], row["released"], row["tags"]]
        cells += [row["next"], row["bump"]] if args.next else []
        table.add_row(*("-" if cell is None else str(cell) for cell in cells))
    Console().print(table)
    return 0


def _next(ctx: Any, name: str) -> dict[str, Any]:
    """The component's next version by the history model (its tags, its commits)."""
    from gates.context import Context
    from gates.release.next_version import next_version

    narrowed = Context(ctx.root, ctx.policy, None, options={"component": name}, env=ctx.env)
    upcoming = next_version(narrowed, api=False)
    return {"next": upcoming.next, "bump": upcoming.bump}
