"""The Pallets style (Flask, Click, Jinja, Werkzeug): `## Version 8.5.0`, then a line
`Released 2026-01-01` (optionally `, codename "…"`) or `Unreleased`, then bullet entries
without groups. The next version's section, marked `Unreleased`, is where a change adds its
line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gates.knowledge.changelog_formats._shared import Heading, MarkdownFormat, upper_first

if TYPE_CHECKING:
    from gates.knowledge.changelog_formats import Change, Settings
    from gates.knowledge.keepachangelog import Changelog, Section

_HEADING = re.compile(r"^Version (?P<version>\S+)$")
_RELEASED = re.compile(r"^Released (?P<date>[^,\s]+)(?P<rest>.*)$")
_SIGNATURE = re.compile(r"^## Version \S+\s*\n\s*\n(Released \S+|Unreleased)", re.MULTILINE)


class Pallets(MarkdownFormat):
    name = "pallets"
    title = "the Pallets changelog style"
    files = ("CHANGES.md",)
    entry_rule = "unreleased"
    has_unreleased = True
    versioned_unreleased = True
    unreleased_title = "Unreleased"

    def read_heading(self, level: int, text: str) -> Heading | None:
        match = _HEADING.match(text) if level == 2 else None
        return Heading(match.group("version")) if match else None

    def meta_line(self, section: Section, line: str) -> bool:
        if line == "Unreleased":
            section.pending = True
            return True
        match = _RELEASED.match(line)
        if match:
            section.date = match.group("date")
            return True
        return False

    def detect(self, text: str) -> int:
        found = len(_SIGNATURE.findall(text))
        return 50 + min(found, 30) if found else 0

    def group_names(self, change: Change, settings: Settings) -> list[str]:
        return [""] if change.type in settings.categories or change.breaking else []

    def entry(self, change: Change, forge: object) -> str:
        return upper_first(change.description)

    def heading(
        self, version: str | None, date: str | None, link: str | None, like: Section | None
    ) -> str:
        status = f"Released {date}" if version is not None and date else "Unreleased"
        return f"## Version {version or 'Unreleased'}\n\n{status}"

    def heading_span(self, changelog: Changelog, section: Section) -> tuple[int, int]:
        stop = section.line
        while stop < len(changelog.lines) and not changelog.lines[stop].strip():
            stop += 1
        return section.line - 1, stop + 1


FORMAT = Pallets()
