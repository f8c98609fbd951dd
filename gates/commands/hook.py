"""`gate hook NAME [ARGS]`: what the native hooks in hooks/ and .pre-commit-hooks.yaml call.

`commit-msg FILE` checks the message file git passes; `pre-commit` and
`pre-push` run that stage's gates (or only the `--gate` ones). A pre-push
hook checks each pushed branch at the pushed commit: git lists them on stdin,
pre-commit in its PRE_COMMIT_* variables (and then `pre-commit` counts as a
push too, so one pre-commit hook entry serves both stages). Passing hooks
print nothing.
"""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from gates.knowledge.pushed_refs import PushedRef
    from gates.runner import Report

HOOK_STAGES = ("pre-commit", "commit-msg", "pre-push")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    import argparse

    parser = subparsers.add_parser(
        "hook",
        help="entry point of the git hooks",
        description=(
            "Run what a git hook runs: `commit-msg FILE`, `pre-commit`, `pre-push [REMOTE URL]` "
            "(pushed refs on stdin, as git gives them). Silent when every gate passes."
        ),
    )
    parser.add_argument("name", choices=HOOK_STAGES, help="the hook")
    parser.add_argument("hook_args", nargs="*", help="what git passes the hook")
    parser.add_argument(
        "--gate",
        action="append",
        default=[],
        metavar="GATE",
        help="run this gate instead of the policy's stage (repeatable)",
    )
    parser.add_argument(
        "--format", "-f", action="append", default=[], metavar="FMT[:PATH]", help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print nothing when every gate passes (the default)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="print passing gates too")
    parser.set_defaults(func=main)


def parse_fast(argv: list[str]) -> argparse.Namespace | None:
    """What git and pre-commit pass (`NAME [ARG ...] [--gate GATE ...]`), read as add_parser()
    would read it; anything else (another option, `-` in an argument) is left to argparse."""
    if not argv or argv[0] not in HOOK_STAGES:
        return None
    rest = argv[1:]
    hook_args = []
    while rest and not rest[0].startswith("-"):
        hook_args.append(rest.pop(0))
    gates = []
    while len(rest) >= 2 and rest[0] == "--gate" and not rest[1].startswith("-"):
        gates.append(rest[1])
        del rest[:2]
    if rest:
        return None
    namespace = SimpleNamespace(
        command="hook",
        name=argv[0],
        hook_args=hook_args,
        gate=gates,
        format=[],
        quiet=False,
        verbose=False,
        debug=False,
        func=main,
    )
    return namespace  # type: ignore[return-value]  # read like a Namespace: by attribute


def main(args: argparse.Namespace) -> int:
    from gates.errors import UsageError

    args.quiet = not args.verbose
    args.policy = None
    if args.name == "commit-msg":
        if not args.hook_args:
            raise UsageError(
                "the commit-msg hook needs the message file",
                hint="git passes it: gate hook commit-msg .git/COMMIT_EDITMSG",
            )
        return _run(args, "commit-msg", {"file": args.hook_args[0]})
    pushed = _pushed_refs(args.name)
    if pushed is None:
        options = {"hook_args": list(args.hook_args)} if args.hook_args else {}
        return _run(args, args.name, options)
    worst = 0
    for ref in pushed:
        options = {"head": ref.local_sha, "hook_args": list(args.hook_args)}
        if ref.branch:
            options["branch"] = ref.branch
        worst = max(worst, _run(args, "pre-push", options))
    return worst


def _pushed_refs(name: str) -> list[PushedRef] | None:
    """The branches a push sends, or None when this is no push (check the checkout as it is)."""
    from gates.knowledge.pushed_refs import from_pre_commit_env, parse_pre_push

    from_pre_commit = from_pre_commit_env(os.environ)
    if from_pre_commit is not None:
        return [from_pre_commit] if from_pre_commit.checkable else []
    if name != "pre-push" or os.environ.get("PRE_COMMIT") or _interactive(sys.stdin):
        return None
    try:
        text = sys.stdin.read()
    except (OSError, ValueError):  # stdin closed or not readable: no refs given
        return None
    refs = parse_pre_push(text)
    if not refs:
        return None
    return [ref for ref in refs if ref.checkable]


def _interactive(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return stream is None or bool(isatty and isatty())


def _run(args: argparse.Namespace, stage: str, options: dict[str, object]) -> int:
    from gates import runner
    from gates.commands._common import build_context, finish

    ctx = build_context(args, stage)
    ctx.options.update(options)
    gate_ids = args.gate or ctx.policy.stage(stage)
    report = runner.run(ctx, gate_ids, debug=args.debug)
    if args.quiet and not args.format and _only_notes(report):
        return report.exit_code
    return finish(report, args)


def _only_notes(report: Report) -> bool:
    """Passed with nothing above a note (a skipped gate's reason): a hook keeps quiet then."""
    from gates.model import Severity

    findings = [f for result in report.results for f in result.findings]
    return report.passed and all(f.severity is Severity.NOTE for f in findings)
