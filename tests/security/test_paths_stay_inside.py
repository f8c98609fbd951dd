"""Paths from the policy or the repository stay inside the repository and are no symbolic links;
reports are written with the umask's permissions (issue 20)."""

from __future__ import annotations

import os
import stat

import pytest

from tests.changelog.test_release import released_repo

SECRET = "gate-test-secret-7f3a"


def test_a_changelog_symlink_to_the_environment_is_never_released(repo, gate, monkeypatch):
    monkeypatch.setenv("GATE_HMAC_KEY", SECRET)
    released_repo(repo)
    (repo.path / "CHANGELOG.md").unlink()
    os.symlink("/proc/self/environ", repo.path / "CHANGELOG.md")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: link the changelog")
    head = repo.head
    outcome = gate("release")
    assert outcome.code == 2, outcome.out + outcome.err
    assert "CHANGELOG.md" in outcome.err and "symbolic link" in outcome.err
    assert repo.head == head and repo.git("tag", "-l") == "v0.1.0"
    assert SECRET not in repo.git("log", "-p", "--all")
    assert gate("changelog", "--write").code == 2
    assert gate("check", "changelog").code == 2


@pytest.mark.parametrize(
    ("policy", "command", "named"),
    [
        ("changelog:\n  file: ../outside.md\n", ("check", "changelog"), "../outside.md"),
        ("changelog:\n  file: /etc/passwd\n", ("check", "changelog"), "/etc/passwd"),
        (
            "coverage:\n  baseline: ../../baseline.json\n",
            ("coverage", "baseline"),
            "../../baseline.json",
        ),
        (
            "build_time:\n  baseline: ../b.json\n",
            ("check", "build-time", "--write-baseline"),
            "../b.json",
        ),
        (
            "versioning:\n  sources:\n    - file: ../VERSION\n",
            ("version", "show"),
            "../VERSION",
        ),
    ],
)
def test_a_policy_path_outside_the_repository_is_exit_2(repo, gate, policy, command, named):
    repo.commit("chore: start", {".gate.yaml": "extends: gitflow\n" + policy})
    (repo.path / "junit.xml").write_text(
        '<testsuite name="s" tests="1" time="1"><testcase classname="c" name="t" time="1"/>'
        "</testsuite>"
    )
    (repo.path / "coverage.json").write_text(
        '{"meta": {"version": "7.0", "branch_coverage": false}, "files": {}, '
        '"totals": {"covered_lines": 1, "num_statements": 1, "percent_covered": 100}}'
    )
    outcome = gate(*command)
    assert outcome.code == 2, outcome.out + outcome.err
    assert named in outcome.err and "outside the repository" in outcome.err


def test_an_audit_log_through_a_symlinked_folder_is_refused(release, gate, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, release.path / "logs")
    release.write(".gate.yaml", (release.path / ".gate.yaml").read_text())
    with open(release.path / ".gate.yaml", "a") as policy:
        policy.write("  audit_log: logs/audit.jsonl\n")
    outcome = gate("run", "--stage", "deploy", "--env", "staging")
    assert outcome.code == 2, outcome.out + outcome.err
    assert "logs/audit.jsonl" in outcome.err and "symbolic link logs" in outcome.err
    assert list(outside.iterdir()) == []


def test_reports_follow_the_umask(repo, gate):
    repo.commit("chore: start")
    old = os.umask(0o022)
    try:
        for fmt in ("json", "junit", "sarif", "markdown"):
            assert gate("check", "branch-name", "--format", f"{fmt}:out.{fmt}").code == 0
            mode = stat.S_IMODE((repo.path / f"out.{fmt}").stat().st_mode)
            assert mode == 0o644, (fmt, oct(mode))
    finally:
        os.umask(old)


def test_report_data_cannot_be_a_link_out_of_the_repository(repo, gate):
    repo.commit("chore: start")
    os.symlink("/proc/self/environ", repo.path / "junit.xml")
    outcome = gate("check", "tests")
    assert outcome.code == 2, outcome.out
    assert "junit.xml" in outcome.err and "symbolic link" in outcome.err
    os.symlink("/proc/self/environ", repo.path / "coverage.xml")
    outcome = gate("check", "coverage")
    assert outcome.code == 2, outcome.out
    assert "coverage.xml" in outcome.err and "symbolic link" in outcome.err
