"""Plain version headings, as git-flow-avh and many hand-kept changelogs write them:
`#### 1.12.3` (any heading level from 2 to 4, the version alone, no date, no link), then
bullet entries, sometimes under a contributor's line. The newest section may be the next
version in the making (`1.12.4-dev0`): a change adds its line there, or under an
`Unreleased` heading where the file has one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gates.knowledge.changelog_formats._shared import Heading, MarkdownFormat

if TYPE_CHECKING:
    from gates.knowledge.keepachangelog import Changelog

_VERSION = re.compile(r"^v?(?P<version>\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]+)?)$")
_SIGNATURE = re.compile(r"^#{2,4} v?\d+\.\d+(?:\.\d+)?\S*\s*$", re.MULTILINE)
_OTHER = re.compile(
    r"^#{1,4} .*(?:\[\d+\.\d+|\(\d{4}-\d{2}-\d{2}\)| - \d{4}-|Version \d)", re.MULTILINE
)


class Plain(MarkdownFormat):
    name = "plain"
    title = "plain version headings"
    entry_rule = "unreleased"
    has_unreleased = True
    requires_date = False

    def read_heading(self, level: int, text: str) -> Heading | None:
        if not 2 <= level <= 4:
            return None
        if text.strip().lower() == "unreleased":
            return Heading("Unreleased")
        match = _VERSION.match(text.strip())
        return Heading(match.group("version")) if match else None

    def parse(self, text: str) -> Changelog:
        """As every Markdown format reads it; a newest section whose version is a
        pre-release (`1.12.4-dev0`) and that has no date is the release in the making."""
        changelog = super().parse(text)
        newest = changelog.sections[0] if changelog.sections else None
        if newest is not None and not newest.unreleased and "-" in newest.title:
            newest.pending = True
        return changelog

    def detect(self, text: str) -> int:
        """Weakly sure: only when no other format's heading shape is in the file."""
        found = len(_SIGNATURE.findall(text))
        if found < 3 or _OTHER.search(text):
            return 0
        return 20 + min(found, 20)

    def default_heading(self, version: str, date: str | None, link: str | None) -> str:
        return f"## {version}"


FORMAT = Plain()
