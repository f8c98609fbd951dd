"""`gate init` writes down what `gate run` detects (same verdict before and after), and
`gate doctor` names every place where the policy and the repository disagree."""

from __future__ import annotations

import json

import pytest
import yaml


@pytest.fixture(autouse=True)
def _detection_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GATE_DETECT", raising=False)


def _verdict(gate) -> list[tuple[str, str]]:
    report = json.loads(gate("run", "--format", "json").out)
    return [(r["gate"], r["status"]) for r in report["results"] if r["gate"] != "policy"]


def _conventional_repo(repo) -> None:
    repo.git("checkout", "-q", "-b", "master")
    repo.commit(
        "feat: first",
        {
            **{f"src/m{i}.rs": "fn x() {}\n" for i in range(3)},
            "Cargo.toml": '[package]\nname = "x"\nversion = "1.1.0"\n',
            "cliff.toml": "[changelog]\n",
            "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n",
        },
    )
    repo.tag("1.0.0")
    repo.commit("fix: second", {"src/m0.rs": "fn y() {}\n"})
    repo.tag("1.1.0")


def test_init_writes_each_detected_value_with_its_source_and_the_verdict_holds(repo, gate):
    _conventional_repo(repo)
    before = _verdict(gate)
    result = gate("init")
    assert result.code == 0, result.err
    text = (repo.path / ".gate.yaml").read_text()
    data = yaml.safe_load(text)
    assert data["extends"] == "trunk"
    assert data["branches"]["main"] == "master"
    assert data["versioning"]["tag_format"] == "{version}"
    assert data["changelog"]["required_on"] == []
    assert "**/*.rs" in data["tests_with_code"]["source"]
    assert "# detected: git-cliff writes the changelog at release time" in text
    assert "# detected: 2 of 2 tags" in text
    assert _verdict(gate) == before


def test_doctor_names_a_missing_production_branch_and_tags_outside_the_format(repo, gate):
    _conventional_repo(repo)
    assert gate("hooks", "install").code == 0
    healthy = gate("doctor")
    assert healthy.code == 0, healthy.out
    assert "ok       tag format" in healthy.out
    repo.tag("v9.0.0")
    repo.write(".gate.yaml", "branches:\n  main: main\n")
    found = gate("doctor")
    assert found.code == 1
    assert "the policy names main; no such branch" in found.out
    assert "1 of 3 tags follow no format of the policy ({version}): v9.0.0" in found.out
