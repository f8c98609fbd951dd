"""benchmarks/commit_msg.py runs end to end (one run, no peers): it times real processes and
prints the table; no timing is asserted."""

from __future__ import annotations

from benchmarks import commit_msg


def test_benchmark_prints_the_table(tmp_path, capsys):
    code = commit_msg.main(
        ["--runs", "1", "--warmup", "0", "--work", str(tmp_path), "--target", "100000"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "| `python -c pass` |" in out
    assert "| `gate check commit-msg FILE` |" in out
    assert "| `gate hook commit-msg FILE` |" in out
    gate_row = next(line for line in out.splitlines() if line.startswith("| `gate check"))
    assert gate_row.rstrip().endswith("| 0 |")  # the valid message passed
    assert "target met" in out
