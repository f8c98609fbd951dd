"""Stages to gates, run fail-closed: a gate that raises is an `error` and blocks."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from gates import registry
from gates.context import Context
from gates.errors import GateToolError, PolicyError, UnsafePathError, UsageError
from gates.knowledge.waivers import Waiver, apply, entries, max_days
from gates.model import Finding, Report, Result, Severity, Status, status_of

if TYPE_CHECKING:
    from gates.options import Options

# Where the policy is enforced (local hooks are a convenience a developer may turn off).
ENFORCED_STAGES = ("ci", "deploy")
NO_REPOSITORY: dict[str, str | None] = {"commit": None, "branch": None, "base": None}


def run_gate(ctx: Context, gate: registry.Gate, debug: bool = False) -> Result:
    """Run one gate; whatever it raises becomes an `error` result, never a pass."""
    start = time.perf_counter()
    try:
        result = gate.run(ctx, gate_options(ctx, gate))
        if not isinstance(result, Result):
            raise TypeError(f"gate {gate.id} returned {type(result).__name__}, not a Result")
    except UnsafePathError:
        raise  # exit 2 for the whole run: the policy or the repository names a path it may not
    except GateToolError as exc:
        result = Result.error(
            gate.id, exc.message, [Finding(f"{gate.id}.error", exc.message, hint=exc.hint)]
        )
    except Exception as exc:
        if debug:
            import traceback  # only here: it loads textwrap, linecache and tokenize

            detail = traceback.format_exc()
        else:
            detail = f"{type(exc).__name__}: {exc}"
        result = Result.error(
            gate.id,
            f"the gate crashed: {type(exc).__name__}: {exc}"[:300],
            [
                Finding(
                    f"{gate.id}.crash",
                    detail,
                    hint="run with --debug for the traceback, and report it",
                )
            ],
        )
    result.duration_ms = (time.perf_counter() - start) * 1000
    return result


def gate_options(ctx: Context, gate: registry.Gate) -> Options:
    """The gate's options: its own section and the shared ones it names, defaults filled in."""
    from gates.options import Options

    declared = gate.options or Options
    shared = {
        name: ref.options(ctx.policy.section(ref.options.section))
        for name, ref in declared.shared.items()
    }
    return declared(_section(ctx, declared.section), shared)


def _section(ctx: Context, name: str | None) -> dict:
    """The gate's policy section; for one component of a monorepo, its own versioning and
    changelog settings."""
    if ctx.options.get("component") and name in ("versioning", "changelog"):
        from gates.adapters import workspaces

        return (
            workspaces.versioning_for(ctx)
            if name == "versioning"
            else workspaces.changelog_for(ctx)
        )
    section = ctx.policy.section(name)
    if name == "coverage" and ctx.policy.data.get("components"):
        section["paths"] = [*(section.get("paths") or []), *_component_minimums(ctx)]
    return section


def _component_minimums(ctx: Context) -> list[dict]:
    """A declared component's coverage minimum, as a per-path minimum over its folder."""
    minimums = []
    for entry in ctx.policy.data.get("components") or []:
        coverage = entry.get("coverage") if isinstance(entry, dict) else None
        if isinstance(coverage, dict) and coverage.get("total_min") is not None:
            folder = str(entry.get("path", "")).strip("/")
            minimums.append({"glob": f"{folder}/**", "min": coverage["total_min"]})
    return minimums


# The gates that judge each component a change touches, once per component, in a monorepo.
PER_COMPONENT = ("version", "changelog")


def touched_components(ctx: Context) -> list[tuple[str, Context]]:
    """In the ci stage of a monorepo: (name, narrowed context) of each component whose files
    the change touches; empty elsewhere, or when the change's range is unknown."""
    if ctx.stage != "ci":
        return []
    from gates.adapters import workspaces

    try:
        if not workspaces.is_monorepo(ctx) or ctx.base is None:
            return []
        paths = [changed.path for changed in ctx.diff.files]
    except GateToolError:
        return []
    touched = []
    for component in workspaces.components(ctx):
        if any(component.owns(path) for path in paths):
            options = {**ctx.options, "component": component.name}
            options.pop("_component", None)
            narrowed = Context(
                ctx.root, ctx.policy, ctx.stage, options=options, env=ctx.env, now=ctx.now
            )
            touched.append((component.name, narrowed))
    return touched


def _waive(ctx: Context, result: Result, waivers: list[Waiver], used: list[Waiver]) -> Result:
    if not waivers or result.status not in (Status.FAIL, Status.WARN):
        return result
    try:
        branch = ctx.branch
    except GateToolError:
        branch = None
    findings, applied = apply(result.findings, result.gate, waivers, branch, ctx.now.date())
    if not applied:
        return result
    used += [w for w in applied if w not in used]
    result.findings = findings
    result.status = status_of(findings)
    return result


def policy_waivers(ctx: Context) -> tuple[list[Waiver], list[Finding]]:
    """The policy's waivers; a PolicyError (exit 2) for one that runs past waivers.max_days."""
    import datetime as dt

    section = ctx.policy.data.get("waivers")
    waivers = [Waiver.from_policy(item) for item in entries(section)]
    today = ctx.now.date()
    limit = max_days(section)
    latest = today + dt.timedelta(days=limit)
    for index, waiver in enumerate(waivers):
        if waiver.expires > latest:
            raise PolicyError(
                f"waiver {waiver.rule} runs until {waiver.expires}, more than {limit} days from "
                f"today (waivers.max_days)",
                key=f"waivers.entries[{index}].expires",
                hint=f"set expires on or before {latest}, and renew it then with a reason",
            )
    notes = [
        Finding(
            "policy.waiver-expired",
            f"waiver expired on {w.expires}: {w.describe()}",
            severity=Severity.NOTE,
            hint="remove it from the policy, or renew it with a new reason",
        )
        for w in waivers
        if w.expired(today)
    ]
    return waivers, notes


def detection_note(ctx: Context) -> list[Finding]:
    """The one note saying which conventions were detected and where from (not in the hooks,
    which stay quiet; they apply the same values)."""
    detected = getattr(ctx.policy, "detected", None)
    if detected is None or ctx.stage in ("pre-commit", "commit-msg", "pre-push"):
        return []
    note = detected.note()
    if note is None:
        return []
    return [
        Finding(
            "policy.detected",
            note,
            severity=Severity.NOTE,
            hint="a key set in .gate.yaml overrides what is detected; `gate init` writes "
            "these values down",
        )
    ]


def require_gates(stage: str, gate_ids: list[str]) -> None:
    """An enforced stage (ci, deploy) with no gates is a policy error, never a pass."""
    if stage in ENFORCED_STAGES and not gate_ids:
        raise PolicyError(
            f"the {stage} stage has no gates: an empty stage would pass everything",
            key=f"stages.{stage}",
            hint=f"list the gates of the {stage} stage, e.g. extends: gitflow",
        )
    if stage == "deploy" and "deploy" not in gate_ids:
        raise PolicyError(
            "the deploy stage does not run the deploy gate",
            key="stages.deploy",
            hint="put `deploy` in stages.deploy",
        )


def run(
    ctx: Context,
    gate_ids: list[str],
    *,
    only: list[str] | None = None,
    skip: list[str] | None = None,
    debug: bool = False,
) -> Report:
    selected = _selected(gate_ids, only, skip)
    start = time.perf_counter()
    waivers, notes = policy_waivers(ctx)
    gates = [registry.load(gate_id) for gate_id in selected]
    used: list[Waiver] = []
    results = [_waive(ctx, result, waivers, used) for result in _results(ctx, gates, debug)]
    if notes and results:
        results[0].findings.extend(notes)  # a Result's findings are its own list
    policy = _policy_result(ctx, bool(results))
    if policy is not None:
        results.insert(0, policy)
    return Report(
        stage=ctx.stage,
        results=results,
        repository=ctx.repository_info() if any(g.uses_git for g in gates) else dict(NO_REPOSITORY),
        policy_sources=ctx.policy.sources,
        policy_digest=ctx.policy.digest,
        duration_ms=(time.perf_counter() - start) * 1000,
        waivers=tuple(used),
    )


def _selected(gate_ids: list[str], only: list[str] | None, skip: list[str] | None) -> list[str]:
    for name in [*(only or []), *(skip or [])]:
        if not registry.exists(name):
            raise UsageError(
                f"unknown gate '{name}'", hint="known gates: " + ", ".join(registry.all_ids())
            )
    return [g for g in gate_ids if (not only or g in only) and g not in (skip or [])]


def _results(ctx: Context, gates: list[registry.Gate], debug: bool) -> list[Result]:
    """Each gate's result; in a monorepo's ci stage, one per touched component for the gates
    that judge components."""
    touched = any(g.id in PER_COMPONENT for g in gates)
    components = touched_components(ctx) if touched else []
    results = []
    for gate in gates:
        if not (components and gate.id in PER_COMPONENT):
            results.append(run_gate(ctx, gate, debug))
            continue
        for name, narrowed in components:
            result = run_gate(narrowed, gate, debug)
            result.component = name
            results.append(result)
    return results


def _policy_result(ctx: Context, any_results: bool) -> Result | None:
    """What the change does to the policy, and the conventions detected: a result of its own."""
    review = list(getattr(ctx, "policy_review", None) or [])
    detected = detection_note(ctx)
    if review:
        blocking = any(f.severity is Severity.ERROR for f in review)
        summary = "the change weakens the policy" if blocking else "the change edits the policy"
        return Result.of("policy", [*review, *detected], summary)
    if detected and any_results:
        return Result.of("policy", detected, "conventions detected in the repository")
    return None
