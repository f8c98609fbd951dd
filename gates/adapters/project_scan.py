"""What `gate init` finds in a repository: branches, version sources, changelog, coverage settings.

Only reads; every finding says which file it came from, so the policy that
`gate init` writes can say why each value is there.
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gates.adapters.version_files import placeholder, workspace_root
from gates.errors import GateError

CHANGELOG_NAMES = ("CHANGELOG.md", "CHANGES.md", "HISTORY.md")
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
_PY_VERSION = re.compile(r"""^__version__\s*(?::\s*str\s*)?=\s*["'][^"']+["']""", re.MULTILINE)


@dataclass(frozen=True)
class VersionSourceFound:
    file: str
    kind: str
    key: str | None = None


@dataclass(frozen=True)
class CoverageSettings:
    source: str
    fail_under: float | None = None
    branch: bool | None = None


@dataclass
class ProjectFacts:
    main_branch: str = "main"
    main_found: bool = False
    develop_found: bool = False
    has_commits: bool = False
    version_sources: list[VersionSourceFound] = field(default_factory=list)
    changelog: str | None = None
    coverage: CoverageSettings | None = None
    pre_commit_config: Path | None = None


def scan(root: Path) -> ProjectFacts:
    facts = ProjectFacts()
    _scan_branches(root, facts)
    facts.version_sources = version_sources(root)
    facts.changelog = next((name for name in CHANGELOG_NAMES if (root / name).is_file()), None)
    facts.coverage = coverage_settings(root)
    config = root / PRE_COMMIT_CONFIG
    facts.pre_commit_config = config if config.is_file() else None
    return facts


def _scan_branches(root: Path, facts: ProjectFacts) -> None:
    from gates.adapters.git import GitRepo

    try:
        repo = GitRepo(root)
    except GateError:
        return
    facts.has_commits = repo.has_commits()
    for name in ("main", "master"):
        if repo.branch_ref(name):
            facts.main_branch, facts.main_found = name, True
            break
    else:
        current = repo.current_branch() if facts.has_commits else repo.config("init.defaultBranch")
        if current == "master":
            facts.main_branch = "master"
    facts.develop_found = repo.branch_ref("develop") is not None


def _read_toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def version_sources(root: Path) -> list[VersionSourceFound]:
    found = _pyproject_source(root)
    return [
        *found,
        *_package_json_source(root),
        *_cargo_source(root),
        *(
            VersionSourceFound(chart.relative_to(root).as_posix(), "chart", "version")
            for chart in sorted(
                [
                    *root.glob("Chart.yaml"),
                    *root.glob("*/Chart.yaml"),
                    *root.glob("charts/*/Chart.yaml"),
                ]
            )
        ),
        *([VersionSourceFound("VERSION", "version-file")] if (root / "VERSION").is_file() else []),
    ]


def _pyproject_source(root: Path) -> list[VersionSourceFound]:
    """pyproject's static version; with a dynamic one (or none), the Python files that hold it."""
    found: list[VersionSourceFound] = []
    project = _read_toml(root / "pyproject.toml").get("project")
    dynamic_version = False
    if isinstance(project, dict):
        version = project.get("version")
        if isinstance(version, str) and placeholder(version, python=True) is None:
            found.append(VersionSourceFound("pyproject.toml", "pyproject"))
        dynamic_version = "version" in (project.get("dynamic") or [])
    if dynamic_version or not found:
        found += _python_version_files(root)
    return found


def _package_json_source(root: Path) -> list[VersionSourceFound]:
    package_json = root / "package.json"
    if not package_json.is_file():
        return []
    try:
        data = json.loads(package_json.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    if (
        isinstance(data, dict)
        and isinstance(data.get("version"), str)
        and placeholder(data["version"], python=False) is None
        and not workspace_root(root, json.dumps(data))
    ):
        return [VersionSourceFound("package.json", "package.json")]
    return []


def _cargo_source(root: Path) -> list[VersionSourceFound]:
    cargo = _read_toml(root / "Cargo.toml")
    for key in ("package", "workspace"):
        table = cargo.get(key)
        if key == "workspace" and isinstance(table, dict):
            table = table.get("package")
        if isinstance(table, dict) and isinstance(table.get("version"), str):
            dotted = "package.version" if key == "package" else "workspace.package.version"
            return [VersionSourceFound("Cargo.toml", "cargo", dotted)]
    return []


def _python_version_files(root: Path) -> list[VersionSourceFound]:
    candidates = sorted(
        {
            *root.glob("src/*/__init__.py"),
            *root.glob("src/*/_version.py"),
            *root.glob("src/*/__about__.py"),
            *root.glob("*/__init__.py"),
            *root.glob("*/_version.py"),
            *root.glob("*/__about__.py"),
        }
    )
    found = []
    for path in candidates:
        if path.parts[len(root.parts)] in ("tests", "test", "docs"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if _PY_VERSION.search(text):
            found.append(VersionSourceFound(path.relative_to(root).as_posix(), "python"))
    return found


def coverage_settings(root: Path) -> CoverageSettings | None:
    """coverage.py's own settings, from the files coverage.py reads, in its order."""
    pyproject = _read_toml(root / "pyproject.toml").get("tool")
    coverage = pyproject.get("coverage") if isinstance(pyproject, dict) else None
    if isinstance(coverage, dict):
        report, run = coverage.get("report") or {}, coverage.get("run") or {}
        fail_under = report.get("fail_under")
        branch = run.get("branch")
        return CoverageSettings(
            "pyproject.toml",
            float(fail_under) if isinstance(fail_under, (int, float)) else None,
            branch if isinstance(branch, bool) else None,
        )
    for name, prefix in ((".coveragerc", ""), ("setup.cfg", "coverage:"), ("tox.ini", "coverage:")):
        path = root / name
        if not path.is_file():
            continue
        parser = configparser.ConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        if not any(section.startswith(prefix) for section in parser.sections()):
            continue
        fail_under = parser.get(f"{prefix}report", "fail_under", fallback=None)
        branch = parser.get(f"{prefix}run", "branch", fallback=None)
        try:
            threshold = float(fail_under) if fail_under is not None else None
        except ValueError:
            threshold = None
        return CoverageSettings(
            name,
            threshold,
            None if branch is None else branch.strip().lower() in ("1", "true", "yes", "on"),
        )
    return None
