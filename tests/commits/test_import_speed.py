"""The commit-msg hook runs on every commit: it must not import GitPython, rich or coverage,
nor the slow corners of the standard library (dataclasses loads inspect; argparse, with the
shutil, locale and gettext it pulls in, is skipped for the argument lists git hooks pass)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

HEAVY = ("git", "rich", "coverage", "dataclasses", "inspect")
HOOK_ARGUMENTS = (
    ["check", "commit-msg", ".git/COMMIT_EDITMSG"],
    ["hook", "commit-msg", ".git/COMMIT_EDITMSG"],
)


def _imported(args: list[str], cwd) -> tuple[set[str], int]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gates", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "GATE_DETECT"},  # as users run it
        check=False,
    )
    modules = set()
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+\d+ \|\s+(\S+)", line)
        if match:
            modules.add(match.group(1))
    assert "gates.cli" in modules, result.stderr[-2000:]
    return modules, result.returncode


@pytest.mark.parametrize("args", [*HOOK_ARGUMENTS, ["check", "commit-msg", "--title", "feat: x"]])
@pytest.mark.parametrize("message", ["feat(api): add search\n", "Added search\n"])
def test_commit_msg_imports_no_heavy_module(repo, args, message):
    (repo.path / ".git" / "COMMIT_EDITMSG").write_text(message)
    modules, code = _imported(args, repo.path)
    assert code in (0, 1)
    # importlib.import_module (the registry) is not logged by -X importtime; the gate's own
    # imports are, so they prove the gate ran.
    assert "gates.knowledge.commit_rules" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == []
    if args in HOOK_ARGUMENTS:
        assert "argparse" not in modules


def test_the_detection_sees_gitpython_where_it_is_used(repo):
    repo.commit(
        "feat: a",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "0.1.0"\n',
            "x/__init__.py": "A = 1\n",
        },
    )
    repo.tag("v0.1.0")
    repo.commit("feat: b", {"x/__init__.py": "B = 1\n"})
    modules, _ = _imported(["check", "version"], repo.path)
    assert "git" in modules  # the API check reads the release's tree with GitPython


@pytest.mark.parametrize(
    "args", [["hook", "pre-commit"], ["hook", "pre-commit", "--gate", "branch-name"]]
)
def test_the_pre_commit_hook_imports_no_heavy_module_either(repo, args):
    repo.commit("chore: start")
    repo.branch("feature/search")
    modules, code = _imported(args, repo.path)
    assert code == 0
    assert "gates.knowledge.gitflow" in modules
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY) == []
    assert "argparse" not in modules
