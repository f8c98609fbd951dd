"""Gate `deploy`: the last check before a deploy step, per target environment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gates.checks.build_time import BuildTimeOptions
from gates.checks.tests import TestsOptions
from gates.errors import GateError, PolicyError
from gates.knowledge.environments import environment_rules
from gates.knowledge.globs import ref_matches
from gates.model import Finding, Result, Severity
from gates.options import (
    Choice,
    Flag,
    Group,
    Integer,
    Number,
    Options,
    Records,
    Shared,
    Table,
    Text,
    Texts,
)
from gates.policy.sections import BranchesOptions, VersioningOptions
from gates.registry import Doc, Gate, rule, see
from gates.registry import hint as explained

if TYPE_CHECKING:
    import argparse

    from gates.context import Context

GATE_ID = "deploy"
IMAGE_TAG_ENV = "GATE_IMAGE_TAG"
OVERRIDE_ENV = "GATE_FREEZE_OVERRIDE"
ATTESTATION_ENV = "GATE_ATTESTATION"


class Environment(Options):
    branches = Texts([], "Branch globs that may deploy here (fnmatch: `*` crosses `/`).")
    tags = Texts([], "Tag globs (a tag at HEAD) that may deploy here (fnmatch).")
    require_release_tag = Flag(False, "A deploying tag must be a release tag (tag_format).")
    tag_branch = Text[str | None](
        None, "A deploying tag's commit must be on this branch (`main`).", nullable=True
    )
    require_ci_attestation = Flag(False, "The commit needs a passing, verified ci attestation.")
    require_signature = Flag(
        False,
        "The ci attestation must be signed by a key configured here (an unsigned one is "
        "refused): an unsigned attestation proves nothing against whoever can write the "
        "artifact store.",
    )
    check_versions = Flag(False, "The release tag, the version sources and the changelog agree.")
    check_image_tag = Flag(False, "The image tag (GATE_IMAGE_TAG) equals the release version.")
    check_tests = Flag(False, "A JUnit report exists and shows no failure, no error.")
    check_build_time = Flag(False, "The test run's duration is within build_time.budget_seconds.")
    freeze = Flag(False, "Freeze windows apply.")


_STAGING = {
    "branches": ["develop", "release/*", "hotfix/*"],
    "tags": [],
    "require_release_tag": False,
    "tag_branch": None,
    "require_ci_attestation": False,
    "require_signature": False,
    "check_versions": False,
    "check_image_tag": False,
    "check_tests": True,
    "check_build_time": False,
    "freeze": False,
}
_PRODUCTION = {
    "branches": ["hotfix/*"],
    "tags": ["v*"],
    "require_release_tag": True,
    "tag_branch": "main",
    "require_ci_attestation": True,
    "require_signature": True,
    "check_versions": True,
    "check_image_tag": True,
    "check_tests": True,
    "check_build_time": True,
    "freeze": True,
}


class Freeze(Options):
    name = Text[str | None](None, "What the freeze is called; shown in the report.")
    start = Text[str](
        None,  # type: ignore[arg-type]
        "ISO date or date-time, or a weekday and time (`fri 16:00`).",
        required=True,
    )
    end = Text[str](
        None,  # type: ignore[arg-type]
        "ISO date (inclusive) or date-time, or a weekday and time (`mon 08:00`).",
        required=True,
    )
    environments = Texts[list[str] | None](None, "Environments frozen; empty freezes all.")
    timezone = Text[str | None](None, "IANA time zone of this window; default deploy.timezone.")


class Notify(
    Options,
    summary="`gate run --notify URL`: a webhook message when a gate fails on a long-lived branch.",
):
    format = Choice(
        "auto",
        ("auto", "slack", "google-chat", "teams"),
        "Webhook payload; auto: from the URL's host (else Slack).",
    )
    branches = Texts(["main", "develop"], "Branches whose failures notify.")
    timeout_seconds = Number(5, "Timeout of each attempt.", minimum=0.1, maximum=60)
    retries = Integer(2, "Attempts after the first one fails.", minimum=0)
    retry_delay_seconds = Number(
        1, "Pause before the first retry; doubles each time.", minimum=0, maximum=60
    )


class DeployOptions(
    Options, section="deploy", summary="The deploy stage: who may deploy what where."
):
    environments = Table[dict[str, Environment]](
        Environment,
        {"staging": _STAGING, "production": _PRODUCTION},
        "The target environments (`--env NAME`) and what each requires.",
    )
    attestation = Text(
        ".gate/attestation.json", "Attestation file the deploy gate verifies (`--attest FILE`)."
    )
    attestation_max_age_hours = Number[float | None](
        168,
        "An older ci attestation is refused (and so is one made for another ref); null: no limit.",
        nullable=True,
        minimum=0,
    )
    freezes = Records[list[Freeze]](Freeze, [], "Change freeze windows.")
    timezone = Text("UTC", "IANA time zone of the freeze calendar (`Europe/Berlin`).")
    audit_log = Text[str | None](
        ".gate/audit.jsonl",
        "JSON-lines file every deploy-stage verdict is appended to.",
        nullable=True,
    )
    notify = Group[Notify](Notify)
    versioning = Shared(VersioningOptions)
    branches = Shared(BranchesOptions)
    tests = Shared(TestsOptions)
    build_time = Shared(BuildTimeOptions)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--env",
        dest="environment",
        metavar="NAME",
        required=True,
        help="target environment (policy deploy.environments)",
    )
    parser.add_argument(
        "--image-tag",
        metavar="TAG",
        help=f"image tag or reference about to be deployed (default: ${IMAGE_TAG_ENV})",
    )
    parser.add_argument(
        "--override-freeze",
        metavar="REASON",
        help=f"deploy during a freeze; the reason is recorded (default: ${OVERRIDE_ENV})",
    )
    parser.add_argument(
        "--attestation",
        metavar="FILE",
        help=f"ci attestation to verify (default: ${ATTESTATION_ENV}, else deploy.attestation)",
    )


def run(ctx: Context, options: DeployOptions) -> Result:
    environment = ctx.options.get("environment")
    section = options.to_dict()
    rules = environment_rules(section, environment)
    head = ctx.head
    findings: list[Finding] = []
    ref, release_tag = _ref_rules(ctx, options, rules, environment, findings)
    if rules.get("freeze"):
        findings += _freeze(ctx, options, environment)
    if rules.get("require_ci_attestation"):
        findings += _attestation(ctx, options, rules)
    version = _release_version(ctx, options, release_tag)
    if rules.get("check_versions"):
        findings += _versions(ctx, options, release_tag, version)
    if rules.get("check_image_tag"):
        findings += _image_tag(ctx, version)
    if rules.get("check_tests") or rules.get("check_build_time"):
        findings += _test_run(ctx, options, rules)
    blocking = sum(1 for f in findings if f.severity == Severity.ERROR)
    verdict = (
        f"blocked by {blocking} problem{'s' if blocking != 1 else ''}" if blocking else "allowed"
    )
    summary = (
        f"{environment} deploy of {ref or 'HEAD'} at {head[:8]}"
        + (f" ({version})" if version else "")
        + f": {verdict}"
    )
    return Result.of(GATE_ID, findings, summary)


def _ref_rules(
    ctx: Context,
    options: DeployOptions,
    rules: dict[str, Any],
    environment: str,
    findings: list[Finding],
) -> tuple[str | None, str | None]:
    """Which branch or tag deploys (a finding when none may), and the release tag at HEAD."""
    from gates.adapters.workspaces import tag_format
    from gates.knowledge.semver import tag_version

    tags = _deploying_tags(ctx)
    release_tags = [t for t in tags if tag_version(t, tag_format(ctx), options.versioning.scheme)]
    release_tag = release_tags[0] if release_tags else None
    branch = ctx.branch
    if branch and ref_matches(branch, rules.get("branches") or []):
        return branch, release_tag
    allowed_tags = [t for t in tags if ref_matches(t, rules.get("tags") or [])]
    if rules.get("require_release_tag"):
        allowed_tags = [t for t in allowed_tags if t in release_tags]
    tag_branch = rules.get("tag_branch")
    if allowed_tags and tag_branch and not _on_branch(ctx, ctx.head, tag_branch):
        findings.append(_off_branch(ctx, allowed_tags[0], tag_branch, environment))
        return allowed_tags[0], release_tag
    if allowed_tags:
        return allowed_tags[0], release_tag
    findings.append(_ref_refused(ctx, tags, rules, environment))
    return branch or (tags[0] if tags else None), release_tag


def _deploying_tags(ctx: Context) -> list[str]:
    """The tags that may carry this deploy: at HEAD, or in CI the run's own tag only."""
    at_head = {name for name, sha in ctx.git.tags() if sha == ctx.head}
    if not ctx.ci.in_ci:
        return sorted(at_head)
    # In CI only the run's own tag deploys: a release tag that happens to sit on the commit a
    # branch pipeline built does not make that pipeline a release.
    known = {name for name, _ in ctx.git.tags()}
    own = ctx.ci.tag
    return sorted({own} if own and (own in at_head or own not in known) else set())


def _off_branch(ctx: Context, tag: str, tag_branch: str, environment: str) -> Finding:
    return Finding(
        f"{GATE_ID}.ref",
        f"tag {tag} is not on {tag_branch}: a release tag deploys to "
        f"{environment} only from {tag_branch}",
        hint=explained(
            f"tag the merge commit on {tag_branch} (in CI, fetch it: git fetch origin "
            f"{tag_branch})",
            f"{GATE_ID}.ref",
        ),
        commit=ctx.head,
    )


def _ref_refused(ctx: Context, tags: list[str], rules: dict[str, Any], environment: str) -> Finding:
    what = f"branch {ctx.branch}" if ctx.branch else "a detached HEAD"
    if tags:
        what += " with tag " + ", ".join(tags)
    allowed = []
    if rules.get("branches"):
        allowed.append("branches " + " ".join(rules["branches"]))
    if rules.get("tags"):
        allowed.append("tags " + " ".join(rules["tags"]))
    return Finding(
        f"{GATE_ID}.ref",
        f"{what} may not deploy to {environment} (allowed: {', '.join(allowed) or 'nothing'})",
        hint=explained("deploy from an allowed branch or release tag", f"{GATE_ID}.ref"),
        commit=ctx.head,
    )


def _on_branch(ctx: Context, commit: str, branch: str) -> bool:
    ref = ctx.git.branch_ref(branch)
    return ref is not None and ctx.git.merge_base(commit, ref) == commit


def _freeze(ctx: Context, options: DeployOptions, environment: str) -> list[Finding]:
    from gates.knowledge import freeze

    try:
        windows = freeze.windows([item.to_dict() for item in options.freezes], options.timezone)
        active = [w for w in windows if w.applies_to(environment) and freeze.active(w, ctx.now)]
    except freeze.FreezeError as exc:
        raise PolicyError(
            str(exc),
            key=exc.key,
            hint=see(f"{GATE_ID}.freeze") + " for the forms a window takes",
        ) from None
    if not active:
        return []
    window = active[0]
    period = f"{window.name} ({window.start} to {window.end}, {window.timezone})"
    hotfix_prefix = options.branches.prefixes.hotfix
    branch = ctx.branch or ""
    if hotfix_prefix and branch.startswith(hotfix_prefix):
        return [
            Finding(
                f"{GATE_ID}.freeze",
                f"change freeze {period} is on; {branch} is a hotfix and may deploy",
                severity=Severity.NOTE,
                hint="hotfixes pass a freeze",
            )
        ]
    reason = (ctx.options.get("override_freeze") or ctx.env.get(OVERRIDE_ENV) or "").strip()
    if reason:
        return [
            Finding(
                f"{GATE_ID}.freeze-override",
                f"change freeze {period} overridden: {reason}",
                severity=Severity.WARNING,
                hint="the override and its reason are recorded in the report and the audit log",
            )
        ]
    return [
        Finding(
            f"{GATE_ID}.freeze",
            f"change freeze {period}: no deploy to {environment} now",
            hint=(
                f"wait for the end of the freeze, deploy a hotfix, or override with a reason: "
                f"--override-freeze 'REASON' (or ${OVERRIDE_ENV})"
            ),
        )
    ]


def _attestation(ctx: Context, options: DeployOptions, rules: dict[str, Any]) -> list[Finding]:
    from gates.adapters import attestation_file
    from gates.adapters.repo_paths import inside

    given = ctx.options.get("attestation") or ctx.env.get(ATTESTATION_ENV)
    name = given or options.attestation
    # a file the pipeline names is its own business; one the policy names stays in the repository
    path = ctx.root / name if given else inside(ctx.root, name, "deploy.attestation")
    from gates.knowledge import attestation

    verification = attestation_file.verify(
        path, ctx.head, ctx.policy.digest, ctx.env, ctx.policy.stage("ci")
    )
    reasons = list(verification.reasons)
    if rules.get("require_signature", False) and verification.how.startswith("unsigned"):
        reasons.append(
            "it is not signed, and this environment requires a signature (require_signature): "
            "set GATE_HMAC_KEY or GATE_ED25519_PUBLIC_KEY here, and the signing key in ci"
        )
    statement = verification.statement or {}
    max_age = options.attestation_max_age_hours
    reasons += attestation.age_problems(statement, ctx.now, max_age)
    reasons += attestation.ref_problems(statement, attestation.ref_of(ctx.ci.tag, ctx.branch))
    return [
        Finding(
            f"{GATE_ID}.attestation",
            f"ci attestation {name} refused: {reason}",
            hint=explained(
                "run the ci stage on this exact commit with this policy: "
                "gate run --stage ci --attest FILE",
                f"{GATE_ID}.attestation",
            ),
            path=name,
            commit=ctx.head,
        )
        for reason in reasons
    ]


def _release_version(ctx: Context, options: DeployOptions, release_tag: str | None) -> str | None:
    """The release version: the release tag's, else the version sources' (a hotfix branch)."""
    from gates.knowledge.semver import tag_version

    if release_tag:
        from gates.adapters.workspaces import tag_format

        version = tag_version(release_tag, tag_format(ctx), options.versioning.scheme)
        return str(version) if version else None
    from gates.adapters.version_files import read_sources
    from gates.adapters.workspaces import source_root, versioning_for

    found = {
        s.version
        for s in read_sources(source_root(ctx), versioning_for(ctx))
        if s.version and not s.dynamic and not s.error
    }
    return found.pop() if len(found) == 1 else None


def _versions(
    ctx: Context, options: DeployOptions, release_tag: str | None, version: str | None
) -> list[Finding]:
    from gates.adapters.version_files import read_sources
    from gates.knowledge.semver import parse_version, same_version

    scheme = options.versioning.scheme
    findings: list[Finding] = []
    hint = explained(
        "bump the version files and the changelog in the release commit (gate release)",
        f"{GATE_ID}.versions",
    )
    if version is None:
        return [
            Finding(
                f"{GATE_ID}.versions",
                "no release version: no release tag at HEAD and no single version in the "
                "version sources",
                hint=hint,
            )
        ]
    wanted = parse_version(version, scheme)
    from gates.adapters.workspaces import source_root, versioning_for

    for source in read_sources(source_root(ctx), versioning_for(ctx)):
        if source.error:
            findings.append(
                Finding(
                    f"{GATE_ID}.versions",
                    f"version source {source.label}: {source.error}",
                    hint=hint,
                    path=source.file,
                )
            )
            continue
        if source.dynamic or source.version is None:
            continue
        have = parse_version(source.version, scheme)
        if have is None or wanted is None or not same_version(have, wanted):
            against = f"the tag {release_tag}" if release_tag else "the release version"
            findings.append(
                Finding(
                    f"{GATE_ID}.versions",
                    f"{source.label} says {source.version}, {against} says {version}",
                    hint=hint,
                    path=source.file,
                    line=source.line,
                )
            )
    from gates.adapters.changelog_tooling import locate
    from gates.adapters.workspaces import changelog_for

    located = locate(ctx.root, changelog_for(ctx))
    changelog_file = located.name
    if located.text is None:
        findings.append(
            Finding(
                f"{GATE_ID}.versions",
                f"no {changelog_file} with a section for {version}",
                hint=hint,
            )
        )
    elif located.format.parse(located.text).section(version) is None:
        findings.append(
            Finding(
                f"{GATE_ID}.versions",
                f"{changelog_file} has no section for {version}",
                hint=hint,
                path=changelog_file,
            )
        )
    return findings


def image_tag_of(reference: str) -> str | None:
    """The tag of an image reference (`registry/p/app:1.2` → `1.2`); None for a digest."""
    last = reference.strip().rsplit("/", 1)[-1]
    if "@" in last:
        return None
    return last.rsplit(":", 1)[1] if ":" in last else last


def _image_tag(ctx: Context, version: str | None) -> list[Finding]:
    reference = ctx.options.get("image_tag") or ctx.env.get(IMAGE_TAG_ENV)
    rule = f"{GATE_ID}.image-tag"
    hint = explained("build and push the image tagged with the release version", rule)
    if not reference:
        return [Finding(rule, f"no image tag given (--image-tag or ${IMAGE_TAG_ENV})", hint=hint)]
    tag = image_tag_of(reference)
    if tag is None:
        return [
            Finding(
                rule,
                f"{reference} is pinned by digest; its tag cannot be compared with the release "
                f"version",
                hint="pass the tag as well: --image-tag IMAGE:VERSION",
            )
        ]
    if version is None:
        return [
            Finding(
                rule, f"image tag {tag} cannot be checked: no release version at HEAD", hint=hint
            )
        ]
    from gates.adapters.workspaces import tag_format

    if tag not in (version, tag_format(ctx).replace("{version}", version)):
        return [Finding(rule, f"image tag {tag} is not the release version {version}", hint=hint)]
    return []


def _test_run(ctx: Context, options: DeployOptions, rules: dict[str, Any]) -> list[Finding]:
    from gates.adapters import junit
    from gates.knowledge.quarantine import Quarantine, find

    tests = options.tests
    test_run = junit.collect(ctx.root, list(tests.junit), required=True)
    if test_run is None:  # collect() raises first when required; this keeps the types honest
        raise GateError("no JUnit XML report of the build", hint=junit.JUNIT_HINT)
    findings: list[Finding] = []
    if rules.get("check_tests"):
        entries = [Quarantine.from_policy(item.to_dict()) for item in tests.quarantine]
        today = ctx.now.date()
        broken = [
            c
            for c in test_run.cases
            if c.blocks and not ((e := find(entries, c.id)) and not e.expired(today))
        ]
        if broken:
            shown = ", ".join(c.id for c in broken[:5]) + (
                f" and {len(broken) - 5} more" if len(broken) > 5 else ""
            )
            findings.append(
                Finding(
                    f"{GATE_ID}.tests",
                    f"the test report shows {len(broken)} failed or errored test(s): {shown}",
                    hint=explained("fix the build first: gate check tests", f"{GATE_ID}.tests"),
                )
            )
        if test_run.executed == 0:
            findings.append(
                Finding(
                    f"{GATE_ID}.tests",
                    "the test report shows no test that ran",
                    hint="check the test job and its --junitxml path",
                )
            )
    if rules.get("check_build_time"):
        budget = options.build_time.budget_seconds
        if budget is not None and test_run.seconds > budget:
            findings.append(
                Finding(
                    f"{GATE_ID}.build-time",
                    f"the test run took {test_run.seconds:.2f} s, over the budget of {budget:g} s",
                    hint=(
                        "speed up the build first: gate check build-time; see "
                        "`gate explain deploy.build-time`"
                    ),
                )
            )
    return findings


DEPLOY_WHY = "A deploy should be a non-event: every condition is checked before it, never after."


GATE = Gate(
    id=GATE_ID,
    doc=Doc(
        summary="The last check before a deploy step: who may deploy what, where and when.",
        what=(
            "For the target environment (`gate run --stage deploy --env NAME`), checks the "
            "policy's `deploy.environments.NAME` rules: the branch or the tag at HEAD may "
            "deploy there; a change freeze is not on (hotfixes pass; an override needs a "
            "reason, which is recorded); the commit carries a passing ci attestation for this "
            "exact commit and policy; the release tag, the version sources and the changelog "
            "agree; the image tag equals the release version; the JUnit report of the build "
            "shows no failure and no error; and the test run was within its budget."
        ),
        why=(
            "CI calls the gate before any deploy step, so that a push to production is a non-event."
        ),
        example=(
            "error [deploy.ref] branch feature/login may not deploy to production (allowed: "
            "branches hotfix/*, tags v*)"
        ),
        instead=(
            "Deploy develop to staging, and to production only a release tag on main or a "
            "hotfix branch."
        ),
        inputs=(
            "The git repository (branch, tags at HEAD, main), the ci attestation "
            "(`gate run --stage ci --attest .gate/attestation.json`), the version files and "
            "CHANGELOG.md, "
            f"the image tag (--image-tag or ${IMAGE_TAG_ENV}), the JUnit XML of the build "
            "(`pytest --junitxml=junit.xml`, found with tests.junit), signing keys from the "
            "environment "
            "(GATE_HMAC_KEY, GATE_ED25519_PUBLIC_KEY)."
        ),
        options=(
            "deploy.environments.NAME: branches, tags, require_release_tag, tag_branch, "
            "require_ci_attestation,\n"
            "  check_versions, check_image_tag, check_tests, check_build_time, freeze.\n"
            "deploy.freezes: [{name, start, end, environments, timezone}]; deploy.timezone.\n"
            "deploy.attestation: the attestation file; deploy.audit_log: JSON-lines audit file.\n"
            f"`gate check deploy --env NAME [--image-tag TAG] [--override-freeze REASON] "
            f"[--attestation FILE]`;\n"
            f"for `gate run --stage deploy` use ${IMAGE_TAG_ENV}, ${OVERRIDE_ENV} and "
            f"${ATTESTATION_ENV}."
        ),
    ),
    run=run,
    options=DeployOptions,
    rules=(
        rule(
            GATE_ID,
            "ref",
            "The branch or tag may not deploy to this environment.",
            "Checks the branch against `branches` and the tags at HEAD against `tags`, "
            "`require_release_tag` and `tag_branch`.",
            DEPLOY_WHY,
            "Deploy develop or a release branch to staging; a release tag on main or a hotfix "
            "branch to production.",
        ),
        rule(
            GATE_ID,
            "freeze",
            "A change freeze is on for this environment.",
            "Freeze windows are weekly (`fri 16:00` to `mon 08:00`) or dated (`2026-12-23` to "
            "`2026-12-27`), in `deploy.timezone`.",
            DEPLOY_WHY,
            "Wait, deploy a hotfix, or override with a reason: --override-freeze 'REASON'.",
        ),
        rule(
            GATE_ID,
            "freeze-override",
            "A freeze was overridden; the reason is recorded.",
            "A warning carrying the override reason, so the report and the audit log show who "
            "deployed during a freeze and why.",
            DEPLOY_WHY,
            "Only override for a reason you would defend in a post-mortem.",
        ),
        rule(
            GATE_ID,
            "attestation",
            "The ci attestation is missing, foreign, failed, stale or tampered with.",
            "Verifies the in-toto statement: signed by a configured key (when one is set), for "
            "this commit, a passing ci stage, under the same policy digest.",
            DEPLOY_WHY,
            "Run `gate run --stage ci --attest FILE` on this commit and hand the file to the "
            "deploy step.",
        ),
        rule(
            GATE_ID,
            "versions",
            "The release tag, the version sources and the changelog disagree.",
            "Every version source must equal the release version, and CHANGELOG.md must have "
            "its section.",
            DEPLOY_WHY,
            "Cut releases with `gate release`, which bumps all of them together.",
        ),
        rule(
            GATE_ID,
            "image-tag",
            "The image about to be deployed is not tagged with the release version.",
            "Compares the tag of --image-tag / $GATE_IMAGE_TAG with the release version (1.2.0 "
            "or v1.2.0).",
            DEPLOY_WHY,
            "Tag the image with the release version in the build.",
        ),
        rule(
            GATE_ID,
            "tests",
            "The build's JUnit report shows failed or errored tests, or none ran.",
            "Reads the tests.junit reports; quarantined tests do not count.",
            DEPLOY_WHY,
            "Fix the build first: `gate check tests`.",
        ),
        rule(
            GATE_ID,
            "build-time",
            "The build's test run was over its budget.",
            "Compares the JUnit duration with build_time.budget_seconds.",
            DEPLOY_WHY,
            "Speed up the build: `gate check build-time` lists the slowest tests.",
        ),
    ),
    add_arguments=add_arguments,
)
