"""benchmarks/version_files.py runs end to end, once, and prints its tables; no timing asserted."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "version_files.py"


def test_the_version_files_benchmark_prints_its_tables(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--repeat=1", "--imports=1"],
        env={**os.environ, "GATE_BENCH_WORK": str(tmp_path / "work")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "| read (pre-push: changelog gate) |" in result.stdout
    assert "| `gates.knowledge.toml_scan` |" in result.stdout
    assert "- gate gives the value's line (7)" in result.stdout
