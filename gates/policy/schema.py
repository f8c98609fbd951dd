"""The policy schema, declared once.

It drives validation (with file, line and key in every message), `gate policy
schema` (a JSON Schema that editors use to complete and check `.gate.yaml`),
and the documentation of every option. Each section belongs to the gates that
read it; the preset `policies/gitflow.yaml` gives every default.
"""

from __future__ import annotations

from typing import Any

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


def _regex(description: str) -> Schema:
    return {"type": "string", "format": "regex", "description": description}


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


def _nullable(schema: Schema) -> Schema:
    kind = schema["type"]
    return {**schema, "type": [kind, "null"] if isinstance(kind, str) else [*kind, "null"]}


GATE_ID = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"}

BRANCHES = _obj(
    {
        "main": _str("The production branch: `main` or `master`."),
        "develop": _nullable(_str("The integration branch; null for trunk-based teams.")),
        "prefixes": _obj(
            {
                kind: _nullable(_str(f"Prefix of {kind} branches; null turns the kind off."))
                for kind in ("feature", "bugfix", "release", "hotfix", "support")
            },
            "The git-flow branch prefixes.",
        ),
        "slug": _regex("Pattern of the part after feature/, bugfix/ and support/."),
        "version_prefix": _bool("Allow `release/v1.2.0` as well as `release/1.2.0`."),
        "extra": _list(_regex("A full-name pattern"), "Other names that are allowed as they are."),
        "max_length": _int("The longest branch name allowed.", 1),
        "merge_targets": {
            "type": "object",
            "description": "For each branch kind, the branches it may be merged into.",
            "additionalProperties": _strs("Target names or kinds (`main`, `develop`, `release`)."),
        },
        "protected": _strs("Branches that take no direct commit from a developer machine."),
        "release_commit": _regex("Commit subjects allowed on protected branches (release commits)."),
    },
    "Git-flow branch naming, merge targets and protected branches.",
)

COMMITS = _obj(
    {
        "types": _strs("Allowed Conventional Commit types."),
        "scopes": _strs("Allowed scopes; empty allows any scope."),
        "scope_required": _bool("Every commit must name a scope."),
        "header_max_length": _int("The longest header (first line) allowed.", 1),
        "body_max_line_length": _int("Body lines longer than this are a warning; 0 turns it off.", 0),
        "exempt_merges": _bool("Merge commits written by git or a forge pass unchecked."),
        "exempt_reverts": _bool("`Revert \"…\"` commits written by git pass unchecked."),
        "release_commit": _regex("Subjects of release commits, which pass unchecked."),
        "fixup_in_ci": _bool("Allow fixup!/squash!/amend! commits in a CI range."),
        "check_pr_title": _bool("In CI, check the pull/merge request title too (squash merges)."),
    },
    "Conventional Commits: the commit-msg hook and the commits gate.",
)

PATH_MIN = _obj({"glob": _str("Repository paths."), "min": _num("Minimum percent.", 0, 100)})

COVERAGE = _obj(
    {
        "data": _strs("Coverage data files to read, first found wins (.coverage, coverage.xml, coverage.json, lcov.info)."),
        "total_min": _num("Minimum total coverage, percent.", 0, 100),
        "changed_min": _num("Minimum coverage of lines changed in base..head, percent.", 0, 100),
        "branch": _bool("Count branch coverage where the data has it."),
        "paths": _list(PATH_MIN, "Per-path minimums by glob."),
        "baseline": _str("Ratchet baseline file written by `gate coverage baseline`."),
        "tolerance": _num("How far total coverage may fall below the baseline, percent.", 0, 100),
    },
    "Test-first coverage: total, changed lines and the ratchet.",
)

TESTS_WITH_CODE = _obj(
    {
        "source": _strs("Globs of source paths."),
        "tests": _strs("Globs of test paths."),
        "exempt_types": _strs("Commit types that need no tests (docs, ci, chore…)."),
        "exempt_paths": _strs("Globs of paths that never need tests (docs, config)."),
        "trailer": _str("Trailer that waives the rule with a reason."),
    },
    "A change to source paths must change test paths too.",
)

VERSION_SOURCE = _obj(
    {
        "file": _str("Path of the file."),
        "kind": {
            "type": "string",
            "enum": ["pyproject", "python", "package.json", "chart", "version-file", "pattern"],
        },
        "key": _str("Key inside the file (for chart: version or appVersion)."),
        "pattern": _regex("For kind pattern: a regex with one group, the version."),
    },
    required=["file"],
)

VERSIONING = _obj(
    {
        "scheme": {"type": "string", "enum": ["semver", "pep440"], "description": "How versions are spelled."},
        "tag_format": _str("Release tag format; must contain {version}."),
        "initial": _str("The first release's version when there is no tag."),
        "zero_major_breaking": {
            "type": "string",
            "enum": ["minor", "major"],
            "description": "What a breaking change bumps while the major is 0.",
        },
        "sources": _list(VERSION_SOURCE, "Version sources; empty finds them."),
        "api_check": _bool("Compare the public Python API with the latest release (griffe)."),
        "api_packages": _strs("Python packages whose public API is checked; empty finds them."),
    },
    "Semantic versions, tags and version sources.",
)

CHANGELOG = _obj(
    {
        "file": _str("The Keep a Changelog file."),
        "required_on": _strs("Branch kinds whose changes need a changelog entry."),
        "exempt_types": _strs("Commit types that need no changelog entry."),
        "exempt_paths": _strs("Globs of paths whose changes need no entry."),
        "skip_trailer": _str("Trailer (`Changelog: skip`) that waives the entry."),
        "categories": {
            "type": "object",
            "description": "Commit type to Keep a Changelog category.",
            "additionalProperties": {
                "type": "string",
                "enum": ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"],
            },
        },
    },
    "Keep a Changelog validation and generation.",
)

RELEASE = _obj(
    {
        "branches": _strs("Branch globs a release may be cut from."),
        "commit_message": _str("Release commit message; {version} is replaced."),
        "stage": {"type": "string", "enum": list(STAGES), "description": "Gates that must pass first."},
    },
    "`gate release`.",
)

LINT = _obj(
    {
        "scope": {"type": "string", "enum": ["changed", "all"], "description": "Block on changed lines or everywhere."},
        "paths": _strs("Paths given to ruff."),
        "required": _bool("Fail when ruff has nothing to check instead of skipping."),
    },
    "Ruff findings.",
)

QUARANTINE = _obj(
    {
        "test": _str("Test id (classname::name or a glob)."),
        "reason": _str("Why it may fail."),
        "expires": _date("Last day the quarantine applies."),
    },
    required=["test", "reason", "expires"],
)

TESTS = _obj(
    {
        "junit": _strs("JUnit XML files or globs."),
        "required": _bool("Fail when no JUnit file exists instead of skipping."),
        "quarantine": _list(QUARANTINE, "Flaky tests that may fail without blocking."),
    },
    "Test results from JUnit XML.",
)

BUILD_TIME = _obj(
    {
        "junit": _strs("JUnit XML files or globs."),
        "budget_seconds": _num("Budget for the whole test run.", 0),
        "fail_over_budget": _bool("Over budget fails instead of warning."),
        "slowest": _int("How many of the slowest tests to list.", 0),
        "baseline": _str("Baseline file of durations."),
        "tolerance_percent": _num("Growth over the baseline that warns.", 0),
    },
    "Build speed from JUnit durations.",
)

FREEZE = _obj(
    {
        "name": _str("What the freeze is called."),
        "start": _str("ISO date-time, or a weekday and time (`fri 16:00`)."),
        "end": _str("ISO date-time, or a weekday and time (`mon 08:00`)."),
        "environments": _strs("Environments frozen; empty freezes all."),
    },
    required=["start", "end"],
)

ENVIRONMENT = _obj(
    {
        "branches": _strs("Branch globs that may deploy here."),
        "tags": _strs("Tag globs that may deploy here."),
        "require_ci_attestation": _bool("The commit must carry a passing ci attestation."),
        "require_release_tag": _bool("HEAD must be a release tag."),
        "check_image_tag": _bool("The image tag must equal the release version."),
        "freeze": _bool("Freeze windows apply."),
    }
)

DEPLOY = _obj(
    {
        "environments": {"type": "object", "additionalProperties": ENVIRONMENT},
        "freezes": _list(FREEZE, "Change freeze windows."),
        "timezone": _str("IANA time zone of the freeze calendar."),
        "audit_log": _nullable(_str("JSON-lines file of deploy verdicts.")),
    },
    "The deploy stage: who may deploy what where.",
)

WAIVER = _obj(
    {
        "rule": _str("A gate id or rule id."),
        "path": _str("Glob of paths."),
        "commit": _str("A commit sha or its prefix."),
        "branch": _str("Glob of branch names."),
        "reason": _str("Why; shown in every report."),
        "expires": _date("Last day the waiver applies (YYYY-MM-DD)."),
    },
    required=["rule", "reason", "expires"],
)

SECTIONS: dict[str, Schema] = {
    "branches": BRANCHES,
    "commits": COMMITS,
    "coverage": COVERAGE,
    "tests_with_code": TESTS_WITH_CODE,
    "versioning": VERSIONING,
    "changelog": CHANGELOG,
    "release": RELEASE,
    "lint": LINT,
    "tests": TESTS,
    "build_time": BUILD_TIME,
    "deploy": DEPLOY,
}

POLICY_SCHEMA: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://gates.dev/schema/policy-1.json",
    "title": "gate policy",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "extends": _str("A built-in preset (gitflow, trunk, strict) this policy starts from."),
        "stages": _obj(
            {stage: _list(GATE_ID, f"Gates of the {stage} stage, in order.") for stage in STAGES},
            "Which gates each stage runs.",
        ),
        "waivers": _list(WAIVER, "Rules waived for a path, commit or branch, until a date."),
        **SECTIONS,
    },
}
