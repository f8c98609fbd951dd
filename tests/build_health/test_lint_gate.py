"""`gate check lint`: real ruff on real files in real repositories."""

from __future__ import annotations

import json

import pytest

from gates.adapters import ruff

RUFF_CONFIG = '[lint]\nselect = ["F", "E711"]\n'
LEGACY = "import os\nimport sys\n\n\ndef main():\n    return sys.argv\n"


def _result(outcome):
    return json.loads(outcome.out)["results"][0]


@pytest.fixture
def legacy(repo):
    """main holds an old F401 finding; feature/x adds a new finding in a new file and an old file."""
    repo.commit("chore: start", {"ruff.toml": RUFF_CONFIG, "app/legacy.py": LEGACY})
    repo.branch("develop")
    repo.branch("feature/x")
    repo.commit(
        "feat: new code",
        {
            "app/legacy.py": LEGACY + "\n\ndef check(value):\n    return value == None\n",
            "app/new.py": "import json\n\nVALUE = 1\n",
        },
    )
    return repo


def test_only_findings_on_changed_lines_block(legacy, gate):
    result = gate("check", "lint", "--format", "json")
    assert result.code == 1
    gate_result = _result(result)
    blocking = [f for f in gate_result["findings"] if f["severity"] == "error"]
    assert {(f["path"], f["line"], f["message"].split()[0]) for f in blocking} == {
        ("app/legacy.py", 10, "E711"),
        ("app/new.py", 1, "F401"),
    }
    new = next(f for f in blocking if f["path"] == "app/new.py")
    assert new["rule"] == "lint.ruff"
    assert "https://docs.astral.sh/ruff/rules/unused-import" in new["hint"]
    outside = [f for f in gate_result["findings"] if f["rule"] == "lint.outside-change"]
    assert outside[0]["severity"] == "note"
    assert outside[0]["message"].startswith("1 ruff finding(s)")
    assert gate_result["summary"] == "2 ruff findings on changed lines, 1 elsewhere (not blocking)"


def test_scope_all_by_policy_blocks_on_legacy_findings(legacy, gate):
    legacy.write(".gate.yaml", "lint:\n  scope: all\n")
    result = gate("check", "lint", "--format", "json")
    assert result.code == 1
    paths = sorted(f["path"] for f in _result(result)["findings"] if f["severity"] == "error")
    assert paths == ["app/legacy.py", "app/legacy.py", "app/new.py"]
    assert gate("check", "lint", "--scope", "changed").code == 1


def test_clean_change_passes_and_repository_config_is_respected(legacy, gate):
    legacy.commit(
        "fix: tidy",
        {
            "app/legacy.py": LEGACY + "\n\ndef check(value):\n    return value is None\n",
            "app/new.py": "VALUE = 1\n",
        },
    )
    result = gate("check", "lint")
    assert result.code == 0, result.out
    legacy.commit("style: stricter", {"ruff.toml": '[lint]\nselect = ["F"]\nignore = ["F401"]\n'})
    legacy.write("app/new.py", "import json\n\nVALUE = 1\n")
    result = gate("check", "lint", "--scope", "all", "--format", "json")
    assert result.code == 0  # F401 ignored by the repository's own config
    assert _result(result)["summary"] == "no ruff findings in the repository"


def test_without_a_base_findings_warn(repo, gate):
    repo.commit("chore: start", {"ruff.toml": RUFF_CONFIG, "app.py": "import os\n"})
    result = gate("check", "lint", "--format", "json")
    assert result.code == 0
    gate_result = _result(result)
    assert gate_result["status"] == "warn"
    assert "--base" in gate_result["summary"]


def test_no_python_files_skips_unless_required(repo, gate):
    repo.commit("chore: start", {"README.md": "hello\n"})
    result = gate("check", "lint", "--format", "json")
    assert result.code == 0
    assert _result(result)["status"] == "skip"
    repo.write(".gate.yaml", "lint:\n  required: true\n")
    result = gate("check", "lint")
    assert result.code == 3
    assert "no Python files" in result.out


def test_bad_ruff_configuration_is_exit_3(repo, gate):
    repo.commit("chore: start", {"ruff.toml": '[lint]\nselect = ["NOPE1"]\n', "app.py": "x = 1\n"})
    result = gate("check", "lint", "--scope", "all")
    assert result.code == 3
    assert "ruff failed" in result.out
    assert "NOPE1" in result.out


def test_ruff_that_cannot_start_is_exit_3(repo, gate, monkeypatch, tmp_path):
    repo.commit("chore: start", {"app.py": "x = 1\n"})
    monkeypatch.setattr(ruff, "ruff_binary", lambda: tmp_path / "no-such-ruff")
    result = gate("check", "lint", "--scope", "all")
    assert result.code == 3
    assert "cannot start ruff" in result.out


def test_ruff_is_the_one_installed_beside_gate():
    binary = ruff.ruff_binary()
    assert binary.name.startswith("ruff")
    assert binary.is_file()


def test_a_lint_path_that_does_not_exist_is_exit_3(repo, gate):
    repo.commit("chore: start", {"app.py": "x = 1\n", ".gate.yaml": "lint:\n  paths: [src]\n"})
    result = gate("check", "lint")
    assert result.code == 3
    assert "no such path to lint: src" in result.out
