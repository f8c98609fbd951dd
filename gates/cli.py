"""`gate`: parse the command line, dispatch to gates/commands/, turn errors into exit codes."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gates import __version__
from gates.errors import EXIT_ERROR, GateToolError

if TYPE_CHECKING:
    import argparse

# Each command is a module in gates/commands/ with add_parser(subparsers) and main(args) -> int,
# and may have parse_fast(argv): the arguments a git hook passes on every commit, read without
# argparse (importing it and building the parser is a sixth of the commit-msg hook's time).
COMMANDS = (
    "run",
    "check",
    "hook",
    "explain",
    "policy",
    "version",
    "changelog",
    "release",
    "components",
    "coverage",
    "init",
    "hooks",
    "doctor",
    "verify",
    "metrics",
    "report",
)

DESCRIPTION = """\
Policy and quality gates for git-flow delivery.

Exit codes: 0 passed, 1 a gate failed, 2 usage or policy error,
3 a gate could not run (still blocks).
"""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command`, only that command's module is imported (hooks stay fast)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="gate",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="`gate COMMAND --help` for each command; `gate explain GATE` for each gate.",
    )
    parser.add_argument("--version", action="version", version=f"gate {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (command,) if command in COMMANDS else COMMANDS:
        module = importlib.import_module(f"gates.commands.{name}")
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # --debug is global: accepted before or after the command, never after `--`.
    end = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:end]
    argv = [arg for arg in argv[:end] if arg != "--debug"] + argv[end:]
    try:
        args = _parse_fast(argv)
        if args is None:
            parser = build_parser(next((arg for arg in argv if not arg.startswith("-")), None))
            try:
                args = parser.parse_args(argv)
            except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
                return exc.code if isinstance(exc.code, int) else 2
            if args.command is None:
                parser.print_help()
                return 2
        args.debug = debug
        return int(args.func(args))
    except GateToolError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        print(f"gate: {exc.render()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("gate: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of the output went away (`| head`), or a git process died: say so, if we can
        import contextlib

        with contextlib.suppress(OSError):
            print("gate: a pipe closed before the command finished (exit 3)", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        if debug:
            raise
        print(
            f"gate: internal error: {type(exc).__name__}: {exc}\n"
            "  hint: run again with --debug and report the traceback",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _parse_fast(argv: list[str]) -> argparse.Namespace | None:
    """The command's own parse_fast, when argv starts with a command that has one."""
    if not argv or argv[0] not in COMMANDS:
        return None
    parse_fast = getattr(importlib.import_module(f"gates.commands.{argv[0]}"), "parse_fast", None)
    return parse_fast(argv[1:]) if parse_fast else None


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
