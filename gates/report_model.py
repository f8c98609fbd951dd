"""The report of a run: every gate's result, the policy and the repository it ran on.

What the runner returns and every reporter draws; it lives apart from the runner so that
`gates/report/` depends on this record, not on the code that runs the gates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gates import __version__
from gates.errors import EXIT_ERROR, EXIT_FAIL, EXIT_PASS
from gates.model import Result, Status

if TYPE_CHECKING:
    from gates.knowledge.waivers import Waiver


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
