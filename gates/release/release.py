"""`gate release`: next version, dated changelog section, bumped version sources, commit and tag.

All or nothing. Every file is planned before the first is written, each is
written to a temporary file and renamed, and any failure — a refusing hook,
an existing tag, SIGINT or SIGTERM — puts back the files, the index, the
branch and the tags as they were. Signals are deferred while the release is
being written, so an interrupt lands between two steps, never inside one,
and leads to the same roll-back.
"""

from __future__ import annotations

import contextlib
import signal
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.adapters.repo_paths import inside
from gates.errors import EXIT_FAIL, GateError, GateToolError
from gates.release.options import ReleaseOptions

if TYPE_CHECKING:
    from gates.context import Context
    from gates.release.next_version import NextVersion
    from gates.runner import Report


class ReleaseRefused(GateToolError):
    """The release may not be cut here or now: exit 1, nothing touched."""

    exit_code = EXIT_FAIL


class ReleaseInterrupted(GateToolError):
    """A signal arrived during the release; everything was rolled back."""

    def __init__(self, signum: int) -> None:
        name = signal.Signals(signum).name
        super().__init__(f"interrupted by {name}: the release was rolled back, nothing changed")
        self.exit_code = 128 + signum


@dataclass
class Plan:
    version: str
    tag: str
    latest_tag: str | None
    bump: str | None
    reasons: list[str]
    branch: str
    date: str
    commit_message: str
    changelog_path: Path
    changelog_before: str | None
    changelog_after: str
    version_files: list[str] = field(default_factory=list)
    sources_current: bool = False  # the version sources declare the version already
    component: str | None = None  # a monorepo's component, released on its own
    source_root: Path | None = None  # where its version sources are (the root: None)
    versioning: dict[str, Any] | None = None  # the versioning settings they are read with

    def describe(self, root: Path) -> str:
        what = f"{self.component} {self.version}" if self.component else self.version
        lines = [
            f"release {what} from {self.branch} (latest: {self.latest_tag or 'none'};"
            f" bump: {self.bump or 'none'})",
        ]
        lines += [f"  because {reason}" for reason in self.reasons]
        changelog = self.changelog_path.relative_to(root)
        action = "create" if self.changelog_before is None else "update"
        lines.append(
            f"  {action} {changelog}: the unreleased changes become {self.version} ({self.date})"
        )
        for name in self.version_files:
            lines.append(f"  bump {name} to {self.version}")
        if not self.version_files and self.sources_current:
            lines.append(f"  the version sources declare {self.version} already")
        elif not self.version_files:
            lines.append("  no version source to bump (the tag carries the version)")
        lines.append(f"  commit: {self.commit_message}")
        lines.append(f"  annotated tag: {self.tag}")
        return "\n".join(lines) + "\n"


def branch_allowed(branch: str | None, patterns: list[str]) -> bool:
    return branch is not None and any(fnmatchcase(branch, p) for p in patterns)


def refusals(ctx: Context) -> None:
    """Refuse on a branch that takes no release, or a dirty work tree."""

    patterns = list(ReleaseOptions.from_policy(ctx.policy).branches)
    branch = ctx.branch
    if not branch_allowed(branch, patterns):
        raise ReleaseRefused(
            f"no release from {'a detached HEAD' if branch is None else 'branch ' + repr(branch)}: "
            f"release.branches allows {', '.join(patterns) or 'no branch'}",
            hint=(
                "check out a release branch (release/X.Y.Z), a hotfix branch or main, or change"
                " release.branches"
            ),
        )
    if ctx.git.is_dirty():
        raise ReleaseRefused(
            "the work tree has uncommitted changes",
            hint="commit or stash them first: a release commit contains only the release",
        )
    lock = ctx.git.run("rev-parse", "--git-path", "index.lock").strip()
    if (ctx.root / lock).exists():  # refuse before writing: the commit could not be made
        raise GateError(
            f"the git index is locked ({lock}): another git process is running, or one crashed",
            hint="wait for it to finish; if none runs, remove the lock file",
        )


def releases_components(ctx: Context) -> bool:
    """Whether `gate release` releases a monorepo's components (see `is_monorepo`)."""
    from gates.adapters.workspaces import is_monorepo

    return is_monorepo(ctx)


def check_gates(ctx: Context, plan: Plan | None) -> Report:
    """The release stage's gates, judged on the state the release is about to write: the
    version gates see the planned version (never a refusal for the bump it will make), and
    the changelog gate is left out because the release writes the section it checks (the new
    changelog is validated before anything is written)."""
    from gates import runner

    if plan is not None:
        ctx.options["release_version"] = plan.version

    stage = ReleaseOptions.from_policy(ctx.policy).stage
    gate_ids = [g for g in ctx.policy.stage(stage) if g != "changelog"]
    return runner.run(ctx, gate_ids)


def make_plan(ctx: Context) -> Plan:
    from gates.adapters import workspaces
    from gates.adapters.changelog_tooling import locate
    from gates.adapters.version_files import read_sources, write_version
    from gates.adapters.workspaces import scope, tag_format
    from gates.knowledge.forges import forge_for
    from gates.knowledge.semver import format_tag
    from gates.release import changelog_writer as writer
    from gates.release.next_version import next_version

    versioning = ctx.policy.section("versioning")
    changelog_policy = ctx.policy.section("changelog")
    release = ReleaseOptions.from_policy(ctx.policy)
    component = scope(ctx)
    source_root = workspaces.source_root(ctx)
    versioning = workspaces.versioning_for(ctx)
    changelog_policy = workspaces.changelog_for(ctx)
    upcoming = next_version(ctx)
    version = str(upcoming.next)
    tag = format_tag(version, tag_format(ctx))
    _refuse_unless_new(ctx, upcoming, version, tag)
    settings = writer.Settings.from_policy(
        versioning, changelog_policy, ctx.policy.section("commits")
    )
    forge = forge_for(ctx.git.remote_url())
    located = locate(ctx.root, changelog_policy)
    fmt, path, before = located.format, located.path, located.text
    unreleased, _note = writer.collect(ctx, settings, unreleased_only=True)
    text = writer.update(before, unreleased, settings, forge, fmt)
    date = ctx.now.date().isoformat()
    previous = upcoming.latest_tag
    link = unreleased_link = None
    if forge is not None:
        link = forge.compare_url(previous, tag) if previous else forge.tag_url(tag)
        unreleased_link = forge.compare_url(tag, "HEAD")
    groups = writer.entries(unreleased[0], settings, forge, fmt) if unreleased else {}
    text = fmt.cut_release(text, version, date, groups, link=link, unreleased_link=unreleased_link)
    problems = [p for p in fmt.validate(fmt.parse(text)) if not p.warning]
    if problems:
        first = problems[0]
        raise ReleaseRefused(
            f"{path.name}:{first.line}: {first.message} ({len(problems)} problem(s) in the"
            f" changelog)",
            hint=f"{first.hint}; `gate check changelog` lists them all",
        )
    version_files: list[str] = []
    static = [s for s in read_sources(source_root, versioning) if not s.dynamic]
    if static:
        # A dry run checks every rewrite now, so an unsafe one refuses before anything is written.
        planned = write_version(source_root, versioning, version, dry_run=True)
        version_files = sorted(str(path.relative_to(ctx.root)) for path in planned)
    message = release.commit_message.replace("{version}", tag if component else version)
    return Plan(
        version=version,
        tag=tag,
        latest_tag=upcoming.latest_tag,
        bump=upcoming.bump,
        reasons=list(upcoming.reasons),
        branch=ctx.branch or "",
        date=date,
        commit_message=message,
        changelog_path=path,
        changelog_before=before,
        changelog_after=text,
        version_files=version_files,
        sources_current=bool(static) and not version_files,
        component=component.name if component else None,
        source_root=source_root if component else None,
        versioning=versioning if component else None,
    )


def component_plans(ctx: Context) -> tuple[list[Plan], list[str]]:
    """A plan for every component with something to release, dependencies first; and why
    each other one has nothing to release."""
    from gates.adapters.workspaces import components
    from gates.context import Context as Narrowed
    from gates.knowledge.components import in_dependency_order

    plans: list[Plan] = []
    skipped: list[str] = []
    for component in in_dependency_order(components(ctx)):
        options = {**ctx.options, "component": component.name}
        options.pop("_component", None)
        narrowed = Narrowed(
            ctx.root, ctx.policy, ctx.stage, options=options, env=ctx.env, now=ctx.now
        )
        try:
            plans.append(make_plan(narrowed))
        except ReleaseRefused as exc:
            skipped.append(f"{component.name}: {exc.message}")
    if not plans:
        raise ReleaseRefused(
            "nothing to release: no component has a change that requires a release",
            hint="`gate version next --component NAME` explains each one",
        )
    return plans, skipped


def _refuse_unless_new(ctx: Context, upcoming: NextVersion, version: str, tag: str) -> None:
    """A release is a new version, newer than every release of the branch, on a new tag."""
    from gates.knowledge import keepachangelog

    if upcoming.next is None:
        raise ReleaseRefused(
            f"nothing to release: {upcoming.reasons[0]}",
            hint="commit a feat or fix first (`gate version next` explains the bump)",
        )
    if upcoming.latest is not None and str(upcoming.latest) == version:
        raise ReleaseRefused(
            f"nothing to release: {upcoming.latest_tag} already is {version}",
            hint="commit a feat or fix first (`gate version next` explains the bump)",
        )
    newer, latest_key = keepachangelog.semver_key(version), None
    if upcoming.latest is not None:
        latest_key = keepachangelog.semver_key(str(upcoming.latest))
    if newer is not None and latest_key is not None and newer < latest_key:
        raise ReleaseRefused(
            f"{version} is lower than the latest release {upcoming.latest_tag}",
            hint="a release must be newer than every tag; check the branch name or Release-As",
        )
    if ctx.git.rev_parse(f"refs/tags/{tag}") is not None:
        raise ReleaseRefused(
            f"the tag {tag} already exists", hint="delete it, or release another version"
        )


class _DeferredSignals:
    """SIGINT and SIGTERM recorded, not acted on, until `check()` between two steps."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _DeferredSignals:
        for signum in self.SIGNALS:
            # Outside the main thread signals cannot be caught; errors still roll back.
            with contextlib.suppress(ValueError):
                self._previous[signum] = signal.signal(signum, self._record)
        return self

    def _record(self, signum: int, _frame: object) -> None:
        self.received = self.received or signum

    def check(self) -> None:
        if self.received is not None:
            raise ReleaseInterrupted(self.received)

    def __exit__(self, *_exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


def execute(ctx: Context, plan: Plan | list[Plan], *, tag_it: bool = True) -> None:
    """Write, commit and tag (`tag_it`) one release, or several components' in one commit;
    on any failure or signal, roll everything back and re-raise."""
    from gates.adapters.atomic_files import atomic_write, read_bytes
    from gates.adapters.version_files import write_version

    plans = plan if isinstance(plan, list) else [plan]
    git = ctx.git
    paths = [
        path
        for each in plans
        for path in (
            each.changelog_path,
            *(inside(ctx.root, name, "versioning.sources") for name in each.version_files),
        )
    ]
    before = _Before({path: read_bytes(path) for path in paths}, git.resolve("HEAD"))
    tags: list[str] = []
    message = plans[0].commit_message
    if len(plans) > 1:
        message = "chore(release): " + ", ".join(each.tag for each in plans)
    with _DeferredSignals() as signals:
        try:
            for each in plans:
                atomic_write(each.changelog_path, each.changelog_after)
                signals.check()
                if each.version_files:
                    write_version(
                        each.source_root or ctx.root,
                        each.versioning or ctx.policy.section("versioning"),
                        each.version,
                    )
                signals.check()
            git.run("add", "--", *(str(p.relative_to(ctx.root)) for p in paths))
            signals.check()
            # The release commit lands on a protected branch by design; the
            # protected-branch hook lets it through and notes it.
            git.run("commit", "-q", "-m", message, env={"GATE_RELEASE": "1"})
            signals.check()
            for each in plans if tag_it else []:
                named = f"{each.component} {each.version}" if each.component else each.version
                git.run("tag", "-a", each.tag, "-m", f"Release {named}")
                tags.append(each.tag)
                signals.check()
        except BaseException as exc:
            try:
                _roll_back(ctx, before, tags)
            except Exception as failure:
                names = " ".join(each.tag for each in plans)
                raise GateError(
                    f"the release failed ({exc}) and so did the roll-back: {failure}",
                    hint=f"check `git status`, `git log -1` and `git tag -l {names}` by hand",
                ) from exc
            raise


@dataclass
class _Before:
    """What the release may change, as it was: file bytes (None: no file) and HEAD."""

    files: dict[Path, bytes | None]
    head: str


def _roll_back(ctx: Context, before: _Before, tags: list[str]) -> None:
    from gates.adapters.atomic_files import restore

    git = ctx.git
    # The files first: they need no index, so they come back even when git cannot work.
    for path, content in before.files.items():
        restore(path, content)
    for tag in tags:
        git.run("tag", "-d", tag)
    if git.resolve("HEAD") != before.head:
        git.run("reset", "-q", "--soft", before.head)
    relative = [str(p.relative_to(ctx.root)) for p in before.files]
    listed = git.run("ls-tree", "-r", "--name-only", before.head, "--", *relative)
    tracked = set(listed.split("\n")) - {""}
    if tracked:
        git.run("reset", "-q", before.head, "--", *sorted(tracked))
    untracked = [name for name in relative if name not in tracked]
    if untracked:
        git.run("rm", "-q", "--cached", "--ignore-unmatch", "--", *untracked)


def notes(ctx: Context, version: str | None) -> str:
    """One release's notes (the section body), for a GitHub or GitLab release: the changelog's
    section when it has one, else generated from the commits. None means the latest release."""
    from gates.adapters.changelog_tooling import locate
    from gates.knowledge import keepachangelog
    from gates.knowledge.forges import forge_for
    from gates.knowledge.semver import tag_version
    from gates.policy.sections import VersioningOptions
    from gates.release import changelog_writer as writer

    versioning = ctx.policy.section("versioning")
    tag_format = VersioningOptions(versioning).tag_format
    if version is not None:
        from_tag = tag_version(version, tag_format)
        version = str(from_tag) if from_tag is not None else version
    located = locate(ctx.root, ctx.policy.section("changelog"))
    path, text = located.path, located.text
    if text is not None:
        changelog = located.format.parse(text)
        section = (
            changelog.section(version)
            if version
            else (changelog.releases[0] if changelog.releases else None)
        )
        if section is not None:
            return located.format.body(changelog, section)
    settings = writer.Settings.from_policy(
        versioning, ctx.policy.section("changelog"), ctx.policy.section("commits")
    )
    releases = [r for r in writer.collect(ctx, settings)[0] if r.version is not None]
    release = next((r for r in releases if version is None or r.version == version), None)
    if release is None:
        raise GateError(
            f"no release {version or ''} in {path.name} or in the tags".replace("  ", " "),
            hint="name a released version, e.g. `gate release --notes 1.2.0`",
        )
    body = keepachangelog.render_entries(
        writer.entries(release, settings, forge_for(ctx.git.remote_url()))
    )
    return body or "No notable changes.\n"
