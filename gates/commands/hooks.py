"""`gate hooks install|uninstall|status`: native git hooks for teams without pre-commit.

The shims run `gate hook NAME`. A hook that gate did not write is never
replaced without --force, and then it is kept as NAME.backup, which
`uninstall` puts back.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from gates.adapters.hooks_dir import HookStatus

ACTIONS = ("install", "uninstall", "status")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "hooks",
        help="install, remove or inspect the native git hooks",
        description=(
            "Native git hooks (pre-commit, commit-msg, pre-push) that run `gate hook NAME`. "
            "They go where git looks: core.hooksPath, else the repository's hooks folder "
            "(shared by its worktrees). status exits 0 when every hook is current, 1 otherwise; "
            "install exits 1 when it left a foreign hook in place."
        ),
    )
    # REMAINDER, not two positionals: argparse cannot take `--force` between
    # positionals (`gate hooks install --force pre-push`), so main() picks it out.
    parser.add_argument(
        "words",
        nargs=argparse.REMAINDER,
        metavar="ACTION [HOOK ...]",
        help="install, uninstall or status (default); HOOK: pre-commit, commit-msg, pre-push",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace a hook gate did not write, keeping it as HOOK.backup",
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from gates.adapters import hooks_dir
    from gates.commands._common import repository_root
    from gates.errors import UsageError

    words = [w for w in args.words if w != "--force"]
    force = args.force or len(words) < len(args.words)
    action, *names = words or ["status"]
    if action not in ACTIONS:
        raise UsageError(
            f"unknown action '{action}'", hint="gate hooks install|uninstall|status [HOOK ...]"
        )
    names = list(dict.fromkeys(names)) or list(hooks_dir.HOOK_NAMES)
    unknown = [n for n in names if n not in hooks_dir.HOOK_NAMES]
    if unknown:
        raise UsageError(
            f"unknown hook '{unknown[0]}'", hint="hooks: " + ", ".join(hooks_dir.HOOK_NAMES)
        )
    root = repository_root()
    directory = hooks_dir.hooks_dir(root)
    python = sys.executable
    statuses = [hooks_dir.status(directory, name, python) for name in names]
    if action == "install":
        return _install(statuses, python, force=force)
    if action == "uninstall":
        return _uninstall(statuses)
    return _status(statuses, directory, hooks_dir.hooks_path_configured(root))


def _install(statuses: list[HookStatus], python: str, *, force: bool) -> int:
    from gates.adapters import hooks_dir
    from gates.adapters.hooks_dir import HookState

    refused = 0
    for hook in statuses:
        if hook.state is HookState.CURRENT:
            print(f"{hook.name}: already current ({hook.path})")
            continue
        if hook.state in (HookState.FOREIGN, HookState.PRE_COMMIT):
            if not force:
                refused += 1
                print(f"{hook.name}: left alone, {hook.path} is {hook.detail}")
                print(
                    f"  hint: gate hooks install --force {hook.name} replaces it,"
                    f" keeping it as {hook.backup.name}"
                )
                continue
            if hook.backup.exists():
                refused += 1
                print(f"{hook.name}: left alone, a backup {hook.backup} exists already")
                print("  hint: move that backup away, then install again")
                continue
            hooks_dir.move(hook.path, hook.backup)
            hooks_dir.write_shim(hook.path, hook.name, python)
            print(f"{hook.name}: installed at {hook.path}; the old hook is now {hook.backup.name}")
            continue
        hooks_dir.write_shim(hook.path, hook.name, python)
        verb = "updated" if hook.state is HookState.INSTALLED else "installed"
        print(f"{hook.name}: {verb} at {hook.path}")
    return 1 if refused else 0


def _uninstall(statuses: list[HookStatus]) -> int:
    from gates.adapters import hooks_dir
    from gates.adapters.hooks_dir import HookState

    for hook in statuses:
        if hook.state in (HookState.CURRENT, HookState.INSTALLED):
            hooks_dir.remove(hook.path)
            message = f"{hook.name}: removed {hook.path}"
        elif hook.state is HookState.MISSING:
            message = f"{hook.name}: not installed"
        else:
            print(f"{hook.name}: left alone, {hook.path} is {hook.detail}")
            continue
        if hook.backup.exists():
            hooks_dir.move(hook.backup, hook.path)
            message += f"; restored the previous hook from {hook.backup.name}"
        print(message)
    return 0


def _status(statuses: list[HookStatus], directory: Path, hooks_path: str | None) -> int:
    from gates.adapters.hooks_dir import HookState

    where = f"{directory} (core.hooksPath = {hooks_path})" if hooks_path else str(directory)
    print(f"hooks folder: {where}")
    fixes = {
        HookState.MISSING: "gate hooks install {name}",
        HookState.INSTALLED: "gate hooks install {name}",
        HookState.FOREIGN: "gate hooks install --force {name} (keeps it as {name}.backup)",
        HookState.PRE_COMMIT: "fine if .pre-commit-config.yaml runs the gate hooks (gate doctor)",
    }
    width = max(len(h.name) for h in statuses)
    for hook in statuses:
        line = f"  {hook.name:<{width}}  {hook.state.value}"
        if hook.detail:
            line += f": {hook.detail}"
        fix = fixes.get(hook.state)
        if fix:
            line += f"\n  {'':<{width}}  fix: {fix.format(name=hook.name)}"
        print(line)
    return 0 if all(h.state is HookState.CURRENT for h in statuses) else 1
