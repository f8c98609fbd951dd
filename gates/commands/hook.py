"""`gate hook NAME [ARGS]`: what the native hooks in hooks/ and .pre-commit-hooks.yaml call.

`commit-msg FILE` checks the message file git passes; `pre-commit`, `pre-push`
run that stage's gates. Passing hooks print nothing.
"""

from __future__ import annotations

import argparse

HOOK_STAGES = ("pre-commit", "commit-msg", "pre-push")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "hook",
        help="entry point of the git hooks",
        description="Run what a git hook runs: `commit-msg FILE`, `pre-commit`, `pre-push`.",
    )
    parser.add_argument("name", choices=HOOK_STAGES, help="the hook")
    parser.add_argument("hook_args", nargs="*", help="what git passes the hook")
    parser.add_argument("--format", "-f", action="append", default=[], metavar="FMT[:PATH]", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", "-v", action="store_true", help="print passing gates too")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from gates import runner
    from gates.commands._common import build_context, finish

    args.quiet = not args.verbose
    args.policy = None
    ctx = build_context(args, args.name)
    if args.name == "commit-msg":
        if not args.hook_args:
            from gates.errors import UsageError

            raise UsageError("the commit-msg hook needs the message file", hint="git passes it: gate hook commit-msg .git/COMMIT_EDITMSG")
        ctx.options["file"] = args.hook_args[0]
    elif args.hook_args:
        ctx.options["hook_args"] = list(args.hook_args)
    report = runner.run(ctx, ctx.policy.stage(args.name), debug=args.debug)
    return finish(report, args)
