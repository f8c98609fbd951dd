"""The policy's rules on one message: types, scopes, lengths, exemptions, fixups, suggestions."""

from __future__ import annotations

import pytest

from gates.knowledge.commit_rules import (
    RULE_DOCS,
    CommitPolicy,
    check_header,
    check_message,
    exemption,
    repair_header,
)

POLICY = CommitPolicy()


def rules(message: str, policy: CommitPolicy = POLICY) -> list[str]:
    return [p.rule for p in check_message(message, policy).problems]


def test_valid_message_has_no_problem():
    verdict = check_message("feat(api)!: add search\n\nBody.\n\nRefs: #1\n", POLICY)
    assert verdict.problems == ()
    assert verdict.commit is not None
    assert verdict.commit.breaking


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("feature: add x", "did you mean `feat: add x`?"),
        ("Fix: reject y", "did you mean `fix: reject y`?"),
        ("doc(readme): fix typo", "did you mean `docs(readme): fix typo`?"),
    ],
)
def test_type_not_allowed_suggests_the_nearest(message, expected):
    verdict = check_message(message, POLICY)
    (problem,) = verdict.problems
    assert problem.rule == "type-allowed"
    assert problem.column == 1
    assert problem.hint.startswith(expected)


def test_type_in_the_wrong_case_says_how_it_is_spelt():
    (problem,) = check_message("FEAT: x", POLICY).problems
    assert problem.message == "type 'FEAT' is spelt 'feat' in this policy"


def test_type_without_a_near_one_lists_the_allowed():
    (problem,) = check_message("zzzzzz: x", POLICY).problems
    assert "allowed types: feat, fix" in problem.hint
    assert "for example `feat: " in problem.hint


def test_custom_types():
    policy = CommitPolicy(types=("feature", "bugfix"))
    assert rules("feature: x", policy) == []
    assert rules("feat: x", policy) == ["type-allowed"]


def test_scope_required_and_allowed():
    policy = CommitPolicy(scopes=("api", "ui"), scope_required=True)
    assert rules("feat(api): x", policy) == []
    assert rules("feat(api,ui): x", policy) == []
    (problem,) = check_message("feat: x", policy).problems
    assert (problem.rule, problem.column) == ("scope-required", 5)
    assert "`feat(api): x`" in problem.hint
    (problem,) = check_message("feat(apx): x", policy).problems
    assert (problem.rule, problem.column) == ("scope-allowed", 6)
    assert problem.hint.startswith("did you mean 'api'?")
    assert rules("feat(api,db): x", policy) == ["scope-allowed"]


def test_header_length():
    header = "feat: " + "x" * 66
    assert rules(header) == []
    (problem,) = check_message(header + "y", POLICY).problems
    assert (problem.rule, problem.column) == ("header-length", 73)
    assert rules(header + "y", CommitPolicy(header_max_length=100)) == []


def test_a_forges_pull_request_number_does_not_count_in_the_header_length():
    header = "feat: " + "x" * 66
    assert rules(header + " (#1234)") == []
    assert rules(header + "y (#1234)") == ["header-length"]
    assert rules(header + " (#12) tail") == ["header-length"]


def test_body_line_length_is_a_warning_and_skips_urls():
    long_line = "word " * 25
    verdict = check_message(f"fix: a\n\nshort\n{long_line}\n{long_line}", POLICY)
    (problem,) = verdict.problems
    assert problem.warning
    assert problem.rule == "body-line-length"
    assert problem.line == 4
    assert "(and 1 more)" in problem.message
    assert verdict.errors == []
    url = "see https://example.com/" + "a" * 120
    assert rules(f"fix: a\n\n{url}") == []
    assert rules(f"fix: a\n\n{long_line}", CommitPolicy(body_max_line_length=0)) == []


def test_footers_are_not_held_to_the_body_limit():
    assert rules("fix: a\n\nbody\n\nSigned-off-by: " + "x" * 120) == []


@pytest.mark.parametrize(
    ("subject", "reason"),
    [
        ("Merge branch 'feature/x' into develop", "merge"),
        ("Merge branch 'main' of github.com:o/r", "merge"),
        ("Merge pull request #12 from o/feature/x", "merge"),
        ("Merge remote-tracking branch 'origin/develop'", "merge"),
        ("Merge tag 'v1.0.0'", "merge"),
        ("Merged in feature/x (pull request #7)", "merge"),
        ('Revert "feat: add x"', "revert"),
        ('Reapply "feat: add x"', "revert"),
        ("chore(release): 1.2.0", "release"),
        ("fixup! feat: add x", "autosquash"),
        ("squash! feat: add x", "autosquash"),
        ("amend! feat: add x", "autosquash"),
    ],
)
def test_exemptions(subject, reason):
    assert exemption(subject, POLICY) == reason
    assert check_message(subject + "\n\nbody", POLICY).exempt == reason


def test_exemptions_can_be_turned_off():
    policy = CommitPolicy(
        exempt_merges=False, exempt_reverts=False, release_commit=None, allow_autosquash=False
    )
    assert rules("Merge branch 'x'", policy) == ["separator"]
    assert rules('Revert "feat: x"', policy) == ["separator"]
    assert rules("chore(release): 1.2.0", policy) == []
    assert check_message("chore(release): 1.2.0", policy).exempt is None
    assert rules("fixup! feat: x", policy) == ["fixup"]


def test_a_merge_commit_is_exempt_whatever_its_subject():
    assert check_message("integrate things", POLICY, merge=True).exempt == "merge"


def test_parse_problems_carry_the_column_a_pointer_and_a_repaired_header():
    (problem,) = check_message("feat (api): add x", POLICY).problems
    assert (problem.rule, problem.line, problem.column) == ("separator", 1, 5)
    assert problem.hint == "feat (api): add x\n    ^\nwrite the header as `feat(api): add x`"


def test_body_problems_have_their_own_hint():
    (problem,) = check_message("fix: a\nbody", POLICY).problems
    assert (problem.rule, problem.line) == ("body-leading-blank", 2)
    assert "blank line" in problem.hint
    (problem,) = check_message("fix: a\n\nbreaking change: b", POLICY).problems
    assert problem.rule == "footer-breaking-change"
    assert "BREAKING CHANGE:" in problem.hint


@pytest.mark.parametrize(
    ("subject", "repaired"),
    [
        ("Fix bug in parser", "fix: bug in parser"),
        ("feat:add x", "feat: add x"),
        ("feat!(api): drop v1", "feat(api)!: drop v1"),
        ("feat(api: add x", "feat(api): add x"),
        ("Feature(API) : add x", "feat(API): add x"),
        ("fix:", "fix: describe the change"),
        ("Bump version: 1 → 2", None),
        ("", None),
    ],
)
def test_repair_header(subject, repaired):
    assert repair_header(subject, POLICY) == repaired


@pytest.mark.parametrize(
    "title", ["Draft: feat: x", "WIP: feat: x", "[WIP] feat: x", "(Draft) feat: x", "  feat: x  "]
)
def test_request_titles_lose_draft_prefixes(title):
    assert check_header(title, POLICY).problems == ()


def test_request_title_is_a_header_only():
    assert [p.rule for p in check_header("Add login", POLICY).problems] == ["separator"]


def test_from_section_reads_the_policy():
    section = {
        "types": ["feat"],
        "scopes": ["api"],
        "scope_required": True,
        "header_max_length": 50,
        "body_max_line_length": 0,
        "exempt_merges": False,
        "exempt_reverts": False,
        "release_commit": None,
        "fixup_in_ci": True,
    }
    policy = CommitPolicy.from_section(section, allow_autosquash=False)
    assert policy == CommitPolicy(("feat",), ("api",), True, 50, 0, False, False, None, False)
    assert CommitPolicy.from_section({}, allow_autosquash=True) == CommitPolicy()
    assert policy.example_header() == "feat(api): add support for footers"


def test_every_rule_is_documented():
    for name, doc in RULE_DOCS.items():
        assert doc["summary"] and doc["what"] and doc["why"], name
