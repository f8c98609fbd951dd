import pytest
from hypothesis import given
from hypothesis import strategies as st

from gates.knowledge.patterns import PatternTimeout, compile_pattern, is_risky
from gates.policy import load_preset


@pytest.mark.parametrize(
    "pattern", [r"^feature/[a-z0-9-]+$", r"^chore\(release\): ", r"^v\d+\.\d+\.\d+$", "abc"]
)
def test_simple_patterns_use_re(pattern):
    assert not is_risky(pattern)
    assert compile_pattern(pattern).limited is False


@pytest.mark.parametrize(
    "pattern", [r"^(a+)+$", r"^(a|aa)+$", r"(x*)*y", r"^(?:[a-z]+-?)*$", r"(?=(a+)+)b"]
)
def test_nested_repeats_are_time_limited(pattern):
    assert is_risky(pattern)
    assert compile_pattern(pattern).limited is True


def test_catastrophic_backtracking_is_bounded():
    evil = compile_pattern(r"^(a|aa)+$")
    with pytest.raises(PatternTimeout, match="took longer"):
        evil.fullmatch("a" * 80 + "!")
    assert evil.fullmatch("aaaa")


def test_preset_patterns_still_match():
    slug = compile_pattern(load_preset("gitflow").section("branches")["slug"])
    assert slug.fullmatch("add-login")
    assert slug.fullmatch("ABC-123-add-login")
    assert not slug.fullmatch("Add Login")


@given(st.text(max_size=200))
def test_preset_slug_never_hangs_or_crashes(text):
    slug = compile_pattern(load_preset("gitflow").section("branches")["slug"])
    slug.fullmatch(text)
