"""Ruff, the executable installed beside this package, run on the repository with its own config.

Ruff runs in the repository root, so it finds the repository's pyproject.toml
`[tool.ruff]`, ruff.toml or .ruff.toml as it would on a developer's machine.
`--exit-zero` makes any non-zero exit a real failure (bad config, crash),
which is an error of the gate, never a pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from gates.errors import GateError

RULES_URL = "https://docs.astral.sh/ruff/rules/"


@dataclass(frozen=True)
class RuffFinding:
    path: str
    line: int
    end_line: int
    column: int
    code: str | None
    name: str | None
    message: str
    url: str | None

    @property
    def label(self) -> str:
        return self.code or "syntax-error"


def ruff_binary() -> Path:
    """The ruff of this installation: beside the interpreter, else as ruff's package finds it."""
    exe = "ruff.exe" if sys.platform == "win32" else "ruff"
    candidates = [Path(sys.executable).parent / exe, Path(sysconfig.get_path("scripts")) / exe]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    try:
        from ruff.__main__ import find_ruff_bin

        return Path(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        raise GateError(
            "ruff is not installed beside gate",
            hint="install it into the same environment: pip install ruff",
        ) from None


def _run(root: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    binary = ruff_binary()
    try:
        return subprocess.run(
            [str(binary), *args], cwd=root, capture_output=True, text=True, check=False, timeout=600
        )
    except OSError as exc:
        raise GateError(
            f"cannot start ruff ({binary}): {exc.strerror or exc}", hint="reinstall ruff"
        ) from None
    except subprocess.TimeoutExpired:
        raise GateError(
            "ruff did not finish in 10 minutes", hint="narrow `lint.paths` in the policy"
        ) from None


def _failure(process: subprocess.CompletedProcess[str]) -> GateError:
    lines = [line.strip() for line in process.stderr.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("warning:")] or lines
    detail = "; ".join(lines) or "no output"
    return GateError(
        f"ruff failed (exit {process.returncode}): {detail[:300]}",
        hint="run `ruff check` in the repository to see the whole message; check its ruff "
        "configuration",
    )


def check(root: Path, paths: list[str]) -> list[RuffFinding]:
    """Ruff's findings on `paths` (relative to root), with paths relative to root."""
    args = [
        "check",
        "--output-format",
        "json",
        "--exit-zero",
        "--no-fix",
        "--force-exclude",
        "--",
        *paths,
    ]
    process = _run(root, args)
    if process.returncode != 0:
        raise _failure(process)
    try:
        items = json.loads(process.stdout or "[]")
    except ValueError:
        raise GateError(
            "ruff's output is not the JSON expected",
            hint="check that the installed ruff is 0.5 or newer",
        ) from None
    if not isinstance(items, list):
        raise GateError("ruff's output is not a JSON list of findings")
    resolved = root.resolve()
    return [_finding(item, resolved) for item in items]


def checked_files(root: Path, paths: list[str]) -> list[str]:
    """The files ruff would check (`--show-files`): empty when there is no Python code."""
    process = _run(root, ["check", "--show-files", "--force-exclude", "--", *paths])
    if process.returncode != 0:
        raise _failure(process)
    return [line.strip() for line in process.stdout.splitlines() if line.strip()]


def _finding(item: dict[str, object], root: Path) -> RuffFinding:
    location = item.get("location") or {}
    end = item.get("end_location") or location
    filename = Path(str(item.get("filename", "")))
    try:
        path = filename.resolve().relative_to(root).as_posix()
    except ValueError:
        path = filename.as_posix()
    row = int(location.get("row") or 1)  # type: ignore[union-attr]
    code = item.get("code")
    url = item.get("url")
    return RuffFinding(
        path=path,
        line=row,
        end_line=max(row, int(end.get("row") or row)),  # type: ignore[union-attr]
        column=int(location.get("column") or 1),  # type: ignore[union-attr]
        code=str(code) if code else None,
        name=str(item["name"]) if item.get("name") else None,
        message=str(item.get("message", "")),
        url=str(url) if url else None,
    )
