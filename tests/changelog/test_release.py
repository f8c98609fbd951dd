"""`gate release` on real repositories: the happy path, every refusal, and all-or-nothing roll-back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

POLICY = "stages:\n  ci: []\n"
CHANGELOG = """# Changelog

## [Unreleased]

### Added

- Hand-written note about the login form.

## [0.1.0] - 2026-01-01

### Added

- First.

[Unreleased]: https://github.com/acme/widget/compare/v0.1.0...HEAD
[0.1.0]: https://github.com/acme/widget/releases/tag/v0.1.0
"""
PYPROJECT = '[project]\nname = "widget"\nversion = "0.1.0"\n'


def released_repo(repo, policy: str = POLICY):
    repo.git("remote", "add", "origin", "https://github.com/acme/widget.git")
    repo.commit(
        "feat: first",
        {
            "CHANGELOG.md": CHANGELOG.replace(
                "### Added\n\n- Hand-written note about the login form.\n\n", ""
            ),
            "pyproject.toml": PYPROJECT,
            ".gate.yaml": policy,
        },
    )
    repo.tag("v0.1.0", message="0.1.0")
    repo.commit("feat(auth): login form", {"CHANGELOG.md": CHANGELOG, "auth.py": "login = True\n"})
    repo.commit("fix: crash on empty name", {"auth.py": "login = 1\n"})
    return repo


def snapshot(repo) -> tuple[str, str, str, bytes, bytes]:
    return (
        repo.head,
        repo.git("tag", "-l"),
        repo.git("status", "--porcelain"),
        (repo.path / "CHANGELOG.md").read_bytes(),
        (repo.path / "pyproject.toml").read_bytes(),
    )


def test_release_moves_unreleased_bumps_commits_and_tags(repo, gate):
    released_repo(repo)
    outcome = gate("release")
    assert outcome.code == 0, outcome.err
    assert "released 0.2.0" in outcome.out
    assert repo.git("log", "-1", "--format=%s") == "chore(release): 0.2.0"
    assert repo.git("cat-file", "-t", "v0.2.0") == "tag"
    assert repo.git("rev-parse", "v0.2.0^{commit}") == repo.head
    assert repo.git("status", "--porcelain") == ""
    assert (repo.path / "pyproject.toml").read_text() == PYPROJECT.replace("0.1.0", "0.2.0")
    text = (repo.path / "CHANGELOG.md").read_text()
    released = text[text.index("## [0.2.0]") : text.index("## [0.1.0]")]
    assert released.startswith("## [0.2.0] - ")
    assert "- Hand-written note about the login form.\n" in released
    assert "- **auth:** Login form ([`" in released
    assert "### Fixed\n\n- Crash on empty name ([`" in released
    assert text.index("## [Unreleased]") < text.index("## [0.2.0]")
    assert "[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD\n" in text
    assert "[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0\n" in text
    assert text.endswith("[0.1.0]: https://github.com/acme/widget/releases/tag/v0.1.0\n")
    assert gate("check", "changelog").code == 0
    notes = gate("release", "--notes", "v0.2.0")
    assert notes.code == 0
    assert notes.out.startswith("### Added\n\n- Hand-written note")
    assert gate("release", "--notes").out == notes.out


def test_dry_run_prints_the_plan_and_touches_nothing(repo, gate):
    released_repo(repo)
    before = snapshot(repo)
    outcome = gate("release", "--dry-run")
    assert outcome.code == 0, outcome.err
    assert "release 0.2.0 from main" in outcome.out
    assert "annotated tag: v0.2.0" in outcome.out
    assert "bump pyproject.toml to 0.2.0" in outcome.out
    assert snapshot(repo) == before


def test_refuses_a_dirty_work_tree(repo, gate):
    released_repo(repo)
    repo.write("auth.py", "dirty\n")
    outcome = gate("release")
    assert outcome.code == 1
    assert "uncommitted changes" in outcome.err
    assert repo.git("tag", "-l") == "v0.1.0"


def test_refuses_a_branch_outside_release_branches(repo, gate):
    released_repo(repo)
    repo.branch("feature/more")
    outcome = gate("release", "--dry-run")
    assert outcome.code == 1
    assert "no release from branch 'feature/more'" in outcome.err


def test_refuses_when_the_release_stage_fails(repo, gate):
    released_repo(repo, "stages:\n  ci: [tests]\ntests:\n  required: true\n")
    before = snapshot(repo)
    outcome = gate("release")
    assert outcome.code == 1
    assert "gates did not pass (tests)" in outcome.err
    assert snapshot(repo) == before


def test_refuses_when_nothing_is_new(repo, gate):
    released_repo(repo)
    assert gate("release").code == 0
    outcome = gate("release")
    assert outcome.code == 1
    assert "nothing to release" in outcome.err


def test_a_refusing_hook_rolls_everything_back(repo, gate):
    released_repo(repo)
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'no commits today' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = snapshot(repo)
    outcome = gate("release")
    assert outcome.code == 3
    assert "Traceback" not in outcome.err
    assert snapshot(repo) == before


def test_release_on_a_release_branch_with_a_new_changelog(repo, gate):
    repo.commit("feat: first", {".gate.yaml": POLICY})
    repo.tag("v1.0.0", message="1.0.0")
    repo.branch("develop")
    repo.commit("feat: search")
    repo.branch("release/1.1.0")
    outcome = gate("release")
    assert outcome.code == 0, outcome.err
    assert repo.git("describe", "--exact-match") == "v1.1.0"
    text = (repo.path / "CHANGELOG.md").read_text()
    assert "## [Unreleased]\n\n## [1.1.0] - " in text
    assert "- Search (`" in text
    assert gate("check", "changelog").code == 0


def wait_for(path: Path) -> None:
    for _ in range(600):
        if path.exists():
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def test_sigterm_during_the_commit_rolls_back(repo):
    released_repo(repo)
    started, go = repo.path.parent / "hook-started", repo.path.parent / "hook-go"
    hook = repo.path / ".git" / "hooks" / "commit-msg"
    hook.write_text(
        f"#!/bin/sh\ntouch '{started}'\nwhile [ ! -e '{go}' ]; do sleep 0.05; done\nexit 0\n"
    )
    hook.chmod(0o755)
    before = snapshot(repo)
    process = subprocess.Popen(
        [sys.executable, "-m", "gates", "release"],
        cwd=repo.path,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(started)
        process.send_signal(signal.SIGTERM)
        go.touch()
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "rolled back" in err
    assert snapshot(repo) == before


def test_a_dynamic_version_is_left_to_the_tag(repo, gate):
    dynamic = (
        '[project]\nname = "w"\ndynamic = ["version"]\n\n[tool.hatch.version]\nsource = "vcs"\n'
    )
    repo.commit("feat: first", {"pyproject.toml": dynamic, ".gate.yaml": POLICY})
    repo.tag("v1.0.0", message="1.0.0")
    repo.commit("fix: second")
    outcome = gate("release")
    assert outcome.code == 0, outcome.err
    assert "no version source to bump" in outcome.out
    assert (repo.path / "pyproject.toml").read_text() == dynamic
    assert repo.git("describe", "--exact-match") == "v1.0.1"


def test_refuses_a_version_lower_than_the_latest_tag(repo, gate):
    repo.commit("feat: first", {".gate.yaml": POLICY})
    repo.tag("v1.0.0", message="1.0.0")
    repo.branch("release/0.9.0")
    repo.commit("fix: late")
    outcome = gate("release", "--dry-run")
    assert outcome.code == 1
    assert "0.9.0 is lower than the latest release v1.0.0" in outcome.err


def test_notes_without_a_changelog_come_from_the_commits(repo, gate):
    repo.commit("feat: search box", {".gate.yaml": POLICY})
    repo.commit("fix(ui): overflow")
    repo.tag("v1.0.0", message="1.0.0")
    outcome = gate("release", "--notes", "1.0.0")
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith("### Added\n\n- Search box (`")
    assert "### Fixed\n\n- **ui:** Overflow (`" in outcome.out
    missing = gate("release", "--notes", "2.0.0")
    assert missing.code == 3
    assert "no release 2.0.0" in missing.err


def test_release_commit_passes_the_installed_protected_branch_hook(repo, gate):
    released_repo(
        repo,
        policy="stages:\n  ci: []\n  pre-commit: [protected-branch]\n  commit-msg: [commit-msg]\n",
    )
    assert gate("hooks", "install").code == 0
    blocked = subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "fix: direct"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert blocked.returncode != 0
    outcome = gate("release")
    assert outcome.code == 0, outcome.err
    assert repo.git("log", "-1", "--format=%s") == "chore(release): 0.2.0"
