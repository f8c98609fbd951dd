"""History is read leniently (what happened, happened), new commits strictly.

The lenient reader must agree with the strict Conventional Commits parser on every message
the parser accepts, and read the shapes real histories contain that the parser refuses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gates.knowledge.conventional import try_parse
from gates.knowledge.history import cancel_reverts, merge_title, read_message

SHA = "0" * 40

PIECES = st.sampled_from(
    [
        "feat",
        "fix",
        "Fix",
        "x-y_1",
        "(",
        ")",
        "(api)",
        "( a)",
        "!",
        ":",
        ": ",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "body",
        "BREAKING CHANGE: gone",
        "breaking change: x",
        "BREAKING-CHANGE: y",
        "Refs: #1",
        "\ufeff",
        "\t",
        "é",
    ]
)


def _fields(change):
    return None if change is None else (change.type, change.scope, change.description)


@pytest.mark.parametrize(
    "message",
    [
        "feat: x",
        "feat(a b): x",
        "Feat(API): Shout",
        "feat!: y\n\nBREAKING CHANGE: z",
        "feat: x\r\n\r\nbody",
        "refactor(core)!: drop it\n\nwhy\n\nRefs: #1",
        "chore: a\n\nBREAKING-CHANGE: b",
        "feat: x\n   \nbody",
        "docs: a\n\nNot Breaking anything",
        "feat: x\n\nbody\n\nRefs: #2\nBREAKING CHANGE: last",
    ],
)
def test_every_message_the_strict_parser_accepts_reads_the_same(message):
    parsed = try_parse(message)
    assert parsed is not None
    change = read_message(SHA, message)
    assert _fields(change) == (parsed.type.lower(), parsed.scope, parsed.description)
    assert change.breaking == parsed.breaking


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_the_lenient_reader_never_loses_what_the_parser_reads(message):
    parsed = try_parse(message)
    if parsed is None:
        return
    change = read_message(SHA, message)
    assert _fields(change) == (parsed.type.lower(), parsed.scope, parsed.description)
    assert change.breaking or not parsed.breaking


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("feat:  two spaces", ("feat", None, "two spaces", False)),
        ("fix(api) : space before the colon", ("fix", "api", "space before the colon", False)),
        ("feat: no blank line\nbody", ("feat", None, "no blank line", False)),
        ("feat: x\r\n\r\nBREAKING CHANGE: crlf\r\n", ("feat", None, "x", True)),
        ("feat: x\n\nBREAKING CHANGE:\n  the text on the next line", ("feat", None, "x", True)),
        ("feat: x\n\nbody\nBREAKING CHANGE: in the body", ("feat", None, "x", True)),
        ("\nfix: leading blank", ("fix", None, "leading blank", False)),
        ("\ufefffeat: bom", ("feat", None, "bom", False)),
        ("fix: y\n\nbreaking change: lower case is no footer", ("fix", None, "y", False)),
    ],
)
def test_shapes_of_real_histories_are_read(message, expected):
    change = read_message(SHA, message)
    assert (change.type, change.scope, change.description, change.breaking) == expected


@pytest.mark.parametrize("message", ["update stuff", "Merge branch 'x'", "WIP", "feat:", ""])
def test_a_header_that_is_not_conventional_is_no_change(message):
    assert read_message(SHA, message) is None


def test_reverts_carry_what_they_revert():
    git_revert = read_message("a" * 40, 'Revert "feat: x"\n\nThis reverts commit 1234567abc.')
    assert (git_revert.type, git_revert.description, git_revert.reverts) == (
        "revert",
        "feat: x",
        "1234567abc",
    )
    conventional = read_message("b" * 40, "revert: let us never speak of it\n\nRefs: 676104e")
    assert (conventional.type, conventional.reverts) == ("revert", "676104e")
    assert read_message("c" * 40, "revert: no reference").reverts is None


def test_a_revert_cancels_what_it_reverts_only_in_the_same_list():
    feat = read_message("1234567" + "0" * 33, "feat: x")
    fix = read_message("9" * 40, "fix: y")
    revert = read_message("a" * 40, 'Revert "feat: x"\n\nThis reverts commit 1234567.')
    assert cancel_reverts([revert, fix, feat]) == [fix]
    assert cancel_reverts([revert, fix]) == [revert, fix]


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("Merge pull request #12 from o/feature/x\n\nfeat(api): add x", ("feat", "api", "add x")),
        ("Merge branch 'f' into 'main'\n\nfix: y\n\nSee merge request g/p!3", ("fix", None, "y")),
        ("feat: a squash-style merge subject", ("feat", None, "a squash-style merge subject")),
        ("Merge branch 'develop'", None),
        ("Merge pull request #3 from o/x\n\nAdd a page", None),
    ],
)
def test_merge_titles(message, title):
    assert _fields(merge_title(SHA, message)) == title
