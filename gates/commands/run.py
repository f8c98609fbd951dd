"""`gate run`: the gates of one stage, as CI calls them before a deploy step."""

from __future__ import annotations

import argparse

from gates.commands._common import add_range_options, add_report_options, build_context, finish
from gates.policy.schema import STAGES


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the gates of a stage",
        description=(
            "Run every gate of a stage, fail-closed. Exit 0 passed, 1 failed, "
            "2 usage/policy error, 3 a gate could not run."
        ),
    )
    parser.add_argument(
        "--stage", default="ci", choices=STAGES, help="which stage's gates to run (default: ci)"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="GATE",
        help="run only this gate (repeatable)",
    )
    parser.add_argument(
        "--skip", action="append", default=[], metavar="GATE", help="skip this gate (repeatable)"
    )
    parser.add_argument("--env", metavar="NAME", help="deploy stage: target environment")
    parser.add_argument("--attest", metavar="FILE", help="write an in-toto attestation of the run")
    parser.add_argument("--notify", metavar="URL", help="webhook for failures on main/develop")
    add_range_options(parser)
    add_report_options(parser)
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from gates import runner
    from gates.commands._delivery import after_run, check_environment

    ctx = build_context(args, args.stage)
    runner.require_gates(args.stage, ctx.policy.stage(args.stage))
    check_environment(ctx, args)
    report = runner.run(
        ctx, ctx.policy.stage(args.stage), only=args.only, skip=args.skip, debug=args.debug
    )
    code = finish(report, args)
    after_run(ctx, report, args)
    return code
