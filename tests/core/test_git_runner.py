"""Every git process gate starts carries the same safety options, whichever way it runs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gates.adapters import conventions
from gates.adapters.git import GitRepo, quick_output, read_config
from gates.errors import GateError


@pytest.fixture
def watched(repo, tmp_path):
    """A repository whose fsmonitor hook leaves a marker file each time git runs it."""
    repo.commit("chore: one", {"a.txt": "a\n"})
    marker = tmp_path / "fsmonitor-ran"
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    hook.chmod(0o755)
    subprocess.run(["git", "config", "core.fsmonitor", str(hook)], cwd=repo.path, check=True)
    subprocess.run(["git", "status", "--porcelain"], cwd=repo.path, check=True, capture_output=True)
    assert marker.exists()  # plain git runs the hook: the test below means something
    marker.unlink()
    return repo, marker


def _first_chunk(chunks):
    yield "".join(chunks)


def test_no_git_process_of_ours_runs_the_fsmonitor_hook(watched):
    repo, marker = watched
    git = GitRepo(repo.path)
    assert not git.is_dirty()
    assert git.start(["status", "--porcelain"], str).result() == ""
    assert list(git.stream_log(["status", "--porcelain"], _first_chunk)) == [""]
    assert quick_output(repo.path, "status", "--porcelain") == b""
    conventions.read_facts(repo.path)
    assert read_config(repo.path, "^core\\.fsmonitor$")
    assert not marker.exists()


def test_quick_output_is_empty_where_git_says_no(repo):
    repo.commit("chore: one")
    assert quick_output(repo.path, "cat-file", "blob", "HEAD:missing") == b""
    assert quick_output(repo.path, "rev-parse", "HEAD").decode().strip() == repo.head


def test_a_missing_git_is_explained_on_every_path(repo, monkeypatch, tmp_path: Path):
    repo.commit("chore: one")
    git = GitRepo(repo.path)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(GateError, match="git is not installed or not on PATH"):
        git.run("status")
    with pytest.raises(GateError, match="git is not installed or not on PATH"):
        git.start(["status"], str)
    assert quick_output(repo.path, "status") == b""
    assert read_config(repo.path, "core") == {}
