"""The real public histories (../shared/realworld/*.bundle), cloned into tmp folders and never
copied into the project.

A checkout without shared/ beside it skips the tests that need them; CI lays shared/ beside the
clone, so there a missing bundle fails instead of passing unseen.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "realworld"
IN_CI = bool(os.environ.get("CI"))  # read at import: the test fixtures clear CI variables


def bundle(name: str) -> Path:
    """The bundle `name`.bundle; skips where it is absent, and fails in CI."""
    path = SHARED / f"{name}.bundle"
    if not path.is_file():
        if IN_CI:
            pytest.fail(f"real-world bundle {path} is absent in CI", pytrace=False)
        pytest.skip(f"real-world bundle {path} is absent")
    return path


def clone(name: str, into: Path) -> Path:
    """A fresh clone of the bundle `name` under `into`, as a user's clone from a forge."""
    target = into / name
    if not target.exists():
        subprocess.run(
            ["git", "clone", "--quiet", str(bundle(name)), str(target)],
            check=True,
            capture_output=True,
        )
    return target


def show(repo: Path, rev: str, path: str) -> str:
    return subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout
