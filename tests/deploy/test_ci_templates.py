"""The CI templates in examples/: each parses, and every gate command in it is valid for this CLI."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from gates.cli import build_parser
from gates.commands.check import gate_parser
from gates.policy import load_preset
from gates.report.output import parse_format

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TEMPLATES = (
    "github-actions.yml",
    "gitlab-ci.yml",
    "cloudbuild.yaml",
    "Jenkinsfile",
    "spinnaker-pipeline.json",
)


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


def load(name: str) -> Any:
    text = (EXAMPLES / name).read_text()
    if name.endswith((".yml", ".yaml")):
        return yaml.safe_load(text)
    if name.endswith(".json"):
        return json.loads(text)
    return text


def shell_texts(name: str) -> list[str]:
    document = load(name)
    if name == "Jenkinsfile":
        return [m.group(2) for m in re.finditer(r"""\bsh\s+(['"])(.*?)\1\s*$""", document, re.M)]
    return _strings(document)


GATE_ACTION = "gates-dev/gates@"


def action_commands(name: str) -> list[list[str]]:
    """`gate ARGS` of every step that uses the composite action (action.yml) in a workflow."""
    if name != "github-actions.yml":
        return []
    return [
        ["gate", *shlex.split(step["with"]["args"])]
        for job in load(name)["jobs"].values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith(GATE_ACTION)
    ]


def gate_commands(name: str) -> list[list[str]]:
    commands = action_commands(name)
    for text in shell_texts(name):
        for line in text.splitlines():
            for part in re.split(r"\s*(?:&&|;)\s*", line.strip()):
                if part.startswith("gate "):
                    commands.append(shlex.split(part))
    return commands


def check_command(argv: list[str]) -> None:
    """Parse a gate command as the CLI would; fail with the argparse message otherwise."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv[1:])
        if args.command == "check":
            gate_parser(args.gate).parse_args(args.rest)
    except SystemExit as exc:
        pytest.fail(f"invalid gate command: {shlex.join(argv)} (exit {exc.code})")
    for spec in getattr(args, "format", []) or []:
        parse_format(spec)
    if args.command == "run" and args.stage == "deploy":
        environments = load_preset("gitflow").section("deploy")["environments"]
        assert args.env in environments, f"{shlex.join(argv)}: unknown environment {args.env}"


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_gate_commands_are_valid(name):
    commands = gate_commands(name)
    assert commands, f"{name} runs no gate command"
    for argv in commands:
        check_command(argv)
    joined = [" ".join(argv) for argv in commands]
    assert any(c.startswith("gate verify ") for c in joined), name
    assert any(c.startswith("gate run --stage deploy --env ") for c in joined), name
    if name != "spinnaker-pipeline.json":  # the Spinnaker stage only guards the deploy
        assert any(c.startswith("gate run --stage ci") and "--attest" in c for c in joined), name


def test_the_deploy_gate_runs_before_each_deploy_step():
    github = load("github-actions.yml")
    steps = [s.get("name") for s in github["jobs"]["deploy-production"]["steps"]]
    assert steps.index("Deploy gate") < steps.index("Deploy")
    assert github["jobs"]["deploy-production"]["needs"] == "attest"
    assert github["jobs"]["attest"]["needs"] == "test"
    gitlab = load("gitlab-ci.yml")
    for job in ("deploy-staging", "deploy-production"):
        script = gitlab[job]["script"]
        gate_line = next(
            i for i, line in enumerate(script) if line.startswith("gate run --stage deploy")
        )
        assert gate_line < next(
            i for i, line in enumerate(script) if line.startswith("./deploy.sh")
        )
    assert gitlab["gate"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    cloudbuild = [step["id"] for step in load("cloudbuild.yaml")["steps"]]
    assert cloudbuild.index("deploy-gate") < cloudbuild.index("helm-deploy")
    assert load("cloudbuild.yaml")["steps"][cloudbuild.index("helm-deploy")]["args"][0] == "upgrade"
    jenkins = load("Jenkinsfile")
    assert jenkins.index("gate run --stage deploy") < jenkins.index("./deploy.sh")
    spinnaker = {stage["refId"]: stage for stage in load("spinnaker-pipeline.json")["stages"]}
    assert spinnaker["gate"]["type"] == "runJobManifest"
    assert spinnaker["deploy"]["type"] == "deployManifest"
    assert "gate" in spinnaker["deploy"]["requisiteStageRefIds"]


def test_an_invalid_command_would_be_caught():
    with pytest.raises(pytest.fail.Exception):
        check_command(["gate", "run", "--stage", "prod"])
    with pytest.raises(AssertionError):
        check_command(["gate", "run", "--stage", "deploy", "--env", "moon"])
