"""The public histories in ../shared/realworld, cloned once per test session (through
tests/bundles.py: a missing bundle skips outside CI and fails in CI)."""

from __future__ import annotations

import pytest

from tests.bundles import clone as clone_bundle
from tests.bundles import git

__all__ = ["git"]


@pytest.fixture(scope="session")
def clone(tmp_path_factory: pytest.TempPathFactory):
    """clone(name) -> the path of a fresh clone of shared/realworld/NAME.bundle."""
    made: dict[str, object] = {}
    root = tmp_path_factory.mktemp("realworld")

    def get(name: str):
        if name not in made:
            path = clone_bundle(name, root)
            # reachability questions in milliseconds, as a long-lived clone answers them
            git(path, "commit-graph", "write", "--reachable")
            made[name] = path
        return made[name]

    return get
