"""`gate version show|validate|bump|auto` through the CLI, and the SemVer conformance corpus."""

from __future__ import annotations

import json

from tests.conformance import lines, require
from tests.versioning.conftest import pyproject


def corpus(name: str) -> list[str]:
    return lines(require(name))


def test_conformance_valid_versions_exit_0(tmp_path, monkeypatch, gate):
    monkeypatch.chdir(tmp_path)
    cases = corpus("semver_valid.txt")
    assert len(cases) >= 50
    failures = [(case, gate("version", "validate", "--", case)) for case in cases]
    assert [(case, o.err) for case, o in failures if o.code != 0] == []


def test_conformance_invalid_versions_exit_1_and_say_why(tmp_path, monkeypatch, gate):
    monkeypatch.chdir(tmp_path)
    cases = corpus("semver_invalid.txt")
    assert len(cases) > 40
    outcomes = [(case, gate("version", "validate", "--", case)) for case in cases]
    assert [case for case, o in outcomes if o.code != 1] == []
    assert all(o.err.startswith("invalid: ") and len(o.err.splitlines()) == 1 for _, o in outcomes)


def test_validate_spellings(tmp_path, monkeypatch, gate):
    monkeypatch.chdir(tmp_path)
    outcome = gate("version", "validate", "--", "-invalid")
    assert (outcome.code, outcome.err) == (
        1,
        "invalid: '-invalid': a version starts with MAJOR.MINOR.PATCH\n",
    )
    outcome = gate("version", "validate", "1.2.0rc1")
    assert outcome.code == 1 and "1.2.0-rc.1" in outcome.err
    outcome = gate("version", "validate", "1.2.0rc1", "--scheme", "pep440")
    assert (outcome.code, outcome.out) == (0, "valid: 1.2.0rc1 (PEP 440 spelling of 1.2.0-rc.1)\n")
    (tmp_path / ".gate.yaml").write_text("versioning:\n  scheme: pep440\n")
    assert gate("version", "validate", "2.0.0b1").code == 0
    assert gate("version", "validate").code == 2


def test_show_lists_sources_and_tags(project, gate):
    project.commit(
        "chore: chart",
        {"charts/shop/Chart.yaml": "name: shop\nversion: 1.2.0\nappVersion: 1.2.0\n"},
    )
    project.tag("v1.10.0-rc.1")
    project.tag("deploy-2026")
    outcome = gate("version", "show")
    assert outcome.code == 0
    for text in (
        "pyproject.toml:3",
        "project.version",
        "charts/shop/Chart.yaml:3",
        "appVersion",
        "v1.10.0-rc.1",
        "next version: 1.10.0",
    ):
        assert text in outcome.out
    data = json.loads(gate("version", "show", "--json").out)
    assert [t["tag"] for t in data["tags"]] == ["v1.10.0-rc.1", "v1.2.0"]
    assert [s["key"] for s in data["sources"]] == ["project.version", "version", "appVersion"]


def test_bump_parts_and_explicit_versions(project, gate):
    outcome = gate("version", "bump", "minor", "--dry-run")
    assert (outcome.code, outcome.out) == (0, "1.2.0 → 1.3.0\n  would write pyproject.toml\n")
    assert (project.path / "pyproject.toml").read_text() == pyproject("1.2.0")
    assert gate("version", "bump", "minor", "--pre").code == 0
    assert (project.path / "pyproject.toml").read_text() == pyproject("1.2.0").replace(
        'version = "1.2.0"', 'version = "1.3.0-rc.1"'
    )
    assert (
        gate("version", "bump", "prerelease").out
        == "1.3.0-rc.1 → 1.3.0-rc.2\n  wrote pyproject.toml\n"
    )
    assert gate("version", "bump", "release").out.startswith("1.3.0-rc.2 → 1.3.0\n")
    assert gate("version", "bump", "2.0.0").code == 0
    assert 'dependencies = ["attrs==1.2.0"]' in (project.path / "pyproject.toml").read_text()
    outcome = gate("version", "bump", "release")
    assert outcome.code == 2 and "already a release" in outcome.err
    outcome = gate("version", "bump", "huge")
    assert outcome.code == 2 and "neither a part nor a version" in outcome.err


def test_auto_writes_the_next_version(project, gate):
    project.commit("feat: coupons")
    outcome = gate("version", "auto", "--dry-run")
    assert outcome.out == "1.2.0 → 1.3.0\n  would write pyproject.toml\n"
    outcome = gate("version", "bump", "auto")
    assert outcome.code == 0
    assert "feat in" in outcome.err
    assert 'version = "1.3.0"' in (project.path / "pyproject.toml").read_text()
    assert gate("version", "auto").out == "1.3.0: already the version, nothing to write\n"


def test_bump_refuses_broken_or_dynamic_sources(repo, gate):
    repo.commit("chore: x", {"pyproject.toml": pyproject("1.0.0"), "VERSION": "1.0.1\n"})
    outcome = gate("version", "bump", "patch")
    assert outcome.code == 3 and "disagree" in outcome.err
    repo.commit(
        "chore: y",
        {
            "pyproject.toml": '[project]\nname = "x"\ndynamic = ["version"]\n[tool.hatch.version]\nsource = "vcs"\n'
        },
    )
    (repo.path / "VERSION").unlink()
    outcome = gate("version", "bump", "patch")
    assert outcome.code == 3 and "hatch-vcs" in outcome.err
    assert "Traceback" not in outcome.err


def test_version_gate_runs_in_the_ci_stage(project, gate):
    outcome = gate("run", "--stage", "ci", "--only", "version", "--format", "json")
    results = json.loads(outcome.out)["results"]
    assert [r["gate"] for r in results] == ["version"]
    assert results[0]["status"] == "pass"
