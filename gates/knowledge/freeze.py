"""Change freeze windows: weekly (`fri 16:00` to `mon 08:00`) or dated, in a stated time zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKLY = re.compile(
    r"^(?P<day>[a-z]{3})[a-z]*\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})$", re.IGNORECASE
)
MINUTES_PER_WEEK = 7 * 24 * 60


class FreezeError(ValueError):
    """A freeze window the calendar cannot understand; `key` names the policy key."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Window:
    name: str
    start: str
    end: str
    timezone: str
    environments: tuple[str, ...] = ()

    def applies_to(self, environment: str) -> bool:
        return not self.environments or environment in self.environments


def _weekly_minute(text: str, key: str) -> int | None:
    match = _WEEKLY.match(text.strip())
    if match is None:
        return None
    day = match.group("day").lower()
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    if day not in WEEKDAYS or hour > 23 or minute > 59:
        raise FreezeError(f"bad weekday or time {text!r}", key)
    return WEEKDAYS.index(day) * 24 * 60 + hour * 60 + minute


def _moment(text: str, key: str, zone: dt.tzinfo, *, end: bool) -> dt.datetime:
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            if end:  # a date as the end means the whole of that day
                day += dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time(), zone)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FreezeError(
            f"{text!r} is not a date (YYYY-MM-DD), a date-time (YYYY-MM-DDTHH:MM) or a weekday "
            f"and time (fri 16:00)",
            key,
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def zone(name: str, key: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FreezeError(f"unknown time zone {name!r}", key) from None


def windows(items: list[dict[str, Any]], default_timezone: str) -> list[Window]:
    """The policy's freeze list, each window checked: a bad date or zone is a FreezeError."""
    found = []
    for index, item in enumerate(items):
        key = f"deploy.freezes[{index}]"
        window = Window(
            name=str(item.get("name") or f"freeze #{index + 1}"),
            start=str(item["start"]),
            end=str(item["end"]),
            timezone=str(item.get("timezone") or default_timezone),
            environments=tuple(item.get("environments") or ()),
        )
        active(window, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), key)  # validates every field once
        found.append(window)
    return found


def active(window: Window, now: dt.datetime, key: str = "deploy.freezes") -> bool:
    """Whether `now` (aware) falls inside the window, in the window's time zone."""
    tz = zone(window.timezone, f"{key}.timezone")
    start_minute = _weekly_minute(window.start, f"{key}.start")
    end_minute = _weekly_minute(window.end, f"{key}.end")
    if (start_minute is None) != (end_minute is None):
        raise FreezeError("start and end must both be weekdays, or both dates", key)
    local = now.astimezone(tz)
    if start_minute is not None and end_minute is not None:
        minute = local.weekday() * 24 * 60 + local.hour * 60 + local.minute
        if start_minute <= end_minute:
            return start_minute <= minute < end_minute
        return minute >= start_minute or minute < end_minute  # wraps over the week's end
    start = _moment(window.start, f"{key}.start", tz, end=False)
    end = _moment(window.end, f"{key}.end", tz, end=True)
    if end <= start:
        raise FreezeError(f"ends ({window.end}) before it starts ({window.start})", key)
    return start <= local < end
