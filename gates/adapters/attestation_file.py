"""Attestation files: write one after `gate run --attest FILE`, read and verify one for a deploy."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gates.errors import GateError
from gates.knowledge import attestation


@dataclass(frozen=True)
class Verification:
    """Why an attestation is refused (`reasons`), or how it was accepted (`how`)."""

    reasons: list[str]
    how: str
    statement: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.reasons


def write(
    path: Path,
    *,
    report: dict[str, Any],
    commit: str,
    subject_name: str,
    env: Mapping[str, str],
    now: dt.datetime,
    ref: str | None = None,
) -> bool:
    """Write the statement (in a signed DSSE envelope when a key is set); True when signed."""
    from gates.adapters import signing
    from gates.adapters.atomic_files import write_output

    statement = attestation.statement(
        commit, subject_name, report, now.isoformat(timespec="seconds"), ref
    )
    payload = attestation.canonical(statement)
    signatures = signing.sign(payload, env)
    document = attestation.envelope(payload, signatures) if signatures else statement
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    write_output(path, text, what="the attestation")
    return bool(signatures)


def verify(
    path: Path,
    commit: str,
    policy_digest: str,
    env: Mapping[str, str],
    stage_gates: list[str] | None = None,
) -> Verification:
    """Check an attestation for this commit and policy; a GateError when it cannot be read."""
    from gates.adapters import signing

    hint = "write it in the ci stage: gate run --stage ci --attest FILE, and pass it to this step"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GateError(f"no attestation at {path}", hint=hint) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"cannot read the attestation {path}: {exc}", hint=hint) from None
    try:
        found = attestation.read(text)
    except attestation.AttestationError as exc:
        raise GateError(f"{path.name}: malformed attestation: {exc}", hint=hint) from None
    signature = signing.verify(found.payload, found.signatures, env)
    reasons = [] if signature.ok else [signature.reason]
    reasons += attestation.problems(found.statement, commit, policy_digest, "ci", stage_gates)
    return Verification(reasons, signature.reason, found.statement)
