"""Coverage arithmetic and path mapping: pure functions, no files."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gates.knowledge.coverage_math import (
    Baseline,
    FileCoverage,
    PathMapper,
    Tally,
    at_least,
    by_glob,
    changed_coverage,
    group_ranges,
    merge,
    total,
)
from gates.knowledge.globs import matches


def cov(path: str, executable: set[int], covered: set[int], branches=None) -> FileCoverage:
    return FileCoverage(path, frozenset(executable), frozenset(covered), branches or {})


def test_percent_counts_lines_and_branches_as_coverage_py_does():
    tally = total([cov("a.py", {1, 2, 3, 4}, {1, 2, 3}, {2: (2, 1)}), cov("b.py", {1}, {1})])
    assert tally == Tally(lines=5, covered_lines=4, branches=2, covered_branches=1)
    assert tally.percent(branch=True) == pytest.approx(100 * 5 / 7)
    assert tally.percent(branch=False) == pytest.approx(80.0)
    assert Tally().percent(branch=True) is None


def test_minimum_is_compared_as_displayed():
    assert at_least(89.996, 90)
    assert not at_least(89.994, 90)
    assert at_least(None, 100)


def test_changed_coverage_counts_only_changed_executable_lines():
    files = {
        "a.py": cov("a.py", {1, 2, 3, 5, 6, 9}, {1, 2, 9}, {2: (2, 1)}),
        "b.py": cov("b.py", {1}, set()),
    }
    changed = changed_coverage(files, {"a.py": {2, 3, 4, 5, 6, 7, 8}, "c.py": {1, 2}}, branch=True)
    assert changed.files == 1
    assert changed.tally == Tally(lines=4, covered_lines=1, branches=2, covered_branches=1)
    # 3, 5 and 6 are uncovered; line 4 between them is not executable
    assert [(r.path, r.start, r.end, r.lines) for r in changed.uncovered] == [("a.py", 3, 6, 3)]
    assert [(p.line, p.branches, p.taken) for p in changed.partial] == [(2, 2, 1)]


def test_a_change_without_executable_lines_measures_nothing():
    files = {"a.py": cov("a.py", {1, 2}, {1})}
    changed = changed_coverage(files, {"a.py": {3, 4}, "README.md": {1}}, branch=True)
    assert changed.tally.measured(branch=True) == 0
    assert changed.uncovered == []


def test_ranges_break_at_covered_or_unchanged_executable_lines():
    executable = [1, 2, 3, 5, 8, 9, 12]
    ranges = group_ranges("a.py", [1, 2, 5, 9, 12], executable)
    assert [(r.start, r.end) for r in ranges] == [(1, 2), (5, 5), (9, 12)]
    assert group_ranges("a.py", [], executable) == []


@given(
    st.sets(st.integers(1, 300), max_size=120),
    st.data(),
)
def test_ranges_cover_exactly_the_uncovered_lines(executable, data):
    uncovered = sorted(
        data.draw(st.sets(st.sampled_from(sorted(executable)))) if executable else []
    )
    ranges = group_ranges("x.py", uncovered, sorted(executable))
    inside = {n for r in ranges for n in range(r.start, r.end + 1) if n in executable}
    assert inside == set(uncovered)
    assert sum(r.lines for r in ranges) == len(uncovered)
    assert all(a.end < b.start for a, b in itertools.pairwise(ranges))


def test_per_glob_tallies():
    files = [cov("src/core/a.py", {1, 2}, {1, 2}), cov("src/web/b.py", {1, 2}, set())]
    core, web, none = by_glob(files, [("src/core/**", 95), ("src/web/*.py", 50), ("lib/**", 10)])
    assert (core.files, core.tally.percent(False)) == (1, 100.0)
    assert (web.files, web.tally.percent(False)) == (1, 0.0)
    assert none.files == 0


def test_merge_takes_what_ran_in_either():
    merged = merge(cov("a.py", {1, 2}, {1}, {1: (2, 1)}), cov("a.py", {2, 3}, {2}, {1: (2, 2)}))
    assert merged.executable == {1, 2, 3}
    assert merged.covered == {1, 2}
    assert dict(merged.branches) == {1: (2, 2)}


REPO = ["src/app/x.py", "src/app/__init__.py", "tests/__init__.py", "setup.py", "src/decoder.py"]


@pytest.mark.parametrize(
    ("data_path", "sources", "expected"),
    [
        ("src/app/x.py", [], "src/app/x.py"),
        ("./src/app/../app/x.py", [], "src/app/x.py"),
        ("/work/repo/src/app/x.py", [], "src/app/x.py"),
        ("app/x.py", ["/work/repo/src"], "src/app/x.py"),
        ("app/x.py", ["src"], "src/app/x.py"),
        ("app/x.py", ["/home/runner/work/repo/repo/src"], "src/app/x.py"),
        ("/home/runner/work/repo/repo/src/app/x.py", [], "src/app/x.py"),
        ("C:\\a\\repo\\src\\app\\x.py", [], "src/app/x.py"),
        ("/ci/checkout/setup.py", [], "setup.py"),
        ("/usr/lib/python3/json/decoder.py", [], None),
        ("/elsewhere/__init__.py", [], None),
        ("/elsewhere/lib/other.py", [], None),
    ],
)
def test_path_mapping(data_path, sources, expected):
    mapper = PathMapper(REPO, ["/work/repo"])
    assert mapper.map(data_path, sources).path == expected


def test_an_ambiguous_suffix_says_so():
    mapped = PathMapper([*REPO, "lib/app/x.py"], ["/work/repo"]).map("/other/app/x.py")
    assert mapped.path is None
    assert "several files" in mapped.reason


def test_baseline_round_trip_and_validation():
    baseline = Baseline(87.456, True, Tally(100, 90, 20, 10), commit="abc", data="coverage.xml")
    again = Baseline.from_dict(baseline.to_dict())
    assert again.percent == 87.46
    assert again.branch and again.tally == baseline.tally and again.commit == "abc"
    assert again.floor(0.5) == pytest.approx(86.96)
    for broken in (
        [],
        {"schema": "other/1", "percent": 1},
        {"schema": "gate-coverage-baseline/1"},
        {"schema": "gate-coverage-baseline/1", "percent": "80"},
        {"schema": "gate-coverage-baseline/1", "percent": 101},
        {"schema": "gate-coverage-baseline/1", "percent": 80, "measure": "words"},
    ):
        with pytest.raises((KeyError, TypeError, ValueError)):
            Baseline.from_dict(broken)


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("setup.py", "*.py", True),
        ("src/a.py", "*.py", False),
        ("src/a.py", "**/*.py", True),
        ("a.py", "**/*.py", True),
        ("src/pkg/deep/a.py", "src/**", True),
        ("src/a.py", "src/*.py", True),
        ("src/pkg/a.py", "src/*.py", False),
        ("pkg/tests/test_a.py", "**/tests/**", True),
        ("tests/test_a.py", "**/test_*.py", True),
        ("docs/x.md", "docs/**", True),
        ("a1.py", "a[0-9].py", True),
        ("ab.py", "a[!b].py", False),
        ("a+b.py", "a+b.py", True),
    ],
)
def test_globs(path, pattern, expected):
    assert matches(path, [pattern]) is expected
