"""gates.knowledge.toml_scan: where a key's one-line string value sits, without I/O."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gates.knowledge.toml_scan import key_parts, logical_lines, string_value_span

VERSION = ("project", "version")


def value_at(text: str, wanted: tuple[str, ...] = VERSION) -> str | None:
    span = string_value_span(text, wanted)
    return None if span is None else text[span[0] : span[1]]


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("project", ("project",)),
        ("tool.poetry", ("tool", "poetry")),
        (' "project" . version ', ("project", "version")),
        ("'tool'.\"x.y\"", ("tool", "x.y")),
        ("a b", None),
        ("a..b", None),
        ("", None),
    ],
)
def test_key_parts(key, parts):
    assert key_parts(key) == parts


@pytest.mark.parametrize(
    "text",
    [
        '[project]\nname = "x"\nversion = "1.2.3"\n',
        "[project]\nversion='1.2.3'  # a comment\n",
        'project.version = "1.2.3"\n',
        '[ "project" ]\n"version" = "1.2.3"\n',
        '[project]\r\nname = "x"\r\nversion = "1.2.3"\r\n',
    ],
)
def test_a_plain_string_is_found_inside_its_quotes(text):
    assert value_at(text) == "1.2.3"
    assert tomllib.loads(text)["project"]["version"] == "1.2.3"


def test_the_key_of_another_table_is_not_the_key():
    text = '[tool.other]\nversion = "9.9.9"\n\n[project]\nversion = "1.2.3"\n'
    assert value_at(text) == "1.2.3"
    assert value_at(text, ("tool", "other", "version")) == "9.9.9"


def test_a_key_inside_a_multiline_string_is_text_not_a_key():
    text = '[project]\ndescription = """\n[tool]\nversion = "0.0.1"\n"""\nversion = "1.2.3"\n'
    assert value_at(text) == "1.2.3"
    assert [line for _, line in logical_lines(text)] == [
        "[project]\n",
        'description = """\n',
        'version = "1.2.3"\n',
    ]


def test_an_escaped_quote_does_not_close_a_multiline_string():
    text = '[project]\nx = """a \\""" b\nversion = "0.0.1"\n"""\nversion = "1.2.3"\n'
    assert tomllib.loads(text)["project"]["version"] == "1.2.3"
    assert value_at(text) == "1.2.3"


def test_a_hash_inside_a_string_is_no_comment():
    text = "[project]\nx = \"#\"; y = '''\nversion = \"0.0.1\"\n'''\n"
    assert [offset for offset, _ in logical_lines(text)] == [0, 10]


@pytest.mark.parametrize(
    "text",
    [
        'project = { name = "x", version = "1.2.3" }\n',  # inline table
        '[project]\nversion = "1.2\\u002e3"\n',  # escapes
        '[project]\nversion = """1.2.3"""\n',  # multi-line string
        '[[project]]\nversion = "1.2.3"\n',  # array of tables
        "[project]\nversion = 1\n",  # not a string
        '[project]\nname = "x"\n',  # absent
    ],
)
def test_anything_but_a_plain_string_is_not_located(text):
    assert string_value_span(text, VERSION) is None


def test_offsets_count_characters_not_bytes():
    text = '[project]\ndescription = "café ☕"\nversion = "1.2.3"\n'
    assert value_at(text) == "1.2.3"


@given(
    before=st.lists(
        st.sampled_from(
            ['name = "x"', "# version = '0.0.0'", "n = 1", 'd = """\nversion = "0"\n"""']
        ),
        max_size=4,
        unique=True,
    ),
    version=st.from_regex(r"[0-9A-Za-z.+-]{1,20}", fullmatch=True),
    quote=st.sampled_from(['"', "'"]),
)
def test_the_span_holds_the_value_tomllib_reads(before, version, quote):
    text = "[project]\n" + "".join(f"{line}\n" for line in before)
    text += f"version = {quote}{version}{quote}\n[tool.x]\nversion = '0'\n"
    assert value_at(text) == tomllib.loads(text)["project"]["version"] == version
