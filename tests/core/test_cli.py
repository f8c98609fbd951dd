import subprocess
import sys

import pytest


def test_no_command_prints_help_and_exits_2(gate):
    result = gate()
    assert result.code == 2
    assert "usage: gate" in result.out


def test_version_and_module_entry_point(repo):
    out = subprocess.run(
        [sys.executable, "-m", "gates", "--version"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0
    assert out.stdout.startswith("gate ")


def test_a_plugin_that_fails_to_import_is_an_internal_error_without_traceback(
    repo, gate, demo_plugin
):
    (demo_plugin / "demo_gates.py").write_text("raise RuntimeError('plugin is broken')\n")
    result = gate("explain", "demo-pass")
    assert result.code == 3
    assert "internal error: RuntimeError: plugin is broken" in result.err
    assert "Traceback" not in result.err
    with pytest.raises(RuntimeError):
        gate("explain", "demo-pass", "--debug")


def test_usage_error_with_debug_prints_the_traceback(repo, gate):
    result = gate("--debug", "explain", "no-such-gate")
    assert result.code == 2
    assert "Traceback" in result.err
    assert "unknown gate 'no-such-gate'" in result.err


def test_check_without_a_gate_lists_the_gates(repo, gate):
    result = gate("check")
    assert result.code == 2
    assert "branch-name" in result.out
    assert gate("check", "--help").code == 0
    bad = gate("check", "branch-name", "--no-such-flag")
    assert bad.code == 2


def test_explain_lists_every_gate(repo, gate):
    result = gate("explain")
    assert result.code == 0
    for gate_id in ("branch-name", "commit-msg", "coverage", "version", "changelog", "deploy"):
        assert gate_id in result.out


def test_every_builtin_gate_documents_itself_and_each_rule(repo, gate):
    from gates import registry

    for gate_id in registry.builtin_ids():
        item = registry.load(gate_id)
        assert item.doc.what and item.doc.why, gate_id
        for rule in item.rules:
            assert rule.id.startswith(f"{gate_id}."), rule.id
            assert rule.doc.summary and rule.doc.what and rule.doc.why, rule.id
            assert gate("explain", rule.id).code == 0


@pytest.mark.parametrize(
    "fmt", ["console", "json", "junit", "sarif", "github", "gitlab", "markdown"]
)
def test_every_format_in_a_fresh_interpreter(repo, fmt):
    """In-process tests share pytest's imports; a fresh `python -m gates` proves each reporter
    imports what it needs itself."""
    repo.commit("feat: start")
    done = subprocess.run(
        [sys.executable, "-m", "gates", "run", "--format", fmt],
        cwd=repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
