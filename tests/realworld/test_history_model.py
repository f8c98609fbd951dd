"""The history model on real public histories, every expected value derived from git itself
(../shared/realworld/README.md): zero commits in the wrong release, the right latest
release on the default branch, and the feat/fix commits of a real CHANGELOG.md."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from gates.adapters.git import GitRepo
from gates.knowledge.semver import tag_version
from gates.release.history import read_history
from tests.bundles import git

# bundle, tag format, the production branch where releases are tagged off the default branch
REPOSITORIES = [
    ("semantic-release", "v{version}", None),
    ("release-please", "v{version}", None),
    ("keep-a-changelog", "v{version}", None),
    ("gitflow-avh", "{version}", "origin/master"),
    ("attrs", "{version}", None),
    ("click", "{version}", None),
    ("changesets", "@changesets/cli@{version}", None),
]


def _releases(path, tag_format, *heads):
    """Release tags merged into any of the heads, by `git tag --merged`, highest first."""
    names = set()
    for head in heads:
        names.update(git(path, "tag", "--merged", head).split())
    found = [(tag_version(n, tag_format), n) for n in names]
    return [n for v, n in sorted((v, n) for v, n in found if v is not None)[::-1]]


@pytest.mark.parametrize(("name", "tag_format", "production"), REPOSITORIES)
def test_latest_release_of_the_default_branch(clone, name, tag_format, production):
    path = clone(name)
    default = git(path, "symbolic-ref", "refs/remotes/origin/HEAD").strip()
    heads = [default, *([production] if production else [])]
    history = read_history(GitRepo(path), tag_format=tag_format, head=default, also=heads[1:])
    expected = _releases(path, tag_format, *heads)
    assert [t.name for t in history.branch_releases] == expected
    assert history.latest.name == expected[0]


@pytest.mark.parametrize(("name", "tag_format", "production"), REPOSITORIES)
def test_no_commit_is_listed_under_a_release_that_does_not_ship_it(
    clone, name, tag_format, production
):
    path = clone(name)
    history = read_history(
        GitRepo(path), tag_format=tag_format, also=[production] if production else []
    )
    sections = {s.tag.name: s for s in history.released()}
    below = _tag_ancestry(path)
    shas = {s.tag.sha for s in sections.values()}

    def expected(section):
        earlier = below[section.tag.sha] & shas
        return git(path, "rev-list", section.tag.sha, "--not", *earlier, "--").split()

    with ThreadPoolExecutor(4) as pool:
        for section, commits in zip(
            sections.values(), pool.map(expected, sections.values()), strict=True
        ):
            assert sorted(section.commits) == sorted(commits), section.tag.name
    listed = sum(len(s.commits) for s in sections.values())
    unreleased = git(path, "rev-list", "HEAD", "--not", *sections, "--").split()
    assert sorted(history.unreleased.commits) == sorted(unreleased)
    assert listed + len(unreleased) >= int(git(path, "rev-list", "--count", "HEAD"))


def _tag_ancestry(path) -> dict[str, set[str]]:
    """Tagged commit -> the tagged commits in its history (itself left out), from git's own
    history simplified to the tagged commits (`--simplify-by-decoration --parents`)."""
    parents = {}
    for line in git(
        path,
        "log",
        "--simplify-by-decoration",
        "--decorate-refs=refs/tags/",
        "--parents",
        "--format=%H %P",
        "--tags",
    ).splitlines():
        sha, *rest = line.split()
        parents[sha] = rest
    below: dict[str, set[str]] = {}

    def of(sha):
        if sha not in below:
            found = set()
            stack = list(parents.get(sha, []))
            while stack:
                other = stack.pop()
                if other not in found:
                    found.add(other)
                    stack.extend(parents.get(other, []))
            below[sha] = found
        return below[sha]

    return {sha: of(sha) for sha in parents}


def _changelog_entries(text: str, version: str) -> dict[str, set[str]]:
    """release-please's CHANGELOG.md section of a version: heading → commit shas (7)."""
    section = re.split(r"^## \[", text, flags=re.MULTILINE)
    body = next(s for s in section if s.startswith(f"{version}]"))
    entries: dict[str, set[str]] = {}
    heading = None
    for line in body.splitlines():
        if line.startswith("### "):
            heading = line[4:].strip()
        elif line.startswith("* ") and heading:
            shas = re.findall(r"/commit/([0-9a-f]{7,40})\)", line)
            if shas:
                entries.setdefault(heading, set()).add(shas[-1][:7])
    return entries


# Commits whose message says `chore` but which release-please listed as fixes: their pull
# requests overrode the message at release time (`BEGIN_COMMIT_OVERRIDE`), which git does
# not record. The commit graph is right about what the commit says.
OVERRIDDEN = {"17.11.1": {"6159d83"}, "17.10.4": {"5b31578"}}


def test_the_last_three_releases_agree_with_release_pleases_changelog(clone):
    path = clone("release-please")
    text = (path / "CHANGELOG.md").read_text(encoding="utf-8")
    history = read_history(GitRepo(path), tag_format="v{version}")
    for section in history.released()[:3]:
        version = str(section.tag.version)
        theirs = _changelog_entries(text, version)
        for heading, kind in (("Features", "feat"), ("Bug Fixes", "fix")):
            ours = {c.sha[:7] for c in section.changes if c.type == kind}
            expected = theirs.get(heading, set()) - OVERRIDDEN.get(version, set())
            assert ours == expected, (version, heading)


def test_the_last_three_releases_hold_what_the_changesets_changelog_lists(clone):
    """@changesets/cli 3.0.0 came after twelve 3.0.0-next pre-releases; its CHANGELOG.md
    section lists every change since 2.31.0, as the fold mode does (what a user upgrading
    from the previous version reads). Each change names the commit that added it."""
    path = clone("changesets")
    text = (path / "packages" / "cli" / "CHANGELOG.md").read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    history = read_history(GitRepo(path), tag_format="@changesets/cli@{version}")
    finals = [s for s in history.released() if not s.tag.prerelease][:3]
    assert [str(s.tag.version) for s in finals] == ["3.0.1", "3.0.0", "2.31.0"]
    listed = 0
    for section in finals:
        body = next(p for p in parts if p.split("\n", 1)[0].strip() == str(section.tag.version))
        shas = {
            found[0]
            for line in body.splitlines()
            if line.startswith("- [") and "Updated dependencies" not in line
            for found in [re.findall(r"/commit/([0-9a-f]{40})", line)]
            if found
        }
        assert shas <= set(section.commits), section.tag.name
        listed += len(shas)
    assert listed == 55


def test_changesets_components_versions_and_changelog(clone):
    """Every published package of the changesets monorepo, its latest release from its own
    tags, and @changesets/cli's commits against its CHANGELOG.md."""
    import json

    from gates.adapters.workspaces import detect

    path = clone("changesets")
    published = {
        data["name"]
        for manifest in (path / "packages").glob("*/package.json")
        for data in [json.loads(manifest.read_text())]
        if not data.get("private")
    }
    found = detect(path)
    assert {c.name for c in found} == published and len(published) == 20
    git_repo = GitRepo(path)
    for component in found:
        history = read_history(git_repo, tag_format=component.tag)
        expected = _releases(path, component.tag, "HEAD")
        assert history.latest.name == expected[0], component.name
    cli = read_history(git_repo, tag_format="@changesets/cli@{version}")
    cli = cli.only(git_repo.commits_touching(["packages/cli"], [cli.head]))
    text = (path / "packages" / "cli" / "CHANGELOG.md").read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    listed = missing = 0
    for section in [s for s in cli.released() if not s.tag.prerelease][:3]:
        body = next(p for p in parts if p.split("\n", 1)[0].strip() == str(section.tag.version))
        shas = {
            m[0]
            for line in body.splitlines()
            if line.startswith("- [") and "Updated dependencies" not in line
            for m in [re.findall(r"/commit/([0-9a-f]{40})", line)]
            if m
        }
        listed += len(shas)
        missing += len(shas - set(section.commits))
    # The four the path rule leaves out change other packages' files only; their changesets
    # name @changesets/cli as a dependent to bump, which git does not record.
    assert (listed, missing) == (55, 4)
