"""The Conventional Commits 1.0.0 parser: every example of the specification, its rules one by
one, the errors' columns, and property tests (no crash; render parses back to the same commit)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gates.knowledge.commit_rules import DEFAULT_TYPES
from gates.knowledge.conventional import (
    ConventionalCommit,
    Footer,
    ParseError,
    nearest_type,
    parse,
    parse_header,
    trailers,
    try_parse,
)

# --- The examples of https://www.conventionalcommits.org/en/v1.0.0/#examples -----------------


def test_example_description_and_breaking_change_footer():
    commit = parse(
        "feat: allow provided config object to extend other configs\n\n"
        "BREAKING CHANGE: `extends` key in config file is now used for extending other config files\n"
    )
    assert commit.type == "feat"
    assert commit.scope is None
    assert not commit.bang
    assert commit.body is None
    assert commit.footers == (
        Footer(
            "BREAKING CHANGE",
            "`extends` key in config file is now used for extending other config files",
        ),
    )
    assert commit.breaking
    assert commit.breaking_description.startswith("`extends` key")


def test_example_bang_draws_attention_to_breaking_change():
    commit = parse("feat!: send an email to the customer when a product is shipped")
    assert (commit.type, commit.scope, commit.bang) == ("feat", None, True)
    assert commit.breaking
    assert commit.breaking_description == "send an email to the customer when a product is shipped"


def test_example_scope_and_bang():
    commit = parse("feat(api)!: send an email to the customer when a product is shipped")
    assert (commit.type, commit.scope, commit.bang, commit.breaking) == ("feat", "api", True, True)


def test_example_bang_and_breaking_change_footer():
    commit = parse(
        "chore!: drop support for Node 6\n\n"
        "BREAKING CHANGE: use JavaScript features not available in Node 6.\n"
    )
    assert commit.bang
    assert commit.footer("BREAKING CHANGE") == "use JavaScript features not available in Node 6."
    assert commit.breaking_description == "use JavaScript features not available in Node 6."


def test_example_no_body():
    commit = parse("docs: correct spelling of CHANGELOG")
    assert commit == ConventionalCommit(
        "docs", None, False, "correct spelling of CHANGELOG", None, ()
    )
    assert not commit.breaking


def test_example_scope():
    commit = parse("feat(lang): add Polish language")
    assert (commit.type, commit.scope, commit.description) == (
        "feat",
        "lang",
        "add Polish language",
    )


def test_example_multi_paragraph_body_and_multiple_footers():
    commit = parse(
        "fix: prevent racing of requests\n\n"
        "Introduce a request id and a reference to latest request. Dismiss\n"
        "incoming responses other than from latest request.\n\n"
        "Remove timeouts which were used to mitigate the racing issue but are\n"
        "obsolete now.\n\n"
        "Reviewed-by: Z\n"
        "Refs: #123\n"
    )
    assert commit.body == (
        "Introduce a request id and a reference to latest request. Dismiss\n"
        "incoming responses other than from latest request.\n\n"
        "Remove timeouts which were used to mitigate the racing issue but are\n"
        "obsolete now."
    )
    assert commit.footers == (Footer("Reviewed-by", "Z"), Footer("Refs", "#123"))
    assert not commit.breaking


def test_faq_revert():
    commit = parse(
        "revert: let us never again speak of the noodle incident\n\nRefs: 676104e, a215868\n"
    )
    assert commit.type == "revert"
    assert commit.footer("refs") == "676104e, a215868"


# --- The specification's items, one by one ---------------------------------------------------


@pytest.mark.parametrize(
    ("header", "rule", "column"),
    [
        ("add login form", "separator", 4),  # §1: prefixed with a type ... and a colon
        ("feat", "separator", 5),
        ("feat add login", "separator", 5),
        ("feat:add login form", "separator", 6),  # §1: terminal colon AND space
        (": add login form", "type", 1),
        ("(api): add login form", "type", 1),
        (" feat: add login form", "type", 1),
        ("1feat: add login form", "type", 1),
    ],
)
def test_item_1_type_colon_and_space_are_required(header, rule, column):
    with pytest.raises(ParseError) as caught:
        parse(header)
    assert (caught.value.rule, caught.value.column, caught.value.line) == (rule, column, 1)


def test_items_2_and_3_feat_and_fix():
    assert parse("feat: add login form").type == "feat"
    assert parse("fix: reject empty passwords").type == "fix"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("feat(api: add endpoint", 5),  # not closed
        ("feat(): add endpoint", 6),  # empty
        ("feat( api): add endpoint", 6),  # whitespace at the edge
        ("feat(api ): add endpoint", 9),
        ("feat(a(b)): add endpoint", 7),
    ],
)
def test_item_4_scope_is_a_noun_in_parentheses(header, column):
    assert parse("feat(parser): add arrays").scope == "parser"
    with pytest.raises(ParseError) as caught:
        parse(header)
    assert (caught.value.rule, caught.value.column) == ("scope", column)


@pytest.mark.parametrize(
    ("header", "rule", "column"),
    [
        ("feat:", "description", 6),
        ("feat!:", "description", 7),
        ("feat(scope): ", "description", 13),
        ("feat:  add two spaces", "description", 7),
        ("feat : add", "separator", 5),
        ("feat (scope): add", "separator", 5),
    ],
)
def test_item_5_description_immediately_follows_colon_and_space(header, rule, column):
    with pytest.raises(ParseError) as caught:
        parse(header)
    assert (caught.value.rule, caught.value.column) == (rule, column)


def test_item_6_body_begins_one_blank_line_after_description():
    assert parse("fix: a\n\nthe body").body == "the body"
    with pytest.raises(ParseError) as caught:
        parse("fix: a\nthe body")
    assert (caught.value.rule, caught.value.line, caught.value.column) == (
        "body-leading-blank",
        2,
        1,
    )


def test_item_7_body_is_free_form_paragraphs():
    body = "first paragraph\nstill first\n\n  - indented list: item\n\n  third: indented, so not a footer"
    commit = parse(f"fix: a\n\n{body}\n")
    assert commit.body == body
    assert commit.footers == ()


def test_item_8_footers_with_colon_space_or_space_hash():
    commit = parse("fix: a\n\nbody\n\nAcked-by: Ada\nCloses #42\n")
    assert commit.footers == (Footer("Acked-by", "Ada"), Footer("Closes", "42", " #"))
    assert commit.footers[1].render() == "Closes #42"


def test_item_8_footers_may_follow_the_header_directly():
    commit = parse("fix: a\n\nRefs: #1")
    assert commit.body is None
    assert commit.footer("Refs") == "#1"


def test_item_9_token_uses_hyphens_and_breaking_change_may_have_a_space():
    commit = parse("fix: a\n\nAcked by: Ada")  # a space in a token: not a footer, so body
    assert commit.footers == ()
    assert commit.body == "Acked by: Ada"
    assert parse("fix: a\n\nBREAKING CHANGE: gone").footers == (Footer("BREAKING CHANGE", "gone"),)


def test_item_10_footer_value_spans_lines_until_the_next_token():
    commit = parse(
        "fix: a\n\nBREAKING CHANGE: the config moved\n"
        "to a new file; see the docs.\n\n"
        "Migrate by running the tool.\n"
        "Refs: #9\n"
    )
    assert commit.footers == (
        Footer(
            "BREAKING CHANGE",
            "the config moved\nto a new file; see the docs.\n\nMigrate by running the tool.",
        ),
        Footer("Refs", "#9"),
    )


def test_item_11_breaking_in_prefix_or_footer():
    assert parse("feat!: a").breaking
    assert parse("feat: a\n\nBREAKING CHANGE: b").breaking
    assert not parse("feat: a\n\nNote: b").breaking


@pytest.mark.parametrize(
    "message",
    [
        "feat: a\n\nbreaking change: b",
        "feat: a\n\nBreaking Change: b",
        "feat: a\n\nbreaking-change: b",
        "feat: a\n\nBREAKING CHANGE #12",
        "feat: a\n\nBREAKING CHANGE:b",
        "feat: a\n\nBREAKING CHANGE:\n  what broke",
        "feat: a\n\nbody text\nBREAKING CHANGE: needs a blank line above",
        "feat: a\n\nRefs: 1\nbreaking change: b",
    ],
)
def test_items_12_and_15_breaking_change_is_uppercase_colon_space_description(message):
    with pytest.raises(ParseError) as caught:
        parse(message)
    assert caught.value.rule == "footer-breaking-change"
    assert caught.value.column == 1


def test_item_13_bang_immediately_before_colon():
    assert parse("feat(api)!: a").bang
    with pytest.raises(ParseError) as caught:
        parse("feat!(api): a")
    assert (caught.value.rule, caught.value.column) == ("separator", 5)
    assert "after the scope" in caught.value.message


def test_item_14_other_types_are_allowed_by_the_spec():
    assert parse("design: new logo").type == "design"


def test_item_15_case_insensitive_except_breaking_change():
    commit = parse("FIX(API): a\n\nREFS: 1")
    assert commit.type == "FIX"
    assert commit.footer("refs") == "1"


def test_item_16_breaking_hyphen_change_is_a_synonym():
    commit = parse("feat: a\n\nBREAKING-CHANGE: config moved")
    assert commit.breaking
    assert commit.footer("BREAKING CHANGE") == "config moved"


# --- Parsing details -------------------------------------------------------------------------


def test_crlf_bom_trailing_whitespace_and_blank_lines_are_tolerated():
    commit = parse("\ufefffeat: a  \r\n\r\n\r\nbody  \r\n\r\nRefs: 1 \r\n\r\n")
    assert commit == ConventionalCommit("feat", None, False, "a", "body", (Footer("Refs", "1"),))


def test_empty_message():
    for message in ("", "\n\n", "   \n"):
        with pytest.raises(ParseError) as caught:
            parse(message)
        assert caught.value.rule == "empty"


def test_try_parse():
    assert try_parse("feat: a") is not None
    assert try_parse("nope") is None


def test_footer_lookup_is_case_insensitive_and_returns_the_last_value():
    commit = parse("fix: a\n\nRefs: 1\nrefs: 2\nBREAKING-CHANGE: x")
    assert commit.footer("REFS") == "2"
    assert commit.footer("breaking change") == "x"
    assert commit.footer("missing") is None


def test_header_property_and_parse_header():
    assert parse("feat(api)!: a b").header == "feat(api)!: a b"
    assert parse_header("fix: x") == ("fix", None, False, "x")


def test_parse_error_text_names_line_and_column():
    with pytest.raises(ParseError) as caught:
        parse("feat:x")
    assert str(caught.value) == "1:6: expected a space after ':'"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("Bump version: 0.9.1 → 0.9.2", "one word"),
        ("feat (scope): x", "between the type and its scope"),
        ("feat(scope) : x", "no space before ':'"),
        ("feat#: x", "found '#'"),
    ],
)
def test_separator_errors_say_what_is_wrong(header, fragment):
    with pytest.raises(ParseError) as caught:
        parse(header)
    assert fragment in caught.value.message


def test_render_of_spec_example():
    message = (
        "fix(net)!: prevent racing of requests\n\nIntroduce a request id.\n\n"
        "Reviewed-by: Z\nRefs #123\nBREAKING CHANGE: ids are required\n  on every call\n"
    )
    assert parse(message).render() == message


# --- Trailers (git interpret-trailers) -------------------------------------------------------


def test_trailers_of_the_last_paragraph():
    message = (
        "fix: a\n\nbody: not a trailer\n\nSigned-off-by: Ada <ada@example.com>\nRefs: 1\n  and 2\n"
    )
    assert trailers(message) == [("Signed-off-by", "Ada <ada@example.com>"), ("Refs", "1 and 2")]


def test_trailers_need_a_paragraph_after_the_subject():
    assert trailers("Refs: 1") == []
    assert trailers("fix: a\n\njust prose here\nRefs: 1") == []


def test_trailers_with_a_git_generated_one_tolerate_prose():
    message = "fix: a\n\nRefs: 1\nsome prose line\n(cherry picked from commit abc)\nSigned-off-by: A <a@b>"
    assert trailers(message) == [("Refs", "1"), ("Signed-off-by", "A <a@b>")]


# --- Nearest type ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("feature", "feat"),
        ("Fix", "fix"),
        ("FEAT", "feat"),
        ("bugfix", "fix"),
        ("doc", "docs"),
        ("documentation", "docs"),
        ("tests", "test"),
        ("refactoring", "refactor"),
        ("chroe", "chore"),
        ("styling", "style"),
        ("qwertyuiop", None),
    ],
)
def test_nearest_type(word, expected):
    assert nearest_type(word, DEFAULT_TYPES) == expected


def test_nearest_type_only_suggests_allowed_types():
    assert nearest_type("feature", ["fix", "docs"]) is None
    assert nearest_type("", DEFAULT_TYPES) is None
    assert nearest_type("feat", []) is None


# --- Properties ------------------------------------------------------------------------------

_words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_lineish = st.lists(
    st.one_of(
        _words,
        st.sampled_from(
            ["", "BREAKING CHANGE: x", "Refs #1", "Token: v", "  indented", "feat: y", "fix(a)!: b"]
        ),
    ),
    max_size=12,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), _lineish.map("\n".join), _lineish.map("\r\n".join)))
def test_no_input_crashes_the_parser(message):
    try:
        commit = parse(message)
    except ParseError as error:
        assert error.rule in {
            "empty",
            "type",
            "scope",
            "separator",
            "description",
            "body-leading-blank",
            "footer-breaking-change",
        }
        assert error.column >= 1
        assert error.line >= 1
        return
    assert commit.description
    trailers(message)


_type = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True)
_scope = st.one_of(st.none(), st.from_regex(r"[a-z0-9][a-z0-9 /,._-]{0,8}[a-z0-9]", fullmatch=True))
_description = st.text(min_size=1, max_size=40).map(
    lambda s: "x" + s.replace("\n", " ").replace("\r", " ")
)
_paragraphs = st.lists(st.text(min_size=1, max_size=60), max_size=4).map("\n\n".join)
_footer_lines = st.lists(
    st.one_of(
        st.builds(
            lambda t, v: f"{t}: {v}",
            st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,10}", fullmatch=True),
            _words,
        ),
        st.builds(
            lambda t, v: f"{t} #{v}",
            st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,10}", fullmatch=True),
            _words,
        ),
        st.builds(lambda v: f"BREAKING CHANGE: {v}", _words),
        _words,
        st.just(""),
    ),
    max_size=6,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_type, _scope, st.booleans(), _description, _paragraphs, _footer_lines)
def test_render_parses_back_to_the_same_commit(kind, scope, bang, description, body, footer_lines):
    header = f"{kind}{f'({scope})' if scope else ''}{'!' if bang else ''}: {description}"
    message = "\n\n".join(part for part in (header, body, "\n".join(footer_lines)) if part)
    commit = try_parse(message)
    if commit is None:
        return
    rendered = commit.render()
    assert parse(rendered) == commit
    assert parse(rendered).render() == rendered
