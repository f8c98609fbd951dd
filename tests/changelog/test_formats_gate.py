"""The changelog gate, `gate changelog --write` and `gate release` on files in other formats:
one finding for a file in the wrong format, the entry rule as each format and release tool
asks for it, releases written in the file's own shape."""

from __future__ import annotations

import json
import subprocess

from gates.knowledge import changelog_formats as cf
from tests.changelog.test_formats import CONVENTIONAL, PALLETS

KAC = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-05\n\n### Added\n\n- First.\n"


def report(outcome) -> dict:
    return json.loads(outcome.out)["results"][0]


def rules(outcome) -> list[tuple[str, str]]:
    return [(f["rule"], f["severity"]) for f in report(outcome)["findings"]]


def feature(repo, files: dict[str, str]):
    repo.commit("chore: start", {"app.py": "x = 1\n", **files})
    repo.branch("develop")
    repo.branch("feature/login")
    return repo


def test_a_file_in_another_format_is_one_finding_naming_it(repo, gate):
    repo.commit(
        "chore: start",
        {"CHANGELOG.md": CONVENTIONAL, ".gate.yaml": "changelog:\n  format: keep-a-changelog\n"},
    )
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 1
    assert rules(outcome) == [("changelog.format", "error")]
    finding = report(outcome)["findings"][0]
    assert (
        finding["message"] == "CHANGELOG.md looks like conventional-changelog, not keep-a-changelog"
    )
    assert "changelog.format: conventional-changelog" in finding["hint"]
    written = gate("changelog", "--write")
    assert written.code != 0
    assert "looks like conventional-changelog" in written.err
    assert (repo.path / "CHANGELOG.md").read_text() == CONVENTIONAL
    repo.write(".gate.yaml", "changelog:\n  format: auto\n")
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 0, outcome.out
    assert "valid (conventional-changelog), 3 release(s)" in report(outcome)["summary"]


def test_problems_in_another_format_keep_their_real_lines(repo, gate):
    broken = CONVENTIONAL.replace("(2024-04-01)", "(2024-04-31)")
    repo.commit("chore: start", {"CHANGELOG.md": broken})
    outcome = gate("check", "changelog", "--format", "json")
    assert rules(outcome) == [("changelog.date", "error")]
    line = report(outcome)["findings"][0]["line"]
    assert broken.splitlines()[line - 1].startswith("# [1.0.0]")


def test_release_please_repositories_take_the_commit_as_the_entry(repo, gate):
    feature(repo, {"CHANGELOG.md": CONVENTIONAL, "release-please-config.json": "{}\n"})
    repo.commit("feat: login form", {"app.py": "x = 2\n"})
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 0, outcome.out
    assert rules(outcome) == [("changelog.from-commits", "note")]
    assert "release-please writes CHANGELOG.md at release time" in report(outcome)["summary"]
    repo.commit("Login form, second try", {"app.py": "x = 3\n"})
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 1
    assert rules(outcome) == [("changelog.entry", "error")]
    assert (
        "is not a Conventional Commit, so release-please"
        in report(outcome)["findings"][0]["message"]
    )


def test_towncrier_needs_a_well_named_fragment(repo, gate):
    pyproject = (
        '[tool.towncrier]\ndirectory = "changes"\n\n[[tool.towncrier.type]]\n'
        'directory = "feature"\nname = "Features"\nshowcontent = true\n'
    )
    text = "# Changelog\n\n<!-- towncrier release notes start -->\n\n## 1.0.0 (2024-01-01)\n\n- x\n"
    feature(repo, {"CHANGELOG.md": text, "pyproject.toml": pyproject, "changes/.gitkeep": ""})
    repo.commit("feat: login form", {"app.py": "x = 2\n"})
    outcome = gate("check", "changelog", "--format", "json")
    assert rules(outcome) == [("changelog.entry", "error")]
    assert "adds no towncrier fragment in changes/" in report(outcome)["findings"][0]["message"]
    repo.commit("docs: fragment", {"changes/12.feat.md": "Login form.\n"})
    outcome = gate("check", "changelog", "--format", "json")
    assert rules(outcome) == [("changelog.fragment", "error")]
    assert report(outcome)["findings"][0]["path"] == "changes/12.feat.md"
    repo.git("mv", "changes/12.feat.md", "changes/12.feature.md")
    repo.commit("docs: rename fragment")
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 0, outcome.out
    assert "valid (towncrier), 1 release(s)" in report(outcome)["summary"]


def test_changesets_need_a_changeset(repo, gate):
    changelog = "# widget\n\n## 1.0.0\n\n### Major Changes\n\n- abc1234: first\n"
    feature(repo, {"CHANGELOG.md": changelog, ".changeset/config.json": "{}\n"})
    repo.commit("feat: login form", {"app.py": "x = 2\n"})
    assert rules(gate("check", "changelog", "--format", "json")) == [("changelog.entry", "error")]
    repo.commit("docs: changeset", {".changeset/brave-cats.md": '---\n"widget": big\n---\n\nX\n'})
    outcome = gate("check", "changelog", "--format", "json")
    assert rules(outcome) == [("changelog.fragment", "error")]
    assert report(outcome)["findings"][0]["line"] == 2
    repo.write(".changeset/brave-cats.md", '---\n"widget": minor\n---\n\nLogin form.\n')
    repo.commit("docs: changeset")
    assert gate("check", "changelog").code == 0


def test_pallets_changes_md_is_found_and_needs_a_line_under_the_pending_version(repo, gate):
    feature(repo, {"CHANGES.md": PALLETS})
    repo.commit("feat: login form", {"app.py": "x = 2\n"})
    outcome = gate("check", "changelog", "--format", "json")
    assert rules(outcome) == [("changelog.entry", "error")]
    finding = report(outcome)["findings"][0]
    assert (finding["path"], finding["line"]) == ("CHANGES.md", 1)
    assert gate("changelog", "--unreleased", "--write").code == 0
    text = (repo.path / "CHANGES.md").read_text()
    assert text == PALLETS.replace("{pr}`7`\n", "{pr}`7`\n- Login form\n", 1)
    repo.commit("docs: changes")
    assert gate("check", "changelog").code == 0


def test_gate_release_writes_a_conventional_changelog_section(repo, gate):
    repo.git("remote", "add", "origin", "https://github.com/acme/widget.git")
    repo.commit(
        "feat: first",
        {
            "CHANGELOG.md": CONVENTIONAL,
            ".gate.yaml": "stages:\n  ci: []\n",
            "pyproject.toml": '[project]\nname = "w"\nversion = "1.1.0"\n',
        },
    )
    repo.tag("v1.1.0", message="1.1.0")
    repo.commit("feat(auth): login form (#31)", {"auth.py": "x = 1\n"})
    fix = repo.commit("fix: crash", {"auth.py": "x = 2\n"})
    outcome = gate("release")
    assert outcome.code == 0, outcome.err
    text = (repo.path / "CHANGELOG.md").read_text()
    day = repo.git("log", "-1", "--format=%cs", "v1.2.0")
    feat = repo.git("rev-parse", "HEAD~2")
    web = "https://github.com/acme/widget"
    assert text == CONVENTIONAL.replace(
        "## [1.1.0]",
        f"## [1.2.0]({web}/compare/v1.1.0...v1.2.0) ({day})\n\n\n### Features\n\n"
        f"* **auth:** login form ([#31]({web}/issues/31)) ([{feat[:7]}]({web}/commit/{feat}))"
        f"\n\n\n### Bug Fixes\n\n* crash ([{fix[:7]}]({web}/commit/{fix}))\n\n## [1.1.0]",
        1,
    )
    assert gate("check", "changelog").code == 0


def test_gate_release_marks_the_pallets_version_released(repo, gate):
    repo.commit(
        "feat: first",
        {
            "CHANGES.md": PALLETS,
            ".gate.yaml": "stages:\n  ci: []\n",
            "pyproject.toml": '[project]\nname = "w"\nversion = "1.1.0"\n',
        },
    )
    repo.tag("v1.1.0", message="1.1.0")
    repo.commit("feat: search api", {"auth.py": "x = 1\n"})
    outcome = gate("release")
    assert outcome.code == 0, outcome.err
    text = (repo.path / "CHANGES.md").read_text()
    day = repo.git("log", "-1", "--format=%cs", "v1.2.0")
    assert text.startswith(
        f"## Version 1.2.0\n\nReleased {day}\n\n- Dark mode. {{pr}}`7`\n- Search api\n\n"
    )
    assert text.endswith(PALLETS[PALLETS.index("## Version 1.1.0") :])
    notes = gate("release", "--notes", "1.2.0")
    assert notes.out == "- Dark mode. {pr}`7`\n- Search api\n"


def test_the_writer_keeps_a_keep_a_changelog_file_as_before(repo, gate):
    repo.commit("feat: first", {"CHANGELOG.md": KAC})
    repo.tag("v1.0.0", message="1.0.0")
    repo.commit("fix: crash")
    assert gate("changelog", "--write").code == 0
    text = (repo.path / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- Crash (`")
    assert gate("changelog", "--write").out.strip() == "CHANGELOG.md: up to date"


def test_a_git_cliff_release_is_written_as_git_cliff_writes_it(repo, gate):
    """git-cliff's default template (`git cliff --init`) writes the whole file; with one
    release taken out, `gate changelog --write` puts it back byte for byte."""
    from tests.changelog.test_agreement_with_git_cliff import GIT_CLIFF

    assert GIT_CLIFF, "git-cliff is a development dependency: pip install -e '.[dev]'"
    repo.commit("feat: first thing", date="2026-02-01T12:00:00Z")
    repo.commit("fix(api): null pointer", date="2026-02-02T12:00:00Z")
    repo.tag("v0.1.0", message="0.1.0")
    repo.commit("feat(ui): dark mode", date="2026-02-03T12:00:00Z")
    repo.commit("feat: second feature", date="2026-02-04T12:00:00Z")
    repo.commit("fix: crash on start", date="2026-02-05T12:00:00Z")
    repo.commit("docs: readme", date="2026-02-06T12:00:00Z")
    repo.tag("v0.2.0", message="0.2.0")
    repo.commit("feat: pending thing", date="2026-02-07T12:00:00Z")
    subprocess.run([GIT_CLIFF, "--init"], cwd=repo.path, check=True, capture_output=True)
    subprocess.run(
        [GIT_CLIFF, "-o", "CHANGELOG.md"], cwd=repo.path, check=True, capture_output=True
    )
    path = repo.path / "CHANGELOG.md"
    original = path.read_text(encoding="utf-8")
    assert cf.detect(original)[0] == "git-cliff"
    start, end = original.index("## [0.2.0]"), original.index("## [0.1.0]")
    path.write_text(original[:start] + original[end:], encoding="utf-8")
    assert gate("changelog", "--write").code == 0
    assert path.read_text(encoding="utf-8") == original
    assert gate("changelog", "--write").out.strip() == "CHANGELOG.md: up to date"


# What `cz changelog` (commitizen 4.19.3, default configuration, tag_format v$version) wrote for
# the history of the test below.
COMMITIZEN_OUTPUT = """## Unreleased

### Feat

- pending thing

## v0.2.0 (2026-02-06)

### Feat

- second feature
- **ui**: dark mode

### Fix

- crash on start

### Refactor

- drop old api

## v0.1.0 (2026-02-02)

### Feat

- first thing

### Fix

- **api**: null pointer
"""


def test_a_commitizen_release_is_written_as_cz_writes_it(repo, gate):
    repo.commit("feat: first thing", date="2026-02-01T12:00:00Z")
    repo.commit("fix(api): null pointer", date="2026-02-02T12:00:00Z")
    repo.tag("v0.1.0", message="0.1.0")
    for day, message in enumerate(
        ["feat(ui): dark mode", "feat: second feature", "fix: crash on start"], start=3
    ):
        repo.commit(message, date=f"2026-02-0{day}T12:00:00Z")
    repo.commit("refactor!: drop old api", date="2026-02-06T11:00:00Z")
    repo.commit("docs: readme", date="2026-02-06T12:00:00Z")
    repo.tag("v0.2.0", message="0.2.0")
    repo.commit("feat: pending thing", date="2026-02-07T12:00:00Z")
    start = COMMITIZEN_OUTPUT.index("## v0.2.0")
    end = COMMITIZEN_OUTPUT.index("## v0.1.0")
    without = COMMITIZEN_OUTPUT[:start] + COMMITIZEN_OUTPUT[end:]
    repo.write("CHANGELOG.md", without)
    assert gate("changelog", "--write").code == 0
    assert (repo.path / "CHANGELOG.md").read_text() == COMMITIZEN_OUTPUT
    assert gate("changelog", "--write").out.strip() == "CHANGELOG.md: up to date"


def test_a_changesets_monorepo_checks_each_package_and_the_changeset(repo, gate):
    package = "# @acme/a\n\n## 1.0.0\n\n### Major Changes\n\n- abc1234: first\n"
    feature(
        repo,
        {
            ".changeset/config.json": "{}\n",
            "packages/a/CHANGELOG.md": package,
            "packages/b/CHANGELOG.md": package.replace("### Major", "### Huge"),
            "node_modules/x/CHANGELOG.md": "whatever\n",
        },
    )
    repo.commit("feat: login form", {"packages/a/index.js": "x\n"})
    outcome = gate("check", "changelog", "--format", "json")
    assert [(f["rule"], f["path"]) for f in report(outcome)["findings"]] == [
        ("changelog.category", "packages/b/CHANGELOG.md"),
        ("changelog.entry", "the package changelogs"),
    ]
    assert report(outcome)["summary"] == "2 package changelog(s): 2 problem(s)"
    repo.write("packages/b/CHANGELOG.md", package)
    repo.commit(
        "docs: changeset", {".changeset/calm-dogs.md": '---\n"@acme/a": minor\n---\n\nX.\n'}
    )
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 0, outcome.out
    assert report(outcome)["summary"] == "2 package changelog(s): valid (changesets)"


def test_a_file_in_no_known_format_is_one_finding(repo, gate):
    text = "# News\n\n## Version 1.1 (May 2024)\n\n* a\n\n## Version 1.0 (April 2024)\n\n* b\n"
    repo.commit("chore: start", {"CHANGELOG.md": text})
    outcome = gate("check", "changelog", "--format", "json")
    assert outcome.code == 1
    assert rules(outcome) == [("changelog.format", "error")]
    assert "none of the changelog formats" in report(outcome)["findings"][0]["message"]


def test_plain_headings_take_the_entry_under_the_version_in_the_making(repo, gate):
    """git-flow-avh's way: the newest heading is the next version's (`1.1.1-dev0`)."""
    from tests.changelog.test_formats import PLAIN

    repo.commit(
        "chore: start", {"CHANGELOG.md": PLAIN, ".gate.yaml": "changelog:\n  format: auto\n"}
    )
    repo.branch("develop")
    repo.branch("feature/thing")
    repo.commit("feat: thing", {"thing.txt": "1\n"})
    missing = gate("check", "changelog", "--base", "develop")
    assert missing.code == 1 and "no entry" in missing.out
    repo.commit(
        "docs: the entry",
        {"CHANGELOG.md": PLAIN.replace("* Preparation", "* Feature: the thing.\n* Preparation")},
    )
    assert gate("check", "changelog", "--base", "develop").code == 0
