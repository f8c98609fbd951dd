"""reStructuredText changelogs (`CHANGELOG.rst`, `CHANGES.rst`): a title per release, underlined
(`1.2.0 (2024-05-01)` over `------------------`, or `Version 1.2.0` then `Released 2024-05-01`
or `Unreleased` as in Pallets' projects), optional group titles underlined with another
character, bullet entries. The underline character of the first title that names a version
(or `Unreleased`) is the release level; a title with a character used before it (the
document's title) ends the releases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gates.knowledge.changelog_formats._shared import (
    Heading,
    MarkdownFormat,
    SectionBuilder,
    Spacing,
    fill,
    template,
    upper_first,
)
from gates.knowledge.keepachangelog import Category, Changelog, Section

if TYPE_CHECKING:
    from gates.knowledge.changelog_formats import Change, Settings

_UNDERLINE = re.compile(r"""^([=\-~^"'`#*+<>._:])\1{2,}\s*$""")
_TITLE = re.compile(
    r"^(?:(?P<name>.*?)\s+)?v?(?P<version>\d+(?:\.\d+)+[^\s(),]*)"
    r"(?:\s*(?:[-–—,]\s*|\()(?:released\s+(?:on\s+)?)?(?P<date>[^)]*?)\)?)?\s*$",
    re.IGNORECASE,
)
_RELEASED = re.compile(r"^Released:?\s+(?:on\s+)?(?P<date>[^,\s]+)", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"^[^\n]*\d+\.\d+[^\n]*\n([=\-~^\"'`#*+])\1{2,}[ \t]*$|^Unreleased\n([=\-~^])\2{2,}[ \t]*$",
    re.MULTILINE,
)


def _status_line(section: Section, line: str) -> bool:
    """`Unreleased` or `Released 2024-05-01` under a title: part of the heading."""
    if line == "Unreleased":
        section.pending = True
        return True
    released = _RELEASED.match(line)
    if released:
        section.date = released.group("date")
        section.style += "|released"
        return True
    return False


def read_title(text: str) -> Heading | None:
    """The version (and date) a section title names, or None."""
    if text.strip().lower() in ("unreleased", "next release", "upcoming"):
        return Heading("Unreleased")
    match = _TITLE.match(text.strip())
    if not match:
        return None
    name = (match.group("name") or "").lower()
    if name and not (name.startswith("version") or name.isidentifier() or "-" in name):
        return None
    date = (match.group("date") or "").strip() or None
    if date is not None and date.lower() == "unreleased":
        return Heading(match.group("version"), pending=True)
    return Heading(match.group("version"), date=date)


@dataclass
class _Marks:
    """The underline of release titles (the first title that names a version or `Unreleased`
    decides it) and the underlines met before it (the document's titles): a title with one
    of those ends the releases. A title that is also overlined has the mark + `o`."""

    release: str | None = None
    before: set[str] = field(default_factory=set)


def _title(builder: SectionBuilder, marks: _Marks, stripped: list[str], index: int) -> bool:
    """Read the line at `index` as a title when the underline below is at least as long;
    whether it was one."""
    line, underline = stripped[index], stripped[index + 1]
    if len(underline.rstrip()) < len(line.rstrip()):
        return False
    overlined = index > 0 and stripped[index - 1] == underline
    _read_title(builder, marks, line, underline, index + 1, over=overlined)
    return True


def _read_title(
    builder: SectionBuilder, marks: _Marks, line: str, underline: str, number: int, *, over: bool
) -> None:
    """A title: a release, a group of the current release, or the end of the releases."""
    mark = underline[0] + ("o" if over else "")
    found = read_title(line)
    if marks.release is None and found is not None:
        marks.release = mark
    if mark == marks.release and found is not None:
        section = Section(
            title=found.title,
            line=number,
            end=builder.end,
            date=found.date,
            pending=found.pending,
            level=1,
            style=f"{mark}|{len(underline.rstrip()) - len(line.strip())}|"
            + template(line.strip(), found),
        )
        builder.release(section, previous_end=number - 1 if over else number)
    elif builder.current is not None and mark not in marks.before and mark != marks.release:
        builder.group(Category(line.strip(), number))
    else:
        builder.stop(number)
        if marks.release is None:
            marks.before.add(mark)


class Rst(MarkdownFormat):
    name = "rst"
    title = "reStructuredText"
    files = ("CHANGELOG.rst", "CHANGES.rst", "HISTORY.rst", "NEWS.rst")
    entry_rule = "unreleased"
    has_unreleased = True
    versioned_unreleased = True

    def detect(self, text: str) -> int:
        found = len(_SIGNATURE.findall(text))
        return 30 + min(found, 30) if found else 0

    def read_heading(self, level: int, text: str) -> Heading | None:  # pragma: no cover
        return None  # titles are underlined, not `#`: see parse

    def parse(self, text: str) -> Changelog:
        lines = text.splitlines(keepends=True)
        stripped = [raw.rstrip("\r\n") for raw in lines]
        # whether each line is an underline, once (a line is also the next one's underline)
        underlines = [_UNDERLINE.match(line) is not None for line in stripped] + [False]
        builder = SectionBuilder(_status_line, len(lines))
        text_line = builder.text
        marks = _Marks()
        skip = False
        for index, line in enumerate(stripped):
            if skip:  # the underline of the title above
                skip = False
            elif underlines[index + 1] and not underlines[index] and line.strip():
                skip = _title(builder, marks, stripped, index)
                if not skip:
                    text_line(line)
            else:
                text_line(line)
        return Changelog(lines, builder.sections, {}, None)

    def group_names(self, change: Change, settings: Settings) -> list[str]:
        return [""] if change.type in settings.categories or change.breaking else []

    def entry(self, change: Change, forge: object) -> str:
        return upper_first(change.description)

    def heading(
        self, version: str | None, date: str | None, link: str | None, like: Section | None
    ) -> str:
        mark, extra, style, released = "-", 0, "Version {version}", True
        if like is not None:
            parts = like.style.split("|")
            mark, extra, style, released = parts[0], int(parts[1]), parts[2], len(parts) > 3
        title = fill(style, version or "Unreleased", date) if version else "Unreleased"
        under = mark[0] * (len(title) + extra)
        text = (under + "\n" if mark.endswith("o") else "") + title + "\n" + under
        if released:
            text += "\n\n" + (f"Released {date}" if version and date else "Unreleased")
        return text

    def group_mark(self, lines: list[str], category: Category) -> str:
        return lines[category.line][:1] if category.line < len(lines) else "^"

    def group_title(self, name: str, spacing: Spacing) -> str:
        return f"{name}\n{spacing.group_mark * len(name)}\n\n"

    def heading_span(self, changelog: Changelog, section: Section) -> tuple[int, int]:
        start = section.line - 1
        if section.style.startswith(section.style[:1] + "o"):
            start -= 1
        stop = section.line + 1
        if section.style.endswith("|released") or section.pending:
            while stop < len(changelog.lines) and not changelog.lines[stop].strip():
                stop += 1
            stop += 1
        return start, stop


FORMAT = Rst()
