"""`gate report --html FILE`: the last gate run and the delivery metrics as one HTML page."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from gates.policy.schema import STAGES

    parser = subparsers.add_parser(
        "report",
        help="an HTML page with the last gate run and the delivery metrics",
        description=(
            "Write one self-contained HTML page (no network needed to view it) with a gate run "
            "and the delivery metrics, for CI to publish as an artifact. The gate run is read "
            "from --from-json (written by `gate run --format json:PATH`), or run now. Exit 0 "
            "when the page is written, whatever the gates said: `gate run` is what blocks."
        ),
    )
    parser.add_argument("--html", required=True, metavar="FILE", help="where to write the page")
    parser.add_argument("--from-json", metavar="REPORT", help="a gate-report/1 JSON file to show")
    parser.add_argument("--stage", default="ci", choices=STAGES, help="stage to run (default: ci)")
    parser.add_argument("--no-metrics", action="store_true", help="leave the metrics out")
    parser.add_argument("--since", metavar="DATE", help="metrics from this day (YYYY-MM-DD)")
    parser.add_argument("--until", metavar="DATE", help="metrics until this day, exclusive")
    parser.add_argument("--by", choices=("week", "month"), default="month", help="metrics period")
    parser.add_argument("--policy", metavar="FILE", help="policy file instead of .gate.yaml")
    parser.set_defaults(func=main)


def load_report(path: str) -> dict[str, Any]:
    import json
    from pathlib import Path

    from gates.errors import UsageError

    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(
            f"{path} is not JSON: {exc}", hint="write it with gate run --format json:PATH"
        ) from None
    if not isinstance(document, dict) or document.get("schema") != "gate-report/1":
        raise UsageError(
            f"{path} is not a gate report (schema gate-report/1)",
            hint="write it with gate run --format json:PATH",
        )
    return document


def main(args: argparse.Namespace) -> int:
    import contextlib
    from pathlib import Path

    from gates.commands._common import build_context
    from gates.commands.metrics import parse_date
    from gates.errors import GateError
    from gates.knowledge.forges import forge_for
    from gates.report import html
    from gates.report.output import write_file

    run = load_report(args.from_json) if args.from_json else None
    since, until = parse_date(args.since, "--since"), parse_date(args.until, "--until")
    ctx = build_context(args, args.stage)
    notes: list[str] = []
    if run is None:
        from gates import runner

        run = runner.run(ctx, ctx.policy.stage(args.stage), debug=args.debug).to_dict()
    metrics = None
    forge = None
    with contextlib.suppress(GateError):
        forge = forge_for(ctx.git.remote_url())
    if not args.no_metrics:
        from gates.release.metrics import collect

        try:
            metrics = collect(ctx, since=since, until=until, by=args.by)
        except GateError as exc:
            notes.append(
                f"delivery metrics unavailable: {exc.message}"
                + (f" ({exc.hint})" if exc.hint else "")
            )
    write_file(Path(args.html), html.page(run, metrics, forge=forge, notes=notes))
    return 0
