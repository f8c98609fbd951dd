"""The public histories in ../shared/realworld, cloned once per test session.

A checkout without shared/ beside it skips these tests; in CI (where shared/ is laid beside
the clone) a missing bundle fails instead of passing unseen. Clones go to a temporary
folder; nothing is ever written into shared/."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld"
IN_CI = bool(os.environ.get("CI"))  # read at import: the test fixtures clear CI variables


def git(path: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=path, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="session")
def clone(tmp_path_factory: pytest.TempPathFactory):
    """clone(name) -> the path of a fresh clone of shared/realworld/NAME.bundle."""
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            bundle = REALWORLD / f"{name}.bundle"
            if not bundle.exists():
                if IN_CI:
                    pytest.fail(f"real history {bundle} is absent in CI", pytrace=False)
                pytest.skip(f"real history {bundle} is absent")
            path = tmp_path_factory.mktemp("realworld") / name
            subprocess.run(["git", "clone", "--quiet", str(bundle), str(path)], check=True)
            # reachability questions in milliseconds, as a long-lived clone answers them
            git(path, "commit-graph", "write", "--reachable")
            made[name] = path
        return made[name]

    return get
