"""Nothing read from a repository is ever run: no shell, no eval, no unsafe YAML, no module of
the repository imported. An audit of the package source (AST, so comments and strings do not
count), then the ways repository content could still reach the interpreter, tried for real.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo
from tests.conftest import gate_process as gate

PACKAGE = Path(__file__).resolve().parents[2] / "gates"

FORBIDDEN_CALLS = {
    "eval",
    "exec",
    "compile",
    "__import__",
    "execfile",
    "os.system",
    "os.popen",
    "os.execl",
    "os.execle",
    "os.execlp",
    "os.execv",
    "os.execve",
    "os.execvp",
    "os.spawnl",
    "os.spawnv",
    "os.startfile",
    "pickle.load",
    "pickle.loads",
    "marshal.load",
    "marshal.loads",
    "shelve.open",
    "yaml.unsafe_load",
    "yaml.full_load",
    "yaml.load_all",
    "yaml.unsafe_load_all",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "runpy.run_path",
    "runpy.run_module",
}
UNSAFE_YAML_LOADERS = {
    "Loader",
    "FullLoader",
    "UnsafeLoader",
    "yaml.Loader",
    "yaml.FullLoader",
    "yaml.UnsafeLoader",
}


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


def audit(source: str, name: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source, name)):
        if not isinstance(node, ast.Call):
            continue
        called = dotted(node.func)
        where = f"{name}:{node.lineno}"
        if called in FORBIDDEN_CALLS:
            problems.append(f"{where}: {called}()")
        for keyword in node.keywords:
            if keyword.arg == "shell" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                problems.append(f"{where}: {called}(shell=...)")
        if called == "yaml.load":
            loader = next((dotted(k.value) for k in node.keywords if k.arg == "Loader"), "")
            if not loader or loader in UNSAFE_YAML_LOADERS:
                problems.append(f"{where}: yaml.load without a safe Loader")
        if called.endswith("import_module") and node.args:
            target = node.args[0]
            head = (
                target.values[0] if isinstance(target, ast.JoinedStr) and target.values else target
            )
            # registry: only ids of builtin_ids(), mapped under gates.checks (tested below)
            named = isinstance(target, ast.Call) and dotted(target.func) == "_module_name"
            if not named and not (
                isinstance(head, ast.Constant) and str(head.value).startswith("gates.")
            ):
                problems.append(f"{where}: import_module of a name that is not under gates.")
    return problems


def test_the_audit_catches_what_it_looks_for() -> None:
    bad = (
        "import os, subprocess, yaml\n"
        "os.system(x)\nsubprocess.run(x, shell=True)\neval(t)\nyaml.load(t)\n"
        "yaml.load(t, Loader=yaml.FullLoader)\nimportlib.import_module(name)\n"
    )
    assert len(audit(bad, "bad.py")) == 6
    good = "import yaml\nsubprocess.run(['git'], shell=False)\nyaml.load(t, Loader=loader)\nimportlib.import_module(f'gates.checks.{x}')\n"
    assert audit(good, "good.py") == []


def test_the_package_never_hands_text_to_a_shell_or_the_interpreter() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        problems += audit(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    assert problems == []


def test_the_policy_loader_is_a_safe_loader() -> None:
    from yaml.constructor import Constructor, FullConstructor, SafeConstructor, UnsafeConstructor

    from gates.policy.loader import _loader

    loader = _loader()
    assert issubclass(loader, SafeConstructor)
    assert not issubclass(loader, (Constructor, FullConstructor, UnsafeConstructor))


def test_a_gate_module_is_only_ever_one_of_the_package() -> None:
    from gates import registry
    from gates.errors import UsageError

    assert registry._module_name("branch-name") == "gates.checks.branch_name"
    for hostile in ("os", "..x", "tests.conftest", "gates.cli"):
        with pytest.raises(UsageError):
            registry.load(hostile)


# --- the ways repository content could reach the interpreter, tried --------------------------


def test_a_policy_cannot_run_code(repo: GitRepo, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    repo.commit("feat: first")
    for payload in (
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    ):
        repo.write(".gate.yaml", f"extends: gitflow\nbranches:\n  main: {payload}\n")
        result = gate(repo.path, "check", "branch-name")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "policy error" in result.stderr
        assert not marker.exists()


def test_a_coverage_config_cannot_load_a_plugin_from_the_repository(
    repo: GitRepo, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    repo.write("app.py", "def f():\n    return 1\n\n\nf()\n")
    repo.write(
        "evil_plugin.py",
        f"open({str(marker)!r}, 'w').close()\n\ndef coverage_init(reg, options):\n    pass\n",
    )
    subprocess.run(
        [sys.executable, "-m", "coverage", "run", "app.py"],
        cwd=repo.path,
        check=True,
        capture_output=True,
    )
    repo.write(".coveragerc", "[run]\nplugins = evil_plugin\n")
    repo.commit("feat: app")
    result = gate(repo.path, "check", "coverage")
    assert result.returncode == 0, result.stdout + result.stderr  # the data is read all the same
    assert not marker.exists()


@pytest.mark.parametrize("module", ["git", "yaml", "rich"])
def test_a_module_committed_at_the_root_is_never_imported(
    repo: GitRepo, tmp_path: Path, module: str
) -> None:
    """`python -m gates` (what the native hooks run) puts the current folder on sys.path."""
    marker = tmp_path / "ran"
    repo.commit("feat: first")
    repo.write(f"{module}.py", f"open({str(marker)!r}, 'w').close()\nraise SystemExit(0)\n")
    result = gate(repo.path, "run", "--stage", "pre-push")
    assert not marker.exists(), result.stdout + result.stderr


def test_the_native_hooks_run_python_in_safe_path_mode() -> None:
    for hook in sorted((PACKAGE.parent / "hooks").glob("*")):
        for line in hook.read_text().splitlines():
            if "-m gates" in line and not line.lstrip().startswith("#"):
                assert " -P -m gates" in line, f"{hook.name}: {line.strip()}"
