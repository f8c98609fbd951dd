"""Which release tool a repository uses, read from its configuration files in a tmp folder."""

from __future__ import annotations

import pytest

from gates.adapters.changelog_tooling import changelog_path, locate, scan
from gates.errors import GateError


@pytest.mark.parametrize(
    ("files", "tool", "fmt", "rule"),
    [
        ({}, None, None, None),
        (
            {"release-please-config.json": "{}"},
            "release-please",
            "conventional-changelog",
            "commit",
        ),
        (
            {".release-please-manifest.json": "{}"},
            "release-please",
            "conventional-changelog",
            "commit",
        ),
        ({".releaserc.json": "{}"}, "semantic-release", "conventional-changelog", "commit"),
        (
            {"package.json": '{"release": {"branches": ["main"]}}'},
            "semantic-release",
            "conventional-changelog",
            "commit",
        ),
        (
            {"package.json": '{"devDependencies": {"standard-version": "9"}}'},
            "standard-version",
            "conventional-changelog",
            "commit",
        ),
        ({".versionrc": "{}"}, "standard-version", "conventional-changelog", "commit"),
        ({".cz.toml": "[tool.commitizen]\n"}, "commitizen", "commitizen", "commit"),
        (
            {"pyproject.toml": "[tool.commitizen]\nname = 'cz'\n"},
            "commitizen",
            "commitizen",
            "commit",
        ),
        ({"cliff.toml": "[changelog]\n"}, "git-cliff", "git-cliff", "commit"),
        ({"towncrier.toml": "[tool.towncrier]\n"}, "towncrier", "towncrier", "fragment"),
        ({".changeset/config.json": "{}"}, "changesets", "changesets", "fragment"),
        ({"pyproject.toml": "not toml [", "package.json": "[1, 2]"}, None, None, None),
    ],
)
def test_the_release_tool_is_read_from_its_configuration(tmp_path, files, tool, fmt, rule):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    tooling = scan(tmp_path)
    assert (tooling.tool, tooling.format, tooling.entry_rule) == (tool, fmt, rule)


def test_towncrier_directory_types_and_file(tmp_path):
    (tmp_path / "changes").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.towncrier]\nfilename = "NEWS.rst"\n\n[tool.towncrier.types]\nfix = {}\nnew = {}\n'
    )
    tooling = scan(tmp_path)
    assert (tooling.fragment_dir, tooling.fragment_types) == ("changes", ("fix", "new"))
    assert changelog_path(tmp_path, "CHANGELOG.md", tooling) == "NEWS.rst"
    (tmp_path / "pyproject.toml").write_text("[tool.towncrier]\n")
    (tmp_path / "changes").rmdir()
    tooling = scan(tmp_path)
    assert tooling.fragment_dir == "newsfragments"
    assert tooling.fragment_types == ("feature", "bugfix", "doc", "removal", "misc")


def test_the_changelog_file_is_the_policy_s_else_the_first_that_exists(tmp_path):
    tooling = scan(tmp_path)
    assert changelog_path(tmp_path, "CHANGELOG.md", tooling) == "CHANGELOG.md"
    (tmp_path / "HISTORY.rst").write_text("x\n")
    assert changelog_path(tmp_path, None, tooling) == "HISTORY.rst"
    (tmp_path / "CHANGES.md").write_text("x\n")
    assert changelog_path(tmp_path, "CHANGELOG.md", tooling) == "CHANGES.md"
    assert changelog_path(tmp_path, "docs/changes.md", tooling) == "docs/changes.md"
    (tmp_path / "CHANGELOG.md").write_text("x\n")
    assert changelog_path(tmp_path, None, tooling) == "CHANGELOG.md"


def test_locate_refuses_a_file_in_another_format_than_configured(tmp_path):
    (tmp_path / "CHANGELOG.md").write_text("## 1.0.0 (2024-01-01)\n\n### Features\n\n* x\n")
    assert locate(tmp_path, {}).format.name == "conventional-changelog"
    with pytest.raises(GateError, match="looks like conventional-changelog, not commitizen"):
        locate(tmp_path, {"format": "commitizen"})
    assert locate(tmp_path / "none", {"format": "rst"}).text is None
