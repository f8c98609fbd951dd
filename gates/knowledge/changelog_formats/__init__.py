"""Changelog formats: one module per format, one protocol, a registry from name to module.

Every format reads its file into the shared release model of
`gates.knowledge.keepachangelog` (`Changelog` of `Section`s with versions, dates, groups of
entries and 1-based line numbers), validates what it promises, renders one release and
inserts a release into an existing file without touching any other byte. The code that uses
them (the changelog gate, `gate changelog`, `gate release`) asks the registry for a format and
never branches on its name. Adding a format is adding a module and a line to `MODULES`.

Pure: no I/O. What the repository's release tooling says (release-please, towncrier, …) comes
from `gates.adapters.changelog_tooling`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gates.knowledge.forges import Forge
    from gates.knowledge.keepachangelog import Changelog, Problem, Section

# name -> module in this package; the order is the tie-break of detection.
MODULES = {
    "keep-a-changelog": "keep_a_changelog",
    "conventional-changelog": "conventional_changelog",
    "commitizen": "commitizen",
    "git-cliff": "git_cliff",
    "pallets": "pallets",
    "rst": "rst",
    "towncrier": "towncrier",
    "changesets": "changesets",
    "plain": "plain",
}
NAMES = tuple(MODULES)
AUTO = "auto"

# How a change proves it has its changelog entry.
UNRELEASED_ENTRY = "unreleased"  # a line added under the unreleased area of the file
FRAGMENT = "fragment"  # a file added to a fragment directory (towncrier, changesets)
COMMIT = "commit"  # the Conventional Commit itself: a tool writes the file at release time


class Change(Protocol):
    """One Conventional Commit, as `gate changelog` collects it."""

    sha: str
    type: str
    scope: str | None
    description: str
    breaking: bool


class Settings(Protocol):
    categories: dict[str, str]
    breaking_first: bool


class ChangelogFormat(Protocol):
    """What every format module's `FORMAT` offers."""

    name: str
    title: str  # the format as a reader knows it
    files: tuple[str, ...]  # the file names it usually has, most usual first
    entry_rule: str  # UNRELEASED_ENTRY, FRAGMENT or COMMIT
    has_unreleased: bool  # the file keeps an area for changes not released yet
    fragment_dir: str | None  # where a change adds its fragment (FRAGMENT formats)
    fragment_hint: str  # the command that adds one

    def fragment_problems(self, name: str, text: str, types: tuple[str, ...]) -> list[Problem]:
        """What is wrong with one fragment file (its name and its text)."""

    def detect(self, text: str) -> int:
        """How sure (0-100) that the text is in this format; 0 when it is not."""

    def parse(self, text: str) -> Changelog: ...

    def validate(self, changelog: Changelog) -> list[Problem]: ...

    def body(self, changelog: Changelog, section: Section) -> str:
        """A release's text under its heading: its notes."""

    def groups(
        self, changes: Sequence[Change], settings: Settings, forge: Forge | None
    ) -> dict[str, list[str]]:
        """The format's section name -> entry lines, in the format's order."""

    def render_release(
        self, version: str | None, date: str | None, groups: dict[str, list[str]], link: str | None
    ) -> str:
        """One release (version None: the unreleased area), heading and body."""

    def new_file(self, sections: list[str]) -> str: ...

    def insert_release(
        self,
        text: str,
        version: str,
        date: str,
        groups: dict[str, list[str]],
        *,
        link: str | None = None,
    ) -> str:
        """A new release placed by version, written like the file's own newest release."""

    def merge_unreleased(
        self, text: str, groups: dict[str, list[str]], *, link: str | None = None
    ) -> str:
        """The entries the unreleased area lacks added (unchanged text where there is none)."""

    def link_unreleased(self, text: str, link: str) -> str:
        """The unreleased area's link set, where the file keeps such links."""

    def link_references(self, links: list[tuple[str, str]]) -> str:
        """Link reference lines (label, url) to end a new file, where the format has them."""

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
        """`gate release`: the unreleased changes become the dated release `version`."""


def get(name: str) -> ChangelogFormat:
    """The format called `name` (one of NAMES); KeyError for any other name."""
    module = importlib.import_module(f"gates.knowledge.changelog_formats.{MODULES[name]}")
    fmt: Any = module.FORMAT
    return fmt


def detect(text: str) -> tuple[str | None, int]:
    """The format the text is most likely written in, and how sure (None, 0: no idea)."""
    best: tuple[str | None, int] = (None, 0)
    for name in NAMES:
        score = get(name).detect(text)
        if score > best[1]:
            best = (name, score)
    return best


def resolve(configured: str | None, text: str | None, tool_hint: str | None) -> str:
    """The format to use: the configured one, else the release tooling's, else the file's look,
    else Keep a Changelog."""
    if configured and configured != AUTO:
        return configured
    if tool_hint and get(tool_hint).entry_rule == FRAGMENT:
        return tool_hint  # the file is compiled from fragments, whatever it looks like
    if text and text.strip():
        name, score = detect(text)
        if name is not None and score >= 20:
            return name
    if tool_hint:
        return tool_hint
    return "keep-a-changelog"


def mismatch(name: str, text: str) -> str | None:
    """The format the text looks like when it is clearly not `name`, else None."""
    if not text.strip() or get(name).detect(text) > 0:
        return None
    other, score = detect(text)
    return other if other is not None and score >= 20 else None
