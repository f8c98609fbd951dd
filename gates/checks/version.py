"""Gate `version`: the declared version agrees everywhere, is greater than the latest release,
and is at least the bump that the commits and the public API require."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gates.model import Finding, Result, Severity
from gates.options import Shared
from gates.policy.sections import BranchesOptions, VersioningOptions
from gates.registry import Doc, Gate, hint, rule

if TYPE_CHECKING:
    import argparse

    from semver import Version

    from gates.adapters.version_files import VersionSource
    from gates.context import Context
    from gates.knowledge.bump_requirement import ReleaseAs, Requirement
    from gates.knowledge.history import ReleaseTag as Tag
    from gates.knowledge.release_tags import TagState

GATE_ID = "version"
MAX_LISTED = 10


def _hint(text: str, name: str) -> str:
    return hint(text, f"{GATE_ID}.{name}")


RULES = (
    rule(
        GATE_ID,
        "no-source",
        "The policy requires a version source and the repository has none.",
        "Fails when `versioning.required` is true and no version source is declared or found.",
        "A release needs a version that the package, the chart and the tag agree on.",
        'Add `version = "0.1.0"` to pyproject.toml, a VERSION file, or declare versioning.sources.',
    ),
    rule(
        GATE_ID,
        "unparsable",
        "A version source cannot be read.",
        "The file is missing, not UTF-8, not valid TOML/JSON/YAML/Python, or has no version at "
        "the key.",
        "A version nobody can read cannot be compared, bumped or released.",
        "Fix the file; `gate version show` lists every source.",
    ),
    rule(
        GATE_ID,
        "invalid",
        "A declared version is not a semantic version.",
        "Each source holds SemVer 2.0.0 (MAJOR.MINOR.PATCH[-pre][+build]); Python sources may use"
        " the PEP 440 spelling of the same version when `versioning.scheme` is `pep440`.",
        "Only a semantic version says what kind of change a release is.",
        'version = "1.4.0-rc.1"',
        'version = "1.4"',
    ),
    rule(
        GATE_ID,
        "mismatch",
        "The version sources disagree.",
        "Every source (pyproject.toml, __version__, package.json, Chart.yaml, VERSION…) "
        "declares one version.",
        "The wheel, the image and the chart of one release must carry one version.",
        "`gate version bump X.Y.Z` writes the same version everywhere.",
    ),
    rule(
        GATE_ID,
        "dynamic",
        "A version is computed (setuptools-scm, hatch-vcs…), not written (note).",
        "Dynamic versions are reported and never rewritten; the release tag is their source.",
        "A note, so that a reader knows why the file shows no version.",
    ),
    rule(
        GATE_ID,
        "branch-version",
        "The release/hotfix branch does not name the declared version.",
        "On `release/X.Y.Z` and `hotfix/X.Y.Z` the sources declare exactly X.Y.Z.",
        "The branch name is the release's name; CI, the changelog and the tag all read it.",
        "On release/1.4.0: `gate version bump 1.4.0`.",
    ),
    rule(
        GATE_ID,
        "no-tags",
        "There is no release tag yet (the first release follows versioning.initial).",
        "A note when the sources declare the initial version; a warning when they declare "
        "another one.",
        "The first release is where the tag history starts; `gate version next` proposes it.",
    ),
    rule(
        GATE_ID,
        "non-version-tag",
        "Tags that are not release versions are ignored (note).",
        "Tags that do not match `versioning.tag_format` with a SemVer version take no part in "
        "ordering.",
        "A typo in a release tag (`v1.2`, `1.2.0` without the v) would otherwise go unnoticed.",
        "git tag v1.2.0",
        "git tag v1.2",
    ),
    rule(
        GATE_ID,
        "duplicate-tag",
        "Two tags name the same version on different commits.",
        "Each version is released once: `v1.2.0` and `v1.2.0+build.5` on two commits are one"
        " version twice.",
        "Two commits with one version make every deploy and bug report ambiguous.",
        "Delete the wrong tag (git tag -d NAME; git push origin :refs/tags/NAME).",
    ),
    rule(
        GATE_ID,
        "tag-outside-branch",
        "The latest release tag is not in the branch's history (warning).",
        "The latest release tag should be an ancestor of HEAD on main, develop and "
        "release/hotfix branches.",
        "In git-flow, main is merged back into develop after each release; when it is not, "
        "develop's version and changelog fall behind the release.",
        "git checkout develop && git merge main",
    ),
    rule(
        GATE_ID,
        "tag-mismatch",
        "HEAD carries a release tag for another version than the sources declare.",
        "A version tag on HEAD names the version of the sources at HEAD.",
        "The tag is what deploys; a tag that disagrees with the package ships the wrong version.",
    ),
    rule(
        GATE_ID,
        "not-greater",
        "The declared version is not greater than the latest release.",
        "On release branches (`versioning.bump_branches`: release, hotfix and main by default) the"
        " declared version is greater than every release tag, unless HEAD is that version's tag.",
        "A version is released once; a smaller one sorts before what users already have.",
        "`gate version bump auto` sets the next version.",
    ),
    rule(
        GATE_ID,
        "behind",
        "The declared version is lower than a release already in the branch's history.",
        "On every branch, the sources declare at least the highest release tag reachable from "
        "HEAD.",
        "A version that goes backwards means a merge from main was lost or reverted.",
    ),
    rule(
        GATE_ID,
        "insufficient-bump",
        "The version bump is smaller than the commits require.",
        "Since the latest release: a breaking change requires major (minor while 0.x when"
        " `zero_major_breaking: minor`), feat requires minor, fix and perf require patch.",
        "Semantic versioning promises users that a minor release does not break them.",
        "`gate version next` computes the version; `gate version bump auto` writes it.",
    ),
    rule(
        GATE_ID,
        "api-break",
        "The public Python API changed incompatibly and the version bump does not say so.",
        "griffe compares the public API at the latest release tag with the working tree; a "
        "removed or incompatible public name requires a major bump (minor while 0.x).",
        "A breaking change in a minor release breaks every user who upgrades within the range "
        "they pinned.",
        "Bump the major version, or keep the old name (deprecate it) until the next major.",
        "- def connect(host, port): ...\n+ def connect(url): ...",
    ),
    rule(
        GATE_ID,
        "release-as",
        "A `Release-As:` footer names another version than the sources declare.",
        "A `Release-As: X.Y.Z` footer since the latest release forces the version, as"
        " release-please does.",
        "The footer is how a team overrides the computed version; the sources must follow it.",
    ),
)

DOC = Doc(
    summary="The declared version agrees everywhere and is the right next release.",
    what=(
        "Reads every version source (pyproject.toml, __version__, package.json, Chart.yaml "
        "version and appVersion, VERSION, file+pattern) and checks that they agree. With the "
        "release tags (by SemVer order) it checks on release branches that the version is "
        "greater than the latest release, that release/X and hotfix/X declare X, and that the "
        "bump is at least what the Conventional Commits since the latest release and the "
        "public Python API (griffe) require."
    ),
    why=(
        "A version is a promise to users: a minor release does not break them. Checking it in "
        "CI makes the promise hold without a release manager checking by hand."
    ),
    example="release/1.4.0 with pyproject.toml at 1.3.2 and a `feat!:` commit since v1.3.1",
    instead="`gate version bump auto` on the release branch, or `gate release`",
    options=(
        "versioning.scheme, tag_format, initial, zero_major_breaking, sources, required,"
        " bump_branches,"
        " api_check, api_packages"
    ),
    inputs="the version sources, the git tags and the commits since the latest release",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-api",
        dest="api",
        action="store_false",
        default=None,
        help="skip the public API comparison (griffe) for this run",
    )


@dataclass
class Declared:
    version: Version
    sources: list[VersionSource]


class VersionOptions(VersioningOptions):
    branches = Shared(BranchesOptions)


def run(ctx: Context, options: VersionOptions) -> Result:
    from gates.adapters.version_files import read_sources
    from gates.adapters.workspaces import source_root

    section = options.to_dict()  # the version files adapter takes plain settings
    sources = read_sources(source_root(ctx), section)
    if not sources:
        if options.required:
            return Result.of(
                GATE_ID,
                [
                    Finding(
                        f"{GATE_ID}.no-source",
                        "no version source: no pyproject.toml version, __version__,"
                        " package.json, Chart.yaml or VERSION file",
                        hint=_hint("add one, or declare versioning.sources", "no-source"),
                    )
                ],
                "no version source",
            )
        return Result.skip(
            GATE_ID, "no version source in this repository (versioning.required is false)"
        )
    findings, declared = _check_sources(sources, options.scheme)
    if any(f.severity is Severity.ERROR for f in findings):
        return Result.of(GATE_ID, findings, "the version sources are broken or disagree")
    planned = ctx.options.get("release_version")  # what `gate release` is about to write
    if planned and declared is not None:
        from gates.knowledge.semver import to_version

        declared = Declared(to_version(planned, options.scheme), declared.sources)
    from gates.release.next_version import tag_state

    state = tag_state(ctx, options)
    findings += _check_tags(state)
    if declared is None:
        return Result.of(GATE_ID, findings, "the version is dynamic (from git tags); tags checked")
    findings += _check_release(ctx, options, declared, state)
    count = len(declared.sources)
    summary = f"version {declared.version} ({count} source{'s' if count != 1 else ''})"
    if state.latest is not None:
        summary += f"; latest release {state.latest.name}"
    return Result.of(GATE_ID, findings, summary)


def _check_sources(
    sources: list[VersionSource], scheme: str
) -> tuple[list[Finding], Declared | None]:
    from gates.knowledge.semver import VersionError, same_version, to_version

    findings: list[Finding] = []
    parsed: list[tuple[VersionSource, Version]] = []
    for source in sources:
        if source.error:
            findings.append(
                Finding(
                    f"{GATE_ID}.unparsable",
                    f"{source.label}: {source.error}",
                    hint=_hint("fix the file", "unparsable"),
                    path=source.file,
                    line=source.line,
                )
            )
        elif source.dynamic:
            findings.append(
                Finding(
                    f"{GATE_ID}.dynamic",
                    f"{source.label}: dynamic version ({source.via})",
                    severity=Severity.NOTE,
                    hint="reported only; gate never rewrites it",
                    path=source.file,
                    line=source.line,
                )
            )
        elif source.version is not None:
            try:
                parsed.append(
                    (source, to_version(source.version, scheme if source.python else "semver"))
                )
            except VersionError as exc:
                findings.append(
                    Finding(
                        f"{GATE_ID}.invalid",
                        f"{source.label}: '{source.version}' is not a version: {exc}",
                        hint=_hint("write a SemVer 2.0.0 version such as 1.4.0", "invalid"),
                        path=source.file,
                        line=source.line,
                    )
                )
    if not parsed:
        return findings, None
    first_source, first = parsed[0]
    if any(not same_version(version, first) for _, version in parsed[1:]):
        listing = ", ".join(f"{s.label} = {s.version}" for s, _ in parsed)
        findings.append(
            Finding(
                f"{GATE_ID}.mismatch",
                f"the version sources disagree: {listing}",
                hint=_hint(
                    f"`gate version bump {max(v for _, v in parsed)}` writes one version"
                    " everywhere",
                    "mismatch",
                ),
                path=first_source.file,
                line=first_source.line,
            )
        )
    return findings, Declared(first, [s for s, _ in parsed])


def _check_tags(state: TagState) -> list[Finding]:
    from gates.knowledge.semver import duplicate_versions

    findings = []
    ignored = sorted([*state.others, *state.floating])
    if ignored:
        shown = ", ".join(ignored[:MAX_LISTED]) + (
            f" and {len(ignored) - MAX_LISTED} more" if len(ignored) > MAX_LISTED else ""
        )
        findings.append(
            Finding(
                f"{GATE_ID}.non-version-tag",
                f"ignored {len(ignored)} tag(s) that are not release versions: {shown}",
                severity=Severity.NOTE,
                hint=_hint("release tags follow versioning.tag_format (v1.2.0)", "non-version-tag"),
            )
        )
    for group in duplicate_versions([(t.name, t.sha, t.version) for t in state.releases]):
        names = ", ".join(f"{name} ({sha[:8]})" for name, sha, _ in group)
        findings.append(
            Finding(
                f"{GATE_ID}.duplicate-tag",
                f"version {group[0][2]} is tagged on different commits: {names}",
                hint=_hint(
                    "delete the wrong tag: git tag -d NAME && git push origin :refs/tags/NAME",
                    "duplicate-tag",
                ),
                commit=group[0][1],
            )
        )
    return findings


def _branch_kind(ctx: Context, options: VersionOptions) -> str | None:
    from gates.knowledge.gitflow import classify

    return classify(ctx.branch, options.branches.to_dict())[0]


def _check_release(
    ctx: Context, options: VersionOptions, declared: Declared, state: TagState
) -> list[Finding]:
    kind = _branch_kind(ctx, options)
    on_head = [t for t in state.releases if t.sha == ctx.head]
    findings = _check_head_tags(ctx, declared, on_head)
    findings += _check_branch_name(ctx, options, declared)
    if not state.releases:
        return [*findings, _first_release(options, declared)]
    findings += _check_tag_in_history(ctx, state, kind)
    if kind in options.bump_branches:
        return findings + _check_bump(ctx, options, declared, state, on_head)
    return findings + _check_behind(declared, state)


def _check_head_tags(ctx: Context, declared: Declared, on_head: list[Tag]) -> list[Finding]:
    where = declared.sources[0]
    return [
        Finding(
            f"{GATE_ID}.tag-mismatch",
            f"HEAD is tagged {tag.name} but the sources declare {declared.version}",
            hint=_hint(
                f"tag the commit whose sources say {tag.version}, or bump the sources",
                "tag-mismatch",
            ),
            commit=ctx.head,
            path=where.file,
            line=where.line,
        )
        for tag in on_head
        if tag.version != declared.version
    ]


def _check_branch_name(ctx: Context, options: VersionOptions, declared: Declared) -> list[Finding]:
    from gates.knowledge.semver import same_version
    from gates.release.next_version import branch_version

    on_branch = branch_version(ctx, options)
    if on_branch is None:
        return []
    branch_kind, rest, named = on_branch
    if named is None:
        return [
            Finding(
                f"{GATE_ID}.branch-version",
                f"the {branch_kind} branch '{ctx.branch}' does not name a version ('{rest}')",
                hint=_hint(
                    f"name it {branch_kind}/X.Y.Z, e.g. {branch_kind}/1.4.0", "branch-version"
                ),
            )
        ]
    if same_version(named, declared.version):
        return []
    where = declared.sources[0]
    return [
        Finding(
            f"{GATE_ID}.branch-version",
            f"the branch {ctx.branch} names {named}, the sources declare {declared.version}",
            hint=_hint(f"`gate version bump {named}`", "branch-version"),
            path=where.file,
            line=where.line,
        )
    ]


def _first_release(options: VersionOptions, declared: Declared) -> Finding:
    from gates.knowledge.semver import format_tag, parse_version, same_version

    version = declared.version
    initial = parse_version(options.initial, options.scheme)
    same = initial is not None and same_version(initial, version)
    return Finding(
        f"{GATE_ID}.no-tags",
        f"no release tag yet; the first release is {version}"
        if same
        else f"no release tag yet; the first release should be versioning.initial"
        f" ({initial}), the sources declare {version}",
        severity=Severity.NOTE if same else Severity.WARNING,
        hint=_hint(
            f"the first release is tagged {format_tag(version, options.tag_format)}",
            "no-tags",
        ),
    )


def _check_tag_in_history(ctx: Context, state: TagState, kind: str | None) -> list[Finding]:
    latest = state.latest_final or state.latest
    assert latest is not None
    if latest in state.history or kind not in ("main", "develop", "release", "hotfix"):
        return []
    return [
        Finding(
            f"{GATE_ID}.tag-outside-branch",
            f"the latest release tag {latest.name} ({latest.sha[:8]}) is not in the history"
            f" of {ctx.branch or 'HEAD'}",
            severity=Severity.WARNING,
            commit=latest.sha,
            hint=_hint(
                "merge the release back (git merge main) so this branch builds on it",
                "tag-outside-branch",
            ),
        )
    ]


def _check_behind(declared: Declared, state: TagState) -> list[Finding]:
    behind = state.history[0] if state.history else None
    if behind is None or declared.version >= behind.version:
        return []
    where = declared.sources[0]
    return [
        Finding(
            f"{GATE_ID}.behind",
            f"the sources declare {declared.version}, lower than {behind.name} in this branch's"
            " history",
            hint=_hint(
                f"`gate version bump {behind.version}` or merge the release branch back",
                "behind",
            ),
            path=where.file,
            line=where.line,
        )
    ]


def _check_bump(
    ctx: Context, options: VersionOptions, declared: Declared, state: TagState, on_head: list[Tag]
) -> list[Finding]:
    """The declared version against the release model's required bump (`required_bump`)."""
    from gates.knowledge.semver import same_version
    from gates.release.next_version import required_bump, with_api_evidence

    version = declared.version
    if any(same_version(t.version, version) or t.version == version for t in on_head):
        return []  # HEAD is this version's release commit
    findings = _check_greater(declared, state)
    if state.branch_final is None:
        return findings
    required = required_bump(ctx, options, state, api=False)
    if required.forced is not None:  # the footer sets the version: nothing else decides
        return findings + _check_release_as(declared, required.forced)
    findings += _check_commit_bump(declared, required)
    use_api = ctx.options.get("api")
    if options.api_check if use_api is None else use_api:
        findings += _check_api(declared, with_api_evidence(ctx, options, required))
    return findings


def _check_greater(declared: Declared, state: TagState) -> list[Finding]:
    version = declared.version
    where = declared.sources[0]
    released = next((t for t in state.releases if t.version == version), None)
    latest = state.branch_latest or state.latest
    assert latest is not None
    if released is not None:
        return [
            Finding(
                f"{GATE_ID}.not-greater",
                f"{version} is already released as {released.name} ({released.sha[:8]})",
                hint=_hint("`gate version bump auto` sets the next version", "not-greater"),
                path=where.file,
                line=where.line,
                commit=released.sha,
            )
        ]
    if version <= latest.version:
        return [
            Finding(
                f"{GATE_ID}.not-greater",
                f"{version} is not greater than the latest release {latest.name}",
                hint=_hint("`gate version bump auto` sets the next version", "not-greater"),
                path=where.file,
                line=where.line,
            )
        ]
    return []


def _check_release_as(declared: Declared, forced: ReleaseAs) -> list[Finding]:
    version = declared.version
    where = declared.sources[0]
    text, commit = forced.text, forced.commit
    if forced.version is None:
        return [
            Finding(
                f"{GATE_ID}.release-as",
                f"Release-As: {text} in {commit.short} is not a version: {forced.error}",
                hint=_hint("write Release-As: X.Y.Z", "release-as"),
                commit=commit.sha,
            )
        ]
    if forced.version == version:
        return []
    return [
        Finding(
            f"{GATE_ID}.release-as",
            f"Release-As: {text} in {commit.short} sets the version, the sources declare {version}",
            hint=_hint(f"`gate version bump {forced.version}`", "release-as"),
            commit=commit.sha,
            path=where.file,
            line=where.line,
        )
    ]


def _check_commit_bump(declared: Declared, required: Requirement) -> list[Finding]:
    from gates.knowledge.semver import BUMP_RANK, bump_between

    assert required.since is not None
    version = declared.version
    actual = bump_between(required.since.version, version)
    if BUMP_RANK[actual] >= BUMP_RANK[required.by_commits]:
        return []
    reasons = required.commit_reasons
    where = declared.sources[0]
    return [
        Finding(
            f"{GATE_ID}.insufficient-bump",
            f"{version} is a {actual or 'no'} bump from {required.since.name}, the commits since"
            f" require {required.by_commits}: {reasons[0]}"
            + (f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""),
            hint=_hint(
                "`gate version next` says which version; `gate version bump auto` writes it",
                "insufficient-bump",
            ),
            path=where.file,
            line=where.line,
        )
    ]


def _check_api(declared: Declared, required: Requirement) -> list[Finding]:
    from gates.knowledge.semver import BUMP_RANK, bump_between

    final = required.since
    assert final is not None
    version = declared.version
    actual = bump_between(final.version, version)
    breaking = required.breaking
    covered = BUMP_RANK[actual] >= BUMP_RANK[breaking]
    severity = Severity.NOTE if covered else Severity.ERROR
    breaks = required.api_breaks
    findings = [
        Finding(
            f"{GATE_ID}.api-break",
            f"{item.describe()} since {final.name}"
            + (
                f"; {version} is only a {actual or 'no'} bump, this needs {breaking}"
                if not covered
                else ""
            ),
            severity=severity,
            hint=_hint(
                f"release it as {_bumped(final.version, breaking)}, or keep the old API"
                " (deprecate it)",
                "api-break",
            ),
            path=item.path,
            line=item.line,
        )
        for item in breaks[:MAX_LISTED]
    ]
    if len(breaks) > MAX_LISTED:
        findings.append(
            Finding(
                f"{GATE_ID}.api-break",
                f"and {len(breaks) - MAX_LISTED} more public API breaks",
                severity=severity,
                hint=_hint("`gate version next` lists them", "api-break"),
            )
        )
    return findings


def _bumped(version: Version, part: str) -> str:
    from gates.knowledge.semver import bump

    return str(bump(version, part))


GATE = Gate(
    id=GATE_ID,
    doc=DOC,
    run=run,
    options=VersionOptions,
    rules=RULES,
    add_arguments=add_arguments,
)
