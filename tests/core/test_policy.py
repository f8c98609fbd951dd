import json

import jsonschema
import pytest
import yaml

from gates.errors import PolicyError
from gates.policy.loader import load_policy, load_preset, merge, preset_names
from gates.policy.schema import POLICY_SCHEMA
from gates.policy.validate import validate


def test_presets_are_valid_and_complete():
    assert {"gitflow", "trunk", "strict"} <= set(preset_names())
    for name in preset_names():
        policy = load_preset(name)
        assert validate(policy.data, POLICY_SCHEMA) == []
        jsonschema.validate(policy.data, POLICY_SCHEMA)


def test_trunk_extends_gitflow():
    trunk = load_preset("trunk")
    assert trunk.sources == ["policies/gitflow.yaml", "policies/trunk.yaml"]
    assert trunk.section("branches")["develop"] is None
    assert trunk.section("commits") == load_preset("gitflow").section("commits")


def test_schema_is_a_valid_json_schema(gate, repo):
    result = gate("policy", "schema")
    assert result.code == 0
    schema = json.loads(result.out)
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    "document",
    [
        {"branches": {"main": 3}},
        {"commits": {"types": "feat"}},
        {"commits": {"header_max_length": True}},
        {"coverage": {"total_min": 120}},
        {"waivers": [{"rule": "x", "reason": "y"}]},
        {"waivers": [{"rule": "x", "reason": "y", "expires": "tomorrow"}]},
        {"nonsense": 1},
        {"stages": {"ci": ["Bad Id"]}},
        {"versioning": {"scheme": "calver"}},
    ],
)
def test_validator_agrees_with_jsonschema_on_bad_documents(document):
    problems = validate(document, POLICY_SCHEMA)
    assert problems
    checker = jsonschema.Draft202012Validator(
        POLICY_SCHEMA, format_checker=jsonschema.FormatChecker()
    )
    assert list(checker.iter_errors(document))


def test_merge_maps_key_by_key_and_replaces_lists():
    merged = merge({"a": {"b": 1, "c": [1, 2]}, "d": 1}, {"a": {"c": [3]}, "extends": "x"})
    assert merged == {"a": {"b": 1, "c": [3]}, "d": 1}


def test_user_policy_overrides_the_preset(repo):
    repo.write(".gate.yaml", "extends: strict\ncommits:\n  header_max_length: 60\n")
    policy = load_policy(repo.path)
    assert policy.sources == ["policies/gitflow.yaml", "policies/strict.yaml", ".gate.yaml"]
    assert policy.section("commits")["header_max_length"] == 60
    assert policy.section("coverage")["total_min"] == 90


def test_digest_changes_with_the_policy(repo):
    first = load_policy(repo.path).digest
    repo.write(".gate.yaml", "commits:\n  header_max_length: 60\n")
    assert load_policy(repo.path).digest != first
    assert load_policy(repo.path).digest == load_policy(repo.path).digest


@pytest.mark.parametrize(
    ("text", "line", "key", "fragment"),
    [
        (
            "commits:\n  types: [feat]\n  scope_required: maybe\n",
            3,
            "commits.scope_required",
            "expected boolean",
        ),
        ("branches:\n  slug: '(unclosed'\n", 2, "branches.slug", "invalid regular expression"),
        ("commits:\n  types: [feat]\ncommits:\n  types: [fix]\n", 3, "commits", "duplicate key"),
        ("extends: nope\n", None, "extends", "unknown preset 'nope'"),
        ("stages:\n  ci:\n    - commit-msgs\n", 3, "stages.ci[0]", "unknown gate"),
        (
            "waivers:\n  - rule: x\n    reason: y\n    expires: 2026-13-01\n",
            4,
            "waivers[0].expires",
            "not a date",
        ),
    ],
)
def test_policy_errors_name_file_line_and_key(repo, text, line, key, fragment):
    repo.write(".gate.yaml", text)
    with pytest.raises(PolicyError) as info:
        load_policy(repo.path)
    error = info.value
    assert error.line == line
    assert error.key == key
    assert fragment in error.message
    assert error.hint


def test_invalid_yaml_names_the_line(repo, gate):
    repo.write(".gate.yaml", "commits:\n  types: [feat\n  scopes: []\n")
    result = gate("policy", "validate")
    assert result.code == 2
    assert ".gate.yaml:" in result.err
    assert "invalid YAML" in result.err


def test_yaml_cannot_run_code(repo, gate):
    repo.write(".gate.yaml", "commits: !!python/object/apply:os.system ['echo pwned']\n")
    result = gate("policy", "validate")
    assert result.code == 2
    assert "pwned" not in result.out


def test_a_list_is_not_a_policy(repo):
    repo.write(".gate.yaml", "- a\n- b\n")
    with pytest.raises(PolicyError, match="mapping"):
        load_policy(repo.path)


def test_two_policies_are_ambiguous(repo):
    repo.write(".gate.yaml", "commits: {}\n")
    repo.write("pyproject.toml", "[tool.gate]\nextends = 'gitflow'\n")
    with pytest.raises(PolicyError, match="more than one policy"):
        load_policy(repo.path)


def test_unreadable_and_non_utf8_policy(repo, gate):
    repo.write(".gate.yaml", "x")
    (repo.path / ".gate.yaml").write_bytes(b"commits:\n  types: [f\xe9at]\n")
    result = gate("policy", "validate")
    assert result.code == 2
    assert "not UTF-8" in result.err


def test_invalid_toml(repo, gate):
    repo.write("pyproject.toml", "[tool.gate\nx = 1\n")
    result = gate("policy", "validate")
    assert result.code == 2
    assert "invalid TOML" in result.err


def test_explicit_policy_file_and_show(repo, gate, tmp_path):
    other = tmp_path / "team.yaml"
    other.write_text("extends: trunk\n")
    result = gate("policy", "show", str(other))
    assert result.code == 0
    shown = yaml.safe_load(result.out)
    assert shown["branches"]["develop"] is None
    assert gate("run", "--policy", str(tmp_path / "missing.yaml")).code == 2


def test_empty_policy_file_is_the_preset(repo):
    repo.write(".gate.yaml", "")
    assert load_policy(repo.path).data == load_preset("gitflow").data
