"""`gate metrics`: the four DORA measures from the repository's history, by week or month."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from gates.knowledge.durations import format_hours

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.table import Table
    from rich.text import Text

BAR_WIDTH = 30


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "metrics",
        help="delivery metrics (DORA) from release and hotfix tags",
        description=(
            "Deployment frequency, lead time for changes, change failure rate and time to restore, "
            "from the release tags and hotfix merges in this repository, with the DORA band of "
            "each. See docs/metrics.md for how each figure is computed."
        ),
    )
    parser.add_argument(
        "--since", metavar="DATE", help="first day (YYYY-MM-DD; default: the first release)"
    )
    parser.add_argument(
        "--component",
        metavar="NAME",
        help="one component of a monorepo: the releases its own tags mark",
    )
    parser.add_argument("--until", metavar="DATE", help="end, exclusive (YYYY-MM-DD; default: now)")
    parser.add_argument(
        "--by", choices=("week", "month"), default="month", help="period (default: month)"
    )
    parser.add_argument(
        "--format",
        "-f",
        default="console",
        metavar="FMT[:PATH]",
        help="console or json; :PATH writes to a file",
    )
    parser.add_argument(
        "--policy", metavar="FILE", help="policy file instead of .gate.yaml / [tool.gate]"
    )
    parser.set_defaults(func=main)


def parse_date(text: str | None, option: str) -> dt.datetime | None:
    from gates.errors import UsageError

    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date", hint="write it as YYYY-MM-DD"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def main(args: argparse.Namespace) -> int:
    import json
    import os
    import sys
    from pathlib import Path

    from gates.commands._common import build_context
    from gates.errors import UsageError
    from gates.release.metrics import collect
    from gates.report.output import _write_stdout, color_wanted, write_file

    fmt, _, path = args.format.partition(":")
    if fmt not in ("console", "json"):
        raise UsageError(f"unknown format '{fmt}' for metrics", hint="formats: console, json")
    since, until = parse_date(args.since, "--since"), parse_date(args.until, "--until")
    ctx = build_context(args, None)
    document = collect(ctx, since=since, until=until, by=args.by)
    if fmt == "json":
        text = json.dumps(document, indent=2) + "\n"
    else:
        text = render_console(document, color=not path and color_wanted(sys.stdout, os.environ))
    if path:
        write_file(Path(path), text)
    else:
        _write_stdout(text)
    return 0


def _rate(block: dict[str, Any]) -> str:
    rate = block["rate"]
    return "—" if rate is None else f"{rate * 100:.0f}% ({block['failed']}/{block['releases']})"


def _band(band: str | None) -> str:
    return f"  {band}" if band else ""


def render_console(document: dict[str, Any], *, color: bool = False) -> str:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=130, highlight=False
    )
    console.print(_periods_table(document))
    for line in _notes(document):
        console.print(line, soft_wrap=True)
    return buffer.getvalue()


_BAND_STYLES = {"elite": "bold green", "high": "green", "medium": "yellow", "low": "red"}


def _periods_table(document: dict[str, Any]) -> Table:
    """One row per period with releases, then the totals."""
    from rich.table import Table

    table = Table(
        title=(
            f"delivery metrics by {document['by']}, "
            f"{document['since'][:10]} to {document['until'][:10]}"
        ),
        title_justify="left",
    )
    for column in (
        "period",
        "releases",
        "",
        "lead time p50 / p90",
        "change failure",
        "restore p50",
    ):
        table.add_column(column, justify="right" if column == "releases" else "left")
    peak = max((p["deployment_frequency"]["releases"] for p in document["periods"]), default=0) or 1
    periods = [p for p in document["periods"] if p["deployment_frequency"]["releases"]]
    for row in [*periods, {"period": "total", **document["totals"]}]:
        table.add_row(*_row_cells(row, peak))
    return table


def _row_cells(row: dict[str, Any], peak: int) -> list[Text]:
    from rich.text import Text

    frequency, lead = row["deployment_frequency"], row["lead_time"]
    failure, restore = row["change_failure_rate"], row["time_to_restore"]
    total = row["period"] == "total"
    return [
        Text(row["period"], style="bold" if total else ""),
        Text(f"{frequency['releases']}", style=_style(frequency)),
        Text() if total else _bar(frequency, peak),
        Text(
            f"{format_hours(lead['median_hours'])} / {format_hours(lead['p90_hours'])}"
            f"{_band(lead['band'])}",
            style=_style(lead),
        ),
        Text(f"{_rate(failure)}{_band(failure['band'])}", style=_style(failure)),
        Text(
            f"{format_hours(restore['median_hours'])}{_band(restore['band'])}",
            style=_style(restore),
        ),
    ]


def _style(block: dict[str, Any]) -> str:
    return _BAND_STYLES.get(block["band"] or "", "")


def _bar(frequency: dict[str, Any], peak: int) -> Text:
    """Releases (█) then hotfixes (▒), scaled down when the busiest period would not fit."""
    from rich.text import Text

    bar = Text()
    regular = frequency["releases"] - frequency["hotfixes"]
    scale = BAR_WIDTH / max(peak, BAR_WIDTH) if peak > BAR_WIDTH else 1
    bar.append("█" * round(regular * scale), style="cyan")
    bar.append("▒" * round(frequency["hotfixes"] * scale), style="red")
    return bar


def _notes(document: dict[str, Any]) -> Iterator[str | Text]:
    """The lines under the table: what it leaves out, how it counts, the deploy audit."""
    from rich.text import Text

    from gates.report.text import one_line

    skipped = sum(1 for p in document["periods"] if not p["deployment_frequency"]["releases"])
    if skipped:
        yield f"{skipped} period(s) without a release not shown (every one is in --format json)"
    definition = document.get("change_failure_definition")
    if definition == "patch-or-revert":
        yield (
            "change failure: no hotfix releases, so a release failed when the next one is a "
            "patch of only fixes and reverts within metrics.failure_window_days, or a later "
            "release reverts one of its changes"
        )
    elif definition:
        yield "change failure: a release failed when the next release is a hotfix"
    totals = document["totals"]["deployment_frequency"]
    yield (
        f"deployment frequency: {totals['per_week']} per week, {totals['per_month']} per month "
        f"({totals['band'] or 'no band'}); █ release ▒ hotfix"
    )
    if not document["releases"]:
        yield "no release tags in this range: tag releases with the policy's tag format (v1.2.3)"
    audit = document.get("audit")
    if audit:
        reasons = ", ".join(f"{r['reason']} ×{r['count']}" for r in audit["top_reasons"]) or "none"
        yield Text(
            f"deploys: {audit['allowed']} allowed, {audit['blocked']} blocked;"
            f" top reasons: {one_line(reasons)}"
        )
