"""Policy patterns, YAML and sizes cannot hang or exhaust the gate (issue 20)."""

from __future__ import annotations

import contextlib
import time

import pytest

from gates.errors import PolicyError
from gates.knowledge.patterns import PatternTimeout, compile_pattern
from gates.policy.loader import MAX_POLICY_BYTES, parse_policy_text


@pytest.mark.parametrize("pattern", [r"^(a{1,50}){1,50}$", r"^(a{1,30}|b){1,30}$"])
def test_patterns_that_looked_harmless_run_with_a_time_limit(pattern):
    compiled = compile_pattern(pattern, key="branches.extra")
    start = time.perf_counter()
    with pytest.raises(PatternTimeout, match=r"branches\.extra"):
        compiled.fullmatch("a" * 60 + "c")
    assert time.perf_counter() - start < 5


def test_a_sequence_of_plain_repeats_cannot_hang():
    compiled = compile_pattern(r"^a*a*a*a*a*a*a*a*b$", key="commits.release_commit")
    assert compiled.limited
    start = time.perf_counter()
    with contextlib.suppress(PatternTimeout):  # a clear error is as good as an answer
        assert not compiled.fullmatch("a" * 200 + "c")
    assert time.perf_counter() - start < 5


def test_the_branch_name_gate_ends_in_time_on_a_nested_bounded_pattern(repo, gate):
    repo.commit("chore: start", {".gate.yaml": "branches:\n  extra: ['^(a{1,50}){1,50}$']\n"})
    repo.branch("a" * 60 + "c")
    start = time.perf_counter()
    outcome = gate("check", "branch-name")
    assert outcome.code == 3, outcome.out
    assert "branches.extra took too long" in outcome.out
    assert time.perf_counter() - start < 10


def test_yaml_aliases_are_refused_before_they_expand():
    laughs = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)}]\n"
        for i in range(8)
    )
    assert len(laughs) < 1500
    start = time.perf_counter()
    with pytest.raises(PolicyError, match="YAML aliases are not allowed"):
        parse_policy_text(laughs)
    assert time.perf_counter() - start < 2


def test_a_policy_over_the_size_limit_is_refused(repo, gate):
    text = "extends: gitflow\n" + "# padding\n" * (MAX_POLICY_BYTES // 10 + 1)
    with pytest.raises(PolicyError, match="over the limit"):
        parse_policy_text(text)
    repo.commit("chore: start", {".gate.yaml": text})
    outcome = gate("check", "branch-name")
    assert outcome.code == 2
    assert "over the limit" in outcome.err
