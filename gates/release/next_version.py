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
from gates.knowledge.history import ReleaseTag

if TYPE_CHECKING:
    from semver import Version

    from gates.adapters.git import Commit
    from gates.adapters.python_api import ApiBreak
    from gates.context import Context
    from gates.knowledge.history import Change
    from gates.release.history import History

MAX_REASONS = 5


Tag = ReleaseTag


@dataclass
class TagState:
    """The repository's release tags, highest SemVer first; the branch's own (its history's,
    plus the production branch's on develop); and the tags that are not releases."""

    releases: list[Tag]
    others: list[str]
    branch: list[Tag] = field(default_factory=list)
    floating: list[str] = field(default_factory=list)
    history: list[Tag] = field(default_factory=list)  # in HEAD's own history only

    @property
    def latest(self) -> Tag | None:
        """The highest version tag anywhere, pre-releases included."""
        return self.releases[0] if self.releases else None

    @property
    def latest_final(self) -> Tag | None:
        """The highest tag anywhere that is not a pre-release."""
        return next((t for t in self.releases if not t.prerelease), None)  # highest first

    @property
    def branch_latest(self) -> Tag | None:
        """The highest release tag merged into the branch: its latest release."""
        return self.branch[0] if self.branch else None

    @property
    def branch_final(self) -> Tag | None:
        return next((t for t in self.branch if not t.prerelease), None)  # highest first

    def notes(self) -> list[str]:
        """What a reader of the version should know: tags that are not releases, and
        releases that are not this branch's."""
        from gates.knowledge.history import TagSet

        notes = []
        ignored = TagSet(self.releases, self.floating, self.others).note()
        if ignored:
            notes.append(ignored)
        elsewhere = [t for t in self.releases if t not in self.branch]
        if elsewhere:
            notes.append(
                f"{len(elsewhere)} release tag(s) are not in this branch's history (highest:"
                f" {elsewhere[0].name}); they do not count as its latest release"
            )
        return notes

    def versions(self) -> list[Version]:
        return [t.version for t in self.releases]


@dataclass
class NextVersion:
    latest_tag: str | None
    latest: str | None
    next: str | None  # None: HEAD is a release already (released_at_head)
    bump: str | None
    reasons: list[str] = field(default_factory=list)
    release_tag: str | None = None
    release: str | None = None
    commits: int = 0
    api_breaks: list[ApiBreak] = field(default_factory=list)
    released_at_head: str | None = None
    notes: list[str] = field(default_factory=list)

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
            "released_at_head": self.released_at_head,
            "notes": self.notes,
        }


def tag_state(ctx: Context, section: dict[str, Any]) -> TagState:
    """Every release tag, and the branch's: those merged into HEAD or, on develop and the
    branches that merge into it, into the production branch (the history model's rule)."""
    from gates.adapters.workspaces import scope, tag_format
    from gates.knowledge.history import classify_tags
    from gates.knowledge.semver import VersionError
    from gates.release.history import production_heads, sibling_tags_left_out

    try:
        tags = classify_tags(ctx.git.tags(), tag_format(ctx), section.get("scheme") or "semver")
    except VersionError as exc:
        raise GateError(f"versioning.tag_format: {exc}", hint="write it like v{version}") from None
    if scope(ctx) is not None:
        tags = sibling_tags_left_out(ctx, tags)
    own = ctx.git.tags_merged([ctx.head])
    merged = own | ctx.git.tags_merged(production_heads(ctx))
    branch = [tag for tag in tags.releases if tag.name in merged]
    history = [tag for tag in tags.releases if tag.name in own]
    return TagState(tags.releases, tags.others, branch, tags.floating, history)


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


def pending(history: History) -> list[tuple[Commit, Change | None]]:
    """The commits no release of the branch holds, with what each one changes (a merge by
    its pull request's title only when that request's commits say nothing; a revert and
    what it reverts cancel out), newest first. Needs a history read with keep=True."""
    section = history.unreleased
    changes = {change.sha: change for change in section.changes}
    return [(commit, changes.get(commit.sha)) for commit in history.commits_of(section)]


def release_as(parsed: list[tuple[Commit, Any]]) -> tuple[str, Commit] | None:
    """The newest `Release-As:` footer (a git trailer of the commit's last paragraph)."""
    from gates.knowledge.conventional import trailers
    from gates.knowledge.semver import RELEASE_AS

    wanted = RELEASE_AS.casefold()
    for commit, _change in parsed:
        value = next(
            (v for t, v in trailers(commit.message) if t.replace(" ", "-").casefold() == wanted),
            None,
        )
        if value:
            return value.strip(), commit
    return None


def commit_reasons(parsed: list[tuple[Commit, Any]], breaking: str) -> tuple[str | None, list[str]]:
    """The bump the commits require and the commits that require it."""
    from gates.knowledge.semver import commit_bump, max_bump

    bumps = [
        (commit, change, commit_bump(change, breaking))  # type: ignore[arg-type]
        for commit, change in parsed
        if change
    ]
    required = max_bump(b for _, _, b in bumps)
    deciding = [(commit, change) for commit, change, b in bumps if b == required and b is not None]
    reasons = []
    for commit, change in deciding[:MAX_REASONS]:
        what = "breaking change" if change.breaking else change.type
        reasons.append(f"{what} in {commit.short} ({_subject(commit, change)}) requires {required}")
    if len(deciding) > MAX_REASONS:
        reasons.append(f"and {len(deciding) - MAX_REASONS} more commits that require {required}")
    return required, reasons


def _subject(commit: Commit, change: Change, width: int = 60) -> str:
    """The subject (a merge's: its pull request's title), shortened at a word boundary."""
    subject = commit.subject.strip()
    if commit.is_merge:
        scope = f"({change.scope})" if change.scope else ""
        subject = f"{change.type}{scope}: {change.description}"
    if len(subject) <= width:
        return subject
    cut = subject[: width - 1].rsplit(" ", 1)[0] if " " in subject[:width] else subject[: width - 1]
    return cut + "…"


def api_evidence(ctx: Context, section: dict[str, Any], tag: Tag) -> list[ApiBreak]:
    """Public API breaks of the Python packages between a release tag and the working tree."""
    from gates.adapters.python_api import api_breaks, find_packages

    packages = find_packages(ctx.root, list(section.get("api_packages") or []))
    if not packages:
        return []
    return api_breaks(ctx.git, tag.sha, ctx.root, packages)


def next_version(ctx: Context, *, pre: str | None = None, api: bool | None = None) -> NextVersion:
    """What the next release of this branch is, and why. `pre` asks for the next pre-release.

    The latest release is the highest release tag merged into the branch (on develop, into
    the production branch too); the commits that decide are those no final release of the
    branch holds (the history model's unreleased commits)."""
    from gates.knowledge.semver import BUMP_RANK, breaking_bump, bump_between
    from gates.release.history import history_for

    section = ctx.policy.section("versioning")
    state = tag_state(ctx, section)
    latest, final = state.branch_latest, state.branch_final
    since = final or latest
    if ctx.git.is_shallow() and (since is None or not ctx.git.is_ancestor(since.sha, "HEAD")):
        # the history is cut before the last release (or before any tag): a partial answer
        raise GateError(
            "a shallow clone whose history does not reach the last release tag: the next version"
            " cannot be computed from part of the history",
            hint="git fetch --unshallow --tags (in CI: fetch-depth: 0 in actions/checkout)",
        )
    at_head = [t for t in state.branch if t.sha == ctx.head and not t.prerelease]
    if at_head and branch_version(ctx, section) is None:
        done = _already_released(at_head[0], latest, final)
        done.notes = state.notes()
        return done
    parsed = pending(history_for(ctx, prereleases="hide", keep=True))
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
    result, required, reasons = _decide(
        ctx, section, state, parsed, required=required, reasons=reasons, pre=pre
    )
    if any(t.version == result for t in state.releases if t not in state.branch):
        reasons.append(f"{result} is already tagged outside this branch's history")
    return NextVersion(
        latest_tag=latest.name if latest else None,
        latest=str(latest.version) if latest else None,
        next=str(result),
        bump=bump_between(final.version, result) if final is not None else None,
        reasons=reasons,
        release_tag=final.name if final else None,
        release=str(final.version) if final else None,
        commits=len(parsed),
        api_breaks=breaks,
        notes=state.notes(),
    )


def _already_released(tag: Tag, latest: Tag | None, final: Tag | None) -> NextVersion:
    return NextVersion(
        latest_tag=latest.name if latest else None,
        latest=str(latest.version) if latest else None,
        next=None,
        bump=None,
        reasons=[f"HEAD is the release {tag.name}: nothing to propose until a commit follows it"],
        release_tag=final.name if final else None,
        release=str(final.version) if final else None,
        released_at_head=tag.name,
    )


def _decide(
    ctx: Context,
    section: dict[str, Any],
    state: TagState,
    parsed: list[tuple[Commit, Any]],
    *,
    required: str | None,
    reasons: list[str],
    pre: str | None,
) -> tuple[Version, str | None, list[str]]:
    """The version, by precedence: Release-As, the release branch's name, the first release,
    then the latest release bumped by what the commits require."""
    from gates.knowledge.semver import VersionError, bump, next_in_series, to_version

    scheme = section.get("scheme") or "semver"
    latest, final = state.branch_latest, state.branch_final

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
        since = final or latest
        if required is None and result == since.version:
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
    return result, required, reasons


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
