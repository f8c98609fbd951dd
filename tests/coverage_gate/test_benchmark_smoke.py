"""The diff-coverage benchmark runs end to end on a tiny input (gate alone, no timing checked)."""

from __future__ import annotations

from benchmarks import common, diff_coverage


def test_diff_coverage_benchmark_smoke(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(common, "WORK", tmp_path / "work")
    code = diff_coverage.main(
        [
            "--lines",
            "600",
            "--changed",
            "100",
            "--files",
            "6",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--no-peers",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "| `gate check coverage` |" in out
    # the gate read the generated report and diff: 100 changed lines, all executable
    assert "/100 lines" in out
    assert (tmp_path / "work" / "diffcov" / "repo" / "coverage.xml").is_file()
