import pytest
from hypothesis import given
from hypothesis import strategies as st

from gates.knowledge.patterns import PatternTimeout, compile_pattern, is_risky
from gates.policy import load_preset


@pytest.mark.parametrize("pattern", [r"^chore\(release\): ", "abc", "^(?:main|develop)$", "x(?=y)"])
def test_patterns_without_a_repeat_use_re(pattern):
    assert not is_risky(pattern)
    assert compile_pattern(pattern).limited is False


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(a+)+$",
        r"^(a|aa)+$",
        r"(x*)*y",
        r"^(?:[a-z]+-?)*$",
        r"(?=(a+)+)b",
        r"^feature/[a-z0-9-]+$",
        r"^v\d+\.\d+\.\d+$",
        r"^(a{1,50}){1,50}$",
        r"^a*a*a*a*a*a*a*a*b$",
        r"(x)\1",
    ],
)
def test_every_pattern_with_a_repeat_is_time_limited(pattern):
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
