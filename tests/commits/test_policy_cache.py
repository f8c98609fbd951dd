"""The parsed-policy cache that keeps PyYAML out of the commit-msg hook: keyed by the exact
text, so an edit is always seen; only valid documents are cached; a broken cache is ignored."""

from __future__ import annotations

import json
import os

import pytest

from gates.errors import PolicyError
from gates.policy import load_policy


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "gates"


def test_valid_policies_are_cached_and_edits_are_seen(repo, cache_home):
    policy_file = repo.write(".gate.yaml", "extends: gitflow\ncommits:\n  types: [feat]\n")
    assert load_policy(repo.path).section("commits")["types"] == ["feat"]
    entries = [json.loads(p.read_text()) for p in cache_home.glob("policy-*.json")]
    assert {e["data"].get("extends") for e in entries} == {
        "gitflow",
        None,
    }  # the file and the preset
    stat = policy_file.stat()
    policy_file.write_text("extends: gitflow\ncommits:\n  types: [fix]\n")  # same size
    os.utime(policy_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime
    assert load_policy(repo.path).section("commits")["types"] == ["fix"]


def test_the_cache_is_used(repo, cache_home):
    repo.write(".gate.yaml", "extends: gitflow\ncommits:\n  types: [feat]\n")
    load_policy(repo.path)
    (entry_path,) = [
        p for p in cache_home.glob("policy-*.json") if "types: [feat]" in p.read_text()
    ]
    entry = json.loads(entry_path.read_text())
    entry["data"]["commits"]["types"] = ["from-the-cache"]
    entry_path.write_text(json.dumps(entry))
    assert load_policy(repo.path).section("commits")["types"] == ["from-the-cache"]


def test_invalid_policies_are_not_cached_and_still_name_the_line(repo, cache_home):
    repo.write(".gate.yaml", "extends: gitflow\ncommits:\n  header_max_length: many\n")
    for _ in range(2):
        with pytest.raises(PolicyError) as caught:
            load_policy(repo.path)
        assert ".gate.yaml:3" in caught.value.render()
    assert not [p for p in cache_home.glob("policy-*.json") if "many" in p.read_text()]


def test_a_broken_or_unwritable_cache_is_ignored(repo, cache_home):
    repo.write(".gate.yaml", "extends: gitflow\n")
    load_policy(repo.path)
    for path in cache_home.glob("policy-*.json"):
        path.write_text("{not json")
    assert load_policy(repo.path).section("commits")["header_max_length"] == 72
    for path in cache_home.glob("policy-*.json"):
        path.unlink()
    cache_home.rmdir()
    cache_home.write_text("a file where the cache folder should be")  # unwritable, even for root
    assert load_policy(repo.path).section("commits")["header_max_length"] == 72
