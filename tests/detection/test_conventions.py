"""Zero-config: each convention is detected from a real repository built in the test, applied
where the policy leaves its key out, and named once in the report's note."""

from __future__ import annotations

import json

import pytest

from gates.adapters.conventions import detect
from gates.adapters.version_files import detect_sources
from gates.knowledge.conventions import tag_format_of
from gates.knowledge.gitflow import BOT_BRANCHES
from gates.policy import load_policy


@pytest.fixture(autouse=True)
def _detection_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GATE_DETECT", raising=False)


def values(root) -> dict[str, object]:
    detection = detect(root)
    assert detection is not None
    return {item.key: item.value for item in detection.values}


def clone_of(repo, tmp_path, name: str = "clone"):
    """A clone of `repo`, as a forge gives one: origin/HEAD set."""
    target = tmp_path / name
    repo.git("clone", "-q", str(repo.path), str(target))
    return target


def test_the_default_branch_comes_from_origin_head(repo, tmp_path):
    repo.git("checkout", "-q", "-b", "master")
    repo.commit("feat: first")
    repo.git("branch", "-D", "main") if "main" in repo.git("branch") else None
    clone = clone_of(repo, tmp_path)
    found = values(clone)
    assert found["branches.main"] == "master"
    policy = load_policy(clone)
    assert policy.data["branches"]["main"] == "master"
    assert policy.data["branches"]["develop"] is None  # no develop: the trunk preset
    assert policy.detected.preset == "trunk"
    assert "origin/HEAD" in policy.detected.note()


def test_without_origin_master_is_found_by_name(repo):
    repo.git("checkout", "-q", "-b", "master")
    repo.commit("feat: first")
    assert values(repo.path)["branches.main"] == "master"


def test_a_develop_branch_keeps_git_flow_and_main_is_not_develop(repo, tmp_path):
    repo.commit("feat: first")
    repo.branch("develop")
    repo.commit("feat: second")
    clone = clone_of(repo, tmp_path)  # origin/HEAD points to develop, as in gitflow-avh
    detection = detect(clone)
    assert detection.preset == "gitflow"
    found = {item.key: item.value for item in detection.values}
    assert found["branches.main"] == "main"
    assert load_policy(clone).data["branches"]["develop"] == "develop"


def test_the_tag_format_is_the_one_most_release_tags_follow(repo):
    for number, tag in enumerate(["1.0.0", "1.1.0", "v1.9.0", "1.2.0"]):
        repo.commit(f"feat: change {number}")
        repo.tag(tag)
    detection = detect(repo.path)
    found = {item.key: item.value for item in detection.values}
    assert found["versioning.tag_format"] == "{version}"
    assert any("v1.9.0" in remark for remark in detection.remarks)
    assert load_policy(repo.path).data["versioning"]["tag_format"] == "{version}"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("v1.2.3", "v{version}"),
        ("1.2.3", "{version}"),
        ("cli@1.2.3", "cli@{version}"),
        ("cli-v1.2.3", "cli-v{version}"),
        ("cli/v1.2.3", "cli/v{version}"),
        ("release-1.2", None),
    ],
)
def test_each_tag_shape_has_its_format(tag, expected):
    assert tag_format_of(tag) == expected


def test_one_tag_per_package_is_not_a_single_tag_format(repo):
    for number, tag in enumerate(["@x/a@1.0.0", "@x/b@1.0.0", "@x/a@1.1.0", "@x/b@2.0.0"]):
        repo.commit(f"feat: change {number}")
        repo.tag(tag)
    detection = detect(repo.path)
    assert "versioning.tag_format" not in {item.key for item in detection.values}
    assert any("2 packages" in remark for remark in detection.remarks)


def test_a_key_the_policy_sets_is_not_overridden(repo):
    repo.git("checkout", "-q", "-b", "master")
    repo.commit("feat: first", {".gate.yaml": "branches:\n  main: trunk\n"})
    repo.tag("1.0.0")
    policy = load_policy(repo.path)
    assert policy.data["branches"]["main"] == "trunk"
    assert policy.data["versioning"]["tag_format"] == "{version}"  # left out: detected
    assert "default branch" not in policy.detected.note()


@pytest.mark.parametrize(
    ("files", "tool"),
    [
        ({"cliff.toml": "[changelog]\n"}, "git-cliff"),
        ({"release-please-config.json": "{}"}, "release-please"),
        ({".releaserc.json": "{}"}, "semantic-release"),
        ({"package.json": json.dumps({"name": "x", "release": {}})}, "semantic-release"),
        ({".changeset/config.json": "{}"}, "changesets"),
        ({"towncrier.toml": "[tool.towncrier]\n"}, "towncrier"),
        ({"pyproject.toml": "[tool.towncrier]\ndirectory = 'changelog.d'\n"}, "towncrier"),
        ({"pyproject.toml": "[tool.commitizen]\nname = 'cz'\n"}, "commitizen"),
    ],
)
def test_release_tooling_that_writes_the_changelog_asks_no_entry(repo, files, tool):
    repo.commit("feat: first", files)
    detection = detect(repo.path)
    assert tool in detection.tools
    policy = load_policy(repo.path)
    assert policy.data["changelog"]["required_on"] == []
    assert tool in policy.detected.note()


def test_no_release_tooling_keeps_the_entry_rule(repo):
    repo.commit("feat: first", {"README.md": "x"})
    assert detect(repo.path).tools == ()
    assert load_policy(repo.path).data["changelog"]["required_on"] == ["feature", "bugfix"]


@pytest.mark.parametrize(
    ("files", "source", "test"),
    [
        ({f"src/m{i}.rs": "fn x() {}" for i in range(3)}, "src/lib.rs", "tests/it.rs"),
        ({f"pkg/m{i}.go": "package pkg" for i in range(3)}, "pkg/a.go", "pkg/a_test.go"),
        ({f"src/m{i}.ts": "export {}" for i in range(3)}, "src/a.ts", "src/a.test.ts"),
        (
            {f"src/main/java/M{i}.java": "class M {}" for i in range(3)},
            "src/main/java/A.java",
            "src/test/java/ATest.java",
        ),
        ({f"bin/tool{i}.sh": "echo" for i in range(3)}, "bin/tool.sh", "test/tool_test.sh"),
    ],
)
def test_the_languages_give_the_source_and_test_globs(repo, files, source, test):
    from gates.knowledge.globs import matcher

    repo.commit("feat: first", files)
    section = load_policy(repo.path).data["tests_with_code"]
    is_test = matcher(section["tests"])
    is_source = matcher(section["source"])
    is_exempt = matcher(section["exempt_paths"])
    assert is_source(source) and not is_test(source) and not is_exempt(source)
    assert is_test(test)
    assert not is_source("README.md") or is_exempt("README.md")


def test_a_python_repository_keeps_the_presets_globs(repo):
    repo.commit("feat: first", {f"pkg/m{i}.py": "x = 1" for i in range(3)})
    assert "tests_with_code.source" not in values(repo.path)


def test_bot_branches_are_allowed_by_the_preset(repo, gate):
    repo.commit("feat: first")
    for name in ["dependabot/pip/rich-13.0", "renovate/lodash-4.x", "gh-readonly-queue/main/pr-1"]:
        assert gate("check", "branch-name", name).code == 0, name
    assert "^dependabot/.+$" in BOT_BRANCHES


def test_version_sources_cargo_private_package_and_placeholder(repo):
    repo.commit(
        "feat: first",
        {
            "Cargo.toml": '[workspace]\nmembers = ["a"]\n[workspace.package]\nversion = "1.4.0"\n',
            "package.json": json.dumps(
                {"name": "root", "private": True, "version": "9.9.9", "workspaces": ["a"]}
            ),
        },
    )
    sources = detect_sources(repo.path)
    assert [(s.file, s.key, s.version) for s in sources] == [
        ("Cargo.toml", "workspace.package.version", "1.4.0")
    ]
    repo.write("package.json", json.dumps({"name": "x", "version": "0.0.0-development"}))
    placeholder = [s for s in detect_sources(repo.path) if s.file == "package.json"]
    assert placeholder[0].dynamic and "lives in the tags" in placeholder[0].via


def test_the_report_carries_one_note_of_what_was_detected(repo, gate):
    repo.git("checkout", "-q", "-b", "master")
    repo.commit("feat: first")
    repo.tag("1.0.0")
    out = gate("run", "--format", "json")
    report = json.loads(out.out)
    notes = [f for r in report["results"] for f in r["findings"] if f["rule"] == "policy.detected"]
    assert len(notes) == 1
    assert "default branch master" in notes[0]["message"]
    assert "tag format {version}" in notes[0]["message"]
    assert "detected in the repository" in report["policy"]["sources"]


def test_gate_detect_0_turns_detection_off(repo, monkeypatch):
    repo.git("checkout", "-q", "-b", "master")
    repo.commit("feat: first")
    monkeypatch.setenv("GATE_DETECT", "0")
    assert detect(repo.path) is None
    assert load_policy(repo.path).data["branches"]["main"] == "main"


def test_a_private_pnpm_workspace_root_is_no_version_source(repo):
    repo.commit(
        "feat: first",
        {
            "package.json": json.dumps({"name": "root", "private": True, "version": "1.0.0"}),
            "pnpm-workspace.yaml": "packages: ['packages/*']\n",
        },
    )
    assert detect_sources(repo.path) == []
    repo.git("rm", "-q", "pnpm-workspace.yaml")
    assert [s.file for s in detect_sources(repo.path)] == ["package.json"]  # a private app


def test_the_pre_commit_hook_applies_the_detected_branches(repo, gate):
    repo.git("checkout", "-q", "-b", "master")
    repo.commit("feat: first")
    result = gate("hook", "pre-commit")
    assert result.code == 1
    assert "'master' is protected" in result.out  # master is the production branch here
    assert "branch-name.prefix" not in result.out
    repo.branch("feature/x")
    assert gate("hook", "pre-commit").code == 0


def test_branch_prefixes_already_in_use_are_kept(repo, gate):
    repo.commit("feat: first")
    for name in ["feat/login", "feat/search", "fix/crash", "fix/typo", "feature-x"]:
        repo.git("branch", name)
    found = values(repo.path)
    assert found["branches.prefixes.feature"] == "feat/"
    assert found["branches.prefixes.bugfix"] == "fix/"
    assert gate("check", "branch-name", "feat/new-thing").code == 0
    repo.git("branch", "feature/one")  # the preset's spelling in use: nothing detected
    assert "branches.prefixes.feature" not in values(repo.path)


def test_fixtures_and_vendored_files_do_not_make_a_language(repo):
    files = {f"src/m{i}.ts": "export {}" for i in range(3)}
    files.update({f"test/fixtures/p{i}.py": "x = 1" for i in range(3)})
    files.update({f"node_modules/a/m{i}.go": "package a" for i in range(3)})
    repo.commit("feat: first", files)
    detection = detect(repo.path)
    assert any(r.startswith("languages: JavaScript/TypeScript (") for r in detection.remarks)


def test_in_review_the_conventions_are_read_from_the_target_not_from_the_change(repo, gate):
    repo.commit("feat: first", {"README.md": "x"})
    repo.branch("feature/release-tool")
    repo.commit("feat: a release tool", {"cliff.toml": "[changelog]\n"})
    own = json.loads(gate("run", "--only", "branch-name", "--format", "json").out)
    judged = json.loads(
        gate("run", "--only", "branch-name", "--policy-from", "main", "--format", "json").out
    )

    def note(report) -> str:
        return next(
            f["message"]
            for r in report["results"]
            for f in r["findings"]
            if f["rule"] == "policy.detected"
        )

    assert "git-cliff" in note(own)
    assert "git-cliff" not in note(judged)  # the change cannot pick its own rules
