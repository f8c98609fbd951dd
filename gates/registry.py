"""The gate registry: ids, documentation, and lazy loading.

A built-in gate `some-id` lives in `gates/checks/some_id.py` and exposes `GATE`.
Third-party gates register in the `gates.gates` entry-point group, as
`id = "package.module:GATE"`. Nothing is imported until a gate is asked for,
so the commit-msg hook loads one module, not all of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from gates.errors import UsageError

if TYPE_CHECKING:
    from argparse import ArgumentParser

    from gates.context import Context
    from gates.model import Result
    from gates.options import Options

ENTRY_POINT_GROUP = "gates.gates"


class Doc(NamedTuple):
    """Documentation in the shape ruff gives each rule."""

    summary: str
    what: str
    why: str
    example: str = ""
    instead: str = ""
    options: str = ""
    inputs: str = ""

    def render(self, title: str) -> str:
        parts = [f"{title}: {self.summary}", ""]
        for heading, body in (
            ("What it does", self.what),
            ("Why it matters", self.why),
            ("Example", self.example),
            ("Instead", self.instead),
            ("Inputs", self.inputs),
            ("Options", self.options),
        ):
            if body:
                parts += [f"## {heading}", body.strip("\n"), ""]
        return "\n".join(parts).rstrip() + "\n"


class Rule(NamedTuple):
    id: str
    doc: Doc


def rule(  # noqa: PLR0917 - the rules of a gate read as a table, one argument a column
    gate_id: str,
    name: str,
    summary: str,
    what: str,
    why: str,
    instead: str = "",
    example: str = "",
    options: str = "",
) -> Rule:
    """A rule of a gate (`gate.name`), documented in the shape `gate explain` prints."""
    doc = Doc(summary, what, why, example=example, instead=instead, options=options)
    return Rule(f"{gate_id}.{name}", doc)


def see(rule_id: str) -> str:
    """Where a finding's rule is explained: every hint ends with it."""
    return f"see `gate explain {rule_id}`"


def hint(text: str, rule_id: str) -> str:
    """A finding's hint: what to do, then where its rule is explained."""
    return f"{text}; {see(rule_id)}" if text else see(rule_id)


RunFn = Callable[["Context", Any], "Result"]


class Gate(NamedTuple):
    """A gate: its id, documentation, `run(ctx, options)`, and the options class it reads
    (its own policy section and the shared sections it names; None: no options)."""

    id: str
    doc: Doc
    run: RunFn
    options: type[Options] | None = None
    rules: tuple[Rule, ...] = ()
    add_arguments: Callable[[ArgumentParser], None] | None = None
    uses_git: bool = True

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def _module_name(gate_id: str) -> str:
    return "gates.checks." + gate_id.replace("-", "_")


def _plugin_entry_points() -> dict[str, object]:
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def builtin_ids() -> list[str]:
    """The ids of the modules in gates/checks/ (a directory listing: pkgutil costs a hook 2 ms)."""
    import os

    import gates.checks

    folder = os.path.dirname(gates.checks.__file__)
    return sorted(
        name.removesuffix(".py").replace("_", "-")
        for name in os.listdir(folder)
        if name.endswith(".py") and not name.startswith("_")
    )


def plugin_ids() -> list[str]:
    return sorted(_plugin_entry_points())


def all_ids() -> list[str]:
    return sorted(set(builtin_ids()) | set(_plugin_entry_points()))


def exists(gate_id: str) -> bool:
    return gate_id in builtin_ids() or gate_id in _plugin_entry_points()


def load(gate_id: str) -> Gate:
    """The gate with this id; a UsageError (exit 2) naming the known ids if there is none."""
    if gate_id in builtin_ids():
        gate = importlib.import_module(_module_name(gate_id)).GATE
    else:
        ep = _plugin_entry_points().get(gate_id)
        if ep is None:
            raise UsageError(
                f"unknown gate '{gate_id}'",
                hint="known gates: " + ", ".join(all_ids()),
            )
        gate = ep.load()  # type: ignore[attr-defined]
    if not isinstance(gate, Gate) or gate.id != gate_id:
        raise UsageError(f"gate '{gate_id}' is not a valid gate definition")
    return gate


def _policy_rules() -> tuple[Rule, ...]:
    """Findings about the policy itself, which no gate owns (the runner reports them)."""
    return (
        Rule(
            "policy.changed",
            Doc(
                summary="The change edits the policy that judges it; a weakening blocks.",
                what=(
                    "In CI the policy committed on the change's target branch (or --policy-from "
                    "REF) judges the change. The change's own policy is compared with it, key by "
                    "key: a lowered minimum, a raised maximum, a gate removed from a stage, an "
                    "added waiver, exemption or allowed type, a changed pattern — any change not "
                    "known to be stricter — is listed as a weakening."
                ),
                why=(
                    "The change under review is written by its author: if its policy judged it, "
                    "it could switch its own gate off."
                ),
                example=(
                    "error [policy.changed] the change weakens the policy of develop (1 key(s)): "
                    "coverage.total_min: lowered from 80 to 10"
                ),
                instead=(
                    "Change the policy in a change of its own, after its owners set "
                    "`policy.allow_weakening: true` on the target branch (then it is a warning)."
                ),
                options="policy.allow_weakening (read from the target branch's policy).",
            ),
        ),
        Rule(
            "policy.waiver-expired",
            Doc(
                summary="A waiver in the policy has expired and no longer applies.",
                what="Lists each waiver whose `expires` date has passed.",
                why="A waiver is a debt with a due date; an expired one is only noise.",
                instead="Remove it, or renew it with a new reason and date (at most waivers.max_days ahead).",
            ),
        ),
    )


def _options_text(options: type[Options] | None) -> str:
    """The options a gate reads, from their declarations: key, default and what it does."""
    if options is None:
        return ""
    from gates.options import describe

    text = ""
    if options.declared:
        text += "".join(
            f"{key} = {default}\n    {doc}\n" for key, default, doc in describe(options)
        )
    if options.shared:
        names = ", ".join(ref.options.section for ref in options.shared.values())
        text += f"Also reads the shared sections {names} (`gate policy schema` documents them).\n"
    return text


def explain(item_id: str) -> str:
    """`gate explain ID`: a gate id or a rule id (`gate.rule`)."""
    gate_id = item_id.split(".", 1)[0]
    if gate_id == "policy":
        rules = _policy_rules()
        found = next((r for r in rules if r.id == item_id), None)
        if found is not None:
            return found.doc.render(found.id)
        return "".join(f"  {r.id:32} {r.doc.summary}\n" for r in rules)
    gate = load(gate_id)
    if item_id == gate_id:
        generated = _options_text(gate.options)
        notes = gate.doc.options
        options = f"{generated}\n{notes}" if generated and notes else generated or notes
        text = gate.doc._replace(options=options).render(gate.id)
        if gate.rules:
            text += "\nRules:\n" + "".join(f"  {r.id:32} {r.doc.summary}\n" for r in gate.rules)
        return text
    rule = gate.rule(item_id)
    if rule is None:
        raise UsageError(
            f"unknown rule '{item_id}'",
            hint=f"rules of {gate_id}: " + ", ".join(r.id for r in gate.rules),
        )
    return rule.doc.render(rule.id)
