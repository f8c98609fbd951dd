"""Fault injection through the real CLI in real repositories: every fault ends nonzero, with one
clear message and no traceback. None may end 0: a gate that cannot decide blocks.

Each test runs `python -m gates` in a subprocess, because what breaks (PATH, git, the disk,
signals) belongs to the process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import GitRepo
from tests.conftest import gate_process as gate


def assert_clear_failure(
    result: subprocess.CompletedProcess[str], code: int, *phrases: str
) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == code, f"exit {result.returncode}, expected {code}:\n{output}"
    assert "Traceback" not in output
    assert "internal error" not in output
    for phrase in phrases:
        assert phrase in output, f"{phrase!r} not in:\n{output}"


@pytest.fixture
def feature(repo: GitRepo) -> GitRepo:
    repo.commit("feat: first")
    repo.branch("develop")
    repo.branch("feature/login")
    repo.commit("feat: add login", {"app.py": "x = 1\n"})
    return repo


# --- git ---------------------------------------------------------------------------------------


def test_git_missing_from_path(feature: GitRepo, tmp_path: Path) -> None:
    empty = tmp_path / "no-git"
    empty.mkdir()
    result = gate(feature.path, "run", "--stage", "ci", env={"PATH": str(empty)})
    assert_clear_failure(result, 3, "git is not installed or not on PATH")


def _git_shim(folder: Path, passes: tuple[str, ...]) -> dict[str, str]:
    """A `git` first on PATH that fails (exit 128) on every command but `passes`."""
    real = subprocess.run(
        ["which", "git"], capture_output=True, text=True, check=True
    ).stdout.strip()
    folder.mkdir()
    shim = folder / "git"
    allowed = "|".join(passes) or "__never__"
    shim.write_text(
        "#!/bin/sh\n"
        f'case "$1" in {allowed}) exec {real} "$@";; esac\n'
        'echo "fatal: injected failure of git $1" >&2\nexit 128\n'
    )
    shim.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def test_git_that_fails_at_once(feature: GitRepo, tmp_path: Path) -> None:
    env = _git_shim(tmp_path / "shim", passes=())
    result = gate(feature.path, "check", "commits", "--base", "develop", env=env)
    assert_clear_failure(result, 3, "git does not run", "injected failure")


def test_git_that_fails_in_the_middle(feature: GitRepo, tmp_path: Path) -> None:
    """`git version` works, everything after it fails (a broken install, a corrupt repository)."""
    env = _git_shim(tmp_path / "shim", passes=("version",))
    result = gate(feature.path, "run", "--stage", "ci", "--base", "develop", env=env)
    assert_clear_failure(result, 3, "BLOCKED")


# --- repository states -------------------------------------------------------------------------


def test_a_repository_without_commits_cannot_pass_ci(repo: GitRepo) -> None:
    result = gate(repo.path, "run", "--stage", "ci")
    assert_clear_failure(result, 3, "the repository has no commits")


def test_a_repository_without_commits_still_takes_its_first_commit(repo: GitRepo) -> None:
    """The pre-commit stage must not block the first commit: that would be a dead end."""
    assert gate(repo.path, "run", "--stage", "pre-commit").returncode == 0


@pytest.fixture
def shallow(tmp_path: Path) -> GitRepo:
    upstream = GitRepo(tmp_path / "upstream")
    upstream.path.mkdir()
    upstream.git("init", "-q", "-b", "main")
    upstream.commit("feat: first")
    upstream.tag("v1.0.0", message="1.0.0")
    upstream.commit("fix: second")
    upstream.branch("develop")
    upstream.commit("feat: third")
    upstream.branch("release/1.1.0")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--no-tags", f"file://{upstream.path}", str(clone)],
        check=True,
        capture_output=True,
    )
    return GitRepo(clone)


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (("version", "next"), "shallow clone"),
        (("changelog",), "shallow clone"),
        (("check", "branch-name"), "shallow clone has no tags"),
        (("check", "commits", "--base", "HEAD~1"), "git fetch --unshallow"),
        (("release", "--dry-run"), "shallow clone"),
    ],
)
def test_a_shallow_clone_where_history_or_tags_are_needed(
    shallow: GitRepo, args: tuple[str, ...], phrase: str
) -> None:
    assert_clear_failure(gate(shallow.path, *args), 3, phrase)


def test_an_explicit_base_across_a_graft_is_refused_not_silently_cut(shallow: GitRepo) -> None:
    """v1.0.0 fetched on its own is a second grafted root: `v1.0.0..HEAD` would stop at the
    graft and name a range that is not the change's, so --base says so, as --target does."""
    shallow.git("fetch", "-q", "--depth", "1", "origin", "tag", "v1.0.0")
    for args in (("check", "commits", "--base", "v1.0.0"), ("run", "--base", "v1.0.0")):
        assert_clear_failure(gate(shallow.path, *args), 3, "git fetch --unshallow")


def test_a_detached_head_without_ci_variables(feature: GitRepo) -> None:
    feature.git("checkout", "-q", "--detach")
    result = gate(feature.path, "run", "--stage", "ci")
    assert_clear_failure(result, 3, "HEAD is detached and no CI variable names the branch")


def test_a_detached_head_on_a_developer_machine_still_skips(feature: GitRepo) -> None:
    """A rebase runs the hooks on a detached HEAD: the local check must not block it."""
    feature.git("checkout", "-q", "--detach")
    assert gate(feature.path, "check", "branch-name").returncode == 0


# --- the policy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (lambda p: p.mkdir(), "is not a file"),  # runs as root: a folder stands for "unreadable"
        (lambda p: p.symlink_to(p.parent / "nowhere.yaml"), "policy error"),
        (
            lambda p: p.write_bytes(b'extends: gitflow\nbranches:\n  main: "\xff\xfe"\n'),
            "not UTF-8",
        ),
        (lambda p: p.write_bytes(b"\x00\x01binary"), "invalid YAML"),
    ],
    ids=["folder", "broken-link", "invalid-utf8", "binary"],
)
def test_an_unreadable_policy_is_never_passed_over(feature: GitRepo, make, phrase: str) -> None:
    make(feature.path / ".gate.yaml")
    for args in (("run", "--stage", "ci"), ("check", "branch-name")):
        assert_clear_failure(gate(feature.path, *args), 2, phrase)


# --- the disk ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "junit", "sarif", "markdown", "github"])
def test_a_full_disk_when_writing_a_report(feature: GitRepo, fmt: str) -> None:
    result = gate(feature.path, "check", "branch-name", "--format", f"{fmt}:/dev/full")
    assert_clear_failure(result, 3, "No space left on device")


def test_a_full_disk_on_standard_output(feature: GitRepo) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "gates", "check", "branch-name"],
            cwd=feature.path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    assert result.returncode == 3
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_full_disk_when_writing_the_html_report(feature: GitRepo) -> None:
    result = gate(feature.path, "report", "--html", "/dev/full", "--no-metrics")
    assert_clear_failure(result, 3, "No space left on device")


# --- gate release: all or nothing ----------------------------------------------------------------

RELEASE_POLICY = "extends: gitflow\nrelease:\n  stage: deploy\nstages:\n  deploy: [branch-name]\n"


@pytest.fixture
def releasable(repo: GitRepo) -> GitRepo:
    """main with v1.0.0 and a feat since: `gate release` would write 1.1.0 to pyproject.toml and
    CHANGELOG.md, commit and tag v1.1.0."""
    repo.commit(
        "feat: first",
        {
            "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
            "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- the first feature\n",
            ".gate.yaml": RELEASE_POLICY,
        },
    )
    repo.tag("v1.0.0", message="1.0.0")
    repo.commit("feat: second", {"app.py": "x = 2\n"})
    return repo


def state(repo: GitRepo) -> dict[str, str]:
    return {
        "head": repo.head,
        "tags": repo.git("tag", "-l"),
        "status": repo.git("status", "--porcelain"),
        "index": repo.git("ls-files", "-s"),
        "pyproject": (repo.path / "pyproject.toml").read_text(),
        "changelog": (repo.path / "CHANGELOG.md").read_text(),
    }


def test_the_release_fixture_really_releases(releasable: GitRepo) -> None:
    """The fault tests below mean something only if the release itself works here."""
    before = state(releasable)
    result = gate(releasable.path, "release")
    assert result.returncode == 0, result.stdout + result.stderr
    after = state(releasable)
    assert after["tags"].split() == ["v1.0.0", "v1.1.0"]
    assert 'version = "1.1.0"' in after["pyproject"]
    assert "## [1.1.0]" in after["changelog"]
    assert after["head"] != before["head"]
    assert after["status"] == ""


def test_a_locked_index_refuses_the_release_before_writing(releasable: GitRepo) -> None:
    before = state(releasable)
    (releasable.path / ".git" / "index.lock").touch()
    result = gate(releasable.path, "release")
    assert_clear_failure(result, 3, "the git index is locked")
    (releasable.path / ".git" / "index.lock").unlink()
    assert state(releasable) == before


def test_a_refusing_commit_hook_rolls_the_release_back(releasable: GitRepo) -> None:
    before = state(releasable)
    hook = releasable.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'injected: the hook refuses' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = gate(releasable.path, "release")
    assert_clear_failure(result, 3, "the hook refuses")
    assert state(releasable) == before


def _paused_release(
    repo: GitRepo, tmp_path: Path, *, new_session: bool
) -> tuple[subprocess.Popen[str], Path]:
    """`gate release` held inside `git commit` (a pre-commit hook waits for a go file), after it
    wrote the changelog and the version file: the worst moment for a signal."""
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        f'#!/bin/sh\n: > "{tmp_path}/ready"\nwhile [ ! -e "{tmp_path}/go" ]; do sleep 0.05; done\n'
    )
    hook.chmod(0o755)
    process = subprocess.Popen(
        [sys.executable, "-m", "gates", "release"],
        cwd=repo.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=new_session,
    )
    deadline = time.monotonic() + 60  # a bound on waiting, not an assertion on speed
    while not (tmp_path / "ready").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            out, err = process.communicate()
            pytest.fail(
                f"the release never reached git commit (exit {process.returncode}):\n{out}{err}"
            )
        time.sleep(0.02)
    return process, tmp_path / "go"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_in_the_middle_of_the_release_rolls_everything_back(
    releasable: GitRepo, tmp_path: Path, signum: signal.Signals
) -> None:
    before = state(releasable)
    process, go = _paused_release(releasable, tmp_path, new_session=False)
    mid = state(releasable)
    assert mid["changelog"] != before["changelog"], "the signal must land after the first write"
    process.send_signal(signum)
    go.touch()  # the commit completes; the deferred signal then rolls it back
    out, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signum, out + err
    assert f"interrupted by {signum.name}: the release was rolled back" in err
    assert "Traceback" not in out + err
    assert state(releasable) == before


def test_ctrl_c_to_the_whole_process_group_rolls_everything_back(
    releasable: GitRepo, tmp_path: Path
) -> None:
    """A terminal's Ctrl-C reaches git and the hook too: the commit dies under the release."""
    before = state(releasable)
    process, go = _paused_release(releasable, tmp_path, new_session=True)
    os.killpg(process.pid, signal.SIGINT)
    go.touch()
    out, err = process.communicate(timeout=120)
    assert process.returncode not in (0, None), out + err
    assert "Traceback" not in out + err
    assert err.strip(), "a clear message on stderr"
    assert state(releasable) == before
