"""The layer contracts of pyproject.toml ([tool.importlinter]) hold, and would catch a leak."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import gates

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(gates.__file__).resolve().parent
# What gates.knowledge may import of ours, besides itself.
KNOWLEDGE_MAY_IMPORT = {"gates.knowledge", "gates.model", "gates.errors"}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]


def _contract(contract_id: str) -> dict:
    return next(c for c in _config()["contracts"] if c["id"] == contract_id)


def _lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`lint-imports` of this venv, run on the pyproject.toml in `cwd`."""
    executable = Path(sys.executable).parent / "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(pythonpath)} if pythonpath else None
    return subprocess.run(
        [str(executable), "--no-cache", "--no-logo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_layer_contract_is_kept():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(_config()['contracts'])} kept, 0 broken." in done.stdout


def test_knowledge_is_forbidden_every_other_module_of_ours():
    """A forbidden contract lists what it forbids: a new top-level module must join the list."""
    modules = {f"gates.{m.name}" for m in pkgutil.iter_modules([str(PACKAGE)])}
    forbidden = set(_contract("knowledge-is-pure")["forbidden_modules"])
    missing = modules - forbidden - KNOWLEDGE_MAY_IMPORT
    assert not missing, f"add to the knowledge-is-pure contract in pyproject.toml: {missing}"
    assert not forbidden & KNOWLEDGE_MAY_IMPORT


def test_a_leak_between_layers_is_caught(tmp_path):
    """The same contracts, on a copy of the package with one knowledge module that imports the
    runner and one report module that imports it only for typing."""
    copy = tmp_path / "src" / "gates"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "_data"))
    (copy / "knowledge" / "leaky.py").write_text("from gates.runner import run_gate\n")
    (copy / "report" / "leaky.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from gates import runner\n"
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    done = _lint_imports(tmp_path, pythonpath=tmp_path / "src")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Contracts: 2 kept, 2 broken." in done.stdout
    assert "gates.knowledge.leaky -> gates.runner" in done.stdout
    assert "gates.report.leaky -> gates.runner" in done.stdout
