"""Gate `tests`: the JUnit XML of the test run shows no failure and no error, and tests ran."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gates.model import Finding, Result, Severity
from gates.options import Date, Flag, Options, Records, Text, Texts
from gates.registry import Doc, Gate, Rule, hint

if TYPE_CHECKING:
    import argparse

    from gates.adapters.junit import TestCase, TestRun
    from gates.context import Context

GATE_ID = "tests"
JUNIT = ["junit.xml", "reports/junit*.xml", "test-results/**/*.xml"]


class QuarantineEntry(Options):
    test = Text[str](
        None,  # type: ignore[arg-type]
        "Test id `classname::name` as in the JUnit report, or a glob of ids.",
        required=True,
    )
    reason = Text[str](None, "Why it may fail; shown in every report.", required=True)  # type: ignore[arg-type]
    expires = Date[str](
        None,  # type: ignore[arg-type]
        "Last day it applies (YYYY-MM-DD); then the test blocks again.",
        required=True,
    )


class TestsOptions(Options, section="tests", summary="Test results from JUnit XML."):
    junit = Texts(JUNIT, "JUnit XML files or globs (`pytest --junitxml=junit.xml`).")
    required = Flag[bool | None](
        None,
        "Fail (exit 3) when no JUnit file exists instead of skipping; "
        "left out: required in CI, a skip with a note on a developer's machine.",
    )
    quarantine = Records[list[QuarantineEntry]](
        QuarantineEntry, [], "Flaky tests that may fail without blocking."
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from gates.adapters import junit

    junit.add_option(parser, "tests")


def run(ctx: Context, options: TestsOptions) -> Result:
    from gates.adapters import junit

    section = options.to_dict()
    test_run, patterns = junit.collect_for(
        ctx.root,
        ctx.options.get("junit"),
        section,
        required=ctx.evidence_required(options.required),
    )
    if test_run is None:
        return Result.skip(GATE_ID, junit.not_found(patterns))
    return evaluate(test_run, section["quarantine"], ctx.now.date())


def evaluate(test_run: TestRun, quarantine_items: list[dict[str, Any]], today: Any) -> Result:
    """Findings for a test run: failures and errors block unless quarantined; nothing run blocks."""
    from gates.knowledge.quarantine import Quarantine, find

    entries = [Quarantine.from_policy(item) for item in quarantine_items]
    findings: list[Finding] = []
    quarantined = 0
    for case in test_run.cases:
        entry = find(entries, case.id)
        if case.blocks:
            if entry is not None and not entry.expired(today):
                quarantined += 1
                findings.append(
                    _failure(case).waived(f"quarantined until {entry.expires}: {entry.reason}")
                )
                continue
            finding = _failure(case)
            if entry is not None:
                finding = Finding(
                    finding.rule,
                    finding.message,
                    hint=f"its quarantine expired on {entry.expires} ({entry.reason}); fix the "
                    "test, "
                    "or renew the quarantine with a new date and reason",
                    path=finding.path,
                    line=finding.line,
                )
            findings.append(finding)
        elif entry is not None and case.outcome == "passed":
            findings.append(
                Finding(
                    f"{GATE_ID}.quarantine-passed",
                    f"quarantined test passed: {case.id}",
                    severity=Severity.NOTE,
                    hint="if it is stable again, remove it from `tests.quarantine`",
                )
            )
    if test_run.executed == 0:
        findings.append(
            Finding(
                f"{GATE_ID}.none-run",
                f"no test ran ({len(test_run.cases)} collected, all skipped)"
                if test_run.cases
                else "the JUnit report holds no test case",
                hint=hint(
                    "a suite that ran nothing is not green: check test discovery and the JUnit "
                    "path",
                    f"{GATE_ID}.none-run",
                ),
                path=test_run.files[0].name if test_run.files else None,
            )
        )
    return Result.of(GATE_ID, findings, _summary(test_run, quarantined))


def _failure(case: TestCase) -> Finding:
    kind = "error" if case.outcome == "error" else "failed"
    message = f"{case.id} {kind}" + (f": {case.message}" if case.message else "")
    return Finding(
        f"{GATE_ID}.{kind}",
        message[:500],
        hint=hint("reproduce it locally and fix the code or the test", f"{GATE_ID}.{kind}"),
        path=case.file,
        line=case.line,
    )


def _summary(test_run: TestRun, quarantined: int) -> str:
    from gates.adapters.junit import ERROR, FAILED, PASSED, SKIPPED

    parts = [f"{test_run.count(PASSED)} passed"]
    for outcome, label in ((FAILED, "failed"), (ERROR, "in error"), (SKIPPED, "skipped")):
        if test_run.count(outcome):
            parts.append(f"{test_run.count(outcome)} {label}")
    if quarantined:
        parts.append(f"{quarantined} of the failures quarantined")
    reports = len(test_run.files)
    plural = "s" if reports != 1 else ""
    return f"{len(test_run.cases)} tests: " + ", ".join(parts) + f" ({reports} report{plural})"


JUNIT_INPUT = (
    "JUnit XML written by the test run: `pytest --junitxml=junit.xml` (or "
    "`--junitxml=reports/junit.xml`), "
    "Maven Surefire's target/surefire-reports/*.xml, jest-junit, go-junit-report… Found with the "
    "`junit:` globs of the policy, relative to the repository root (`**` recurses). Read with a "
    "hardened parser (defusedxml): DTD entities and external references are refused."
)

GATE = Gate(
    id=GATE_ID,
    doc=Doc(
        summary="The test run's JUnit XML shows no failure and no error, and at least one test "
        "ran.",
        what=(
            "Reads the JUnit XML reports of the build (one file or globs; <testsuites> or "
            "<testsuite> root; nested suites). Every failed test and every test in error is a "
            "finding with its test id (`classname::name`) and the first line of its message. A "
            "run where no test ran blocks. Tests in the policy's quarantine may fail without "
            "blocking until their expiry date; the report shows each. With no report at all "
            "the gate is skipped, unless `tests.required`."
        ),
        why="A red build is fixed first: nothing is deployed on top of a failing or empty test "
        "run.",
        example="error [tests.failed] tests.test_api::test_login failed: assert 401 == 200",
        instead="Fix the test, or quarantine a known-flaky one with a reason and an end date.",
        inputs=JUNIT_INPUT,
        options=(
            "tests.junit: files or globs (default junit.xml, reports/junit*.xml, "
            "test-results/**/*.xml).\n"
            "tests.required: fail (exit 3) when no report exists instead of skipping.\n"
            "tests.quarantine: "
            "[{test: 'tests.test_x::test_flaky', reason: '…', expires: 2026-12-31}];\n"
            "  `test` is a test id or a glob; after `expires` the failure blocks again.\n"
            "`gate check tests --junit PATH` reads the given file(s) instead."
        ),
    ),
    run=run,
    options=TestsOptions,
    uses_git=False,
    rules=(
        Rule(
            f"{GATE_ID}.failed",
            Doc(
                summary="A test failed.",
                what="A <testcase> with a <failure> element: an assertion did not hold.",
                why="A failing test means the build is broken; fix it before anything else.",
                instead="Fix the code or the test; quarantine a flaky test with a reason and an "
                "end date.",
            ),
        ),
        Rule(
            f"{GATE_ID}.error",
            Doc(
                summary="A test could not run to its end (error in setup, teardown or collection).",
                what="A <testcase> with an <error> element: the test crashed rather than asserted.",
                why="An error hides whether the code works at all.",
                instead="Fix the fixture, import or environment problem the message names.",
            ),
        ),
        Rule(
            f"{GATE_ID}.none-run",
            Doc(
                summary="The report holds no test that ran.",
                what="Zero test cases, or every one skipped.",
                why="A suite that ran nothing is not green: discovery broke, or the wrong file "
                "was read.",
                instead="Check the test paths and the `--junitxml` path of the test command.",
            ),
        ),
        Rule(
            f"{GATE_ID}.quarantine-passed",
            Doc(
                summary="A quarantined test passed.",
                what="A note for each test on the quarantine list that passed in this run.",
                why="A quarantine that is no longer needed hides the next real failure.",
                instead="Remove the entry from `tests.quarantine` once the test is stable.",
            ),
        ),
    ),
    add_arguments=add_arguments,
)
