"""Gate `merge-target`: the branch goes where git-flow lets its kind go (feature → develop, …)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.errors import GateError
from gates.knowledge import gitflow
from gates.knowledge.patterns import PatternTimeout
from gates.model import Finding, Result
from gates.options import Options, Shared
from gates.policy.sections import BranchesOptions
from gates.registry import Doc, Gate, Rule
from gates.registry import hint as explained

if TYPE_CHECKING:
    from gates.context import Context

GATE_ID = "merge-target"


class MergeTargetOptions(Options):
    branches = Shared(BranchesOptions)


def run(ctx: Context, options: MergeTargetOptions) -> Result:
    policy = gitflow.BranchPolicy.from_section(options.branches.to_dict())
    target = ctx.target_branch
    if not target:
        return Result.skip(
            GATE_ID,
            "no target branch: not a pull/merge request (pass --target BRANCH to check one)",
        )
    source = ctx.branch
    if not source:
        raise GateError(
            "the source branch is unknown: HEAD is detached and the CI names no branch",
            hint="pass it: gate check merge-target --branch NAME --target BRANCH",
        )
    try:
        kind = gitflow.check(source, policy).kind
    except PatternTimeout as exc:
        raise GateError(str(exc), hint="simplify branches.slug or branches.extra") from None
    pair = f"{gitflow.display(source)} → {gitflow.display(target)}"
    if kind is None:
        finding = Finding(
            f"{GATE_ID}.unknown-source",
            f"{gitflow.display(source)} is not a git-flow branch name, so where it may merge is "
            "unknown",
            hint=explained(
                "rename the branch (`gate check branch-name` suggests a name)",
                f"{GATE_ID}.unknown-source",
            ),
        )
        return Result.of(GATE_ID, [finding], f"{pair}: the source branch has no git-flow kind")
    allowed = gitflow.allowed_targets(kind, policy)
    if allowed is None:
        return Result.of(GATE_ID, [], f"{pair}: the policy does not restrict {kind} branches")
    if gitflow.merge_allowed(kind, target, policy):
        return Result.of(GATE_ID, [], f"{pair}: a {kind} branch may merge here")
    return Result.of(
        GATE_ID, [_not_allowed(kind, source, target, allowed, policy)], f"{pair}: not allowed"
    )


def _not_allowed(
    kind: str, source: str, target: str, allowed: tuple[str, ...], policy: gitflow.BranchPolicy
) -> Finding:
    names = [shown for spec in allowed if (shown := gitflow.describe(spec, policy))]
    if names:
        where = ", ".join(names)
        hint = f"{kind} branches merge into {where}: retarget the pull/merge request"
    else:
        where = "nowhere"
        hint = f"{kind} branches are not merged by pull/merge request under this policy"
    return Finding(
        f"{GATE_ID}.not-allowed",
        f"{gitflow.display(source)} ({kind}) may not be merged into {gitflow.display(target)}; "
        f"allowed: {where}",
        hint=explained(
            f"{hint} (branches.merge_targets.{kind} in the policy)", f"{GATE_ID}.not-allowed"
        ),
    )


GATE = Gate(
    id=GATE_ID,
    options=MergeTargetOptions,
    run=run,
    doc=Doc(
        summary="A pull/merge request targets a branch its kind may merge into.",
        what=(
            "Where the target branch is known (`--target`, or the pull/merge request in CI: "
            "GITHUB_BASE_REF, CI_MERGE_REQUEST_TARGET_BRANCH_NAME, CHANGE_TARGET, …), the source "
            "branch's kind must list the target in `branches.merge_targets`. By default feature "
            "and bugfix merge into develop; release into main and develop; hotfix into main, "
            "develop or the open release branch; support nowhere. Without a target (a push, not "
            "a request) the gate skips."
        ),
        why=(
            "A feature merged straight into main ships untested work past the release branch; "
            "a hotfix that never reaches develop comes back as a regression in the next release."
        ),
        example="feature/login → main",
        instead="feature/login → develop; release/1.2.0 → main, then → develop",
        options=(
            "branches.merge_targets.<kind>: a list of `main`, `develop`, a kind (`release` is "
            "every release branch), a branch name or a glob; [] allows no target; a kind left "
            "out may merge anywhere"
        ),
        inputs="`gate check merge-target --target BRANCH [--branch NAME]`; in CI, the request.",
    ),
    rules=(
        Rule(
            f"{GATE_ID}.not-allowed",
            Doc(
                summary="The source branch's kind may not merge into this target.",
                what="The finding names the kinds of target that are allowed.",
                why="Git-flow keeps each kind of change on its path to production.",
                example="feature/login → main, hotfix/1.2.1 → feature/x",
                instead="feature/login → develop, hotfix/1.2.1 → main",
                options="branches.merge_targets",
            ),
        ),
        Rule(
            f"{GATE_ID}.unknown-source",
            Doc(
                summary="The source branch has no git-flow kind, so it has no allowed targets.",
                what="A name outside the model cannot be checked against merge targets: it fails.",
                why="Fail closed: an unknown branch must not reach main by being unknown.",
                instead="Rename the branch: gate check branch-name suggests the nearest name.",
                options="branches.prefixes, branches.extra",
            ),
        ),
    ),
)
