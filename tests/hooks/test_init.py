"""`gate init`: a commented .gate.yaml tuned to the repository, valid, never overwritten silently."""

import pytest
import yaml

from gates.policy import load_policy

PRE_COMMIT_CONFIG = """\
# our hooks
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
      - id: end-of-file-fixer
"""


def _policy(repo):
    text = (repo.path / ".gate.yaml").read_text()
    return text, yaml.safe_load(text)


def test_new_repository_gets_the_gitflow_preset_and_next_steps(repo, gate):
    result = gate("init")
    assert result.code == 0, result.err
    text, data = _policy(repo)
    assert data == {"extends": "gitflow", "changelog": {"required_on": []}}
    assert text.startswith("# The delivery policy")
    assert "# stages:" in text
    assert "gate hooks install" in result.out
    assert "next steps" in result.out
    assert load_policy(repo.path).sources == ["policies/gitflow.yaml", ".gate.yaml"]


def test_master_without_develop_gets_trunk_with_master_protected(repo, gate):
    repo.git("checkout", "-q", "-b", "master")
    repo.commit("chore: start")
    assert gate("init").code == 0
    _, data = _policy(repo)
    assert data["extends"] == "trunk"
    assert data["branches"] == {"main": "master", "protected": ["master"]}
    policy = load_policy(repo.path)
    assert policy.section("branches")["develop"] is None


def test_develop_branch_means_gitflow_and_master_replaces_main_everywhere(repo, gate):
    repo.git("checkout", "-q", "-b", "master")
    repo.commit("chore: start")
    repo.git("branch", "develop")
    assert gate("init").code == 0
    _, data = _policy(repo)
    assert data["extends"] == "gitflow"
    assert data["branches"]["protected"] == ["master", "develop"]


def test_version_sources_changelog_and_coverage_settings_are_carried_over(repo, gate):
    repo.write(
        "pyproject.toml",
        '[project]\nname = "app"\ndynamic = ["version"]\n\n'
        "[tool.coverage.run]\nbranch = false\n\n[tool.coverage.report]\nfail_under = 87.5\n",
    )
    repo.write("src/app/__init__.py", '__version__ = "1.4.0"\n')
    repo.write("package.json", '{"name": "web", "version": "1.4.0"}\n')
    repo.write("charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.4.0\n")
    repo.write("CHANGES.md", "# Changelog\n")
    repo.commit("chore: start")
    result = gate("init", "--preset", "strict")
    assert result.code == 0, result.err
    text, data = _policy(repo)
    assert data["extends"] == "strict"
    assert data["versioning"]["sources"] == [
        {"file": "src/app/__init__.py", "kind": "python"},
        {"file": "package.json", "kind": "package.json"},
        {"file": "charts/app/Chart.yaml", "kind": "chart", "key": "version"},
    ]
    assert data["changelog"] == {"file": "CHANGES.md"}
    assert data["coverage"] == {"total_min": 87.5, "branch": False}
    assert "pyproject.toml" in text  # says where the coverage values came from
    load_policy(repo.path)


def test_coveragerc_settings_are_found(repo, gate):
    repo.write(".coveragerc", "[run]\nbranch = True\n\n[report]\nfail_under = 75\n")
    repo.write("CHANGELOG.md", "# Changelog\n")
    assert gate("init").code == 0
    text, data = _policy(repo)
    assert data["coverage"] == {"total_min": 75, "branch": True}
    assert "changelog" not in data  # CHANGELOG.md is the preset's own file
    assert "CHANGELOG.md found" in text


def test_existing_policy_is_never_overwritten_without_force(repo, gate):
    repo.write(".gate.yaml", "extends: trunk\n")
    result = gate("init")
    assert result.code == 0
    assert "kept the policy in .gate.yaml (gate init --force rewrites it)" in result.out
    assert (repo.path / ".gate.yaml").read_text() == "extends: trunk\n"
    assert gate("init", "--force", "--preset", "gitflow").code == 0
    assert _policy(repo)[1]["extends"] == "gitflow"


def test_policy_in_pyproject_is_left_there(repo, gate):
    pyproject = "[tool.gate.commits]\nheader_max_length = 60\n"
    repo.write("pyproject.toml", pyproject)
    assert "kept the policy in pyproject.toml" in gate("init").out
    result = gate("init", "--force")
    assert result.code == 2
    assert "[tool.gate]" in result.err
    assert not (repo.path / ".gate.yaml").exists()
    assert (repo.path / "pyproject.toml").read_text() == pyproject


def test_hooks_are_added_to_an_existing_pre_commit_config_once(repo, gate):
    config = repo.write(".pre-commit-config.yaml", PRE_COMMIT_CONFIG)
    result = gate("init")
    assert result.code == 0
    assert (
        "pre-commit install --hook-type pre-commit --hook-type commit-msg --hook-type pre-push"
        in result.out
    )
    text = config.read_text()
    assert text.startswith(PRE_COMMIT_CONFIG)
    assert text.count("gate hook commit-msg") == 1
    result = gate("init")
    assert "already runs gate hooks" in result.out
    assert config.read_text() == text


def test_a_pre_commit_config_that_cannot_be_edited_gets_the_snippet_printed(repo, gate):
    config = repo.write(".pre-commit-config.yaml", "repos: []\n")
    result = gate("init")
    assert result.code == 0
    assert "add this under `repos:` yourself" in result.out
    assert "entry: gate hook commit-msg" in result.out
    assert config.read_text() == "repos: []\n"


@pytest.mark.parametrize("preset", ["gitflow", "trunk", "strict"])
def test_every_preset_writes_a_valid_policy(repo, gate, preset):
    repo.commit("chore: start")
    assert gate("init", "--preset", preset).code == 0
    assert load_policy(repo.path).sources[-1] == ".gate.yaml"
    assert gate("policy", "validate").code == 0


def test_outside_git_init_says_to_git_init(tmp_path, monkeypatch, gate):
    monkeypatch.chdir(tmp_path)
    result = gate("init")
    assert result.code == 2
    assert "git init" in result.err
