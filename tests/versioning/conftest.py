"""Helpers for version tests: a Python project in a real repository, with real tags."""

from __future__ import annotations

import json

import pytest


def pyproject(version: str) -> str:
    return f'[project]\nname = "shop"\nversion = "{version}"\ndependencies = ["attrs=={version}"]\n'


@pytest.fixture
def project(repo):
    """A repository with pyproject.toml at 1.2.0, tagged v1.2.0 on main."""
    repo.commit("feat: first release", {"pyproject.toml": pyproject("1.2.0")})
    repo.tag("v1.2.0", message="release 1.2.0")
    return repo


@pytest.fixture
def check(gate):
    """`gate check version ARGS --format json` -> (exit code, {rule: [findings]}, result)."""

    def run(*args: str):
        outcome = gate("check", "version", *args, "--format", "json")
        assert outcome.out, outcome.err
        result = json.loads(outcome.out)["results"][0]
        rules: dict[str, list[dict]] = {}
        for finding in result["findings"]:
            rules.setdefault(finding["rule"].split(".", 1)[1], []).append(finding)
        return outcome.code, rules, result

    return run
