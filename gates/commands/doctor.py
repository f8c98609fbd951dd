"""`gate doctor`: is this clone set up for the gates? Each problem comes with its fix.

Checks git's version, the policy, the hooks (native or through pre-commit,
for every stage the policy gives gates), shallow history and release tags.
Exit 0 when healthy, 1 when something needs fixing.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from gates.adapters.git import GitRepo
    from gates.adapters.hooks_dir import HookStatus
    from gates.policy import Policy

MIN_GIT = (2, 15)  # rev-parse --is-shallow-repository; core.hooksPath in --git-path
HOOK_STAGES = ("pre-commit", "commit-msg", "pre-push")


@dataclass(frozen=True)
class Check:
    topic: str
    ok: bool
    message: str
    fix: str = ""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help="check this clone's set-up and say what to fix",
        description=(
            "Check git's version, the policy, the hooks (native or pre-commit), shallow "
            "history and release tags. Exit 0 healthy, 1 something to fix."
        ),
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from gates.adapters.git import GitRepo
    from gates.commands._common import repository_root
    from gates.errors import GateError, PolicyError
    from gates.policy import load_policy

    root = repository_root()
    checks: list[Check] = []
    try:
        repo = GitRepo(root)
    except GateError as exc:
        checks.append(
            Check("repository", False, exc.message, exc.hint or "run gate doctor in a clone")
        )
        return _print(checks)
    checks.append(_git_version(repo))
    policy: Policy | None = None
    try:
        policy = load_policy(root)
        checks.append(Check("policy", True, "valid: " + ", ".join(policy.sources)))
    except PolicyError as exc:
        fix = exc.hint or "fix the key it names; `gate policy schema` lists every key"
        checks.append(Check("policy", False, exc.render().split("\n")[0], fix))
    checks += _hooks(root, policy)
    checks.append(_shallow(repo))
    checks.append(_tags(repo, policy))
    if policy is not None and repo.has_commits():
        checks += _disagreements(root, policy)
    return _print(checks)


def _disagreements(root: Path, policy: Policy) -> list[Check]:
    """Every place where the policy and the repository disagree: a production branch the
    repository does not have, tags that follow no tag format of the policy."""
    from gates.adapters.conventions import read_facts
    from gates.knowledge.conventions import detect_tag_format
    from gates.knowledge.history import classify_tags

    facts = read_facts(root, files=False)
    branches = policy.section("branches")
    checks = []
    name = branches.get("main")
    if name and name in facts.branches:
        checks.append(Check("production branch", True, f"{name} exists"))
    elif name:
        checks.append(
            Check(
                "production branch",
                False,
                f"the policy names {name}; no such branch",
                "set branches.main in .gate.yaml to the branch releases are made from",
            )
        )
    from gates.policy.sections import VersioningOptions

    versioning = VersioningOptions.from_policy(policy)
    tag_format = versioning.tag_format
    if facts.tags:
        tagset = classify_tags(facts.tags, tag_format, versioning.scheme)
        if tagset.others:
            detected, _ = detect_tag_format(facts.tags)
            better = next((d.value for d in detected if d.value != tag_format), None)
            fix = (
                f"most tags follow {better}: set versioning.tag_format: '{better}'"
                if better
                else "delete or rename them, or ignore this if they are not releases"
            )
            listed = ", ".join(tagset.others[:5]) + (" …" if len(tagset.others) > 5 else "")
            checks.append(
                Check(
                    "tag format",
                    False,
                    f"{len(tagset.others)} of {len(facts.tags)} tags follow no format of the "
                    f"policy ({tag_format}): {listed}",
                    fix,
                )
            )
        else:
            checks.append(Check("tag format", True, f"every release tag follows {tag_format}"))
    checks += _changelog_format(root, policy)
    return checks


def _changelog_format(root: Path, policy: Policy) -> list[Check]:
    """A changelog in another format than the policy names (one line, not one per heading)."""
    from gates.adapters.changelog_tooling import locate
    from gates.errors import GateToolError
    from gates.knowledge import changelog_formats

    section = policy.section("changelog")
    configured = section.get("format") or changelog_formats.AUTO
    try:
        located = locate(root, {**section, "format": changelog_formats.AUTO})
    except GateToolError:
        return []
    if located.text is None:
        return []
    found = located.format.name
    if configured in (changelog_formats.AUTO, found):
        return [Check("changelog format", True, f"{located.name} is in the {found} format")]
    return [
        Check(
            "changelog format",
            False,
            f"{located.name} looks like {found}, the policy says {configured}",
            f"set changelog.format: {found} (or auto, to let it be detected)",
        )
    ]


def _git_version(repo: GitRepo) -> Check:
    text = repo.run("--version").strip()
    match = re.search(r"(\d+)\.(\d+)", text)
    version = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    shown = text.removeprefix("git version ")
    if version < MIN_GIT:
        wanted = ".".join(map(str, MIN_GIT))
        return Check(
            "git", False, f"git {shown} is older than {wanted}", f"upgrade git to {wanted} or later"
        )
    return Check("git", True, shown)


def _hooks(root: Path, policy: Policy | None) -> list[Check]:
    from gates.adapters import hooks_dir
    from gates.adapters.project_scan import PRE_COMMIT_CONFIG
    from gates.knowledge.pre_commit_config import mentions_gate

    config = root / PRE_COMMIT_CONFIG
    via_pre_commit = config.is_file() and mentions_gate(
        config.read_text(encoding="utf-8", errors="replace")
    )
    checks = []
    if config.is_file():
        said = "runs gate hooks" if via_pre_commit else "runs no gate hook (native hooks must)"
        checks.append(Check("pre-commit", True, f"{config.name} {said}"))
    directory = hooks_dir.hooks_dir(root)
    python = sys.executable
    for stage in HOOK_STAGES:
        if policy is not None and not policy.stage(stage):
            continue
        hook = hooks_dir.status(directory, stage, python)
        checks.append(_hook_check(hook, via_pre_commit))
    return checks


def _hook_check(hook: HookStatus, via_pre_commit: bool) -> Check:
    from gates.adapters.hooks_dir import HookState

    name, state, path = hook.name, hook.state, hook.path
    topic = f"{name} hook"
    if state is HookState.CURRENT:
        return Check(topic, True, f"installed and current ({path})")
    if state is HookState.PRE_COMMIT and via_pre_commit:
        return Check(topic, True, "installed by pre-commit")
    if state is HookState.MISSING:
        fix = (
            f"pre-commit install --hook-type {name}"
            if via_pre_commit
            else f"gate hooks install {name}"
        )
        return Check(topic, False, f"not installed ({path})", fix)
    if state is HookState.INSTALLED:
        return Check(topic, False, f"outdated: {hook.detail}", f"gate hooks install {name}")
    if state is HookState.PRE_COMMIT:
        return Check(
            topic,
            False,
            "pre-commit's hook, but .pre-commit-config.yaml runs no gate hook",
            "gate init adds the gate hooks to it, or see docs/hooks.md",
        )
    return Check(
        topic,
        False,
        f"{path} is someone else's hook",
        f'call `gate hook {name} "$@"` from it, or: gate hooks install --force {name}',
    )


def _shallow(repo: GitRepo) -> Check:
    if repo.run("rev-parse", "--is-shallow-repository").strip() == "true":
        return Check(
            "history",
            False,
            "shallow clone: commits, changelog and version gates need the history",
            "git fetch --unshallow (in CI: fetch-depth: 0)",
        )
    return Check("history", True, "complete (not shallow)")


def _tags(repo: GitRepo, policy: Policy | None) -> Check:
    if repo.config("remote.origin.tagOpt") == "--no-tags":
        return Check(
            "tags",
            False,
            "origin is set to fetch no tags; versions come from release tags",
            "git config --unset remote.origin.tagOpt && git fetch --tags",
        )
    tags = repo.tags()
    if tags:
        return Check("tags", True, f"{len(tags)} tag{'s' if len(tags) != 1 else ''}")
    from gates.policy.sections import CommitsOptions

    pattern = (
        CommitsOptions.from_policy(policy).release_commit if policy else None
    ) or r"^chore\(release\): "
    released = (
        repo.has_commits()
        and repo.run("log", "-1", "--format=%h %s", "-E", f"--grep={pattern}").strip()
    )
    if released:
        return Check(
            "tags",
            False,
            f"no tags, but the history has a release commit ({released})",
            "git fetch --tags",
        )
    return Check("tags", True, "no tags yet (no release made)")


def _print(checks: list[Check]) -> int:
    import os

    from gates.report.output import color_wanted

    color = color_wanted(sys.stdout, os.environ)
    green, red, reset = ("\x1b[32m", "\x1b[31m", "\x1b[0m") if color else ("", "", "")
    width = max(len(c.topic) for c in checks)
    for check in checks:
        mark = f"{green}ok{reset}     " if check.ok else f"{red}problem{reset}"
        print(f"{mark}  {check.topic:<{width}}  {check.message}")
        if check.fix:
            print(f"{'':<9}{'':<{width}}  fix: {check.fix}")
    problems = sum(not c.ok for c in checks)
    if problems:
        print(f"\n{problems} problem{'s' if problems != 1 else ''} to fix.")
        return 1
    print("\nall good.")
    return 0
