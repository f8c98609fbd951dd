"""Options and plumbing shared by `gate run`, `gate check` and `gate hook`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from gates.errors import UsageError

if TYPE_CHECKING:
    import argparse

    from gates.context import Context
    from gates.runner import Report

FORMAT_HELP = (
    "console, json, junit, sarif, github, gitlab or markdown; :PATH writes to a file (repeatable)"
)


def add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "-f", action="append", default=[], metavar="FMT[:PATH]", help=FORMAT_HELP
    )
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="print nothing when every gate passes"
    )
    parser.add_argument(
        "--policy", metavar="FILE", help="policy file instead of .gate.yaml / [tool.gate]"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def add_range_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base", metavar="REF", help="start of the change (default: merge base with the target)"
    )
    parser.add_argument("--head", metavar="REF", help="end of the change (default: HEAD)")
    parser.add_argument(
        "--target", metavar="BRANCH", help="branch the change merges into (default: from CI)"
    )
    parser.add_argument(
        "--branch", metavar="NAME", help="branch under check (default: current, or from CI)"
    )


def repository_root(start: Path | None = None) -> Path:
    """The work tree's top folder, found without GitPython (fast for hooks); cwd outside git."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def build_context(args: argparse.Namespace, stage: str | None) -> Context:
    from gates.context import Context
    from gates.policy import load_policy

    root = repository_root()
    policy_file = getattr(args, "policy", None)
    if policy_file and not Path(policy_file).is_file():
        raise UsageError(f"no such policy file: {policy_file}")
    policy = load_policy(root, Path(policy_file).resolve() if policy_file else None)
    options = {
        key: getattr(args, key, None)
        for key in ("base", "head", "target", "branch")
        if getattr(args, key, None)
    }
    return Context(root=root, policy=policy, stage=stage, options=options, env=dict(os.environ))


def finish(report: Report, args: argparse.Namespace) -> int:
    from gates.report.output import emit

    emit(report, args.format, env=os.environ, quiet=args.quiet)
    return report.exit_code
