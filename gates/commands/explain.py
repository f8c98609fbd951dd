"""`gate explain ID`: what a gate or rule checks, why, an example, and the options that tune it."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="explain a gate or rule",
        description="Explain a gate or one of its rules (GATE.RULE). Without an id, list the gates.",
    )
    parser.add_argument("id", nargs="?", metavar="GATE[.RULE]")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from gates import registry

    if not args.id:
        for gate_id in registry.all_ids():
            print(f"{gate_id:20} {registry.load(gate_id).doc.summary}")
        return 0
    print(registry.explain(args.id), end="")
    return 0
