"""Freeze windows: weekly and dated, in a time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from gates.knowledge.freeze import FreezeError, Window, active, windows

UTC = dt.UTC
WEEKEND = Window("weekend", "fri 16:00", "mon 08:00", "UTC")


@pytest.mark.parametrize(
    "moment,frozen",
    [
        (dt.datetime(2026, 11, 27, 15, 59, tzinfo=UTC), False),  # Friday
        (dt.datetime(2026, 11, 27, 16, 0, tzinfo=UTC), True),
        (dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC), True),  # Saturday
        (dt.datetime(2026, 11, 30, 7, 59, tzinfo=UTC), True),  # Monday
        (dt.datetime(2026, 11, 30, 8, 0, tzinfo=UTC), False),
        (dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC), False),  # Wednesday
    ],
)
def test_weekly_window_wraps_over_the_weekend(moment, frozen):
    assert active(WEEKEND, moment) is frozen


def test_window_is_read_in_its_time_zone():
    berlin = Window("weekend", "Friday 16:00", "Monday 08:00", "Europe/Berlin")
    assert active(berlin, dt.datetime(2026, 11, 27, 15, 30, tzinfo=UTC))  # 16:30 in Berlin
    assert not active(berlin, dt.datetime(2026, 11, 27, 14, 30, tzinfo=UTC))
    tokyo_noon = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert not active(WEEKEND, tokyo_noon)  # 03:00 UTC on Friday


def test_dated_window_includes_its_last_day():
    holiday = Window("holidays", "2026-12-23", "2026-12-27", "Europe/Berlin")
    assert not active(holiday, dt.datetime(2026, 12, 22, 22, 59, tzinfo=UTC))
    assert active(holiday, dt.datetime(2026, 12, 22, 23, 0, tzinfo=UTC))  # midnight in Berlin
    assert active(holiday, dt.datetime(2026, 12, 27, 22, 59, tzinfo=UTC))
    assert not active(holiday, dt.datetime(2026, 12, 27, 23, 0, tzinfo=UTC))
    timed = Window("launch", "2026-12-01T18:00", "2026-12-02T06:00+00:00", "UTC")
    assert active(timed, dt.datetime(2026, 12, 2, 5, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    "item,message",
    [
        ({"start": "2026-13-01", "end": "2026-12-31"}, "deploy.freezes[0].start"),
        ({"start": "fri 25:00", "end": "mon 08:00"}, "bad weekday or time"),
        ({"start": "fri 16:00", "end": "2026-12-31"}, "both be weekdays"),
        ({"start": "2026-12-31", "end": "2026-12-01"}, "ends (2026-12-01) before it starts"),
        (
            {"start": "fri 16:00", "end": "mon 08:00", "timezone": "Nowhere/Land"},
            "unknown time zone",
        ),
    ],
)
def test_bad_calendar_entries_are_refused(item, message):
    with pytest.raises(FreezeError) as raised:
        windows([item], "UTC")
    assert message in f"{raised.value.key} {raised.value}"
