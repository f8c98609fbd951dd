"""`gate version next` and gates.release.next_version on real repositories with real tags."""

from __future__ import annotations

import json

from tests.versioning.conftest import pyproject


def next_of(gate, *args):
    outcome = gate("version", "next", "--json", *args)
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


def test_first_release_follows_the_initial_version(repo, gate):
    repo.commit("feat: start", {"pyproject.toml": pyproject("0.0.0")})
    result = next_of(gate)
    assert result["next"] == "0.1.0"
    assert result["latest_tag"] is None
    assert "versioning.initial" in result["reasons"][0]
    repo.write(".gate.yaml", "versioning:\n  initial: 1.0.0\n")
    assert next_of(gate)["next"] == "1.0.0"
    assert next_of(gate, "--pre")["next"] == "1.0.0-rc.1"


def test_bump_follows_the_commits_since_the_latest_release(project, gate):
    result = next_of(gate)
    assert (result["next"], result["bump"], result["released_at_head"]) == (None, None, "v1.2.0")
    assert "HEAD is the release v1.2.0" in result["reasons"][0]
    project.commit("docs: explain")
    result = next_of(gate)
    assert (result["next"], result["bump"]) == ("1.2.0", None)
    assert "requires a release" in result["reasons"][0]
    project.commit("fix: rounding")
    assert (next_of(gate)["next"], next_of(gate)["bump"]) == ("1.2.1", "patch")
    sha = project.commit("feat(cart): coupons")
    result = next_of(gate)
    assert (result["next"], result["bump"], result["commits"]) == ("1.3.0", "minor", 3)
    assert sha[:8] in result["reasons"][0]
    project.commit("refactor!: drop the v1 API")
    assert (next_of(gate)["next"], next_of(gate)["bump"]) == ("2.0.0", "major")


def test_breaking_change_bumps_the_minor_while_zero_major(repo, gate):
    repo.commit("feat: start", {"pyproject.toml": pyproject("0.4.2")})
    repo.tag("v0.4.2")
    repo.commit("feat!: new storage format")
    assert next_of(gate)["next"] == "0.5.0"
    repo.write(".gate.yaml", "versioning:\n  zero_major_breaking: major\n")
    assert next_of(gate)["next"] == "1.0.0"


def test_latest_release_is_found_by_semver_order_not_by_date_or_name(repo, gate):
    repo.commit("feat: a", date="2026-01-01T00:00:00")
    repo.tag("v1.10.0")
    repo.commit("fix: b", date="2026-02-01T00:00:00")
    repo.tag("v1.9.0")
    repo.tag("nightly")
    repo.tag("v2.0")
    repo.commit("fix: c", date="2026-03-01T00:00:00")
    result = next_of(gate)
    assert result["latest_tag"] == "v1.10.0"
    assert result["next"] == "1.10.1"


def test_pre_release_series_then_the_release(project, gate):
    project.commit("feat: search")
    project.tag("v1.3.0-rc.1")
    project.commit("fix: search crash")
    assert next_of(gate, "--pre")["next"] == "1.3.0-rc.2"
    assert next_of(gate, "--pre", "beta")["next"] == "1.3.0-beta.1"
    project.tag("v1.3.0-rc.2")
    result = next_of(gate)
    assert (result["latest_tag"], result["next"], result["latest_release_tag"]) == (
        "v1.3.0-rc.2",
        "1.3.0",
        "v1.2.0",
    )
    project.commit("feat!: new search syntax")
    assert next_of(gate)["next"] == "2.0.0"


def test_release_as_footer_forces_the_version(project, gate):
    project.commit("feat: x\n\nRelease-As: 3.0.0")
    project.commit("fix: y")
    result = next_of(gate)
    assert result["next"] == "3.0.0"
    assert "Release-As: 3.0.0" in result["reasons"][0]
    project.commit("chore: z\n\nRelease-As: three")
    outcome = gate("version", "next")
    assert outcome.code == 3
    assert "Release-As: three" in outcome.err


def test_release_and_hotfix_branches_name_the_version(project, gate):
    project.branch("release/1.4.0")
    project.commit("fix: polish")
    result = next_of(gate)
    assert result["next"] == "1.4.0"
    assert "release branch names the version 1.4.0" in result["reasons"][0]
    project.tag("v1.4.0-rc.1")
    assert next_of(gate, "--pre")["next"] == "1.4.0-rc.2"
    project.checkout("main")
    project.branch("hotfix/1.2.1")
    assert next_of(gate)["next"] == "1.2.1"
    project.checkout("main")
    project.branch("release/soon")
    project.commit("feat: y")
    result = next_of(gate)
    # v1.4.0-rc.1 is on release/1.4.0, not in this branch's history: the latest release
    # here is v1.2.0, so the feat makes a minor from it
    assert result["next"] == "1.3.0"
    assert "not a version" in result["reasons"][-1]


def test_next_prints_the_version_alone_on_stdout(project, gate):
    project.commit("fix: x")
    outcome = gate("version", "next")
    assert outcome.out == "1.2.1\n"
    assert "fix in" in outcome.err
