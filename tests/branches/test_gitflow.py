"""Git-flow branch names: kinds, violations, suggestions, merge targets and protection (pure)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gates.knowledge import gitflow
from gates.knowledge.gitflow import BranchPolicy, check, suggest
from gates.policy.loader import load_policy

GITFLOW = BranchPolicy.from_section({})


@pytest.fixture(scope="module")
def preset(tmp_path_factory) -> BranchPolicy:
    """The branches section of the shipped gitflow preset."""
    return BranchPolicy.from_section(
        load_policy(tmp_path_factory.mktemp("empty")).section("branches")
    )


@pytest.fixture(scope="module")
def trunk(tmp_path_factory) -> BranchPolicy:
    folder = tmp_path_factory.mktemp("trunk")
    (folder / ".gate.yaml").write_text("extends: trunk\n")
    return BranchPolicy.from_section(load_policy(folder).section("branches"))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("main", "main"),
        ("develop", "develop"),
        ("feature/login", "feature"),
        ("feature/ABC-123-add-login", "feature"),
        ("feature/api/v2-client", "feature"),
        ("feature/x_y.z-1", "feature"),
        ("bugfix/PROJ-7-null-pointer", "bugfix"),
        ("release/1.2.0", "release"),
        ("release/2.0.0-rc.1", "release"),
        ("release/1.0.0+build.5", "release"),
        ("hotfix/1.2.1", "hotfix"),
        ("support/1.x", "support"),
    ],
)
def test_valid_names_and_their_kinds(name, kind, preset):
    verdict = check(name, preset)
    assert verdict.ok, verdict.violations
    assert verdict.kind == kind


def test_the_defaults_in_code_are_the_preset(preset):
    assert preset == GITFLOW


@pytest.mark.parametrize(
    ("name", "rule", "suggestion"),
    [
        ("Feature/Login", "prefix", "feature/login"),
        ("Feature/ABC-12-login", "prefix", "feature/ABC-12-login"),
        ("featur/x", "prefix", "feature/x"),
        ("features/login", "prefix", "feature/login"),
        ("feat/x", "prefix", "feature/x"),
        ("bugfx/crash", "prefix", "bugfix/crash"),
        ("Main", "prefix", "main"),
        ("DEVELOP", "prefix", "develop"),
        ("random-name", "prefix", None),
        ("feature", "prefix", None),
        ("master", "prefix", None),
        ("feature/Add_Login", "slug", "feature/add_login"),
        ("feature/add--login", "slug", "feature/add-login"),
        ("feature/café", "slug", "feature/cafe"),
        ("feature/fuß", "slug", None),
        ("release/1.2", "version", "release/1.2.0"),
        ("release/01.2.0", "version", "release/1.2.0"),
        ("release/v1.2.0", "version", "release/1.2.0"),
        ("hotfix/1.2.1.4", "version", None),
        ("hotfix/abc", "version", None),
        ("feature/add login", "git-ref", "feature/add-login"),
        ("Feature/Add Login", "git-ref", "feature/add-login"),
        ("feature/login.lock", "git-ref", "feature/login"),
        ("-feature/x", "git-ref", "feature/x"),
        ("HEAD", "git-ref", None),
        ("", "empty", None),
        ("   ", "empty", None),
        ("x" * 201, "too-long", None),
    ],
)
def test_violations_name_the_rule_and_suggest_the_nearest_name(name, rule, suggestion, preset):
    verdict = check(name, preset)
    assert not verdict.ok
    first = verdict.violations[0]
    assert first.rule == rule
    assert first.suggestion == suggestion
    if suggestion:
        assert check(suggestion, preset).ok
        assert f"'{suggestion}'" in first.hint


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("release/01.2.0", "leading zero"),
        ("release/1.2", "MAJOR.MINOR.PATCH"),
        ("hotfix/1.2.0-", "empty"),
        ("release/1.2rc1", "in SemVer it is 1.2.0-rc.1"),
    ],
)
def test_a_version_violation_says_why(name, reason, preset):
    message = check(name, preset).violations[0].message
    assert reason in message
    assert "versioning.scheme" not in message  # branch names are strict SemVer whatever the scheme


def test_git_rules_come_before_any_pattern(preset):
    verdict = check("featur/a..b", preset)
    assert [v.rule for v in verdict.violations] == ["git-ref"]
    assert verdict.kind is None


def test_the_length_limit_comes_before_any_pattern():
    # A policy pattern that backtracks for ever on a long input never sees one.
    policy = BranchPolicy.from_section({"slug": "^(a+)+$", "max_length": 40})
    start = time.perf_counter()
    verdict = check("feature/" + "a" * 5000 + "!", policy)
    assert verdict.violations[0].rule == "too-long"
    assert time.perf_counter() - start < 5  # generous: a hang would be hours


def test_master_gets_the_policy_hint(preset):
    violation = check("master", preset).violations[0]
    assert "branches.main: master" in violation.hint
    assert check("master", BranchPolicy.from_section({"main": "master"})).kind == "main"


def test_a_bare_prefix_says_what_is_missing(preset):
    violation = check("release", preset).violations[0]
    assert "nothing after" in violation.message
    assert "release/<version>" in violation.hint


def test_version_prefix_by_policy():
    policy = BranchPolicy.from_section({"version_prefix": True})
    verdict = check("release/v1.2.0", policy)
    assert verdict.ok and str(verdict.version) == "1.2.0"
    assert check("release/1.2.0", policy).ok
    assert not check("release/vv1.2.0", policy).ok


def test_extra_patterns_allow_whole_names():
    policy = BranchPolicy.from_section({"extra": [r"dependabot/.+", r"renovate/[a-z0-9-]+"]})
    assert check("dependabot/pip/requests-2.32", policy).kind == "extra"
    assert check("renovate/lock-file", policy).kind == "extra"
    assert not check("renovate/Lock", policy).ok  # the whole name must match


def test_custom_prefixes_and_a_kind_turned_off():
    policy = BranchPolicy.from_section({"prefixes": {"feature": "feat/", "support": None}})
    assert check("feat/login", policy).kind == "feature"
    assert not check("support/1.x", policy).ok
    assert check("feature/login", policy).violations[0].suggestion == "feat/login"


def test_trunk_preset(trunk):
    assert check("main", trunk).kind == "main"
    assert check("feature/x", trunk).ok and check("bugfix/y", trunk).ok
    for name in ("develop", "release/1.2.0", "hotfix/1.2.1", "support/1.x"):
        assert not check(name, trunk).ok, name
    assert trunk.forms() == ["main", "feature/<name>", "bugfix/<name>"]
    assert gitflow.merge_allowed("feature", "main", trunk)
    assert not gitflow.merge_allowed("feature", "develop", trunk)
    assert gitflow.protected_by("main", trunk) == "main"
    assert gitflow.protected_by("develop", trunk) is None


@pytest.mark.parametrize(
    ("kind", "target", "allowed"),
    [
        ("feature", "develop", True),
        ("feature", "main", False),
        ("bugfix", "develop", True),
        ("bugfix", "release/1.2.0", False),
        ("release", "main", True),
        ("release", "develop", True),
        ("release", "feature/x", False),
        ("hotfix", "main", True),
        ("hotfix", "develop", True),
        ("hotfix", "release/1.3.0", True),
        ("hotfix", "release/nope", False),
        ("support", "main", False),
        ("main", "develop", True),
        ("develop", "main", True),
    ],
)
def test_merge_targets_of_the_preset(kind, target, allowed, preset):
    assert gitflow.merge_allowed(kind, target, preset) is allowed


def test_merge_targets_follow_the_policy_names():
    policy = BranchPolicy.from_section(
        {"main": "master", "merge_targets": {"feature": ["develop"], "release": ["main"]}}
    )
    assert gitflow.merge_allowed("release", "master", policy)
    assert not gitflow.merge_allowed("feature", "master", policy)
    assert gitflow.describe("main", policy) == "master"
    assert gitflow.describe("release", policy) == "release/*"


def test_protected_entries_are_names_kinds_or_globs():
    policy = BranchPolicy.from_section(
        {"main": "master", "protected": ["main", "release", "env/*"]}
    )
    assert gitflow.protected_by("master", policy) == "main"
    assert gitflow.protected_by("release/1.0.0", policy) == "release"
    assert gitflow.protected_by("env/prod", policy) == "env/*"
    assert gitflow.protected_by("develop", policy) is None
    assert gitflow.protected_by("feature/x", policy) is None


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("feature/x", "'feature/x'"),
        ("a\x1b[31mred", "'a\\x1b[31mred'"),
        ("it's", "'it\\'s'"),
        ("raw\udcff", "'raw\\xff'"),
        ("y" * 100, "'" + "y" * 80 + "'… (100 characters)"),
    ],
)
def test_display_is_safe_to_print(name, shown):
    assert gitflow.display(name) == shown
    gitflow.display(name).encode("utf-8")  # no lone surrogate left


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_no_name_crashes_the_check(name):
    verdict = check(name, GITFLOW)
    assert verdict.ok or verdict.violations
    for violation in verdict.violations:
        violation.message.encode("utf-8")
        violation.hint.encode("utf-8")
        assert violation.suggestion is None or check(violation.suggestion, GITFLOW).ok


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(
        r"(feature|bugfix|release|hotfix|support|Feature|featur)/[A-Za-z0-9 ._@{}~-]{0,30}",
        fullmatch=True,
    )
)
def test_names_near_the_model_crash_nothing_and_suggestions_are_valid(name):
    found = suggest(name, GITFLOW)
    assert found is None or check(found, GITFLOW).ok


def test_classify_names_the_kind_and_the_rest():
    from gates.knowledge.gitflow import classify
    from gates.policy import load_preset

    section = load_preset("gitflow").section("branches")
    assert classify("main", section) == ("main", "")
    assert classify("develop", section) == ("develop", "")
    assert classify("release/1.2.0", section) == ("release", "1.2.0")
    assert classify("feature/x/y", section) == ("feature", "x/y")
    assert classify("random", section) == (None, "")
    assert classify(None, section) == (None, "")
    trunk = load_preset("trunk").section("branches")
    assert classify("develop", trunk) == (None, "")
