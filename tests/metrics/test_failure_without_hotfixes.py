"""Change failure on a repository without hotfix branches: a quick patch of only fixes and
reverts, or a later revert, marks the release failed; release commits are no change."""

from __future__ import annotations

from gates.adapters.git import GitRepo
from gates.release.metrics import analyse, definition
from tests.metrics.conftest import at, commit, tag


def test_a_quick_patch_of_fixes_marks_the_release_failed_and_a_late_one_does_not(repo):
    commit(repo, "feat: one", at("01-01", "09:00"))
    tag(repo, "v1.0.0", at("01-02", "09:00"))
    commit(repo, "fix: one is broken", at("01-03", "09:00"))
    commit(repo, "chore(release): 1.0.1", at("01-03", "10:00"))
    tag(repo, "v1.0.1", at("01-03", "10:00"))
    commit(repo, "fix: a small thing", at("02-20", "09:00"))
    tag(repo, "v1.0.2", at("02-20", "10:00"))  # 48 days later: not a failure of 1.0.1
    releases = analyse(GitRepo(repo.path), "v{version}", "")
    assert [(r.tag, r.failed) for r in releases] == [
        ("v1.0.0", True),
        ("v1.0.1", False),
        ("v1.0.2", False),
    ]
    assert releases[0].restore_seconds == 25 * 3600
    assert definition(releases) == "patch-or-revert"
    # the release commit is no change of its own: one lead time, the fix's
    assert len(releases[1].lead_times) == 1
    assert releases[1].lead_times[0] == 3600


def test_a_patch_with_a_feature_is_no_failure_and_a_later_revert_is(repo):
    commit(repo, "feat: one", at("01-01", "09:00"))
    tag(repo, "v1.0.0", at("01-02", "09:00"))
    commit(repo, "feat: two", at("01-03", "09:00"))
    commit(repo, "fix: three", at("01-03", "09:30"))
    tag(repo, "v1.0.1", at("01-03", "10:00"))
    commit(repo, 'Revert "feat: two"', at("03-01", "09:00"))
    tag(repo, "v1.1.0", at("03-01", "10:00"))
    releases = analyse(GitRepo(repo.path), "v{version}", "")
    assert [(r.tag, r.failed) for r in releases] == [
        ("v1.0.0", False),  # 1.0.1 brought a feature: not a fix-only patch
        ("v1.0.1", True),  # 1.1.0 reverts its feat: two
        ("v1.1.0", False),
    ]


def test_gate_metrics_says_which_definition_applied_and_skips_empty_periods(repo, gate):
    commit(repo, "feat: one", at("01-01", "09:00"))
    tag(repo, "v1.0.0", at("01-02", "09:00"))
    commit(repo, "fix: two", at("04-03", "09:00"))
    tag(repo, "v1.0.1", at("04-03", "10:00"))
    out = gate("metrics", "--since", "2026-01-01", "--until", "2026-05-01").out
    assert "2026-02" not in out and "2026-03" not in out
    assert "2 period(s) without a release not shown" in out
    assert "no hotfix releases, so a release failed when" in out
