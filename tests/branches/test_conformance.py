"""Others' corpora of branch names, through the CLI: `gate check branch-name -- NAME`."""

from __future__ import annotations

import json

import pytest

from tests.conformance import lines, require

CORPORA = require(module=True)


def names(file_name: str) -> list[str]:
    return lines(CORPORA / file_name)


def git_refused() -> list[dict]:
    return [json.loads(line) for line in lines(CORPORA / "branch_invalid_git.jsonl")]


@pytest.mark.parametrize("name", names("branch_valid_gitflow.txt"))
def test_valid_gitflow_names_pass(repo, gate, name):
    outcome = gate("check", "branch-name", "--", name)
    assert outcome.code == 0, outcome.out


@pytest.mark.parametrize("name", names("branch_invalid_gitflow.txt"))
def test_names_outside_gitflow_fail_on_the_policy(repo, gate, name):
    outcome = gate("check", "branch-name", "--format", "json", "--", name)
    assert outcome.code == 1, outcome.out
    found = {f["rule"] for f in json.loads(outcome.out)["results"][0]["findings"]}
    assert "branch-name.git-ref" not in found  # git accepts these names: the policy refuses them


@pytest.mark.parametrize("case", git_refused(), ids=lambda case: repr(case["name"]))
def test_names_git_refuses_fail_with_gits_reason(repo, gate, case):
    outcome = gate("check", "branch-name", "--format", "json", "--", case["name"])
    assert outcome.code == 1, outcome.out
    findings = json.loads(outcome.out)["results"][0]["findings"]
    assert findings and all(f["rule"] == "branch-name.git-ref" for f in findings)
    assert all("refused by git: " in f["message"] for f in findings)
