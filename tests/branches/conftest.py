"""CI variables for a detached HEAD, as each provider sets them."""

from __future__ import annotations

import pytest

# Variables the root conftest does not clear but these tests set.
EXTRA_CI_VARIABLES = (
    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
    "CI_COMMIT_TAG",
    "CHANGE_BRANCH",
    "CHANGE_TARGET",
    "GIT_BRANCH",
    "TAG_NAME",
    "GATE_RELEASE",
    "PRE_COMMIT",
)


@pytest.fixture(autouse=True)
def _no_more_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in EXTRA_CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def ci(monkeypatch: pytest.MonkeyPatch):
    """ci(VAR=value, ...): set CI variables for this test."""

    def set_variables(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_variables


@pytest.fixture
def detached(repo):
    """A repository with one commit on main, HEAD detached at it (as CI checks out), and the
    branches pull requests target in these tests (the target's policy judges the change)."""
    repo.commit("chore: start")
    for target in ("develop", "release/1.0.0"):
        repo.git("branch", target)
    repo.checkout(repo.head)
    return repo
