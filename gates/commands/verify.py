"""`gate verify ATTESTATION`: the deploy step's check that the ci stage passed on this commit."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="verify a ci attestation before a deploy",
        description=(
            "Verify an attestation written by `gate run --stage ci --attest FILE`: it is for this "
            "exact "
            "commit, the ci stage passed, the policy has not changed since, and — when "
            "GATE_HMAC_KEY or "
            "GATE_ED25519_PUBLIC_KEY is set — it is signed by that key. "
            "Exit 0 verified, 1 refused, 2 usage error, 3 missing or malformed."
        ),
    )
    parser.add_argument("attestation", metavar="ATTESTATION", help="the attestation file")
    parser.add_argument(
        "--commit",
        metavar="REF",
        default="HEAD",
        help="the commit about to be deployed (default: HEAD)",
    )
    parser.add_argument(
        "--policy", metavar="FILE", help="policy file instead of .gate.yaml / [tool.gate]"
    )
    parser.add_argument(
        "--require-signature",
        action="store_true",
        help="refuse an unsigned attestation (production should always pass this)",
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    import os
    import sys
    from pathlib import Path

    from gates.adapters import attestation_file
    from gates.adapters.git import GitRepo
    from gates.commands._common import repository_root
    from gates.errors import UsageError
    from gates.policy import load_policy

    root = repository_root()
    if args.policy and not Path(args.policy).is_file():
        raise UsageError(f"no such policy file: {args.policy}")
    policy = load_policy(root, Path(args.policy).resolve() if args.policy else None)
    commit = GitRepo(root).resolve(args.commit)
    verification = attestation_file.verify(
        Path(args.attestation), commit, policy.digest, os.environ, policy.stage("ci")
    )
    reasons = list(verification.reasons)
    if args.require_signature and verification.how.startswith("unsigned"):
        reasons.append("it is not signed, and --require-signature was given")
    if reasons:
        for reason in reasons:
            print(f"gate verify: refused: {reason}", file=sys.stderr)
        print(
            "  hint: run `gate run --stage ci --attest FILE` on this commit and use that file",
            file=sys.stderr,
        )
        return 1
    print(
        f"attestation verified: commit {commit[:12]}, ci stage passed, policy "
        f"{policy.digest[:19]}…, {verification.how}"
    )
    return 0
