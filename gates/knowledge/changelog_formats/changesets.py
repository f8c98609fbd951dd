"""changesets: a change adds `.changeset/NAME.md` (front matter `"package": patch|minor|major`,
then the summary); `changeset version` turns them into each package's CHANGELOG.md:
`# package`, `## 1.2.0`, `### Major Changes` / `### Minor Changes` / `### Patch Changes`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gates.knowledge.changelog_formats._shared import Heading, MarkdownFormat, Spacing
from gates.knowledge.keepachangelog import Problem

if TYPE_CHECKING:
    from gates.knowledge.changelog_formats import Change, Settings
    from gates.knowledge.forges import Forge

_HEADING = re.compile(r"^(?P<version>\d+\.\d+\.\d+\S*)$")
GROUPS = ("Major Changes", "Minor Changes", "Patch Changes")
_SIGNATURE = re.compile(r"^### (Major|Minor|Patch) Changes\s*$", re.MULTILINE)
_FRONT = re.compile(r"^---\r?\n(?P<head>.*?)^---\s*$(?P<body>.*)\Z", re.MULTILINE | re.DOTALL)
_RELEASE = re.compile(r"""^\s*["']?(?P<package>[^"':]+)["']?\s*:\s*(?P<bump>\S+)\s*$""")
BUMPS = ("major", "minor", "patch")
DIRECTORY = ".changeset"


class Changesets(MarkdownFormat):
    name = "changesets"
    title = "changesets"
    entry_rule = "fragment"
    has_unreleased = False
    requires_date = False
    known_groups = GROUPS
    strict_groups = True
    fragment_dir = DIRECTORY
    default_spacing = Spacing(loose_paragraphs=True)  # the file is formatted by prettier
    fragment_hint = "npx changeset"

    def fragment_problems(self, name: str, text: str, types: tuple[str, ...]) -> list[Problem]:
        return fragment_problems(text) if name.endswith(".md") else []

    def read_heading(self, level: int, text: str) -> Heading | None:
        match = _HEADING.match(text) if level == 2 else None
        return Heading(match.group("version")) if match else None

    def detect(self, text: str) -> int:
        found = len(_SIGNATURE.findall(text))
        return 50 + min(found, 30) if found else 0

    def group_names(self, change: Change, settings: Settings) -> list[str]:
        if change.breaking:
            return ["Major Changes"]
        if change.type == "feat":
            return ["Minor Changes"]
        return ["Patch Changes"] if change.type in settings.categories else []

    def entry(self, change: Change, forge: Forge | None) -> str:
        return f"{change.sha[:7]}: {change.description.strip()}"

    def default_heading(self, version: str, date: str | None, link: str | None) -> str:
        return f"## {version}"


def fragment_problems(text: str) -> list[Problem]:
    """What is wrong with one changeset file (`.changeset/NAME.md`)."""
    match = _FRONT.match(text)
    if not match:
        return [
            Problem(
                "fragment",
                'no front matter (`---`, `"package": patch`, `---`)',
                1,
                'start the file with ---, a line `"package": patch|minor|major` per package, ---',
            )
        ]
    problems = []
    for number, line in enumerate(match.group("head").splitlines(), start=2):
        if not line.strip():
            continue
        release = _RELEASE.match(line)
        if release is None or release.group("bump") not in BUMPS:
            problems.append(
                Problem(
                    "fragment",
                    f'`{line.strip()}` is not `"package": major|minor|patch`',
                    number,
                    "name the package and its bump: major, minor or patch",
                )
            )
    if not match.group("body").strip() and match.group("head").strip():
        problems.append(
            Problem(
                "fragment",
                "the changeset has no summary",
                text.count("\n") + 1,
                "write what changed for users below the front matter",
            )
        )
    return problems


FORMAT = Changesets()
