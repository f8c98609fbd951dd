"""Keep a Changelog 1.1.0 (`## [1.2.0] - 2024-05-01`, `## [Unreleased]`, Added … Security,
link references at the bottom): the parser and editor of `gates.knowledge.keepachangelog`
behind the format protocol."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gates.knowledge import keepachangelog as kac

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gates.knowledge.changelog_formats import Change, Settings
    from gates.knowledge.forges import Forge
    from gates.knowledge.keepachangelog import Changelog, Problem, Section

_RELEASE = re.compile(r"^## \[?v?\d+\.\d+[^\]\s]*\]? - \d{4}-\d{2}-\d{2}", re.MULTILINE)
_UNRELEASED = re.compile(r"^## \[Unreleased\]", re.MULTILINE | re.IGNORECASE)
_CATEGORY = re.compile(r"^### (Added|Changed|Deprecated|Removed|Fixed|Security)\s*$", re.MULTILINE)


class KeepAChangelog:
    name = "keep-a-changelog"
    title = "Keep a Changelog"
    files = ("CHANGELOG.md",)
    entry_rule = "unreleased"
    has_unreleased = True
    fragment_dir = None
    fragment_hint = ""

    def fragment_problems(self, name: str, text: str, types: tuple[str, ...]) -> list[Problem]:
        return []

    def detect(self, text: str) -> int:
        score = 60 if "keepachangelog.com" in text else 0
        unreleased = _UNRELEASED.search(text) is not None
        if unreleased:
            score += 30
        categories = len(_CATEGORY.findall(text))
        if categories:
            score += 20 + min(categories, 20)
        if _RELEASE.search(text):
            score += 10
        if categories or unreleased or score >= 60:
            return score
        return 10 if _RELEASE.search(text) else 0  # KaC-like headings: not another format

    def parse(self, text: str) -> Changelog:
        return kac.parse(text)

    def validate(self, changelog: Changelog) -> list[Problem]:
        return kac.validate(changelog)

    def groups(
        self, changes: Sequence[Change], settings: Settings, forge: Forge | None
    ) -> dict[str, list[str]]:
        """Keep a Changelog category (from `changelog.categories`) -> entries; a breaking change
        of an unmapped type goes under Changed; breaking changes first and marked."""
        grouped: dict[str, list[Change]] = {}
        for change in changes:
            category = settings.categories.get(change.type)
            if category is None:
                if not change.breaking:
                    continue
                category = "Changed"
            grouped.setdefault(category, []).append(change)
        result = {}
        for category, members in grouped.items():
            ordered = (
                sorted(members, key=lambda c: not c.breaking)
                if settings.breaking_first
                else members
            )
            result[category] = [entry_text(c, forge) for c in ordered]
        return result

    def body(self, changelog: Changelog, section: Section) -> str:
        return changelog.body(section)

    def render_release(
        self, version: str | None, date: str | None, groups: dict[str, list[str]], link: str | None
    ) -> str:
        return kac.render_section(version, date, groups)

    def new_file(self, sections: list[str]) -> str:
        return kac.new_file(sections, [])

    def insert_release(
        self,
        text: str,
        version: str,
        date: str,
        groups: dict[str, list[str]],
        *,
        link: str | None = None,
    ) -> str:
        had_links = bool(kac.parse(text).links)
        text = kac.insert_release(text, version, date, groups)
        if had_links and link:
            text = kac.set_link(text, version, link)
        return text

    def merge_unreleased(
        self, text: str, groups: dict[str, list[str]], *, link: str | None = None
    ) -> str:
        text = kac.merge_unreleased(text, groups)
        return self.link_unreleased(text, link) if link else text

    def link_unreleased(self, text: str, link: str) -> str:
        """The `[Unreleased]: …` reference set, when the file keeps link references."""
        parsed = kac.parse(text)
        if not parsed.links:
            return text
        label = parsed.unreleased.title if parsed.unreleased else kac.UNRELEASED
        return kac.set_link(text, label, link)

    def link_references(self, links: list[tuple[str, str]]) -> str:
        return "\n" + "".join(f"[{label}]: {url}\n" for label, url in links) if links else ""

    def cut_release(
        self,
        text: str,
        version: str,
        date: str,
        groups: dict[str, list[str]],
        *,
        link: str | None = None,
        unreleased_link: str | None = None,
    ) -> str:
        text = kac.merge_unreleased(text, groups)
        text = kac.release_unreleased(text, version, date)
        parsed = kac.parse(text)
        if parsed.links and link:
            text = kac.set_link(text, version, link)
            if unreleased_link:
                text = self.link_unreleased(text, unreleased_link)
        return text


def entry_text(change: Change, forge: Forge | None) -> str:
    text = change.description.strip()
    text = text[:1].upper() + text[1:]
    if change.scope:
        text = f"**{change.scope}:** {text}"
    if change.breaking:
        text = f"**Breaking:** {text}"
    short = change.sha[:7]
    link = f"[`{short}`]({forge.commit_url(change.sha)})" if forge else f"`{short}`"
    return f"{text} ({link})"


FORMAT = KeepAChangelog()
