"""The release manager's sections of the policy: `release` and `metrics`.

Declared apart from release.py and metrics.py, which import git and history
readers, so that validating a policy does not load them."""

from __future__ import annotations

from gates.options import Choice, Number, Options, Text, Texts
from gates.policy.schema import STAGES


class ReleaseOptions(
    Options,
    section="release",
    summary="`gate release`: where a release is cut from, its commits and its tag.",
):
    branches = Texts(
        ["main", "master", "release/*", "hotfix/*"],
        "Branch globs a release may be cut from (fnmatch: `*` crosses `/`).",
    )
    commit_message = Text(
        "chore(release): {version}", "Release commit message; {version} is replaced."
    )
    start_message = Text(
        "chore(release): start {version}",
        "Message of the version bump that `gate release start` makes the branch's first"
        " commit; {version} is replaced.",
    )
    tag_on = Choice(
        "merge-commit",
        ("merge-commit", "release-commit"),
        "With `gate release --merge`: tag the merge commit on the production branch"
        " (git-flow's way) or the release commit on the release branch.",
    )
    stage = Choice("ci", STAGES, "Gates that must pass first.")


class MetricsOptions(
    Options, section="metrics", summary="gate metrics: how a failed release is told."
):
    failure_window_days = Number(
        7,
        "Without hotfix releases, a release failed when the next release, a patch of only "
        "fixes and reverts, came within this many days (or when a later release reverts one "
        "of its changes).",
        minimum=0,
    )
