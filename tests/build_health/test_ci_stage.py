"""The three build-health gates in the gitflow preset's ci stage."""

from __future__ import annotations

import json
import shutil

from gates.policy import load_preset

GATES = ("lint", "tests", "build-time")


def test_gitflow_ci_stage_runs_the_build_health_gates():
    ci = load_preset("gitflow").stage("ci")
    assert all(gate_id in ci for gate_id in GATES)


def test_plain_repository_stays_green_with_a_clear_verdict(repo, gate):
    repo.commit("chore: start", {"README.md": "hello\n"})
    result = gate("run", "--stage", "ci", "--format", "json")
    assert result.code == 0, result.out
    statuses = {r["gate"]: (r["status"], r["summary"]) for r in json.loads(result.out)["results"]}
    for gate_id in GATES:
        assert statuses[gate_id][0] == "skip"
        assert statuses[gate_id][1]


def test_a_broken_build_blocks_the_ci_stage(repo, gate, junit_reports):
    repo.commit("chore: start", {"ruff.toml": '[lint]\nselect = ["F"]\n', "app.py": "VALUE = 1\n"})
    shutil.copy(junit_reports["broken"], repo.path / "junit.xml")
    result = gate(
        "run",
        "--stage",
        "ci",
        "--only",
        "lint",
        "--only",
        "tests",
        "--only",
        "build-time",
        "--format",
        "json",
    )
    assert result.code == 1
    statuses = {r["gate"]: r["status"] for r in json.loads(result.out)["results"]}
    assert statuses == {"lint": "pass", "tests": "fail", "build-time": "pass"}
