"""git's ref-name rules for branches, checked against the real `git check-ref-format --branch`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gates.knowledge import refname


@pytest.fixture(scope="module")
def outside_git(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside any repository: inside one, git would expand `@{-1}` and friends."""
    return tmp_path_factory.mktemp("no-repo")


def git_accepts(name: str, cwd: Path) -> bool:
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(cwd.parent)}
    result = subprocess.run(
        [b"git", b"check-ref-format", b"--branch", os.fsencode(name)],
        cwd=cwd,
        capture_output=True,
        env=env,
        check=False,
    )
    return result.returncode == 0


CASES = [
    # accepted by git
    ("main", None),
    ("feature/login", None),
    ("a", None),
    ("@", None),
    ("a@b", None),
    ("@/a", None),
    ("héllo", None),
    ("feature/fuß", None),
    ("refs/heads/x", None),
    ("head", None),
    ("a.b", None),
    ("a/b.c/d", None),
    ("x.lockx", None),
    ("lock", None),
    ("a-", None),
    ("a{b}", None),
    ("a}@", None),
    # refused, with the rule
    ("", "empty"),
    ("-x", "leading-dash"),
    ("HEAD", "head"),
    ("/a", "leading-slash"),
    ("a//b", "double-slash"),
    ("a/", "trailing-slash"),
    ("a.", "trailing-dot"),
    ("a..b", "double-dot"),
    ("a@{1}", "at-brace"),
    ("@{", "at-brace"),
    (".a", "leading-dot"),
    ("a/.b", "leading-dot"),
    ("a.lock", "lock-suffix"),
    ("a.lock/b", "lock-suffix"),
    ("a b", "forbidden-character"),
    ("a~1", "forbidden-character"),
    ("a^", "forbidden-character"),
    ("a:b", "forbidden-character"),
    ("a?", "forbidden-character"),
    ("a*", "forbidden-character"),
    ("a[b", "forbidden-character"),
    ("a\\b", "forbidden-character"),
    ("a\tb", "control-character"),
    ("a\x7f", "control-character"),
    ("a\x01", "control-character"),
    ("a/./b", "leading-dot"),
    ("a/../b", "double-dot"),
]


@pytest.mark.parametrize(("name", "rule"), CASES)
def test_rules_agree_with_git(name, rule, outside_git):
    found = refname.problems(name)
    assert [p.rule for p in found][:1] == ([rule] if rule else [])
    assert refname.is_valid(name) is (rule is None)
    assert git_accepts(name, outside_git) is (rule is None)


def test_every_problem_names_its_rule_and_position():
    found = refname.problems("feature/add login..x")
    assert {p.rule for p in found} == {"forbidden-character", "double-dot"}
    space = next(p for p in found if p.rule == "forbidden-character")
    assert space.position == len("feature/add")
    assert "space" in space.reason


def test_a_rule_broken_many_times_is_reported_once():
    found = refname.problems("a b c d e f")
    assert [p.rule for p in found] == ["forbidden-character"]


def test_raw_bytes_from_a_command_line_are_legal_for_git(outside_git):
    name = b"feature/\xff\xfe".decode("utf-8", "surrogateescape")
    assert refname.is_valid(name)
    assert git_accepts(name, outside_git)


def test_a_huge_name_is_checked_in_one_pass():
    name = "a" * 100_000 + " " + "b." * 50_000
    rules = {p.rule for p in refname.problems(name)}
    assert rules == {"forbidden-character", "trailing-dot"}


@pytest.mark.parametrize(
    ("name", "fixed"),
    [
        ("feature/add login", "feature/add-login"),
        ("feature/a..b", "feature/a.b"),
        ("feature//x/", "feature/x"),
        ("feature/x.lock", "feature/x"),
        ("feature/.hidden", "feature/hidden"),
        ("-feature/x", "feature/x"),
        ("feature/a@{1}", "feature/a-1"),
        ("feature/x.", "feature/x"),
        ("HEAD", ""),
        ("***", ""),
    ],
)
def test_sanitize_makes_a_name_git_accepts(name, fixed, outside_git):
    assert refname.sanitize(name) == fixed
    if fixed:
        assert git_accepts(fixed, outside_git)


NAME_ALPHABET = st.sampled_from([*"ab.-/@{}~^:?*[\\ \t\x7fé", "lock", ".lock", "HEAD", "\udcff"])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(NAME_ALPHABET, max_size=12).map("".join))
def test_agrees_with_git_on_generated_names(outside_git, name):
    assert refname.is_valid(name) is git_accepts(name, outside_git), repr(name)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_sanitize_always_gives_a_valid_name_or_nothing(name):
    fixed = refname.sanitize(name)
    assert fixed == "" or refname.is_valid(fixed)
