"""commitizen's default changelog (`cz changelog`, `cz bump --changelog`): `## v1.2.0 (2024-05-01)`
or `## 1.2.0 (…)` as the tag is written, `## Unreleased` on top when there are unreleased
commits, groups `### BREAKING CHANGE`, `### Feat`, `### Fix`, `### Refactor`, `### Perf`,
entries `- **scope**: description`. commitizen writes it from the Conventional Commits.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gates.knowledge.changelog_formats._shared import Heading, MarkdownFormat

if TYPE_CHECKING:
    from gates.knowledge.changelog_formats import Change, Settings
    from gates.knowledge.forges import Forge

_HEADING = re.compile(r"^(?P<prefix>v?)(?P<version>\d+\.\d+\.\d+\S*) \((?P<date>[^)]*)\)$")
BREAKING = "BREAKING CHANGE"
TYPES = {"feat": "Feat", "fix": "Fix", "refactor": "Refactor", "perf": "Perf"}
_SIGNATURE = re.compile(r"^## v?\d+\.\d+\.\d+\S* \(\d{4}-\d{2}-\d{2}\)\s*$", re.MULTILINE)
_GROUP_LINE = re.compile(r"^### (Feat|Fix|Refactor|Perf|BREAKING CHANGE)\s*$", re.MULTILINE)


class Commitizen(MarkdownFormat):
    name = "commitizen"
    title = "commitizen"
    entry_rule = "commit"
    has_unreleased = True
    known_groups = (BREAKING, "Feat", "Fix", "Refactor", "Perf")
    breaking_first = False

    def read_heading(self, level: int, text: str) -> Heading | None:
        if level != 2:
            return None
        if text.strip().lower() == "unreleased":
            return Heading("Unreleased")
        match = _HEADING.match(text)
        if not match:
            return None
        return Heading(match.group("version"), date=match.group("date"))

    def detect(self, text: str) -> int:
        headings = len(_SIGNATURE.findall(text))
        groups = len(_GROUP_LINE.findall(text))
        if not headings or not groups:
            return 0
        return 40 + min(headings, 20) + min(groups, 20)

    def group_names(self, change: Change, settings: Settings) -> list[str]:
        # commitizen 4 lists a breaking `feat!` under Feat; `BREAKING CHANGE` is a header type.
        return [TYPES[change.type]] if change.type in TYPES else []

    def entry(self, change: Change, forge: Forge | None) -> str:
        scope = f"**{change.scope}**: " if change.scope else ""
        return scope + change.description.strip()

    def default_heading(self, version: str, date: str | None, link: str | None) -> str:
        return f"## v{version}" + (f" ({date})" if date else "")


FORMAT = Commitizen()
