"""towncrier: a change adds a fragment file (`123.feature.md`, `+anything.bugfix`) to the
directory its configuration names (`newsfragments/`, `changes/`, `changelog.d/`);
`towncrier build` compiles them into the changelog at release time, in Markdown
(`## [26.1.0](…) - 2026-03-19`, `## 1.2.0 (2024-05-01)`, `# name 1.2.0 (…)`) or in
reStructuredText (`1.2.0 (2024-05-01)` underlined), groups named after the fragment types.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gates.knowledge.changelog_formats._shared import Heading, MarkdownFormat, upper_first
from gates.knowledge.changelog_formats.rst import FORMAT as RST
from gates.knowledge.keepachangelog import Problem

if TYPE_CHECKING:
    from gates.knowledge.changelog_formats import Change, Settings
    from gates.knowledge.keepachangelog import Changelog, Section

_HEADING = re.compile(
    r"^(?:(?P<name>[^\[\d(][^\[(]*?)\s+)?\[?v?(?P<version>\d+(?:\.\d+)+[^\]\s()]*)\]?"
    r"(?:\((?P<link>[^)\s]*)\))?"
    r"(?:\s*(?:[-–—]\s*|\()(?P<date>[^)\s]*)\)?)?\s*$"
)
MARKERS = ("towncrier release notes start",)
# towncrier's default fragment types and their titles.
TYPES = {
    "feature": "Features",
    "bugfix": "Bugfixes",
    "doc": "Improved Documentation",
    "removal": "Deprecations and Removals",
    "misc": "Misc",
}
DIRECTORIES = ("newsfragments", "changes", "changelog.d", "news", "changelog")
_FRAGMENT = re.compile(
    r"^(?P<issue>\+?[^.]*)\.(?P<type>[A-Za-z_-]+)(?:\.\d+)?(?:\.(?:md|rst|txt))?$"
)


class Towncrier(MarkdownFormat):
    name = "towncrier"
    title = "towncrier"
    entry_rule = "fragment"
    has_unreleased = False
    fragment_dir = "newsfragments"
    fragment_hint = "towncrier create 123.feature.md"

    def fragment_problems(self, name: str, text: str, types: tuple[str, ...]) -> list[Problem]:
        return fragment_problems(name, types or tuple(TYPES))

    def detect(self, text: str) -> int:
        return 90 if any(m in text for m in MARKERS) else 0

    def read_heading(self, level: int, text: str) -> Heading | None:
        if level > 3:
            return None
        match = _HEADING.match(text)
        if not match:
            return None
        return Heading(match.group("version"), date=match.group("date"), link=match.group("link"))

    def parse(self, text: str) -> Changelog:
        parsed = super().parse(text)
        if not parsed.sections and RST.detect(text):
            return RST.parse(text)
        return parsed

    def group_names(self, change: Change, settings: Settings) -> list[str]:
        if change.type == "feat":
            return [TYPES["feature"]]
        if change.type == "fix":
            return [TYPES["bugfix"]]
        return [TYPES["removal"]] if change.breaking else []

    def entry(self, change: Change, forge: object) -> str:
        return upper_first(change.description)

    def insert_release(
        self,
        text: str,
        version: str,
        date: str,
        groups: dict[str, list[str]],
        *,
        link: str | None = None,
    ) -> str:
        if not super().parse(text).sections and RST.parse(text).sections:
            return RST.insert_release(text, version, date, groups, link=link)
        return super().insert_release(text, version, date, groups, link=link)

    def like(self, releases: list[Section], version: str) -> Section | None:
        return releases[0] if releases else None


def fragment_problems(name: str, types: tuple[str, ...]) -> list[Problem]:
    """What is wrong with a fragment's file name (`123.feature.md`) given the configured types."""
    match = _FRAGMENT.match(name)
    if match and match.group("type") in types:
        return []
    shown = ", ".join(types)
    return [
        Problem(
            "fragment",
            f"`{name}` is not a towncrier fragment name (ISSUE.TYPE[.md|.rst], TYPE one of {shown})",
            1,
            f"rename it, e.g. `123.{types[0] if types else 'feature'}.md`",
        )
    ]


FORMAT = Towncrier()
