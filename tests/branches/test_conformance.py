"""Others' corpora of branch names, through the CLI: `gate check branch-name -- NAME`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "conformance"


def names(file_name: str) -> list[str]:
    path = CORPORA / file_name
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def git_refused() -> list[dict]:
    path = CORPORA / "branch_invalid_git.jsonl"
    if not path.is_file():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _corpus(items: list) -> list:
    return items or [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus in {CORPORA}"))]


@pytest.mark.parametrize("name", _corpus(names("branch_valid_gitflow.txt")))
def test_valid_gitflow_names_pass(repo, gate, name):
    outcome = gate("check", "branch-name", "--", name)
    assert outcome.code == 0, outcome.out


@pytest.mark.parametrize("name", _corpus(names("branch_invalid_gitflow.txt")))
def test_names_outside_gitflow_fail_on_the_policy(repo, gate, name):
    outcome = gate("check", "branch-name", "--format", "json", "--", name)
    assert outcome.code == 1, outcome.out
    found = {f["rule"] for f in json.loads(outcome.out)["results"][0]["findings"]}
    assert "branch-name.git-ref" not in found  # git accepts these names: the policy refuses them


@pytest.mark.parametrize(
    "case", _corpus(git_refused()), ids=lambda case: repr(case["name"]) if case else "none"
)
def test_names_git_refuses_fail_with_gits_reason(repo, gate, case):
    outcome = gate("check", "branch-name", "--format", "json", "--", case["name"])
    assert outcome.code == 1, outcome.out
    findings = json.loads(outcome.out)["results"][0]["findings"]
    assert findings and all(f["rule"] == "branch-name.git-ref" for f in findings)
    assert all("refused by git: " in f["message"] for f in findings)
