"""`gate release start` and `gate release --merge`: what each refuses, and the all-or-nothing
finish, on real repositories."""

from __future__ import annotations

import pytest

PYPROJECT = '[project]\nname = "shop"\nversion = "{}"\n'
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-01\n\n### Added\n\n- One.\n"
POLICY = "extends: gitflow\nstages:\n  ci: [branch-name, version]\n"


@pytest.fixture
def flow(repo):
    """main at v1.0.0, develop with a feature on it."""
    repo.commit(
        "feat: one",
        {
            ".gate.yaml": POLICY,
            "pyproject.toml": PYPROJECT.format("1.0.0"),
            "CHANGELOG.md": CHANGELOG,
        },
    )
    repo.tag("v1.0.0", message="1.0.0")
    repo.branch("develop")
    repo.commit("feat: two", {"two.txt": "2\n"})
    return repo


def test_start_names_the_next_version_and_commits_the_bump_first(flow, gate):
    outcome = gate("release", "start")
    assert outcome.code == 0, outcome.err
    assert "release 1.1.0: release/1.1.0 from develop" in outcome.out
    assert "because feat in" in outcome.out
    assert flow.git("branch", "--show-current") == "release/1.1.0"
    assert flow.git("log", "-1", "--format=%s") == "chore(release): start 1.1.0"
    assert PYPROJECT.format("1.1.0") == (flow.path / "pyproject.toml").read_text()
    assert gate("run", "--stage", "ci").code == 0  # every gate agrees from the first moment


def test_start_with_a_version_a_dry_run_and_what_it_refuses(flow, gate):
    dry = gate("release", "start", "2.0.0", "--dry-run")
    assert dry.code == 0 and "release/2.0.0 from develop" in dry.out and "dry run" in dry.out
    assert flow.git("branch", "--show-current") == "develop"
    assert gate("release", "start", "two").code == 2
    assert gate("release", "2.0.0").code == 2  # a version goes with `start`
    flow.write("two.txt", "changed\n")
    dirty = gate("release", "start")
    assert dirty.code == 3 and "uncommitted changes" in dirty.err
    flow.git("checkout", "--", "two.txt")
    assert gate("release", "start", "2.0.0").code == 0
    flow.checkout("develop")
    again = gate("release", "start", "2.0.0")
    assert again.code == 3 and "the branch release/2.0.0 exists already" in again.err


def test_a_refusing_hook_leaves_no_branch_behind(flow, gate):
    hook = flow.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused >&2\nexit 1\n")
    hook.chmod(0o755)
    outcome = gate("release", "start")
    assert outcome.code != 0
    assert flow.git("branch", "--show-current") == "develop"
    assert "release/1.1.0" not in flow.git("branch")
    assert PYPROJECT.format("1.0.0") == (flow.path / "pyproject.toml").read_text()


def test_the_finish_is_judged_on_the_version_it_writes(flow, gate):
    flow.branch("release/1.1.0")  # no bump commit: the sources still say 1.0.0
    assert gate("run", "--stage", "ci").code == 1
    dry = gate("release", "--merge", "--dry-run")
    assert dry.code == 0, dry.err
    assert "bump pyproject.toml to 1.1.0" in dry.out
    assert "then merge into main, tag, merge back into develop" in dry.out


def test_the_tag_goes_where_the_policy_says(flow, gate):
    flow.write(".gate.yaml", POLICY + "release:\n  tag_on: release-commit\n")
    flow.git("commit", "-qam", "chore: tag the release commit")
    assert gate("release", "start").code == 0
    outcome = gate("release", "--merge")
    assert outcome.code == 0, outcome.err
    assert "tagged v1.1.0 on release/1.1.0" in outcome.out
    assert flow.git("rev-parse", "v1.1.0^{commit}") == flow.git("rev-parse", "release/1.1.0")
    assert flow.git("branch", "--show-current") == "develop"


def test_a_conflict_stops_the_finish_with_nothing_half_done(flow, gate):
    assert gate("release", "start").code == 0
    flow.commit("fix: on the release", {"two.txt": "release\n"})
    flow.checkout("develop")
    flow.commit("fix: on develop", {"two.txt": "develop\n"})
    flow.checkout("release/1.1.0")
    heads = {b: flow.git("rev-parse", b) for b in ("main", "develop", "release/1.1.0")}
    outcome = gate("release", "--merge")
    assert outcome.code == 3
    assert "merging release/1.1.0 into develop stopped" in outcome.err
    assert "every branch and tag is as it was" in outcome.err
    assert {b: flow.git("rev-parse", b) for b in heads} == heads
    assert flow.git("tag", "-l", "v1.1.0") == ""
    assert flow.git("branch", "--show-current") == "release/1.1.0"
    assert flow.git("status", "--porcelain") == ""


def test_a_hotfix_goes_into_main_develop_and_the_open_release_branch(flow, gate):
    assert gate("release", "start").code == 0  # release/1.1.0, open
    flow.checkout("main")
    outcome = gate("release", "start", "--hotfix")
    assert "hotfix 1.0.1: hotfix/1.0.1 from main" in outcome.out
    flow.commit("fix: urgent", {"one.txt": "fixed\n"})
    finished = gate("release", "--merge")
    assert finished.code == 0, finished.err
    assert "merged hotfix/1.0.1 back into release/1.1.0" in finished.out
    assert "merged hotfix/1.0.1 back into develop" in finished.out
    assert "origin main release/1.1.0 develop" in finished.out
    flow.git("merge-base", "--is-ancestor", "v1.0.1", "main")
    for branch in ("develop", "release/1.1.0"):
        flow.git("merge-base", "--is-ancestor", "hotfix/1.0.1", branch)
    # each side bumped the version: the release branch keeps its own, the changelog both
    flow.checkout("release/1.1.0")
    assert PYPROJECT.format("1.1.0") == (flow.path / "pyproject.toml").read_text()
    assert gate("check", "changelog").code == 0
    assert "## [1.0.1] - " in (flow.path / "CHANGELOG.md").read_text()


def test_merge_is_for_release_and_hotfix_branches(flow, gate):
    flow.checkout("main")
    outcome = gate("release", "--merge", "--dry-run")
    assert outcome.code == 1
    assert "--merge finishes a release or hotfix branch" in outcome.err
