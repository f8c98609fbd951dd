"""Result, Finding and Status: what every gate returns; Report, what a run returns and every
reporter draws (here, not in the runner, so that gates/report/ does not depend on the runner).

The records here and on the rest of the commit-msg hook's path are NamedTuples (or plain
classes where they change), not dataclasses: importing `dataclasses` (it loads `inspect`)
and building each class would cost about 10 ms, a fifth of the hook's whole time.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from gates import __version__
from gates.errors import EXIT_ERROR, EXIT_FAIL, EXIT_PASS

if TYPE_CHECKING:
    from gates.knowledge.waivers import Waiver


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"
    ERROR = "error"

    @property
    def blocks(self) -> bool:
        return self in (Status.FAIL, Status.ERROR)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Finding(NamedTuple):
    """One thing a gate found. `rule` is `<gate>.<name>`; `gate explain RULE` documents it."""

    rule: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None
    path: str | None = None
    line: int | None = None
    end_line: int | None = None
    column: int | None = None
    commit: str | None = None
    waiver: str | None = None
    # Findings of one cause (a ruff rule code) share it: a person reads them as one, with a
    # count and the first places; the machine formats keep each.
    cause: str | None = None

    def waived(self, reason: str) -> Finding:
        return self._replace(severity=Severity.NOTE, waiver=reason)

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "path": self.path,
            "line": self.line,
            "end_line": self.end_line,
            "column": self.column,
            "commit": self.commit,
            "waiver": self.waiver,
        }


def status_of(findings: list[Finding]) -> Status:
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return Status.FAIL
    if Severity.WARNING in severities:
        return Status.WARN
    return Status.PASS


class Result:
    """One gate's outcome. Mutable: the runner times it and applies waivers."""

    __slots__ = ("component", "duration_ms", "findings", "gate", "status", "summary")

    def __init__(
        self,
        gate: str,
        status: Status,
        summary: str,
        findings: list[Finding] | None = None,
        duration_ms: float = 0.0,
    ) -> None:
        self.gate = gate
        self.status = status
        self.summary = summary
        self.findings = [] if findings is None else findings
        self.duration_ms = duration_ms
        self.component: str | None = None  # a monorepo's component the result is about

    def __repr__(self) -> str:
        return (
            f"Result(gate={self.gate!r}, status={self.status!r}, summary={self.summary!r},"
            f" findings={self.findings!r}, duration_ms={self.duration_ms!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a dataclass

    @property
    def label(self) -> str:
        """The gate's id, with the component it judged: `version (@shop/api)`."""
        return f"{self.gate} ({self.component})" if self.component else self.gate

    @classmethod
    def of(cls, gate: str, findings: list[Finding], summary: str) -> Result:
        """A result whose status follows from its findings' severities."""
        return cls(gate=gate, status=status_of(findings), summary=summary, findings=list(findings))

    @classmethod
    def skip(cls, gate: str, summary: str, findings: list[Finding] | None = None) -> Result:
        return cls(gate=gate, status=Status.SKIP, summary=summary, findings=list(findings or []))

    @classmethod
    def error(cls, gate: str, summary: str, findings: list[Finding] | None = None) -> Result:
        return cls(gate=gate, status=Status.ERROR, summary=summary, findings=list(findings or []))

    def to_dict(self) -> dict[str, object]:
        document: dict[str, object] = {
            "gate": self.gate,
            "status": self.status.value,
            "summary": self.summary,
            "duration_ms": round(self.duration_ms, 3),
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.component is not None:  # DESIGN.md: present where a component applies
            document["component"] = self.component
        return document


class Report(NamedTuple):
    stage: str | None
    results: list[Result]
    repository: dict[str, str | None]
    policy_sources: list[str]
    policy_digest: str
    duration_ms: float
    waivers: tuple[Waiver, ...] = ()
    tool_version: str = __version__

    @property
    def passed(self) -> bool:
        return not any(r.status.blocks for r in self.results)

    @property
    def exit_code(self) -> int:
        statuses = {r.status for r in self.results}
        if Status.ERROR in statuses:
            return EXIT_ERROR
        if Status.FAIL in statuses:
            return EXIT_FAIL
        return EXIT_PASS

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "gate-report/1",
            "tool": {"name": "gate", "version": self.tool_version},
            "stage": self.stage,
            "repository": self.repository,
            "policy": {"sources": self.policy_sources, "digest": self.policy_digest},
            "passed": self.passed,
            "duration_ms": round(self.duration_ms, 3),
            "results": [r.to_dict() for r in self.results],
            "waivers": [
                {
                    "rule": w.rule,
                    "reason": w.reason,
                    "expires": w.expires.isoformat(),
                    "path": w.path,
                    "commit": w.commit,
                    "branch": w.branch,
                }
                for w in self.waivers
            ],
        }
