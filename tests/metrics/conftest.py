"""A git-flow history with known release and hotfix dates, so each figure can be checked by hand.

| when (UTC) | what | shipped in |
| --- | --- | --- |
| 01-05 10:00 | chore: init, on main | v1.0.0 (direct commit) |
| 01-06 09:00, 01-07 09:00 | feature/a: two commits, merged into develop 01-08 | v1.0.0 |
| 01-09 09:00 | release/1.0.0: chore(release) commit | v1.0.0 |
| 01-10 12:00 | release/1.0.0 merged into main, tag v1.0.0 (annotated) | |
| 01-12 08:00 | hotfix/1.0.1: fix commit | v1.0.1 |
| 01-12 10:00 | hotfix/1.0.1 merged into main, tag v1.0.1 (annotated) | |
| 02-02 09:00 | feature/b: one commit, merged into develop 02-03 | v1.1.0 |
| 02-04 09:00 | docs commit straight on develop | v1.1.0 |
| 02-05 12:00 | release/1.1.0 merged into main, tag v1.1.0 | |
| 03-01 11:00 authored, 03-02 11:00 committed | feat straight on main, lightweight tag v1.2.0 | v1.2.0 |
| 03-03 09:00 | hotfix/1.2.1: fix commit | v1.2.1 |
| 03-03 10:00 | hotfix/1.2.1 merged into main, tag v1.2.1 | |

Changes and their lead times (first commit to release):
v1.0.0: init 122 h, feature/a 99 h, release commit 27 h; v1.0.1: 2 h;
v1.1.0: feature/b 75 h, docs commit 27 h; v1.2.0: 24 h; v1.2.1: 1 h.
v1.0.0 failed (restored in 46 h by v1.0.1); v1.2.0 failed (restored in 23 h by v1.2.1).
Tags that are not releases: v1.2.0-rc.1 (a pre-release) and deploy-staging.
"""

from __future__ import annotations

import pytest


def at(day: str, time: str) -> dict[str, str]:
    stamp = f"2026-{day}T{time}:00+00:00"
    return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}


def commit(repo, message: str, env: dict[str, str]) -> None:
    repo.write(f"f{abs(hash(message)) % 10**8}.txt", message)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", message, env=env)


def merge(repo, branch: str, env: dict[str, str], message: str | None = None) -> None:
    repo.git("merge", "-q", "--no-ff", "-m", message or f"Merge branch '{branch}'", branch, env=env)


def tag(repo, name: str, env: dict[str, str]) -> None:
    repo.git("tag", "-a", "-m", f"release {name}", name, env=env)


@pytest.fixture
def history(repo):
    commit(repo, "chore: init", at("01-05", "10:00"))
    repo.branch("develop")
    repo.branch("feature/a")
    commit(repo, "feat: a one", at("01-06", "09:00"))
    commit(repo, "feat: a two", at("01-07", "09:00"))
    repo.checkout("develop")
    merge(repo, "feature/a", at("01-08", "09:00"), "Merge branch 'feature/a' into develop")
    repo.branch("release/1.0.0")
    commit(repo, "chore(release): 1.0.0", at("01-09", "09:00"))
    repo.checkout("main")
    merge(repo, "release/1.0.0", at("01-10", "12:00"))
    tag(repo, "v1.0.0", at("01-10", "12:00"))
    repo.checkout("develop")
    merge(repo, "release/1.0.0", at("01-10", "12:30"), "Merge branch 'release/1.0.0' into develop")

    repo.branch("hotfix/1.0.1", "main")
    commit(repo, "fix: crash on start", at("01-12", "08:00"))
    repo.checkout("main")
    merge(repo, "hotfix/1.0.1", at("01-12", "10:00"))
    tag(repo, "v1.0.1", at("01-12", "10:00"))
    repo.checkout("develop")
    merge(repo, "hotfix/1.0.1", at("01-12", "10:30"), "Merge branch 'hotfix/1.0.1' into develop")

    repo.branch("feature/b")
    commit(repo, "feat: b", at("02-02", "09:00"))
    repo.checkout("develop")
    merge(repo, "feature/b", at("02-03", "09:00"), "Merge branch 'feature/b' into develop")
    commit(repo, "docs: readme", at("02-04", "09:00"))
    repo.git("tag", "v1.2.0-rc.1")
    repo.branch("release/1.1.0")
    repo.checkout("main")
    merge(repo, "release/1.1.0", at("02-05", "12:00"))
    tag(repo, "v1.1.0", at("02-05", "12:00"))

    commit(
        repo,
        "feat: straight to main",
        {
            "GIT_AUTHOR_DATE": "2026-03-01T11:00:00+00:00",
            "GIT_COMMITTER_DATE": "2026-03-02T11:00:00+00:00",
        },
    )
    repo.git("tag", "v1.2.0")  # lightweight: its date is the commit's
    repo.git("tag", "deploy-staging")
    repo.branch("hotfix/1.2.1")
    commit(repo, "fix: undo", at("03-03", "09:00"))
    repo.checkout("main")
    merge(repo, "hotfix/1.2.1", at("03-03", "10:00"))
    tag(repo, "v1.2.1", at("03-03", "10:00"))
    return repo
