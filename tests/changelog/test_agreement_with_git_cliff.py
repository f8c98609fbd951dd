"""On a history with branches, merges and tags on merge commits, gate puts the same commits under
the same releases as git-cliff, an established generator (its `--context` JSON)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

GIT_CLIFF = shutil.which("git-cliff", path=str(Path(sys.executable).parent)) or shutil.which(
    "git-cliff"
)


def day(n: int) -> str:
    return f"2026-02-{n:02d}T12:00:00Z"


def merge(repo, branch: str, when: str) -> None:
    repo.git(
        "merge",
        "-q",
        "--no-ff",
        "-m",
        f"Merge branch '{branch}'",
        branch,
        env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when},
    )


def test_releases_and_their_commits_agree_with_git_cliff(repo, gate):
    assert GIT_CLIFF, "git-cliff is a development dependency: pip install -e '.[dev]'"
    repo.commit("feat: start", date=day(1))
    repo.tag("v0.1.0", message="0.1.0")
    repo.branch("develop")
    repo.branch("feature/search")
    repo.commit("feat(search): index", date=day(2))
    repo.checkout("develop")
    repo.commit("fix: typo in help", date=day(3))
    repo.checkout("feature/search")
    repo.commit(
        "feat(search)!: new query syntax\n\nBREAKING CHANGE: old syntax removed", date=day(4)
    )
    repo.commit("wip", date=day(5))
    repo.checkout("develop")
    merge(repo, "feature/search", day(6))
    repo.branch("release/1.0.0")
    repo.commit("docs: release notes", date=day(7))
    repo.checkout("main")
    merge(repo, "release/1.0.0", day(8))
    repo.tag("v1.0.0", message="1.0.0")
    repo.branch("hotfix/1.0.1")
    repo.commit("fix(search): empty query crash", date=day(9))
    repo.checkout("main")
    merge(repo, "hotfix/1.0.1", day(10))
    repo.tag("v1.0.1", message="1.0.1")
    repo.checkout("develop")
    merge(repo, "main", day(11))
    repo.commit("perf: cache results", date=day(12))
    repo.commit("refactor(core): split module\n\nRefs: #12", date=day(13))

    ours = json.loads(gate("changelog", "--format", "json").out)["releases"]
    context = json.loads(
        subprocess.run(
            [GIT_CLIFF, "--context"], cwd=repo.path, capture_output=True, text=True, check=True
        ).stdout
    )
    mine = {r["tag"]: sorted(c["sha"] for c in r["changes"]) for r in ours}
    theirs = {
        r.get("version"): sorted(c["id"] for c in r["commits"] if c.get("conventional", True))
        for r in context
    }
    assert list(mine) == [None, "v1.0.1", "v1.0.0", "v0.1.0"]
    assert mine == theirs
    assert [len(v) for v in mine.values()] == [2, 1, 4, 1]
