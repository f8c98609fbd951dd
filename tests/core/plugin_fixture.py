"""A third-party gate package, installed for the tests as a real distribution on sys.path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

PLUGIN_MODULE = textwrap.dedent(
    """
    from gates.errors import GateError
    from gates.model import Finding, Result, Severity
    from gates.registry import Doc, Gate, Rule


    def _doc(summary):
        return Doc(summary=summary, what="A test gate.", why="To test the runner.")


    def _pass(ctx, section):
        return Result.of("demo-pass", [], "all good")


    def _fail(ctx, section):
        return Result.of("demo-fail", [Finding("demo-fail.bad", "it is bad", path="src/app.py", line=3,
                                               hint="make it good")], "1 problem")


    def _warn(ctx, section):
        return Result.of("demo-warn", [Finding("demo-warn.meh", "meh", severity=Severity.WARNING)], "1 warning")


    def _crash(ctx, section):
        raise ZeroDivisionError("boom")


    def _cannot(ctx, section):
        raise GateError("no data", hint="make some data")


    def _wrong(ctx, section):
        return "not a result"


    PASS = Gate(id="demo-pass", doc=_doc("always passes"), run=_pass, uses_git=False)
    FAIL = Gate(id="demo-fail", doc=_doc("always fails"), run=_fail, uses_git=False,
                rules=(Rule("demo-fail.bad", _doc("the bad rule")),))
    WARN = Gate(id="demo-warn", doc=_doc("always warns"), run=_warn, uses_git=False)
    CRASH = Gate(id="demo-crash", doc=_doc("always crashes"), run=_crash, uses_git=False)
    CANNOT = Gate(id="demo-cannot", doc=_doc("cannot decide"), run=_cannot, uses_git=False)
    WRONG = Gate(id="demo-wrong", doc=_doc("returns garbage"), run=_wrong, uses_git=False)
    MISNAMED = Gate(id="other-name", doc=_doc("id differs"), run=_pass, uses_git=False)
    """
)

ENTRY_POINTS = textwrap.dedent(
    """
    [gates.gates]
    demo-pass = demo_gates:PASS
    demo-fail = demo_gates:FAIL
    demo-warn = demo_gates:WARN
    demo-crash = demo_gates:CRASH
    demo-cannot = demo_gates:CANNOT
    demo-wrong = demo_gates:WRONG
    demo-misnamed = demo_gates:MISNAMED
    """
)


def install_plugin(
    site: Path, monkeypatch: pytest.MonkeyPatch, name: str, entry_points: str, module: str
) -> Path:
    """A distribution `name` with one module (`name` in snake case) and its entry points,
    installed on sys.path for this test, as pip would leave it."""
    snake = name.replace("-", "_")
    dist = site / f"{snake}-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(entry_points)
    (site / f"{snake}.py").write_text(module)
    monkeypatch.syspath_prepend(str(site))
    return site


@pytest.fixture
def demo_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return install_plugin(tmp_path / "site", monkeypatch, "demo-gates", ENTRY_POINTS, PLUGIN_MODULE)
