"""`--format FMT[:PATH]`: pick reporters and write each to its own path, atomically."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gates.errors import GateError, UsageError

if TYPE_CHECKING:
    from gates.model import Report

FORMATS = ("console", "json", "junit", "sarif", "github", "gitlab", "markdown")


def parse_format(spec: str) -> tuple[str, str | None]:
    fmt, _, path = spec.partition(":")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'", hint="formats: " + ", ".join(FORMATS))
    if not available(fmt):
        raise UsageError(f"the {fmt} format is not available in this installation")
    return fmt, (path or None)


def available(fmt: str) -> bool:
    return importlib.util.find_spec(f"gates.report.{fmt}") is not None


def color_wanted(stream: object, env: Mapping[str, str]) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (https://no-color.org)."""
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and env.get("TERM") != "dumb"


def render(fmt: str, report: Report, *, color: bool = False, quiet: bool = False) -> str:
    module = importlib.import_module(f"gates.report.{fmt}")
    if fmt == "console":
        return module.render(report, color=color, quiet=quiet)
    return module.render(report)


def write_file(path: Path, text: str, *, append: bool = False) -> None:
    """Write a report whole or not at all: a full disk leaves no half report behind."""
    # not at the top: hooks that print to stdout skip it
    from gates.adapters.atomic_files import write_output

    write_output(path, text, what="the report", append=append)


def _write_stdout(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from outside text: rare, so imported only then
        from gates.adapters.atomic_files import encodable

        text = encodable(text)
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise GateError(
            f"cannot write the report to standard output: {exc.strerror or exc}",
            hint="check where the output goes and the free disk space",
        ) from None


def emit(report: Report, specs: list[str], *, env: Mapping[str, str], quiet: bool = False) -> None:
    """Write every requested format; console to stdout when none is asked for."""
    outputs = [parse_format(spec) for spec in specs] or [("console", None)]
    for fmt, path in outputs:
        if path is None:
            text = render(fmt, report, color=color_wanted(sys.stdout, env), quiet=quiet)
            if text:
                _write_stdout(text)
        else:
            write_file(Path(path), render(fmt, report))
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary and any(fmt == "github" for fmt, _ in outputs) and available("markdown"):
        write_file(Path(summary), render("markdown", report) + "\n", append=True)
