"""Delivery metrics from the repository's own history: the four DORA measures.

A release is a final-version tag in the policy's tag format (pre-releases are
not deployments). Its date is the tag's date (the tagger's for an annotated
tag, the commit's for a lightweight one). A release is a hotfix when a commit
on its first-parent line (the merge into main) names a hotfix branch. Read with
one `git for-each-ref` and one streamed `git log` over every release tag:

- deployment frequency: releases, hotfixes included, per period;
- lead time for changes: for each change a release shipped, from its first
  commit (author date) to the release; a change is what one merge brought in,
  or one commit made straight on the line;
- change failure rate: the share of releases whose next release is a hotfix;
- time to restore: from such a release to the hotfix that followed it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.errors import GateError
from gates.knowledge import dora
from gates.knowledge.durations import in_hours

if TYPE_CHECKING:
    from gates.adapters.git import GitRepo
    from gates.context import Context

SCHEMA = "gate-metrics/1"


@dataclass(frozen=True)
class _Commit:
    parents: tuple[str, ...]
    authored: int
    subject: str


@dataclass
class Release:
    tag: str
    version: str
    sha: str
    time: int
    hotfix: bool = False
    commits: int = 0
    lead_times: tuple[float, ...] = ()
    failed: bool = False
    restore_seconds: float | None = None

    @property
    def date(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.time, dt.UTC)


def release_tags(git: GitRepo, tag_format: str, scheme: str = "semver") -> list[Release]:
    """Final-version release tags, oldest first; one release per commit."""
    from gates.knowledge.semver import VersionError, tag_version

    out = git.run(
        "for-each-ref",
        "--format=%(refname)%09%(*objectname)%09%(objectname)%09%(creatordate:unix)",
        "refs/tags",
    )
    releases: list[Release] = []
    for line in out.splitlines():
        ref, peeled, direct, stamp = line.split("\t")
        name = ref.removeprefix("refs/tags/")
        try:
            version = tag_version(name, tag_format, scheme)
        except VersionError as exc:
            raise GateError(str(exc), hint="fix versioning.tag_format in the policy") from None
        if version is None or version.prerelease is not None:
            continue
        releases.append(
            Release(tag=name, version=str(version), sha=peeled or direct, time=int(stamp or 0))
        )
    releases.sort(key=lambda r: (r.time, r.tag))
    seen: set[str] = set()
    unique = []
    for release in releases:
        if release.sha not in seen:
            seen.add(release.sha)
            unique.append(release)
    return unique


def _history(git: GitRepo, releases: list[Release]) -> tuple[dict[str, _Commit], list[str]]:
    """Every commit reachable from a release, and their topological order (newest first)."""
    from gates.adapters.git import LOG_FORMAT

    commits: dict[str, _Commit] = {}
    order: list[str] = []
    args = [
        "log",
        f"--format={LOG_FORMAT}",
        "--topo-order",
        "--no-color",
        *{r.sha for r in releases},
    ]
    for commit in git.stream_log(args):
        commits[commit.sha] = _Commit(commit.parents, commit.authored, commit.subject)
        order.append(commit.sha)
    return commits, order


def _assign(
    releases: list[Release], commits: dict[str, _Commit], order: list[str]
) -> dict[str, int]:
    """Each commit to the release that shipped it first: among the releases whose history
    model range holds it (gates/knowledge/history.py, the rule `gate changelog` lists
    by), the earliest. That is what a commit's lead time runs to."""
    from gates.knowledge.history import Ancestry

    parents = {sha: commit.parents for sha, commit in commits.items()}
    shas = [release.sha for release in releases]
    ranges = Ancestry(order, parents, shas).ranges(shas)
    owner: dict[str, int] = {}
    for index, release in enumerate(releases):  # oldest first
        for sha in ranges.get(release.sha, ()):
            owner.setdefault(sha, index)
    return owner


def _is_hotfix(
    release: Release, index: int, commits: dict[str, _Commit], owner: dict[str, int], prefix: str
) -> bool:
    sha: str | None = release.sha
    while sha and owner.get(sha) == index:
        if prefix in commits[sha].subject:
            return True
        parents = commits[sha].parents
        sha = parents[0] if parents else None
    return False


def _reach(starts: tuple[str, ...], shipped: set[str], commits: dict[str, _Commit]) -> set[str]:
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        sha = stack.pop()
        if sha in seen or sha not in shipped:
            continue
        seen.add(sha)
        stack.extend(commits[sha].parents)
    return seen


def _changes(shipped: set[str], merges: list[str], commits: dict[str, _Commit]) -> list[list[str]]:
    """A release's commits grouped into changes: what each merge brought in (its side of the
    merge, inner merges first so a feature branch stays one change inside a release branch),
    then each remaining commit alone."""
    claimed: set[str] = set()
    groups: list[list[str]] = []
    for merge in merges:  # oldest first
        parents = commits[merge].parents
        side = _reach(parents[1:], shipped, commits) - _reach(parents[:1], shipped, commits)
        group = [sha for sha in side if sha not in claimed and len(commits[sha].parents) < 2]
        claimed |= side
        claimed.add(merge)
        if group:
            groups.append(group)
    groups += [[sha] for sha in shipped if sha not in claimed and len(commits[sha].parents) < 2]
    return groups


# Release commits (the bump, the changelog) are no change of their own: not in lead time.
RELEASE_SUBJECTS = (r"^chore\(release\)", r"^bump: ", r"^chore: release ", r"^release: ")
_FIX_OR_REVERT = re.compile(r'^(?:fix|revert)(?:\([^)]*\))?!?: |^Revert "')
_REVERT = re.compile(r'^Revert "(?P<subject>.+)"$')
DEFINITION_HOTFIX = "hotfix"
DEFINITION_PATCH = "patch-or-revert"


def is_release_commit(subject: str, release_commit: str | None = None) -> bool:
    patterns = [*RELEASE_SUBJECTS, *([release_commit] if release_commit else [])]
    return any(re.search(pattern, subject) for pattern in patterns)


def analyse(
    git: GitRepo,
    tag_format: str,
    hotfix_prefix: str,
    scheme: str = "semver",
    *,
    release_commit: str | None = None,
    window_days: float = 7,
) -> list[Release]:
    """Every release with what it shipped, whether it was a hotfix, and whether it failed.

    Failed: the next release is a hotfix; on a repository without hotfix releases, the next
    release is a patch made only of fixes and reverts within `window_days`, or a later
    release reverts one of its changes (`definition()` says which applied)."""
    releases = release_tags(git, tag_format, scheme)
    if not releases:
        return []
    if git.is_shallow():
        raise GateError(
            "a shallow clone: lead times and releases would come from part of the history",
            hint="git fetch --unshallow --tags (or fetch-depth: 0 in actions/checkout)",
        )
    commits, order = _history(git, releases)
    owner = _assign(releases, commits, order)
    shipped: dict[int, set[str]] = {}
    for sha, index in owner.items():
        shipped.setdefault(index, set()).add(sha)
    merges: dict[int, list[str]] = {}
    for sha in reversed(order):  # oldest first
        if sha in owner and len(commits[sha].parents) > 1:
            merges.setdefault(owner[sha], []).append(sha)
    for index, release in enumerate(releases):
        release.hotfix = bool(hotfix_prefix) and _is_hotfix(
            release, index, commits, owner, hotfix_prefix
        )
        _measure(release, shipped.get(index, set()), merges.get(index, []), commits, release_commit)
    if any(r.hotfix for r in releases):
        for previous, following in itertools.pairwise(releases):
            if following.hotfix:
                previous.failed = True
                previous.restore_seconds = float(following.time - previous.time)
        return releases
    subjects = {
        index: [commits[sha].subject for sha in shas if len(commits[sha].parents) < 2]
        for index, shas in shipped.items()
    }
    _patch_or_revert(releases, subjects, release_commit, window_days)
    return releases


def _measure(
    release: Release,
    shipped: set[str],
    merges: list[str],
    commits: dict[str, _Commit],
    release_commit: str | None,
) -> None:
    """How many commits a release shipped, and the lead time of each change in it."""
    mine = {sha for sha in shipped if not is_release_commit(commits[sha].subject, release_commit)}
    release.commits = sum(1 for sha in shipped if len(commits[sha].parents) < 2)
    release.lead_times = tuple(
        float(max(0, release.time - min(commits[sha].authored for sha in group)))
        for group in _changes(mine, merges, commits)
    )


def _patch_or_revert(
    releases: list[Release],
    subjects: dict[int, list[str]],
    release_commit: str | None,
    window_days: float,
) -> None:
    """Without hotfixes: a release failed when the next one is a patch of only fixes and
    reverts within the window, or when a later release reverts one of its changes."""
    from gates.knowledge.semver import to_version

    shipped_in = {subject: index for index, subs in subjects.items() for subject in subs}
    for index, (previous, following) in enumerate(itertools.pairwise(releases)):
        own = [s for s in subjects.get(index + 1, []) if not is_release_commit(s, release_commit)]
        try:
            before, after = to_version(previous.version), to_version(following.version)
        except ValueError:
            continue
        patch = (after.major, after.minor) == (before.major, before.minor) and after > before
        soon = following.time - previous.time <= window_days * dora.DAY
        if patch and soon and own and all(_FIX_OR_REVERT.match(s) for s in own):
            previous.failed = True
            previous.restore_seconds = float(following.time - previous.time)
    for index, subs in subjects.items():
        for subject in subs:
            match = _REVERT.match(subject)
            origin = shipped_in.get(match.group("subject")) if match else None
            if origin is not None and origin < index and not releases[origin].failed:
                releases[origin].failed = True
                releases[origin].restore_seconds = float(
                    releases[index].time - releases[origin].time
                )


def definition(releases: list[Release]) -> str:
    """Which definition of a failed release applied (the report says it)."""
    return DEFINITION_HOTFIX if any(r.hotfix for r in releases) else DEFINITION_PATCH


def summary(releases: list[Release], start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """The four measures, with their bands, for the releases made in [start, end)."""
    span = [r for r in releases if start <= r.date < end]
    leads = [lead for r in span for lead in r.lead_times]
    restores = [r.restore_seconds for r in span if r.restore_seconds is not None]
    failed = sum(r.failed for r in span)
    rate = failed / len(span) if span else None
    seconds = (end - start).total_seconds()
    lead_median = dora.median(leads)
    restore_median = dora.median(restores)
    return {
        "deployment_frequency": {
            "releases": len(span),
            "hotfixes": sum(r.hotfix for r in span),
            "per_week": round(len(span) * dora.WEEK / seconds, 3) if seconds > 0 else None,
            "per_month": round(len(span) * 30 * dora.DAY / seconds, 3) if seconds > 0 else None,
            "band": dora.frequency_band(len(span), seconds)
            if span or seconds >= dora.MONTH
            else None,
        },
        "lead_time": {
            "changes": len(leads),
            "median_hours": in_hours(lead_median),
            "p90_hours": in_hours(dora.percentile(leads, 0.9)),
            "band": dora.lead_time_band(lead_median),
        },
        "change_failure_rate": {
            "releases": len(span),
            "failed": failed,
            "rate": None if rate is None else round(rate, 4),
            "band": dora.failure_band(rate),
        },
        "time_to_restore": {
            "incidents": len(restores),
            "median_hours": in_hours(restore_median),
            "band": dora.restore_band(restore_median),
        },
    }


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def report(
    releases: list[Release],
    *,
    since: dt.datetime | None,
    until: dt.datetime,
    by: str,
    audit: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The gate-metrics/1 document: totals, one entry per period, and each release."""
    if since is None:
        since = min((r.date for r in releases), default=until - dt.timedelta(days=90))
    since = since.replace(hour=0, minute=0, second=0, microsecond=0)
    periods = []
    for start, end in dora.periods(since, until, by):
        periods.append(
            {
                "period": dora.period_label(start, by),
                "start": _iso(start),
                "end": _iso(end),
                **summary(releases, max(start, since), min(end, until)),
            }
        )
    in_range = [r for r in releases if since <= r.date < until]
    return {
        "schema": SCHEMA,
        "since": _iso(since),
        "until": _iso(until),
        "by": by,
        "totals": summary(releases, since, until),
        "periods": periods,
        "releases": [
            {
                "tag": r.tag,
                "version": r.version,
                "commit": r.sha,
                "date": _iso(r.date),
                "hotfix": r.hotfix,
                "failed": r.failed,
                "commits": r.commits,
                "changes": len(r.lead_times),
                "lead_time_median_hours": in_hours(dora.median(r.lead_times)),
                "restore_hours": in_hours(r.restore_seconds),
            }
            for r in in_range
        ],
        "audit": audit,
        "change_failure_definition": definition(releases),
    }


def read_audit(
    path: Path, since: dt.datetime, until: dt.datetime, top: int = 5
) -> dict[str, Any] | None:
    """Blocked versus allowed deploys and the most frequent reasons, from the deploy audit log
    (one JSON object per line); None when there is no log. Unreadable lines are counted."""
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise GateError(f"cannot read the deploy audit log {path}: {exc.strerror or exc}") from None
    allowed = blocked = unreadable = 0
    reasons: Counter[str] = Counter()
    environments: Counter[str] = Counter()
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            unreadable += 1
            continue
        verdict = _verdict(entry) if isinstance(entry, dict) else None
        if verdict is None:
            unreadable += 1
            continue
        moment = _moment(entry)
        if moment is not None and not since <= moment < until:
            continue
        environments[str(entry.get("environment") or entry.get("env") or "?")] += 1
        if verdict:
            allowed += 1
        else:
            blocked += 1
            reasons.update(_reasons(entry))
    return {
        "log": str(path),
        "allowed": allowed,
        "blocked": blocked,
        "unreadable_lines": unreadable,
        "environments": dict(environments.most_common()),
        "top_reasons": [
            {"reason": reason, "count": count} for reason, count in reasons.most_common(top)
        ],
    }


def _verdict(entry: dict[str, Any]) -> bool | None:
    """True for an allowed deploy, False for a blocked one, None when the line says neither."""
    for key in ("allowed", "passed"):
        if isinstance(entry.get(key), bool):
            return entry[key]
    verdict = str(entry.get("verdict", entry.get("status", ""))).lower()
    if verdict in ("allow", "allowed", "pass", "passed", "ok", "deploy"):
        return True
    if verdict in ("block", "blocked", "fail", "failed", "deny", "denied", "error"):
        return False
    return None


def _moment(entry: dict[str, Any]) -> dt.datetime | None:
    for key in ("time", "timestamp", "at", "date"):
        value = entry.get(key)
        if isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return None


def _reasons(entry: dict[str, Any]) -> list[str]:
    raw = entry.get("reasons", entry.get("reason", []))
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        if isinstance(item, dict) and item.get("severity") in ("warning", "note"):
            continue  # a warning on a blocked deploy is not why it was blocked
        text = (
            item.get("rule") or item.get("message") or item.get("gate")
            if isinstance(item, dict)
            else item
        )
        if text:
            out.append(str(text)[:200])
    return out


def collect(
    ctx: Context, *, since: dt.datetime | None, until: dt.datetime | None, by: str
) -> dict[str, Any]:
    """`gate metrics`: the document for this repository and policy."""
    from gates.policy.sections import BranchesOptions, CommitsOptions, VersioningOptions
    from gates.release.options import MetricsOptions

    until = until or ctx.now
    if since is not None and since >= until:
        from gates.errors import UsageError

        raise UsageError(f"--since {since.date()} is not before --until {until.date()}")
    if not ctx.git.has_commits():
        releases: list[Release] = []
    else:
        from gates.adapters.workspaces import tag_format

        releases = analyse(
            ctx.git,
            tag_format(ctx),
            BranchesOptions.from_policy(ctx.policy).prefixes.hotfix,
            VersioningOptions.from_policy(ctx.policy).scheme,
            release_commit=CommitsOptions.from_policy(ctx.policy).release_commit,
            window_days=float(MetricsOptions.from_policy(ctx.policy).failure_window_days),
        )
    document = report(releases, since=since, until=until, by=by)
    audit_log = ctx.policy.section("deploy").get("audit_log")
    if audit_log:
        from gates.adapters import repo_paths

        document["audit"] = read_audit(
            repo_paths.inside(ctx.root, audit_log, "deploy.audit_log"),
            dt.datetime.fromisoformat(document["since"]),
            until,
        )
    return document
