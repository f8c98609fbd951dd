"""The quarantine list: named flaky tests that may fail without blocking, each until a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any


@dataclass(frozen=True)
class Quarantine:
    test: str
    reason: str
    expires: dt.date

    @classmethod
    def from_policy(cls, item: dict[str, Any]) -> Quarantine:
        expires = item["expires"]
        if not isinstance(expires, dt.date):
            expires = dt.date.fromisoformat(str(expires))
        return cls(test=str(item["test"]), reason=str(item["reason"]), expires=expires)

    def matches(self, test_id: str) -> bool:
        """`test` is a test id (`classname::name`) or a glob of ids (`tests.test_x.TestY::*`)."""
        return test_id == self.test or fnmatchcase(test_id, self.test)

    def expired(self, today: dt.date) -> bool:
        return today > self.expires


def find(entries: list[Quarantine], test_id: str) -> Quarantine | None:
    """The first entry that names this test, expired or not."""
    return next((entry for entry in entries if entry.matches(test_id)), None)
