"""Reports built from Result/Finding objects, and a plugin gate that echoes real git text."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from gates.knowledge.waivers import Waiver
from gates.model import Finding, Result, Severity, Status
from gates.runner import Report

# What an attacker can put in a commit message or a branch name.
HOSTILE = (
    "fix: ok\n::set-output name=deploy::yes\r\n::add-mask::hunter2\n::error file=x::forged"
    " \x1b[31mRED\x1b[0m \x1b]0;owned\x07 \x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\"
    " <script>alert(1)</script> <img src=x onerror=alert(2)> ]]> & \x00\x08\x0b\x7f\ufffe"
    " `code` | cell | [click](http://evil) ![pixel](http://evil/p.png) **bold** @everyone %0A %25"
)


def make_report(
    results: list[Result], *, stage: str | None = "ci", waivers: list[Waiver] | None = None
) -> Report:
    return Report(
        stage=stage,
        results=results,
        repository={
            "commit": "0123456789abcdef0123456789abcdef01234567",
            "branch": "feature/x",
            "base": None,
        },
        policy_sources=["policies/gitflow.yaml", ".gate.yaml"],
        policy_digest="sha256:" + "ab" * 32,
        duration_ms=42.0,
        waivers=waivers or [],
    )


@pytest.fixture
def mixed_report() -> Report:
    """One gate of every status, findings with and without places, a waived one."""
    waiver = Waiver(
        rule="lint.unused", reason="generated code", expires=dt.date(2099, 1, 1), path="gen/*"
    )
    return make_report(
        [
            Result(
                gate="branch-name",
                status=Status.PASS,
                summary="feature/x is a valid branch name",
                duration_ms=0.4,
            ),
            Result.of(
                "commits",
                [
                    Finding(
                        "commits.subject",
                        "subject too long (90 > 72)",
                        hint="shorten it; see `gate explain commits.subject`",
                        commit="0123456789abcdef0123456789abcdef01234567",
                    ),
                    Finding(
                        "commits.type",
                        "unknown type 'wip'",
                        severity=Severity.WARNING,
                        commit="89abcdef",
                    ),
                ],
                "2 problems in 3 commits",
            ),
            Result.of(
                "lint",
                [
                    Finding(
                        "lint.unused",
                        "unused import os",
                        path="src/app.py",
                        line=3,
                        end_line=4,
                        column=8,
                        hint="remove it",
                    ),
                    Finding("lint.unused", "unused import sys", path="gen/out.py", line=1).waived(
                        "generated code"
                    ),
                ],
                "1 problem",
            ),
            Result.error(
                "coverage",
                "coverage data is broken",
                [Finding("coverage.error", "coverage.xml: not XML", hint="re-run the tests")],
            ),
            Result.skip("changelog", "no CHANGELOG.md and the policy does not require one"),
        ],
        waivers=[waiver],
    )


@pytest.fixture
def hostile_report() -> Report:
    return make_report(
        [
            Result.of(
                "commits",
                [
                    Finding(
                        "commits.subject",
                        HOSTILE,
                        hint=HOSTILE,
                        path="src/we ird,na:me.py",
                        line=2,
                        commit=HOSTILE[:40],
                    )
                ],
                HOSTILE,
            ),
            Result(gate="branch-name", status=Status.PASS, summary=HOSTILE),
        ]
    )


ECHO_PLUGIN = textwrap.dedent(
    """
    from gates.model import Finding, Result, Severity
    from gates.registry import Doc, Gate, Rule

    DOC = Doc(summary="Echoes the last commit message", what="Reports HEAD's message as a finding.",
              why="To test reporters on text that came out of git.")


    def _echo(ctx, section):
        head = next(ctx.git.commits(None, "HEAD"))
        return Result.of("echo-commit", [
            Finding("echo-commit.message", head.message, path="src/app.py", line=3, end_line=5, column=2,
                    commit=head.sha, hint="see `gate explain echo-commit.message`"),
            Finding("echo-commit.branch", "branch " + (ctx.branch or "?"), severity=Severity.WARNING),
        ], head.subject)


    def _pass(ctx, section):
        return Result.of("always-pass", [], "nothing to say")


    def _skip(ctx, section):
        return Result.skip("always-skip", "no input here")


    ECHO = Gate(id="echo-commit", doc=DOC, run=_echo,
                rules=(Rule("echo-commit.message", Doc(summary="the message, echoed", what="Echo.", why="Tests.")),))
    PASS = Gate(id="always-pass", doc=Doc(summary="passes", what="-", why="-"), run=_pass, uses_git=False)
    SKIP = Gate(id="always-skip", doc=Doc(summary="skips", what="-", why="-"), run=_skip, uses_git=False)
    """
)


@pytest.fixture
def echo_repo(repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A repository whose HEAD message is hostile, with a policy running the echo plugin in ci."""
    site = tmp_path / "site"
    dist = site / "echo_gates-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: echo-gates\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[gates.gates]\necho-commit = echo_gates:ECHO\nalways-pass = echo_gates:PASS\nalways-skip = echo_gates:SKIP\n"
    )
    (site / "echo_gates.py").write_text(ECHO_PLUGIN)
    monkeypatch.syspath_prepend(str(site))
    repo.write(".gate.yaml", "stages:\n  ci: [always-pass, echo-commit, always-skip]\n")
    repo.commit("chore: start")
    repo.git("commit", "-q", "--allow-empty", "-m", HOSTILE.replace("\x00", ""))
    return repo
