"""Gate `branch-name`: the branch is a git-flow name, and a release/hotfix names a new version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.errors import GateError
from gates.knowledge import gitflow
from gates.knowledge.patterns import PatternTimeout
from gates.model import Finding, Result, Severity
from gates.options import Options, Shared
from gates.policy.sections import BranchesOptions, VersioningOptions
from gates.registry import Doc, Gate, Rule, hint, see

if TYPE_CHECKING:
    import argparse

    from semver import Version

    from gates.adapters.version_files import VersionSource
    from gates.context import Context

GATE_ID = "branch-name"


class BranchNameOptions(Options):
    branches = Shared(BranchesOptions)
    versioning = Shared(VersioningOptions)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="the branch name to check (default: the current branch; in CI, the CI's branch); "
        "put a name that begins with '-' after `--`",
    )


def run(ctx: Context, options: BranchNameOptions) -> Result:
    policy = gitflow.BranchPolicy.from_section(options.branches.to_dict())
    explicit = ctx.options.get("name")
    name = explicit if explicit is not None else _branch_under_check(ctx)
    if name is None:
        return Result.skip(GATE_ID, _why_no_branch(ctx))
    try:
        verdict = gitflow.check(name, policy)
    except PatternTimeout as exc:
        raise GateError(
            str(exc), hint="simplify branches.slug or branches.extra in the policy"
        ) from None
    shown = gitflow.display(name)
    if not verdict.ok:
        findings = [
            Finding(f"{GATE_ID}.{v.rule}", v.message, hint=hint(v.hint, f"{GATE_ID}.{v.rule}"))
            for v in verdict.violations
        ]
        count = len(findings)
        return Result.of(
            GATE_ID, findings, f"{shown} breaks {count} branch naming rule{'s' * (count != 1)}"
        )
    findings = []
    if verdict.kind in gitflow.VERSION_KINDS and verdict.version is not None:
        findings += _version_findings(ctx, verdict, options, explicit is not None)
    summary = f"{shown} is {_article(verdict.kind)} {verdict.kind} branch"
    if any(f.severity is Severity.ERROR for f in findings):
        summary = f"{shown}: the version {verdict.rest} cannot be released"
    return Result.of(GATE_ID, findings, summary)


def _article(kind: str | None) -> str:
    return "an" if (kind or "x")[0] in "aeiou" else "a"


def _branch_under_check(ctx: Context) -> str | None:
    """--branch, else the CI's branch, else the checked-out one; None on a detached HEAD."""
    explicit = ctx.options.get("branch")
    if explicit:
        return explicit
    if ctx.ci.branch:
        return ctx.ci.branch
    branch = ctx.git.current_branch()
    # The ci and deploy stages certify a branch: outside a recognised CI (its variables missing)
    # a detached HEAD leaves nothing to check, which must not read as a pass.
    if branch is None and (ctx.ci.in_ci or ctx.stage in ("ci", "deploy")) and not ctx.ci.tag:
        who = (
            f"the CI ({ctx.ci.provider}) names no branch"
            if ctx.ci.in_ci
            else "no CI variable names the branch"
        )
        raise GateError(
            f"HEAD is detached and {who}",
            hint="pass the name: gate check branch-name NAME (or --branch NAME)",
        )
    return branch


def _why_no_branch(ctx: Context) -> str:
    if ctx.ci.tag:
        return f"a tag build ({gitflow.display(ctx.ci.tag)}): no branch to check"
    return "HEAD is detached (a rebase, a bisect or a checked-out tag): no branch to check"


def _version_findings(
    ctx: Context, verdict: gitflow.Verdict, options: BranchNameOptions, explicit: bool
) -> list[Finding]:
    """The branch's version is newer than every release, and equals the declared version."""
    try:
        repo = ctx.git
    except GateError as exc:
        if not explicit:
            raise
        return [
            Finding(
                f"{GATE_ID}.version-order",
                f"{exc.message}: the version {verdict.rest} was not compared with release tags",
                severity=Severity.WARNING,
                hint="run the check inside the repository",
            )
        ]
    versioning = options.versioning
    tags = repo.tags()
    if not tags and repo.is_shallow():
        raise GateError(
            "this shallow clone has no tags: the version cannot be compared with the releases",
            hint="fetch the tags: git fetch --tags (or fetch-depth: 0 in actions/checkout)",
        )
    policy = gitflow.BranchPolicy.from_section(options.branches.to_dict())
    findings = _order_findings(verdict, tags, versioning, policy)
    findings += _declared_findings(ctx, verdict, versioning)
    return findings


def _order_findings(
    verdict: gitflow.Verdict,
    tags: list[tuple[str, str]],
    versioning: VersioningOptions,
    policy: gitflow.BranchPolicy,
) -> list[Finding]:
    from gates.knowledge.semver import version_tags

    version = verdict.version
    if version is None:
        return []
    releases, _ = version_tags(tags, versioning.tag_format, versioning.scheme)
    same = next((name for name, _sha, v in releases if v == version), None)
    if same is not None:
        return [
            _order_finding(
                f"the version {verdict.rest} is already released (tag {gitflow.display(same)})",
                verdict.kind,
            )
        ]
    finals = [(name, v) for name, _sha, v in releases if v.prerelease is None]
    if not finals:
        return []
    latest_name, latest = finals[0]
    if version > latest:
        return []
    if verdict.kind == "hotfix" and policy.kind_enabled("support"):
        line = [
            (name, v) for name, v in finals if (v.major, v.minor) == (version.major, version.minor)
        ]
        if line and version > line[0][1]:
            return []
    return [
        _order_finding(
            f"the version {verdict.rest} is not greater than the latest release "
            f"{latest} (tag {gitflow.display(latest_name)})",
            verdict.kind,
        )
    ]


def _order_finding(message: str, kind: str | None) -> Finding:
    return Finding(
        f"{GATE_ID}.version-order",
        message,
        hint=f"name the {kind} after the next version (`gate version next` proposes it) — "
        + see(f"{GATE_ID}.version-order"),
    )


def _declared_findings(
    ctx: Context, verdict: gitflow.Verdict, versioning: VersioningOptions
) -> list[Finding]:
    """Where the project declares its version, the branch names that version."""
    from gates.adapters.version_files import read_sources
    from gates.knowledge.semver import parse_version

    scheme = versioning.scheme
    planned = ctx.options.get("release_version")  # what `gate release` is about to write
    declared: list[tuple[VersionSource, Version]] = []
    for source in read_sources(ctx.root, versioning.to_dict()):
        if source.dynamic or not source.version:
            continue  # unreadable or dynamic sources are the version gate's findings
        parsed = parse_version(planned or source.version, scheme if source.python else "semver")
        if parsed is not None:
            declared.append((source, parsed))
    if not declared or any(version == verdict.version for _source, version in declared):
        return []
    source = declared[0][0]
    command = f"gate version bump {verdict.rest}"
    # A commit on the branch is never blocked for this: the bump itself is such a commit, and
    # a developer's fix on a fresh hotfix branch must not wait for it. Pushes and CI block.
    at_commit = ctx.stage in ("pre-commit", "commit-msg")
    return [
        Finding(
            f"{GATE_ID}.version-declared",
            f"the branch names version {verdict.rest} but the project declares {source.version} "
            f"in {source.label}",
            severity=Severity.WARNING if at_commit else Severity.ERROR,
            path=source.file,
            line=source.line,
            hint=f"run `{command}` and commit it (`gate release start` makes that the branch's"
            f" first commit), or rename the branch — {see(f'{GATE_ID}.version-declared')}",
        )
    ]


GATE = Gate(
    id=GATE_ID,
    options=BranchNameOptions,
    run=run,
    doc=Doc(
        summary="The branch name follows git-flow, and a release/hotfix names a new version.",
        what=(
            "Checks the branch under check (NAME, else --branch, else the CI's branch, else "
            "the checked-out branch) in this order: not empty; a name git accepts "
            "(`git check-ref-format --branch`); no longer than `branches.max_length`; then one "
            "of the policy's kinds: the production branch (`main`), the integration branch "
            "(`develop`), `feature/<name>`, `bugfix/<name>`, `support/<name>`, "
            "`release/<version>`, `hotfix/<version>`, or an `extra` pattern. A release or "
            "hotfix version must be strict SemVer, greater than the latest release tag "
            "(`versioning.tag_format`), not released already, and equal to the version the "
            "project declares (pyproject.toml, package.json, Chart.yaml… as the version gate "
            "reads them). A detached HEAD on a developer machine (a rebase) or a tag build in "
            "CI has no branch: the gate skips."
        ),
        why=(
            "Branch names drive the rest of the delivery: where a branch may merge, which gates "
            "apply, which version a release gets. A name outside the model silently escapes all "
            "of that; a release branch for an old version ships a downgrade."
        ),
        example="featur/login, Feature/Login, release/1.2, hotfix/v1.2.1, feature/add login",
        instead="feature/login, release/1.2.0, hotfix/1.2.1, feature/add-login",
        options=(
            "branches.main, branches.develop, branches.prefixes.*, branches.slug, "
            "branches.version_prefix, branches.extra, branches.max_length; "
            "versioning.tag_format, versioning.sources"
        ),
        inputs="`gate check branch-name [NAME]`; in CI the provider's branch variable.",
    ),
    rules=(
        Rule(
            f"{GATE_ID}.empty",
            Doc(
                summary="The branch name is empty or only white space.",
                what="Refuses an empty name, or one made of spaces only.",
                why="No branch can have it; it usually means a CI variable was not set.",
                instead="Pass the real name: gate check branch-name feature/login",
            ),
        ),
        Rule(
            f"{GATE_ID}.git-ref",
            Doc(
                summary="Git itself refuses the name as a branch (git check-ref-format).",
                what=(
                    "Applies git's rules for ref names: no `..`, no `@{`, no component that begins "
                    "with `.` or ends with `.lock`, no control character, space, `~ ^ : ? * [ \\`, "
                    "no leading `-` or `/`, no trailing `/` or `.`, no `//`, and not `HEAD`. The "
                    "finding names the rule and the character."
                ),
                why="Git cannot create or push such a branch; some tools break on it first.",
                example="feature/add login, feature/a..b, feature/login.lock, feature//x",
                instead="feature/add-login, feature/a.b, feature/login, feature/x",
            ),
        ),
        Rule(
            f"{GATE_ID}.too-long",
            Doc(
                summary="The branch name is longer than branches.max_length.",
                what="Counts characters before any pattern runs, so no pattern sees a huge input.",
                why="Long names break tooling (file systems, forge URLs, CI job names).",
                options="branches.max_length (default 200, at most 1000)",
            ),
        ),
        Rule(
            f"{GATE_ID}.prefix",
            Doc(
                summary="The name is not a long-lived branch and has no known prefix.",
                what=(
                    "A name must be the production branch, the integration branch, start with a "
                    "policy prefix (case-sensitive) or match an `extra` pattern. The finding "
                    "suggests the nearest valid name (`Feature/Login` → `feature/login`, "
                    "`featur/x` → `feature/x`)."
                ),
                why="Branches outside the model escape the merge-target and release rules.",
                example="featur/x, features/login, Feature/Login, random-name, master (under main)",
                instead="feature/x, feature/login, feature/login, feature/random-name",
                options="branches.main, branches.develop, branches.prefixes.*, branches.extra",
            ),
        ),
        Rule(
            f"{GATE_ID}.slug",
            Doc(
                summary="The part after feature/, bugfix/ or support/ breaks branches.slug.",
                what=(
                    "The default accepts lowercase words and digits joined by `-`, `_` or `.`, "
                    "optionally after a ticket id (`ABC-123-add-login`), and `/` between parts."
                ),
                why="Predictable names are easy to type, sort, search and link to tickets.",
                example="feature/Add_Login, feature/add--login, feature/fuß",
                instead="feature/add_login, feature/add-login, feature/fuss",
                options="branches.slug (a Python regex the whole part must match)",
            ),
        ),
        Rule(
            f"{GATE_ID}.version",
            Doc(
                summary="The part after release/ or hotfix/ is not a semantic version.",
                what=(
                    "Requires strict SemVer 2.0.0: MAJOR.MINOR.PATCH, no leading zeros, optional "
                    "pre-release and build. A `v` prefix only with branches.version_prefix: true."
                ),
                why="The release tooling takes the version from the branch name.",
                example="release/1.2, release/01.2.0, hotfix/abc, release/v1.2.0",
                instead="release/1.2.0, hotfix/1.2.1",
                options="branches.version_prefix",
            ),
        ),
        Rule(
            f"{GATE_ID}.version-order",
            Doc(
                summary="The release/hotfix version is not greater than the latest release tag.",
                what=(
                    "Reads the release tags (versioning.tag_format) and compares by SemVer order. "
                    "A version that is tagged already fails. While support branches are on, a "
                    "hotfix of an older line (hotfix/1.2.5 after 2.0.0) passes when it is newer "
                    "than every release of its MAJOR.MINOR line. A shallow clone without tags is "
                    "an error (exit 3), never a pass."
                ),
                why="Releasing a version that is not newer confuses every consumer of the package.",
                example="release/1.2.0 when v1.3.0 is tagged",
                instead="release/1.4.0 (gate version next proposes it)",
                options="versioning.tag_format, versioning.scheme",
            ),
        ),
        Rule(
            f"{GATE_ID}.version-declared",
            Doc(
                summary="The release/hotfix version differs from the version the project declares.",
                what=(
                    "Reads the version sources as the version gate does (versioning.sources, "
                    "else pyproject.toml, __version__, package.json, Chart.yaml, VERSION) "
                    "and fails when none of them declares the branch's version. Unreadable or "
                    "dynamic sources are left to the version gate."
                ),
                why="The branch, the tag and the package must name the same release.",
                instead="Bump the sources first thing on the release branch: gate version bump",
                options="versioning.sources, versioning.scheme",
            ),
        ),
    ),
    add_arguments=add_arguments,
)
