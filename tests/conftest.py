"""Shared fixtures: real git repositories in temporary folders, and the CLI run in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gates.cli import main

# Git must not read the developer's own config, nor CI variables, inside tests.
CI_VARIABLES = (
    "CI",
    "GITHUB_ACTIONS",
    "GITHUB_REF",
    "GITHUB_REF_NAME",
    "GITHUB_HEAD_REF",
    "GITHUB_BASE_REF",
    "GITHUB_EVENT_PATH",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_SHA",
    "GITHUB_REF_TYPE",
    "GITLAB_CI",
    "CI_COMMIT_BRANCH",
    "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
    "JENKINS_URL",
    "BRANCH_NAME",
    "TF_BUILD",
    "CIRCLECI",
    "BITBUCKET_BUILD_NUMBER",
    "BUILD_ID",
    "PROJECT_ID",
    "NO_COLOR",
    "FORCE_COLOR",
)


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # The tests of the presets' rules see the presets as written; tests/detection (and the
    # real histories) turn the detection of a repository's conventions back on.
    monkeypatch.setenv("GATE_DETECT", "0")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada Lovelace")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Ada Lovelace")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "ada@example.com")
    (home / ".gitconfig").write_text(
        "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n"
    )


@dataclass
class GitRepo:
    """A real repository in a temporary folder, driven by the git command line."""

    path: Path

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
        return result.stdout.strip()

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def commit(
        self, message: str, files: dict[str, str] | None = None, *, date: str | None = None
    ) -> str:
        """Commit `files` (name -> text; a default file when none) and return the sha."""
        for name, text in (
            files
            or {
                f"file{len(self.git('log', '--all', '--oneline').splitlines()) if self.has_commits() else 0}.txt": message
            }
        ).items():
            self.write(name, text)
        self.git("add", "-A")
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else None
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD")

    def has_commits(self) -> bool:
        return (
            subprocess.run(
                ["git", "rev-parse", "--verify", "-q", "HEAD"],
                cwd=self.path,
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )

    def branch(self, name: str, start: str | None = None) -> None:
        self.git("checkout", "-q", "-b", name, *([start] if start else []))

    def checkout(self, ref: str) -> None:
        self.git("checkout", "-q", ref)

    def tag(self, name: str, ref: str = "HEAD", message: str | None = None) -> None:
        self.git("tag", *(["-a", "-m", message] if message else []), name, ref)

    def merge(self, branch: str, message: str | None = None) -> str:
        self.git("merge", "-q", "--no-ff", "-m", message or f"Merge branch '{branch}'", branch)
        return self.git("rev-parse", "HEAD")

    @property
    def head(self) -> str:
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitRepo]:
    """An empty repository on branch main; the working directory is inside it."""
    path = tmp_path / "repo"
    path.mkdir()
    r = GitRepo(path)
    r.git("init", "-q", "-b", "main")
    monkeypatch.chdir(path)
    yield r


@pytest.fixture(scope="session")
def junit_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """JUnit files of real pytest runs of a sample project (tests/junit_samples.py)."""
    from tests.junit_samples import make_reports

    return make_reports(tmp_path_factory.mktemp("sample"))


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def gate_process(
    cwd: Path,
    *args: str | bytes,
    env: dict[str, str] | None = None,
    text: bool = True,
    timeout: float = 120,
    **popen: object,
) -> subprocess.CompletedProcess:
    """`python -m gates ARGS...` as its own process, where what is under test belongs to the
    process (PATH, git, the disk, signals, the interpreter's imports); `env` adds variables."""
    return subprocess.run(
        [sys.executable, "-m", "gates", *args],
        cwd=cwd,
        capture_output=True,
        text=text,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=timeout,
        **popen,
    )


@pytest.fixture
def gate(capsys: pytest.CaptureFixture[str]):
    """Run `gate ARGS...` in-process in the current folder: gate("run", "--stage", "ci")."""

    def run(*argv: str) -> Outcome:
        code = main(list(argv))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run
