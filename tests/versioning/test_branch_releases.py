"""The latest release is the branch's: support and maintenance lines, hotfixes, git-flow's
develop, release channels, and pre-release series, through the real CLI."""

from __future__ import annotations

import json

from gates.adapters.git import GitRepo as Git
from gates.release.history import read_history
from tests.versioning.conftest import pyproject


def next_of(gate, *args):
    outcome = gate("version", "next", "--json", "--no-api", *args)
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


def changelog(gate, *args):
    outcome = gate("changelog", "--format", "json", *args)
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)["releases"]


def test_a_fix_on_a_support_branch_is_a_patch_of_its_own_line(repo, gate):
    repo.commit("feat: one")
    repo.tag("v1.4.0")
    repo.branch("support/1.x")
    repo.commit("fix: backport")
    repo.tag("v1.4.1")
    repo.checkout("main")
    repo.commit("feat!: the new API")
    repo.tag("v2.0.0")
    repo.checkout("support/1.x")
    repo.commit("fix: another backport")
    result = next_of(gate)
    assert (result["latest_tag"], result["next"], result["bump"]) == ("v1.4.1", "1.4.2", "patch")
    assert [r["tag"] for r in changelog(gate)] == [None, "v1.4.1", "v1.4.0"]
    outcome = gate("version", "show")
    assert "1 release tag(s) are not in this branch's history (highest: v2.0.0)" in outcome.out


def test_a_hotfix_from_main_follows_main_whatever_develop_holds(repo, gate):
    repo.commit("feat: one")
    repo.tag("v1.2.3")
    repo.branch("develop")
    repo.commit("feat!: big rework")
    repo.checkout("main")
    repo.branch("hotfix/login")
    repo.commit("fix: login")
    result = next_of(gate)
    assert (result["latest_tag"], result["next"]) == ("v1.2.3", "1.2.4")


def test_develop_counts_the_releases_tagged_on_the_production_branch(repo, gate):
    """git-flow's finish tags the merge commit on main, which develop does not contain."""
    repo.commit("feat: start")
    repo.branch("develop")
    repo.commit("feat: first feature")
    repo.branch("release/1.0.0")
    repo.commit("chore: prepare")
    repo.checkout("main")
    repo.merge("release/1.0.0", "Merge branch 'release/1.0.0'")
    repo.tag("v1.0.0")
    repo.checkout("develop")
    repo.merge("release/1.0.0", "Merge branch 'release/1.0.0' into develop")
    later = repo.commit("fix: after the release")
    result = next_of(gate)
    assert (result["latest_tag"], result["next"], result["commits"]) == ("v1.0.0", "1.0.1", 2)
    releases = changelog(gate)
    assert [r["tag"] for r in releases] == [None, "v1.0.0"]
    assert [c["sha"] for c in releases[0]["changes"]] == [later]


def test_a_release_channel_tag_outside_the_branch_is_not_its_latest(repo, gate):
    repo.commit("feat: one")
    repo.tag("v25.0.9")
    repo.branch("beta")
    repo.commit("feat!: next major")
    repo.tag("v26.0.0-beta.1")
    repo.checkout("main")
    repo.commit("fix: on the stable line")
    result = next_of(gate)
    assert (result["latest_tag"], result["next"]) == ("v25.0.9", "25.0.10")


def test_at_a_release_tag_version_next_says_so_and_proposes_nothing(repo, gate):
    repo.commit("feat: one", {"pyproject.toml": pyproject("1.0.0")})
    repo.tag("v1.0.0")
    outcome = gate("version", "next")
    assert outcome.code == 0
    assert outcome.out == ""
    assert "HEAD is the release v1.0.0" in outcome.err
    bump = gate("version", "bump", "auto")
    assert bump.code == 0 and "nothing to bump" in bump.out


def test_a_breaking_change_during_an_rc_series_moves_the_major(repo, gate):
    repo.commit("feat: one")
    repo.tag("v1.2.0")
    repo.commit("feat: search")
    repo.tag("v1.3.0-rc.1")
    assert next_of(gate, "--pre")["next"] == "1.3.0-rc.2"
    repo.commit("feat!: search syntax changed")
    assert next_of(gate)["next"] == "2.0.0"
    assert next_of(gate, "--pre")["next"] == "2.0.0-rc.1"


def test_from_and_to_follow_the_graph(repo, gate):
    repo.commit("feat: base")
    repo.branch("feature/late")
    late = repo.commit("feat: forked before 1.0.0, merged after")
    repo.checkout("main")
    early = repo.commit("fix: in 1.0.0")
    repo.tag("v1.0.0")
    repo.merge("feature/late")
    repo.tag("v1.1.0")
    to_first = changelog(gate, "--to", "v1.0.0")
    assert [r["tag"] for r in to_first] == ["v1.0.0"]
    assert early in [c["sha"] for c in to_first[0]["changes"]]
    assert late not in [c["sha"] for c in to_first[0]["changes"]]
    since_first = changelog(gate, "--from", "v1.0.0")
    assert [r["tag"] for r in since_first] == [None, "v1.1.0"]
    assert [c["sha"] for c in since_first[1]["changes"]] == [late]


def test_unreleased_changelog_and_version_next_read_the_same_commits(repo, gate):
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.branch("topic")
    repo.commit("wip")
    repo.checkout("main")
    merge = repo.merge("topic", "Merge pull request #4 from o/topic\n\nfeat: from the title")
    fix = repo.commit("fix: after")
    unreleased = changelog(gate, "--unreleased")[0]
    assert [c["sha"] for c in unreleased["changes"]] == [fix, merge]
    result = next_of(gate)
    assert (result["next"], result["commits"]) == ("1.1.0", 3)
    assert "feat in" in result["reasons"][0] and "feat: from the title" in result["reasons"][0]
    history = read_history(Git(repo.path), tag_format="v{version}")
    assert len(history.unreleased.commits) == 3


def test_tags_that_are_not_releases_get_one_note_and_no_section(repo, gate):
    repo.commit("feat: one")
    repo.tag("v1.2.0")
    repo.tag("v1")
    repo.tag("nightly")
    repo.commit("fix: two")
    outcome = gate("changelog", "--format", "json")
    assert outcome.code == 0
    assert [r["tag"] for r in json.loads(outcome.out)["releases"]] == [None, "v1.2.0"]
    assert outcome.err == (
        "note: ignored 1 floating tag(s) (v1) and 1 tag(s) outside the tag format (nightly):"
        " they are not releases\n"
    )
    assert "note: ignored 1 floating tag(s) (v1)" in gate("version", "next").err
