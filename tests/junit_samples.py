"""A small sample project, tested by real pytest, whose JUnit XML reports the gates read
(the tests, build-time and deploy gates). The fixture `junit_reports` in tests/conftest.py
runs it once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SAMPLE_TESTS = """
import os
import time

import pytest


def test_ok():
    assert 1 + 1 == 2


def test_slow():
    time.sleep(float(os.environ.get("SAMPLE_SLEEP", "0")))


@pytest.mark.skipif(os.environ.get("SAMPLE_BROKEN") != "1", reason="only in the broken build")
def test_flaky():
    assert False, "flaky network timeout\\nsecond line"


@pytest.fixture
def database():
    if os.environ.get("SAMPLE_BROKEN") == "1":
        raise RuntimeError("database is down")
    return {}


def test_uses_database(database):
    assert database == {}


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass


class TestGroup:
    @pytest.mark.skipif(os.environ.get("SAMPLE_BROKEN") != "1", reason="only in the broken build")
    def test_math(self):
        assert 2 * 2 == 5, "arithmetic is broken"
"""

ALL_SKIPPED = """
import pytest


@pytest.mark.skip(reason="nothing today")
def test_nothing():
    pass
"""


def run_pytest(project: Path, report: Path, env: dict[str, str] | None = None) -> int:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_CORE"))}
    environment.update(env or {})
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            f"--junitxml={report}",
            str(project),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert report.is_file(), process.stdout + process.stderr
    return process.returncode


def make_reports(base: Path) -> dict[str, Path]:
    """JUnit files written by real pytest runs in `base`: green, broken, slow, all skipped,
    empty."""
    project = base / "project"
    project.mkdir()
    (project / "test_sample.py").write_text(SAMPLE_TESTS)
    skipped = base / "skipped"
    skipped.mkdir()
    (skipped / "test_skipped.py").write_text(ALL_SKIPPED)
    empty = base / "empty"
    empty.mkdir()
    reports = {
        name: base / f"{name}.xml" for name in ("green", "broken", "slow", "skipped", "empty")
    }
    assert run_pytest(project, reports["green"]) == 0
    assert run_pytest(project, reports["broken"], {"SAMPLE_BROKEN": "1"}) == 1
    assert run_pytest(project, reports["slow"], {"SAMPLE_SLEEP": "0.6"}) == 0
    assert run_pytest(skipped, reports["skipped"]) == 0
    assert run_pytest(empty, reports["empty"]) == 5  # pytest: no tests collected
    return reports
