"""The conformance corpora others published (../shared/conformance), read where they lie and
never copied into the project.

A checkout without shared/ beside it skips the conformance tests; CI lays shared/ beside the
clone, so there a missing corpus fails instead of passing unseen.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "conformance"
IN_CI = bool(os.environ.get("CI"))  # read at import: the test fixtures clear CI variables


def require(*parts: str, module: bool = False) -> Path:
    """The corpus file or folder; skips (module=True: the whole module) where it is absent,
    and fails in CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"conformance corpus {path} is absent in CI", pytrace=False)
        pytest.skip(f"conformance corpus {path} is absent", allow_module_level=module)
    return path


def lines(path: Path) -> list[str]:
    """The non-blank lines of a corpus file that are not `#` comments."""
    return [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
