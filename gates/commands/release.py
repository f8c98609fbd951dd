"""`gate release [--dry-run]`: cut a release, all or nothing; `--notes [VERSION]` prints release"
" notes."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "release",
        help="cut a release: changelog, version bump, commit and tag",
        description=(
            "Cut the next release: move Unreleased to a dated section, bump the version sources,"
            " commit"
            " `chore(release): X.Y.Z` and create an annotated tag — all or nothing. Refuses on a"
            " dirty work"
            " tree, on a branch outside release.branches, or when the release stage's gates fail."
        ),
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan and touch nothing")
    parser.add_argument(
        "--notes",
        nargs="?",
        const="",
        metavar="VERSION",
        help="print one release's notes (default: the latest) for a GitHub/GitLab release body",
    )
    parser.add_argument(
        "--branch",
        metavar="NAME",
        help="branch name when HEAD is detached (default: current, or from CI)",
    )
    parser.add_argument(
        "--policy", metavar="FILE", help="policy file instead of .gate.yaml / [tool.gate]"
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import sys

    from gates.commands._common import build_context
    from gates.release import release

    ctx = build_context(args, None)
    if args.notes is not None:
        sys.stdout.write(release.notes(ctx, args.notes or None))
        return 0
    release.refusals(ctx)
    plan = release.make_plan(ctx)
    report = release.check_gates(ctx)
    if args.dry_run:
        print("dry run, nothing written:")
        print(plan.describe(ctx.root), end="")
    if not report.passed:
        failing = [r for r in report.results if r.status.blocks]
        for result in failing:
            print(f"  {result.gate}: {result.status.value}: {result.summary}", file=sys.stderr)
        raise release.ReleaseRefused(
            f"the release stage's gates did not pass ({', '.join(r.gate for r in failing)})",
            hint="fix them first: `gate run --stage "
            + (ctx.policy.section("release").get("stage") or "ci")
            + "`",
        )
    if args.dry_run:
        return 0
    release.execute(ctx, plan)
    print(plan.describe(ctx.root), end="")
    print(f"released {plan.version}: push with `git push --follow-tags`")
    return 0
