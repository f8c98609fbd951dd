"""One glob language for every policy key that names repository paths (gitignore lines,
anchored at the root), and git's fnmatch for the keys that name branches and tags."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys

import pytest

from gates.errors import PolicyError
from gates.knowledge.coverage_math import FileCoverage, by_glob
from gates.knowledge.globs import matcher, matches, ref_matches
from gates.knowledge.waivers import Waiver
from gates.model import Finding

LATER = dt.date(2999, 1, 1)

SAME_EVERYWHERE = [
    ("docs/*", "docs/guide/intro.md", True),
    ("docs/*", "docs/intro.md", True),
    ("docs/*", "src/docs/intro.md", False),
    ("docs", "docs/guide/intro.md", True),
    ("docs/", "docs/guide/intro.md", True),
    ("/docs/**", "docs/guide/intro.md", True),
    ("*.md", "README.md", True),
    ("*.md", "docs/intro.md", False),
    ("**/*.md", "docs/intro.md", True),
    ("src/*.py", "src/pkg/a.py", False),
    ("src/**/test_*.py", "src/test_a.py", True),
]


def _waiver_covers(pattern: str, path: str) -> bool:
    waiver = Waiver(rule="lint.unused", reason="generated", expires=LATER, path=pattern)
    return waiver.covers(Finding("lint.unused", "unused", path=path), "lint", None)


def _coverage_glob_counts(pattern: str, path: str) -> bool:
    (tally,) = by_glob([FileCoverage(path, frozenset({1}), frozenset({1}))], [(pattern, 90.0)])
    return tally.files == 1


@pytest.mark.parametrize(("pattern", "path", "expected"), SAME_EVERYWHERE)
def test_a_path_glob_gives_one_answer_under_every_key(pattern, path, expected):
    answers = {
        "tests_with_code / changelog.exempt_paths": matches(path, [pattern]),
        "waivers[].path": _waiver_covers(pattern, path),
        "coverage.paths[].glob": _coverage_glob_counts(pattern, path),
    }
    assert answers == dict.fromkeys(answers, expected)


def _feature_change(repo, policy: str) -> None:
    repo.commit(
        "chore: start",
        {"CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n", "src/app.py": "x = 1\n"},
    )
    repo.branch("develop")
    repo.branch("feature/guide")
    repo.write(".gate.yaml", policy)
    repo.commit("feat: a guide", {"docs/guide/intro.md": "# Intro\n"})


def _result(gate, gate_id: str) -> dict:
    outcome = gate("check", gate_id, "--format", "json")
    (result,) = json.loads(outcome.out)["results"]
    return {"code": outcome.code, **result}


def test_docs_star_exempts_a_nested_page_from_both_changelog_and_tests(repo, gate):
    _feature_change(
        repo,
        "changelog:\n  exempt_paths: ['docs/*', '.gate.yaml']\n"
        "tests_with_code:\n  exempt_paths: ['docs/*', '.gate.yaml']\n",
    )
    changelog = _result(gate, "changelog")
    tests = _result(gate, "tests-with-code")
    assert (changelog["code"], tests["code"]) == (0, 0)
    assert [f["rule"] for f in changelog["findings"]] == ["changelog.exempt"]
    assert "only paths in changelog.exempt_paths" in changelog["summary"]
    assert [f["rule"] for f in tests["findings"]] == ["tests-with-code.exempt"]


def test_a_top_level_star_exempts_neither_a_nested_page(repo, gate):
    _feature_change(
        repo,
        "changelog:\n  exempt_paths: ['*.md', '.gate.yaml']\n"
        "tests_with_code:\n  source: ['**']\n  exempt_paths: ['*.md', '.gate.yaml']\n",
    )
    assert _result(gate, "changelog")["code"] == 1
    assert _result(gate, "tests-with-code")["code"] == 1


@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        (["docs/**", "!docs/api.md"], "docs/api.md", False),
        (["docs/**", "!docs/api.md"], "docs/guide.md", True),
        (["!docs/api.md", "docs/**"], "docs/api.md", True),
        (["/setup.py"], "setup.py", True),
        (["/setup.py"], "pkg/setup.py", False),
        (["build/"], "build/lib/a.py", True),
        (["build/"], "src/build/a.py", False),
        (["**/build/"], "src/build/a.py", True),
        (["**"], "any/thing.txt", True),
        (["src/**/a.py"], "src/a.py", True),
        (["src/**/a.py"], "src/x/y/a.py", True),
        (["a?.py"], "ab.py", True),
        (["a?.py"], "a/.py", False),
        (["[ab].py"], "b.py", True),
        (["*.PY"], "a.py", False),
        ([], "a.py", False),
    ],
)
def test_gitignore_cases(patterns, path, expected):
    assert matches(path, patterns) is expected
    assert matcher(patterns)(path) is expected


def test_a_pattern_gitignore_refuses_is_a_policy_error():
    with pytest.raises(PolicyError) as raised:
        matches("a.py", ["src\\"])
    assert "src\\" in raised.value.message
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    ("name", "patterns", "expected"),
    [
        ("hotfix/1.2.1", ["hotfix/*"], True),
        ("release/1.2/rc", ["release/*"], True),
        ("team/x-rc", ["*-rc"], True),
        ("v1.2.0", ["v[0-9]*"], True),
        ("V1.2.0", ["v*"], False),
        ("main", ["develop", "main"], True),
        ("feature/x", [], False),
    ],
)
def test_ref_globs_read_as_git_branch_list_does(name, patterns, expected):
    assert ref_matches(name, patterns) is expected


def test_a_waivers_branch_is_a_ref_glob():
    waiver = Waiver(rule="lint", reason="spike", expires=LATER, branch="spike/*")
    finding = Finding("lint.unused", "unused")
    assert waiver.covers(finding, "lint", "spike/a/b")
    assert not waiver.covers(finding, "lint", "feature/spike")


PLAIN = ["docs", "/docs", "docs/", "docs/intro.md", "setup.py", ".gate.yaml", "a/b/c"]
PATHS = ["docs", "docs/intro.md", "docs/a/b.md", "docsx/a.md", "src/docs/a.md", "setup.py"]


@pytest.mark.parametrize("pattern", PLAIN)
def test_plain_paths_match_as_pathspec_matches_them(pattern):
    from pathspec import GitIgnoreSpec

    spec = GitIgnoreSpec.from_lines(["/" + pattern.lstrip("/")])
    for path in [*PATHS, pattern.strip("/"), pattern.strip("/") + "/x"]:
        assert matches(path, [pattern]) is spec.match_file(path), path


def test_the_commit_msg_hook_does_not_import_pathspec(repo):
    soon = dt.date.today() + dt.timedelta(days=30)
    repo.write(
        ".gate.yaml",
        f"waivers:\n  - {{rule: commit-msg, path: docs/guide, reason: r, expires: {soon}}}\n",
    )
    repo.commit("chore: start")
    (repo.path / ".git" / "COMMIT_EDITMSG").write_text("Added a thing\n")
    hook = ["hook", "commit-msg", ".git/COMMIT_EDITMSG"]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gates", *hook],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "GATE_DETECT"},
        check=False,
    )
    modules = set(re.findall(r"import time:\s+\d+ \|\s+\d+ \|\s+(\S+)", result.stderr))
    assert result.returncode == 1, result.stderr[-2000:]
    assert "gates.knowledge.waivers" in modules
    assert not {m for m in modules if m.split(".")[0] == "pathspec"}
