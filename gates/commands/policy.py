"""`gate policy show|validate|schema`."""

from __future__ import annotations

import argparse
import json


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "policy",
        help="show, validate or describe the policy",
        description=(
            "show: the effective policy as YAML; validate: exit 0 or 2 with file, line and key; "
            "schema: JSON Schema for editors."
        ),
    )
    parser.add_argument("action", nargs="?", default="show", choices=("show", "validate", "schema"))
    parser.add_argument(
        "file", nargs="?", help="policy file (default: .gate.yaml or [tool.gate] in pyproject.toml)"
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gates.commands._common import repository_root
    from gates.policy import load_policy
    from gates.policy.schema import policy_schema

    if args.action == "schema":
        print(json.dumps(policy_schema(), indent=2))
        return 0
    policy = load_policy(repository_root(), Path(args.file).resolve() if args.file else None)
    if args.action == "validate":
        print(f"policy valid: {', '.join(policy.sources)} ({policy.digest})")
        return 0
    import yaml

    print(f"# sources: {', '.join(policy.sources)}\n# digest: {policy.digest}")
    print(yaml.safe_dump(policy.data, sort_keys=False, allow_unicode=True), end="")
    return 0
