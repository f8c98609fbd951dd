"""Changelog generation: the history model's releases, rendered in the changelog's format
(gates.knowledge.changelog_formats) or as JSON.

Which commits a release holds is the history model's answer (gates/release/history.py):
the commits in the release tag's own history since the releases in that history, read
from one streamed `git log`. This module only groups and renders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gates.knowledge import keepachangelog
from gates.knowledge.history import Change

if TYPE_CHECKING:
    from gates.context import Context
    from gates.knowledge.changelog_formats import ChangelogFormat
    from gates.knowledge.forges import Forge
    from gates.release.history import Section


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
    prereleases: str = "fold"

    @classmethod
    def from_policy(
        cls, versioning: dict[str, Any], changelog: dict[str, Any], commits: dict[str, Any]
    ) -> Settings:
        """From the three sections as the policy (or a component) holds them."""
        from gates.policy.sections import ChangelogOptions, CommitsOptions, VersioningOptions

        tags, entries = VersioningOptions(versioning), ChangelogOptions(changelog)
        return cls(
            tag_format=tags.tag_format,
            scheme=tags.scheme,
            categories=dict(entries.categories),
            breaking_first=entries.breaking_first,
            release_commit=CommitsOptions(commits).release_commit,
            prereleases=entries.prereleases,
        )


def collect(
    ctx: Context,
    settings: Settings,
    *,
    from_ref: str | None = None,
    to_ref: str | None = None,
    unreleased_only: bool = False,
) -> tuple[list[Release], str | None]:
    """Releases newest first, the unreleased part (version None) at the top when there is
    one; and the one note on the tags that are not releases (None when every tag is one).

    What each release holds comes from the history model (gates/release/history.py): the
    commits in its own history since the releases in that history, never "what git log
    printed between two tags"."""
    from gates.release.history import history_for

    history = history_for(ctx, head=to_ref, since=from_ref, prereleases=settings.prereleases)
    releases = [_release(section) for section in history.sections]
    if unreleased_only:
        releases = releases[:1]
    elif to_ref and not releases[0].changes:
        releases.pop(0)
    return releases, history.tags.note()


def _release(section: Section) -> Release:
    tag = section.tag
    return Release(
        str(tag.version) if tag else None,
        tag.name if tag else None,
        section.date,
        list(section.changes),
        previous_tag=section.previous.name if section.previous else None,
    )


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
    fmt = fmt or _default_format()
    if text is None:
        return _new_changelog(releases, settings, forge, fmt)
    text = _insert_newer_releases(text, releases, settings, forge, fmt)
    unreleased = next((r for r in releases if r.version is None), None)
    if unreleased is not None:
        text = _merge_unreleased(text, unreleased, settings, forge, fmt)
    if forge is not None:
        text = _link_unreleased(text, releases, unreleased, forge, fmt)
    return text


def _new_changelog(
    releases: list[Release], settings: Settings, forge: Forge | None, fmt: ChangelogFormat
) -> str:
    sections = [
        fmt.render_release(
            r.version, r.date, entries(r, settings, forge, fmt), _link(r, forge, fmt)
        )
        for r in releases
        if r.version is not None or fmt.has_unreleased
    ]
    if fmt.has_unreleased and (not releases or releases[0].version is not None):
        sections.insert(0, fmt.render_release(None, None, {}, None))
    return fmt.new_file([s for s in sections if s]) + fmt.link_references(_links(releases, forge))


def _insert_newer_releases(
    text: str,
    releases: list[Release],
    settings: Settings,
    forge: Forge | None,
    fmt: ChangelogFormat,
) -> str:
    """The releases the file lacks that are newer than its newest, oldest inserted first."""
    from gates.knowledge.changelog_formats._shared import version_key

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
    return text


def _merge_unreleased(
    text: str, unreleased: Release, settings: Settings, forge: Forge | None, fmt: ChangelogFormat
) -> str:
    try:
        return fmt.merge_unreleased(text, entries(unreleased, settings, forge, fmt))
    except keepachangelog.ChangelogError as exc:
        from gates.errors import GateError

        raise GateError(
            f"the changelog: {exc}",
            hint="close the code fence, then run again",
        ) from None


def _link_unreleased(
    text: str,
    releases: list[Release],
    unreleased: Release | None,
    forge: Forge,
    fmt: ChangelogFormat,
) -> str:
    """The unreleased area's link: what changed since the newest release."""
    top = unreleased or (
        Release(None, None, None, previous_tag=releases[0].tag) if releases else None
    )
    if top is not None and top.previous_tag:
        return fmt.link_unreleased(text, link_for(top, forge))
    return text
