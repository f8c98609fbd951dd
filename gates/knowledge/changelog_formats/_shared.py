"""What the Markdown-like formats share: versions and dates, the line-by-line reader, the checks
every format makes, and edits that replace a range of lines and leave every other byte.

A format is a subclass of `MarkdownFormat` that says how its release headings look, which
group names it knows and how it writes one entry; everything else is here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from gates.knowledge.keepachangelog import (
    Category,
    Changelog,
    Problem,
    Section,
    real_date,
    semver_key,
    version_problems,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from gates.knowledge.changelog_formats import Change, Settings
    from gates.knowledge.forges import Forge

# PEP 440 release numbers and their pre/post/dev parts: what Python projects (Pallets, attrs,
# towncrier users) write when they do not write SemVer.
_PEP440 = re.compile(
    r"^v?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre>a|b|c|rc|alpha|beta)[-_.]?(?P<pre_n>\d*))?"
    r"(?:[-_.]?post[-_.]?(?P<post>\d*))?"
    r"(?:[-_.]?dev[-_.]?(?P<dev>\d*))?$",
    re.IGNORECASE,
)
_ATX = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*#*[ \t]*$")
_BULLET_PREFIX = re.compile(r"^[-*+][ \t]+(?=\S)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^([-*_=~])\1{3,}\s*$")
ISSUE_REF = re.compile(r"(?<![\[\w&])#(\d+)\b")


_SHORT_PRE = re.compile(r"^v?(\d+\.\d+)(-[0-9A-Za-z][0-9A-Za-z.-]*)$")


def version_key(version: str) -> tuple | None:
    """A sort key for SemVer and PEP 440 versions alike (`8.1` sorts as `8.1.0`), else None."""
    key = semver_key(version[1:] if version[:1] in "vV" else version)
    if key is not None:
        pre = key[3]
        return (key[0], key[1], key[2], 0, (1,) if len(pre) == 1 else (0, 2, *pre[1:]))
    match = _PEP440.match(version)
    if not match:
        short = _SHORT_PRE.match(version)  # `1.0-avh`: a two-part version with a label
        return version_key(f"{short.group(1)}.0{short.group(2)}") if short else None
    parts = [int(p) for p in match.group("release").split(".")]
    if len(parts) > 4:
        return None
    parts += [0] * (4 - len(parts))
    if match.group("dev") is not None and match.group("pre") is None:
        tail: tuple = (0, 0, int(match.group("dev") or 0))
    elif match.group("pre") is not None:
        tail = (0, 1, match.group("pre").lower(), int(match.group("pre_n") or 0))
    elif match.group("post") is not None:
        tail = (2, int(match.group("post") or 0))
    else:
        tail = (1,)
    return (*parts, tail)


def newline(lines: list[str]) -> str:
    first = lines[0] if lines else "\n"
    return "\r\n" if first.endswith("\r\n") else "\n"


def native(text: str, nl: str) -> str:
    return text.replace("\n", nl) if nl != "\n" else text


def last_content_line(lines: list[str], start: int, end: int) -> int:
    """0-based index just after the last non-blank line in [start, end) (1-based lines)."""
    last = start
    for number in range(start, end):
        if lines[number - 1].strip():
            last = number
    return last


def issue_link(text: str, forge: Forge | None) -> str:
    """`#123` as the forge's link to issue 123, as release-please writes it."""
    if forge is None or forge.kind not in ("github", "gitlab"):
        return text
    issues = f"{forge.web}/-/issues/" if forge.kind == "gitlab" else f"{forge.web}/issues/"
    return ISSUE_REF.sub(lambda m: f"[#{m.group(1)}]({issues}{m.group(1)})", text)


def upper_first(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def template(text: str, heading: Heading) -> str:
    """A heading's text with its version and date as `{version}` and `{date}`."""
    text = text.replace("{", "{{").replace("}", "}}")
    if heading.date:
        text = text.replace(heading.date, "{date}")
    return text.replace(heading.title, "{version}") if heading.title else text


def fill(style: str, version: str, date: str | None) -> str:
    return (
        style.replace("{version}", version)
        .replace("{date}", date or "")
        .replace("{{", "{")
        .replace("}}", "}")
    )


class EntryReader:
    """Bullet entries with their continuation lines kept as written (line breaks, indentation,
    blank lines inside an entry), so that writing an entry back gives the same bytes."""

    def __init__(self) -> None:
        self.open = False
        self.blank = 0

    def close(self) -> None:
        self.open, self.blank = False, 0

    def feed(self, entries: list[str], line: str) -> None:
        bullet = _BULLET_PREFIX.match(line)
        if bullet:
            if self.open and self.blank and entries:
                entries[-1] += "\n" * self.blank  # the blank lines after an item are its own
            entries.append(line[bullet.end() :])
            self.open, self.blank = True, 0
        elif not line.strip():
            if self.open:
                self.blank += 1
        elif self.open and line.startswith((" ", "\t")):
            entries[-1] += "\n" * (self.blank + 1) + line
            self.blank = 0
        else:
            self.close()


class SectionBuilder:
    """The releases of a changelog, built as a reader meets their headings, group headings and
    lines of text; the reader decides what a line is, the builder where it goes."""

    __slots__ = (
        "_entries",
        "_first_text",
        "_meta_line",
        "_target",
        "category",
        "current",
        "end",
        "sections",
    )

    def __init__(self, meta_line: Callable[[Section, str], bool], line_count: int) -> None:
        self.sections: list[Section] = []
        self.current: Section | None = None
        self.category: Category | None = None
        self.end = line_count + 1  # a release's end until the next heading ends it
        self._meta_line = meta_line
        self._first_text = False
        self._entries = EntryReader()
        self._target: list[str] | None = None  # the entries of the current group or release

    def release(self, section: Section, previous_end: int) -> None:
        """A release heading: `previous_end` ends the release before it."""
        if self.current is not None:
            self.current.end = previous_end
        self.current, self.category = section, None
        self._target = section.loose_entries
        self.sections.append(section)
        self._first_text = True
        self._entries.close()

    def group(self, category: Category) -> None:
        assert self.current is not None
        self.current.categories.append(category)
        self.category = category
        self._target = category.entries
        self._first_text = False
        self._entries.close()

    def inner_heading(self) -> None:
        self._entries.close()

    def stop(self, end: int) -> None:
        """A heading that is neither a release nor a group: the releases end at `end`."""
        if self.current is not None:
            self.current.end = end
        self.current, self.category, self._target = None, None, None
        self._entries.close()

    def text(self, line: str) -> None:
        """A line under a heading: the heading's own (a date, a status) or an entry's."""
        target = self._target
        if target is None:
            return
        if self._first_text and line.strip():
            self._first_text = False
            assert self.current is not None
            if self._meta_line(self.current, line.strip()):
                return
        self._entries.feed(target, line)

    def fenced(self, line: str) -> None:
        """A line of a fenced block: inside an entry it is the entry's text, else skipped."""
        target = self._target
        if target is not None and self._entries.open and (not line.strip() or line[:1] in " \t"):
            self._entries.feed(target, line)


def items_text(entries: list[str], spacing: Spacing) -> str:
    """Bullet lines; a blank line between the items in a loose list (the file's own, or, where
    a formatter writes the file, one item of several paragraphs)."""
    loose = spacing.loose or (spacing.loose_paragraphs and any("\n\n" in e for e in entries))
    gap = "\n" if loose else ""
    items = [
        f"{spacing.bullet}{e}\n" + ("" if e.endswith("\n") or i == len(entries) - 1 else gap)
        for i, e in enumerate(entries)
    ]
    return "".join(items)


def _loose(lines: list[str], start: int, stop: int) -> bool:
    """Whether a blank line separates two bullet items of one paragraph each in
    lines[start:stop]."""
    in_item = blank = paragraphs = False
    for line in lines[start:stop]:
        if not line.strip():
            blank = True
            continue
        if _BULLET_PREFIX.match(line):
            if in_item and blank and not paragraphs:
                return True
            in_item, paragraphs = True, False
        elif not line[:1].isspace():
            in_item = False
        elif blank:
            paragraphs = True
        blank = False
    return False


def plain(entry: str) -> str:
    """An entry's text on one line, its line breaks and indentation folded to single spaces."""
    return " ".join(entry.split())


@dataclass(frozen=True)
class Spacing:
    """How a file lays out a release: blank lines after the heading, before each later group and
    after the release, the bullet (`* `, `-   `) and the group heading's mark (`###`, `^`)."""

    first: int = 1
    group: int = 1
    bullet: str = "- "
    group_mark: str = "###"
    loose: bool = False  # a blank line between items
    tail: str = "\n"  # what follows a release before the next one
    loose_paragraphs: bool = False  # … also when an item has several paragraphs (prettier)


@dataclass(frozen=True)
class Heading:
    """What a release heading says: its version (or `Unreleased`), date and link."""

    title: str
    date: str | None = None
    link: str | None = None
    trailing: str = ""
    pending: bool = False


class MarkdownFormat:
    """A changelog of `#` headings, one per release, `###` groups and bulleted entries."""

    name = ""
    title = ""
    files: tuple[str, ...] = ("CHANGELOG.md",)
    entry_rule = "commit"
    has_unreleased = False
    requires_unreleased = False  # validation: the unreleased area must exist
    requires_date = True
    known_groups: tuple[str, ...] = ()
    strict_groups = False  # unknown group names are errors (else warnings: they are configurable)
    group_level = 3
    fragment_dir: str | None = None
    fragment_hint = ""
    versioned_unreleased = False  # the unreleased section is the next version's (Pallets)
    oldest_first = False  # entries in commit order (git-cliff), else newest first
    breaking_first = True  # honour changelog.breaking_first (git-cliff marks them in place)
    unreleased_title = "Unreleased"

    # --- what a format says about itself ---------------------------------------------

    def read_heading(self, level: int, text: str) -> Heading | None:
        """The release a `#` heading opens, or None when it opens none."""
        raise NotImplementedError

    def detect(self, text: str) -> int:
        raise NotImplementedError

    def heading(
        self, version: str | None, date: str | None, link: str | None, like: Section | None
    ) -> str:
        """The heading line(s) of a new release, written like `like` (the file's newest
        release) when there is one, else in the format's default shape."""
        if version is None:
            return f"{'#' * (like.level if like else 2)} {self.unreleased_title}"
        if (
            like is not None
            and "{version}" in like.style
            and ("{date}" in like.style or not date or not self.requires_date)
        ):
            return "#" * like.level + " " + fill(like.style, version, date)
        return self.default_heading(version, date, link)

    def default_heading(self, version: str, date: str | None, link: str | None) -> str:
        return f"## {version}" + (f" ({date})" if date else "")

    def group_names(self, change: Change, settings: Settings) -> list[str]:
        """The groups a change is listed under (none: it is left out)."""
        return []

    def entry(self, change: Change, forge: Forge | None) -> str:
        return upper_first(change.description)

    def like(self, releases: list[Section], version: str) -> Section | None:
        """The release whose heading a new release's heading copies: the newest."""
        return releases[0] if releases else None

    def fragment_problems(self, name: str, text: str, types: tuple[str, ...]) -> list[Problem]:
        return []

    def meta_line(self, section: Section, line: str) -> bool:
        """The first line of text under a heading, when it belongs to the heading (a date)."""
        return False

    # --- reading ---------------------------------------------------------------------

    def parse(self, text: str) -> Changelog:
        lines = text.splitlines(keepends=True)
        builder = SectionBuilder(self.meta_line, len(lines))
        text_line = builder.text
        in_fence = False
        for number, raw in enumerate(lines, start=1):
            line = raw.rstrip("\r\n")
            # the substring tests only spare most lines a regular expression
            fence = ("```" in line or "~~~" in line) and _FENCE.match(line) is not None
            if fence or in_fence:
                in_fence = in_fence != fence
                builder.fenced(line)
                continue
            atx = _ATX.match(line) if line[:1] == "#" else None
            if atx:
                self._read_atx(builder, atx, number)
            else:
                text_line(line)
        return Changelog(lines, builder.sections, {}, None)

    def _read_atx(self, builder: SectionBuilder, atx: re.Match[str], number: int) -> None:
        """A `#` heading: a release, a group of the current release, or the end of releases."""
        level = len(atx.group("hashes"))
        found = self.read_heading(level, atx.group("text"))
        current = builder.current
        if found is not None:
            builder.release(
                Section(
                    title=found.title,
                    line=number,
                    end=builder.end,
                    date=found.date,
                    trailing=found.trailing,
                    level=level,
                    link=found.link,
                    pending=found.pending,
                    style=template(atx.group("text"), found),
                ),
                previous_end=number,
            )
        elif current is not None and level > self.group_level:
            builder.inner_heading()  # a heading inside an entry's text
        elif current is not None and (level == self.group_level or level > current.level):
            builder.group(Category(atx.group("text"), number))
        else:
            builder.stop(number)

    # --- checking --------------------------------------------------------------------

    def validate(self, changelog: Changelog) -> list[Problem]:
        problems: list[Problem] = []
        sections = changelog.sections
        unreleased = [s for s in sections if s.unreleased]
        if self.requires_unreleased and sections and not unreleased:
            problems.append(
                Problem(
                    "unreleased",
                    f"no `{self.unreleased_title}` area above the releases",
                    sections[0].line,
                    f"add {self.unreleased_title!r} above the newest release; new entries go there",
                )
            )
        for extra in [s for s in unreleased if not s.pending][1:]:
            problems.append(
                Problem("duplicate", "a second unreleased section", extra.line, "merge the two")
            )
        if unreleased and sections[0] is not unreleased[0]:
            problems.append(
                Problem(
                    "unreleased",
                    "the unreleased section is not the first one",
                    unreleased[0].line,
                    "move it above every release",
                )
            )
        versions: list[tuple[tuple, Section]] = []
        for section in sections:
            problems += self._group_problems(section)
            if section.unreleased and not section.pending:
                continue
            key = version_key(section.title)
            if key is None:
                problems.append(
                    Problem(
                        "version",
                        f"`{section.title}` is not a valid version",
                        section.line,
                        "write MAJOR.MINOR.PATCH (e.g. 1.2.0), see https://semver.org",
                    )
                )
                continue
            if not section.pending:
                problems += self._date_problems(section)
            versions.append((key, section))
        # a pre-release line may be written beside the stable one (changesets)
        problems += version_problems(
            versions, hint="list releases newest first", beside=lambda key: key[4][0] == 0
        )
        return sorted(problems, key=lambda p: p.line)

    def _date_problems(self, section: Section) -> list[Problem]:
        if section.date is None:
            if not self.requires_date:
                return []
            return [
                Problem(
                    "date",
                    f"release {section.title} has no date",
                    section.line,
                    f"write the release date (YYYY-MM-DD) as {self.title} does",
                )
            ]
        if real_date(section.date):
            return []
        return [
            Problem(
                "date",
                f"`{section.date}` is not a real date in ISO 8601 form (YYYY-MM-DD)",
                section.line,
                "write the release date as YYYY-MM-DD, e.g. 2026-11-20",
            )
        ]

    def _group_problems(self, section: Section) -> list[Problem]:
        if not self.known_groups:
            return []
        known = {g.lower() for g in self.known_groups}
        return [
            Problem(
                "category",
                f"unknown section `{'#' * self.group_level} {c.name}` for {self.title}",
                c.line,
                "use one of " + ", ".join(self.known_groups),
                warning=not self.strict_groups,
            )
            for c in section.categories
            if c.name.lower() not in known
        ]

    # --- writing ---------------------------------------------------------------------

    def groups(
        self, changes: Sequence[Change], settings: Settings, forge: Forge | None
    ) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        ordered = list(reversed(changes)) if self.oldest_first else list(changes)
        if self.breaking_first and getattr(settings, "breaking_first", True):
            ordered.sort(key=lambda c: not c.breaking)
        for change in ordered:
            for name in self.group_names(change, settings):
                grouped.setdefault(name, []).append(self.entry(change, forge))
        order = {g: i for i, g in enumerate(self.known_groups)}
        return dict(sorted(grouped.items(), key=lambda kv: order.get(kv[0], len(order))))

    default_spacing = Spacing()

    def spacing(self, changelog: Changelog, like: Section | None) -> Spacing:
        """The layout of `like` (the release a new one copies), else the format's default."""
        default = self.default_spacing
        if like is None:
            return default
        lines = changelog.lines
        _start, stop = self.heading_span(changelog, like)
        first = _blanks_from(lines, stop, like.end - 1)
        group = default.group
        if len(like.categories) > 1:
            group = _blanks_before(lines, like.categories[1].line - 1)
        tail = self._gap_after(changelog, like)
        bullet, mark = default.bullet, default.group_mark
        for index in range(stop, like.end - 1):
            found = _BULLET_PREFIX.match(lines[index])
            if found:
                bullet = found.group(0)
                break
        if like.categories:
            mark = self.group_mark(lines, like.categories[0])
        # Where a formatter writes the file (prettier: changesets) only paragraphs make it loose.
        loose = not default.loose_paragraphs and _loose(lines, stop, like.end - 1)
        return replace(
            default,
            first=first,
            group=group,
            tail=tail,
            bullet=bullet,
            group_mark=mark,
            loose=loose,
        )

    def _gap_after(self, changelog: Changelog, like: Section) -> str:
        """What lies between one release and the next (blank lines, a `----` transition):
        after `like`, else after the release above it."""
        sections = changelog.sections
        index = sections.index(like)
        if index + 1 >= len(sections):
            if index == 0:
                return self.default_spacing.tail
            like = sections[index - 1]
        lines = changelog.lines
        last = like.line
        for number in range(like.line, like.end):
            if lines[number - 1].strip() and not self.is_separator(lines[number - 1]):
                last = number
        return "".join(line.rstrip("\r\n") + "\n" for line in lines[last : like.end - 1])

    def is_separator(self, line: str) -> bool:
        """A line that separates releases without being part of one (a rule, a transition)."""
        return _RULE.match(line) is not None

    def group_mark(self, lines: list[str], category: Category) -> str:
        return lines[category.line - 1].split(" ", 1)[0]

    def group_gap(self, previous: str, spacing: Spacing) -> int:
        """Blank lines before a group that follows the group `previous`."""
        return spacing.group

    def render_body(self, groups: dict[str, list[str]], spacing: Spacing) -> str:
        blocks: list[str] = []
        previous = ""
        for name, entries in groups.items():
            if not entries:
                continue
            gap = "\n" * (self.group_gap(previous, spacing) if blocks else spacing.first)
            previous = name
            items = items_text(entries, spacing)
            blocks.append(gap + (self.group_title(name, spacing) if name else "") + items)
        return "".join(blocks)

    def group_title(self, name: str, spacing: Spacing) -> str:
        return f"{spacing.group_mark} {name}\n\n"

    def render_release(
        self, version: str | None, date: str | None, groups: dict[str, list[str]], link: str | None
    ) -> str:
        if version is None and self.versioned_unreleased:
            return ""  # the unreleased section names its future version, unknown here
        return (
            self.heading(version, date, link, None)
            + "\n"
            + self.render_body(groups, self.default_spacing)
        )

    def new_file(self, sections: list[str]) -> str:
        return "# Changelog\n\n" + "\n".join(s.rstrip("\n") + "\n" for s in sections)

    def insert_release(
        self,
        text: str,
        version: str,
        date: str,
        groups: dict[str, list[str]],
        *,
        link: str | None = None,
    ) -> str:
        changelog = self.parse(text)
        lines = list(changelog.lines)
        nl = newline(lines)
        releases = [s for s in changelog.sections if not s.unreleased]
        like = self.like(releases, version)
        spacing = self.spacing(changelog, like)
        block = self.heading(version, date, link, like) + "\n" + self.render_body(groups, spacing)
        key = version_key(version)
        index = None
        for section in releases:
            other = version_key(section.title)
            if key is not None and other is not None and other < key:
                index = self.heading_span(changelog, section)[0]
                break
        if index is None:
            index = self._end(changelog)
            if index > 0:
                if not lines[index - 1].endswith(("\n", "\r")):
                    lines[index - 1] += nl
                if lines[index - 1].strip():
                    block = spacing.tail + block
        else:
            block += spacing.tail
        return "".join([*lines[:index], native(block, nl), *lines[index:]])

    def _end(self, changelog: Changelog) -> int:
        if changelog.sections:
            last = changelog.sections[-1]
            return last_content_line(changelog.lines, last.line, last.end)
        return len(changelog.lines)

    def merge_unreleased(
        self, text: str, groups: dict[str, list[str]], *, link: str | None = None
    ) -> str:
        """The entries the unreleased section lacks, added to their groups (new groups after its
        last line); a file without an unreleased section is left as it is."""
        if not self.has_unreleased:
            return text
        changelog = self.parse(text)
        section = changelog.unreleased
        if section is None:
            return text
        lines = list(changelog.lines)
        nl = newline(lines)
        spacing = self.spacing(changelog, section)
        additions = self._unreleased_additions(section, groups, lines, spacing)
        # at one index a new group goes in first, so that entries appended to the group just
        # above end up before it
        for index, _order, block in sorted(additions, key=lambda a: (a[0], a[1]), reverse=True):
            if not lines[index - 1].endswith(("\n", "\r")):
                lines[index - 1] += nl
            lines.insert(index, native(block, nl))
        return "".join(lines)

    def _unreleased_additions(
        self, section: Section, groups: dict[str, list[str]], lines: list[str], spacing: Spacing
    ) -> list[tuple[int, int, str]]:
        """(index, tie-break, text) of each block to insert: the missing entries of a group the
        section has after its last entry (tie-break 0), the new groups after the section's last
        line (tie-break 1)."""
        present = {plain(e) for e in section.entries()}
        additions: list[tuple[int, int, str]] = []
        new_groups: dict[str, list[str]] = {}
        for name, entries in groups.items():
            missing = [e for e in entries if plain(e) not in present]
            if not missing:
                continue
            span = _group_span(section, name)
            if span is None:
                new_groups[name] = missing
            else:
                last = last_content_line(lines, *span)
                additions.append((last, 0, items_text(missing, spacing)))
        if new_groups:
            last = last_content_line(lines, section.line, section.end)
            first = spacing.first if not section.entries() else spacing.group
            body = self.render_body(new_groups, replace(spacing, first=first))
            additions.append((last, 1, body))
        return additions

    def link_unreleased(self, text: str, link: str) -> str:
        return text

    def link_references(self, links: list[tuple[str, str]]) -> str:
        return ""

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
        """The unreleased section, when the file has one, becomes the release; else a new one."""
        changelog = self.parse(text)
        section = changelog.unreleased if self.has_unreleased else None
        if section is None:
            return self.insert_release(text, version, date, groups, link=link)
        text = self.merge_unreleased(text, groups, link=link)
        changelog = self.parse(text)
        section = changelog.unreleased
        assert section is not None
        lines = list(changelog.lines)
        nl = newline(lines)
        heading = self.heading(version, date, link, self.like(changelog.releases, version))
        start, stop = self.heading_span(changelog, section)
        lines[start:stop] = [native(heading + "\n", nl)]
        return "".join(lines)

    def body(self, changelog: Changelog, section: Section) -> str:
        """The text under a release's heading (and its status line), without blank lines
        around it."""
        stop = self.heading_span(changelog, section)[1]
        return "".join(changelog.lines[stop : section.end - 1]).strip("\r\n") + "\n"

    def heading_span(self, changelog: Changelog, section: Section) -> tuple[int, int]:
        """0-based [start, stop) of the lines a heading occupies."""
        return section.line - 1, section.line


def _group_span(section: Section, name: str) -> tuple[int, int] | None:
    """The lines [start, end) of the group `name` in a section (the unnamed group: the section's
    loose entries), or None when the section has no such group."""
    existing = next((c for c in section.categories if c.name == name), None)
    if existing is not None:
        following = [c.line for c in section.categories if c.line > existing.line]
        return existing.line, min(following) if following else section.end
    if not name and section.loose_entries:
        return section.line, section.end
    return None


def _blanks_from(lines: list[str], index: int, stop: int) -> int:
    count = 0
    while index + count < stop and not lines[index + count].strip():
        count += 1
    return count


def _blanks_before(lines: list[str], index: int) -> int:
    count = 0
    while index - count - 1 >= 0 and not lines[index - count - 1].strip():
        count += 1
    return count
