"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit framework through real git.

pre-commit cannot install from an uncommitted tree, so the session copies this
checkout's sources into a scratch repository, commits them, and points a
`.pre-commit-config.yaml` at that path and commit. The hook environment (a
virtualenv with gates pip-installed, which needs PyPI for the dependencies)
is built once per session in a shared PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.hooks.helpers import git, output

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
SOURCES = ("gates", "policies", "hooks", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
HOOK_TYPES = ("pre-commit", "commit-msg", "pre-push")
CHANGELOG = (
    "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-01-01\n\n### Added\n\n- The start.\n"
)
CHANGELOG_WITH_ENTRY = CHANGELOG.replace(
    "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- Login.\n"
)


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="session")
def hooks_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's sources, committed in a scratch repository: (path, commit)."""
    source = tmp_path_factory.mktemp("gates-source")
    for name in SOURCES:
        origin = PROJECT / name
        if origin.is_dir():
            shutil.copytree(
                origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(origin, source / name)
    identity = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["commit", "-q", "--no-verify", "-m", "chore: snapshot"],
    ):
        done = _run(["git", *args], source, identity)
        assert done.returncode == 0, done.stderr
    return source, _run(["git", "rev-parse", "HEAD"], source).stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_home(
    tmp_path_factory: pytest.TempPathFactory, hooks_source: tuple[Path, str]
) -> Path:
    """A PRE_COMMIT_HOME with the hook environment built once (pip install of gates)."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    scratch = tmp_path_factory.mktemp("pre-commit-scratch")
    _run(["git", "init", "-q"], scratch)
    _write_config(scratch, hooks_source, [{"id": "gate-commit-msg"}])
    built = _run(
        [sys.executable, "-m", "pre_commit", "install-hooks"],
        scratch,
        {"PRE_COMMIT_HOME": str(home)},
    )
    assert built.returncode == 0, output(built)
    return home


def _write_config(
    path: Path, hooks_source: tuple[Path, str], hooks: list[dict[str, object]]
) -> None:
    source, rev = hooks_source
    config = {"repos": [{"repo": str(source), "rev": rev, "hooks": hooks}]}
    (path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


@pytest.fixture
def with_hooks(repo, hooks_source, pre_commit_home, monkeypatch):
    """Configure `hooks` (list of pre-commit hook entries) in `repo` and install every hook type."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))

    def install(hooks: list[dict[str, object]], policy: str) -> None:
        _write_config(repo.path, hooks_source, hooks)
        repo.write(".gate.yaml", policy)
        types = [arg for hook_type in HOOK_TYPES for arg in ("--hook-type", hook_type)]
        done = _run([sys.executable, "-m", "pre_commit", "install", *types], repo.path)
        assert done.returncode == 0, output(done)

    return install


def _commit(
    repo, message: str, files: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    for name, text in (files or {}).items():
        repo.write(name, text)
    git(repo.path, "add", "-A")
    return git(repo.path, "commit", "-m", message)


def _hook_line(result: subprocess.CompletedProcess[str], name: str) -> str:
    return next(line for line in output(result).splitlines() if line.startswith(name))


def test_manifest_is_valid_for_pre_commit():
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(PROJECT / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {
        "gate-commit-msg",
        "gate-branch-name",
        "gate-version",
        "gate-changelog",
        "gate-policy",
        "gate-run",
    }
    assert hooks["gate-commit-msg"]["stages"] == ["commit-msg"]
    assert hooks["gate-branch-name"]["stages"] == ["pre-commit", "pre-push"]
    assert (
        hooks["gate-branch-name"]["always_run"] and not hooks["gate-branch-name"]["pass_filenames"]
    )
    assert hooks["gate-changelog"]["stages"] == ["pre-push"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["entry"].startswith("gate ")


def test_commit_msg_hook_refuses_a_bad_message_and_lets_a_good_one_through(repo, with_hooks):
    with_hooks(
        [{"id": "gate-commit-msg"}],
        "stages:\n  pre-commit: []\n  commit-msg: [commit-msg]\n  pre-push: []\n",
    )
    refused = _commit(repo, "updated some things", {"a.txt": "a\n"})
    assert refused.returncode != 0
    assert "Failed" in _hook_line(refused, "commit message")
    assert "commit-msg." in output(refused)  # the rule id, for `gate explain`
    assert not repo.has_commits()
    accepted = _commit(repo, "feat: add a")
    assert accepted.returncode == 0, output(accepted)
    assert "Passed" in _hook_line(accepted, "commit message")


def test_branch_name_hook_checks_the_branch_on_commit_and_the_pushed_branch_on_push(
    repo, with_hooks, tmp_path
):
    with_hooks(
        [{"id": "gate-branch-name"}],
        "stages:\n  pre-commit: []\n  commit-msg: []\n  pre-push: []\n",
    )
    assert _commit(repo, "chore: start").returncode == 0
    repo.branch("my-work")
    refused = _commit(repo, "feat: a", {"a.txt": "a\n"})
    assert refused.returncode != 0
    assert "my-work" in output(refused)
    repo.git("branch", "-m", "feature/my-work")
    assert _commit(repo, "feat: a").returncode == 0

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    repo.git("remote", "add", "origin", str(remote))
    repo.git("branch", "badly-named")
    pushed_bad = git(repo.path, "push", "origin", "badly-named")
    assert pushed_bad.returncode != 0
    assert "badly-named" in output(pushed_bad)
    pushed = git(repo.path, "push", "origin", "feature/my-work")
    assert pushed.returncode == 0, output(pushed)


def test_changelog_hook_blocks_a_push_without_an_entry(repo, with_hooks, tmp_path):
    with_hooks(
        [{"id": "gate-changelog"}], "stages:\n  pre-commit: []\n  commit-msg: []\n  pre-push: []\n"
    )
    assert _commit(repo, "chore: start", {"CHANGELOG.md": CHANGELOG}).returncode == 0
    repo.git("branch", "develop")
    repo.branch("feature/login")
    assert _commit(repo, "feat: add login", {"login.py": "x = 1\n"}).returncode == 0
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    repo.git("remote", "add", "origin", str(remote))
    refused = git(repo.path, "push", "origin", "feature/login")
    assert refused.returncode != 0
    assert "changelog.entry" in output(refused)
    assert (
        _commit(
            repo, "docs: changelog entry for login", {"CHANGELOG.md": CHANGELOG_WITH_ENTRY}
        ).returncode
        == 0
    )
    pushed = git(repo.path, "push", "origin", "feature/login")
    assert pushed.returncode == 0, output(pushed)


def test_policy_hook_runs_only_when_the_policy_changes_and_refuses_a_broken_one(repo, with_hooks):
    with_hooks(
        [{"id": "gate-policy"}], "stages:\n  pre-commit: []\n  commit-msg: []\n  pre-push: []\n"
    )
    first = _commit(repo, "chore: start")
    assert first.returncode == 0, output(first)
    assert "Passed" in _hook_line(first, "gate policy is valid")
    unrelated = _commit(repo, "chore: notes", {"notes.txt": "n\n"})
    assert "Skipped" in _hook_line(unrelated, "gate policy is valid")
    broken = _commit(repo, "chore: typo", {".gate.yaml": "branches:\n  mian: main\n"})
    assert broken.returncode != 0
    assert ".gate.yaml:2" in output(broken)


def test_version_hook_runs_only_when_a_version_source_is_staged(repo, with_hooks):
    with_hooks(
        [{"id": "gate-version"}], "stages:\n  pre-commit: []\n  commit-msg: []\n  pre-push: []\n"
    )
    plain = _commit(repo, "chore: start", {"notes.txt": "n\n"})
    assert "Skipped" in _hook_line(plain, "version sources agree")
    versioned = _commit(
        repo, "chore: package", {"pyproject.toml": '[project]\nname = "app"\nversion = "0.1.0"\n'}
    )
    assert "Skipped" not in _hook_line(versioned, "version sources agree")
    assert versioned.returncode == 0, output(versioned)


def test_run_hook_runs_the_stage_its_args_name(repo, with_hooks, tmp_path):
    hooks = [{"id": "gate-run", "args": ["pre-push"], "stages": ["pre-push"]}]
    with_hooks(hooks, "stages:\n  pre-commit: []\n  commit-msg: []\n  pre-push: [branch-name]\n")
    assert _commit(repo, "chore: start").returncode == 0
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    repo.git("remote", "add", "origin", str(remote))
    repo.git("branch", "no-prefix")
    refused = git(repo.path, "push", "origin", "no-prefix")
    assert refused.returncode != 0
    assert "no-prefix" in output(refused)
    assert git(repo.path, "push", "origin", "main").returncode == 0
