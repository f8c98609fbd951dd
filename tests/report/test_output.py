import json
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gates.errors import GateError
from gates.report.output import write_file


def test_several_formats_each_to_its_own_path(echo_repo, gate, tmp_path):
    out = tmp_path / "out"
    result = gate(
        "run",
        "--format",
        f"json:{out / 'gate.json'}",
        "--format",
        f"junit:{out / 'junit' / 'gate.xml'}",
        "--format",
        f"sarif:{out / 'gate.sarif'}",
        "--format",
        f"gitlab:{out / 'gl-code-quality.json'}",
        "--format",
        f"markdown:{out / 'gate.md'}",
        "--format",
        "github",
        "--format",
        "console",
    )
    assert result.code == 1
    assert json.loads((out / "gate.json").read_text())["schema"] == "gate-report/1"
    assert ET.parse(out / "junit" / "gate.xml").getroot().tag == "testsuites"
    assert json.loads((out / "gate.sarif").read_text())["version"] == "2.1.0"
    assert (
        json.loads((out / "gl-code-quality.json").read_text())[0]["check_name"]
        == "echo-commit.message"
    )
    assert (out / "gate.md").read_text().startswith("## gate: BLOCKED")
    assert result.out.startswith(
        "::error file=src/app.py,"
    )  # github first, then console, both on stdout
    assert "gate run — stage ci" in result.out
    assert sorted(p.name for p in out.rglob("*")) == [
        "gate.json",
        "gate.md",
        "gate.sarif",
        "gate.xml",
        "gl-code-quality.json",
        "junit",
    ]


def test_unknown_format_is_a_usage_error(echo_repo, gate):
    result = gate("run", "--format", "html:x.html")
    assert result.code == 2
    assert "unknown format 'html'" in result.err


def test_a_full_disk_is_exit_3_with_a_clear_message(echo_repo, gate):
    result = gate("run", "--only", "always-pass", "--format", "json:/dev/full")
    assert result.code == 3  # the gates passed, but the report was not written: never 0
    assert (
        result.err.strip().splitlines()[0]
        == "gate: cannot write the report /dev/full: No space left on device"
    )
    assert "Traceback" not in result.err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written through, never replaced


def test_standard_output_on_a_full_disk_is_exit_3(echo_repo):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "gates", "run", "--only", "always-pass", "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
    assert done.returncode == 3
    assert "cannot write the report to standard output: No space left on device" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unwritable_path_leaves_no_half_report(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("previous")
    (tmp_path / "dir").mkdir()
    with pytest.raises(GateError, match="cannot write the report"):
        write_file(tmp_path / "dir", "x")
    write_file(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_write_file_to_a_fifo_writes_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_file(Path(fifo), "hello\n")
        assert os.read(reader, 100) == b"hello\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_every_format_on_a_real_stage_run(repo, gate, tmp_path):
    """The built-in ci stage, whatever gates it holds today, through every file format at once."""
    from jsonschema import Draft7Validator

    from tests.report.test_sarif import official_schema

    repo.commit("feat: start")
    repo.branch("feature/reports")
    repo.commit("feat: add a report", {"src/app.py": "print('hi')\n"})
    out = tmp_path / "reports"
    formats = {
        "json": "gate.json",
        "junit": "junit.xml",
        "sarif": "gate.sarif",
        "gitlab": "gl.json",
        "markdown": "gate.md",
    }
    args = [arg for fmt, name in formats.items() for arg in ("--format", f"{fmt}:{out / name}")]
    result = gate("run", "--stage", "ci", "--base", "main", *args)
    assert result.code in (0, 1, 3), result.err
    report = json.loads((out / "gate.json").read_text())
    gates_run = [r["gate"] for r in report["results"]]
    assert report["results"], "the ci stage ran no gate"
    assert (result.code == 0) == report["passed"]
    cases = ET.parse(out / "junit.xml").getroot().findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == gates_run
    sarif_document = json.loads((out / "gate.sarif").read_text())
    assert not list(Draft7Validator(official_schema()).iter_errors(sarif_document))
    findings = sum(len(r["findings"]) for r in report["results"])
    assert len(sarif_document["runs"][0]["results"]) == findings
    assert len(json.loads((out / "gl.json").read_text())) == findings
    assert (out / "gate.md").read_text().startswith("## gate:")
