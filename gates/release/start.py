"""`gate release start [VERSION|auto] [--hotfix|--support]`: git-flow's start, bump first.

A release branch comes from develop, a hotfix branch from the production branch (or from
the support branch it is on), a support branch from a release tag. The first commit of a
release or hotfix branch is the version bump, so every gate agrees from the first moment:
the branch names X.Y.Z and the sources declare it. All or nothing: when the commit cannot
be made (a hook refuses it), the new branch is deleted and the old one checked out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gates.errors import GateError, UsageError

if TYPE_CHECKING:
    from gates.context import Context

KINDS = ("release", "hotfix", "support")


class Start(NamedTuple):
    kind: str
    branch: str  # the branch to create
    base: str  # where it starts: a branch or a tag
    version: str
    reasons: list[str]


def plan(ctx: Context, kind: str, value: str | None) -> Start:
    """What `gate release start` would do, refusing before anything is written."""
    from gates.knowledge.gitflow import classify

    branches = ctx.policy.section("branches")
    prefix = (branches.get("prefixes") or {}).get(kind)
    if not prefix:
        raise UsageError(
            f"this policy has no {kind} branches (branches.prefixes.{kind})",
            hint="the git-flow preset has them: `extends: gitflow`",
        )
    if ctx.git.is_dirty():
        raise GateError(
            "the work tree has uncommitted changes",
            hint="commit or stash them first: the new branch starts from a clean state",
        )
    if kind == "support":
        return _support(ctx, prefix, value)
    main = branches.get("main") or "main"
    current_kind, _ = classify(ctx.branch, branches)
    if kind == "release":
        base = branches.get("develop") or main
    else:
        base = ctx.branch if current_kind == "support" and ctx.branch else main
    if ctx.git.rev_parse(f"refs/heads/{base}") is None:
        raise GateError(
            f"there is no local branch {base} to start the {kind} from",
            hint=f"create it first: git branch {base} origin/{base}",
        )
    version, reasons = _version(ctx, kind, base, value)
    branch = f"{prefix}{version}"
    if ctx.git.rev_parse(f"refs/heads/{branch}") is not None:
        raise GateError(f"the branch {branch} exists already", hint=f"git checkout {branch}")
    return Start(kind, branch, base, version, reasons)


def _version(ctx: Context, kind: str, base: str, value: str | None) -> tuple[str, list[str]]:
    """The version the branch names: given, or `auto` from the history model at the base."""
    from gates.context import Context as Seen
    from gates.knowledge.semver import bump, parse_version
    from gates.policy.sections import VersioningOptions
    from gates.release.next_version import next_version, tag_state

    scheme = VersioningOptions.from_policy(ctx.policy).scheme
    if value and value != "auto":
        given = parse_version(value, scheme)
        if given is None:
            raise UsageError(
                f"'{value}' is not a version", hint="gate release start 1.4.0, or auto"
            )
        return str(given), [f"the version {given} was given"]
    seen = Seen(ctx.root, ctx.policy, ctx.stage, options={"branch": base, "head": base})
    if kind == "hotfix":
        final = tag_state(seen, VersioningOptions.from_policy(seen.policy)).branch_final
        if final is None:
            raise GateError(f"no release on {base} to make a hotfix of", hint="release it first")
        return str(bump(final.version, "patch")), [f"a patch of {final.name}, the latest on {base}"]
    upcoming = next_version(seen, api=False)
    if upcoming.next is None:
        raise GateError(
            f"{base} is the release {upcoming.released_at_head} already: nothing to release",
            hint="commit a feat or fix on it first",
        )
    return upcoming.next, upcoming.reasons


def _support(ctx: Context, prefix: str, value: str | None) -> Start:
    """A support branch for a major line, from a release tag (default: the latest final)."""
    from gates.knowledge.semver import format_tag, parse_version
    from gates.policy.sections import VersioningOptions
    from gates.release.next_version import tag_state

    versioning = VersioningOptions.from_policy(ctx.policy)
    state = tag_state(ctx, versioning)
    if value and value != "auto":
        wanted = parse_version(value.removeprefix("v"), versioning.scheme)
        tag = next((t for t in state.releases if t.version == wanted or t.name == value), None)
        if tag is None:
            example = format_tag("1.4.0", versioning.tag_format)
            raise GateError(
                f"no release tag for {value}", hint=f"name a released version, e.g. {example}"
            )
    else:
        tag = state.latest_final
        if tag is None:
            raise GateError("no release tag to start a support branch from", hint="release first")
    branch = f"{prefix}{tag.version.major}.x"
    if ctx.git.rev_parse(f"refs/heads/{branch}") is not None:
        raise GateError(f"the branch {branch} exists already", hint=f"git checkout {branch}")
    return Start("support", branch, tag.name, str(tag.version), [f"from the release {tag.name}"])


def execute(ctx: Context, start: Start) -> list[str]:
    """Create the branch and, for a release or hotfix, commit the version bump on it."""
    from gates.adapters.version_files import read_sources, write_version

    git = ctx.git
    before = ctx.branch or git.resolve("HEAD")
    git.run("checkout", "-q", "-b", start.branch, start.base)
    done = [f"created {start.branch} from {start.base}"]
    if start.kind == "support":
        return done
    versioning = ctx.policy.section("versioning")
    if not any(not s.dynamic for s in read_sources(ctx.root, versioning)):
        return [*done, "no version source to bump: the release tag will carry the version"]
    from gates.release.options import ReleaseOptions

    message = ReleaseOptions.from_policy(ctx.policy).start_message.replace(
        "{version}", start.version
    )
    try:
        written = write_version(ctx.root, versioning, start.version)
        if not written:
            return [*done, f"the version sources declare {start.version} already"]
        git.run("add", "--", *(str(path.relative_to(ctx.root)) for path in written))
        git.run("commit", "-q", "-m", message)
    except BaseException:
        git.run("reset", "-q", "--hard")
        git.run("checkout", "-q", before)
        git.run("branch", "-D", start.branch)
        raise
    names = ", ".join(str(path.relative_to(ctx.root)) for path in written)
    return [*done, f"committed {message} ({names})"]
