"""A branch's release tags, sorted out: pure, the release model reads them from git."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gates.knowledge.history import ReleaseTag

if TYPE_CHECKING:
    from semver import Version


@dataclass
class TagState:
    """The repository's release tags, highest SemVer first; the branch's own (its history's,
    plus the production branch's on develop); and the tags that are not releases."""

    releases: list[ReleaseTag]
    others: list[str]
    branch: list[ReleaseTag] = field(default_factory=list)
    floating: list[str] = field(default_factory=list)
    history: list[ReleaseTag] = field(default_factory=list)  # in HEAD's own history only

    @property
    def latest(self) -> ReleaseTag | None:
        """The highest version tag anywhere, pre-releases included."""
        return self.releases[0] if self.releases else None

    @property
    def latest_final(self) -> ReleaseTag | None:
        """The highest tag anywhere that is not a pre-release."""
        return next((t for t in self.releases if not t.prerelease), None)  # highest first

    @property
    def branch_latest(self) -> ReleaseTag | None:
        """The highest release tag merged into the branch: its latest release."""
        return self.branch[0] if self.branch else None

    @property
    def branch_final(self) -> ReleaseTag | None:
        return next((t for t in self.branch if not t.prerelease), None)  # highest first

    def notes(self) -> list[str]:
        """What a reader of the version should know: tags that are not releases, and
        releases that are not this branch's."""
        from gates.knowledge.history import TagSet

        notes = []
        ignored = TagSet(self.releases, self.floating, self.others).note()
        if ignored:
            notes.append(ignored)
        elsewhere = [t for t in self.releases if t not in self.branch]
        if elsewhere:
            notes.append(
                f"{len(elsewhere)} release tag(s) are not in this branch's history (highest:"
                f" {elsewhere[0].name}); they do not count as its latest release"
            )
        return notes

    def versions(self) -> list[Version]:
        return [t.version for t in self.releases]
