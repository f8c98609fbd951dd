"""The policy schema, generated from the options each gate declares.

Every section is declared once, beside the code that reads it (`gates.options`):
the shared sections in `gates.policy.sections`, each gate's own in its module,
the release manager's in `gates.release.options`, a plugin gate's in its package.
This module adds the policy's own structure (stages, waivers, components, presets)
and assembles the JSON Schema that drives validation (with file, line and key in
every message), `gate policy schema` and the editors that complete `.gate.yaml`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gates.options import Options

STAGES = ("pre-commit", "commit-msg", "pre-push", "ci", "deploy")

Schema = dict[str, Any]


def _obj(properties: dict[str, Schema], description: str = "", **extra: Any) -> Schema:
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if description:
        schema["description"] = description
    schema.update(extra)
    return schema


def _str(description: str = "", **extra: Any) -> Schema:
    return {"type": "string", "description": description, **extra}


def _bool(description: str) -> Schema:
    return {"type": "boolean", "description": description}


def _num(description: str, minimum: float | None = None, maximum: float | None = None) -> Schema:
    schema: Schema = {"type": "number", "description": description}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def _int(description: str, minimum: int | None = None) -> Schema:
    schema: Schema = {"type": "integer", "description": description}
    if minimum is not None:
        schema["minimum"] = minimum
    return schema


def _list(items: Schema, description: str = "") -> Schema:
    return {"type": "array", "items": items, "description": description}


def _strs(description: str) -> Schema:
    return _list({"type": "string"}, description)


def _date(description: str) -> Schema:
    return {"type": "string", "format": "date", "description": description}


GATE_ID = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"}

WAIVER = _obj(
    {
        "rule": _str("A gate id or rule id."),
        "path": _str("Path glob (gitignore-style, anchored at the root: docs/globs.md)."),
        "commit": _str("A commit sha or its prefix."),
        "branch": _str("Branch name glob (fnmatch: `*` crosses `/`)."),
        "reason": _str("Why; shown in every report."),
        "expires": _date("Last day the waiver applies (YYYY-MM-DD)."),
    },
    required=["rule", "reason", "expires"],
)

WAIVERS: Schema = {
    "type": ["array", "object"],
    "description": (
        "Rules waived for a path, commit or branch, until a date: a list of waivers, or "
        "{max_days, entries}. A waiver may not outlive max_days from today (default 90); "
        "the deploy gate's ref and attestation rules cannot be waived."
    ),
    "items": WAIVER,
    "properties": {
        "max_days": _int("The longest a waiver may run, in days from today (default 90).", 1),
        "entries": _list(WAIVER, "The waivers."),
    },
    "additionalProperties": False,
}

COMPONENT = {
    "type": "object",
    "description": "One component: its name and folder, and what it does differently.",
    "properties": {
        "name": _str("The component's name, as its tags spell it (`@scope/api`, `api`)."),
        "path": _str("Its folder, relative to the repository root."),
        "tag_format": _str(
            "Its release tags: {name} and {version}, e.g. {name}@{version}, {name}-v{version}."
        ),
        "changelog": _str("Its changelog file (default: PATH/CHANGELOG.md)."),
        "depends": _strs("Components it depends on: they are released first."),
        "scopes": _strs("Conventional Commit scopes that name it: such a commit counts for it."),
        "also": _strs("Files or folders outside its path that count for it (a Dockerfile)."),
        "coverage": _obj(
            {"total_min": _num("The coverage its own files must reach.", 0, 100)},
            "Coverage settings for its files.",
        ),
        "versioning": {"type": "object", "description": "Versioning settings of its own."},
    },
    "required": ["name", "path"],
    "additionalProperties": False,
}


def _structure(sections: dict[str, Schema]) -> Schema:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gates.dev/schema/policy-1.json",
        "title": "gate policy",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "extends": {
                "type": ["string", "object"],
                "description": (
                    "The preset this policy starts from: a built-in one (gitflow, trunk, strict), one "
                    "an installed package declares (entry points gates.presets), or "
                    "{file: PATH, sha256: HEX}, a file pinned by its hash."
                ),
                "properties": {
                    "file": _str("The preset file, relative to this policy's folder."),
                    "sha256": _str(
                        "The SHA-256 of the file's bytes.", pattern=r"^[0-9a-fA-F]{64}$"
                    ),
                },
                "required": ["file", "sha256"],
                "additionalProperties": False,
            },
            "locked": _strs(
                "Presets: dotted keys (`stages.ci`, `deploy.environments.production`) that a policy "
                "extending this one cannot change."
            ),
            "floor": {
                "type": "object",
                "description": "Presets: dotted number keys and their least value "
                "(`coverage.total_min: 80`); a policy extending this one may raise them, never lower.",
                "additionalProperties": {"type": "number"},
            },
            "stages": _obj(
                {
                    stage: _list(GATE_ID, f"Gates of the {stage} stage, in order.")
                    for stage in STAGES
                },
                "Which gates each stage runs.",
            ),
            "waivers": WAIVERS,
            "components": _list(
                COMPONENT,
                "The components of a monorepo; without it they are detected from the workspace "
                "files (pnpm-workspace.yaml, package.json workspaces, a Cargo workspace, "
                "pyproject.toml under packages/ or services/, charts/).",
            ),
            "policy": _obj(
                {
                    "allow_weakening": _bool(
                        "Read from the target branch's policy: a change may weaken this policy "
                        "(policy.changed is a warning, not an error)."
                    )
                },
                "How the policy itself may change.",
            ),
            **sections,
        },
    }


# Where each built-in section is declared. A policy document is validated against the
# sections it holds, so the commit-msg hook imports the declarations of those alone; a test
# checks this table against what the gates declare.
BUILTIN_SECTIONS = {
    "branches": "gates.policy.sections:BranchesOptions",
    "commits": "gates.policy.sections:CommitsOptions",
    "coverage": "gates.checks.coverage:CoverageOptions",
    "tests_with_code": "gates.checks.tests_with_code:TestsWithCodeOptions",
    "versioning": "gates.policy.sections:VersioningOptions",
    "changelog": "gates.policy.sections:ChangelogOptions",
    "release": "gates.release.options:ReleaseOptions",
    "lint": "gates.checks.lint:LintOptions",
    "tests": "gates.checks.tests:TestsOptions",
    "build_time": "gates.checks.build_time:BuildTimeOptions",
    "deploy": "gates.checks.deploy:DeployOptions",
    "metrics": "gates.release.options:MetricsOptions",
}


def _builtin(name: str) -> type[Options]:
    import importlib

    module, attribute = BUILTIN_SECTIONS[name].removeprefix("gates.").split(":")
    return getattr(importlib.import_module(f"gates.{module}"), attribute)  # type: ignore[no-any-return]


def _gate_sections(builtin: bool) -> list[type[Options]]:
    """The sections the gates declare, own and shared: the built-in gates' or the installed
    plugins'. A plugin gate that does not load adds nothing (running it reports why)."""
    from gates import registry

    declared: list[type[Options]] = []
    names = registry.builtin_ids() if builtin else registry.plugin_ids()
    for gate_id in names:
        try:
            gate = registry.load(gate_id)
        except Exception:  # noqa: S112 - a plugin that does not load declares nothing here
            continue
        if gate.options is not None:
            declared.append(gate.options)
            declared += [ref.options for ref in gate.options.shared.values()]
    return declared


def section_options(builtin: bool = True, plugins: bool = True) -> dict[str, type[Options]]:
    """Every declared section by name: the built-in ones (the table above) and those of the
    installed plugin gates; a PolicyError when two declarations of one section disagree."""
    from gates.errors import PolicyError

    found: dict[str, type[Options]] = {}
    declared = [_builtin(name) for name in BUILTIN_SECTIONS] if builtin else []
    if plugins:
        declared += _gate_sections(builtin=False)
    for options in declared:
        if not options.section:
            continue
        known = found.get(options.section)
        if known is None or issubclass(known, options):
            found[options.section] = options
        elif not issubclass(options, known):
            raise PolicyError(
                f"two declarations of the policy section {options.section}: "
                f"{known.__module__}.{known.__name__} and {options.__module__}.{options.__name__}",
                hint="a plugin gate names a section of its own, or reads a shared one with Shared()",
            )
    return found


@functools.cache
def policy_schema() -> Schema:
    """The JSON Schema of a policy document, every section in it (built once per process)."""
    sections = {name: options.schema() for name, options in section_options().items()}
    return _structure(dict(sorted(sections.items())))


def document_schema(data: Any) -> Schema:
    """The schema to validate one document with: the sections it holds are loaded, the
    others stay names (for "did you mean"). Plugin gates load only for a section that is
    not built in."""
    present = set(data) if isinstance(data, dict) else set()
    structure = _structure({})
    known = set(structure["properties"]) | set(BUILTIN_SECTIONS)
    plugins = section_options(builtin=False) if present - known else {}
    sections: dict[str, Schema] = {}
    for name in sorted({*BUILTIN_SECTIONS, *plugins}):
        if name not in present:
            sections[name] = {}
        elif name in plugins:
            sections[name] = plugins[name].schema()
        else:
            sections[name] = _builtin(name).schema()
    return _structure(sections)


def __getattr__(name: str) -> Any:
    if name == "POLICY_SCHEMA":
        return policy_schema()
    raise AttributeError(name)
