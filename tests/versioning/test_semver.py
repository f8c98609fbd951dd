"""gates.knowledge.semver: parsing, PEP 440 spelling, tags, ordering, bumps and required bumps."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from semver import Version

from gates.knowledge.conventional import parse
from gates.knowledge.semver import (
    VersionError,
    breaking_bump,
    bump,
    bump_between,
    duplicate_versions,
    format_tag,
    format_version,
    latest_release,
    next_in_series,
    parse_version,
    release_as,
    required_bump,
    tag_version,
    to_version,
    version_tags,
)

V = Version.parse


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.2", "three numbers"),
        ("v1.2.3", "belongs to the tag"),
        ("1.2.3-01", "leading zero"),
        ("01.2.3", "leading zero"),
        ("1.2.3-", "empty"),
        ("1.2.3+a+b", "only one '+'"),
        ("1.2.3-a_b", "letters, digits"),
        ("1.2.0rc1", "PEP 440 spelling; in SemVer it is 1.2.0-rc.1"),
        ("１.2.3", "ASCII"),
        ("", "empty"),
    ],
)
def test_invalid_semver_says_why(text, reason):
    with pytest.raises(VersionError, match=None) as caught:
        to_version(text)
    assert reason in str(caught.value)
    assert parse_version(text) is None


@pytest.mark.parametrize(
    ("text", "semver"),
    [
        ("1.2.0rc1", "1.2.0-rc.1"),
        ("1.2.0a3", "1.2.0-alpha.3"),
        ("1.2.0b2", "1.2.0-beta.2"),
        ("1.2.0c1", "1.2.0-rc.1"),
        ("1.2", "1.2.0"),
        ("1.2.0+local.7", "1.2.0+local.7"),
        ("1.2.0-rc.1", "1.2.0-rc.1"),
    ],
)
def test_pep440_spelling_is_understood_under_the_pep440_scheme(text, semver):
    assert str(to_version(text, "pep440")) == semver


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.2.0.dev1", "development"),
        ("1.2.0.post1", "post"),
        ("1!1.2.0", "epoch"),
        ("1.2.3.4", "three"),
    ],
)
def test_pep440_forms_without_a_semver_equivalent_are_refused(text, reason):
    with pytest.raises(VersionError) as caught:
        to_version(text, "pep440")
    assert reason in str(caught.value)


def test_format_version_spells_pep440_for_python_sources():
    assert format_version(V("1.3.0-rc.2"), "pep440") == "1.3.0rc2"
    assert format_version(V("1.3.0-alpha.1"), "pep440") == "1.3.0a1"
    assert format_version(V("1.3.0-rc.2"), "semver") == "1.3.0-rc.2"
    assert format_version(V("1.3.0+b.1"), "pep440") == "1.3.0+b.1"
    with pytest.raises(VersionError, match="no PEP 440 spelling"):
        format_version(V("1.3.0-snapshot.x"), "pep440")


def test_tags_follow_the_format():
    assert tag_version("v1.2.0", "v{version}") == V("1.2.0")
    assert tag_version("1.2.0", "v{version}") is None
    assert tag_version("v1.2", "v{version}") is None
    assert tag_version("api-1.2.0-rc.1", "api-{version}") == V("1.2.0-rc.1")
    assert format_tag("1.2.0", "release-{version}") == "release-1.2.0"
    with pytest.raises(VersionError):
        tag_version("v1.2.0", "v-version")


def test_latest_release_is_by_semver_order_not_by_string_or_date():
    tags = [
        ("v1.9.0", "a"),
        ("v1.10.0", "b"),
        ("v1.10.0-rc.2", "c"),
        ("nightly", "d"),
        ("v1.2", "e"),
    ]
    assert latest_release(tags, "v{version}") == ("v1.10.0", V("1.10.0"))
    releases, others = version_tags(tags, "v{version}")
    assert [name for name, _, _ in releases] == ["v1.10.0", "v1.10.0-rc.2", "v1.9.0"]
    assert others == ["nightly", "v1.2"]


def test_prerelease_tags_order_before_their_release():
    tags = [("v2.0.0-rc.1", "a"), ("v2.0.0-beta.11", "b"), ("v2.0.0-beta.2", "c"), ("v1.4.0", "d")]
    assert latest_release(tags, "v{version}") == ("v2.0.0-rc.1", V("2.0.0-rc.1"))
    assert latest_release(tags, "v{version}", prereleases=False) == ("v1.4.0", V("1.4.0"))
    assert latest_release([("x", "a")], "v{version}") is None


def test_duplicate_versions_on_different_commits():
    releases, _ = version_tags(
        [("v1.0.0", "a"), ("v1.0.0+b.1", "b"), ("v1.1.0", "c"), ("v1.1.0+x", "c")], "v{version}"
    )
    groups = duplicate_versions(releases)
    assert len(groups) == 1
    assert {name for name, _, _ in groups[0]} == {"v1.0.0", "v1.0.0+b.1"}


@pytest.mark.parametrize(
    ("start", "part", "pre", "expected"),
    [
        ("1.2.3", "major", None, "2.0.0"),
        ("1.2.3", "minor", None, "1.3.0"),
        ("1.2.3", "patch", None, "1.2.4"),
        ("1.2.3+build.9", "patch", None, "1.2.4"),
        ("2.0.0-rc.1", "major", None, "2.0.0"),
        ("1.3.0-rc.1", "minor", None, "1.3.0"),
        ("1.3.1-rc.1", "minor", None, "1.4.0"),
        ("1.3.0-rc.1", "prerelease", None, "1.3.0-rc.2"),
        ("1.3.0-rc.9", "prerelease", None, "1.3.0-rc.10"),
        ("1.3.0-beta.4", "prerelease", "rc", "1.3.0-rc.1"),
        ("1.3.0", "prerelease", None, "1.3.1-rc.1"),
        ("1.3.0-rc.2", "release", None, "1.3.0"),
        ("1.2.3", "minor", "rc", "1.3.0-rc.1"),
        ("1.2.3", "major", "beta", "2.0.0-beta.1"),
    ],
)
def test_bump(start, part, pre, expected):
    assert str(bump(V(start), part, pre)) == expected


def test_impossible_bumps_say_why():
    with pytest.raises(VersionError, match="already a release"):
        bump(V("1.2.3"), "release")
    with pytest.raises(VersionError, match="sort before"):
        bump(V("1.3.0-rc.1"), "prerelease", "beta")
    with pytest.raises(VersionError, match="unknown part"):
        bump(V("1.2.3"), "micro")
    with pytest.raises(VersionError, match="pre-release label"):
        bump(V("1.2.3"), "minor", "r c")


def test_pre_release_series_continues_after_existing_tags():
    existing = [V("1.3.0-rc.1"), V("1.3.0-rc.2"), V("1.2.0")]
    assert next_in_series(V("1.3.0"), existing, "rc") == V("1.3.0-rc.3")
    assert next_in_series(V("1.4.0"), existing, "rc") == V("1.4.0-rc.1")
    assert next_in_series(V("1.3.0"), existing, "beta") == V("1.3.0-beta.1")


def test_bump_between():
    assert bump_between(V("1.2.3"), V("2.0.0")) == "major"
    assert bump_between(V("1.2.3"), V("1.3.0-rc.1")) == "minor"
    assert bump_between(V("1.2.3"), V("1.2.4")) == "patch"
    assert bump_between(V("1.2.3"), V("1.2.3")) is None
    assert bump_between(V("1.2.3"), V("1.2.3-rc.1")) is None


def commits(*messages: str):
    return [parse(m) for m in messages]


def test_required_bump_from_conventional_commits():
    assert required_bump(commits("docs: x", "chore: y")) is None
    assert required_bump(commits("fix: x", "docs: y")) == "patch"
    assert required_bump(commits("perf: x")) == "patch"
    assert required_bump(commits("fix: x", "feat: y")) == "minor"
    assert required_bump(commits("feat: x", "refactor!: y")) == "major"
    assert required_bump(commits("fix: x\n\nBREAKING CHANGE: the flag is gone")) == "major"


def test_breaking_change_bumps_the_minor_while_zero_major_by_policy():
    breaking = commits("feat!: drop python 3.10")
    assert required_bump(breaking, True) == "minor"
    assert required_bump(breaking, "minor", V("0.4.2")) == "minor"
    assert required_bump(breaking, "minor", V("1.4.2")) == "major"
    assert required_bump(breaking, "major", V("0.4.2")) == "major"
    assert breaking_bump(None, "minor") == "minor"
    assert breaking_bump(V("0.9.0"), "major") == "major"


def test_release_as_footer_of_the_newest_commit():
    assert (
        release_as(commits("feat: a\n\nRelease-As: 2.0.0", "fix: b\n\nRelease-As: 1.5.0"))
        == "2.0.0"
    )
    assert release_as(commits("feat: a\n\nrelease-as: 3.0.0")) == "3.0.0"
    assert release_as(commits("feat: a")) is None


# --- properties -----------------------------------------------------------------------------

numbers = st.integers(min_value=0, max_value=10**6)
identifier = st.one_of(
    st.integers(min_value=0, max_value=10**4).map(str),
    st.from_regex(r"[A-Za-z-][0-9A-Za-z-]{0,6}", fullmatch=True),
)
prerelease = st.none() | st.lists(identifier, min_size=1, max_size=3).map(".".join)
build = st.none() | st.lists(
    st.from_regex(r"[0-9A-Za-z-]{1,6}", fullmatch=True), min_size=1, max_size=2
).map(".".join)
versions = st.builds(Version, numbers, numbers, numbers, prerelease, build)


@given(versions)
def test_every_version_round_trips_through_its_text(version):
    assert to_version(str(version)) == version
    assert to_version(str(version)).build == version.build
    assert tag_version(format_tag(version, "v{version}"), "v{version}") == version


@given(versions, versions)
def test_order_is_total_and_ignores_build_metadata(a, b):
    assert (a < b) + (a > b) + (a == b) == 1
    assert (a.replace(build=None) == b.replace(build=None)) == (a == b)


@given(versions)
def test_a_prerelease_sorts_before_its_release(version):
    release = version.replace(prerelease=None, build=None)
    if version.prerelease:
        assert version < release
    assert bump_between(release, bump(release, "patch")) == "patch"


@given(versions, st.sampled_from(["major", "minor", "patch", "prerelease"]))
def test_every_bump_goes_up(version, part):
    assert bump(version, part) > version


@given(st.lists(versions, min_size=1, max_size=8))
def test_latest_release_is_the_maximum(items):
    tags = [(f"v{v}", str(i)) for i, v in enumerate(items)]
    name, latest = latest_release(tags, "v{version}")
    assert latest == max(items)
    assert tag_version(name, "v{version}") == latest


@given(
    versions.filter(
        lambda v: v.prerelease is None or v.prerelease.split(".")[0] in ("alpha", "beta", "rc")
    )
)
def test_pep440_spelling_round_trips(version):
    if version.prerelease and len(version.prerelease.split(".")) != 2:
        return
    if version.prerelease and not version.prerelease.split(".")[1].isdigit():
        return
    assert to_version(format_version(version, "pep440"), "pep440") == version


@given(st.text(max_size=20))
def test_parsing_never_crashes(text):
    for scheme in ("semver", "pep440"):
        try:
            version = to_version(text, scheme)
        except VersionError as exc:
            assert str(exc)
        else:
            assert isinstance(version, Version)
