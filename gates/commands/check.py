"""`gate check GATE [ARGS]`: one gate alone, with the same output and exit codes as `gate run`."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    import argparse

    parser = subparsers.add_parser(
        "check",
        help="run one gate alone",
        description="Run one gate alone. `gate check GATE --help` shows the gate's own arguments.",
        add_help=False,
    )
    parser.add_argument(
        "-h", "--help", action="store_true", dest="show_help", help="show this help"
    )
    # One REMAINDER holds GATE and its arguments: a positional GATE would swallow the `--`
    # of `gate check branch-name -- -name` and the gate's parser would read `-name` as options.
    parser.add_argument(
        "rest",
        nargs=argparse.REMAINDER,
        metavar="GATE [ARGS]",
        help="the gate id (see `gate explain`) and its arguments",
    )
    parser.set_defaults(func=main, _parser=parser)


def gate_parser(gate_id: str) -> argparse.ArgumentParser:
    import argparse

    from gates import registry
    from gates.commands._common import add_range_options, add_report_options

    gate = registry.load(gate_id)
    parser = argparse.ArgumentParser(
        prog=f"gate check {gate_id}",
        description=f"{gate.doc.summary}\n\n`gate explain {gate_id}` explains the gate and its rules.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if gate.add_arguments:
        gate.add_arguments(parser)
    add_range_options(parser)
    add_report_options(parser)
    return parser


def parse_fast(argv: list[str]) -> argparse.Namespace | None:
    """`commit-msg FILE`, as hook managers (lefthook, husky) call it on every commit: the
    arguments gate_parser("commit-msg") would give, without building it."""
    if len(argv) != 2 or argv[0] != "commit-msg" or argv[1].startswith("-"):
        return None
    gate_args = SimpleNamespace(
        file=argv[1],
        title=None,
        base=None,
        head=None,
        target=None,
        branch=None,
        component=None,
        format=[],
        quiet=False,
        policy=None,
        policy_from=None,
        debug=False,
    )
    namespace = SimpleNamespace(command="check", gate="commit-msg", gate_args=gate_args, func=run)
    return namespace  # type: ignore[return-value]  # read like a Namespace: by attribute


def main(args: argparse.Namespace) -> int:
    from gates import registry
    from gates.errors import UsageError

    rest = list(args.rest)
    if rest[:1] == ["--"]:
        rest = rest[1:]
    args.gate, args.rest = (rest[0], rest[1:]) if rest else (None, [])
    if args.show_help or not args.gate or args.gate in ("-h", "--help"):
        args._parser.print_help()
        print("\ngates: " + ", ".join(registry.all_ids()))
        return 0 if args.show_help or args.gate else 2
    parser = gate_parser(args.gate)
    try:
        args.gate_args = parser.parse_args(args.rest)
    except SystemExit as exc:
        if exc.code == 0:
            return 0
        raise UsageError(
            f"bad arguments for `gate check {args.gate}`", hint=f"see gate check {args.gate} --help"
        ) from None
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run args.gate with its parsed arguments, args.gate_args."""
    from gates import runner
    from gates.commands._common import build_context, finish

    gate_args = args.gate_args
    gate_args.debug = gate_args.debug or args.debug
    # `gate check commit-msg` is what a commit-msg hook may call: no detection on that path
    ctx = build_context(
        gate_args, getattr(gate_args, "stage", None), detect=args.gate != "commit-msg"
    )
    ctx.options.update(
        {
            k: v
            for k, v in vars(gate_args).items()
            if k not in ("format", "quiet", "debug", "policy", "policy_from")
        }
    )
    report = runner.run(ctx, [args.gate], debug=gate_args.debug)
    return finish(report, gate_args)
