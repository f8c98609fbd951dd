"""gates.knowledge.version_readers and version_rewrite: every kind read from text, no I/O."""

from __future__ import annotations

import pytest

from gates.errors import GateError
from gates.knowledge.version_readers import READERS, read_source
from gates.knowledge.version_rewrite import locate_version, rewrite_version
from gates.knowledge.version_source import KINDS, kind_of, placeholder, with_placeholder

TEXTS = {
    "pyproject": ("pyproject.toml", '[project]\nname = "x"\nversion = "1.2.3"\n', None),
    "cargo": ("Cargo.toml", '[package]\nname = "x"\nversion = "1.2.3"\n', None),
    "python": ("x/__init__.py", '"""X."""\n__version__ = "1.2.3"\n', None),
    "package.json": ("package.json", '{"name": "x", "version": "1.2.3"}\n', None),
    "chart": ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.2.3\n", None),
    "version-file": ("VERSION", "1.2.3\n", None),
    "pattern": ("build.gradle", "group = 'x'\nversion = '1.2.3'\n", r"^version = '([^']+)'"),
}


def test_every_kind_has_a_reader():
    assert set(READERS) == set(KINDS) == set(TEXTS)


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_each_kind_is_read_with_its_line_and_span(kind):
    name, text, key = TEXTS[kind]
    source = read_source(kind, name, text, key)
    assert source.error is None
    assert source.version == "1.2.3"
    assert source.span is not None
    assert text[source.span[0] : source.span[1]] == "1.2.3"
    assert source.line == text.count("\n", 0, source.span[0]) + 1


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_each_kind_is_rewritten_at_the_version_only(kind):
    name, text, key = TEXTS[kind]
    current = locate_version(text, read_source(kind, name, text, key))
    changed = rewrite_version(text, current, "2.0.0")
    assert changed == text.replace("1.2.3", "2.0.0")


def test_a_declared_module_without_the_assignment_says_so():
    source = read_source("python", "x.py", "VERSION = 1\n", None)
    assert source.error == 'no module-level `__version__ = "..."` assignment'


def test_a_rewrite_that_changes_the_document_is_refused():
    # an unquoted 1.2 is a number to YAML: the chart would no longer declare a version string
    text = "apiVersion: v2\nversion: 1.2.3\n"
    current = locate_version(text, read_source("chart", "Chart.yaml", text, None))
    with pytest.raises(GateError, match="would change more than the version"):
        rewrite_version(text, current, "1.2")


def test_a_version_that_moved_is_not_located():
    name, text, key = TEXTS["pyproject"]
    source = read_source("pyproject", name, text, key)
    with pytest.raises(GateError, match="cannot be rewritten in place"):
        locate_version(text.replace("1.2.3", "1.2.4"), source)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("pyproject.toml", "pyproject"),
        ("src/x/__about__.py", "python"),
        ("web/package.json", "package.json"),
        ("Cargo.toml", "cargo"),
        ("charts/x/Chart.yaml", "chart"),
        ("VERSION.txt", "version-file"),
    ],
)
def test_kind_of_a_file_name(name, kind):
    assert kind_of(name) == kind


def test_placeholders_say_the_tags_hold_the_version():
    assert placeholder("0.0.0-development", python=False)
    assert placeholder("8.5.0.dev", python=True)
    assert placeholder("8.5.0.dev", python=False) is None
    source = read_source("package.json", "package.json", '{"version": "0.0.0-dev"}', None)
    marked = with_placeholder(source)
    assert marked.dynamic and marked.version is None and "placeholder" in (marked.via or "")
