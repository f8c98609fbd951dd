"""The four DORA measures: statistics, periods and performance bands. Pure: no I/O, no git.

Bands follow the DORA State of DevOps clusters, with the gaps between the
published ranges closed so that every value has exactly one band:

| measure | elite | high | medium | low |
| --- | --- | --- | --- | --- |
| deployment frequency | daily or more | weekly or more | every 31 days or more | less often |
| lead time for changes (median) | under 1 day | under 1 week | under 31 days | longer |
| change failure rate | at most 5 % | at most 10 % | at most 15 % | more |
| time to restore (median) | under 1 hour | under 1 day | under 1 week | longer |
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence

HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY
MONTH = 31 * DAY
BANDS = ("elite", "high", "medium", "low")
PERIODS = ("week", "month")


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or
    below it (p90 of 10 values is the 9th smallest), so every figure is one of the inputs."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return float(ordered[rank - 1])


def frequency_band(deployments: int, seconds: float) -> str | None:
    """Band of `deployments` made over a span of `seconds`."""
    if seconds <= 0:
        return None
    if deployments * DAY >= seconds:
        return "elite"
    if deployments * WEEK >= seconds:
        return "high"
    if deployments * MONTH >= seconds:
        return "medium"
    return "low"


def lead_time_band(seconds: float | None) -> str | None:
    return _below(seconds, (DAY, WEEK, MONTH))


def restore_band(seconds: float | None) -> str | None:
    return _below(seconds, (HOUR, DAY, WEEK))


def failure_band(rate: float | None) -> str | None:
    if rate is None:
        return None
    for band, limit in zip(BANDS, (0.05, 0.10, 0.15), strict=False):
        if rate <= limit + 1e-12:
            return band
    return "low"


def _below(seconds: float | None, limits: tuple[float, float, float]) -> str | None:
    if seconds is None:
        return None
    for band, limit in zip(BANDS, limits, strict=False):
        if seconds < limit:
            return band
    return "low"


def period_start(moment: dt.datetime, by: str) -> dt.datetime:
    """The start (UTC midnight) of the ISO week (Monday) or calendar month holding `moment`."""
    day = moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown period '{by}': one of {', '.join(PERIODS)}")


def next_period(start: dt.datetime, by: str) -> dt.datetime:
    if by == "week":
        return start + dt.timedelta(days=7)
    return (start + dt.timedelta(days=32)).replace(day=1)


def period_label(start: dt.datetime, by: str) -> str:
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start.year}-{start.month:02d}"


def periods(
    since: dt.datetime, until: dt.datetime, by: str
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Consecutive whole periods [start, end) that cover since..until."""
    spans = []
    start = period_start(since, by)
    while start < until:
        end = next_period(start, by)
        spans.append((start, end))
        start = end
    return spans
