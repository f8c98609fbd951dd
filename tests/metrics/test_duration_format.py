"""One way to write a duration: the console, the HTML report and the metrics JSON agree."""

from __future__ import annotations

import pytest

from gates.knowledge.durations import format_hours, in_hours


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (None, "—"),
        (0.0, "0.0 h"),
        (5.25, "5.2 h"),
        (47.9, "47.9 h"),
        (48.0, "2.0 d"),
        (75, "3.1 d"),
    ],
)
def test_hours_read_as_hours_then_days_from_two_days_on(hours, text):
    assert format_hours(hours) == text


def test_seconds_become_hours_to_two_decimals():
    assert (in_hours(None), in_hours(5400), in_hours(100)) == (None, 1.5, 0.03)


def test_the_console_and_the_html_report_share_the_spelling():
    from gates.commands import metrics
    from gates.report import html

    lead = {"median_hours": 75.0, "p90_hours": None, "changes": 1, "band": "high"}
    restore = {"median_hours": None, "incidents": 0, "band": None}
    frequency = {"releases": 1, "hotfixes": 0, "per_week": 0.1, "band": "low"}
    failure = {"rate": None, "failed": 0, "releases": 1, "band": None}
    totals = {
        "deployment_frequency": frequency,
        "lead_time": lead,
        "change_failure_rate": failure,
        "time_to_restore": restore,
    }
    span = {"since": "2026-01-01", "until": "2026-04-01", "by": "month"}
    section = html.metrics_section({"totals": totals, "periods": [], **span}, None)
    assert "3.1 d" in section and "days" not in section
    assert metrics.format_hours is format_hours
