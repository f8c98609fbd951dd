"""A small sample project, measured by the real coverage.py in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PRICING = """\
def total(prices, discount=0):
    amount = sum(prices)
    if discount:
        amount -= amount * discount / 100
    return round(amount, 2)
"""

# appended by the feature branch: lines 8-11 of pricing.py
LABEL = """

def label(amount):
    if amount > 100:
        return "large"
    return "small"
"""

TEST_PRICING = """\
from shop.pricing import total


def test_total():
    assert total([1, 2]) == 3
"""

COVERAGERC = "[run]\nbranch = true\nsource = src\n"


def write_project(root: Path, *, with_label: bool = False) -> None:
    """src/shop/pricing.py with its test; `label` (lines 8-11) when with_label."""
    files = {
        "src/shop/__init__.py": "",
        "src/shop/pricing.py": PRICING + (LABEL if with_label else ""),
        "tests/test_pricing.py": TEST_PRICING,
        ".coveragerc": COVERAGERC,
        ".gitignore": ".coverage\ncoverage.*\n*.lcov\n__pycache__/\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE", "COVERAGE_"))}
    env["PYTHONPATH"] = "src"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def measure(root: Path, *reports: str) -> None:
    """`coverage run -m pytest`, then `coverage xml|json|lcov` for each report asked for."""
    env = _clean_env()
    python = sys.executable
    steps = [
        [python, "-m", "coverage", "run", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    ]
    steps += [[python, "-m", "coverage", report, "-q"] for report in reports]
    for step in steps:
        result = subprocess.run(
            step, cwd=root, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{step} failed: {result.stdout}{result.stderr}"


@pytest.fixture(scope="session")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project (with `label`), measured once in every format, in its own folder."""
    root = tmp_path_factory.mktemp("measured") / "proj"
    root.mkdir()
    write_project(root, with_label=True)
    measure(root, "xml", "json", "lcov")
    return root


@pytest.fixture(scope="session")
def measured_start(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project without `label`, measured once (.coverage only)."""
    root = tmp_path_factory.mktemp("measured-start") / "proj"
    root.mkdir()
    write_project(root)
    measure(root)
    return root


def copy_data(source: Path, target: Path, *names: str) -> None:
    for name in names:
        shutil.copy(source / name, target / name)
