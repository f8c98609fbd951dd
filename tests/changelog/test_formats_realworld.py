"""Changelogs of real projects (../shared/realworld), each in its own format: detected, parsed
with no error but the ones really in the file, written back byte for byte, and regenerated
from the commits by `gate changelog` with the same feat/fix entries.

Expected values come from the files and from git, never from our own output.
"""

from __future__ import annotations

import json
import re

import pytest

from gates.adapters.changelog_tooling import locate
from gates.knowledge import changelog_formats as cf
from gates.knowledge.changelog_formats._shared import plain
from tests.bundles import clone, git, show

# (bundle, revision, file, format, versions whose section is written back byte for byte)
CASES = {
    "release-please": (
        "release-please",
        "HEAD",
        "CHANGELOG.md",
        "conventional-changelog",
        ("17.11.1", "17.11.0", "17.10.4"),
    ),
    "keep-a-changelog": (
        "keep-a-changelog",
        "HEAD",
        "CHANGELOG.md",
        "keep-a-changelog",
        ("1.1.2", "1.1.0", "0.3.0"),
    ),
    "click": ("click", "HEAD", "CHANGES.md", "pallets", ("8.4.2", "8.4.1", "8.4.0")),
    "click-rst": ("click", "03d3b8a^", "CHANGES.rst", "rst", ("8.4.1", "8.4.0", "8.3.3")),
    "attrs": ("attrs", "HEAD", "CHANGELOG.md", "towncrier", ("26.1.0", "25.4.0", "25.3.0")),
    "attrs-rst": (
        "attrs",
        "afe2111^",
        "CHANGELOG.rst",
        "towncrier",
        ("21.4.0", "21.3.0", "21.2.0"),
    ),
    "gitflow-avh": ("gitflow-avh", "HEAD", "CHANGELOG.md", "plain", ("1.12.3", "1.12.2", "1.4.2")),
    "changesets-cli": (
        "changesets",
        "HEAD",
        "packages/cli/CHANGELOG.md",
        "changesets",
        ("3.0.1", "3.0.0", "3.0.0-next.12"),
    ),
}


@pytest.fixture(scope="module")
def clones(tmp_path_factory):
    root = tmp_path_factory.mktemp("realworld")
    return lambda name: clone(name, root)


def text_of(clones, case: str) -> str:
    name, rev, path, _fmt, _versions = CASES[case]
    repo = clones(name)
    return (repo / path).read_text(encoding="utf-8") if rev == "HEAD" else show(repo, rev, path)


@pytest.mark.parametrize("case", list(CASES))
def test_real_changelogs_are_read_in_their_own_format_without_errors(clones, case):
    format_name = CASES[case][3]
    text = text_of(clones, case)
    assert cf.resolve("auto", text, None) == format_name or cf.detect(text)[0] is None
    fmt = cf.get(format_name)
    changelog = fmt.parse(text)
    assert len(changelog.releases) > 10
    problems = [(p.rule, p.line) for p in fmt.validate(changelog)]
    # The one defect really in these files: release-please's CHANGELOG.md lists 13.16.3 three
    # times (one cause, one finding, at the second); every other file has none.
    repeated = [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if re.match(r"^#+ \[13\.16\.3\]", line)
    ][1:2]
    assert problems == [("duplicate", n) for n in (repeated if case == "release-please" else [])]
    for section in changelog.sections:
        assert str(section.title) in text.splitlines()[section.line - 1]


def test_every_changesets_package_changelog_reads_without_errors(clones):
    repo = clones("changesets")
    fmt = cf.get("changesets")
    files = sorted(repo.glob("packages/*/CHANGELOG.md"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert cf.detect(text)[0] == "changesets", path
        assert fmt.validate(fmt.parse(text)) == [], path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("release-please", ("conventional-changelog", "CHANGELOG.md", "release-please")),
        ("keep-a-changelog", ("keep-a-changelog", "CHANGELOG.md", None)),
        ("click", ("pallets", "CHANGES.md", None)),
        ("attrs", ("towncrier", "CHANGELOG.md", "towncrier")),
        ("changesets", ("changesets", "CHANGELOG.md", "changesets")),
        ("gitflow-avh", ("plain", "CHANGELOG.md", None)),
    ],
)
def test_the_format_is_found_from_the_repository(clones, name, expected):
    located = locate(clones(name), {"file": "CHANGELOG.md"})
    assert (located.format.name, located.name, located.tooling.tool) == expected
    if name == "attrs":
        assert located.tooling.fragment_dir == "changelog.d"
        assert located.tooling.fragment_types == ("breaking", "deprecation", "change")


@pytest.mark.parametrize("case", [c for c in CASES if CASES[c][4]])
def test_real_releases_are_written_back_byte_for_byte(clones, case):
    _name, _rev, _path, format_name, versions = CASES[case]
    text = text_of(clones, case)
    fmt = cf.get(format_name)
    changelog = fmt.parse(text)
    lines = text.splitlines(keepends=True)
    for version in versions:
        section = changelog.section(version)
        assert section is not None, version
        start = section.line - 1
        without = "".join(lines[:start] + lines[section.end - 1 :])
        groups = (
            {c.name: c.entries for c in section.categories}
            if section.categories
            else {"": section.loose_entries}
        )
        written = fmt.insert_release(
            without, version, section.date or "", groups, link=section.link
        )
        assert written == text, version


def _file_entries(section) -> set[str]:
    """The feat/fix entries of a release-please section, without links, scopes and shas."""
    found = set()
    for category in section.categories:
        if category.name not in ("Features", "Bug Fixes"):
            continue
        for entry in category.entries:
            text = re.sub(r"\(\[[0-9a-f]{7,}\]\([^)]*\)\)", "", entry)
            text = re.sub(r"\[(#\d+)\]\([^)]*\)", r"\1", text)
            text = re.sub(r"^\*\*[^*]+:\*\* ", "", text)
            text = re.sub(r", closes .*$", "", text)
            found.add(plain(text).lower())
    return found


def test_gate_changelog_gives_release_please_s_feat_and_fix_entries(clones, gate, monkeypatch):
    """The last three releases: every feat/fix entry gate finds is in the file (3 of 3), and 3
    of the file's 5 are found; the other 2 come from `chore:` commits that release-please's
    maintainers listed as fixes (a release-time override git does not record)."""
    repo = clones("release-please")
    monkeypatch.chdir(repo)
    outcome = gate("changelog", "--format", "json")
    assert outcome.code == 0, outcome.err
    releases = [r for r in json.loads(outcome.out)["releases"] if r["version"]][:3]
    changelog = cf.get("conventional-changelog").parse((repo / "CHANGELOG.md").read_text())
    file_entries: set[str] = set()
    gate_entries: set[str] = set()
    for release in releases:
        section = changelog.section(release["version"])
        assert section is not None
        file_entries |= {(release["version"], e) for e in _file_entries(section)}
        gate_entries |= {
            (release["version"], plain(c["description"]).lower())
            for c in release["changes"]
            if c["type"] in ("feat", "fix")
        }
    common = file_entries & gate_entries
    assert [r["version"] for r in releases] == ["17.11.1", "17.11.0", "17.10.4"]
    assert len(common) == len(gate_entries) == 3
    assert len(file_entries) == 5
    for version, entry in file_entries - gate_entries:
        sha = git(repo, "log", "--format=%H %s", f"v{version}", "-i", "--grep", entry[:30])
        assert " chore" in sha, (version, entry)


def test_gate_changelog_write_rebuilds_a_release_please_section(clones, gate, monkeypatch):
    """With the two newest sections removed, `--write` puts 17.11.0 back as release-please wrote
    it, but for its date (release-please dates the release PR, git the tagged commit)."""
    repo = clones("release-please")
    git(repo, "remote", "set-url", "origin", "https://github.com/googleapis/release-please.git")
    monkeypatch.chdir(repo)
    path = repo / "CHANGELOG.md"
    original = path.read_text(encoding="utf-8")
    start, end = original.index("## [17.11.1]"), original.index("## [17.10.4]")
    path.write_text(original[:start] + original[end:], encoding="utf-8")
    try:
        assert gate("changelog", "--write").code == 0
        written = path.read_text(encoding="utf-8")
        assert gate("changelog", "--write").out.strip() == "CHANGELOG.md: up to date"
    finally:
        path.write_text(original, encoding="utf-8")
    section = original[original.index("## [17.11.0]") : end]
    ours = written[written.index("## [17.11.0]") : written.index("## [17.10.4]")]
    assert ours == section.replace("(2026-07-28)", f"({_tag_day(repo, 'v17.11.0')})")
    assert written.endswith(original[end:])
    assert written[:start] == original[:start]


def _tag_day(repo, tag: str) -> str:
    import datetime as dt

    seconds = int(git(repo, "log", "-1", "--format=%ct", tag).strip())
    return dt.datetime.fromtimestamp(seconds, dt.UTC).date().isoformat()


@pytest.mark.parametrize("name", ["click", "attrs", "changesets"])
def test_the_gate_passes_real_changelogs_in_their_formats(clones, gate, monkeypatch, name):
    monkeypatch.chdir(clones(name))
    outcome = gate("check", "changelog")
    assert outcome.code == 0, outcome.out
    assert "valid (" in outcome.out


def test_a_missing_bundle_fails_in_ci_and_skips_elsewhere(monkeypatch):
    import tests.bundles as bundles

    monkeypatch.setattr(bundles, "SHARED", bundles.SHARED / "nowhere")
    monkeypatch.setattr(bundles, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="absent in CI"):
        bundles.bundle("attrs")
    monkeypatch.setattr(bundles, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception):
        bundles.bundle("attrs")
