"""Result, Finding and Status: what every gate returns and every reporter draws."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


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


@dataclass(frozen=True)
class Finding:
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

    def waived(self, reason: str) -> Finding:
        return replace(self, severity=Severity.NOTE, waiver=reason)

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


@dataclass
class Result:
    gate: str
    status: Status
    summary: str
    findings: list[Finding] = field(default_factory=list)
    duration_ms: float = 0.0

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
        return {
            "gate": self.gate,
            "status": self.status.value,
            "summary": self.summary,
            "duration_ms": round(self.duration_ms, 3),
            "findings": [f.to_dict() for f in self.findings],
        }
