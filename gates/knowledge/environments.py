"""Deploy environments: the rules the policy sets for one target (`deploy.environments`)."""

from __future__ import annotations

from typing import Any

from gates.errors import UsageError


def environment_rules(section: dict[str, Any], name: str | None) -> dict[str, Any]:
    """The rules of one environment; a UsageError (exit 2) naming the known ones otherwise."""
    known = sorted((section.get("environments") or {}).keys())
    if not name:
        raise UsageError(
            "the deploy stage needs a target environment: --env NAME",
            hint="environments: " + ", ".join(known),
        )
    if name not in known:
        raise UsageError(
            f"unknown environment '{name}'", hint="environments in the policy: " + ", ".join(known)
        )
    return dict(section["environments"][name])
