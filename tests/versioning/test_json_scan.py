"""gates.knowledge.json_scan: where a top-level key's string value sits, without I/O."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gates.knowledge.json_scan import top_level_string_span


def value_at(text: str, key: str = "version") -> str | None:
    span = top_level_string_span(text, key)
    return None if span is None else text[span[0] : span[1]]


def test_the_top_level_key_not_the_nested_one():
    text = '{\r\n  "dependencies": {"version": "9.9.9"},\r\n  "version" :  "1.2.3"\r\n}\r\n'
    assert value_at(text) == "1.2.3"


def test_a_value_that_equals_the_key_is_no_key():
    assert value_at('{"name": "version", "version": "1.2.3"}') == "1.2.3"


def test_keys_inside_arrays_and_strings_do_not_count():
    text = '{"files": [{"version": "0"}], "x": "\\"version\\": \\"0\\"", "version": "1.2.3"}'
    assert value_at(text) == "1.2.3"


def test_a_duplicate_key_with_a_string_after_a_number_is_found():
    assert value_at('{"version": 1, "version": "1.2.3"}') == "1.2.3"


@pytest.mark.parametrize(
    "text",
    [
        '{"version": "1.2\\u002e3"}',  # escapes
        '{"name": "x"}',  # absent
        '{"version": 1}',  # not a string
        '["version", "1.2.3"]',  # not an object
        '{"version": "1.2.3',  # not JSON: unterminated
        '"version": "1.2.3"',  # not an object
        "",
    ],
)
def test_no_plain_top_level_string_is_no_span(text):
    assert top_level_string_span(text, "version") is None


@given(
    data=st.dictionaries(
        st.text(max_size=8),
        st.recursive(
            st.none() | st.integers() | st.text(max_size=8),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=5), inner, max_size=3)
            ),
            max_leaves=6,
        ),
        max_size=5,
    ),
    version=st.from_regex(r"[0-9A-Za-z.+-]{1,20}", fullmatch=True),
    indent=st.sampled_from([None, 2, "\t"]),
)
def test_the_span_holds_the_value_json_reads(data, version, indent):
    data.pop("version", None)
    text = json.dumps({**data, "version": version}, indent=indent)
    assert value_at(text) == json.loads(text)["version"] == version
