"""The committed build-time baseline: total seconds and seconds per test, as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from gates.errors import GateError

SCHEMA = "gate-build-time/1"


@dataclass(frozen=True)
class Baseline:
    total_seconds: float
    tests: dict[str, float]


def read(path: Path) -> Baseline | None:
    """The baseline in `path`, None where there is none; a GateError when it is broken."""
    if not path.is_file():
        return None
    hint = "rewrite it: gate check build-time --write-baseline"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GateError(
            f"{path.name}: cannot read the build-time baseline ({exc})", hint=hint
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise GateError(f"{path.name}: not a build-time baseline (schema {SCHEMA})", hint=hint)
    total, tests = data.get("total_seconds"), data.get("tests")
    numbers_ok = isinstance(tests, dict) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in tests.values()
    )
    if not isinstance(total, (int, float)) or isinstance(total, bool) or not numbers_ok:
        raise GateError(
            f"{path.name}: the baseline needs total_seconds and tests in seconds", hint=hint
        )
    return Baseline(float(total), {str(k): float(v) for k, v in tests.items()})


def write(path: Path, baseline: Baseline) -> None:
    from gates.adapters.atomic_files import write_output

    data = {
        "schema": SCHEMA,
        "total_seconds": round(baseline.total_seconds, 3),
        "tests": {test: round(seconds, 3) for test, seconds in sorted(baseline.tests.items())},
    }
    text = json.dumps(data, indent=2, sort_keys=False) + "\n"
    write_output(path, text, what="the build-time baseline")
