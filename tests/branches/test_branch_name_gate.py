"""The branch-name gate on real repositories: each kind checked out, CI on a detached HEAD,
release versions against real tags and version files, and hostile input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gates.checks.branch_name import GATE
from gates.knowledge.gitflow import BranchPolicy, check


def report(result) -> dict:
    return json.loads(result.out)["results"][0]


def rules(result) -> list[str]:
    return [f["rule"] for f in report(result)["findings"]]


@pytest.mark.parametrize(
    ("branch", "kind"),
    [
        ("main", "main"),
        ("develop", "develop"),
        ("feature/ABC-123-add-login", "feature"),
        ("bugfix/fix-crash", "bugfix"),
        ("release/1.2.0", "release"),
        ("hotfix/1.2.1", "hotfix"),
        ("support/1.x", "support"),
    ],
)
def test_each_kind_checked_out_passes(repo, gate, branch, kind):
    repo.commit("chore: start")
    if branch != "main":
        repo.branch(branch)
    result = gate("check", "branch-name", "--format", "json")
    assert result.code == 0, result.out
    assert report(result)["summary"].endswith(f" {kind} branch")
    assert json.loads(result.out)["repository"]["branch"] == branch


@pytest.mark.parametrize(
    ("branch", "rule", "suggestion"),
    [
        ("featur/login", "prefix", "feature/login"),
        ("Feature/Login", "prefix", "feature/login"),
        ("hotfix/1.2", "version", "hotfix/1.2.0"),
        ("random-name", "prefix", None),
    ],
)
def test_a_bad_branch_checked_out_fails_with_the_rule_and_the_fix(
    repo, gate, branch, rule, suggestion
):
    repo.commit("chore: start")
    repo.branch(branch)
    result = gate("check", "branch-name")
    assert result.code == 1
    assert f"[branch-name.{rule}]" in result.out
    assert f"gate explain branch-name.{rule}" in result.out
    if suggestion:
        assert f"did you mean '{suggestion}'?" in result.out


def test_an_unborn_branch_is_checked_too(repo, gate):
    repo.git("checkout", "-q", "-b", "featur/first")
    assert gate("check", "branch-name").code == 1


def test_a_detached_head_on_a_developer_machine_skips(detached, gate):
    result = gate("check", "branch-name", "--format", "json")
    assert result.code == 0
    assert report(result)["status"] == "skip"
    assert "detached" in report(result)["summary"]


def test_name_argument_and_branch_option_override_the_checkout(repo, gate):
    repo.commit("chore: start")
    repo.branch("featur/x")
    assert gate("check", "branch-name", "feature/x").code == 0
    assert gate("check", "branch-name", "--branch", "feature/x").code == 0
    assert gate("check", "branch-name", "main").code == 0


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        # GitHub Actions pull_request: HEAD is the detached merge commit
        (
            {
                "GITHUB_ACTIONS": "true",
                "GITHUB_REF": "refs/pull/7/merge",
                "GITHUB_REF_NAME": "7/merge",
                "GITHUB_HEAD_REF": "feature/login",
                "GITHUB_BASE_REF": "develop",
            },
            0,
        ),
        (
            {
                "GITHUB_ACTIONS": "true",
                "GITHUB_REF": "refs/pull/7/merge",
                "GITHUB_REF_NAME": "7/merge",
                "GITHUB_HEAD_REF": "featur/login",
                "GITHUB_BASE_REF": "develop",
            },
            1,
        ),
        # GitHub Actions push
        (
            {
                "GITHUB_ACTIONS": "true",
                "GITHUB_REF": "refs/heads/release/1.2.0",
                "GITHUB_REF_NAME": "release/1.2.0",
                "GITHUB_REF_TYPE": "branch",
            },
            0,
        ),
        # GitLab CI branch pipeline and merge request pipeline
        ({"GITLAB_CI": "true", "CI_COMMIT_BRANCH": "bugfix/PROJ-7-null-pointer"}, 0),
        ({"GITLAB_CI": "true", "CI_COMMIT_BRANCH": "Bugfix/crash"}, 1),
        (
            {
                "GITLAB_CI": "true",
                "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "hotfix/1.0.1",
                "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
            },
            0,
        ),
        # Jenkins multibranch: a branch job, then a change request
        ({"JENKINS_URL": "https://ci.example/", "BRANCH_NAME": "develop"}, 0),
        ({"JENKINS_URL": "https://ci.example/", "GIT_BRANCH": "origin/feature/x"}, 0),
        (
            {
                "JENKINS_URL": "https://ci.example/",
                "BRANCH_NAME": "PR-12",
                "CHANGE_BRANCH": "features/x",
                "CHANGE_TARGET": "develop",
            },
            1,
        ),
    ],
)
def test_ci_names_the_branch_on_a_detached_head(detached, gate, ci, variables, expected):
    ci(**variables)
    result = gate("check", "branch-name", "--format", "json")
    assert result.code == expected, result.out
    assert report(result)["status"] == ("pass" if expected == 0 else "fail")


def test_a_tag_build_has_no_branch_and_skips(detached, gate, ci):
    ci(
        GITHUB_ACTIONS="true",
        GITHUB_REF="refs/tags/v1.2.0",
        GITHUB_REF_NAME="v1.2.0",
        GITHUB_REF_TYPE="tag",
    )
    result = gate("check", "branch-name", "--format", "json")
    assert result.code == 0
    assert "tag build" in report(result)["summary"]


def test_ci_without_a_branch_on_a_detached_head_cannot_decide(detached, gate, ci):
    ci(GITLAB_CI="true")
    result = gate("check", "branch-name")
    assert result.code == 3
    assert "detached" in result.out and "gate check branch-name NAME" in result.out


def test_stages_run_the_gate(repo, gate):
    repo.commit("chore: start")
    repo.branch("featur/x")
    for stage in ("pre-commit", "pre-push", "ci"):
        result = gate("run", "--stage", stage, "--only", "branch-name", "--format", "json")
        assert result.code == 1, stage
    repo.git("branch", "-m", "feature/x")
    assert gate("run", "--stage", "pre-push", "--only", "branch-name").code == 0


# --- release and hotfix versions ---------------------------------------------------------------


@pytest.fixture
def released(repo):
    """Releases 1.1.4 and 1.2.0 tagged (one annotated), a pre-release and a non-version tag."""
    repo.commit("chore: start")
    repo.tag("v1.1.4")
    repo.commit("feat: more")
    repo.tag("v1.2.0", message="release 1.2.0")
    repo.commit("feat: next")
    repo.tag("v1.3.0-rc.1")
    repo.tag("deployed-prod")
    return repo


@pytest.mark.parametrize(
    ("name", "expected", "words"),
    [
        ("release/1.3.0", 0, ""),
        ("release/2.0.0", 0, ""),
        ("hotfix/1.2.1", 0, ""),
        ("hotfix/1.1.5", 0, ""),  # a hotfix of the 1.1 line, as support branches get
        ("release/1.2.0", 1, "already released (tag 'v1.2.0')"),
        ("release/1.3.0-rc.1", 1, "already released (tag 'v1.3.0-rc.1')"),
        ("release/1.1.9", 1, "not greater than the latest release 1.2.0"),
        ("hotfix/1.1.4", 1, "already released"),
        ("hotfix/1.0.1", 1, "not greater than the latest release 1.2.0"),
        ("release/1.2.0-beta.1", 1, "not greater than the latest release 1.2.0"),
    ],
)
def test_the_version_must_be_newer_than_the_latest_release(released, gate, name, expected, words):
    released.branch(name)
    result = gate("check", "branch-name")
    assert result.code == expected, result.out
    if expected:
        assert "[branch-name.version-order]" in result.out
        assert words in result.out
        assert "gate version next" in result.out


def test_without_support_branches_an_old_line_hotfix_fails(released, gate):
    released.write(".gate.yaml", "branches:\n  prefixes:\n    support: null\n")
    assert gate("check", "branch-name", "hotfix/1.1.5").code == 1


def test_the_tag_format_of_the_policy_is_used(repo, gate):
    repo.commit("chore: start")
    repo.tag("release-2.0.0")
    repo.write(".gate.yaml", "versioning:\n  tag_format: 'release-{version}'\n")
    assert gate("check", "branch-name", "release/1.9.0").code == 1
    assert gate("check", "branch-name", "release/2.1.0").code == 0


def test_no_tags_at_all_is_a_first_release(repo, gate):
    repo.commit("chore: start")
    assert gate("check", "branch-name", "release/0.1.0").code == 0


def test_a_shallow_clone_without_tags_cannot_decide(released, gate, tmp_path, monkeypatch):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--no-tags", f"file://{released.path}", str(clone)],
        check=True,
        capture_output=True,
    )
    monkeypatch.chdir(clone)
    result = gate("check", "branch-name", "release/1.0.0")
    assert result.code == 3
    assert "git fetch --tags" in result.out
    assert gate("check", "branch-name", "feature/x").code == 0  # no version: no tags needed


def test_the_version_must_be_the_declared_one(released, gate):
    released.write("pyproject.toml", '[project]\nname = "demo"\nversion = "1.2.0"\n')
    released.write("package.json", '{"name": "demo", "version": "1.3.0"}\n')
    result = gate("check", "branch-name", "release/1.4.0", "--format", "json")
    assert result.code == 1
    finding = report(result)["findings"][0]
    assert finding["rule"] == "branch-name.version-declared"
    assert (finding["path"], finding["line"]) == ("pyproject.toml", 3)
    assert "declares 1.2.0" in finding["message"]
    assert gate("check", "branch-name", "release/1.3.0").code == 0  # one source declares it


def test_a_dynamic_version_is_left_to_the_version_gate(released, gate):
    released.write("pyproject.toml", '[project]\nname = "demo"\ndynamic = ["version"]\n')
    assert gate("check", "branch-name", "release/1.4.0").code == 0


def test_a_name_outside_a_repository(tmp_path, monkeypatch, gate):
    monkeypatch.chdir(tmp_path)
    assert gate("check", "branch-name", "feature/x").code == 0
    assert gate("check", "branch-name", "featur/x").code == 1
    result = gate("check", "branch-name", "release/1.2.0", "--format", "json")
    assert result.code == 0
    assert report(result)["status"] == "warn"
    assert "not compared with release tags" in report(result)["findings"][0]["message"]


# --- hostile input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\t", "empty"),
        ("x" * 10_000, "too-long"),
        ("feature/" + "a b" * 5000, "git-ref"),
        ("feature/fuß", "slug"),
        ("féature/x", "prefix"),
        ("feature/日本語", "slug"),
        ("feature/\x1b[31mred", "git-ref"),
        ("feature/a\u202eb", "slug"),
    ],
)
def test_bad_input_gets_a_clean_verdict(repo, gate, name, rule):
    for fmt in ("console", "json", "github", "sarif", "junit", "markdown"):
        result = gate("check", "branch-name", "--format", fmt, "--", name)
        assert result.code == 1, (fmt, result.err)
        assert "Traceback" not in result.out + result.err
        assert "\x1b[31m" not in result.out
    assert (
        gate("check", "branch-name", "--format", "json", "--", name).out.count(
            f"branch-name.{rule}"
        )
        >= 1
    )


def test_non_utf8_bytes_on_the_command_line(repo):
    result = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"gates",
            b"check",
            b"branch-name",
            b"--format",
            b"json",
            b"--",
            b"feature/caf\xe9\xff",
        ],
        capture_output=True,
        cwd=repo.path,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    document = json.loads(result.stdout.decode("utf-8"))
    finding = document["results"][0]["findings"][0]
    assert finding["rule"] == "branch-name.slug"
    assert "\\xe9\\xff" in finding["message"]
    console = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"gates",
            b"check",
            b"branch-name",
            b"--",
            b"feature/\xff x",
        ],
        capture_output=True,
        cwd=repo.path,
        check=False,
    )
    assert console.returncode == 1
    assert b"Traceback" not in console.stderr
    assert b"'feature/\\xff x' is refused by git: a space is not allowed" in console.stdout


def test_every_rule_the_gate_reports_is_documented(gate, repo):
    documented = {rule.id for rule in GATE.rules}
    policy = BranchPolicy.from_section({})
    for name in ("", "a b", "x" * 300, "featur/x", "feature/X", "release/x"):
        for violation in check(name, policy).violations:
            assert f"branch-name.{violation.rule}" in documented
    for rule_id in documented:
        result = gate("explain", rule_id)
        assert result.code == 0 and rule_id in result.out


# Any character, raw bytes as argv carries them (surrogateescape), and git's special characters.
ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF, categories=["Cs"]),
        st.sampled_from(list("/.-@{}~^:?*[\\ \t\x7ffeaturlsbgxv0123456789")),
    ),
    max_size=250,
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=ANY_TEXT)
def test_no_name_crashes_the_gate(repo, gate, name):
    outcome = gate("check", "branch-name", "--format", "json", "--", name)
    assert outcome.code in (0, 1), outcome.err
    result = json.loads(outcome.out)["results"][0]
    assert result["status"] in ("pass", "fail")
    assert (outcome.code == 1) == bool(result["findings"])


def test_the_pre_push_hook_checks_the_pushed_branch(repo, gate, monkeypatch):
    import io

    sha = repo.commit("chore: start")
    repo.git("branch", "featur/x")
    zero = "0" * 40
    monkeypatch.setattr(
        sys, "stdin", io.StringIO(f"refs/heads/featur/x {sha} refs/heads/featur/x {zero}\n")
    )
    outcome = gate("hook", "pre-push", "origin", "file:///remote", "--gate", "branch-name")
    assert outcome.code == 1
    assert "'featur/x'" in outcome.out + outcome.err
    monkeypatch.setattr(
        sys, "stdin", io.StringIO(f"refs/heads/main {sha} refs/heads/main {zero}\n")
    )
    assert gate("hook", "pre-push", "origin", "file:///remote", "--gate", "branch-name").code == 0
