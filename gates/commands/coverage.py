"""`gate coverage baseline`: write the coverage ratchet's baseline file, for the team to commit."""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "coverage",
        help="coverage tooling: the ratchet baseline",
        description=(
            "baseline: record the current total coverage in the baseline file (coverage.baseline, "
            "default .gate/coverage-baseline.json). Commit it on develop; from then on the "
            "coverage gate fails when total coverage falls more than coverage.tolerance points "
            "below it."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    baseline = actions.add_parser(
        "baseline",
        help="write the ratchet baseline from the current coverage data",
        description="Write the ratchet baseline from the current coverage data.",
    )
    baseline.add_argument("--data", metavar="FILE", help="coverage data (default: coverage.data)")
    baseline.add_argument(
        "--output", "-o", metavar="FILE", help="baseline file (default: coverage.baseline)"
    )
    baseline.add_argument(
        "--allow-lower",
        action="store_true",
        help="write it even when it lowers the recorded total (a reviewed decision)",
    )
    baseline.add_argument("--policy", metavar="FILE", help="policy file instead of .gate.yaml")
    parser.set_defaults(func=main, _parser=parser)


def main(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gates.adapters.coverage_data import (
        load_repository,
        missing_hint,
        read_baseline,
        write_baseline,
    )
    from gates.checks.coverage import CoverageOptions
    from gates.commands._common import build_context
    from gates.errors import GateError, GateToolError, UsageError
    from gates.knowledge.coverage_math import Baseline, total

    if args.action != "baseline":
        args._parser.print_help()
        return 2
    ctx = build_context(args, None)
    options = CoverageOptions.from_policy(ctx.policy)
    output = args.output or options.baseline
    if not output:
        raise UsageError(
            "coverage.baseline is null in the policy: there is no ratchet file",
            hint="pass --output FILE, or set coverage.baseline",
        )
    if args.output:  # named on the command line by whoever runs it
        path = Path(output) if Path(output).is_absolute() else ctx.root / output
    else:
        from gates.adapters.repo_paths import inside

        path = inside(ctx.root, output, "coverage.baseline")
    report = load_repository(ctx.root, ctx.git, list(options.data), args.data)
    if report is None:
        candidates = ", ".join(options.data)
        raise GateError(f"no coverage data ({candidates})", hint=missing_hint(ctx.root))
    branch = options.branch and report.has_branches
    tally = total(report.files.values())
    percent = tally.percent(branch)
    if percent is None:
        raise GateError("the coverage data holds no executable line: nothing to record")
    shown = _relative(path, ctx.root)
    old = read_baseline(path)
    lowered = old is not None and old.branch == branch and round(percent, 2) < round(old.percent, 2)
    if lowered and not args.allow_lower:
        print(
            f"gate: not written: {percent:.2f}% would lower the baseline {old.percent:.2f}% in "
            f"{shown}\n  hint: add the missing tests; to lower the bar on purpose, "
            "pass --allow-lower and have the change reviewed",
            file=sys.stderr,
        )
        return 1
    try:
        branch_name = ctx.branch
    except GateToolError:
        branch_name = None
    baseline = Baseline(
        percent,
        branch,
        tally,
        commit=ctx.git.head_sha(),
        branch_name=branch_name,
        data=_relative(report.source, ctx.root),
        written=ctx.now.date().isoformat(),
    )
    write_baseline(path, baseline)
    change = f" (was {old.percent:.2f}%)" if old is not None else ""
    print(f"wrote {shown}: total {percent:.2f}%{change}, {tally.describe(branch)}")
    print(f"commit it: git add {shown} && git commit -m 'chore(coverage): update the baseline'")
    return 0


def _relative(path: object, root: object) -> str:
    from pathlib import Path

    try:
        return Path(str(path)).relative_to(Path(str(root))).as_posix()
    except ValueError:
        return str(path)
