import datetime as dt

import pytest

from gates.knowledge import dora

H, D = dora.HOUR, dora.DAY


def test_median_and_nearest_rank_percentile():
    assert dora.median([]) is None and dora.percentile([], 0.9) is None
    assert dora.median([3, 1, 2]) == 2 and dora.median([1, 2, 3, 10]) == 2.5
    assert dora.percentile(list(range(1, 11)), 0.9) == 9  # 9th of 10
    assert dora.percentile(list(range(1, 12)), 0.9) == 10  # ceil(9.9) = 10th of 11
    assert dora.percentile([5], 0.9) == 5


@pytest.mark.parametrize(
    ("deployments", "days", "band"),
    [
        (30, 30, "elite"),
        (29, 30, "high"),
        (1, 7, "high"),
        (1, 8, "medium"),
        (1, 31, "medium"),
        (1, 32, "low"),
        (0, 31, "low"),
    ],
)
def test_frequency_bands(deployments, days, band):
    assert dora.frequency_band(deployments, days * D) == band


def test_frequency_band_of_an_empty_span():
    assert dora.frequency_band(3, 0) is None


@pytest.mark.parametrize(
    ("seconds", "lead", "restore"),
    [
        (None, None, None),
        (59 * 60, "elite", "elite"),
        (H, "elite", "high"),
        (23 * H, "elite", "high"),
        (D, "high", "medium"),
        (6 * D, "high", "medium"),
        (7 * D, "medium", "low"),
        (31 * D, "low", "low"),
    ],
)
def test_time_bands(seconds, lead, restore):
    assert dora.lead_time_band(seconds) == lead
    assert dora.restore_band(seconds) == restore


@pytest.mark.parametrize(
    ("rate", "band"),
    [
        (None, None),
        (0, "elite"),
        (0.05, "elite"),
        (0.1, "high"),
        (0.15, "medium"),
        (0.151, "low"),
        (1, "low"),
    ],
)
def test_failure_bands(rate, band):
    assert dora.failure_band(rate) == band


def test_periods_cover_the_range_in_whole_weeks_and_months():
    since = dt.datetime(2026, 1, 7, 15, tzinfo=dt.UTC)  # a Wednesday
    until = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    months = dora.periods(since, until, "month")
    assert [dora.period_label(start, "month") for start, _ in months] == ["2026-01", "2026-02"]
    assert months[1] == (
        dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    weeks = dora.periods(since, dt.datetime(2026, 1, 20, tzinfo=dt.UTC), "week")
    assert [dora.period_label(start, "week") for start, _ in weeks] == [
        "2026-W02",
        "2026-W03",
        "2026-W04",
    ]
    assert weeks[0][0] == dt.datetime(2026, 1, 5, tzinfo=dt.UTC)  # Monday
    december = dora.periods(
        dt.datetime(2025, 12, 31, tzinfo=dt.UTC), dt.datetime(2026, 1, 2, tzinfo=dt.UTC), "month"
    )
    assert [dora.period_label(s, "month") for s, _ in december] == ["2025-12", "2026-01"]
    with pytest.raises(ValueError, match="unknown period"):
        dora.period_start(since, "year")
