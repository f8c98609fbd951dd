"""`gate version [show|next|validate VERSION|bump PART|auto]`: the release manager's tools."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.table import Table

    from gates.context import Context
    from gates.release.next_version import NextVersion

ACTIONS = ("show", "next", "validate", "bump", "auto")
BUMP_PARTS = ("major", "minor", "patch", "prerelease", "release", "auto")

DESCRIPTION = """\
show                 every version source and the latest release tags, as a table
next                 the next version (stdout) and why (stderr), from tags, commits and API
validate VERSION     exit 0 if VERSION is a semantic version, else 1 and why
                     (a value that begins with '-' goes after `--`: validate -- -1.0.0)
bump PART            write the bumped version into every source: major, minor, patch,
                     prerelease (rc.1 → rc.2), release (rc → final), auto (= next) or X.Y.Z
auto                 the same as `bump auto`
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "version",
        help="show, validate, compute or bump the version",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "action", nargs="?", default="show", choices=ACTIONS, help="what to do (default: show)"
    )
    parser.add_argument(
        "value",
        nargs="?",
        metavar="VERSION|PART",
        help="the version to validate, or the part to bump",
    )
    parser.add_argument(
        "--pre",
        metavar="LABEL",
        nargs="?",
        const="",
        default=None,
        help="a pre-release: next --pre, bump minor --pre rc (default: versioning.prerelease)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="bump: say what would be written, write nothing"
    )
    parser.add_argument("--json", action="store_true", help="show/next: print JSON")
    parser.add_argument(
        "--scheme",
        choices=("semver", "pep440"),
        help="validate: the scheme (default: the policy's)",
    )
    parser.add_argument(
        "--no-api",
        dest="api",
        action="store_false",
        default=None,
        help="next/bump auto: leave out the public API comparison (griffe)",
    )
    parser.add_argument(
        "--branch", metavar="NAME", help="branch name (default: current, or from CI)"
    )
    parser.add_argument(
        "--component",
        metavar="NAME",
        help="one component of a monorepo: its tags and the commits that change its files",
    )
    parser.add_argument(
        "--policy", metavar="FILE", help="policy file instead of .gate.yaml / [tool.gate]"
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from gates.errors import UsageError

    if args.action == "validate":
        if args.value is None:
            raise UsageError("validate needs a VERSION", hint="gate version validate 1.2.3")
        return _validate(args)
    if args.action == "auto":
        if args.value is not None:
            raise UsageError(f"`gate version auto` takes no argument, got '{args.value}'")
        args.action, args.value = "bump", "auto"
    if args.action in ("show", "next") and args.value is not None:
        raise UsageError(f"`gate version {args.action}` takes no argument, got '{args.value}'")
    from gates.commands._common import build_context

    ctx = build_context(args, None)
    if args.action == "next":
        return _next(ctx, args)
    if args.action == "bump":
        return _bump(ctx, args)
    return _show(ctx, args)


def _pre_label(ctx: Context, args: argparse.Namespace) -> str | None:
    if args.pre is None:
        return None
    from gates.policy.sections import VersioningOptions

    return args.pre or VersioningOptions.from_policy(ctx.policy).prerelease


def _validate(args: argparse.Namespace) -> int:
    from gates.knowledge.semver import VersionError, to_version

    scheme = args.scheme
    if scheme is None:
        from pathlib import Path

        from gates.commands._common import repository_root
        from gates.policy import load_policy

        policy = load_policy(
            repository_root(), Path(args.policy).resolve() if args.policy else None
        )
        from gates.policy.sections import VersioningOptions

        scheme = VersioningOptions.from_policy(policy).scheme
    try:
        version = to_version(args.value, scheme)
    except VersionError as exc:
        print(f"invalid: {args.value!r}: {exc}", file=sys.stderr)
        return 1
    spelled = "" if str(version) == args.value else f" (PEP 440 spelling of {version})"
    print(f"valid: {args.value}{spelled}")
    return 0


def _next(ctx: Context, args: argparse.Namespace) -> int:
    from gates.release.next_version import next_version

    upcoming = next_version(ctx, pre=_pre_label(ctx, args), api=args.api)
    if args.json:
        import json

        document = upcoming.to_dict()
        if args.component:  # DESIGN.md: JSON carries the component where one applies
            document["component"] = args.component
        print(json.dumps(document, indent=2))
        return 0
    for note in upcoming.notes:
        print(f"note: {note}", file=sys.stderr)
    if upcoming.next is None:
        print(f"  {upcoming.reasons[0]}", file=sys.stderr)
        return 0
    print(upcoming.next)
    latest = f"latest {upcoming.latest_tag}" if upcoming.latest_tag else "no release tag yet"
    print(
        f"  {latest}; bump: {upcoming.bump or 'none'}; {upcoming.commits} commit(s) since",
        file=sys.stderr,
    )
    for reason in upcoming.reasons:
        print(f"  - {reason}", file=sys.stderr)
    return 0


def _bump(ctx: Context, args: argparse.Namespace) -> int:
    from gates.adapters.version_files import current_version, write_version
    from gates.errors import UsageError
    from gates.knowledge.semver import (
        PARTS,
        VersionError,
        bump,
        format_version,
        parse_version,
        same_version,
    )
    from gates.policy.sections import VersioningOptions

    section = ctx.policy.section("versioning")
    scheme = VersioningOptions(section).scheme
    part = args.value
    if part is None:
        raise UsageError(
            "bump needs a PART", hint=f"one of {', '.join(BUMP_PARTS)}, or a version X.Y.Z"
        )
    current, _sources = current_version(ctx.root, section)
    explicit = parse_version(part, scheme)
    reasons: list[str] = []
    if part == "auto":
        from gates.release.next_version import next_version

        upcoming = next_version(ctx, pre=_pre_label(ctx, args), api=args.api)
        if upcoming.next is None:
            print(f"{upcoming.reasons[0]}; nothing to bump")
            return 0
        target = parse_version(upcoming.next, scheme)
        reasons = upcoming.reasons
    elif part in PARTS:
        try:
            target = bump(current, part, _pre_label(ctx, args))
        except VersionError as exc:
            raise UsageError(f"cannot bump {current} by {part}: {exc}") from None
    elif explicit is not None:
        target = explicit
    else:
        raise UsageError(
            f"'{part}' is neither a part nor a version",
            hint=f"one of {', '.join(BUMP_PARTS)}, or a version X.Y.Z",
        )
    assert target is not None
    for reason in reasons:
        print(f"  - {reason}", file=sys.stderr)
    if same_version(target, current):
        print(f"{current}: already the version, nothing to write")
        return 0
    if target < current:
        print(f"note: {target} is lower than the current {current}", file=sys.stderr)
    written = write_version(ctx.root, section, format_version(target), dry_run=args.dry_run)
    verb = "would write" if args.dry_run else "wrote"
    print(f"{current} → {target}")
    for path in written:
        print(f"  {verb} {path.relative_to(ctx.root).as_posix()}")
    return 0


def _show(ctx: Context, args: argparse.Namespace) -> int:
    overview = _overview(ctx)
    if args.json:
        _print_overview_json(overview, args.component)
    else:
        _print_overview(overview)
    return 0


@dataclass
class _Overview:
    """What `gate version show` reports: the version sources, the branch's release tags and
    the next version (or why the tags could not be read)."""

    sources: list[dict[str, Any]]
    tags: list[dict[str, Any]] = field(default_factory=list)
    latest: str | None = None
    notes: list[str] = field(default_factory=list)
    upcoming: NextVersion | None = None
    problem: str | None = None


def _overview(ctx: Context) -> _Overview:
    from gates.adapters.version_files import read_sources
    from gates.adapters.workspaces import source_root, versioning_for
    from gates.errors import GateError
    from gates.policy.sections import VersioningOptions
    from gates.release.next_version import next_version, tag_state

    section = versioning_for(ctx)
    sources = read_sources(source_root(ctx), section)
    overview = _Overview(
        sources=[
            {
                "file": s.file,
                "key": s.key,
                "kind": s.kind,
                "version": s.version,
                "note": s.error or (f"dynamic: {s.via}" if s.dynamic else ""),
                "line": s.line,
            }
            for s in sources
        ]
    )
    try:
        state = tag_state(ctx, VersioningOptions(section))
        overview.tags = [
            {"tag": t.name, "version": str(t.version), "commit": t.sha[:8]}
            for t in state.branch[:5]
        ]
        overview.latest = state.branch_latest.name if state.branch_latest else None
        overview.notes = state.notes()
        overview.upcoming = next_version(ctx, api=False)
    except GateError as exc:
        overview.problem = exc.message
    return overview


def _print_overview_json(overview: _Overview, component: str | None) -> None:
    import json

    upcoming = overview.upcoming
    print(
        json.dumps(
            {
                "sources": overview.sources,
                "tags": overview.tags,
                "latest_release": overview.latest,
                "notes": overview.notes,
                "next": upcoming.next if upcoming else None,
                "problem": overview.problem,
                **({"component": component} if component else {}),
            },
            indent=2,
        )
    )


def _print_overview(overview: _Overview) -> None:
    from rich.console import Console

    console = Console()
    console.print(_sources_table(overview.sources))
    console.print(_tags_table(overview.tags))
    for note in overview.notes:
        console.print(f"note: {note}", highlight=False)
    if overview.upcoming is not None:
        console.print(_next_line(overview.upcoming), highlight=False)
    if overview.problem:
        console.print(f"tags: {overview.problem}", highlight=False)


def _sources_table(rows: list[dict[str, Any]]) -> Table:
    from rich.table import Table

    table = Table(title="version sources", title_justify="left")
    for column in ("file", "key", "version", "note"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            f"{row['file']}:{row['line']}" if row["line"] else row["file"],
            row["key"],
            row["version"] or "-",
            row["note"],
        )
    if not rows:
        table.add_row(
            "(none)", "", "", "no pyproject.toml, __version__, package.json, Chart.yaml or VERSION"
        )
    return table


def _tags_table(tags: list[dict[str, Any]]) -> Table:
    from rich.table import Table

    table = Table(title="release tags of this branch, highest first", title_justify="left")
    for column in ("tag", "version", "commit"):
        table.add_column(column)
    for tag in tags:
        table.add_row(tag["tag"], tag["version"], tag["commit"])
    if not tags:
        table.add_row("(none)", "", "")
    return table


def _next_line(upcoming: NextVersion) -> str:
    if upcoming.next is None:
        return f"next version: none ({upcoming.reasons[0]})"
    return (
        f"next version: [bold]{upcoming.next}[/bold] (bump: {upcoming.bump or 'none'}; "
        "`gate version next` says why)"
    )
