"""conventional-changelog and the tools that write it (standard-version, semantic-release,
release-please): `## [1.2.0](compare-link) (2024-05-01)`, `# [2.0.0](…) (…)` or
`## 1.2.0 (…)`, then `### Features`, `### Bug Fixes`, `### ⚠ BREAKING CHANGES`…, entries
`* **scope:** description ([#123](…)) ([abc1234](…))`.

No unreleased area: the tool writes each release from the Conventional Commits when it is
cut, so a change's entry is its commit message.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gates.knowledge.changelog_formats._shared import (
    Heading,
    MarkdownFormat,
    Spacing,
    issue_link,
    version_key,
)

if TYPE_CHECKING:
    from gates.knowledge.changelog_formats import Change, Settings
    from gates.knowledge.forges import Forge
    from gates.knowledge.keepachangelog import Section

_HEADING = re.compile(
    r"^\[?(?P<version>v?\d+\.\d+\.\d+[^\]\s()]*)\]?"
    r"(?:\((?P<link>[^)\s]*)\))?"
    r"(?:\s+\((?P<date>[^)]*)\))?\s*$"
)
BREAKING = "⚠ BREAKING CHANGES"
TYPES = {
    "feat": "Features",
    "fix": "Bug Fixes",
    "perf": "Performance Improvements",
    "revert": "Reverts",
}
GROUPS = (
    BREAKING,
    "BREAKING CHANGES",
    "Features",
    "Bug Fixes",
    "Performance Improvements",
    "Reverts",
    "Documentation",
    "Styles",
    "Miscellaneous Chores",
    "Miscellaneous",
    "Code Refactoring",
    "Tests",
    "Build System",
    "Continuous Integration",
    "Dependencies",
)
_SIGNATURE = re.compile(
    r"^#{1,3} \[?\d+\.\d+\.\d+[^\]\s]*\]?(?:\([^)\s]*\))? \(\d{4}-\d{2}-\d{2}\)\s*$", re.MULTILINE
)
_GROUP_LINE = re.compile(
    r"^### (⚠ BREAKING CHANGES|BREAKING CHANGES|Features|Bug Fixes|Performance Improvements)\s*$",
    re.MULTILINE,
)


class ConventionalChangelog(MarkdownFormat):
    name = "conventional-changelog"
    title = "conventional-changelog"
    files = ("CHANGELOG.md",)
    entry_rule = "commit"
    has_unreleased = False
    known_groups = GROUPS
    # release-please: two blank lines before each group.
    default_spacing = Spacing(first=2, group=2, bullet="* ")

    def read_heading(self, level: int, text: str) -> Heading | None:
        if level > 3:
            return None
        match = _HEADING.match(text)
        if not match:
            return None
        version = match.group("version")
        return Heading(
            title=version[1:] if version[:1] in "vV" else version,
            date=match.group("date"),
            link=match.group("link"),
        )

    def detect(self, text: str) -> int:
        headings = len(_SIGNATURE.findall(text))
        groups = len(_GROUP_LINE.findall(text))
        if not headings or not groups:
            return 0
        return 40 + min(headings, 20) + min(groups, 20)

    def group_names(self, change: Change, settings: Settings) -> list[str]:
        names = [BREAKING] if change.breaking else []
        if change.type in TYPES:
            names.append(TYPES[change.type])
        return names

    def entry(self, change: Change, forge: Forge | None) -> str:
        text = issue_link(change.description.strip(), forge)
        if change.scope:
            text = f"**{change.scope}:** {text}"
        short = change.sha[:7]
        sha = f"[{short}]({forge.commit_url(change.sha)})" if forge else short
        return f"{text} ({sha})"

    def group_gap(self, previous: str, spacing: Spacing) -> int:
        # conventional-changelog's template ends its breaking-change notes with one blank line
        return (
            max(spacing.group - 1, 1)
            if previous in (BREAKING, "BREAKING CHANGES")
            else spacing.group
        )

    def like(self, releases: list[Section], version: str) -> Section | None:
        """The newest release of the same kind (patch or not): old conventional-changelog
        wrote patch releases one level deeper."""
        key = version_key(version)
        patch = key is not None and key[2] != 0
        for release in releases:
            other = version_key(release.title)
            if other is not None and (other[2] != 0) == patch:
                return release
        return releases[0] if releases else None

    def heading(
        self, version: str | None, date: str | None, link: str | None, like: Section | None
    ) -> str:
        level = "#" * (like.level if like is not None else 2)
        title = version or "Unreleased"
        if link and (like is None or like.link):
            title = f"[{title}]({link})"
        return f"{level} {title}" + (f" ({date})" if date else "")


FORMAT = ConventionalChangelog()
