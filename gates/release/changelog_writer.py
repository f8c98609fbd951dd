"""Changelog generation: Conventional Commits between release tags, in the changelog's format
(gates.knowledge.changelog_formats) or as JSON.

History is read as a stream: one `git log` with a machine-readable format,
each record parsed and dropped, so 100,000 commits take seconds and little
memory. A commit that carries a release tag (by SemVer, under
versioning.tag_format) opens that release; the commits after it in the log
belong to it until the next tagged commit — what git-cliff and commitizen do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from gates.knowledge import keepachangelog
from gates.knowledge.patterns import compile_pattern

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gates.adapters.git import GitRepo
    from gates.knowledge.changelog_formats import ChangelogFormat
    from gates.knowledge.forges import Forge


@dataclass(frozen=True, slots=True)
class Change:
    sha: str
    type: str
    scope: str | None
    description: str
    breaking: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha": self.sha,
            "type": self.type,
            "scope": self.scope,
            "description": self.description,
            "breaking": self.breaking,
        }


@dataclass
class Release:
    version: str | None
    tag: str | None
    date: str | None
    changes: list[Change] = field(default_factory=list)
    previous_tag: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "tag": self.tag,
            "date": self.date,
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass(frozen=True)
class Settings:
    """What the policy says about generation."""

    tag_format: str = "v{version}"
    scheme: str = "semver"
    categories: dict[str, str] = field(default_factory=dict)
    breaking_first: bool = True
    release_commit: str | None = r"^chore\(release\): "

    @classmethod
    def from_policy(
        cls, versioning: dict[str, Any], changelog: dict[str, Any], commits: dict[str, Any]
    ) -> Settings:
        return cls(
            tag_format=versioning.get("tag_format") or "v{version}",
            scheme=versioning.get("scheme") or "semver",
            categories=dict(changelog.get("categories") or {}),
            breaking_first=changelog.get("breaking_first", True),
            release_commit=commits.get("release_commit"),
        )


def release_tags(tags: Iterable[tuple[str, str]], settings: Settings) -> dict[str, tuple[str, str]]:
    """Commit sha -> (tag, version) of release tags; a commit with several keeps its highest"
    " version."""
    from gates.knowledge.semver import version_tags

    releases, _others = version_tags(tags, settings.tag_format, settings.scheme)
    by_sha: dict[str, tuple[str, str]] = {}
    for name, sha, version in releases:  # highest first
        by_sha.setdefault(sha, (name, str(version)))
    return by_sha


def collect(
    git: GitRepo,
    settings: Settings,
    *,
    from_ref: str | None = None,
    to_ref: str | None = None,
    unreleased_only: bool = False,
) -> list[Release]:
    """Releases newest first, the unreleased part (version None) at the top when there is one."""
    from gates.adapters.git import LOG_FORMAT

    tagged = release_tags(git.tags(), settings)
    head = git.resolve(to_ref or "HEAD")
    args = ["log", f"--format={LOG_FORMAT}", "--no-color", head]
    if from_ref:
        args.append("^" + git.resolve(from_ref))
    release_commit = (
        compile_pattern(settings.release_commit, key="commits.release_commit")
        if settings.release_commit
        else None
    )
    current = Release(None, None, None)
    releases = [current]
    for commit in git.stream_log(args):
        tag = tagged.get(commit.sha)
        if tag is not None:
            if unreleased_only:
                break
            current = Release(tag[1], tag[0], _day(commit.committed))
            releases.append(current)
        if commit.is_merge:
            continue
        if release_commit is not None and release_commit.search(commit.message.partition("\n")[0]):
            continue
        change = _change(commit.sha, commit.message)
        if change is not None:
            current.changes.append(change)
    for newer, older in pairwise(releases):
        newer.previous_tag = older.tag
    if to_ref and not releases[0].changes:
        releases.pop(0)
    return releases


# A necessary condition for a Conventional Commit header, checked before the parser: most
# non-conforming messages stop here, at the cost of one regex match.
_HEADER_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?:\([^()\r\n]+\))?!?: \S")
_BREAKING_WORD = re.compile("breaking", re.IGNORECASE)


def _change(sha: str, message: str) -> Change | None:
    """The commit as a change, or None when its message is not a Conventional Commit.

    Same verdict as `conventional.parse` (a test holds them together), faster on long
    histories: without a `breaking` word and a carriage return, a message can only fail on its
    header or on a body that does not start after a blank line, and cannot be breaking
    without `!`, so the header parser alone decides.
    """
    from gates.knowledge.conventional import ParseError, parse, parse_header

    shaped = _HEADER_SHAPE.match(message) is not None
    if not shaped and message[:1].isalnum():
        return None
    try:
        if shaped and "\r" not in message and not _BREAKING_WORD.search(message):
            header, _, rest = message.partition("\n")
            if rest and rest.partition("\n")[0].strip():
                return None
            kind, scope, bang, description = parse_header(header)
            return Change(sha, kind.lower(), scope, description, bang)
        parsed = parse(message)
    except ParseError:
        return None
    return Change(sha, parsed.type.lower(), parsed.scope, parsed.description, parsed.breaking)


def _day(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).date().isoformat()


def entries(
    release: Release,
    settings: Settings,
    forge: Forge | None,
    fmt: ChangelogFormat | None = None,
) -> dict[str, list[str]]:
    """The format's section name -> entry lines (Keep a Changelog's categories by default)."""
    return (fmt or _default_format()).groups(release.changes, settings, forge)


def entry_text(change: Change, forge: Forge | None) -> str:
    from gates.knowledge.changelog_formats.keep_a_changelog import entry_text as kac_entry

    return kac_entry(change, forge)


def _default_format() -> ChangelogFormat:
    from gates.knowledge.changelog_formats import get

    return get("keep-a-changelog")


def link_for(release: Release, forge: Forge, head: str = "HEAD") -> str:
    if release.version is None:
        return (
            forge.compare_url(release.previous_tag, head)
            if release.previous_tag
            else forge.commit_url(head)
        )
    if release.previous_tag:
        return forge.compare_url(release.previous_tag, release.tag or "")
    return forge.tag_url(release.tag or "")


def render_markdown(
    releases: list[Release],
    settings: Settings,
    forge: Forge | None,
    fmt: ChangelogFormat | None = None,
) -> str:
    """The sections (and link references, on a known host), as they would appear in the
    changelog, in its format."""
    fmt = fmt or _default_format()
    sections = [
        fmt.render_release(
            r.version, r.date, entries(r, settings, forge, fmt), _link(r, forge, fmt)
        )
        for r in releases
    ]
    text = "\n".join(s.rstrip("\n") + "\n" for s in sections)
    return text + fmt.link_references(_links(releases, forge))


def _link(release: Release, forge: Forge | None, fmt: ChangelogFormat) -> str | None:
    return link_for(release, forge) if forge is not None and release.version else None


def _links(releases: list[Release], forge: Forge | None) -> list[tuple[str, str]]:
    if forge is None:
        return []
    return [(r.version or keepachangelog.UNRELEASED.lower(), link_for(r, forge)) for r in releases]


def to_json(releases: list[Release]) -> dict[str, Any]:
    return {"releases": [r.to_dict() for r in releases]}


def update(
    text: str | None,
    releases: list[Release],
    settings: Settings,
    forge: Forge | None,
    fmt: ChangelogFormat | None = None,
) -> str:
    """The changelog with what is new, in its format: releases newer than its newest section,
    and unreleased entries it lacks. Every other byte stays; applying the same releases twice
    changes nothing."""
    from gates.knowledge.changelog_formats._shared import version_key

    fmt = fmt or _default_format()
    if text is None:
        sections = [
            fmt.render_release(
                r.version, r.date, entries(r, settings, forge, fmt), _link(r, forge, fmt)
            )
            for r in releases
            if r.version is not None or fmt.has_unreleased
        ]
        if fmt.has_unreleased and (not releases or releases[0].version is not None):
            sections.insert(0, fmt.render_release(None, None, {}, None))
        return fmt.new_file([s for s in sections if s]) + fmt.link_references(
            _links(releases, forge)
        )
    changelog = fmt.parse(text)
    keys = [version_key(s.title) for s in changelog.releases]
    newest = max((k for k in keys if k is not None), default=None)
    for release in reversed(releases):
        if release.version is None or changelog.section(release.version) is not None:
            continue
        key = version_key(release.version)
        if newest is not None and (key is None or key <= newest):
            continue
        text = fmt.insert_release(
            text,
            release.version,
            release.date or "",
            entries(release, settings, forge, fmt),
            link=_link(release, forge, fmt),
        )
    unreleased = next((r for r in releases if r.version is None), None)
    if unreleased is not None:
        try:
            text = fmt.merge_unreleased(text, entries(unreleased, settings, forge, fmt))
        except keepachangelog.ChangelogError as exc:
            from gates.errors import GateError

            raise GateError(
                f"the changelog: {exc}",
                hint="close the code fence, then run again",
            ) from None
    if forge is not None:
        top = unreleased or (
            Release(None, None, None, previous_tag=releases[0].tag) if releases else None
        )
        if top is not None and top.previous_tag:
            text = fmt.link_unreleased(text, link_for(top, forge))
    return text
