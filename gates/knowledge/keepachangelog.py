"""Keep a Changelog 1.1.0: parse, validate, and edit without touching other bytes.

The text is kept as its own lines (line endings included), so every edit
replaces a range of lines and leaves the rest of the file byte for byte.
Pure: no I/O, no git.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

CATEGORIES = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
UNRELEASED = "Unreleased"

_HEADING = re.compile(r"^##(?!#)\s*(?P<rest>.*?)\s*$")
_BRACKETED = re.compile(r"^\[(?P<title>[^\]]*)\](?P<after>.*)$")
_DATE_PART = re.compile(r"^\s*[-–—]\s*(?P<date>\S+)(?P<after>.*)$")
_YANKED = re.compile(r"^\s*\[YANKED\]\s*$", re.IGNORECASE)
_CATEGORY = re.compile(r"^###(?!#)\s*(?P<name>.*?)\s*$")
_ENTRY = re.compile(r"^[-*+]\s+\S")
_LINK = re.compile(r"^\[(?P<label>[^\]]+)\]:\s*(?P<url>\S+)")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# SemVer 2.0.0, the regex the specification recommends.
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


class ChangelogError(ValueError):
    """The file cannot be edited as asked (its structure leaves no place for the change)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: `rule` is the rule name (without the gate id)."""

    rule: str
    message: str
    line: int
    hint: str
    warning: bool = False


@dataclass
class Category:
    name: str
    line: int
    entries: list[str] = field(default_factory=list)


@dataclass
class Section:
    """One `## ` heading and what is under it. Lines are 1-based; `end` is exclusive."""

    title: str
    line: int
    end: int
    date: str | None = None
    yanked: bool = False
    bracketed: bool = True
    trailing: str = ""
    categories: list[Category] = field(default_factory=list)
    loose_entries: list[str] = field(default_factory=list)
    # Other formats (gates.knowledge.changelog_formats): the heading's level (`##` is 2), the
    # link in the heading, a version section that is not released yet (Pallets' `Unreleased`),
    # and the heading's text as a template (`Version {version}`) that a new release copies.
    level: int = 2
    link: str | None = None
    pending: bool = False
    style: str = ""

    @property
    def unreleased(self) -> bool:
        return self.pending or self.title.lower() == UNRELEASED.lower()

    @property
    def version(self) -> str | None:
        return None if self.unreleased else self.title

    def entries(self) -> list[str]:
        return [e for c in self.categories for e in c.entries] + self.loose_entries

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)


@dataclass
class Changelog:
    lines: list[str]
    sections: list[Section]
    links: dict[str, tuple[str, int]]
    links_line: int | None

    @property
    def text(self) -> str:
        return "".join(self.lines)

    @property
    def unreleased(self) -> Section | None:
        return next((s for s in self.sections if s.unreleased), None)

    @property
    def releases(self) -> list[Section]:
        return [s for s in self.sections if not s.unreleased]

    def section(self, version: str) -> Section | None:
        return next((s for s in self.releases if s.title == version), None)

    def body(self, section: Section) -> str:
        """The text under a section's heading, without the heading and surrounding blank lines."""
        return "".join(self.lines[section.line : section.end - 1]).strip("\n") + "\n"


def semver_key(version: str) -> tuple | None:
    """A sort key in SemVer 2.0.0 precedence, or None for a version that is not SemVer."""
    match = _SEMVER.match(version)
    if not match:
        return None
    major, minor, patch, pre, _build = match.groups()
    if pre is None:
        pre_key: tuple = (1,)
    else:
        pre_key = (0, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")))
    return (int(major), int(minor), int(patch), pre_key)


def is_semver(version: str) -> bool:
    return _SEMVER.match(version) is not None


def parse(text: str) -> Changelog:
    """The sections, categories, entries and link references of a Keep a Changelog file."""
    parser = _Parser(text.splitlines(keepends=True))
    for number, raw in enumerate(parser.lines, start=1):
        parser.feed(number, raw.rstrip("\r\n"))
    return Changelog(parser.lines, parser.sections, parser.links, parser.links_line)


class _Parser:
    """Line by line: code fences, link references, `## ` sections, `### ` categories, entries."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.sections: list[Section] = []
        self.links: dict[str, tuple[str, int]] = {}
        self.links_line: int | None = None
        self.current: Section | None = None
        self.category: Category | None = None
        self.in_fence = False
        self.entry_open = False

    def feed(self, number: int, line: str) -> None:
        if _FENCE.match(line):
            self.in_fence = not self.in_fence
        elif self.in_fence:
            return
        elif link := _LINK.match(line):
            self.links.setdefault(link.group("label").lower(), (link.group("url"), number))
            if self.links_line is None:
                self.links_line = number
            self._close(number)
            self.entry_open = False
        elif heading := _HEADING.match(line):
            self._close(number)
            self.current = _section(heading.group("rest"), number, len(self.lines) + 1)
            self.sections.append(self.current)
            self.category, self.entry_open = None, False
        elif line.startswith("# "):
            self._close(number)
            self.current, self.category = None, None
        elif self.current is not None:
            if self.links_line is not None and line.strip():
                self.links_line = None  # that block of links was not the one at the bottom
            self._body(number, line, self.current)

    def _close(self, number: int) -> None:
        if self.current is not None:
            self.current.end = min(self.current.end, number)

    def _body(self, number: int, line: str, section: Section) -> None:
        entries = self.category.entries if self.category else section.loose_entries
        if head := _CATEGORY.match(line):
            self.category = Category(head.group("name"), number)
            section.categories.append(self.category)
            self.entry_open = False
        elif _ENTRY.match(line):
            entries.append(line[2:].strip())
            self.entry_open = True
        elif self.entry_open and line.startswith((" ", "\t")) and line.strip():
            entries[-1] += " " + line.strip()
        elif line.strip():
            self.entry_open = False


def _section(rest: str, line: int, end: int) -> Section:
    bracket = _BRACKETED.match(rest)
    if bracket:
        title, after, bracketed = bracket.group("title").strip(), bracket.group("after"), True
    else:
        title, _, after = rest.partition(" ")
        after, bracketed = (" " + after if after else ""), False
    date = None
    date_part = _DATE_PART.match(after)
    if date_part:
        date, after = date_part.group("date"), date_part.group("after")
    yanked = False
    if after.strip() and _YANKED.match(after):
        yanked, after = True, ""
    return Section(
        title=title,
        line=line,
        end=end,
        date=date,
        yanked=yanked,
        bracketed=bracketed,
        trailing=after.strip(),
    )


def version_problems(
    versions: list[tuple[tuple, Section]],
    *,
    hint: str = "list releases newest first, in descending SemVer order",
    beside: Callable[[tuple], bool] | None = None,
) -> list[Problem]:
    """What every changelog format promises of its releases, given as (sort key, section)
    in file order: no version twice, and newest first. `beside` marks the keys of a line
    that may be written beside the main one (changesets' pre-releases): never out of order."""
    seen: dict[tuple, Section] = {}
    repeated: dict[tuple, list[Section]] = {}
    previous: tuple[tuple, Section] | None = None
    problems: list[Problem] = []
    for key, section in versions:
        if key in seen:
            repeated.setdefault(key, [seen[key]]).append(section)
            continue
        seen[key] = section
        if beside is not None and beside(key):
            continue
        if previous is not None and key > previous[0]:
            problems.append(
                Problem(
                    "order",
                    f"version {section.title} comes after {previous[1].title}, which is lower",
                    section.line,
                    hint,
                )
            )
        previous = (key, section)
    return problems + duplicate_problems(repeated)


def duplicate_problems(repeated: dict[tuple, list[Section]]) -> list[Problem]:
    """One problem per version written more than once (one cause, one finding), at its
    second section, naming every line it stands on."""
    problems = []
    for sections in repeated.values():
        lines = ", ".join(str(section.line) for section in sections)
        times = "twice" if len(sections) == 2 else f"{len(sections)} times"
        problems.append(
            Problem(
                "duplicate",
                f"version {sections[0].title} appears {times} (lines {lines})",
                sections[1].line,
                "merge the sections; each version has one",
            )
        )
    return problems


def validate(changelog: Changelog) -> list[Problem]:
    """Every way the file departs from Keep a Changelog 1.1.0 and SemVer, each with its line."""
    sections = changelog.sections
    if not sections:
        return [
            Problem(
                "unreleased",
                "no `## [Unreleased]` section and no release sections",
                1,
                "add `## [Unreleased]` below the introduction",
            )
        ]
    problems = _unreleased_problems(sections)
    versions: list[tuple[tuple, Section]] = []
    for section in sections:
        problems += _heading_problems(section)
        problems += _category_problems(section)
        key = None if section.unreleased else semver_key(section.title)
        if key is not None:
            versions.append((key, section))
    problems += version_problems(versions)
    problems += _link_problems(changelog)
    return sorted(problems, key=lambda p: p.line)


def _unreleased_problems(sections: list[Section]) -> list[Problem]:
    """One `Unreleased` section, first, without a date."""
    unreleased = [s for s in sections if s.unreleased]
    if not unreleased:
        return [
            Problem(
                "unreleased",
                "no `## [Unreleased]` section",
                sections[0].line,
                "add `## [Unreleased]` above the newest release; new entries go there",
            )
        ]
    problems = [
        Problem(
            "duplicate",
            "a second `Unreleased` section",
            extra.line,
            "merge it into the first one",
        )
        for extra in unreleased[1:]
    ]
    if sections[0] is not unreleased[0]:
        problems.append(
            Problem(
                "unreleased",
                "`Unreleased` is not the first section",
                unreleased[0].line,
                "move `## [Unreleased]` above every release",
            )
        )
    if unreleased[0].date:
        problems.append(
            Problem(
                "heading",
                "`Unreleased` has a date",
                unreleased[0].line,
                "write `## [Unreleased]`; the date comes when it is released",
            )
        )
    return problems


def _category_problems(section: Section) -> list[Problem]:
    """Categories outside Keep a Changelog's six, and a category written twice."""
    problems = [
        Problem(
            "category",
            f"unknown category `### {category.name}`",
            category.line,
            "use one of " + ", ".join(CATEGORIES),
        )
        for category in section.categories
        if category.name not in CATEGORIES
    ]
    problems += [
        Problem(
            "category",
            f"`### {category.name}` appears twice in {section.title}",
            category.line,
            "merge the two lists",
            warning=True,
        )
        for category in section.categories
        if section.category(category.name) is not category
    ]
    return problems


def _heading_problems(section: Section) -> list[Problem]:
    problems = []
    if not section.bracketed:
        problems.append(
            Problem(
                "heading",
                f"heading `{section.title}` has no brackets",
                section.line,
                f"write `## [{section.title}]`",
                warning=True,
            )
        )
    if section.unreleased:
        return problems
    if not is_semver(section.title):
        problems.append(
            Problem(
                "version",
                f"`{section.title}` is not a valid semantic version",
                section.line,
                "write MAJOR.MINOR.PATCH (e.g. 1.2.0), see https://semver.org",
            )
        )
    if section.date is None:
        problems.append(
            Problem(
                "date",
                f"release {section.title} has no date",
                section.line,
                f"write `## [{section.title}] - YYYY-MM-DD`; unreleased changes go under `##"
                f" [Unreleased]`",
            )
        )
    elif not real_date(section.date):
        problems.append(
            Problem(
                "date",
                f"`{section.date}` is not a real date in ISO 8601 form (YYYY-MM-DD)",
                section.line,
                "write the release date as YYYY-MM-DD, e.g. 2026-11-20",
            )
        )
    if section.trailing:
        problems.append(
            Problem(
                "heading",
                f"unexpected text after the heading: `{section.trailing}`",
                section.line,
                "only ` - YYYY-MM-DD` and ` [YANKED]` follow the version",
            )
        )
    return problems


def real_date(text: str) -> bool:
    """An ISO 8601 calendar date that exists (no 2026-02-30)."""
    if not _ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _link_problems(changelog: Changelog) -> list[Problem]:
    if not changelog.links:
        return []
    problems = []
    for section in changelog.sections:
        if section.bracketed and section.title.lower() not in changelog.links:
            problems.append(
                Problem(
                    "link",
                    f"no link reference for [{section.title}]",
                    section.line,
                    f"add `[{section.title}]: <compare URL>` at the bottom, beside the others",
                    warning=True,
                )
            )
    return problems


# --- rendering and editing -------------------------------------------------


def render_entries(categories: dict[str, list[str]]) -> str:
    """`### Category` blocks in Keep a Changelog order, each a list of `- entry` lines."""
    blocks = []
    for name in CATEGORIES:
        entries = categories.get(name) or []
        if entries:
            blocks.append(f"### {name}\n\n" + "".join(f"- {e}\n" for e in entries))
    return "\n".join(blocks)


def render_section(version: str | None, date: str | None, categories: dict[str, list[str]]) -> str:
    """One section, heading and body, ending with a blank line."""
    heading = (
        f"## [{UNRELEASED}]"
        if version is None
        else f"## [{version}]" + (f" - {date}" if date else "")
    )
    body = render_entries(categories)
    return heading + "\n\n" + (body + "\n" if body else "")


HEADER = """# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

"""


def new_file(sections: list[str], links: list[tuple[str, str]]) -> str:
    """A whole new changelog: the standard introduction, the sections, the link references."""
    text = HEADER + "\n".join(s.rstrip("\n") + "\n" for s in sections)
    if links:
        text += "\n" + "".join(f"[{label}]: {url}\n" for label, url in links)
    return text


def _newline(changelog: Changelog) -> str:
    first = changelog.lines[0] if changelog.lines else "\n"
    return "\r\n" if first.endswith("\r\n") else "\n"


def _native(text: str, newline: str) -> str:
    return text.replace("\n", newline) if newline != "\n" else text


def merge_unreleased(text: str, categories: dict[str, list[str]]) -> str:
    """Add the entries Unreleased lacks (a list per category), keeping every line already there.

    Creates the Unreleased section when there is none. Entries already present
    (same text) are not added again, so merging twice changes nothing.
    """
    changelog = parse(text)
    nl = _newline(changelog)
    section = changelog.unreleased
    if section is None:
        insert_at = (
            changelog.sections[0].line - 1 if changelog.sections else _insert_point(changelog)
        )
        block = _blank_before(changelog.lines, insert_at, nl) + render_section(None, None, {})
        lines = [*changelog.lines[:insert_at], _native(block, nl), *changelog.lines[insert_at:]]
        if parse("".join(lines)).unreleased is None:
            # The place for the section is inside a code fence that never closes.
            raise ChangelogError(
                "cannot add an Unreleased section: the file ends inside an unclosed code fence"
                " (``` or ~~~)"
            )
        return merge_unreleased("".join(lines), categories)
    present = set(section.entries())
    lines = list(changelog.lines)
    # Edit from the bottom up so earlier line numbers stay valid.
    # (index, tie-break, text): at one index a new category block goes in first, so that entries
    # appended to the category just above end up before it.
    additions: list[tuple[int, int, str]] = []
    new_categories: dict[str, list[str]] = {}
    for name in CATEGORIES:
        missing = [e for e in categories.get(name) or [] if e not in present]
        if not missing:
            continue
        existing = section.category(name)
        if existing is None:
            new_categories[name] = missing
            continue
        last = _last_content_line(lines, existing.line, _category_end(section, existing))
        if not lines[last - 1].endswith(("\n", "\r")):
            lines[last - 1] += nl
        additions.append((last, 0, "".join(f"- {e}{nl}" for e in missing)))
    if new_categories:
        index, block = _new_category_blocks(lines, section, new_categories, nl)
        additions.append((index, 1, block))
    for index, _order, block in sorted(additions, key=lambda a: (a[0], a[1]), reverse=True):
        lines.insert(index, block)
    return "".join(lines)


def _category_end(section: Section, category: Category) -> int:
    following = [c.line for c in section.categories if c.line > category.line]
    return min(following) if following else section.end


def _last_content_line(lines: list[str], start: int, end: int) -> int:
    """0-based index just after the last non-blank line in [start, end) (1-based lines)."""
    last = start
    for number in range(start, end):
        if lines[number - 1].strip():
            last = number
    return last


def _new_category_blocks(
    lines: list[str], section: Section, new: dict[str, list[str]], nl: str
) -> tuple[int, str]:
    """New `### Category` blocks go after the section's last content, before the blank line."""
    last = _last_content_line(lines, section.line, section.end)
    if not lines[last - 1].endswith(("\n", "\r")):
        lines[last - 1] += nl
    body = _native(render_entries(new), nl)
    return last, nl + body


def _insert_point(changelog: Changelog) -> int:
    """Where a first section goes when the file has none: before the link references, else the"
    " end."""
    if changelog.links_line is not None:
        return changelog.links_line - 1
    return len(changelog.lines)


def insert_release(text: str, version: str, date: str, categories: dict[str, list[str]]) -> str:
    """A new release section placed in SemVer order among the existing ones; nothing else moves."""
    changelog = parse(text)
    nl = _newline(changelog)
    block = _native(render_section(version, date, categories), nl)
    key = semver_key(version)
    index = None
    for section in changelog.releases:
        other = semver_key(section.title)
        if key is not None and other is not None and other < key:
            index = section.line - 1
            break
    if index is None:
        index = _after_sections(changelog)
        block = _blank_before(changelog.lines, index, nl) + block
    lines = [*changelog.lines[:index], block, *changelog.lines[index:]]
    return "".join(lines)


def _after_sections(changelog: Changelog) -> int:
    if changelog.sections:
        last = changelog.sections[-1]
        return _last_content_line(changelog.lines, last.line, last.end)
    return _insert_point(changelog)


def _blank_before(lines: list[str], index: int, nl: str) -> str:
    if index == 0:
        return ""
    previous = lines[index - 1]
    if not previous.endswith(("\n", "\r")):
        lines[index - 1] = previous + nl
        return nl
    return "" if not previous.strip() else nl


def release_unreleased(text: str, version: str, date: str) -> str:
    """Rename `Unreleased` to `[version] - date` and open a new, empty `Unreleased` above it."""
    changelog = parse(text)
    nl = _newline(changelog)
    section = changelog.unreleased
    if section is None:
        return insert_release(text, version, date, {})
    lines = list(changelog.lines)
    lines[section.line - 1] = f"## [{UNRELEASED}]{nl}{nl}## [{version}] - {date}{nl}"
    return "".join(lines)


def set_link(text: str, label: str, url: str) -> str:
    """Set the link reference `[label]: url`, replacing the old one or adding it in version"
    " order."""
    changelog = parse(text)
    nl = _newline(changelog)
    lines = list(changelog.lines)
    existing = changelog.links.get(label.lower())
    new_line = f"[{label}]: {url}{nl}"
    if existing is not None:
        old = lines[existing[1] - 1]
        old_label = _LINK.match(old.rstrip("\r\n"))
        spelled = old_label.group("label") if old_label else label
        lines[existing[1] - 1] = f"[{spelled}]: {url}{nl}"
        return "".join(lines)
    link_lines = sorted(line for _, line in changelog.links.values())
    if not link_lines:
        while lines and not lines[-1].strip():
            lines.pop()
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += nl
        return "".join([*lines, nl, new_line])
    key = semver_key(label)
    for line in link_lines:
        match = _LINK.match(lines[line - 1].rstrip("\r\n"))
        other = semver_key(match.group("label")) if match else None
        if key is not None and other is not None and other < key:
            lines.insert(line - 1, new_line)
            return "".join(lines)
    last = link_lines[-1]
    while last < len(lines) and _LINK.match(lines[last].rstrip("\r\n")):
        last += 1
    if not lines[last - 1].endswith(("\n", "\r")):
        lines[last - 1] += nl
    lines.insert(last, new_line)
    return "".join(lines)
