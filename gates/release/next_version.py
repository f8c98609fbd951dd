"""The next version: from the release tags, the Conventional Commits since the latest
release, the public API (griffe), a `Release-As:` footer, or the release/hotfix branch's name.

Order of precedence: a `Release-As: X.Y.Z` footer (release-please's convention)
forces the version; on `release/X` or `hotfix/X` the branch names it; with no
release tag the policy's initial version is the first release; otherwise the
latest final release is bumped by what the commits (and API breaks) require.
A pre-release series continues (`rc.1` → `rc.2`) when a pre-release label is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gates.errors import GateError

if TYPE_CHECKING:
    from semver import Version

    from gates.adapters.git import Commit
    from gates.adapters.python_api import ApiBreak
    from gates.context import Context

MAX_REASONS = 5


@dataclass(frozen=True)
class Tag:
    name: str
    sha: str
    version: Version


@dataclass
class TagState:
    """The repository's release tags, highest SemVer first, and the tags that are not versions."""

    releases: list[Tag]
    others: list[str]

    @property
    def latest(self) -> Tag | None:
        """The highest version tag, pre-releases included."""
        return self.releases[0] if self.releases else None

    @property
    def latest_final(self) -> Tag | None:
        """The highest tag that is not a pre-release."""
        return next((t for t in self.releases if t.version.prerelease is None), None)

    def versions(self) -> list[Version]:
        return [t.version for t in self.releases]


@dataclass
class NextVersion:
    latest_tag: str | None
    latest: str | None
    next: str
    bump: str | None
    reasons: list[str] = field(default_factory=list)
    release_tag: str | None = None
    release: str | None = None
    commits: int = 0
    api_breaks: list[ApiBreak] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "latest_tag": self.latest_tag,
            "latest": self.latest,
            "latest_release_tag": self.release_tag,
            "latest_release": self.release,
            "next": self.next,
            "bump": self.bump,
            "commits": self.commits,
            "reasons": self.reasons,
            "api_breaks": [b.describe() for b in self.api_breaks],
        }


def tag_state(ctx: Context, section: dict[str, Any]) -> TagState:
    from gates.knowledge.semver import VersionError, version_tags

    try:
        releases, others = version_tags(
            ctx.git.tags(), _tag_format(section), section.get("scheme") or "semver"
        )
    except VersionError as exc:
        raise GateError(f"versioning.tag_format: {exc}", hint="write it like v{version}") from None
    return TagState([Tag(*item) for item in releases], others)


def _tag_format(section: dict[str, Any]) -> str:
    return section.get("tag_format") or "v{version}"


def branch_version(ctx: Context, section: dict[str, Any]) -> tuple[str, str, Version | None] | None:
    """On a release/ or hotfix/ branch: (kind, the text after the prefix, the version it names)."""
    from gates.knowledge.gitflow import classify
    from gates.knowledge.semver import parse_version

    branches = ctx.policy.section("branches")
    kind, rest = classify(ctx.branch, branches)
    if kind not in ("release", "hotfix"):
        return None
    text = rest[1:] if branches.get("version_prefix") and rest[:1] in ("v", "V") else rest
    return kind, rest, parse_version(text, section.get("scheme") or "semver")


def conventional_commits(commits: list[Commit]) -> list[tuple[Commit, Any]]:
    """(commit, ConventionalCommit or None) for each commit, newest first."""
    from gates.knowledge.conventional import try_parse

    return [(commit, try_parse(commit.message)) for commit in commits]


def release_as(parsed: list[tuple[Commit, Any]]) -> tuple[str, Commit] | None:
    """The newest `Release-As:` footer (or git trailer of a non-conventional message)."""
    from gates.knowledge.conventional import trailers
    from gates.knowledge.semver import RELEASE_AS

    for commit, conventional in parsed:
        if conventional is not None:
            value = conventional.footer(RELEASE_AS)
        else:
            value = next(
                (v for t, v in trailers(commit.message) if t.casefold() == RELEASE_AS.casefold()),
                None,
            )
        if value:
            return value.strip(), commit
    return None


def commit_reasons(parsed: list[tuple[Commit, Any]], breaking: str) -> tuple[str | None, list[str]]:
    """The bump the commits require and the commits that require it."""
    from gates.knowledge.semver import commit_bump, max_bump

    bumps = [
        (commit, conventional, commit_bump(conventional, breaking))
        for commit, conventional in parsed
        if conventional
    ]  # type: ignore[arg-type]
    required = max_bump(b for _, _, b in bumps)
    deciding = [
        (commit, conventional)
        for commit, conventional, b in bumps
        if b == required and b is not None
    ]
    reasons = []
    for commit, conventional in deciding[:MAX_REASONS]:
        what = "breaking change" if conventional.breaking else conventional.type
        reasons.append(f"{what} in {commit.short} ({commit.subject[:60]}) requires {required}")
    if len(deciding) > MAX_REASONS:
        reasons.append(f"and {len(deciding) - MAX_REASONS} more commits that require {required}")
    return required, reasons


def api_evidence(ctx: Context, section: dict[str, Any], tag: Tag) -> list[ApiBreak]:
    """Public API breaks of the Python packages between a release tag and the working tree."""
    from gates.adapters.python_api import api_breaks, find_packages

    packages = find_packages(ctx.root, list(section.get("api_packages") or []))
    if not packages:
        return []
    return api_breaks(ctx.git, tag.sha, ctx.root, packages)


def next_version(ctx: Context, *, pre: str | None = None, api: bool | None = None) -> NextVersion:
    """What the next release is, and why. `pre` asks for the next pre-release (`rc`)."""
    from gates.knowledge.semver import (
        BUMP_RANK,
        VersionError,
        breaking_bump,
        bump,
        bump_between,
        next_in_series,
        to_version,
    )

    section = ctx.policy.section("versioning")
    scheme = section.get("scheme") or "semver"
    state = tag_state(ctx, section)
    latest, final = state.latest, state.latest_final
    since = final or latest
    if ctx.git.is_shallow() and (since is None or not ctx.git.is_ancestor(since.sha, "HEAD")):
        # the history is cut before the last release (or before any tag): a partial answer
        raise GateError(
            "a shallow clone whose history does not reach the last release tag: the next version"
            " cannot be computed from part of the history",
            hint="git fetch --unshallow --tags (in CI: fetch-depth: 0 in actions/checkout)",
        )
    commits = list(ctx.git.commits(since.sha if since else None, ctx.head))
    parsed = conventional_commits(commits)
    breaking = breaking_bump(
        final.version if final else None, section.get("zero_major_breaking") or "minor"
    )
    required, reasons = commit_reasons(parsed, breaking)
    breaks: list[ApiBreak] = []
    if (section.get("api_check", True) if api is None else api) and final is not None:
        breaks = api_evidence(ctx, section, final)
        if breaks and BUMP_RANK[breaking] > BUMP_RANK[required]:
            required = breaking
            more = f" (and {len(breaks) - 1} more)" if len(breaks) > 1 else ""
            reasons.insert(
                0,
                f"the public API changed incompatibly since {final.name}: "
                f"{breaks[0].describe()}{more}",
            )

    def series(target: Version) -> Version:
        try:
            return next_in_series(target, state.versions(), pre) if pre else target
        except VersionError as exc:
            raise GateError(str(exc)) from None

    forced = release_as(parsed)
    on_branch = branch_version(ctx, section)
    if forced is not None:
        result = series(_forced_version(*forced, scheme))
        reasons = [f"Release-As: {forced[0]} in commit {forced[1].short} sets the version"]
    elif on_branch is not None and on_branch[2] is not None:
        kind, rest, target = on_branch
        result = series(target)
        reasons = [f"the {kind} branch names the version {rest}", *reasons]
    elif latest is None:
        try:
            initial = to_version(str(section.get("initial") or "0.1.0"), scheme)
        except VersionError as exc:
            raise GateError(f"versioning.initial is not a version: {exc}") from None
        result = series(initial)
        reasons = [f"no release tag yet: the first release is versioning.initial ({initial})"]
        required = None
    else:
        result = _from_tags(latest, final, required, series, bump)
        if required is None and result == (final or latest).version:
            reasons = [
                f"no commit since {since.name} requires a release (no feat, fix, perf or breaking"
                " change)"
            ]
    if on_branch is not None and on_branch[2] is None:
        reasons.append(
            f"the branch suffix '{on_branch[1]}' is not a version, so the commits decide"
        )
    if latest is not None and result <= latest.version and result != (final or latest).version:
        reasons.append(f"{result} is not greater than the latest tag {latest.name}")
    part = bump_between(final.version, result) if final is not None else None
    return NextVersion(
        latest_tag=latest.name if latest else None,
        latest=str(latest.version) if latest else None,
        next=str(result),
        bump=part,
        reasons=reasons,
        release_tag=final.name if final else None,
        release=str(final.version) if final else None,
        commits=len(commits),
        api_breaks=breaks,
    )


def _forced_version(text: str, commit: Commit, scheme: str) -> Version:
    from gates.knowledge.semver import VersionError, to_version

    try:
        return to_version(text, scheme)
    except VersionError as exc:
        raise GateError(
            f"Release-As: {text} in commit {commit.short} is not a version: {exc}",
            hint="write Release-As: X.Y.Z",
        ) from None


def _from_tags(
    latest: Tag, final: Tag | None, required: str | None, series: Any, bump: Any
) -> Version:
    pending = latest.version.prerelease is not None and (
        final is None or latest.version > final.version
    )
    pending_core = latest.version.replace(prerelease=None, build=None)
    if final is None:
        return series(pending_core)
    if required is None:
        return series(pending_core) if pending else final.version
    candidate = bump(final.version, required)
    if pending and pending_core >= candidate:
        return series(pending_core)
    return series(candidate)
