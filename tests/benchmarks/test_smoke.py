"""The benchmark scripts run end to end on tiny repositories: one run, no peers, no timings
asserted. Each runs from a copy of benchmarks/ in a tmp folder, with GATE_BENCH_WORK there
too, so its scratch repositories land in tmp and never in the checkout's benchmarks/.work."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"

TINY = {
    "commit_msg": ["--runs=1", "--warmup=0"],
    "hooks": ["--runs=1", "--warmup=0", "--history=20", "--push=4"],
    "ci_stage": ["--runs=1", "--warmup=0", "--range=15", "--history=15"],
    "diff_coverage": [
        "--runs=1",
        "--warmup=0",
        "--lines=300",
        "--changed=30",
        "--files=3",
        "--no-peers",
    ],
    "changelog": ["--sizes", "40", "--repeat=1", "--no-peers"],
}
TABLE_HEADERS = {
    "commit_msg": "| command | median ms",
    "hooks": "| tool | median ms",
    "ci_stage": "| tool | median ms",
    "diff_coverage": "| command | median ms",
}


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    copy = tmp_path / "benchmarks"
    shutil.copytree(BENCHMARKS, copy, ignore=shutil.ignore_patterns(".work", "__pycache__"))
    return copy


def run_script(bench: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(bench / f"{name}.py"), *args],
        cwd=bench.parent,
        env={**os.environ, "GATE_BENCH_WORK": str(bench / ".work")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("name", ["commit_msg", "hooks", "ci_stage", "diff_coverage"])
def test_benchmark_script_prints_its_table(bench: Path, name: str):
    result = run_script(bench, name, *TINY[name])
    assert result.returncode == 0, result.stderr
    assert TABLE_HEADERS[name] in result.stdout
    table_rows = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    assert any("gate" in row for row in table_rows), result.stdout
    assert (bench / ".work").is_dir()


def test_ci_stage_sees_the_whole_range(bench: Path):
    result = run_script(bench, "ci_stage", *TINY["ci_stage"])
    assert result.returncode == 0, result.stderr
    assert "15 commits; branch-name pass" in result.stdout
    # the row with a small coverage.xml and junit.xml: those gates read them, not skip
    assert re.search(r"coverage (pass|fail|warn), .* tests (pass|fail|warn)", result.stdout)


def test_changelog_benchmark_writes_its_results(bench: Path, tmp_path: Path):
    out = tmp_path / "changelog.json"
    result = run_script(bench, "changelog", *TINY["changelog"], f"--out={out}")
    assert result.returncode == 0, result.stderr
    assert '"gate changelog"' in out.read_text()


def test_run_writes_the_results_page(bench: Path, tmp_path: Path):
    out = tmp_path / "RESULTS.md"
    result = run_script(bench, "run", "--tiny", f"--out={out}")
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    assert "## Machine" in page
    assert "- CPUs (nproc): " in page
    assert "- git: " in page
    for title in (
        "commit-msg hook",
        "hooks (",
        "changelog over",
        "diff coverage",
        "run --stage ci",
    ):
        assert title in page
    assert "| `gate changelog` |" in page  # the changelog's JSON became a table
    assert "EXITED" not in page


def test_changelog_parse_benchmark_reads_every_release_of_every_format(bench: Path):
    result = run_script(bench, "changelog_parse", "--releases=300", "--repeat=1", "--check")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    from gates.knowledge.changelog_formats import NAMES

    assert len(rows) == len(NAMES)
    assert all("| 300 |" in row for row in rows), result.stdout
