"""What the repository says about its files (.gitattributes) cannot hide a change from the gates:
every diff is read with --text --no-textconv --no-ext-diff (issue 20)."""

from __future__ import annotations

import json
import os

import pytest

from gates.adapters.git import parse_diff
from tests.coverage_gate.conftest import LABEL, PRICING, measure, write_project

HIDING = ["*.py binary\n", "*.py -diff\n", "*.py diff=hide\n"]


def _result(outcome) -> dict:
    (result,) = json.loads(outcome.out)["results"]
    return result


@pytest.fixture
def feature(repo):
    repo.commit("chore: start", {"README.md": "shop\n"})
    repo.branch("develop")
    return repo


@pytest.mark.parametrize("attributes", HIDING)
def test_tests_with_code_sees_a_change_marked_binary(feature, gate, attributes):
    feature.branch("feature/hide")
    feature.commit("feat: add pricing", {".gitattributes": attributes, "src/pricing.py": "X = 1\n"})
    outcome = gate("check", "tests-with-code", "--format", "json")
    assert outcome.code == 1, outcome.out
    assert "src/pricing.py" in outcome.out


@pytest.mark.parametrize("attributes", HIDING)
def test_changed_line_coverage_sees_lines_marked_binary(repo, gate, attributes):
    write_project(repo.path)
    repo.commit(
        "feat(shop): total",
        {
            ".gate.yaml": "extends: gitflow\ncoverage:\n  total_min: 0\n",
            ".gitattributes": attributes,
        },
    )
    repo.branch("develop")
    repo.branch("feature/label")
    repo.commit("feat(shop): label amounts", {"src/shop/pricing.py": PRICING + LABEL})
    measure(repo.path, "json")
    outcome = gate("check", "coverage", "--data", "coverage.json", "--format", "json")
    assert outcome.code == 1, outcome.out
    assert any(f["rule"] == "coverage.changed" for f in _result(outcome)["findings"])


def test_a_textconv_or_external_diff_driver_never_runs(feature, gate, tmp_path):
    marker = tmp_path / "ran"
    script = tmp_path / "driver.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\necho hidden\n")
    script.chmod(0o755)
    feature.branch("feature/hide")
    feature.commit(
        "feat: add pricing", {".gitattributes": "*.py diff=hide\n", "src/pricing.py": "X = 1\n"}
    )
    # set after the test's own commits, which would run them
    feature.git("config", "diff.hide.textconv", str(script))
    feature.git("config", "diff.hide.command", str(script))
    feature.git("config", "core.fsmonitor", str(script))
    feature.write("src/pricing.py", "X = 2\n")  # a dirty tree: status would ask the fsmonitor
    outcome = gate("check", "tests-with-code", "--format", "json")
    assert outcome.code == 1
    assert not marker.exists()
    assert gate("run", "--stage", "ci", "--only", "lint").code in (0, 1)
    assert not marker.exists(), "a program configured by the repository ran"
    assert os.path.exists(script)


def test_a_binary_entry_counts_as_a_changed_file():
    diff = parse_diff(
        "diff --git a/app.py b/app.py\n"
        "new file mode 100644\n"
        "index 0000000..e69de29\n"
        "Binary files /dev/null and b/app.py differ\n"
        "diff --git a/old.py b/old.py\n"
        "deleted file mode 100644\n"
        "Binary files a/old.py and /dev/null differ\n"
        "diff --git a/logo.png b/logo.png\n"
        "Binary files a/logo.png and b/logo.png differ\n"
    )
    assert [(f.status, f.path) for f in diff.files] == [
        ("A", "app.py"),
        ("D", "old.py"),
        ("M", "logo.png"),
    ]
