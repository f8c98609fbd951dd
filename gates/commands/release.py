"""`gate release [--dry-run]`: cut a release, all or nothing; `--notes [VERSION]` prints release"
" notes."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "release",
        help="cut a release: changelog, version bump, commit and tag",
        description=(
            "`gate release start` creates a release branch from develop (--hotfix: a hotfix"
            " branch from main; --support: a support branch from a release tag) whose first"
            " commit is the version bump. `gate release` finishes: Unreleased becomes a dated"
            " section, the version sources are bumped, `chore(release): X.Y.Z` is committed and"
            " tagged; with --merge it then merges into main, tags where release.tag_on says and"
            " merges back into develop, as git-flow's finish does. All or nothing; refuses on a"
            " dirty work tree, on a branch outside release.branches, or when the release stage's"
            " gates fail. docs/release.md is the release manager's page."
        ),
    )
    parser.add_argument(
        "action",
        nargs="?",
        choices=("start",),
        help="start: create a release/hotfix/support branch, its first commit the version bump",
    )
    parser.add_argument(
        "value",
        nargs="?",
        metavar="VERSION",
        help="start: the version (default auto: the next version, by the history model)",
    )
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--hotfix", action="store_true", help="start: a hotfix branch from main")
    kind.add_argument(
        "--support", action="store_true", help="start: a support branch from a release tag"
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="finish as git-flow does: merge into main (--no-ff), tag, merge back into develop",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan and touch nothing")
    parser.add_argument(
        "--component",
        metavar="NAME",
        help="release one component of a monorepo (default: every component with changes)",
    )
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
    from gates.errors import UsageError
    from gates.release import release

    ctx = build_context(args, None)
    if args.notes is not None:
        sys.stdout.write(release.notes(ctx, args.notes or None))
        return 0
    if args.action == "start":
        return _start(ctx, args)
    if args.value is not None or args.hotfix or args.support:
        raise UsageError(
            "a VERSION, --hotfix and --support go with `gate release start`",
            hint="gate release start [VERSION|auto] [--hotfix|--support]",
        )
    release.refusals(ctx)
    if args.merge:
        from gates.release import merge

        where = merge.targets(ctx)
        merge.refusals(ctx, where)
    if not args.merge and not args.component and release.releases_components(ctx):
        return _components(ctx, args)
    plan = release.make_plan(ctx)
    report = release.check_gates(ctx, None if plan.component else plan)
    if args.dry_run:
        print("dry run, nothing written:")
        print(plan.describe(ctx.root), end="")
        if args.merge:
            print(
                f"  then merge into {where.production}, tag, merge back into"
                f" {', '.join(where.back) or 'nothing'}"
            )
    _refuse_unless_passed(ctx, report)
    if args.dry_run:
        return 0
    if args.merge:
        for line in merge.finish(ctx, plan):
            print(line)
        pushed = " ".join([where.production, *where.back])
        print(f"released {plan.version}: push with `git push --follow-tags origin {pushed}`")
        return 0
    release.execute(ctx, plan)
    print(plan.describe(ctx.root), end="")
    print(f"released {plan.version}: push with `git push --follow-tags`")
    return 0


def _refuse_unless_passed(ctx: Any, report: Any) -> None:
    import sys

    from gates.release.options import ReleaseOptions
    from gates.release.release import ReleaseRefused

    if report.passed:
        return
    failing = [r for r in report.results if r.status.blocks]
    for result in failing:
        print(f"  {result.gate}: {result.status.value}: {result.summary}", file=sys.stderr)
    raise ReleaseRefused(
        f"the release stage's gates did not pass ({', '.join(r.gate for r in failing)})",
        hint="fix them first: `gate run --stage "
        + ReleaseOptions.from_policy(ctx.policy).stage
        + "`",
    )


def _components(ctx: Any, args: argparse.Namespace) -> int:
    """Every component with something to release, dependencies first, in one commit."""
    from gates.release import release

    plans, skipped = release.component_plans(ctx)
    report = release.check_gates(ctx, None)
    if args.dry_run:
        print("dry run, nothing written:")
    for plan in plans:
        print(plan.describe(ctx.root), end="")
    for line in skipped:
        print(f"  not released: {line}")
    _refuse_unless_passed(ctx, report)
    if args.dry_run:
        return 0
    release.execute(ctx, plans)
    print(f"released {', '.join(p.tag for p in plans)}: push with `git push --follow-tags`")
    return 0


def _start(ctx: Any, args: argparse.Namespace) -> int:
    from gates.release import start

    kind = "hotfix" if args.hotfix else "support" if args.support else "release"
    planned = start.plan(ctx, kind, args.value)
    print(f"{planned.kind} {planned.version}: {planned.branch} from {planned.base}")
    for reason in planned.reasons:
        print(f"  because {reason}")
    if args.dry_run:
        print("dry run, nothing written")
        return 0
    for line in start.execute(ctx, planned):
        print(f"  {line}")
    if planned.kind != "support":
        print(f"finish with `gate release --merge` on {planned.branch}")
    return 0
