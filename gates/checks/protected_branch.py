"""Gate `protected-branch`: no direct commit on main or develop from a developer machine.

As pre-commit-hooks' no-commit-to-branch, but driven by `branches.protected`. The
pre-commit hook runs before the commit message exists, so the release manager's
way out cannot be the message: it is the environment variable GATE_RELEASE=1 on
that one command (`GATE_RELEASE=1 git commit …`), which the report shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.knowledge import gitflow
from gates.model import Finding, Result, Severity
from gates.options import Options, Shared
from gates.policy.sections import BranchesOptions
from gates.registry import Doc, Gate, hint, rule

if TYPE_CHECKING:
    from gates.context import Context

GATE_ID = "protected-branch"
RELEASE_VARIABLE = "GATE_RELEASE"
_TRUE = ("1", "true", "yes", "on")


class ProtectedBranchOptions(Options):
    branches = Shared(BranchesOptions)


def run(ctx: Context, options: ProtectedBranchOptions) -> Result:
    policy = gitflow.BranchPolicy.from_section(options.branches.to_dict())
    if ctx.ci.in_ci or ctx.env.get("CI", "").lower() in _TRUE:
        return Result.skip(GATE_ID, "in CI: direct commits are checked on developer machines only")
    branch = ctx.options.get("branch") or ctx.git.current_branch()
    if branch is None:
        return Result.of(GATE_ID, [], "HEAD is detached: the commit goes to no branch")
    shown = gitflow.display(branch)
    entry = gitflow.protected_by(branch, policy)
    if entry is None:
        return Result.of(GATE_ID, [], f"{shown} is not protected")
    if not ctx.git.has_commits():
        return Result.of(
            GATE_ID, [], f"{shown} is protected, but this is the repository's first commit"
        )
    if ctx.env.get(RELEASE_VARIABLE, "").lower() in _TRUE:
        note = Finding(
            f"{GATE_ID}.release-override",
            f"{RELEASE_VARIABLE} is set: a direct commit on protected {shown} is let through",
            severity=Severity.NOTE,
            hint="only for the release manager's own release commit; unset it afterwards",
        )
        return Result.of(
            GATE_ID, [note], f"{shown} is protected; {RELEASE_VARIABLE}=1 lets this commit through"
        )
    finding = Finding(
        f"{GATE_ID}.direct-commit",
        f"{shown} is protected (branches.protected: {entry}): no direct commits",
        hint=hint(
            "commit on a branch and open a pull/merge request: git switch -c feature/<name> "
            "(your staged changes come along); a release manager's own release commit: "
            f"{RELEASE_VARIABLE}=1 git commit …",
            f"{GATE_ID}.direct-commit",
        ),
    )
    return Result.of(GATE_ID, [finding], f"direct commit on protected {shown}")


GATE = Gate(
    id=GATE_ID,
    options=ProtectedBranchOptions,
    run=run,
    doc=Doc(
        summary="No direct commit on a protected branch (main, develop) from a developer machine.",
        what=(
            "In the pre-commit stage, fails when the checked-out branch matches an entry of "
            "`branches.protected`: `main` and `develop` mean the policy's names, a kind "
            "(`release`) every branch of that kind, anything else a branch name or glob. "
            "It passes on a detached HEAD (a rebase), on the repository's very first commit, "
            "and skips in CI. The release manager's own commit goes through with "
            "GATE_RELEASE=1 in the environment of that one command; the report shows it."
        ),
        why=(
            "Work committed straight to main or develop skips review and the CI gates of a "
            "pull request; the forge's branch protection stops the push, this stops the "
            "commit before it has to be moved."
        ),
        example="git switch main && git commit -m 'fix: typo'",
        instead=(
            "git switch -c bugfix/typo && git commit -m 'fix: typo' (then a pull request); "
            "for the release commit on main: GATE_RELEASE=1 git commit -m 'chore(release): 1.2.0'"
        ),
        options="branches.protected; the environment variable GATE_RELEASE=1",
        inputs="The checked-out branch (or --branch NAME).",
    ),
    rules=(
        rule(
            GATE_ID,
            "direct-commit",
            summary="A commit on a protected branch from a developer machine.",
            what="The branch matches an entry of branches.protected.",
            why="Changes reach protected branches through pull/merge requests.",
            instead="git switch -c feature/<name>, commit there, open a pull request. "
            "Release manager: GATE_RELEASE=1 git commit … for the release commit only.",
            options="branches.protected",
        ),
        rule(
            GATE_ID,
            "release-override",
            summary="GATE_RELEASE=1 let a commit on a protected branch through (a note).",
            what="Shown whenever the override is used, so it stays visible.",
            why="The release commit on main is the one direct commit git-flow expects.",
        ),
    ),
)
