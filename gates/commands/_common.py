"""Options and plumbing shared by `gate run`, `gate check` and `gate hook`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from gates.errors import UsageError

if TYPE_CHECKING:
    import argparse

    from gates.context import Context
    from gates.policy import Policy
    from gates.runner import Report

FORMAT_HELP = (
    "console, json, junit, sarif, github, gitlab or markdown; :PATH writes to a file (repeatable)"
)


def add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "-f", action="append", default=[], metavar="FMT[:PATH]", help=FORMAT_HELP
    )
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="print nothing when every gate passes"
    )
    parser.add_argument(
        "--policy", metavar="FILE", help="policy file instead of .gate.yaml / [tool.gate]"
    )
    parser.add_argument(
        "--policy-from",
        metavar="REF",
        help="judge by the policy committed at REF (default in CI: the target branch's)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def add_range_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base", metavar="REF", help="start of the change (default: merge base with the target)"
    )
    parser.add_argument("--head", metavar="REF", help="end of the change (default: HEAD)")
    parser.add_argument(
        "--target", metavar="BRANCH", help="branch the change merges into (default: from CI)"
    )
    parser.add_argument(
        "--branch", metavar="NAME", help="branch under check (default: current, or from CI)"
    )
    parser.add_argument(
        "--component",
        metavar="NAME",
        help="one component of a monorepo: its version, tags and changelog (the deploy gate)",
    )


def repository_root(start: Path | None = None) -> Path:
    """The work tree's top folder, found without GitPython (fast for hooks); cwd outside git."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


LOCAL_STAGES = ("pre-commit", "commit-msg", "pre-push")
# The commit-msg hook runs on every commit and needs no detected convention.
NO_DETECTION = ("commit-msg",)


def build_context(args: argparse.Namespace, stage: str | None, *, detect: bool = True) -> Context:
    from gates.context import Context
    from gates.policy import load_policy

    root = repository_root()
    env = dict(os.environ)
    policy_file = getattr(args, "policy", None)
    review: list = []
    if policy_file:
        if not Path(policy_file).is_file():
            raise UsageError(f"no such policy file: {policy_file}")
        policy = load_policy(
            root,
            Path(policy_file).resolve(),
            detect=False,
            detection=_detection(root, stage, wanted=detect),
        )
    else:
        ref = _policy_ref(args, stage, env)
        if ref is None:
            detection = _detection(root, stage, wanted=detect)
            policy = load_policy(root, detect=False, detection=detection)
        else:
            policy, review = _judging_policy(root, ref, explicit=bool(args.policy_from))
    options = {
        key: getattr(args, key, None)
        for key in ("base", "head", "target", "branch", "component")
        if getattr(args, key, None)
    }
    ctx = Context(root=root, policy=policy, stage=stage, options=options, env=env)
    ctx.policy_review = review
    return ctx


def _detection(root: Path, stage: str | None, *, wanted: bool = True) -> object:
    """The repository's conventions for this stage: none for the commit-msg hook (or when
    not `wanted`), the branches only for the pre-commit hook (it must stay fast)."""
    from gates.adapters.conventions import detect

    if not wanted or stage in NO_DETECTION:
        return None
    return detect(root, light=stage == "pre-commit")


def _policy_ref(args: argparse.Namespace, stage: str | None, env: dict[str, str]) -> str | None:
    """Where the judging policy comes from: --policy-from, else in CI the change's target
    branch (--target or the pull/merge request's), else the working tree (None)."""
    if not hasattr(args, "policy_from"):
        args.policy_from = None
    if args.policy_from:
        return str(args.policy_from)
    if stage in LOCAL_STAGES:
        return None
    from gates.adapters.ci_env import detect

    ci = detect(env)
    if not ci.in_ci:
        return None
    return getattr(args, "target", None) or ci.target_branch


def _judging_policy(root: Path, ref: str, *, explicit: bool) -> tuple[Policy, list]:
    """The policy committed at `ref`, and what the change does to it (policy.changed)."""
    from gates.adapters.git import GitRepo
    from gates.errors import GateError
    from gates.knowledge.policy_diff import weakenings
    from gates.model import Finding, Severity
    from gates.policy import load_policy
    from gates.policy.loader import policy_at

    git = GitRepo(root)
    branch = git.branch_ref(ref)
    sha = (git.rev_parse(ref) if explicit else None) or (git.rev_parse(branch) if branch else None)
    if sha is None:
        raise GateError(
            f"cannot read the policy of '{ref}': it is not in this clone",
            hint=f"fetch it (git fetch origin {ref}); the policy that judges a change is its "
            "target's",
        )
    from gates.adapters.conventions import detect

    # the conventions as the target has them: the change cannot pick its own
    detection = detect(root, ref=sha)
    judging = policy_at(git.show, sha, label=ref, root=root, detection=detection)
    proposed = load_policy(root, detection=detection)
    if proposed.data == judging.data:
        return judging, []
    found = weakenings(judging.data, proposed.data)
    allowed = (judging.data.get("policy") or {}).get("allow_weakening") is True
    if not found:
        note = Finding(
            "policy.changed",
            f"the change makes the policy stricter than {ref}'s; it applies once merged",
            severity=Severity.NOTE,
        )
        return judging, [note]
    listed = "; ".join(w.describe() for w in found)
    message = f"the change weakens the policy of {ref} ({len(found)} key(s)): {listed}"
    if allowed:
        hint = f"allowed by policy.allow_weakening on {ref}; a reviewer should read it"
    else:
        hint = (
            f"keep the policy of {ref}, or have its owners set policy.allow_weakening: true "
            f"on {ref} first; see `gate explain policy.changed`"
        )
    severity = Severity.WARNING if allowed else Severity.ERROR
    return judging, [Finding("policy.changed", message, severity=severity, hint=hint)]


def finish(report: Report, args: argparse.Namespace) -> int:
    from gates.report.output import emit

    emit(report, args.format, env=os.environ, quiet=args.quiet)
    return report.exit_code
