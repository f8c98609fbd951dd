"""What bump the next release requires, and why: one answer for `gate version next` and for
the version gate alike, so that the two cannot drift.

Pure: the release model reads the pending commits (and the public API's breaks) and hands
them here. By precedence: a `Release-As: X.Y.Z` footer (release-please's convention) sets the
version and nothing else decides; otherwise the largest bump a pending commit requires, raised
to the breaking bump (minor while 0.x by policy) by evidence that the public API changed
incompatibly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from gates.knowledge.semver import BUMP_RANK

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from semver import Version

    from gates.knowledge.history import Change, ReleaseTag
    from gates.knowledge.semver import Bump

MAX_REASONS = 5


class PendingCommit(Protocol):
    """A commit no release holds yet, as the git adapter reads it."""

    @property
    def sha(self) -> str: ...

    @property
    def message(self) -> str: ...

    @property
    def subject(self) -> str: ...

    @property
    def short(self) -> str: ...

    @property
    def is_merge(self) -> bool: ...


class Evidence(Protocol):
    """One incompatible change to the public API (the python_api adapter's ApiBreak)."""

    @property
    def path(self) -> str | None: ...

    @property
    def line(self) -> int | None: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class ReleaseAs:
    """A `Release-As:` footer: the version it sets, or why its text is not a version."""

    text: str
    commit: PendingCommit
    version: Version | None
    error: str | None = None


@dataclass(frozen=True)
class Requirement:
    """The bump the branch's next release requires since its latest final release, and why."""

    since: ReleaseTag | None  # the branch's latest final release, which the bump starts from
    breaking: Bump  # what a breaking change bumps on this line
    commits: int  # how many commits no release of the branch holds
    forced: ReleaseAs | None
    by_commits: Bump | None
    commit_reasons: list[str]
    api_breaks: list[Evidence] = field(default_factory=list)

    @property
    def api_decides(self) -> bool:
        """Whether the public API's breaks require more than the commits do."""
        return bool(self.api_breaks) and BUMP_RANK[self.breaking] > BUMP_RANK[self.by_commits]

    @property
    def bump(self) -> Bump | None:
        """The bump required: the commits', raised to the breaking bump by an API break."""
        return self.breaking if self.api_decides else self.by_commits

    @property
    def reasons(self) -> list[str]:
        """Why, the deciding evidence first."""
        if not self.api_decides or self.since is None:
            return list(self.commit_reasons)
        first, others = self.api_breaks[0], len(self.api_breaks) - 1
        more = f" (and {others} more)" if others else ""
        return [
            f"the public API changed incompatibly since {self.since.name}: "
            f"{first.describe()}{more}",
            *self.commit_reasons,
        ]

    def with_api_breaks(self, breaks: Iterable[Evidence]) -> Requirement:
        return replace(self, api_breaks=list(breaks))


def requirement(
    pending: Sequence[tuple[PendingCommit, Change | None]],
    since: ReleaseTag | None,
    zero_major_breaking: str,
    scheme: str,
) -> Requirement:
    """What the pending commits (newest first) require of the release after `since`."""
    from gates.knowledge.semver import breaking_bump

    breaking = breaking_bump(since.version if since else None, zero_major_breaking)
    by_commits, reasons = commit_reasons(pending, breaking)
    return Requirement(
        since=since,
        breaking=breaking,
        commits=len(pending),
        forced=forced_release(pending, scheme),
        by_commits=by_commits,
        commit_reasons=reasons,
    )


def forced_release(
    pending: Iterable[tuple[PendingCommit, Change | None]], scheme: str
) -> ReleaseAs | None:
    """The newest `Release-As:` footer, with the version it sets."""
    from gates.knowledge.semver import VersionError, to_version

    found = release_as(pending)
    if found is None:
        return None
    text, commit = found
    try:
        return ReleaseAs(text, commit, to_version(text, scheme))
    except VersionError as exc:
        return ReleaseAs(text, commit, None, str(exc))


def release_as(
    pending: Iterable[tuple[PendingCommit, Change | None]],
) -> tuple[str, PendingCommit] | None:
    """The newest `Release-As:` footer (a git trailer of the commit's last paragraph)."""
    from gates.knowledge.conventional import trailers
    from gates.knowledge.semver import RELEASE_AS

    wanted = RELEASE_AS.casefold()
    for commit, _change in pending:
        value = next(
            (v for t, v in trailers(commit.message) if t.replace(" ", "-").casefold() == wanted),
            None,
        )
        if value:
            return value.strip(), commit
    return None


def commit_reasons(
    pending: Iterable[tuple[PendingCommit, Change | None]], breaking: Bump
) -> tuple[Bump | None, list[str]]:
    """The bump the commits require and the commits that require it."""
    from gates.knowledge.semver import commit_bump, max_bump

    bumps = [
        (commit, change, commit_bump(change, breaking))  # type: ignore[arg-type]
        for commit, change in pending
        if change
    ]
    required = max_bump(b for _, _, b in bumps)
    deciding = [(commit, change) for commit, change, b in bumps if b == required and b is not None]
    reasons = []
    for commit, change in deciding[:MAX_REASONS]:
        what = "breaking change" if change.breaking else change.type
        reasons.append(f"{what} in {commit.short} ({_subject(commit, change)}) requires {required}")
    if len(deciding) > MAX_REASONS:
        reasons.append(f"and {len(deciding) - MAX_REASONS} more commits that require {required}")
    return required, reasons


def _subject(commit: PendingCommit, change: Change, width: int = 60) -> str:
    """The subject (a merge's: its pull request's title), shortened at a word boundary."""
    subject = commit.subject.strip()
    if commit.is_merge:
        scope = f"({change.scope})" if change.scope else ""
        subject = f"{change.type}{scope}: {change.description}"
    if len(subject) <= width:
        return subject
    cut = subject[: width - 1].rsplit(" ", 1)[0] if " " in subject[:width] else subject[: width - 1]
    return cut + "…"
