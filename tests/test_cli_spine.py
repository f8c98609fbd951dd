import json

from gates.policy.loader import load_policy


def test_run_with_no_policy_uses_gitflow_preset(repo, gate):
    repo.commit("chore: start")
    result = gate("run", "--format", "json")
    assert result.code == 0
    report = json.loads(result.out)
    assert report["schema"] == "gate-report/1"
    assert report["policy"]["sources"] == ["policies/gitflow.yaml"]
    assert report["policy"]["digest"].startswith("sha256:")


def test_unknown_key_is_a_policy_error_with_file_line_and_key(repo, gate):
    repo.write(".gate.yaml", "extends: gitflow\nbranches:\n  mian: main\n")
    result = gate("run")
    assert result.code == 2
    assert ".gate.yaml:3" in result.err
    assert "branches.mian" in result.err
    assert "did you mean 'main'" in result.err
    assert "Traceback" not in result.err


def test_policy_in_pyproject(repo, gate, tmp_path):
    repo.write(
        "pyproject.toml", '[project]\nname = "x"\n\n[tool.gate.commits]\nheader_max_length = 50\n'
    )
    policy = load_policy(repo.path)
    assert policy.section("commits")["header_max_length"] == 50
    assert policy.sources[-1] == "pyproject.toml [tool.gate]"
    repo.write("pyproject.toml", '[tool.gate.commits]\nheader_max_length = "long"\n')
    result = gate("policy", "validate")
    assert result.code == 2
    assert "pyproject.toml [tool.gate]:2" in result.err
