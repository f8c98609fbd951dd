"""The `changelog` gate on real repositories: validation, entries by branch kind, tags on main."""

from __future__ import annotations

import json

import pytest

from tests.conformance import require

CHANGELOG = """# Changelog

## [Unreleased]

## [1.0.0] - 2026-01-05

### Added

- First release.
"""


def findings(outcome) -> list[tuple[str, str]]:
    report = json.loads(outcome.out)
    return [(f["rule"], f["severity"]) for r in report["results"] for f in r["findings"]]


def status(outcome) -> str:
    return json.loads(outcome.out)["results"][0]["status"]


def feature_repo(repo, changelog: str = CHANGELOG):
    repo.commit("chore: start", {"CHANGELOG.md": changelog, "app.py": "x = 1\n"})
    repo.branch("develop")
    repo.branch("feature/login")
    return repo


def test_skips_without_a_changelog_unless_required(repo, gate):
    repo.commit("chore: start")
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 0
    assert status(outcome) == "skip"
    repo.write(".gate.yaml", "changelog:\n  required: true\n")
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 1
    assert findings(outcome) == [("changelog.missing", "error")]


def test_conformance_corpus(repo, gate):
    corpus = require("changelog")
    cases = [
        line.split("\t")
        for line in (corpus / "cases.tsv").read_text().splitlines()[1:]
        if line.strip() and not line.startswith("#")
    ]
    assert cases
    repo.commit("chore: start")
    for name, expected, version, description in cases:
        repo.write("CHANGELOG.md", (corpus / name).read_text(encoding="utf-8"))
        repo.write("pyproject.toml", f'[project]\nname = "demo"\nversion = "{version}"\n')
        outcome = gate("check", "changelog", "--format", "json")
        assert outcome.code == int(expected), (name, description, outcome.out)


def test_project_version_must_have_the_newest_section(repo, gate):
    repo.commit(
        "chore: start",
        {"CHANGELOG.md": CHANGELOG, "pyproject.toml": '[project]\nname = "d"\nversion = "1.1.0"\n'},
    )
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 1
    assert findings(outcome) == [("changelog.project-version", "error")]
    repo.write("pyproject.toml", '[project]\nname = "d"\nversion = "1.0.0"\n')
    assert gate("check", "changelog").code == 0


def test_feature_branch_needs_an_entry(repo, gate):
    feature_repo(repo)
    repo.commit("feat: login form", {"app.py": "x = 2\n"})
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 1, outcome.out
    assert findings(outcome) == [("changelog.entry", "error")]
    result = json.loads(outcome.out)["results"][0]["findings"][0]
    assert result["line"] == 3 and result["path"] == "CHANGELOG.md"
    repo.commit(
        "docs: changelog",
        {
            "CHANGELOG.md": CHANGELOG.replace(
                "## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- Login form.\n"
            )
        },
    )
    assert gate("check", "changelog").code == 0


def test_an_entry_moved_in_from_develop_by_a_merge_is_not_the_features_entry(repo, gate):
    feature_repo(repo)
    repo.checkout("develop")
    with_entry = CHANGELOG.replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- Someone else's fix.\n"
    )
    repo.commit("fix: other", {"CHANGELOG.md": with_entry})
    repo.checkout("feature/login")
    repo.commit("feat: login form", {"app.py": "x = 2\n"})
    repo.merge("develop")
    outcome = gate("check", "changelog", "--format", "json")
    assert findings(outcome) == [("changelog.entry", "error")]


@pytest.mark.parametrize(
    ("message", "files", "why"),
    [
        ("docs: explain login", {"README.md": "login\n"}, "only commits of exempt types (docs)"),
        (
            "feat: internal flag\n\nChangelog: skip",
            {"app.py": "x = 3\n"},
            "has the trailer `Changelog: skip`",
        ),
        ("feat: tweak build", {"build/setup.cfg": "[x]\n"}, "only paths in changelog.exempt_paths"),
    ],
)
def test_exemptions_pass_and_are_shown(repo, gate, message, files, why):
    feature_repo(repo)
    repo.write(".gate.yaml", "changelog:\n  exempt_paths: ['build/**', '.gate.yaml']\n")
    repo.commit(message, files)
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 0, outcome.out
    report = json.loads(outcome.out)["results"][0]
    assert [f["rule"] for f in report["findings"]] == ["changelog.exempt"]
    assert why in report["findings"][0]["message"]
    assert why in report["summary"]


def test_breaking_change_of_an_exempt_type_is_not_exempt(repo, gate):
    feature_repo(repo)
    repo.commit("chore!: drop python 3.10", {"app.py": "x = 4\n"})
    assert findings(gate("check", "changelog", "--format", "json")) == [
        ("changelog.entry", "error")
    ]


def test_hotfix_entry_may_go_in_the_hotfix_section(repo, gate):
    repo.commit("chore: start", {"CHANGELOG.md": CHANGELOG})
    repo.tag("v1.0.0", message="1.0.0")
    repo.branch("hotfix/1.0.1")
    repo.commit("fix: crash", {"app.py": "fixed\n"})
    assert gate("check", "changelog").code == 1
    hotfixed = CHANGELOG.replace(
        "## [1.0.0]", "## [1.0.1] - 2026-01-06\n\n### Fixed\n\n- Crash.\n\n## [1.0.0]"
    )
    repo.commit("docs: changelog", {"CHANGELOG.md": hotfixed})
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 0, outcome.out


def test_release_branch_needs_its_dated_section(repo, gate):
    repo.commit("chore: start", {"CHANGELOG.md": CHANGELOG})
    repo.branch("develop")
    repo.branch("release/1.1.0")
    # Unreleased is the release's section until `gate release` dates it: the gate judges the
    # state the finish is about to write, so the branch is green from its first commit
    assert gate("check", "changelog").code == 0
    repo.commit(
        "docs: no unreleased area",
        {"CHANGELOG.md": CHANGELOG.replace("## [Unreleased]\n", "")},
    )
    outcome = gate("check", "changelog", "--format", "json")
    assert ("changelog.release-section", "error") in findings(outcome)
    repo.commit(
        "docs: undated",
        {"CHANGELOG.md": CHANGELOG.replace("## [Unreleased]\n", "## [Unreleased]\n\n## [1.1.0]\n")},
    )
    rules = findings(gate("check", "changelog", "--format", "json"))
    assert ("changelog.release-section", "error") in rules and ("changelog.date", "error") in rules
    repo.commit(
        "docs: dated",
        {
            "CHANGELOG.md": CHANGELOG.replace(
                "## [Unreleased]\n", "## [Unreleased]\n\n## [1.1.0] - 2026-02-01\n"
            )
        },
    )
    assert gate("check", "changelog").code == 0


def test_on_main_the_newest_section_matches_the_latest_tag(repo, gate):
    repo.commit("chore: start", {"CHANGELOG.md": CHANGELOG})
    repo.tag("v1.0.0", message="1.0.0")
    assert gate("check", "changelog").code == 0
    repo.commit("feat: more")
    repo.tag("v1.1.0")
    repo.tag("not-a-release")
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 1
    assert findings(outcome) == [("changelog.tag", "error")]
    assert "v1.1.0" in json.loads(outcome.out)["results"][0]["findings"][0]["message"]


def test_explain_lists_every_rule(gate):
    outcome = gate("explain", "changelog")
    assert outcome.code == 0
    for rule in ("changelog.entry", "changelog.date", "changelog.order", "changelog.tag"):
        assert rule in outcome.out
    assert "Keep a Changelog" in gate("explain", "changelog.category").out
