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
from gates.knowledge.bump_requirement import MAX_REASONS, Requirement, commit_reasons, release_as
from gates.knowledge.history import ReleaseTag
from gates.knowledge.release_tags import TagState
from gates.policy.sections import BranchesOptions, VersioningOptions

if TYPE_CHECKING:
    from collections.abc import Callable

    from semver import Version

    from gates.adapters.git import Commit
    from gates.adapters.python_api import ApiBreak
    from gates.context import Context
    from gates.knowledge.bump_requirement import Evidence, ReleaseAs
    from gates.knowledge.history import Change
    from gates.release.history import History

    Series = Callable[[Version], Version]  # a target, continued as a pre-release series

# the pure pieces moved down to knowledge/; importable from here as before
__all__ = [
    "MAX_REASONS",
    "NextVersion",
    "Requirement",
    "Tag",
    "TagState",
    "api_evidence",
    "branch_version",
    "commit_reasons",
    "next_version",
    "pending",
    "release_as",
    "required_bump",
    "tag_state",
    "with_api_evidence",
]

Tag = ReleaseTag


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
    api_breaks: list[Evidence] = field(default_factory=list)
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


def tag_state(ctx: Context, versioning: VersioningOptions) -> TagState:
    """Every release tag, and the branch's: those merged into HEAD or, on develop and the
    branches that merge into it, into the production branch (the history model's rule)."""
    from gates.adapters.workspaces import scope, tag_format
    from gates.knowledge.history import classify_tags
    from gates.knowledge.semver import VersionError
    from gates.release.history import production_heads, sibling_tags_left_out

    try:
        tags = classify_tags(ctx.git.tags(), tag_format(ctx), versioning.scheme)
    except VersionError as exc:
        raise GateError(f"versioning.tag_format: {exc}", hint="write it like v{version}") from None
    if scope(ctx) is not None:
        tags = sibling_tags_left_out(ctx, tags)
    own = ctx.git.tags_merged([ctx.head])
    merged = own | ctx.git.tags_merged(production_heads(ctx))
    branch = [tag for tag in tags.releases if tag.name in merged]
    history = [tag for tag in tags.releases if tag.name in own]
    return TagState(tags.releases, tags.others, branch, tags.floating, history)


def branch_version(
    ctx: Context, versioning: VersioningOptions
) -> tuple[str, str, Version | None] | None:
    """On a release/ or hotfix/ branch: (kind, the text after the prefix, the version it names)."""
    from gates.knowledge.gitflow import classify
    from gates.knowledge.semver import parse_version

    branches = BranchesOptions.from_policy(ctx.policy)
    kind, rest = classify(ctx.branch, branches.to_dict())
    if kind not in ("release", "hotfix"):
        return None
    text = rest[1:] if branches.version_prefix and rest[:1] in ("v", "V") else rest
    return kind, rest, parse_version(text, versioning.scheme)


def pending(history: History) -> list[tuple[Commit, Change | None]]:
    """The commits no release of the branch holds, with what each one changes (a merge by
    its pull request's title only when that request's commits say nothing; a revert and
    what it reverts cancel out), newest first. Needs a history read with keep=True."""
    section = history.unreleased
    changes = {change.sha: change for change in section.changes}
    return [(commit, changes.get(commit.sha)) for commit in history.commits_of(section)]


def api_evidence(ctx: Context, versioning: VersioningOptions, tag: Tag) -> list[ApiBreak]:
    """Public API breaks of the Python packages between a release tag and the working tree."""
    from gates.adapters.python_api import api_breaks, find_packages

    packages = find_packages(ctx.root, list(versioning.api_packages))
    if not packages:
        return []
    return api_breaks(ctx.git, tag.sha, ctx.root, packages)


def required_bump(
    ctx: Context, versioning: VersioningOptions, state: TagState, *, api: bool
) -> Requirement:
    """What the branch's next release requires since its latest final release, and why: the
    one answer `gate version next` and the version gate share. With `api`, the public API's
    breaks (griffe) are evidence too."""
    from gates.knowledge.bump_requirement import requirement
    from gates.release.history import history_for

    found = requirement(
        pending(history_for(ctx, prereleases="hide", keep=True)),
        state.branch_final,
        versioning.zero_major_breaking,
        versioning.scheme,
    )
    return with_api_evidence(ctx, versioning, found) if api else found


def with_api_evidence(
    ctx: Context, versioning: VersioningOptions, found: Requirement
) -> Requirement:
    """The requirement, with the public API's breaks since its release as evidence."""
    if found.since is None:
        return found
    return found.with_api_breaks(api_evidence(ctx, versioning, found.since))


def next_version(ctx: Context, *, pre: str | None = None, api: bool | None = None) -> NextVersion:
    """What the next release of this branch is, and why. `pre` asks for the next pre-release.

    The latest release is the highest release tag merged into the branch (on develop, into
    the production branch too); the commits that decide are those no final release of the
    branch holds (the history model's unreleased commits)."""
    from gates.knowledge.semver import bump_between

    section = VersioningOptions.from_policy(ctx.policy)
    state = tag_state(ctx, section)
    latest, final = state.branch_latest, state.branch_final
    _refuse_partial_history(ctx, final or latest)
    at_head = [t for t in state.branch if t.sha == ctx.head and not t.prerelease]
    if at_head and branch_version(ctx, section) is None:
        return _already_released(at_head[0], state)
    use_api = section.api_check if api is None else api
    required = required_bump(ctx, section, state, api=use_api)
    result, reasons = _decide(ctx, section, state, required, pre=pre)
    if any(t.version == result for t in state.releases if t not in state.branch):
        reasons.append(f"{result} is already tagged outside this branch's history")
    return NextVersion(
        **_tag_fields(latest, final),
        next=str(result),
        bump=bump_between(final.version, result) if final is not None else None,
        reasons=reasons,
        commits=required.commits,
        api_breaks=list(required.api_breaks),
        notes=state.notes(),
    )


def _refuse_partial_history(ctx: Context, since: Tag | None) -> None:
    """A shallow clone whose history is cut before the last release (or before any tag)
    would give a partial answer."""
    if ctx.git.is_shallow() and (since is None or not ctx.git.is_ancestor(since.sha, "HEAD")):
        raise GateError(
            "a shallow clone whose history does not reach the last release tag: the next version"
            " cannot be computed from part of the history",
            hint="git fetch --unshallow --tags (in CI: fetch-depth: 0 in actions/checkout)",
        )


def _tag_fields(latest: Tag | None, final: Tag | None) -> dict[str, Any]:
    """NextVersion's fields that name the latest tag and the latest final release."""
    return {
        "latest_tag": latest.name if latest else None,
        "latest": str(latest.version) if latest else None,
        "release_tag": final.name if final else None,
        "release": str(final.version) if final else None,
    }


def _already_released(tag: Tag, state: TagState) -> NextVersion:
    return NextVersion(
        **_tag_fields(state.branch_latest, state.branch_final),
        next=None,
        bump=None,
        reasons=[f"HEAD is the release {tag.name}: nothing to propose until a commit follows it"],
        released_at_head=tag.name,
        notes=state.notes(),
    )


def _decide(
    ctx: Context,
    section: VersioningOptions,
    state: TagState,
    required: Requirement,
    *,
    pre: str | None,
) -> tuple[Version, list[str]]:
    """The version, by precedence: Release-As, the release branch's name, the first release,
    then the latest release bumped by what the commits require."""
    from gates.knowledge.semver import VersionError, next_in_series

    latest, final = state.branch_latest, state.branch_final

    def series(target: Version) -> Version:
        try:
            return next_in_series(target, state.versions(), pre) if pre else target
        except VersionError as exc:
            raise GateError(str(exc)) from None

    forced = required.forced
    on_branch = branch_version(ctx, section)
    if forced is not None:
        result = series(_forced_version(forced))
        reasons = [f"Release-As: {forced.text} in commit {forced.commit.short} sets the version"]
    elif on_branch is not None and on_branch[2] is not None:
        kind, rest, target = on_branch
        result = series(target)
        reasons = [f"the {kind} branch names the version {rest}", *required.reasons]
    elif latest is None:
        result, reasons = _first_release(section, series)
    else:
        result, reasons = _bumped_release(latest, final, required, series)
    if on_branch is not None and on_branch[2] is None:
        reasons.append(
            f"the branch suffix '{on_branch[1]}' is not a version, so the commits decide"
        )
    if latest is not None and result <= latest.version and result != (final or latest).version:
        reasons.append(f"{result} is not greater than the latest tag {latest.name}")
    return result, reasons


def _forced_version(forced: ReleaseAs) -> Version:
    if forced.version is None:
        raise GateError(
            f"Release-As: {forced.text} in commit {forced.commit.short} is not a version:"
            f" {forced.error}",
            hint="write Release-As: X.Y.Z",
        )
    return forced.version


def _first_release(section: VersioningOptions, series: Series) -> tuple[Version, list[str]]:
    from gates.knowledge.semver import VersionError, to_version

    try:
        initial = to_version(section.initial, section.scheme)
    except VersionError as exc:
        raise GateError(f"versioning.initial is not a version: {exc}") from None
    return series(initial), [
        f"no release tag yet: the first release is versioning.initial ({initial})"
    ]


def _bumped_release(
    latest: Tag, final: Tag | None, required: Requirement, series: Series
) -> tuple[Version, list[str]]:
    result = _from_tags(latest, final, required.bump, series)
    since = final or latest
    if required.bump is None and result == since.version:
        return result, [
            f"no commit since {since.name} requires a release (no feat, fix, perf or breaking"
            " change)"
        ]
    return result, required.reasons


def _from_tags(latest: Tag, final: Tag | None, required: str | None, series: Series) -> Version:
    from gates.knowledge.semver import bump

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
