"""Coverage data files as users have them, read into repository paths.

- coverage.py's `.coverage` (SQLite), through the coverage API: the repository's
  coverage config applies ([paths] remapping, exclusions, [report] omit), and
  the statements come from coverage.py's own analysis of the source, so the
  numbers are those of `coverage report`;
- `coverage.xml` (Cobertura, as coverage.py, JaCoCo converters, gcovr, … write
  it), parsed with defusedxml: no entity expansion, no external references;
- `coverage.json` (coverage.py's JSON report);
- LCOV (`lcov.info`, `coverage.lcov`), as most other languages' tools write it.

Every path in the data is mapped to a repository path (see PathMapper); what
maps to no file is kept as `unmapped`, for the gate to report. A file that
cannot be read or parsed is a GateError naming it: never an empty pass.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.errors import GateError
from gates.knowledge.coverage_math import Baseline, FileCoverage, PathMapper, merge

if TYPE_CHECKING:
    from gates.adapters.git import GitRepo

COVERAGE_PY = "coverage.py"
COBERTURA = "cobertura"
JSON = "coverage.py json"
LCOV = "lcov"

RUN_FIRST = (
    "run the tests under coverage first: `coverage run -m pytest`, then `coverage xml`"
    " (or keep .coverage)"
)
_CONDITION = re.compile(r"\((\d+)\s*/\s*(\d+)\)")


class CoverageReport:
    """Coverage data mapped onto the repository, filled in by the loaders below. (Plain
    classes here: the dataclasses import alone is a few ms of every coverage gate.)"""

    def __init__(self, source: Path, format: str, has_branches: bool = False) -> None:
        self.source = source
        self.format = format
        self.files: dict[str, FileCoverage] = {}
        self.unmapped: list[tuple[str, str]] = []
        self.has_branches = has_branches


class RawReport:
    """A parsed data file, paths as the file spells them."""

    def __init__(self, format: str, has_branches: bool = False) -> None:
        self.format = format
        self.files: list[FileCoverage] = []
        self.sources: list[str] = []
        self.has_branches = has_branches


# --- finding the data ----------------------------------------------------------------------


def locate(root: Path, candidates: Sequence[str], explicit: str | None = None) -> Path | None:
    """The data file to read: the explicit one (which must exist), else the first candidate
    (a path or a glob, relative to the repository) that exists."""
    if explicit:
        path = Path(explicit)
        if not path.is_absolute():
            # as typed in the current folder, else from the repository root
            path = Path.cwd() / path if (Path.cwd() / path).is_file() else root / path
        if not path.is_file():
            raise GateError(f"no such coverage data file: {explicit}", hint=RUN_FIRST)
        return path
    from gates.adapters.repo_paths import inside

    for candidate in candidates:
        if any(ch in candidate for ch in "*?["):
            found = sorted(p for p in root.glob(candidate) if p.is_file())
            if found:
                return inside(root, found[0].relative_to(root), "coverage.data")
        elif (root / candidate).is_file() or (root / candidate).is_symlink():
            return inside(root, candidate, "coverage.data")
    return None


def missing_hint(root: Path) -> str:
    if any(root.glob(".coverage.*")):
        return "parallel data found, not combined: run `coverage combine`, then `coverage xml`"
    return RUN_FIRST


def repository_files(git: GitRepo) -> list[str]:
    """Tracked files, and untracked ones that are not ignored (freshly generated sources)."""
    out = git.run("ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return [name for name in out.split("\0") if name]


def load_repository(
    root: Path, git: GitRepo, candidates: Sequence[str], explicit: str | None = None
) -> CoverageReport | None:
    """The repository's coverage data mapped onto its files; None where there is none. Data
    of which no file maps onto the repository is an error, never an empty pass."""
    path = locate(root, candidates, explicit)
    if path is None:
        return None
    report = load(path, root, lambda: repository_files(git))
    if not report.files:
        if report.unmapped:
            examples = ", ".join(p for p, _ in report.unmapped[:3])
            raise GateError(
                f"{path.name}: none of its {len(report.unmapped)} measured files is a file of "
                f"this repository ({examples})",
                hint="was it made in another checkout? Map the paths with [paths] in the coverage "
                "config, or regenerate it here",
            )
        raise GateError(f"{path.name}: the coverage data measures no file", hint=RUN_FIRST)
    return report


# --- reading ---------------------------------------------------------------------------------


def detect_format(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise GateError(f"{path.name}: cannot read coverage data: {exc.strerror}") from None
    if head.startswith(b"SQLite format 3\0"):
        return COVERAGE_PY
    name = path.name.lower()
    for suffixes, kind in (((".xml",), COBERTURA), ((".json",), JSON), ((".info", ".lcov"), LCOV)):
        if name.endswith(suffixes):
            return kind
    if name.startswith(".coverage"):
        return COVERAGE_PY
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        return COBERTURA
    if start.startswith(b"{"):
        return JSON
    if start.startswith((b"TN:", b"SF:")):
        return LCOV
    raise GateError(
        f"{path.name}: cannot tell what kind of coverage data this is",
        hint="give a .coverage, coverage.xml (Cobertura), coverage.json or LCOV (.info/.lcov) file",
    )


def load(
    path: Path, root: Path, repo_files: Iterable[str] | Callable[[], Iterable[str]]
) -> CoverageReport:
    """Read a data file of any supported kind and map it onto the repository (its files, or
    a function that lists them, called only when a path must be matched by its suffix)."""
    kind = detect_format(path)
    mapper = PathMapper(repo_files, _roots(root), exists=lambda rel: (root / rel).is_file())
    if kind == COVERAGE_PY:
        return _read_coverage_py(path, root, mapper)
    name = _display(path, root)
    if kind == COBERTURA:
        raw = parse_cobertura(_read_bytes(path), name)  # expat honours the XML's own encoding
    elif kind == JSON:
        raw = parse_coverage_json(_read_text(path), name)
    else:
        raw = parse_lcov(_read_text(path), name)
    return map_report(raw, path, mapper)


def _roots(root: Path) -> list[str]:
    return list(dict.fromkeys([str(root.absolute()), str(root.resolve())]))


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GateError(f"{path.name}: cannot read coverage data: {exc.strerror}") from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GateError(
            f"{path.name}: coverage data is not UTF-8 text ({exc.reason})", hint="regenerate it"
        ) from None
    except OSError as exc:
        raise GateError(f"{path.name}: cannot read coverage data: {exc.strerror}") from None


def map_report(raw: RawReport, source: Path, mapper: PathMapper) -> CoverageReport:
    report = CoverageReport(source=source, format=raw.format, has_branches=raw.has_branches)
    for data in raw.files:
        mapped = mapper.map(data.path, raw.sources)
        if mapped.path is None:
            report.unmapped.append((data.path, mapped.reason))
            continue
        located = FileCoverage(mapped.path, data.executable, data.covered, data.branches)
        previous = report.files.get(mapped.path)
        report.files[mapped.path] = merge(previous, located) if previous else located
    return report


def _corrupt(name: str, problem: str) -> GateError:
    return GateError(f"{name}: corrupt coverage data: {problem}", hint=f"regenerate: {RUN_FIRST}")


class _CoberturaHandler:
    """Expat callbacks that keep only what the gate needs: the <source> roots and the lines of
    each <class>. No tree is built and no end-tag callback runs (a class ends where the next
    begins). A <line> costs one call that appends the flat attribute list expat made for it
    (ordered_attributes) to its class's list; the lines are converted per class, in bulk (see
    _line_columns). That is what makes a 50,000-line report cheap to read. The copies of lines
    under <methods> add nothing: a line ran if any of its records says so."""

    def __init__(self, name: str, report: RawReport, expat: Any) -> None:
        self.name = name
        self.report = report
        self.expat = expat
        self.seen_root = False
        self.source_text: list[str] | None = None
        self.filename: str | None = None
        self.lines: list[list[str]] = []
        self.files: dict[str, FileCoverage] = {}
        # a report repeats the same few texts: line numbers from 1 in every file, and
        # condition-coverage such as "50% (1/2)"; a dict lookup is cheaper than int() or a regex
        self.line_numbers: dict[str, int] = {}
        self.conditions: dict[str | None, tuple[int, int] | None] = {}

    def start_handler(self) -> Callable[[str, list[str]], None]:
        """The StartElementHandler. <line> is the hot path: one call of the bound append of its
        class's list, rebound at each <class>; a <line> outside any class belongs to no file."""
        other = self.other
        append_line: Callable[[list[str]], None] = _outside_class

        def start(tag: str, attrs: list[str]) -> None:
            nonlocal append_line
            if tag == "line":
                append_line(attrs)
            else:
                append_line = other(tag, attrs) or append_line

        return start

    def other(self, tag: str, attrs: list[str]) -> Callable[[list[str]], None] | None:
        """Any element but <line>; at a <class>, the append that the lines after it go to."""
        if self.source_text is not None:
            self.end_source()
        if not self.seen_root:
            self.seen_root = True
            if tag != "coverage":
                problem = f"the root element is <{tag}>, not Cobertura's <coverage>"
                raise _corrupt(self.name, problem)
        elif tag == "class":
            self.end_class()
            named = _attribute_dict(attrs)
            filename = named.get("filename")
            if not filename:
                raise _corrupt(self.name, f"a <class name={named.get('name')!r}> has no filename")
            self.filename = filename
            return self.lines.append
        elif tag == "source":
            self.source_text = []
            self.expat.CharacterDataHandler = self.source_text.append
        return None

    def end_class(self) -> None:
        if self.filename is None:
            return
        lines, filename = self.lines, self.filename
        self.filename, self.lines = None, []
        number_text, hits_text, branch_lines = _line_columns(lines)
        try:
            numbers = self.numbers(number_text)
            ran = {hits for hits in set(hits_text) if int(hits) > 0}
        except ValueError:  # a number or hits missing ("") or not an integer
            bad = _attribute_dict(next(a for a in lines if not _valid_line(a)))
            number, hits = bad.get("number"), bad.get("hits")
            problem = f"in {filename}: <line number={number!r} hits={hits!r}>"
            raise _corrupt(self.name, problem) from None
        executable = frozenset(numbers)
        covered = frozenset(compress(numbers, map(ran.__contains__, hits_text)))
        branches: dict[int, tuple[int, int]] = {}
        for number, condition in branch_lines:
            counts = self.branch_counts(condition, filename)
            if counts:
                branches[self.line_numbers[number]] = counts  # converted by numbers() above
        if branches:
            self.report.has_branches = True
        data = FileCoverage(filename, executable, covered, branches)
        previous = self.files.get(filename)
        self.files[filename] = merge(previous, data) if previous else data

    def numbers(self, texts: Sequence[str]) -> list[int]:
        known = self.line_numbers
        try:
            return list(map(known.__getitem__, texts))
        except KeyError:
            numbers = list(map(int, texts))
            known.update(zip(texts, numbers, strict=True))
            return numbers

    def branch_counts(self, condition: str | None, filename: str) -> tuple[int, int] | None:
        """(branches, taken) of condition-coverage="50% (1/2)"; None where it says neither."""
        try:
            return self.conditions[condition]
        except KeyError:
            pass
        found = _CONDITION.search(condition or "")
        counts = None
        if found:
            try:
                taken, total = int(found.group(1)), int(found.group(2))
            except ValueError:  # more digits than int() takes
                problem = f"in {filename}: condition-coverage={condition!r}"
                raise _corrupt(self.name, problem) from None
            counts = (total, min(taken, total))
        self.conditions[condition] = counts
        return counts

    def end_source(self) -> None:
        root = "".join(self.source_text or ()).strip()
        if root:
            self.report.sources.append(root)
        self.source_text = None
        self.expat.CharacterDataHandler = None

    def finish(self) -> None:
        if self.source_text is not None:
            self.end_source()
        self.end_class()


def _outside_class(attrs: list[str]) -> None:
    """Where a <line> before any <class> goes: nowhere."""


def _attribute_dict(attrs: list[str]) -> dict[str, str]:
    """Expat's flat [name, value, name, value, ...] as a dict (XML forbids repeated names)."""
    pairs = iter(attrs)
    return dict(zip(pairs, pairs, strict=False))


def _line_columns(
    lines: list[list[str]],
) -> tuple[Sequence[str], Sequence[str], list[tuple[str, str | None]]]:
    """The number and hits texts of every line ("" where missing), and the number and
    condition-coverage of each line with branch="true".

    Cobertura writers (coverage.py, gcovr, Cobertura, JaCoCo's converters) put number and
    hits first: then zip_longest transposes the attribute lists into columns in C, a fifth
    column says which lines have more to say, and only those are looked at one by one. Any
    other layout is read attribute by attribute."""
    count = len(lines)
    columns = list(zip_longest(*lines))  # as many as the longest line has, None past the end
    if (
        len(columns) >= 4
        and columns[0].count("number") == count
        and columns[2].count("hits") == count
    ):
        branch_lines = _branch_lines(compress(lines, columns[4])) if len(columns) > 4 else []
        return columns[1], columns[3], branch_lines
    records = [_attribute_dict(a) for a in lines]
    branch_lines = [
        (r.get("number", ""), r.get("condition-coverage"))
        for r in records
        if r.get("branch") == "true"
    ]
    return (
        [r.get("number", "") for r in records],
        [r.get("hits", "") for r in records],
        branch_lines,
    )


def _branch_lines(lines: Iterable[list[str]]) -> list[tuple[str, str | None]]:
    """The number and condition-coverage of the lines with branch="true", of lines that start
    with number and hits and say more. coverage.py and gcovr write branch, then
    condition-coverage, next; any other order is looked up by name."""
    found: list[tuple[str, str | None]] = []
    for attrs in lines:
        if attrs[4] == "branch":
            if attrs[5] != "true":
                continue
            if len(attrs) > 7 and attrs[6] == "condition-coverage":
                found.append((attrs[1], attrs[7]))
                continue
        named = _attribute_dict(attrs)
        if named.get("branch") == "true":
            found.append((attrs[1], named.get("condition-coverage")))
    return found


def _valid_line(attrs: list[str]) -> bool:
    named = _attribute_dict(attrs)
    try:
        int(named["number"])
        int(named["hits"])
    except (KeyError, ValueError):
        return False
    return True


class _Ignore:
    """The tree builder defusedxml's parser would feed; the handler above replaces it."""

    def start(self, tag: str, attrs: dict[str, str]) -> None: ...
    def end(self, tag: str) -> None: ...
    def data(self, data: str) -> None: ...
    def close(self) -> None: ...


def parse_cobertura(text: str | bytes, name: str) -> RawReport:
    """Cobertura XML: <coverage><sources><source/></sources>…<class filename><lines><line/>.

    Parsed by defusedxml's hardened expat parser (entity declarations and external
    references refused; a DOCTYPE as older Cobertura writes it is allowed), with streaming
    callbacks in place of its tree builder."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    report = RawReport(COBERTURA)
    parser = DefusedXMLParser(target=_Ignore())
    expat = parser.parser  # the defused expat parser: its entity guards stay in place
    handler = _CoberturaHandler(name, report, expat)
    expat.ordered_attributes = True
    expat.StartElementHandler = handler.start_handler()
    expat.EndElementHandler = None
    expat.CharacterDataHandler = None  # text matters only inside <source>
    # ElementTree's default handler would get, in Python, every end tag, and every stretch of
    # text until a <source> installs a text handler; all it did of use was to refuse undefined
    # entities, done here. (It also took &amp; and &#10; in that text for undefined entities.)
    expat.DefaultHandlerExpand = None
    expat.SkippedEntityHandler = _refuse_undefined_entity(expat)
    try:
        parser.feed(text)
        parser.close()
    except DefusedXmlException as exc:  # a ValueError: first
        raise GateError(
            f"{name}: refused: the XML uses {type(exc).__name__} (entities or external references)",
            hint="coverage XML needs no entities; regenerate it",
        ) from None
    except (ParseError, LookupError, ValueError) as exc:  # or an encoding expat cannot read
        raise _corrupt(name, f"invalid XML ({exc})") from None
    if not handler.seen_root:
        raise _corrupt(name, "the file holds no XML element")
    handler.finish()
    report.files = list(handler.files.values())
    return report


def _refuse_undefined_entity(expat: Any) -> Callable[[str, int], None]:
    """The SkippedEntityHandler. Expat skips a reference to an entity it does not know where
    the document has an external DTD it does not read (<!DOCTYPE coverage SYSTEM ...>);
    ElementTree makes that an error, and so does this."""
    from xml.etree.ElementTree import ParseError

    def skipped(entity: str, is_parameter_entity: int) -> None:
        if not is_parameter_entity:
            where = f"line {expat.ErrorLineNumber}, column {expat.ErrorColumnNumber}"
            raise ParseError(f"undefined entity &{entity};: {where}")

    return skipped


def parse_coverage_json(text: str, name: str) -> RawReport:
    """coverage.py's JSON report (`coverage json`)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise _corrupt(name, f"invalid JSON at {where}: {exc.msg}") from None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, dict):
        raise _corrupt(name, 'no "files" object: this is not a coverage.py JSON report')
    meta = document.get("meta") if isinstance(document.get("meta"), dict) else {}
    report = RawReport(JSON, has_branches=bool(meta.get("branch_coverage")))
    for path, entry in files.items():
        try:
            executed = _ints(entry["executed_lines"])
            missing = _ints(entry["missing_lines"])
            branches: dict[int, tuple[int, int]] = {}
            for key, taken in (("executed_branches", 1), ("missing_branches", 0)):
                for arc in entry.get(key, ()):
                    start = int(arc[0])
                    count, hit = branches.get(start, (0, 0))
                    branches[start] = (count + 1, hit + taken)
        except (KeyError, TypeError, ValueError, IndexError, OverflowError):
            problem = f"the entry of {path!r} lacks executed_lines/missing_lines as number lists"
            raise _corrupt(name, problem) from None
        if branches:
            report.has_branches = True
        executable = frozenset(executed | missing)
        report.files.append(FileCoverage(str(path), executable, frozenset(executed), branches))
    return report


def _ints(values: Any) -> set[int]:
    if not isinstance(values, list):
        raise TypeError("not a list")
    return {int(v) for v in values if not isinstance(v, bool)}


class _LcovFile:
    """The records of one SF: … end_of_record block."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.executable: set[int] = set()
        self.covered: set[int] = set()
        self.arms: dict[tuple[int, str, str], bool] = {}

    def line(self, value: str) -> None:
        parts = value.split(",")
        lineno, hits = int(parts[0]), int(float(parts[1]))
        self.executable.add(lineno)
        if hits > 0:
            self.covered.add(lineno)

    def branch(self, value: str) -> None:
        parts = value.split(",")
        if len(parts) < 4:
            raise ValueError(value)
        key = (int(parts[0]), parts[1], ",".join(parts[2:-1]))
        taken = parts[-1] not in ("-", "0") and int(float(parts[-1])) > 0
        self.arms[key] = self.arms.get(key, False) or taken

    def coverage(self) -> FileCoverage:
        branches: dict[int, tuple[int, int]] = {}
        for (lineno, _block, _arm), taken in self.arms.items():
            count, hit = branches.get(lineno, (0, 0))
            branches[lineno] = (count + 1, hit + taken)
        return FileCoverage(
            self.path, frozenset(self.executable), frozenset(self.covered), branches
        )


def parse_lcov(text: str, name: str) -> RawReport:
    """LCOV tracefile: SF:, DA:line,hits, BRDA:line,block,branch,taken, end_of_record. A file
    recorded several times (several test runs in one tracefile) adds up, branch by branch."""
    report = RawReport(LCOV)
    files: dict[str, _LcovFile] = {}
    current: _LcovFile | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        tag, _, value = raw.strip().partition(":")
        where = f"{name}:{number}"
        if tag == "SF":
            if current is not None:
                raise _corrupt(where, "SF: before the previous file's end_of_record")
            current = files.setdefault(value, _LcovFile(value))
        elif tag == "end_of_record":
            if current is None:
                raise _corrupt(where, "end_of_record without SF:")
            current = None
        elif tag in ("DA", "BRDA"):
            if current is None:
                raise _corrupt(where, f"{tag}: outside a file (no SF: before it)")
            try:
                if tag == "DA":
                    current.line(value)
                else:
                    current.branch(value)
                    report.has_branches = True
            except (ValueError, IndexError, OverflowError):
                raise _corrupt(where, f"malformed {tag} record {value!r}") from None
    if current is not None:
        raise _corrupt(name, f"truncated: the record of {current.path} has no end_of_record")
    if not files and text.strip():
        raise _corrupt(name, "no SF: record: this is not an LCOV tracefile")
    report.files = [f.coverage() for f in files.values()]
    return report


def _read_coverage_py(path: Path, root: Path, mapper: PathMapper) -> CoverageReport:
    """`.coverage` through coverage.py, with the repository's own coverage config."""
    import sqlite3

    import coverage
    from coverage.exceptions import CoverageException
    from coverage.python import PythonFileReporter
    from coverage.results import analysis_from_file_reporter

    name = _display(path, root)
    _check_coverage_db(path, name)
    report = CoverageReport(source=path, format=COVERAGE_PY)
    # coverage.py finds its config (.coveragerc, setup.cfg, tox.ini, pyproject.toml) and
    # resolves relative paths from the current folder, as `coverage report` would in the root
    with contextlib.chdir(root):
        try:
            cov = coverage.Coverage(data_file=str(path), config_file=True)
            # `[run] plugins` names modules coverage.py would import: repository code, run by
            # the gate. Reading data needs no plugin (their files are reported as unmapped).
            cov.config.plugins = []
            cov.load()
            data = cov.get_data()
            measured = sorted(data.measured_files())
            report.has_branches = data.has_arcs()
        except (CoverageException, sqlite3.Error) as exc:
            raise _corrupt(name, str(exc).splitlines()[0]) from None
        config = cov.config
        aliases, reported = _coverage_py_rules(config)
        reporters: dict[str, PythonFileReporter] = {}
        for measured_path in measured:
            tracer = data.file_tracer(measured_path)
            if tracer:
                reason = f"measured by the plugin {tracer}; report it with `coverage xml`"
                report.unmapped.append((measured_path, reason))
                continue
            mapped = mapper.map(aliases.map(measured_path))
            if mapped.path is None:
                report.unmapped.append((measured_path, mapped.reason))
                continue
            absolute = str(root / mapped.path)
            if not reported(absolute):
                continue
            reporters[measured_path] = PythonFileReporter(absolute, cov)
        local = coverage.CoverageData(no_disk=True)
        local.update(data, map_path=lambda p: reporters[p].filename if p in reporters else p)
        for reporter in reporters.values():
            repo_path = mapper.map(reporter.filename).path or reporter.relative_filename()
            try:
                analysis = analysis_from_file_reporter(
                    local, config.precision, reporter, reporter.filename
                )
            except CoverageException as exc:
                raise GateError(
                    f"{name}: cannot analyse {repo_path}: {exc}",
                    hint=f"is the data older than the source? {RUN_FIRST}",
                ) from None
            branches = analysis.branch_stats() if report.has_branches else {}
            data_file = FileCoverage(
                repo_path, frozenset(analysis.statements), frozenset(analysis.executed), branches
            )
            previous = report.files.get(repo_path)
            report.files[repo_path] = merge(previous, data_file) if previous else data_file
    return report


def _check_coverage_db(path: Path, name: str) -> None:
    """Open read-only first: coverage.py would add its tables to any SQLite file it is given."""
    import sqlite3

    if path.stat().st_size == 0:
        raise _corrupt(name, "the file is empty")
    try:
        read_only = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(read_only, uri=True)) as db:
            tables = {row[0] for row in db.execute("select name from sqlite_master")}
    except sqlite3.Error as exc:
        raise _corrupt(name, str(exc)) from None
    if "coverage_schema" not in tables:
        raise _corrupt(name, "an SQLite database without coverage.py's tables")


def _coverage_py_rules(config: Any) -> tuple[Any, Callable[[str], bool]]:
    """The [paths] aliases, and whether [report] include/omit keep a file, as coverage.py
    applies them when it reports."""
    from coverage.files import GlobMatcher, PathAliases, prep_patterns

    aliases = PathAliases(relative=config.relative_files)
    for paths in config.paths.values():
        for pattern in paths[1:]:
            aliases.add(pattern, paths[0])
    omit = GlobMatcher(prep_patterns(config.report_omit), "omit") if config.report_omit else None
    include = None
    if config.report_include:
        include = GlobMatcher(prep_patterns(config.report_include), "include")

    def reported(path: str) -> bool:
        if omit is not None and omit.match(path):
            return False
        return include is None or include.match(path)

    return aliases, reported


# --- the ratchet baseline ------------------------------------------------------------------


def read_baseline(path: Path) -> Baseline | None:
    """The committed baseline, None where there is none yet."""
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return Baseline.from_dict(document)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GateError(
            f"{path.name}: the coverage baseline is not valid JSON ({exc})",
            hint="restore it from git, or rewrite it: gate coverage baseline",
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise GateError(
            f"{path.name}: the coverage baseline is malformed ({exc})",
            hint="restore it from git, or rewrite it: gate coverage baseline",
        ) from None


def write_baseline(path: Path, baseline: Baseline) -> None:
    """Write the baseline atomically (a reader never sees half a file)."""
    from gates.adapters.atomic_files import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(baseline.to_dict(), indent=2) + "\n")
