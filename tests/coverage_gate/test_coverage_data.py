"""Reading what coverage.py really wrote: .coverage, coverage.xml, coverage.json, LCOV."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gates.adapters import coverage_data
from gates.errors import GateError
from gates.knowledge.coverage_math import total
from tests.coverage_gate.conftest import copy_data, write_project

PROJECT_FILES = [
    "src/shop/__init__.py",
    "src/shop/pricing.py",
    "tests/test_pricing.py",
    ".coveragerc",
    ".gitignore",
]
FORMATS = [".coverage", "coverage.xml", "coverage.json", "coverage.lcov"]


def _coverage_py_totals(root: Path) -> dict:
    return json.loads((root / "coverage.json").read_text())["totals"]


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_gives_the_numbers_of_coverage_report(measured, name):
    report = coverage_data.load(measured / name, measured, PROJECT_FILES)
    assert report.unmapped == []
    assert sorted(report.files) == ["src/shop/__init__.py", "src/shop/pricing.py"]
    assert report.has_branches
    tally = total(report.files.values())
    expected = _coverage_py_totals(measured)
    assert tally.lines == expected["num_statements"]
    assert tally.covered_lines == expected["covered_lines"]
    assert tally.branches == expected["num_branches"]
    assert tally.covered_branches == expected["covered_branches"]
    assert tally.percent(branch=True) == pytest.approx(expected["percent_covered"])


def test_formats_agree_line_by_line(measured):
    reports = [coverage_data.load(measured / n, measured, PROJECT_FILES) for n in FORMATS]
    pricing = [r.files["src/shop/pricing.py"] for r in reports]
    first = pricing[0]
    # label's body (9-11) and the discount line (4) never ran; `if discount` took one way
    assert sorted(first.missing) == [4, 9, 10, 11]
    assert first.branches == {3: (2, 1), 9: (2, 0)}
    for other in pricing[1:]:
        assert other.executable == first.executable
        assert other.covered == first.covered
        assert dict(other.branches) == dict(first.branches)


@pytest.mark.parametrize("name", ["coverage.xml", "coverage.lcov", "coverage.json"])
def test_data_made_in_another_checkout_maps_onto_this_one(measured, tmp_path, name):
    here = tmp_path / "elsewhere" / "checkout"
    here.mkdir(parents=True)
    write_project(here, with_label=True)
    copy_data(measured, here, name)
    report = coverage_data.load(here / name, here, PROJECT_FILES)
    assert report.unmapped == []
    assert sorted(report.files) == ["src/shop/__init__.py", "src/shop/pricing.py"]
    if name == "coverage.xml":
        # the report's <source> is the other checkout's absolute folder
        assert str(measured) in (here / name).read_text()


def _other_layout(tmp_path: Path, measured: Path, paths_section: str) -> Path:
    """The same code under lib/shop_core/ instead of src/shop/: no suffix can match it."""
    root = tmp_path / "other"
    (root / "lib" / "shop_core").mkdir(parents=True)
    (root / "lib" / "shop_core" / "__init__.py").write_text("")
    (root / "lib" / "shop_core" / "pricing.py").write_text(
        (measured / "src" / "shop" / "pricing.py").read_text()
    )
    (root / ".coveragerc").write_text("[run]\nbranch = true\n" + paths_section)
    copy_data(measured, root, ".coverage")
    return root


OTHER_FILES = ["lib/shop_core/__init__.py", "lib/shop_core/pricing.py", ".coveragerc"]


def test_dot_coverage_follows_the_paths_section_of_the_coverage_config(measured, tmp_path):
    paths = f"[paths]\nsource =\n    lib/shop_core/\n    {measured}/src/shop/\n"
    root = _other_layout(tmp_path, measured, paths)
    report = coverage_data.load(root / ".coverage", root, OTHER_FILES)
    assert report.unmapped == []
    assert sorted(report.files) == ["lib/shop_core/__init__.py", "lib/shop_core/pricing.py"]
    assert sorted(report.files["lib/shop_core/pricing.py"].missing) == [4, 9, 10, 11]


def test_dot_coverage_without_a_mapping_is_unmapped_not_empty(measured, tmp_path, repo):
    root = _other_layout(tmp_path, measured, "")
    report = coverage_data.load(root / ".coverage", root, OTHER_FILES)
    assert report.files == {}
    assert {Path(p).name for p, _ in report.unmapped} == {"__init__.py", "pricing.py"}
    # the repository-level loader refuses to read that as coverage of this repository
    for name in OTHER_FILES:
        repo.write(name, (root / name).read_text())
    copy_data(root, repo.path, ".coverage")
    repo.commit("chore: other layout")
    from gates.adapters.git import GitRepo

    with pytest.raises(GateError, match=r"none of its 2 measured files"):
        coverage_data.load_repository(repo.path, GitRepo(repo.path), [".coverage"])


def test_dot_coverage_honours_report_omit(measured, tmp_path):
    root = tmp_path / "omit"
    root.mkdir()
    write_project(root, with_label=True)
    (root / ".coveragerc").write_text(COVERAGERC_OMIT)
    copy_data(measured, root, ".coverage")
    report = coverage_data.load(root / ".coverage", root, PROJECT_FILES)
    assert sorted(report.files) == ["src/shop/pricing.py"]


COVERAGERC_OMIT = "[run]\nbranch = true\nsource = src\n[report]\nomit = */__init__.py\n"


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("coverage.xml", "<coverage><packages><class", "invalid XML"),
        ("coverage.xml", "<report/>", "not Cobertura"),
        ("coverage.xml", "<?xml version='1.0' encoding='klingon'?><coverage/>", "invalid XML"),
        (
            "coverage.xml",
            '<coverage><packages><package><classes><class filename="a.py"><lines>'
            '<line number="x" hits="1"/></lines></class></classes></package></packages></coverage>',
            "number='x'",
        ),
        ("coverage.json", '{"files": {"a.py": {"executed_lines": [1', "invalid JSON at line 1"),
        ("coverage.json", '{"totals": {}}', "not a coverage.py JSON report"),
        ("coverage.json", '{"files": {"a.py": {"executed_lines": "1"}}}', "'a.py'"),
        ("lcov.info", "SF:a.py\nDA:1,1\n", "truncated"),
        ("lcov.info", "SF:a.py\nDA:one,1\nend_of_record\n", "lcov.info:2"),
        ("lcov.info", "DA:1,1\n", "outside a file"),
        ("lcov.info", "hello world\n", "not an LCOV tracefile"),
        (".coverage", "this is not a database at all, just text" * 40, "corrupt coverage data"),
    ],
)
def test_corrupt_data_is_an_error_naming_the_file(tmp_path, name, text, problem):
    (tmp_path / name).write_text(text)
    with pytest.raises(GateError) as caught:
        coverage_data.load(tmp_path / name, tmp_path, ["a.py"])
    assert name in caught.value.message
    assert problem in caught.value.message
    assert caught.value.hint


def test_a_truncated_sqlite_file_is_an_error_naming_it(measured, tmp_path):
    data = (measured / ".coverage").read_bytes()
    (tmp_path / ".coverage").write_bytes(data[: len(data) // 3])
    with pytest.raises(GateError, match=r"\.coverage: corrupt coverage data"):
        coverage_data.load(tmp_path / ".coverage", tmp_path, PROJECT_FILES)


def test_a_sqlite_database_that_is_not_coverage_data_is_an_error(tmp_path):
    with sqlite3.connect(tmp_path / ".coverage") as db:
        db.execute("create table things (x)")
    with pytest.raises(GateError, match=r"\.coverage: corrupt coverage data"):
        coverage_data.load(tmp_path / ".coverage", tmp_path, PROJECT_FILES)


def test_xml_entities_are_refused(tmp_path):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE coverage [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><coverage>&b;</coverage>'
    )
    (tmp_path / "coverage.xml").write_text(bomb)
    with pytest.raises(GateError, match=r"coverage.xml: refused"):
        coverage_data.load(tmp_path / "coverage.xml", tmp_path, [])


def test_locate_takes_the_first_that_exists_and_globs(tmp_path):
    assert coverage_data.locate(tmp_path, [".coverage", "coverage.xml"]) is None
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "cov-b.xml").write_text("<coverage/>")
    (tmp_path / "reports" / "cov-a.xml").write_text("<coverage/>")
    assert coverage_data.locate(tmp_path, ["coverage.xml", "reports/cov-*.xml"]) == (
        tmp_path / "reports" / "cov-a.xml"
    )
    (tmp_path / "coverage.xml").write_text("<coverage/>")
    assert (
        coverage_data.locate(tmp_path, ["coverage.xml", "reports/*.xml"])
        == tmp_path / "coverage.xml"
    )


def test_an_explicit_data_file_must_exist(tmp_path):
    with pytest.raises(GateError, match=r"no such coverage data file: nope\.xml") as caught:
        coverage_data.locate(tmp_path, ["coverage.xml"], "nope.xml")
    assert "coverage run -m pytest" in (caught.value.hint or "")


def test_uncombined_parallel_data_is_named_in_the_hint(tmp_path):
    assert "coverage run -m pytest" in coverage_data.missing_hint(tmp_path)
    (tmp_path / ".coverage.host.123.456").write_text("")
    assert "coverage combine" in coverage_data.missing_hint(tmp_path)


def test_lcov_from_other_tools_with_function_records_and_repeated_files(tmp_path):
    text = (
        "TN:\nSF:/ci/build/app/src/index.js\nFN:1,main\nFNDA:3,main\nDA:1,3\nDA:2,0\n"
        "BRDA:2,0,0,-\nBRDA:2,0,1,4\nLF:2\nLH:1\nend_of_record\n"
        "TN:\nSF:/ci/build/app/src/index.js\nDA:2,1\nBRDA:2,0,0,1\nend_of_record\n"
    )
    (tmp_path / "lcov.info").write_text(text)
    report = coverage_data.load(tmp_path / "lcov.info", tmp_path, ["src/index.js"])
    index = report.files["src/index.js"]
    assert index.executable == {1, 2}
    assert index.covered == {1, 2}
    assert dict(index.branches) == {2: (2, 2)}


def test_cobertura_from_other_tools_with_relative_sources_and_split_classes(tmp_path):
    text = (
        "<?xml version='1.0'?>\n<!DOCTYPE coverage SYSTEM "
        "'http://cobertura.sourceforge.net/xml/coverage-04.dtd'>\n<coverage>"
        "<sources><source>app/src/main/java</source></sources><packages><package><classes>"
        "<class name='com.a.Foo' filename='com/a/Foo.java'><methods><method><lines>"
        "<line number='3' hits='0'/></lines></method></methods>"
        "<lines><line number='3' hits='2'/><line number='4' hits='0' branch='true' "
        "condition-coverage='50% (1/2)'/></lines></class>"
        "<class name='com.a.Foo$Inner' filename='com/a/Foo.java'><lines>"
        "<line number='9' hits='1'/></lines></class>"
        "</classes></package></packages></coverage>"
    )
    (tmp_path / "coverage.xml").write_text(text)
    report = coverage_data.load(
        tmp_path / "coverage.xml", tmp_path, ["app/src/main/java/com/a/Foo.java"]
    )
    foo = report.files["app/src/main/java/com/a/Foo.java"]
    assert foo.executable == {3, 4, 9}
    assert foo.covered == {3, 9}
    assert dict(foo.branches) == {4: (2, 1)}


def test_cobertura_in_another_encoding(tmp_path):
    text = (
        "<?xml version='1.0' encoding='iso-8859-1'?><coverage><packages><package><classes>"
        "<class filename='caf\xe9.py'><lines><line number='1' hits='1'/></lines></class>"
        "</classes></package></packages></coverage>"
    )
    (tmp_path / "coverage.xml").write_bytes(text.encode("iso-8859-1"))
    report = coverage_data.load(tmp_path / "coverage.xml", tmp_path, ["caf\xe9.py"])
    assert report.files["caf\xe9.py"].covered == {1}


def _cobertura(*classes: str, head: str = "", sources: str = "") -> str:
    body = "".join(classes)
    return (
        f"{head}<coverage><sources>{sources}</sources><packages><package><classes>{body}"
        "</classes></package></packages></coverage>"
    )


def _parsed(text: str) -> dict[str, tuple[set[int], set[int], dict[int, tuple[int, int]]]]:
    report = coverage_data.parse_cobertura(text, "coverage.xml")
    return {f.path: (set(f.executable), set(f.covered), dict(f.branches)) for f in report.files}


# one class, its lines written in the attribute orders of different writers
LINE_LAYOUTS = {
    "coverage.py": (
        '<line number="1" hits="1"/><line number="2" hits="0"/><line number="3" hits="-1"/>'
        '<line number="4" hits="2" branch="true" condition-coverage="50% (1/2)" '
        'missing-branches="6"/><line number="5" hits="1"/>'
    ),
    "gcovr, branch on every line": (
        '<line number="1" hits="1" branch="false"/><line number="2" hits="0" branch="false"/>'
        '<line number="3" hits="-1" branch="false"/>'
        '<line number="4" hits="2" branch="true" condition-coverage="50% (1/2)"/>'
        '<line number="5" hits="1" branch="false"/>'
    ),
    "hits before number": (
        '<line hits="1" number="1"/><line hits="0" number="2"/><line hits="-1" number="3"/>'
        '<line hits="2" number="4" branch="true" condition-coverage="50% (1/2)"/>'
        '<line hits="1" number="5"/>'
    ),
    "attributes before number or hits": (
        '<line id="7" hits="1" number="1"/><line id="a" number="2" hits="0"/>'
        '<line number="3" hits="-1"/>'
        '<line condition-coverage="50% (1/2)" branch="true" number="4" hits="2"/>'
        '<line number="5" hits="1"/>'
    ),
    "an attribute, then hits, then number": (
        '<line id="7" hits="1" number="1"/><line id="8" hits="0" number="2"/>'
        '<line id="9" hits="-1" number="3"/>'
        '<line id="6" hits="2" number="4" branch="true" condition-coverage="50% (1/2)"/>'
        '<line id="5" hits="1" number="5"/>'
    ),
    "attributes between number and hits": (
        '<line number="1" x:hits="0" hits="1" xmlns:x="urn:x"/><line number="2" hits="0"/>'
        '<line number="3" hits="-1"/>'
        '<line number="4" nb="7" hits="2" branch="true" condition-coverage="50% (1/2)"/>'
        '<line number="5" hits="1"/>'
    ),
    "branch attributes in another order": (
        '<line number="1" hits="1"/><line number="2" hits="0" branch="false"/>'
        '<line number="3" hits="-1" condition-coverage="100% (2/2)" branch="false"/>'
        '<line number="4" hits="2" missing-branches="6" condition-coverage="50% (1/2)" '
        'branch="true"/><line number="5" hits="1"/>'
    ),
    "numbers written unusually": (
        '<line number="01" hits="1"/><line number=" 2" hits="00"/><line number="+3" hits="-1"/>'
        '<line number="&#52;" hits=" 2 " branch="true" condition-coverage="50% (1/2)"/>'
        '<line number="5" hits="1_0"/>'
    ),
}


@pytest.mark.parametrize("layout", LINE_LAYOUTS)
def test_cobertura_lines_read_alike_in_any_attribute_order(layout):
    text = _cobertura(
        f'<class name="a" filename="a.py"><lines>{LINE_LAYOUTS[layout]}</lines></class>'
    )
    # hits="-1" did not run; branches from condition-coverage: (branches, taken)
    assert _parsed(text) == {"a.py": ({1, 2, 3, 4, 5}, {1, 4, 5}, {4: (2, 1)})}


def test_cobertura_classes_of_one_file_in_different_layouts_merge():
    text = _cobertura(
        '<class filename="a.py"><lines><line number="1" hits="0"/>'
        '<line number="2" hits="0" branch="true" condition-coverage="0% (0/2)"/></lines></class>',
        '<class filename="a.py"><lines><line hits="3" number="1"/><line hits="0" number="7"/>'
        "</lines></class>",
        '<class filename="b.py"><lines><line number="1" hits="1"/></lines></class>'
        '<line number="8" hits="1"/>',  # after </class>: still the lines of b.py, as before
    )
    assert _parsed(text) == {
        "a.py": ({1, 2, 7}, {1}, {2: (2, 0)}),
        "b.py": ({1, 8}, {1, 8}, {}),
    }


def test_cobertura_lines_outside_a_class_and_dtd_defaults():
    text = _cobertura(
        '<class filename="a.py"><lines><line number="1"/><line number="2" hits="0"/>'
        "</lines></class>",
        head="<!DOCTYPE coverage [<!ATTLIST line hits CDATA '4'>]>",
        sources='<source>/src</source><line number="9" hits="1"/>',
    )
    assert _parsed(text) == {"a.py": ({1, 2}, {1}, {})}


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ('<line number="1" hits="1"/><line number="2"/>', "<line number='2' hits=None>"),
        ('<line number="1" hits="1"/><line hits="1"/>', "<line number=None hits='1'>"),
        (
            '<line number="1" hits="1.5"/><line number="x" hits="1"/>',
            "<line number='1' hits='1.5'>",
        ),
        (
            '<line hits="1" number="1"/><line hits="one" number="2"/>',
            "<line number='2' hits='one'>",
        ),
        (
            '<line number="1" hits="1" branch="true"/><line number="" hits="1"/>',
            "<line number='' hits='1'>",
        ),
    ],
)
def test_cobertura_the_first_bad_line_is_named(lines, problem):
    text = _cobertura(f'<class filename="a.py"><lines>{lines}</lines></class>')
    with pytest.raises(GateError, match="corrupt coverage data") as caught:
        coverage_data.parse_cobertura(text, "coverage.xml")
    assert f"coverage.xml: corrupt coverage data: in a.py: {problem}" in caught.value.message


@pytest.mark.parametrize("last", [True, False])
def test_cobertura_condition_coverage_beyond_int_is_corrupt_data(last):
    huge = '<line number="1" hits="1" branch="true" condition-coverage="(1/' + "9" * 5000 + ')"/>'
    classes = [f'<class filename="a.py"><lines>{huge}</lines></class>']
    if not last:
        classes.append('<class filename="b.py"><lines/></class>')
    with pytest.raises(GateError, match=r"in a\.py: condition-coverage='\(1/9999"):
        coverage_data.parse_cobertura(_cobertura(*classes), "coverage.xml")


def test_cobertura_undefined_entities_are_invalid_xml():
    external = "<!DOCTYPE coverage SYSTEM 'http://cobertura.sourceforge.net/xml/coverage-04.dtd'>"
    for text in (
        _cobertura(head=external, sources="<source>/src&unknown;</source>"),
        external + "<coverage>&unknown;<packages/></coverage>",
        "<coverage><sources><source>&unknown;</source></sources></coverage>",
    ):
        with pytest.raises(GateError, match=r"invalid XML \(undefined entity"):
            coverage_data.parse_cobertura(text, "coverage.xml")


def test_cobertura_character_references_outside_sources_are_text():
    text = "<coverage>&#10;&amp;<sources><source>/a&amp;b</source></sources>&#9;</coverage>"
    assert coverage_data.parse_cobertura(text, "coverage.xml").sources == ["/a&b"]


TEXT = st.text(
    alphabet=st.sampled_from(list('SF:DA,BRDA-end_of_record01239\n .<>/="\'{}[]"lineumbrhits'))
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.text()))
def test_parsers_end_in_data_or_a_gate_error(text):
    for parse in (coverage_data.parse_lcov, coverage_data.parse_coverage_json):
        with contextlib.suppress(GateError):
            parse(text, "fuzz")
    for data in (
        text,
        text.encode("utf-8", "surrogatepass"),
        b"<coverage>" + text.encode("utf-8", "ignore"),
    ):
        with contextlib.suppress(GateError):
            coverage_data.parse_cobertura(data, "fuzz")


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.sampled_from(
                    [
                        "files",
                        "meta",
                        "executed_lines",
                        "missing_lines",
                        "executed_branches",
                        "missing_branches",
                        "a.py",
                    ]
                ),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=20,
    )
)
def test_json_of_any_shape_ends_in_data_or_a_gate_error(document):
    with contextlib.suppress(GateError):
        coverage_data.parse_coverage_json(json.dumps(document), "fuzz")
