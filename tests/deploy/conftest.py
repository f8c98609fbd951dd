"""Release repositories and JUnit reports of real pytest runs, for the deploy stage."""

from __future__ import annotations

import shutil

import pytest

# A ci stage of its own, so these tests do not depend on the other gates of the preset.
POLICY = """extends: gitflow
stages:
  ci: [tests]
deploy:
  notify:
    retry_delay_seconds: 0
    timeout_seconds: 2
"""

CHANGELOG = """# Changelog

## [Unreleased]

## [1.2.0] - 2026-11-20

### Added

- Login.

## [1.1.0] - 2026-10-01

### Fixed

- Logout.
"""


@pytest.fixture
def release(repo, junit_reports, monkeypatch):
    """main at release 1.2.0 (tag v1.2.0, pyproject, changelog), develop beside it, a green junit.xml."""
    monkeypatch.setenv("GATE_ACTOR", "release-bot")
    repo.write(".gitignore", "junit.xml\n.gate/\n")
    repo.commit(
        "chore: start",
        {".gate.yaml": POLICY, "pyproject.toml": '[project]\nname = "app"\nversion = "1.1.0"\n'},
    )
    repo.branch("develop")
    repo.commit("feat: login", {"app.py": "VALUE = 1\n"})
    repo.checkout("main")
    repo.merge("develop")
    repo.commit(
        "chore(release): 1.2.0",
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "1.2.0"\n',
            "CHANGELOG.md": CHANGELOG,
        },
    )
    repo.tag("v1.2.0", message="release 1.2.0")
    shutil.copy(junit_reports["green"], repo.path / "junit.xml")
    return repo
