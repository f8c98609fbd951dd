"""What several reporters need about a finding: a fingerprint, its rule's documentation, a URI."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gates.model import Finding
    from gates.registry import Doc


def fingerprint(gate: str, finding: Finding) -> str:
    """The same problem in the same place hashes the same from run to run (line numbers excluded,
    so an edit above a finding does not make it look new)."""
    key = "\x1f".join(
        [gate, finding.rule, finding.path or "", finding.commit or "", finding.message]
    )
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=256)
def rule_doc(rule_id: str) -> Doc | None:
    """The registry's documentation of a rule (or of a gate), None where there is none."""
    from gates import registry
    from gates.errors import GateToolError

    gate_id = rule_id.split(".", 1)[0]
    try:
        gate = registry.load(gate_id)
    except (GateToolError, ImportError, AttributeError):
        return None
    if rule_id == gate_id:
        return gate.doc
    rule = gate.rule(rule_id)
    return rule.doc if rule else None


def relative_uri(path: str) -> str:
    """A finding's path as a URI reference relative to the repository root."""
    from urllib.parse import quote

    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return quote(posix, safe="/")
