"""Release repositories and JUnit reports of real pytest runs, for the deploy stage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.build_health.conftest import SAMPLE_TESTS, run_pytest

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


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("deploy-sample")
    project = base / "project"
    project.mkdir()
    (project / "test_sample.py").write_text(SAMPLE_TESTS)
    found = {"green": base / "green.xml", "broken": base / "broken.xml"}
    assert run_pytest(project, found["green"]) == 0
    assert run_pytest(project, found["broken"], {"SAMPLE_BROKEN": "1"}) == 1
    return found


@pytest.fixture
def release(repo, reports, monkeypatch):
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
    shutil.copy(reports["green"], repo.path / "junit.xml")
    return repo
