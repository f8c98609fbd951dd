"""`gate changelog` on real repositories with real tags and merges."""

from __future__ import annotations

import json

import pytest

from gates.knowledge.forges import forge_for


def history(repo):
    """main: v0.1.0, then a feature branch merged with --no-ff, v0.2.0 on the merge, then unreleased work."""
    repo.git("remote", "add", "origin", "git@github.com:acme/widget.git")
    first = repo.commit("feat: initial api", date="2026-01-01T10:00:00Z")
    repo.commit("fix(api): null pointer", date="2026-01-02T10:00:00Z")
    repo.commit("docs: readme", date="2026-01-03T10:00:00Z")
    repo.tag("v0.1.0", message="0.1.0")
    repo.branch("feature/layout")
    repo.commit("feat(ui)!: new layout", date="2026-01-04T10:00:00Z")
    repo.commit("this one is not conventional", date="2026-01-05T10:00:00Z")
    repo.checkout("main")
    repo.commit("perf: faster start", date="2026-01-06T10:00:00Z")
    repo.git(
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge branch 'feature/layout'",
        "feature/layout",
        env={
            "GIT_COMMITTER_DATE": "2026-01-07T10:00:00Z",
            "GIT_AUTHOR_DATE": "2026-01-07T10:00:00Z",
        },
    )
    repo.tag("v0.2.0")
    repo.tag("nightly")
    repo.commit(
        "fix: after release\n\nBREAKING CHANGE: the old flag is gone", date="2026-01-08T10:00:00Z"
    )
    return first


def test_json_is_the_designs_changelog_json(repo, gate):
    history(repo)
    outcome = gate("changelog", "--format", "json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert list(data) == ["releases"]
    assert [(r["version"], r["tag"], r["date"]) for r in data["releases"]] == [
        (None, None, None),
        ("0.2.0", "v0.2.0", "2026-01-07"),
        ("0.1.0", "v0.1.0", "2026-01-03"),
    ]
    unreleased, second, first = data["releases"]
    assert list(unreleased["changes"][0]) == ["sha", "type", "scope", "description", "breaking"]
    assert [(c["type"], c["breaking"]) for c in unreleased["changes"]] == [("fix", True)]
    assert sorted((c["type"], c["scope"], c["breaking"]) for c in second["changes"]) == [
        ("feat", "ui", True),
        ("perf", None, False),
    ]
    assert [c["description"] for c in first["changes"]] == ["readme", "null pointer", "initial api"]
    assert all(len(c["sha"]) == 40 for r in data["releases"] for c in r["changes"])


def test_markdown_maps_types_flags_breaking_first_and_links(repo, gate):
    history(repo)
    outcome = gate("changelog")
    text = outcome.out
    assert text.startswith("## [Unreleased]\n\n### Fixed\n\n- **Breaking:** After release ([`")
    assert "## [0.2.0] - 2026-01-07\n\n### Added\n\n- **Breaking:** **ui:** New layout" in text
    assert "### Changed\n\n- Faster start" in text
    assert "Readme" not in text and "not conventional" not in text
    assert "[unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD\n" in text
    assert "[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0\n" in text
    assert "[0.1.0]: https://github.com/acme/widget/releases/tag/v0.1.0\n" in text


def test_unreleased_from_and_to(repo, gate):
    first = history(repo)
    unreleased = json.loads(gate("changelog", "--unreleased", "--format", "json").out)["releases"]
    assert [r["version"] for r in unreleased] == [None]
    upto = json.loads(gate("changelog", "--to", "v0.2.0", "--format", "json").out)["releases"]
    assert [r["version"] for r in upto] == ["0.2.0", "0.1.0"]
    ranged = json.loads(
        gate("changelog", "--from", "v0.1.0", "--to", "v0.2.0", "--format", "json").out
    )["releases"]
    assert [r["version"] for r in ranged] == ["0.2.0"]
    after_first = json.loads(
        gate("changelog", "--from", first, "--to", "v0.1.0", "--format", "json").out
    )["releases"]
    assert [len(r["changes"]) for r in after_first] == [2]


def test_write_creates_then_changes_only_the_new_part(repo, gate):
    history(repo)
    assert gate("changelog", "--write").code == 0
    path = repo.path / "CHANGELOG.md"
    created = path.read_bytes()
    assert gate("check", "changelog").code == 0
    assert gate("changelog", "--write").out.strip() == "CHANGELOG.md: up to date"
    assert path.read_bytes() == created
    # a hand-written edit of an older release and a hand-written Unreleased line survive
    edited = (
        created.decode()
        .replace("- Faster start", "- Faster start (hand-edited).")
        .replace(
            "## [Unreleased]\n\n### Fixed\n", "## [Unreleased]\n\n### Fixed\n\n- Written by hand.\n"
        )
    )
    path.write_text(edited)
    repo.commit("feat: export csv", {"x.txt": "x"}, date="2026-01-09T10:00:00Z")
    repo.tag("v0.3.0")
    repo.commit("fix: typo", {"y.txt": "y"}, date="2026-01-10T10:00:00Z")
    assert gate("changelog", "--write").code == 0
    updated = path.read_text()
    old_part = edited[edited.index("## [0.2.0]") : edited.index("[unreleased]:")]
    assert old_part in updated
    assert "- Written by hand.\n" in updated
    assert updated.index("## [0.3.0]") < updated.index("## [0.2.0]")
    assert "[unreleased]: https://github.com/acme/widget/compare/v0.3.0...HEAD\n" in updated
    assert "[0.3.0]: https://github.com/acme/widget/compare/v0.2.0...v0.3.0\n" in updated
    assert gate("check", "changelog").code == 0
    before = path.read_bytes()
    assert gate("changelog", "--write").code == 0
    assert path.read_bytes() == before


def test_write_with_json_is_a_usage_error(repo, gate):
    repo.commit("feat: x")
    outcome = gate("changelog", "--write", "--format", "json")
    assert outcome.code == 2
    assert "Traceback" not in outcome.err


def test_empty_repository_is_an_error_not_a_pass(repo, gate):
    assert gate("changelog").code == 3


@pytest.mark.parametrize(
    ("remote", "commit", "compare"),
    [
        (
            "git@github.com:o/r.git",
            "https://github.com/o/r/commit/abc",
            "https://github.com/o/r/compare/v1...v2",
        ),
        (
            "https://github.com/o/r",
            "https://github.com/o/r/commit/abc",
            "https://github.com/o/r/compare/v1...v2",
        ),
        (
            "ssh://git@gitlab.com/g/sub/r.git",
            "https://gitlab.com/g/sub/r/-/commit/abc",
            "https://gitlab.com/g/sub/r/-/compare/v1...v2",
        ),
        (
            "https://x@bitbucket.org/o/r.git",
            "https://bitbucket.org/o/r/commits/abc",
            "https://bitbucket.org/o/r/branches/compare/v2%0Dv1",
        ),
        (
            "https://source.developers.google.com/p/proj/r/repo",
            "https://source.cloud.google.com/proj/repo/+/abc",
            "https://source.cloud.google.com/proj/repo/+/v2",
        ),
        (
            "ssh://me@source.developers.google.com:2022/p/proj/r/repo",
            "https://source.cloud.google.com/proj/repo/+/abc",
            "https://source.cloud.google.com/proj/repo/+/v2",
        ),
    ],
)
def test_forge_links(remote, commit, compare):
    forge = forge_for(remote)
    assert forge is not None
    assert forge.commit_url("abc") == commit
    assert forge.compare_url("v1", "v2") == compare


def test_unknown_hosts_have_no_links():
    assert forge_for("git@example.com:o/r.git") is None
    assert forge_for("/srv/git/r.git") is None
    assert forge_for(None) is None
