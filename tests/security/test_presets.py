"""Organisation presets: from an installed package (entry points gates.presets) or a file pinned
by sha256; a preset locks keys and sets floors that a repository cannot undo (issue 20)."""

from __future__ import annotations

import hashlib
import importlib
import sys

import pytest

from gates.knowledge.policy_diff import weakenings
from gates.policy import load_policy

ORG = """extends: gitflow
stages:
  ci: [branch-name, commits, coverage]
coverage:
  total_min: 85
locked: [stages.ci, deploy.environments.production]
floor:
  coverage.total_min: 80
  coverage.changed_min: 90
"""


@pytest.fixture
def installed_preset(tmp_path, monkeypatch):
    """A real distribution on sys.path that declares the preset `acme` (entry point)."""
    site = tmp_path / "site"
    package = site / "acme_presets"
    package.mkdir(parents=True)
    (package / "baseline.yaml").write_text(ORG)
    (package / "__init__.py").write_text(
        "from pathlib import Path\nBASELINE = str(Path(__file__).with_name('baseline.yaml'))\n"
    )
    info = site / "acme_presets-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-presets\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[gates.presets]\nacme = acme_presets:BASELINE\n")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    yield "acme"
    sys.modules.pop("acme_presets", None)


def test_a_preset_from_an_installed_package(repo, installed_preset):
    repo.commit("chore: start", {".gate.yaml": "extends: acme\ncoverage:\n  total_min: 95\n"})
    policy = load_policy(repo.path)
    assert policy.stage("ci") == ["branch-name", "commits", "coverage"]
    assert policy.data["coverage"]["total_min"] == 95  # raised: allowed
    assert policy.sources[-2].startswith("preset acme (acme_presets:BASELINE)")


@pytest.mark.parametrize(
    ("override", "phrase"),
    [
        ("stages:\n  ci: []\n", "stages.ci is locked by the preset"),
        (
            "deploy:\n  environments:\n    production:\n      require_signature: false\n",
            "deploy.environments.production is locked",
        ),
        ("coverage:\n  total_min: 50\n", "below the floor 80"),
        ("coverage:\n  changed_min: 0\n", "coverage.changed_min is 0, below the floor 90"),
    ],
)
def test_locks_and_floors_hold(repo, gate, installed_preset, override, phrase):
    repo.commit("chore: start", {".gate.yaml": "extends: acme\n" + override})
    outcome = gate("check", "branch-name")
    assert outcome.code == 2, outcome.out
    assert phrase in outcome.err


def test_a_repository_cannot_drop_the_locks(repo, gate, installed_preset):
    repo.commit("chore: start", {".gate.yaml": "extends: acme\nlocked: []\nfloor: {}\n"})
    policy = load_policy(repo.path)
    assert "stages.ci" in policy.data["locked"]
    assert policy.data["floor"]["coverage.total_min"] == 80


def test_a_file_preset_pinned_by_sha256(repo, gate, tmp_path):
    preset = tmp_path / "org.yaml"
    preset.write_text(ORG)
    digest = hashlib.sha256(preset.read_bytes()).hexdigest()
    repo.commit(
        "chore: start",
        {".gate.yaml": f"extends:\n  file: {preset}\n  sha256: {digest}\n"},
    )
    assert load_policy(repo.path).data["coverage"]["total_min"] == 85
    preset.write_text(ORG.replace("total_min: 85", "total_min: 0"))  # the file changed
    outcome = gate("check", "branch-name")
    assert outcome.code == 2
    assert "not the pinned" in outcome.err and "extends.sha256" in outcome.err


def test_an_unknown_preset_names_where_presets_come_from(repo, gate):
    repo.commit("chore: start", {".gate.yaml": "extends: nowhere\n"})
    outcome = gate("check", "branch-name")
    assert outcome.code == 2
    assert "unknown preset 'nowhere'" in outcome.err and "gates.presets" in outcome.err


def test_floors_and_locks_in_the_policy_diff():
    old = {"floor": {"coverage.total_min": 80}, "locked": ["stages.ci"]}
    assert weakenings(old, {"floor": {"coverage.total_min": 90}, "locked": ["stages.ci"]}) == []
    found = weakenings(old, {"floor": {"coverage.total_min": 70}, "locked": []})
    assert sorted(w.key for w in found) == ["floor.coverage.total_min", "locked"]
