"""`gate changelog`: render the changelog from Conventional Commits between release tags."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "changelog",
        help="generate the changelog from Conventional Commits",
        description=(
            "Render changelog sections in the changelog's own format (changelog.format: Keep a"
            " Changelog, conventional-changelog, commitizen, git-cliff, Pallets, reST, towncrier,"
            " changesets, plain headings; auto-detected) or the changelog JSON, from what each"
            " release ships by the commit graph. --write updates the file in place: only new"
            " releases and missing unreleased entries are added; everything else stays byte for"
            " byte, and a second run changes nothing. To validate the changelog (as CI does),"
            " run `gate check changelog`."
        ),
    )
    parser.add_argument(
        "--unreleased", action="store_true", help="only the changes since the latest release tag"
    )
    parser.add_argument(
        "--from", dest="from_ref", metavar="REF", help="start after this revision (exclusive)"
    )
    parser.add_argument(
        "--to", dest="to_ref", metavar="REF", help="end at this revision (default: HEAD)"
    )
    parser.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="output format (default: markdown)",
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="update the changelog file in place instead of printing",
    )
    parser.add_argument(
        "--policy", metavar="FILE", help="policy file instead of .gate.yaml / [tool.gate]"
    )
    parser.add_argument(
        "--component",
        metavar="NAME",
        help="one component of a monorepo: its tags and the commits that change its files",
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import json
    import sys

    from gates.commands._common import build_context
    from gates.errors import GateError, UsageError
    from gates.knowledge.forges import forge_for
    from gates.release import changelog_writer as writer

    if args.write and args.format == "json":
        raise UsageError(
            "--write updates the Markdown file; it cannot be combined with --format json"
        )
    ctx = build_context(args, None)
    if not ctx.git.has_commits():
        raise GateError(
            "the repository has no commits yet", hint="make a first commit, then run gate changelog"
        )
    if ctx.git.is_shallow():
        raise GateError(
            "a shallow clone: the changelog would come from part of the history",
            hint="git fetch --unshallow --tags (in CI: fetch-depth: 0 in actions/checkout)",
        )
    settings = writer.Settings.from_policy(
        ctx.policy.section("versioning"),
        ctx.policy.section("changelog"),
        ctx.policy.section("commits"),
    )
    releases, note = writer.collect(
        ctx,
        settings,
        from_ref=args.from_ref,
        to_ref=args.to_ref,
        unreleased_only=args.unreleased,
    )
    if note:
        print(f"note: {note}", file=sys.stderr)
    forge = forge_for(ctx.git.remote_url())
    from gates.adapters.changelog_tooling import locate

    if args.format == "json":
        # Compact: the C encoder is five times faster than an indented dump on long histories.
        document = writer.to_json(releases)
        if args.component:  # DESIGN.md: JSON carries the component where one applies
            for release in document["releases"]:
                release["component"] = args.component
        sys.stdout.write(json.dumps(document))
        sys.stdout.write("\n")
        return 0
    from gates.adapters.workspaces import changelog_for

    located = locate(ctx.root, changelog_for(ctx))  # under --component, the component's file
    if not args.write:
        sys.stdout.write(writer.render_markdown(releases, settings, forge, located.format))
        return 0
    from gates.adapters.atomic_files import atomic_write

    path, before = located.path, located.text
    after = writer.update(before, releases, settings, forge, located.format)
    if after == before:
        print(f"{path.name}: up to date")
        return 0
    atomic_write(path, after)
    print(f"{path.name}: updated")
    return 0
