"""Releases on a commit graph: which release tags count, and which commits each one ships.

Pure: the git adapter reads the graph (commit → parents) and the tags; this module
decides. The rules every command shares (DESIGN.md, "History model"):

- a commit belongs to release T when it is in `P..T` for the release tags P in T's own
  history, and is unreleased when no release tag of the branch contains it;
- tags outside the tag format, and floating tags (`v10`, `v10.6`, moved on every
  release), are not releases;
- history is read leniently: what happened, happened (see `read_message`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from semver import Version

PRERELEASE_MODES = ("fold", "separate", "hide")


# --- tags -----------------------------------------------------------------------------------


class ReleaseTag(NamedTuple):
    name: str
    sha: str
    version: Version

    @property
    def prerelease(self) -> bool:
        return self.version.prerelease is not None


class TagSet(NamedTuple):
    """A repository's tags, sorted out: releases (highest first), floating and other tags."""

    releases: list[ReleaseTag]
    floating: list[str]
    others: list[str]

    def note(self) -> str | None:
        """One line about the tags that are not releases, or None when every tag is one."""
        parts = []
        if self.floating:
            parts.append(f"{len(self.floating)} floating tag(s) ({_listed(self.floating)})")
        if self.others:
            parts.append(
                f"{len(self.others)} tag(s) outside the tag format ({_listed(self.others)})"
            )
        if not parts:
            return None
        return "ignored " + " and ".join(parts) + ": they are not releases"


def _listed(names: Sequence[str], most: int = 3) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def floating_pattern(tag_format: str) -> re.Pattern[str]:
    """Tags shaped like a major or major.minor line under the format (`v10`, `v10.6`)."""
    prefix, _, suffix = tag_format.partition("{version}")
    return re.compile(re.escape(prefix) + r"(\d+(?:\.\d+)?)" + re.escape(suffix) + r"\Z")


def classify_tags(
    tags: Iterable[tuple[str, str]], tag_format: str, scheme: str = "semver"
) -> TagSet:
    """Release tags highest first (ties by name), floating tags, and the others, by name.

    A floating tag names a line (`v10`, `v10.6`) and stands on the commit of a release of
    that line, where a release process moves it; a line-shaped tag anywhere else (an old
    `0.2` release) is simply outside the tag format."""
    from gates.knowledge.semver import tag_version

    shaped = floating_pattern(tag_format)
    releases: list[ReleaseTag] = []
    candidates: list[tuple[str, str, tuple[int, ...]]] = []
    others: list[str] = []
    for name, sha in tags:
        version = tag_version(name, tag_format, scheme)
        if version is not None:
            releases.append(ReleaseTag(name, sha, version))
            continue
        line = shaped.match(name)
        if line is not None:
            candidates.append((name, sha, tuple(int(n) for n in line.group(1).split("."))))
        else:
            others.append(name)
    lines_at: dict[str, set[tuple[int, ...]]] = {}
    for tag in releases:
        v = tag.version
        lines_at.setdefault(tag.sha, set()).update({(v.major,), (v.major, v.minor)})
    floats = []
    for name, sha, line in candidates:
        (floats if line in lines_at.get(sha, ()) else others).append(name)
    releases.sort(key=lambda tag: (tag.version, tag.name), reverse=True)
    return TagSet(releases, sorted(floats), sorted(others))


def one_per_commit(releases: Iterable[ReleaseTag]) -> dict[str, ReleaseTag]:
    """Commit → its highest release tag (a final and its last rc may share a commit)."""
    by_sha: dict[str, ReleaseTag] = {}
    for tag in releases:  # highest first
        by_sha.setdefault(tag.sha, tag)
    return by_sha


# --- the graph ------------------------------------------------------------------------------


def topological(order: Sequence[str], parents: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The commits of `order` sorted so that children always come before their parents,
    keeping `order` (git log's, by date) wherever the graph allows."""
    waiting = dict.fromkeys(order, 0)
    for sha in order:
        for parent in parents[sha]:
            if parent in waiting:
                waiting[parent] += 1
    ready = [sha for sha in reversed(order) if waiting[sha] == 0]
    result: list[str] = []
    while ready:
        sha = ready.pop()
        result.append(sha)
        for parent in parents[sha]:
            if parent in waiting:
                waiting[parent] -= 1
                if waiting[parent] == 0:
                    ready.append(parent)
    return result


class Ancestry:
    """Which release commits stand in which one's history, from one pass over the graph,
    and what each release ships (`ranges`).

    `order` lists the commits newest first, as git log prints them. Its date order is
    the graph's order unless a committer clock ran backwards; the pass notices a parent
    met after its child and sorts the graph first (`topological`)."""

    def __init__(
        self,
        order: Sequence[str],
        parents: Mapping[str, tuple[str, ...]],
        release_commits: Iterable[str],
    ) -> None:
        self.parents = parents
        wanted = set(release_commits)
        self.bit: dict[str, int] = {}
        below = self._below(order, parents, wanted)
        if below is None:
            order = topological(order, parents)
            below = self._below(order, parents, wanted)
            assert below is not None  # a topological order has no parent after its child
        self.order = order
        self.commits = [sha for sha in order if sha in wanted]  # newest first
        # below[c] for a release commit c: the bits of the release commits at or below it
        self.below = {sha: below[sha] for sha in self.commits}
        self.owners: dict[str, int] = {}

    def _below(
        self, order: Sequence[str], parents: Mapping[str, tuple[str, ...]], wanted: set[str]
    ) -> dict[str, int] | None:
        """The bits of the release commits at or below each commit; None when a parent
        comes after its child in `order`."""
        self.bit.clear()
        below: dict[str, int] = {}
        get = below.get
        for sha in reversed(order):  # oldest first
            mask = 0
            for parent in parents[sha]:
                found = get(parent)
                if found is None:
                    if parent in parents:
                        return None  # the parent is in the graph but comes later
                else:
                    mask |= found
            if sha in wanted:
                self.bit[sha] = 1 << len(self.bit)
                mask |= self.bit[sha]
            below[sha] = mask
        return below

    def contains(self, release: str, other: str) -> bool:
        """Whether the release commit `other` is in the history of `release`."""
        return bool(self.below[release] & self.bit[other])

    def ranges(self, chosen: Iterable[str]) -> dict[str, list[str]]:
        """Release commit → the commits it ships among the `chosen` releases: those in its
        history and in no other chosen release's that is itself in its history (what
        `git log P1 P2 ..T` lists), newest first.

        A commit may belong to two releases when neither is in the other's history (a
        maintenance branch's tag and the main line's, both after the commit). Commits missing
        from the graph (cut off by --from) belong to none."""
        chosen = set(chosen)
        self.owners = self._claim(chosen)
        return self._by_release(chosen)

    def _claim(self, chosen: set[str]) -> dict[str, int]:
        """Commit → the bits of the chosen releases that ship it."""
        mask = 0
        for sha in chosen:
            mask |= self.bit.get(sha, 0)
        owners: dict[str, int] = {}
        for release in reversed(self.commits):  # oldest first: ancestors claim before
            if release in chosen:
                # stop at the chosen releases in its history, itself too
                self._claim_history(release, self.below[release] & mask, owners)
        return owners

    def _claim_history(self, release: str, stop: int, owners: dict[str, int]) -> None:
        """Mark the commits of `release`'s history that no release in `stop` holds."""
        own = self.bit[release]
        parents = self.parents
        stack = [release]
        while stack:
            sha = stack.pop()
            while True:  # down a line of single parents without the stack: most commits
                held = owners.get(sha, 0)
                if held & stop or sha not in parents:
                    break
                owners[sha] = held | own
                above = parents[sha]
                if len(above) != 1:
                    stack.extend(above)
                    break
                sha = above[0]

    def _by_release(self, chosen: set[str]) -> dict[str, list[str]]:
        """Release commit → the commits `owners` gives it, newest first."""
        owners = self.owners
        by_bit = {bit: sha for sha, bit in self.bit.items()}
        ranges: dict[str, list[str]] = {sha: [] for sha in chosen if sha in self.bit}
        for sha in self.order:  # newest first
            held = owners.get(sha)
            if held is None:
                continue
            if held & (held - 1) == 0:  # one owner, the usual case
                ranges[by_bit[held]].append(sha)
            else:
                for bit, release in by_bit.items():
                    if held & bit:
                        ranges[release].append(sha)
        return ranges

    def unreleased(self, head: str) -> list[str]:
        """The commits in head's history that no range holds (after `ranges`), newest first."""
        owners, parents = self.owners, self.parents
        seen: set[str] = set()
        stack = [head]
        while stack:
            sha = stack.pop()
            if sha in seen or sha in owners or sha not in parents:
                continue
            seen.add(sha)
            stack.extend(parents[sha])
        return [sha for sha in self.order if sha in seen]


def merge_sides(
    head: str, members: set[str], parents: Mapping[str, tuple[str, ...]]
) -> dict[str, set[str]]:
    """Merge commit → the commits its merged side brought into `members` (a release's
    commits), inner merges' sides included: what a pull request brought.

    Along each first-parent line, older merges claim first, so a branch that merged the
    main line back in does not take the main line's commits as its own."""
    sides: dict[str, set[str]] = {}
    claimed: set[str] = set()

    def line(start: str) -> list[str]:
        chain = []
        sha: str | None = start
        while sha is not None and sha in members and sha not in claimed:
            claimed.add(sha)
            chain.append(sha)
            sha = parents[sha][0] if parents[sha] else None
        return chain

    def walk(starts: Iterable[str]) -> set[str]:
        brought: set[str] = set()
        chains = [line(start) for start in starts]
        for chain in chains:
            brought.update(chain)
            for sha in reversed(chain):  # oldest first
                if len(parents[sha]) > 1:
                    side = walk(parents[sha][1:])
                    sides[sha] = side
                    brought |= side
        return brought

    walk([head])
    return sides


# --- messages, read leniently ---------------------------------------------------------------


class Change(NamedTuple):
    """One commit as the history reads it (DESIGN.md's changelog JSON)."""

    sha: str
    type: str
    scope: str | None
    description: str
    breaking: bool
    reverts: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha": self.sha,
            "type": self.type,
            "scope": self.scope,
            "description": self.description,
            "breaking": self.breaking,
        }


# The header, matched at the start of the whole message: no split, no copy of the body.
_HEADER = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)(?:\(([^()\r\n]*)\))?(!?)[ \t]*:[ \t]+([^\r\n]*)")
_BREAKING_FOOTER = re.compile(r"^BREAKING[ -]CHANGE[ \t]*:", re.MULTILINE)
_GIT_REVERT = re.compile(r'Revert "(.*)"[ \t\r]*(?:\n|\Z)')
_REVERTED_SHA = re.compile(
    r"^(?:This reverts commit|Refs?:|Reverts?:?)\s+([0-9a-f]{7,40})\b", re.MULTILINE | re.IGNORECASE
)
_LEADING = "\ufeff \t\r\n"


def read_message(sha: str, message: str) -> Change | None:
    """A commit of the past as a change, or None when its header is not Conventional.

    Lenient where the commit gates are strict (what happened, happened): two spaces after
    the colon, no blank line before the body, CRLF line ends, `BREAKING CHANGE:` with its
    text on the next line. `Revert "feat: x"` (git's own subject) and `revert: ...` are
    reverts, carrying the commit they revert when the body names it.

    Runs once per commit of a history (100,000 in the benchmark): one match at the start
    of the message, and the footer search only where the word BREAKING occurs."""
    if message[:1] in _LEADING:
        message = message.lstrip(_LEADING)
    match = _HEADER.match(message)
    if match is None:
        reverted = _GIT_REVERT.match(message)
        if reverted is None:
            return None
        return Change(sha, "revert", None, reverted.group(1), False, _reverted_sha(message))
    kind, scope, bang, description = match.groups()
    description = description.rstrip()
    if not description:
        return None
    breaking = bang == "!" or (
        "BREAKING" in message and _BREAKING_FOOTER.search(message, match.end()) is not None
    )
    kind = kind.lower()
    if scope is not None:
        scope = scope.strip() or None
    reverts = _reverted_sha(message) if kind == "revert" else None
    return Change(sha, kind, scope, description, breaking, reverts)


def _reverted_sha(body: str) -> str | None:
    found = _REVERTED_SHA.search(body)
    return found.group(1).lower() if found else None


def merge_title(sha: str, message: str) -> Change | None:
    """A merge commit's Conventional title: its subject, or the first line of its body (how
    GitHub and GitLab record a pull request's title)."""
    text = message.lstrip("\ufeff \t\r\n").replace("\r\n", "\n")
    body = text.partition("\n")[2]
    change = read_message(sha, text)
    if change is not None:
        return change
    first = next((line for line in body.split("\n") if line.strip()), None)
    return read_message(sha, first) if first else None


def cancel_reverts(changes: list[Change]) -> list[Change]:
    """Changes without the reverts of changes in the same list and what they revert."""
    reverted = {c.reverts for c in changes if c.reverts}
    if not reverted:
        return changes
    gone: set[str] = set()
    for change in changes:
        target = next((r for r in reverted if change.sha.startswith(r)), None)
        if target is not None:
            gone.add(change.sha)
            gone.update(c.sha for c in changes if c.reverts == target)
    return [c for c in changes if c.sha not in gone]


def section_changes(
    head: str,
    commits: Sequence[str],
    parents: Mapping[str, tuple[str, ...]],
    read: Callable[[str], Change | None],
    title: Callable[[str], Change | None],
) -> list[Change]:
    """The changes a release ships, newest first: each commit read once; a merge counts by
    its Conventional title only when the commits it brought carry none of their own (a pull
    request with a Conventional title and free-form commits is counted once, never twice);
    a revert and what it reverts, both in the release, cancel out."""
    changes: dict[str, Change] = {}
    for sha in commits:
        if len(parents[sha]) < 2:
            change = read(sha)
            if change is not None:
                changes[sha] = change
    members = set(commits)
    merges = [sha for sha in commits if len(parents[sha]) > 1]
    if merges:
        titled = {sha: title(sha) for sha in merges}
        if any(titled.values()):
            sides = merge_sides(head, members, parents)
            for sha, change in titled.items():
                if change is not None and not any(s in changes for s in sides.get(sha, ())):
                    changes[sha] = change
    ordered = [changes[sha] for sha in commits if sha in changes]
    return cancel_reverts(ordered)
