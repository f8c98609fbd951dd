"""The sections several gates and commands read: branches, commits, versioning, changelog.

A gate names the ones it reads with `Shared(...)`; every other section is declared
by the one gate or command that owns it, in its own module.
"""

from __future__ import annotations

from gates.knowledge.bot_branches import BOT_BRANCHES
from gates.knowledge.changelog_formats import AUTO
from gates.knowledge.changelog_formats import NAMES as FORMAT_NAMES
from gates.knowledge.commit_rules import DEFAULT_TYPES
from gates.options import Choice, Flag, Group, Integer, Options, Regex, Table, Text, Texts

_BRANCH_NAME = r"^[^\s]+$"
BRANCH_KINDS = ("main", "develop", "feature", "bugfix", "release", "hotfix", "support", "extra")
VERSION_BRANCH_KINDS = ("main", "develop", "release", "hotfix", "support", "feature", "bugfix")


def _prefix(kind: str) -> Text[str | None]:
    return Text(
        f"{kind}/",
        f"Prefix of {kind} branches; null turns the kind off.",
        nullable=True,
        pattern=_BRANCH_NAME,
    )


class Prefixes(Options, summary="The git-flow branch prefixes."):
    feature = _prefix("feature")
    bugfix = _prefix("bugfix")
    release = _prefix("release")
    hotfix = _prefix("hotfix")
    support = _prefix("support")


def _targets(kind: str, default: list[str] | None) -> Texts[list[str] | None]:
    return Texts(default, f"Where {kind} branches may be merged.")


class MergeTargets(
    Options,
    summary="For each branch kind, the branches it may be merged into (pull/merge requests, "
    "`--target`): `main`, `develop`, a kind (`release` is every release branch), a name or a "
    "glob; [] allows no target; a kind left out may merge anywhere.",
):
    main = _targets("main", None)
    develop = _targets("develop", None)
    feature = _targets("feature", ["develop"])
    bugfix = _targets("bugfix", ["develop"])
    release = _targets("release", ["main", "develop"])
    hotfix = _targets("hotfix", ["main", "develop", "release"])
    support = _targets("support", [])
    extra = _targets("extra", None)


class BranchesOptions(
    Options,
    section="branches",
    summary="Git-flow branch naming, merge targets and protected branches.",
):
    main = Text("main", "The production branch: `main` or `master`.", pattern=_BRANCH_NAME)
    develop = Text(
        "develop",
        "The integration branch; null for trunk-based teams.",
        nullable=True,
        pattern=_BRANCH_NAME,
    )
    prefixes = Group[Prefixes](Prefixes)
    slug = Regex(
        r"^(?:[A-Z][A-Z0-9]*-[0-9]+(?:[-_.][a-z0-9]+)*|[a-z0-9]+(?:[-_.][a-z0-9]+)*)"
        r"(?:/[a-z0-9]+(?:[-_.][a-z0-9]+)*)*$",
        "Pattern the whole part after feature/, bugfix/ and support/ must match "
        "(by default lowercase words joined by - _ . and digits, or a ticket id first).",
    )
    version_prefix = Flag(False, "Allow `release/v1.2.0` as well as `release/1.2.0`.")
    extra = Texts(
        list(BOT_BRANCHES),
        "Other names that are allowed as they are (bot branches): whole-name patterns.",
        item={
            "type": "string",
            "format": "regex",
            "description": "A pattern the whole name must match",
        },
    )
    max_length = Integer(
        200,
        "The longest branch name allowed; checked before any pattern.",
        minimum=1,
        maximum=1000,
    )
    merge_targets = Group[MergeTargets](MergeTargets)
    protected = Texts(
        ["main", "develop"],
        "Branches that take no direct commit on a developer machine: `main`, `develop`, a kind "
        "or a glob. GATE_RELEASE=1 lets the release manager's own commit through.",
    )


class CommitsOptions(
    Options,
    section="commits",
    summary="Conventional Commits: the commit-msg hook and the commits gate.",
):
    types = Texts(
        list(DEFAULT_TYPES),
        "Allowed Conventional Commit types, spelt as commits must spell them.",
        item={"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_-]*$"},
    )
    scopes = Texts([], "Allowed scopes; empty allows any scope.")
    scope_required = Flag(False, "Every commit must name a scope.")
    header_max_length = Integer(72, "The longest header (first line) allowed.", minimum=1)
    body_max_line_length = Integer(
        100, "Body lines longer than this are a warning; 0 turns it off.", minimum=0
    )
    exempt_merges = Flag(True, "Merge commits written by git or a forge pass unchecked.")
    exempt_reverts = Flag(True, '`Revert "…"` commits written by git pass unchecked.')
    release_commit = Regex(
        r"^chore\(release\): ",
        "Subjects of release commits (`gate release`), which pass unchecked.",
        nullable=True,
    )
    fixup_in_ci = Flag(
        False, "Allow fixup!/squash!/amend! commits in a CI range (always allowed locally)."
    )
    check_pr_title = Flag(True, "In CI, check the pull/merge request title too (squash merges).")


class VersionSource(Options):
    file = Text[str](None, "Path of the file.", required=True)  # type: ignore[arg-type]
    kind = Choice[str | None](
        None,
        ("pyproject", "python", "package.json", "cargo", "chart", "version-file", "pattern"),
        "What the file is; found from its name when left out.",
    )
    key = Text[str | None](
        None,
        "Key inside the file: project.version or tool.poetry.version (pyproject), the variable"
        " (python, default __version__), version or appVersion (chart).",
    )
    pattern = Regex[str | None](None, "For kind pattern: a regex with one group, the version.")


class VersioningOptions(
    Options, section="versioning", summary="Semantic versions, tags and version sources."
):
    scheme = Choice(
        "semver",
        ("semver", "pep440"),
        "How versions are spelled; pep440 lets Python sources write 1.2.0rc1.",
    )
    tag_format = Text(
        "v{version}",
        "Release tag format; must contain {version} once.",
        pattern=r"^[^{}]*\{version\}[^{}]*$",
    )
    initial = Text("0.1.0", "The first release's version when there is no tag.")
    zero_major_breaking = Choice(
        "minor",
        ("minor", "major"),
        "What a breaking change bumps while the major is 0 (SemVer item 4 allows minor).",
    )
    sources = Texts(
        [],
        "Version sources; empty finds them by convention (pyproject.toml, __version__, "
        "package.json, Chart.yaml, VERSION).",
        item=VersionSource.schema(),
    )
    required = Flag(False, "Fail when the repository has no version source, instead of skipping.")
    bump_branches = Texts(
        ["release", "hotfix", "main"],
        "Branch kinds whose version must exceed every release and cover the required bump; "
        "elsewhere the version must only not go backwards.",
        item={"type": "string", "enum": list(VERSION_BRANCH_KINDS)},
    )
    prerelease = Text(
        "rc",
        "Default pre-release label of `gate version next --pre` and `bump --pre`.",
        pattern=r"^[0-9A-Za-z-]+$",
    )
    api_check = Flag(True, "Compare the public Python API with the latest release (griffe).")
    api_packages = Texts([], "Python packages whose public API is checked; empty finds them.")


class ChangelogOptions(
    Options,
    section="changelog",
    summary="Changelog validation and generation, in the file's own format.",
):
    file = Text(
        "CHANGELOG.md",
        "The changelog file (CHANGELOG.md; CHANGES.md, CHANGELOG.rst… are found).",
    )
    format = Choice(
        AUTO,
        (AUTO, *FORMAT_NAMES),
        "The changelog's format; auto: from the release tooling and the file's look.",
    )
    required = Flag(False, "Fail when the changelog file is missing instead of skipping.")
    required_on = Texts(
        ["feature", "bugfix", "hotfix"], "Branch kinds whose changes need a changelog entry."
    )
    exempt_types = Texts(
        ["docs", "test", "ci", "chore", "style", "build"],
        "Commit types that need no changelog entry.",
    )
    exempt_paths = Texts(
        [], "Path globs whose changes need no entry (gitignore-style, anchored at the root)."
    )
    skip_trailer = Text("Changelog", "Trailer (`Changelog: skip`) that waives the entry.")
    breaking_first = Flag(
        True, "List breaking changes first in each category of generated entries."
    )
    prereleases = Choice(
        "fold",
        ("fold", "separate", "hide"),
        "Pre-release tags in generated changelogs: fold (a final release's section"
        " absorbs the pre-releases it contains), separate (a section each), hide.",
    )
    categories = Table(
        {
            "type": "string",
            "enum": ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"],
        },
        {
            "feat": "Added",
            "fix": "Fixed",
            "perf": "Changed",
            "refactor": "Changed",
            "revert": "Changed",
        },
        "Commit type to Keep a Changelog category.",
    )
