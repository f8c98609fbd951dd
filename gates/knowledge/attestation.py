"""The ci attestation: an in-toto Statement v1 about one commit, optionally in a DSSE envelope.

Statement: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
Envelope:  https://github.com/secure-systems-lab/dsse/blob/master/envelope.md
The subject is the commit (`digest.gitCommit`), the predicate the gate report,
the policy digest and the tool version. Pure functions: the keys and the
files are the adapters' business.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://gates.dev/attestation/gate-report/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"


class AttestationError(ValueError):
    """The file is not an attestation this tool can read."""


@dataclass(frozen=True)
class Envelope:
    """What an attestation file holds: the statement, its exact bytes, and any signatures."""

    statement: dict[str, Any]
    payload: bytes
    signatures: list[dict[str, str]]


def statement(
    commit: str,
    subject_name: str,
    report: dict[str, Any],
    created: str,
    ref: str | None = None,
) -> dict[str, Any]:
    """The Statement for a gate report on `commit`, run for `ref` (refs/heads/…, refs/tags/…)
    of the repository `subject_name`."""
    tool = report.get("tool") or {}
    policy = report.get("policy") or {}
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": subject_name, "digest": {"gitCommit": commit}}],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "stage": report.get("stage"),
            "passed": bool(report.get("passed")),
            "created": created,
            "repository": subject_name,
            "ref": ref,
            "policy": {"digest": policy.get("digest"), "sources": policy.get("sources", [])},
            "tool": {"name": tool.get("name", "gate"), "version": tool.get("version")},
            "report": report,
        },
    }


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE pre-authentication encoding: what a signature covers."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def envelope(payload: bytes, signatures: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": signatures,
    }


def read(text: str) -> Envelope:
    """A DSSE envelope, or a bare Statement (unsigned), from an attestation file's text."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise AttestationError(f"not JSON ({type(exc).__name__}: {exc})") from None
    if not isinstance(document, dict):
        raise AttestationError("not a JSON object")
    if "payload" in document:
        if document.get("payloadType") != PAYLOAD_TYPE:
            raise AttestationError(f"payloadType is not {PAYLOAD_TYPE}")
        try:
            payload = base64.b64decode(str(document["payload"]), validate=True)
            inner = json.loads(payload)
        except (ValueError, TypeError, RecursionError) as exc:
            raise AttestationError(f"the envelope's payload is not base64 JSON ({exc})") from None
        signatures = document.get("signatures") or []
        if not isinstance(signatures, list) or not all(isinstance(s, dict) for s in signatures):
            raise AttestationError("the envelope's signatures are not a list of objects")
        found = Envelope(inner, payload, signatures)
    else:
        found = Envelope(document, canonical(document), [])
    if not isinstance(found.statement, dict) or found.statement.get("_type") != STATEMENT_TYPE:
        raise AttestationError(f"not an in-toto Statement v1 (_type {STATEMENT_TYPE})")
    if found.statement.get("predicateType") != PREDICATE_TYPE:
        raise AttestationError(f"predicateType is not {PREDICATE_TYPE}")
    if not isinstance(found.statement.get("predicate"), dict):
        raise AttestationError("the statement has no predicate")
    return found


def _object(value: Any) -> dict[str, Any]:
    """A JSON object of the statement, or an empty one where the file holds another shape."""
    return value if isinstance(value, dict) else {}


def _array(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def subject_commits(statement_: dict[str, Any]) -> list[str]:
    subjects = statement_.get("subject")
    if not isinstance(subjects, list):
        return []
    return [
        str(s["digest"]["gitCommit"]).lower()
        for s in subjects
        if isinstance(s, dict)
        and isinstance(s.get("digest"), dict)
        and s["digest"].get("gitCommit")
    ]


def _mapping(value: Any) -> dict[str, Any]:
    """A field that should be an object; anything else reads as empty (and so fails the checks)."""
    return value if isinstance(value, dict) else {}


def ref_of(tag: str | None, branch: str | None) -> str | None:
    """The full ref a run is for: the CI's tag, else the branch."""
    if tag:
        return f"refs/tags/{tag}"
    return f"refs/heads/{branch}" if branch else None


def age_problems(
    statement_: dict[str, Any], now: dt.datetime, max_age_hours: float | None
) -> list[str]:
    """Why the statement is too old (or dated in the future) to deploy on; empty when fresh."""
    if max_age_hours is None:
        return []
    created = _object(statement_.get("predicate")).get("created")
    try:
        when = dt.datetime.fromisoformat(str(created))
    except ValueError:
        return [f"its time {created!r} cannot be read"]
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    age = now - when
    if age > dt.timedelta(hours=max_age_hours):
        hours = age.total_seconds() / 3600
        return [
            f"it is {hours:.1f} hours old, over deploy.attestation_max_age_hours ({max_age_hours:g})"
        ]
    if age < -dt.timedelta(minutes=5):
        return [f"it is dated in the future ({created})"]
    return []


def ref_problems(statement_: dict[str, Any], ref: str | None) -> list[str]:
    """Why the statement was made for another ref than the one deploying; empty when the same."""
    attested = _object(statement_.get("predicate")).get("ref")
    if ref is None:
        return ["the deploying ref is unknown (no branch, no tag)"]
    if attested != ref:
        return [f"it was made for {attested or 'no ref'}, not for {ref}"]
    return []


def problems(
    statement_: dict[str, Any],
    commit: str,
    policy_digest: str,
    stage: str = "ci",
    stage_gates: list[str] | None = None,
) -> list[str]:
    """Why this statement does not vouch for `commit` under this policy; empty when it does."""
    found: list[str] = []
    commits = subject_commits(statement_)
    if commit.lower() not in commits:
        shown = ", ".join(c[:12] for c in commits) or "none"
        found.append(f"it is for commit {shown}, not {commit[:12]}")
    predicate = statement_["predicate"]
    if predicate.get("stage") != stage:
        found.append(f"it attests the {predicate.get('stage')!r} stage, not {stage!r}")
    if predicate.get("passed") is not True:
        found.append(f"the {predicate.get('stage')} stage did not pass")
    attested = _object(predicate.get("policy")).get("digest")
    if attested != policy_digest:
        found.append(f"the policy changed since ({attested} then, {policy_digest} now)")
    results = _array(_object(predicate.get("report")).get("results"))
    ran = {str(r.get("gate")) for r in results if isinstance(r, dict)}
    missing = [gate for gate in stage_gates or [] if gate not in ran]
    if missing:
        found.append(f"the attested run left out gate(s) {', '.join(missing)} (--only or --skip)")
    return found
