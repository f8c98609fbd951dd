"""The policy schema, declared once.

It drives validation (with file, line and key in every message), `gate policy
schema` (a JSON Schema that editors use to complete and check `.gate.yaml`),
and the documentation of every option. Each section belongs to the gates that
read it; the preset `policies/gitflow.yaml` gives every default.
"""

from __future__ import annotations

from typing import Any

from gates.knowledge.changelog_formats import AUTO
from gates.knowledge.changelog_formats import NAMES as FORMAT_NAMES

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

_BRANCH_NAME = r"^[^\s]+$"
_BRANCH_KINDS = ("main", "develop", "feature", "bugfix", "release", "hotfix", "support", "extra")

BRANCHES = _obj(
    {
        "main": _str("The production branch: `main` or `master`.", pattern=_BRANCH_NAME),
        "develop": _nullable(
            _str("The integration branch; null for trunk-based teams.", pattern=_BRANCH_NAME)
        ),
        "prefixes": _obj(
            {
                kind: _nullable(
                    _str(
                        f"Prefix of {kind} branches; null turns the kind off.", pattern=_BRANCH_NAME
                    )
                )
                for kind in ("feature", "bugfix", "release", "hotfix", "support")
            },
            "The git-flow branch prefixes.",
        ),
        "slug": _regex("Pattern the whole part after feature/, bugfix/ and support/ must match."),
        "version_prefix": _bool("Allow `release/v1.2.0` as well as `release/1.2.0`."),
        "extra": _list(
            _regex("A pattern the whole name must match"),
            "Other names that are allowed as they are.",
        ),
        "max_length": {
            **_int("The longest branch name allowed; checked before any pattern.", 1),
            "maximum": 1000,
        },
        "merge_targets": _obj(
            {
                kind: _strs(
                    f"Where {kind} branches may be merged: `main`, `develop`, a kind (`release` is every "
                    "release branch), a name or a glob; [] allows no target; leave the kind out to allow any."
                )
                for kind in _BRANCH_KINDS
            },
            "For each branch kind, the branches it may be merged into (pull/merge requests, `--target`).",
        ),
        "protected": _strs(
            "Branches that take no direct commit on a developer machine: `main`, `develop`, a kind or a "
            "glob. GATE_RELEASE=1 lets the release manager's own commit through."
        ),
    },
    "Git-flow branch naming, merge targets and protected branches.",
)

COMMITS = _obj(
    {
        "types": _list(
            {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_-]*$"},
            "Allowed Conventional Commit types, spelt as commits must spell them.",
        ),
        "scopes": _strs("Allowed scopes; empty allows any scope."),
        "scope_required": _bool("Every commit must name a scope."),
        "header_max_length": _int("The longest header (first line) allowed.", 1),
        "body_max_line_length": _int(
            "Body lines longer than this are a warning; 0 turns it off.", 0
        ),
        "exempt_merges": _bool("Merge commits written by git or a forge pass unchecked."),
        "exempt_reverts": _bool('`Revert "…"` commits written by git pass unchecked.'),
        "release_commit": _nullable(
            _regex("Subjects of release commits (`gate release`), which pass unchecked.")
        ),
        "fixup_in_ci": _bool(
            "Allow fixup!/squash!/amend! commits in a CI range (always allowed locally)."
        ),
        "check_pr_title": _bool("In CI, check the pull/merge request title too (squash merges)."),
    },
    "Conventional Commits: the commit-msg hook and the commits gate.",
)

PATH_MIN = _obj(
    {
        "glob": _str("Repository paths (`*` stays in a folder, `**` crosses folders)."),
        "min": _num("Minimum percent for the files the glob matches, together.", 0, 100),
    },
    required=["glob", "min"],
)

COVERAGE = _obj(
    {
        "data": _strs(
            "Coverage data files (or globs) to read, first found wins: .coverage, coverage.xml "
            "(Cobertura), coverage.json, LCOV (lcov.info, coverage.lcov)."
        ),
        "required": _bool("Missing coverage data is an error (exit 3) instead of a skip."),
        "total_min": _num("Minimum total coverage, percent.", 0, 100),
        "changed_min": _num("Minimum coverage of lines changed in base..head, percent.", 0, 100),
        "branch": _bool("Count branch coverage where the data has it (coverage.py's percentage)."),
        "paths": _list(PATH_MIN, "Per-path minimums by glob."),
        "unmapped": {
            "type": "string",
            "enum": ["error", "warning"],
            "description": "Severity of data for files that are not in the repository.",
        },
        "baseline": _nullable(_str("Ratchet file `gate coverage baseline` writes; null: none.")),
        "tolerance": _num("How many points total coverage may fall below the baseline.", 0, 100),
    },
    "Test-first coverage: total, changed lines and the ratchet.",
)

TESTS_WITH_CODE = _obj(
    {
        "source": _strs("Globs of source paths (`*` stays in a folder, `**` crosses folders)."),
        "tests": _strs("Globs of test paths; a path matching both is a test."),
        "exempt_types": _strs("Commit types that need no tests (docs, ci, chore…), all commits."),
        "exempt_paths": _strs("Globs of paths that never need tests (docs, config)."),
        "trailer": _str("Trailer that waives the rule with a reason: `Tests-Not-Needed: why`."),
    },
    "A change to source paths must change test paths too.",
)

VERSION_SOURCE = _obj(
    {
        "file": _str("Path of the file."),
        "kind": {
            "type": "string",
            "enum": [
                "pyproject",
                "python",
                "package.json",
                "cargo",
                "chart",
                "version-file",
                "pattern",
            ],
        },
        "key": _str(
            "Key inside the file: project.version or tool.poetry.version (pyproject), the variable"
            " (python, default __version__), version or appVersion (chart)."
        ),
        "pattern": _regex("For kind pattern: a regex with one group, the version."),
    },
    required=["file"],
)

VERSION_BRANCH_KINDS = ("main", "develop", "release", "hotfix", "support", "feature", "bugfix")

VERSIONING = _obj(
    {
        "scheme": {
            "type": "string",
            "enum": ["semver", "pep440"],
            "description": "How versions are spelled; pep440 lets Python sources write 1.2.0rc1.",
        },
        "tag_format": _str(
            "Release tag format; must contain {version} once.", pattern=r"^[^{}]*\{version\}[^{}]*$"
        ),
        "initial": _str("The first release's version when there is no tag."),
        "required": _bool("Fail when the repository has no version source, instead of skipping."),
        "bump_branches": _list(
            {"type": "string", "enum": list(VERSION_BRANCH_KINDS)},
            "Branch kinds whose version must exceed every release and cover the required bump.",
        ),
        "prerelease": _str(
            "Default pre-release label of `gate version next --pre` and `bump --pre`.",
            pattern=r"^[0-9A-Za-z-]+$",
        ),
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
        "file": _str("The changelog file (CHANGELOG.md; CHANGES.md, CHANGELOG.rst… are found)."),
        "format": {
            "type": "string",
            "enum": [AUTO, *FORMAT_NAMES],
            "description": (
                "The changelog's format; auto: from the release tooling and the file's look."
            ),
        },
        "required": _bool("Fail when the changelog file is missing instead of skipping."),
        "required_on": _strs("Branch kinds whose changes need a changelog entry."),
        "exempt_types": _strs("Commit types that need no changelog entry."),
        "exempt_paths": _strs("Globs of paths whose changes need no entry."),
        "skip_trailer": _str("Trailer (`Changelog: skip`) that waives the entry."),
        "breaking_first": _bool(
            "List breaking changes first in each category of generated entries."
        ),
        "prereleases": {
            "type": "string",
            "enum": ["fold", "separate", "hide"],
            "description": (
                "Pre-release tags in generated changelogs: fold (a final release's section"
                " absorbs the pre-releases it contains), separate (a section each), hide."
            ),
        },
        "categories": {
            "type": "object",
            "description": "Commit type to Keep a Changelog category.",
            "additionalProperties": {
                "type": "string",
                "enum": ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"],
            },
        },
    },
    "Changelog validation and generation, in the file's own format.",
)

RELEASE = _obj(
    {
        "branches": _strs("Branch globs a release may be cut from."),
        "commit_message": _str("Release commit message; {version} is replaced."),
        "start_message": _str(
            "Message of the version bump that `gate release start` makes the branch's first"
            " commit; {version} is replaced."
        ),
        "tag_on": {
            "type": "string",
            "enum": ["merge-commit", "release-commit"],
            "description": (
                "With `gate release --merge`: tag the merge commit on the production branch"
                " (git-flow's way) or the release commit on the release branch."
            ),
        },
        "stage": {
            "type": "string",
            "enum": list(STAGES),
            "description": "Gates that must pass first.",
        },
    },
    "`gate release`.",
)

LINT = _obj(
    {
        "scope": {
            "type": "string",
            "enum": ["changed", "all"],
            "description": "changed: only findings on lines changed in base..head block; all: all.",
        },
        "paths": _strs("Paths given to ruff, relative to the repository root."),
        "required": _bool("Fail when ruff has no Python file to check instead of skipping."),
    },
    "Ruff findings (the repository's own ruff configuration applies).",
)

QUARANTINE = _obj(
    {
        "test": _str("Test id `classname::name` as in the JUnit report, or a glob of ids."),
        "reason": _str("Why it may fail; shown in every report."),
        "expires": _date("Last day it applies (YYYY-MM-DD); then the test blocks again."),
    },
    required=["test", "reason", "expires"],
)

TESTS = _obj(
    {
        "junit": _strs("JUnit XML files or globs (`pytest --junitxml=junit.xml`)."),
        "required": _bool("Fail (exit 3) when no JUnit file exists instead of skipping."),
        "quarantine": _list(QUARANTINE, "Flaky tests that may fail without blocking."),
    },
    "Test results from JUnit XML.",
)

BUILD_TIME = _obj(
    {
        "junit": _strs("JUnit XML files or globs whose durations are read."),
        "required": _bool("Fail (exit 3) when no JUnit file exists instead of skipping."),
        "budget_seconds": _nullable(_num("Budget of the test run in seconds; null: none.", 0)),
        "fail_over_budget": _bool("Over budget fails instead of warning."),
        "slowest": _int("How many of the slowest tests to list.", 0),
        "baseline": _str("Baseline file (`gate check build-time --write-baseline`)."),
        "tolerance_percent": _num("Growth of the total over the baseline that warns, percent.", 0),
    },
    "Build speed from JUnit durations.",
)

FREEZE = _obj(
    {
        "name": _str("What the freeze is called; shown in the report."),
        "start": _str("ISO date or date-time, or a weekday and time (`fri 16:00`)."),
        "end": _str("ISO date (inclusive) or date-time, or a weekday and time (`mon 08:00`)."),
        "environments": _strs("Environments frozen; empty freezes all."),
        "timezone": _str("IANA time zone of this window; default deploy.timezone."),
    },
    required=["start", "end"],
)

ENVIRONMENT = _obj(
    {
        "branches": _strs("Branch globs that may deploy here."),
        "tags": _strs("Tag globs (a tag at HEAD) that may deploy here."),
        "require_release_tag": _bool("A deploying tag must be a release tag (tag_format)."),
        "tag_branch": _nullable(_str("A deploying tag's commit must be on this branch (`main`).")),
        "require_ci_attestation": _bool("The commit needs a passing, verified ci attestation."),
        "require_signature": _bool(
            "The ci attestation must be signed by a key configured here (an unsigned one is refused)."
        ),
        "check_versions": _bool("The release tag, the version sources and the changelog agree."),
        "check_image_tag": _bool("The image tag (GATE_IMAGE_TAG) equals the release version."),
        "check_tests": _bool("A JUnit report exists and shows no failure, no error."),
        "check_build_time": _bool("The test run's duration is within build_time.budget_seconds."),
        "freeze": _bool("Freeze windows apply."),
    }
)

NOTIFY = _obj(
    {
        "format": {
            "type": "string",
            "enum": ["auto", "slack", "google-chat", "teams"],
            "description": "Webhook payload; auto: from the URL's host (else Slack).",
        },
        "branches": _strs("Branches whose failures notify (default: main and develop)."),
        "timeout_seconds": _num("Timeout of each attempt.", 0.1, 60),
        "retries": _int("Attempts after the first one fails.", 0),
        "retry_delay_seconds": _num("Pause before the first retry; doubles each time.", 0, 60),
    },
    "`gate run --notify URL`: a webhook message when a gate fails on a long-lived branch.",
)

DEPLOY = _obj(
    {
        "environments": {"type": "object", "additionalProperties": ENVIRONMENT},
        "attestation": _str("Attestation file the deploy gate verifies (`--attest FILE`)."),
        "attestation_max_age_hours": _nullable(
            _num("An older ci attestation is refused; null: no limit.", 0)
        ),
        "freezes": _list(FREEZE, "Change freeze windows."),
        "timezone": _str("IANA time zone of the freeze calendar (`Europe/Berlin`)."),
        "audit_log": _nullable(_str("JSON-lines file every deploy-stage verdict is appended to.")),
        "notify": NOTIFY,
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

METRICS = _obj(
    {
        "failure_window_days": _num(
            "Without hotfix releases, a release failed when the next release, a patch of only "
            "fixes and reverts, came within this many days (default 7).",
            0,
        ),
    },
    "gate metrics: how a failed release is told.",
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
    "metrics": METRICS,
}

POLICY_SCHEMA: Schema = {
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
                "sha256": _str("The SHA-256 of the file's bytes.", pattern=r"^[0-9a-fA-F]{64}$"),
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
            {stage: _list(GATE_ID, f"Gates of the {stage} stage, in order.") for stage in STAGES},
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
        **SECTIONS,
    },
}
