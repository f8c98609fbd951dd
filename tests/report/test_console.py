import os
import re

import pytest

from gates.model import Finding, Result
from gates.report import console
from gates.report.output import color_wanted
from tests.report.conftest import HOSTILE, make_report

SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def terminal():
    """A real pseudo-terminal, as a developer's shell has."""
    leader, follower = os.openpty()
    stream = os.fdopen(follower, "w")
    yield stream
    stream.close()
    os.close(leader)


def test_colour_only_on_a_terminal(terminal, tmp_path):
    with (tmp_path / "log").open("w") as file:
        assert color_wanted(file, {}) is False
        assert color_wanted(file, {"FORCE_COLOR": "1"}) is True
    assert color_wanted(terminal, {}) is True
    assert color_wanted(terminal, {"NO_COLOR": "1"}) is False
    assert color_wanted(terminal, {"NO_COLOR": "1", "FORCE_COLOR": "1"}) is False
    assert color_wanted(terminal, {"TERM": "dumb"}) is False


def test_one_gate_prints_plain_lines(mixed_report):
    report = make_report([mixed_report.results[2]])
    text = console.render(report)
    assert text.splitlines()[:3] == [
        "✖ lint fail: 1 problem",
        "  error [lint.unused] unused import os  (src/app.py:3-4:8)",
        "      hint: remove it",
    ]
    assert "\x1b" not in text
    coloured = console.render(report, color=True)
    assert "\x1b[31m" in coloured and SGR.sub("", coloured) == text


def test_several_gates_print_a_table(mixed_report):
    text = console.render(mixed_report)
    assert "gate run — stage ci" in text
    for gate_id in ("branch-name", "commits", "lint", "coverage", "changelog"):
        assert gate_id in text
    assert "BLOCKED: 1 pass, 2 fail, 1 error, 1 skip (stage ci, 42 ms)" in text
    assert "\x1b" not in text


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("many", [False, True])
def test_hostile_text_is_shown_never_emitted(color, many):
    results = [
        Result.of(
            "commits",
            [Finding("commits.subject", HOSTILE, hint=HOSTILE, path="a\x1b[2Jb.py")],
            HOSTILE,
        )
    ]
    if many:
        results.append(Result.of("branch-name", [], HOSTILE))
    text = console.render(make_report(results), color=color)
    plain = SGR.sub("", text)
    assert "\x1b" not in plain  # only our own colour codes are escape sequences
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", plain)
    assert "\\x1b[31mRED" in plain and "\\x1b]0;owned\\x07" in plain and "a\\x1b[2Jb.py" in plain
    if color:
        assert set(SGR.findall(text)) - {"\x1b[0m"}  # it did colour


def test_cli_honours_no_color_and_force_color(echo_repo, gate, monkeypatch):
    assert "\x1b[" not in gate("run").out  # captured output is not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in gate("run").out
    monkeypatch.setenv("NO_COLOR", "1")
    out = gate("run").out
    assert "\x1b[" not in out
    assert "\\x1b[31mRED" in out


def test_console_shows_the_first_notes_and_counts_the_rest():
    from gates.model import Finding, Result, Severity
    from gates.report import console
    from gates.runner import Report

    notes = [
        Finding("coverage.uncovered-lines", f"line {n}", severity=Severity.NOTE) for n in range(25)
    ]
    error = Finding("coverage.changed", "too low")
    result = Result.of("coverage", [error, *notes], "low")
    report = Report("ci", [result, Result.of("lint", [], "ok")], {}, [], "sha256:x", 1.0)
    text = console.render(report, color=False)
    # at most ten findings per gate (issue 18), errors first: the error and nine notes
    assert "too low" in text
    assert "line 8" in text
    assert "line 9" not in text
    assert "… and 16 more" in text
    single = console.render(Report("ci", [result], {}, [], "sha256:x", 1.0), color=False)
    assert "… and 16 more" in single


def test_findings_of_one_cause_are_one_finding_with_the_count_and_first_places():
    import json

    from gates.model import Finding, Result, Severity
    from gates.report import console
    from gates.report.json import render as render_json
    from gates.runner import Report

    same = [
        Finding(
            "lint.ruff",
            "F401 `os` imported but unused",
            severity=Severity.WARNING,
            path=f"m{n}.py",
            line=n + 1,
            cause="ruff F401",
        )
        for n in range(12)
    ]
    other = Finding("lint.ruff", "E711 comparison to None", severity=Severity.WARNING, path="x.py")
    result = Result.of("lint", [*same, other], "13 ruff findings")
    report = Report("ci", [result, Result.of("tests", [], "ok")], {}, [], "sha256:x", 1.0)
    text = console.render(report, color=False)
    assert "F401 `os` imported but unused — 12 times: m0.py:1, m1.py:2, m2.py:3 …" in text
    assert "m3.py" not in text
    assert "E711 comparison to None" in text
    assert "more (every finding" not in text
    machine = json.loads(render_json(report))
    assert len(machine["results"][0]["findings"]) == 13


def test_the_table_fits_an_80_column_terminal(monkeypatch):
    from gates.model import Result
    from gates.report import console
    from gates.runner import Report

    monkeypatch.setattr(console, "terminal_width", lambda default=120: 80)
    long = "no JUnit XML report found (junit.xml, reports/junit*.xml): run pytest first " * 2
    report = Report(
        "ci", [Result.of("tests", [], long), Result.of("lint", [], "ok")], {}, [], "x", 1.0
    )
    lines = console.render(report, color=False).splitlines()
    assert max(len(line) for line in lines) <= 80
    assert sum("tests" in line for line in lines) == 1  # the summary wraps inside its column


def test_off_a_terminal_the_width_is_fixed():
    from gates.report import console

    assert console.terminal_width() == 120  # pytest captures stdout: not a terminal


def test_the_markdown_summary_shows_what_the_console_shows():
    from gates.model import Finding, Result, Severity, Status
    from gates.report import markdown
    from gates.runner import Report

    findings = [
        Finding(
            "lint.ruff",
            f"E501 line too long #{n}",
            severity=Severity.WARNING,
            path=f"a{n}.py",
            cause="E501",
        )
        for n in range(5)
    ] + [Finding(f"x.rule{n}", f"note {n}", severity=Severity.NOTE) for n in range(12)]
    result = Result("lint", Status.WARN, "17 findings", findings)
    report = Report("ci", [result], {"commit": None, "branch": None, "base": None}, [], "", 1.0)
    text = markdown.render(report)
    assert text.count("E501 line too long") == 1 and "5 times" in text
    assert "and 3 more: every finding is in `--format json`" in text
