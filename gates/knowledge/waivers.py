"""Waivers: a rule set aside for a path, a commit or a branch, with a reason and an end date."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from gates.knowledge.globs import matches, ref_matches
from gates.model import Finding, Severity

# Rules no waiver sets aside: what may deploy where, and the proof that the ci stage passed.
UNWAIVABLE = frozenset({"deploy.ref", "deploy.attestation"})
DEFAULT_MAX_DAYS = 90


def entries(section: Any) -> list[dict[str, Any]]:
    """The waivers of a policy's `waivers` key, written as a list or as {max_days, entries}."""
    if isinstance(section, dict):
        return list(section.get("entries") or [])
    return list(section or [])


def max_days(section: Any) -> int:
    if isinstance(section, dict) and section.get("max_days") is not None:
        return int(section["max_days"])
    return DEFAULT_MAX_DAYS


class Waiver(NamedTuple):
    rule: str
    reason: str
    expires: dt.date
    path: str | None = None
    commit: str | None = None
    branch: str | None = None

    @classmethod
    def from_policy(cls, item: dict[str, Any]) -> Waiver:
        return cls(
            rule=item["rule"],
            reason=item["reason"],
            expires=dt.date.fromisoformat(str(item["expires"])),
            path=item.get("path"),
            commit=item.get("commit"),
            branch=item.get("branch"),
        )

    def expired(self, today: dt.date) -> bool:
        return today > self.expires

    def covers(self, finding: Finding, gate: str, branch: str | None) -> bool:
        if self.rule not in (finding.rule, gate):
            return False
        if self.path and not (finding.path and matches(finding.path, [self.path])):
            return False
        if self.commit and not (finding.commit and _same_commit(finding.commit, self.commit)):
            return False
        return not (self.branch and not (branch and ref_matches(branch, [self.branch])))

    def describe(self) -> str:
        where = ", ".join(
            f"{k} {v}"
            for k, v in (("path", self.path), ("commit", self.commit), ("branch", self.branch))
            if v
        )
        return (
            f"{self.rule}{' (' + where + ')' if where else ''} until {self.expires}: {self.reason}"
        )


def _same_commit(a: str, b: str) -> bool:
    """Two spellings of one commit: full or abbreviated (at least 7 hex digits)."""
    a, b = a.lower(), b.lower()
    return min(len(a), len(b)) >= 7 and (a.startswith(b) or b.startswith(a))


def apply(
    findings: list[Finding], gate: str, waivers: list[Waiver], branch: str | None, today: dt.date
) -> tuple[list[Finding], list[Waiver]]:
    """Findings with the waived ones turned into notes, and the waivers that were used."""
    used: list[Waiver] = []
    out: list[Finding] = []
    for finding in findings:
        waiver = None
        if finding.severity is not Severity.NOTE and finding.rule not in UNWAIVABLE:
            waiver = next(
                (w for w in waivers if not w.expired(today) and w.covers(finding, gate, branch)),
                None,
            )
        if waiver is None:
            out.append(finding)
            continue
        out.append(finding.waived(waiver.reason))
        if waiver not in used:
            used.append(waiver)
    return out, used
