"""Coverage arithmetic: totals, per-glob minimums, changed-line coverage, uncovered ranges,
and the mapping of the paths in coverage data to repository paths.

Pure: the adapter reads the data files, this module counts. The percentage is
coverage.py's: (covered lines + taken branches) / (lines + branches), so the
total agrees with `coverage report` whatever format the data came in.
"""

from __future__ import annotations

import posixpath
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from gates.knowledge.globs import matcher

NO_BRANCHES: Mapping[int, tuple[int, int]] = MappingProxyType({})


class FileCoverage(NamedTuple):
    """One file: its executable lines, those that ran, and per line (branches, taken)."""

    path: str
    executable: frozenset[int]
    covered: frozenset[int]
    branches: Mapping[int, tuple[int, int]] = NO_BRANCHES

    @property
    def missing(self) -> frozenset[int]:
        return self.executable - self.covered


class Tally(NamedTuple):
    lines: int = 0
    covered_lines: int = 0
    branches: int = 0
    covered_branches: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.lines + other.lines,
            self.covered_lines + other.covered_lines,
            self.branches + other.branches,
            self.covered_branches + other.covered_branches,
        )

    def measured(self, branch: bool) -> int:
        return self.lines + (self.branches if branch else 0)

    def percent(self, branch: bool) -> float | None:
        """Covered share in percent; None when there is nothing to cover."""
        total = self.measured(branch)
        if total == 0:
            return None
        covered = self.covered_lines + (self.covered_branches if branch else 0)
        return 100.0 * covered / total

    def describe(self, branch: bool) -> str:
        text = f"{self.covered_lines}/{self.lines} lines"
        if branch and self.branches:
            text += f", {self.covered_branches}/{self.branches} branches"
        return text


def file_tally(coverage: FileCoverage, only: Iterable[int] | None = None) -> Tally:
    """The tally of a whole file, or of the given lines of it."""
    if only is None:
        lines, covered = len(coverage.executable), len(coverage.covered)
        branch_lines: Iterable[tuple[int, int]] = coverage.branches.values()
    else:
        wanted = coverage.executable.intersection(only)
        lines, covered = len(wanted), len(coverage.covered.intersection(wanted))
        branch_lines = [coverage.branches[n] for n in wanted if n in coverage.branches]
    branches = taken = 0
    for total, hit in branch_lines:
        branches += total
        taken += hit
    return Tally(lines, covered, branches, taken)


def total(files: Iterable[FileCoverage]) -> Tally:
    result = Tally()
    for coverage in files:
        result += file_tally(coverage)
    return result


def at_least(percent: float | None, minimum: float) -> bool:
    """Compared as displayed (two decimals), so 89.996% reads 90.00% and passes 90."""
    return percent is None or round(percent, 2) >= minimum


def percent_text(percent: float | None) -> str:
    return "n/a" if percent is None else f"{percent:.2f}%"


class GlobTally(NamedTuple):
    glob: str
    minimum: float
    tally: Tally
    files: int


def by_glob(
    files: Iterable[FileCoverage], minimums: Sequence[tuple[str, float]]
) -> list[GlobTally]:
    """For each (glob, minimum), the tally of the files that match the glob."""
    files = list(files)
    out = []
    for glob, minimum in minimums:
        match = matcher([glob])
        chosen = [f for f in files if match(f.path)]
        out.append(GlobTally(glob, minimum, total(chosen), len(chosen)))
    return out


class LineRange(NamedTuple):
    """Changed executable lines start..end (inclusive) that no test ran; lines between
    them are not executable (blank, comments, continuation lines)."""

    path: str
    start: int
    end: int
    lines: int


class PartialBranch(NamedTuple):
    path: str
    line: int
    branches: int
    taken: int


class ChangedCoverage(NamedTuple):
    tally: Tally
    files: int
    uncovered: list[LineRange]
    partial: list[PartialBranch]


def group_ranges(path: str, uncovered: Sequence[int], executable: Sequence[int]) -> list[LineRange]:
    """Group sorted uncovered lines into ranges that no covered executable line interrupts."""
    ranges: list[LineRange] = []
    if not uncovered:
        return ranges
    start = previous = uncovered[0]
    count = 1
    for line in uncovered[1:]:
        # any executable line strictly between the two ends the range
        if bisect_left(executable, line) - bisect_right(executable, previous) > 0:
            ranges.append(LineRange(path, start, previous, count))
            start, count = line, 0
        previous = line
        count += 1
    ranges.append(LineRange(path, start, previous, count))
    return ranges


def changed_coverage(
    files: Mapping[str, FileCoverage], added: Mapping[str, Iterable[int]], *, branch: bool
) -> ChangedCoverage:
    """Coverage of the added or changed lines: their tally, the uncovered ranges, and the
    changed lines whose branches were only partly taken (when branch is True)."""
    tally, files_changed = Tally(), 0
    uncovered: list[LineRange] = []
    partial: list[PartialBranch] = []
    for path in sorted(added):
        coverage = files.get(path)
        if coverage is None:
            continue
        changed = coverage.executable.intersection(added[path])
        if not changed:
            continue
        files_changed += 1
        tally += file_tally(coverage, changed)
        missing = sorted(changed - coverage.covered)
        if missing:
            uncovered += group_ranges(path, missing, sorted(coverage.executable))
        if branch and coverage.branches:
            for line in sorted(changed & coverage.covered):
                counts = coverage.branches.get(line)
                if counts and counts[1] < counts[0]:
                    partial.append(PartialBranch(path, line, counts[0], counts[1]))
    return ChangedCoverage(tally, files_changed, uncovered, partial)


def merge(a: FileCoverage, b: FileCoverage) -> FileCoverage:
    """Two measurements of one file (several reports, or classes of one file): a line ran if it
    ran in either; a line's branches taken is the larger count."""
    branches = dict(a.branches)
    for line, (count, taken) in b.branches.items():
        old = branches.get(line)
        branches[line] = (max(count, old[0]), max(taken, old[1])) if old else (count, taken)
    return FileCoverage(a.path, a.executable | b.executable, a.covered | b.covered, branches)


BASELINE_SCHEMA = "gate-coverage-baseline/1"


class Baseline(NamedTuple):
    """The ratchet: total coverage as last recorded by `gate coverage baseline`."""

    percent: float
    branch: bool
    tally: Tally
    commit: str | None = None
    branch_name: str | None = None
    data: str | None = None
    written: str | None = None

    def floor(self, tolerance: float) -> float:
        return self.percent - tolerance

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": BASELINE_SCHEMA,
            "percent": round(self.percent, 2),
            "measure": "lines+branches" if self.branch else "lines",
            "lines": {"covered": self.tally.covered_lines, "total": self.tally.lines},
            "branches": {"covered": self.tally.covered_branches, "total": self.tally.branches},
            "commit": self.commit,
            "branch": self.branch_name,
            "data": self.data,
            "written": self.written,
        }

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> Baseline:
        """The baseline a file holds; KeyError/TypeError/ValueError where it is malformed."""
        if not isinstance(document, Mapping):
            raise TypeError("expected a JSON object")
        if document.get("schema") != BASELINE_SCHEMA:
            raise ValueError(f"schema is {document.get('schema')!r}, expected {BASELINE_SCHEMA!r}")
        percent = document["percent"]
        number = isinstance(percent, (int, float)) and not isinstance(percent, bool)
        if not number or not 0 <= percent <= 100:
            raise ValueError(f"percent {percent!r} is not a number from 0 to 100")
        measure = document.get("measure", "lines")
        if measure not in ("lines", "lines+branches"):
            raise ValueError(f"measure {measure!r} is neither 'lines' nor 'lines+branches'")
        lines, branches = document.get("lines") or {}, document.get("branches") or {}
        tally = Tally(
            int(lines.get("total", 0)),
            int(lines.get("covered", 0)),
            int(branches.get("total", 0)),
            int(branches.get("covered", 0)),
        )
        return cls(
            float(percent),
            measure == "lines+branches",
            tally,
            commit=document.get("commit"),
            branch_name=document.get("branch"),
            data=document.get("data"),
            written=document.get("written"),
        )


# --- paths ---------------------------------------------------------------------------------


def _normal(path: str) -> str:
    path = path.replace("\\", "/")
    if len(path) > 1 and path[1] == ":" and path[0].isalpha():  # C:/... from a Windows runner
        path = "/" + path[0].lower() + path[2:]
    normal = posixpath.normpath(path)
    return "" if normal == "." else normal


class Mapped(NamedTuple):
    path: str | None
    reason: str = ""


class PathMapper:
    """Maps a path in coverage data to a repository path.

    Tried in order: the path as it is (relative to the repository, or absolute
    inside it), each source root of the report joined to it, and last the
    longest unique suffix match against the repository's files, which finds
    `/home/runner/work/app/app/src/app/x.py` (absolute, from another machine)
    as `src/app/x.py`. A suffix that fits several files equally is ambiguous
    and maps to nothing rather than to a guess.

    `repo_files` may be a function, called only when a suffix match is needed;
    `exists` (a relative path is a file of the work tree) answers the direct
    cases without listing the repository.
    """

    def __init__(
        self,
        repo_files: Iterable[str] | Callable[[], Iterable[str]],
        roots: Iterable[str],
        exists: Callable[[str], bool] | None = None,
    ) -> None:
        self._source = repo_files
        self._files: set[str] | None = None
        self._by_name: dict[str, list[tuple[str, ...]]] | None = None
        self._exists = exists
        self.roots = [r for r in {_normal(r) for r in roots} if r]

    @property
    def files(self) -> set[str]:
        if self._files is None:
            listed = self._source() if callable(self._source) else self._source
            self._files = {_normal(f) for f in listed}
        return self._files

    def _names(self) -> dict[str, list[tuple[str, ...]]]:
        if self._by_name is None:
            self._by_name = {}
            for name in self.files:
                parts = tuple(name.split("/"))
                self._by_name.setdefault(parts[-1], []).append(parts)
        return self._by_name

    def _known(self, relative: str) -> bool:
        if not relative or relative.startswith("../") or relative == "..":
            return False
        if self._exists is not None:
            return self._exists(relative)
        return relative in self.files

    def _inside(self, path: str) -> str | None:
        if not path.startswith("/"):
            return path if self._known(path) else None
        for root in self.roots:
            if path.startswith(root + "/"):
                relative = path[len(root) + 1 :]
                if self._known(relative):
                    return relative
        return None

    def _suffix(self, path: str) -> tuple[str | None, bool]:
        parts = [p for p in path.split("/") if p not in ("", "..")]
        if not parts:
            return None, False
        best: list[tuple[str, ...]] = []
        best_score = 0
        for candidate in self._names().get(parts[-1], ()):
            score = 0
            for mine, theirs in zip(reversed(candidate), reversed(parts), strict=False):
                if mine != theirs:
                    break
                score += 1
            if score > best_score:
                best, best_score = [candidate], score
            elif score == best_score:
                best.append(candidate)
        # one shared segment (the file name) is too weak unless one side is wholly matched:
        # /usr/lib/python3/json/decoder.py is not src/decoder.py
        if best_score < 2:
            best = [c for c in best if best_score in (len(c), len(parts))]
        if len(best) == 1:
            return "/".join(best[0]), False
        return None, len(best) > 1

    def map(self, path: str, sources: Sequence[str] = ()) -> Mapped:
        normal = _normal(path)
        candidates = (
            [normal]
            if normal.startswith("/")
            else [
                *(_normal(posixpath.join(_normal(s), normal)) for s in sources if s),
                normal,
            ]
        )
        for candidate in candidates:
            found = self._inside(candidate)
            if found:
                return Mapped(found)
        ambiguous = False
        for candidate in candidates:
            found, tied = self._suffix(candidate)
            if found:
                return Mapped(found)
            ambiguous = ambiguous or tied
        if ambiguous:
            return Mapped(None, "it fits several files of the repository equally")
        return Mapped(None, "no file of the repository has that path")
