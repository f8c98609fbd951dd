"""JUnit XML test reports, as pytest (`--junitxml`), Surefire, Jest, Go and most runners write.

Both roots are accepted (`<testsuites>` and a lone `<testsuite>`), suites may
nest, and every file is read with defusedxml, so an XML bomb or an external
entity in a file from the build is refused instead of expanded. A file that
is truncated or is not JUnit is an error, never an empty (green) test run.
"""

from __future__ import annotations

import glob
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gates.errors import GateError

if TYPE_CHECKING:
    from argparse import ArgumentParser
    from collections.abc import Mapping
    from typing import Any
    from xml.etree.ElementTree import Element

PASSED = "passed"
FAILED = "failed"
ERROR = "error"
SKIPPED = "skipped"

JUNIT_HINT = "produce it with `pytest --junitxml=junit.xml` (or your runner's JUnit reporter)"


@dataclass(frozen=True)
class TestCase:
    """One `<testcase>`: `id` is `classname::name`, the spelling quarantine globs match."""

    __test__ = False  # not a pytest test class

    classname: str
    name: str
    outcome: str
    seconds: float
    message: str | None = None
    file: str | None = None
    line: int | None = None
    report: str = ""

    @property
    def id(self) -> str:
        return f"{self.classname}::{self.name}" if self.classname else self.name

    @property
    def blocks(self) -> bool:
        return self.outcome in (FAILED, ERROR)


@dataclass
class TestRun:
    """Every test case of the JUnit files read, and the run's total duration in seconds."""

    __test__ = False

    files: list[Path] = field(default_factory=list)
    cases: list[TestCase] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for case in self.cases if case.outcome == outcome)

    @property
    def executed(self) -> int:
        return len(self.cases) - self.count(SKIPPED)


def find_reports(root: Path, patterns: list[str]) -> list[Path]:
    """Files matching any pattern (relative to root; `**` recurses), sorted, no duplicates."""
    from gates.adapters.repo_paths import inside

    found: dict[Path, None] = {}
    for pattern in patterns:
        relative = not Path(pattern).is_absolute()
        base = str(root / pattern) if relative else pattern
        for match in sorted(glob.glob(base, recursive=True)):
            path = Path(match)
            if relative:  # a report in the repository: no way out of it, no symbolic link
                path = inside(root, os.path.relpath(path, root), "tests.junit")
            if path.is_file():
                found.setdefault(path.resolve(), None)
    return list(found)


def add_option(parser: ArgumentParser, section: str) -> None:
    """`--junit FILE|GLOB` for `gate check` of a gate that reads the test run's JUnit XML."""
    parser.add_argument(
        "--junit",
        action="append",
        metavar="FILE|GLOB",
        help=f"JUnit XML file(s) to read (repeatable; default: policy {section}.junit)",
    )


def collect_for(
    root: Path, explicit: list[str] | None, section: Mapping[str, Any], *, required: bool = False
) -> tuple[TestRun | None, list[str]]:
    """The test run of a gate: `--junit` when given, else the section's `junit` patterns.
    Returns (run or None when absent and not required, the patterns that were looked for)."""
    patterns = list(explicit or section.get("junit") or [])
    run = collect(
        root,
        patterns,
        required=required or bool(section.get("required")),
        explicit=bool(explicit),
    )
    return run, patterns


def not_found(patterns: list[str]) -> str:
    """The summary of a gate that skips because no JUnit file exists."""
    return f"no JUnit XML report found ({', '.join(patterns)}); run `pytest --junitxml=junit.xml` first"


def collect(
    root: Path, patterns: list[str], *, required: bool, explicit: bool = False
) -> TestRun | None:
    """The test run recorded by the JUnit files matching `patterns`.

    None when no file exists and nothing requires one (the caller skips);
    a GateError when the policy requires the input, when patterns given on
    the command line match nothing, or when a file cannot be read as JUnit.
    """
    if not patterns:
        raise GateError(
            "no JUnit file patterns configured", hint="set `junit:` in the policy, e.g. [junit.xml]"
        )
    files = find_reports(root, patterns)
    if not files:
        if required or explicit:
            raise GateError(
                "no JUnit XML file matches " + ", ".join(patterns),
                hint=JUNIT_HINT + ", or fix the `junit:` globs",
            )
        return None
    run = TestRun(files=files)
    for path in files:
        cases, seconds = parse_file(path, root)
        run.cases += cases
        run.seconds += seconds
    return run


def parse_file(path: Path, root: Path | None = None) -> tuple[list[TestCase], float]:
    """The test cases of one JUnit file and its duration in seconds."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as safe_et
    from defusedxml import DefusedXmlException

    shown = _shown(path, root)
    try:
        tree = safe_et.parse(path)
    except DefusedXmlException as exc:
        raise GateError(
            f"{shown}: refused: the XML uses {type(exc).__name__} ({exc})",
            hint="a test report needs no DTD or entities; regenerate it with the test runner",
        ) from None
    except ParseError as exc:
        raise GateError(
            f"{shown}: not well-formed XML ({exc}); the file may be truncated",
            hint="re-run the tests so the runner writes the whole file",
        ) from None
    except (LookupError, ValueError) as exc:  # the XML declares an encoding expat cannot read
        raise GateError(
            f"{shown}: not readable XML ({exc})",
            hint="re-run the tests so the runner writes the file (UTF-8)",
        ) from None
    except OSError as exc:
        raise GateError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    root_element = tree.getroot()
    tag = _local(root_element.tag)
    if tag not in ("testsuites", "testsuite"):
        raise GateError(
            f"{shown}: not a JUnit XML report (root element <{tag}>, expected <testsuites> or "
            "<testsuite>)",
            hint=JUNIT_HINT,
        )
    cases: list[TestCase] = []
    _walk(root_element, cases, shown)
    return cases, _duration(root_element, cases, shown)


def _walk(element: Element, cases: list[TestCase], shown: str) -> None:
    """Every test case under `element`, in document order; suites nest to any depth."""
    pending = [iter(element)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
            continue
        tag = _local(child.tag)
        if tag == "testsuite":
            pending.append(iter(child))
        elif tag == "testcase":
            cases.append(_case(child, shown))


def _case(element: Element, shown: str) -> TestCase:
    outcome, message = PASSED, None
    for child in element:
        tag = _local(child.tag)
        # error outranks failure: a test that broke is worse than one that asserted wrongly
        if tag == ERROR or (tag == "failure" and outcome != ERROR):
            outcome, message = (ERROR if tag == ERROR else FAILED), _first_line(child)
        elif tag == SKIPPED and outcome == PASSED:
            outcome, message = SKIPPED, _first_line(child)
    line = element.get("line")
    return TestCase(
        classname=element.get("classname", "") or "",
        name=element.get("name", "") or "",
        outcome=outcome,
        seconds=_seconds(element.get("time"), shown),
        message=message,
        file=element.get("file"),
        line=int(line) if line and line.isdigit() else None,
        report=shown,
    )


def _duration(root_element: Element, cases: list[TestCase], shown: str) -> float:
    """The root's own time, else the sum of its top-level suites, else the sum of its cases."""
    if root_element.get("time") is not None:
        return _seconds(root_element.get("time"), shown)
    suites = [c for c in root_element if _local(c.tag) == "testsuite" and c.get("time") is not None]
    if suites:
        return sum(_seconds(s.get("time"), shown) for s in suites)
    return sum(case.seconds for case in cases)


def _seconds(value: str | None, shown: str) -> float:
    if value is None or value == "":
        return 0.0
    try:
        seconds = float(value.replace(",", ""))
    except ValueError:
        raise GateError(
            f"{shown}: bad time attribute {value!r}", hint="time must be a number of seconds"
        ) from None
    if seconds < 0 or math.isnan(seconds):
        raise GateError(
            f"{shown}: bad time attribute {value!r}", hint="time must be a number of seconds"
        )
    return seconds


def _first_line(element: Element) -> str | None:
    for text in (element.get("message"), element.text):
        if text:
            for line in text.strip().splitlines():
                if line.strip():
                    return line.strip()
    return None


def _local(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)
