"""Helpers for the hook tests: git commands whose failure is the expected outcome."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Only the commit-msg gate, whatever the preset puts in the other stages.
COMMIT_MSG_POLICY = "stages:\n  pre-commit: []\n  commit-msg: [commit-msg]\n  pre-push: []\n"


def git(
    cwd: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run git; the caller asserts on the return code and the output."""
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        check=False,
    )


def output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr
