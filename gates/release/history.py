"""The history model every release command shares: one streamed `git log`, the release tags
of the branch, and what each release ships (see gates/knowledge/history.py for the rules).

`gate changelog`, `gate version next|show`, `gate release`, `gate metrics` and the
`version` and `changelog` gates all read releases through `read_history`, so they cannot
disagree about what is released.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, NamedTuple

from gates.errors import GateError
from gates.knowledge.history import (
    Ancestry,
    Change,
    ReleaseTag,
    TagSet,
    classify_tags,
    merge_title,
    one_per_commit,
    read_message,
    section_changes,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gates.adapters.git import Commit, GitRepo
    from gates.context import Context

# Branch kinds whose releases are tagged on the production branch, not in their own history.
BELOW_PRODUCTION = ("develop", "feature", "bugfix")


class Section(NamedTuple):
    """One release (tag None: the unreleased part) and the changes it ships, newest first."""

    tag: ReleaseTag | None
    date: str | None
    changes: list[Change]
    previous: ReleaseTag | None
    commits: list[str]


class History(NamedTuple):
    tags: TagSet
    branch_releases: list[ReleaseTag]  # the release tags of the branch, highest first
    sections: list[Section]  # the unreleased part first, then releases, highest first
    head: str
    kept: dict[str, Commit]  # the commits read, when asked for (keep=True)

    @property
    def latest(self) -> ReleaseTag | None:
        """The highest release tag merged into the branch, pre-releases included."""
        return self.branch_releases[0] if self.branch_releases else None

    @property
    def latest_final(self) -> ReleaseTag | None:
        return next((t for t in self.branch_releases if not t.prerelease), None)

    @property
    def unreleased(self) -> Section:
        return self.sections[0]

    def released(self) -> list[Section]:
        return self.sections[1:]

    def at_head(self) -> list[ReleaseTag]:
        """The release tags on the head commit itself, highest first."""
        return [t for t in self.branch_releases if t.sha == self.head]

    def only(self, shas: set[str]) -> History:
        """The same releases with only the commits in `shas` (a component's)."""
        sections = [
            section._replace(
                changes=[c for c in section.changes if c.sha in shas],
                commits=[sha for sha in section.commits if sha in shas],
            )
            for section in self.sections
        ]
        return self._replace(sections=sections)

    def commits_of(self, section: Section) -> list[Commit]:
        """The commits of a section, newest first (needs keep=True)."""
        return [self.kept[sha] for sha in section.commits if sha in self.kept]


def read_history(
    git: GitRepo,
    *,
    tag_format: str,
    scheme: str = "semver",
    head: str = "HEAD",
    also: Sequence[str] = (),
    since: str | None = None,
    prereleases: str = "fold",
    release_commit: str | None = None,
    keep: bool = False,
) -> History:
    """Releases and their changes as seen from `head`.

    `also`: other heads whose release tags count for this branch (the production branch,
    seen from develop). `since`: leave out everything in that revision's history (--from).
    `prereleases`: fold (a final's section absorbs the pre-releases it contains), separate,
    or hide (pre-release tags are not sections). `keep`: keep the Commit records."""
    from gates.adapters.git import GRAPH_FORMAT
    from gates.knowledge.patterns import compile_pattern
    from gates.knowledge.semver import VersionError

    try:
        tags = classify_tags(git.tags(), tag_format, scheme)
    except VersionError as exc:
        raise GateError(f"versioning.tag_format: {exc}", hint="write it like v{version}") from None
    head_sha = git.resolve(head)
    heads = [head_sha, *(git.resolve(ref) for ref in also)]
    args = ["log", f"--format={GRAPH_FORMAT}", "--no-color", *dict.fromkeys(heads)]
    if since:
        args.append("^" + git.resolve(since))
    skip = compile_pattern(release_commit, key="commits.release_commit") if release_commit else None
    graph = _read_graph(git, args, {tag.sha for tag in tags.releases}, skip, keep=keep)
    order, parents, read, dates, kept = graph
    branch = [tag for tag in tags.releases if tag.sha in parents]
    chosen = [t for t in branch if not t.prerelease] if prereleases == "hide" else branch
    ancestry = Ancestry(order, parents, [t.sha for t in branch])
    chosen = _fold(chosen, branch, prereleases, ancestry)
    by_sha = one_per_commit(chosen)
    ranges = ancestry.ranges(by_sha)
    ordered = list(by_sha.values())  # highest first
    sections = []
    for position, tag in enumerate(ordered):
        sha = tag.sha
        previous = next((t for t in ordered[position + 1 :] if ancestry.contains(sha, t.sha)), None)
        commits = ranges.get(sha, [])
        changes = section_changes(sha, commits, parents, read.get, read.get)
        sections.append(Section(tag, _day(dates.get(sha)), changes, previous, commits))
    commits = ancestry.unreleased(head_sha)
    changes = section_changes(head_sha, commits, parents, read.get, read.get)
    top = Section(None, None, changes, ordered[0] if ordered else None, commits)
    return History(tags, branch, [top, *sections], head_sha, kept)


class _Graph(NamedTuple):
    order: list[str]
    parents: dict[str, tuple[str, ...]]
    read: dict[str, Change | None]
    dates: dict[str, int]
    kept: dict[str, Commit]


def _read_graph(
    git: GitRepo, args: list[str], tag_shas: set[str], skip: re.Pattern[str] | None, *, keep: bool
) -> _Graph:
    """One streamed `git log`: the graph, each commit read as a change (a merge by its
    title), the dates of the release commits, and the commits themselves when kept."""
    from gates.adapters.git import Commit, parse_graph

    graph = _Graph([], {}, {}, {}, {})
    order, parents, read, dates, kept = graph
    for sha, ancestors, committed, message in git.stream_log(args, parse_graph):
        order.append(sha)
        parents[sha] = ancestors
        if sha in tag_shas:
            dates[sha] = committed
        if keep:  # what the release commands read of a commit; authors are not among it
            kept[sha] = Commit(sha, ancestors, "", "", committed, committed, message)
        if skip is not None and skip.search(message.partition("\n")[0]):
            read[sha] = None
        elif len(ancestors) > 1:
            read[sha] = merge_title(sha, message)
        else:
            read[sha] = read_message(sha, message)
    return graph


def _fold(
    chosen: list[ReleaseTag], branch: list[ReleaseTag], prereleases: str, ancestry: Ancestry
) -> list[ReleaseTag]:
    """In fold mode, a pre-release that a higher final release contains is part of it.
    Both lists are highest first, so the finals above a tag are those before it."""
    if prereleases != "fold":
        return chosen
    wanted = {tag.name for tag in chosen}
    kept = []
    finals: list[ReleaseTag] = []
    for tag in branch:
        if not tag.prerelease:
            finals.append(tag)
        elif any(ancestry.contains(final.sha, tag.sha) for final in finals):
            continue
        if tag.name in wanted:
            kept.append(tag)
    return kept


def _day(timestamp: int | None) -> str | None:
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).date().isoformat()


def production_heads(ctx: Context) -> list[str]:
    """The production branch, when the branch's releases are tagged there (git-flow's develop
    and the branches that merge into it); empty otherwise."""
    from gates.knowledge.gitflow import classify

    branches = ctx.policy.section("branches")
    kind, _ = classify(ctx.branch, branches)
    main = branches.get("main") or "main"
    if kind not in BELOW_PRODUCTION:
        return []
    ref = ctx.git.branch_ref(main)
    return [ref] if ref else []


def history_for(
    ctx: Context,
    *,
    head: str | None = None,
    since: str | None = None,
    prereleases: str | None = None,
    keep: bool = False,
) -> History:
    """The history model with the policy's tag format, scheme and pre-release mode; with
    `--component NAME`, that component's tags and the commits that change its files."""
    from gates.adapters.workspaces import scope, tag_format
    from gates.policy.sections import ChangelogOptions, CommitsOptions, VersioningOptions

    versioning = VersioningOptions.from_policy(ctx.policy)
    changelog = ChangelogOptions.from_policy(ctx.policy)
    component = scope(ctx)
    history = read_history(
        ctx.git,
        tag_format=component.tag if component else tag_format(ctx),
        scheme=versioning.scheme,
        head=head or ctx.head,
        also=production_heads(ctx) if head is None else (),
        since=since,
        prereleases=prereleases or changelog.prereleases,
        release_commit=CommitsOptions.from_policy(ctx.policy).release_commit,
        keep=keep,
    )
    if component is None:
        return history
    mine = ctx.git.commits_touching(list(component.paths), [history.head])
    if component.scopes:  # a commit whose scope names the component counts for it too
        wanted = set(component.scopes)
        mine |= {
            change.sha
            for section in history.sections
            for change in section.changes
            if change.scope in wanted
        }
    narrowed = history.only(mine)
    return narrowed._replace(tags=sibling_tags_left_out(ctx, narrowed.tags))


def sibling_tags_left_out(ctx: Context, tags: TagSet) -> TagSet:
    """Under --component, the other components' tags are theirs, not tags to note."""
    from gates.adapters.workspaces import components

    prefixes = tuple(c.tag.partition("{version}")[0] for c in components(ctx))
    return tags._replace(others=[t for t in tags.others if not t.startswith(prefixes)])
