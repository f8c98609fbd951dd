"""Durations: how one is written for people, test-run durations (the slowest tests, growth
against a baseline)."""

from __future__ import annotations

from dataclasses import dataclass

_SECONDS_PER_HOUR = 3600.0
_DAYS_FROM_HOURS = 48  # under two days, hours read better than "1.5 d"


def in_hours(seconds: float | None) -> float | None:
    """Seconds as hours to two decimals, the unit of the delivery metrics; None stays None."""
    return None if seconds is None else round(seconds / _SECONDS_PER_HOUR, 2)


def format_hours(hours: float | None) -> str:
    """A duration in hours as people read it: "5.0 h", or "3.1 d" from two days on; "—" when
    there is none."""
    if hours is None:
        return "—"
    return f"{hours / 24:.1f} d" if hours >= _DAYS_FROM_HOURS else f"{hours:.1f} h"


@dataclass(frozen=True)
class Growth:
    test: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    before: float
    after: float
    grown: list[Growth]
    new_tests: int

    @property
    def percent(self) -> float:
        if self.before <= 0:
            return 0.0 if self.after <= 0 else float("inf")
        return (self.after - self.before) / self.before * 100


def slowest(durations: dict[str, float], count: int) -> list[tuple[str, float]]:
    """The `count` slowest tests, slowest first; ties by id, so the list is stable."""
    ranked = sorted(durations.items(), key=lambda item: (-item[1], item[0]))
    return ranked[: max(count, 0)]


def compare(
    baseline_total: float,
    baseline_tests: dict[str, float],
    total: float,
    tests: dict[str, float],
    top: int = 5,
) -> Comparison:
    """The total before and after, and the tests that grew most (largest growth first)."""
    grown = [
        Growth(test, baseline_tests[test], seconds)
        for test, seconds in tests.items()
        if test in baseline_tests and seconds > baseline_tests[test]
    ]
    grown.sort(key=lambda g: (-g.delta, g.test))
    new_tests = sum(1 for test in tests if test not in baseline_tests)
    return Comparison(baseline_total, total, grown[:top], new_tests)


def per_test(cases: list[tuple[str, float]]) -> dict[str, float]:
    """Seconds per test id; a test reported twice (reruns, several reports) counts its sum."""
    out: dict[str, float] = {}
    for test, seconds in cases:
        out[test] = out.get(test, 0.0) + seconds
    return out
