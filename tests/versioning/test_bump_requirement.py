"""gates.knowledge.bump_requirement: the one answer to "what bump is required", pure."""

from __future__ import annotations

from semver import Version

from gates.adapters.git import Commit
from gates.adapters.python_api import ApiBreak
from gates.knowledge.bump_requirement import requirement
from gates.knowledge.history import Change, ReleaseTag

V1 = ReleaseTag("v1.2.0", "a" * 40, Version.parse("1.2.0"))
V0 = ReleaseTag("v0.4.2", "b" * 40, Version.parse("0.4.2"))
REMOVED = ApiBreak("shop.connect", "Public object was removed")


def pending(*messages: str) -> list[tuple[Commit, Change | None]]:
    """Commits newest first, each with the change its header names."""
    found = []
    for number, message in enumerate(messages):
        sha = str(number + 1) * 40
        header = message.split("\n", 1)[0]
        kind, _, description = header.partition(": ")
        change = Change(sha, kind.rstrip("!"), None, description, kind.endswith("!"))
        found.append((Commit(sha, ("p",), "A", "a@x", 0, 0, message), change))
    return found


def test_the_largest_bump_of_the_commits_decides_and_names_its_commits():
    required = requirement(pending("fix: b", "feat: a"), V1, "minor", "semver")
    assert (required.bump, required.by_commits, required.breaking) == ("minor", "minor", "major")
    assert required.commits == 2
    assert required.reasons == ["feat in 22222222 (feat: a) requires minor"]
    assert required.forced is None


def test_a_breaking_change_bumps_the_minor_while_zero_major_by_policy():
    assert requirement(pending("feat!: a"), V0, "minor", "semver").bump == "minor"
    assert requirement(pending("feat!: a"), V0, "major", "semver").bump == "major"
    assert requirement(pending("feat!: a"), None, "minor", "semver").bump == "minor"


def test_an_api_break_raises_the_bump_and_comes_first_only_when_it_decides():
    required = requirement(pending("fix: a"), V1, "minor", "semver").with_api_breaks([REMOVED])
    assert (required.bump, required.by_commits) == ("major", "patch")
    assert required.reasons[0] == (
        "the public API changed incompatibly since v1.2.0: shop.connect: public object was removed"
    )
    assert len(required.reasons) == 2
    already = requirement(pending("feat!: a"), V1, "minor", "semver").with_api_breaks([REMOVED])
    assert already.reasons == ["breaking change in 11111111 (feat!: a) requires major"]


def test_the_newest_release_as_footer_forces_the_version_or_says_why_it_cannot():
    required = requirement(
        pending("fix: b\n\nRelease-As: 2.0.0", "feat: a\n\nRelease-As: 1.5.0"),
        V1,
        "minor",
        "semver",
    )
    assert required.forced is not None
    assert (required.forced.text, required.forced.version) == ("2.0.0", Version.parse("2.0.0"))
    assert required.forced.commit.short == "11111111"
    broken = requirement(pending("chore: z\n\nRelease-As: three"), V1, "minor", "semver").forced
    assert broken is not None
    assert (broken.version, broken.text) == (None, "three")
    assert broken.error
