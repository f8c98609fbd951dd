"""The history model against git itself, on random commit graphs.

Hypothesis draws a history (long-lived branches, merges both ways, back-merges, tags on
merge commits, maintenance branches with backport tags, pre-release tags on side
branches, committer clocks that run backwards), `git fast-import` writes it, and every
release the model lists is checked against `git rev-list`: a commit listed under T is in
`git rev-list T --not P...` for the releases P in T's history, and every commit there is
listed; the unreleased commits are `git rev-list HEAD --not` every release of the branch;
the latest release is the highest tag `git tag --merged` lists."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gates.adapters.git import GitRepo
from gates.knowledge.semver import parse_version
from gates.release.history import read_history

BRANCHES = ("main", "develop", "support", "beta")


@st.composite
def histories(draw: st.DrawFn) -> list[tuple]:
    """Steps: ("commit", branch, clock), ("branch", new, source), ("merge", into, source),
    ("tag", branch, version). The first step is a commit on main."""
    steps: list[tuple] = [("commit", "main", 0)]
    alive = ["main"]
    versions: set[str] = set()
    for _ in range(draw(st.integers(3, 28))):
        kind = draw(st.sampled_from(["commit", "commit", "commit", "branch", "merge", "tag"]))
        if kind == "commit":
            steps.append(("commit", draw(st.sampled_from(alive)), draw(st.integers(-3, 3))))
        elif kind == "branch":
            new = draw(st.sampled_from(BRANCHES))
            if new not in alive:
                steps.append(("branch", new, draw(st.sampled_from(alive))))
                alive.append(new)
        elif kind == "merge" and len(alive) > 1:
            into, source = draw(st.permutations(alive))[:2]
            steps.append(("merge", into, source))
        elif kind == "tag":
            major, minor, patch = (draw(st.integers(0, 3)) for _ in range(3))
            pre = draw(st.sampled_from(["", "", "-rc.1", "-beta.2"]))
            version = f"{major}.{minor}.{patch}{pre}"
            if version not in versions:
                versions.add(version)
                steps.append(("tag", draw(st.sampled_from(alive)), version))
    return steps


def build(path: Path, steps: list[tuple]) -> None:
    """The history, written by one `git fast-import`; tags are lightweight refs."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    tips: dict[str, int] = {}
    tags: list[tuple[str, int]] = []
    lines: list[str] = []
    clock = 1_700_000_000
    mark = 0

    def commit(branch: str, message: str, parents: list[int]) -> None:
        nonlocal mark
        mark += 1
        lines.append(f"commit refs/heads/{branch}\nmark :{mark}")
        lines.append(f"committer A <a@example.com> {clock} +0000")
        data = message.encode()
        lines.append(f"data {len(data)}\n{message}")
        for n, parent in enumerate(parents):
            lines.append(f"{'from' if n == 0 else 'merge'} :{parent}")
        lines.append(f"M 644 inline f{mark}\ndata 2\n{mark % 10}\n")
        tips[branch] = mark

    for step in steps:
        if step[0] == "commit":
            clock += 3600 * step[2] if step[2] else 60  # a clock that may run backwards
            parents = [tips[step[1]]] if step[1] in tips else []
            commit(step[1], f"feat: change {mark + 1}", parents)
        elif step[0] == "branch":
            tips[step[1]] = tips[step[2]]
            lines.append(f"reset refs/heads/{step[1]}\nfrom :{tips[step[2]]}\n")
        elif step[0] == "merge" and tips[step[1]] != tips[step[2]]:
            clock += 60
            commit(
                step[1], f"Merge branch '{step[2]}' into {step[1]}", [tips[step[1]], tips[step[2]]]
            )
        elif step[0] == "tag":
            tags.append((f"v{step[2]}", tips[step[1]]))
    for name, target in tags:
        lines.append(f"reset refs/tags/{name}\nfrom :{target}\n")
    lines.append("done\n")
    subprocess.run(
        ["git", "fast-import", "--quiet", "--done"],
        cwd=path,
        input="\n".join(lines).encode(),
        check=True,
    )


def git(path: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=path, capture_output=True, text=True, check=True
    ).stdout


def rev_list(path: Path, head: str, excluded: list[str]) -> set[str]:
    return set(git(path, "rev-list", head, "--not", *excluded, "--").split())


def check_against_git(path: Path, head: str, prereleases: str = "separate") -> None:
    history = read_history(
        GitRepo(path), tag_format="v{version}", head=head, prereleases=prereleases
    )
    # not `git tag --merged`: without a commit-graph it cuts its walk by commit date, and
    # these histories have clocks that run backwards (it misses tags that are there)
    reachable = set(git(path, "rev-list", head).split())
    tagged = (
        line.split()
        for line in git(
            path, "for-each-ref", "--format=%(objectname) %(refname)", "refs/tags"
        ).splitlines()
    )
    merged = {ref.removeprefix("refs/tags/") for sha, ref in tagged if sha in reachable}
    assert {t.name for t in history.branch_releases} == merged
    # the version commands and gates ask the adapter directly: the same answer
    assert GitRepo(path).tags_merged([head]) == merged
    highest = max(merged, key=lambda name: parse_version(name[1:]), default=None)
    assert (history.latest.name if history.latest else None) == highest
    merges = set(git(path, "rev-list", "--merges", "--all").split())
    sections = history.released()
    shas = [s.tag.sha for s in sections]
    assert {s.tag.name for s in sections} <= merged
    for section in sections:
        earlier = [
            sha
            for sha in shas
            if sha != section.tag.sha
            and subprocess.run(
                ["git", "merge-base", "--is-ancestor", sha, section.tag.sha], cwd=path, check=False
            ).returncode
            == 0
        ]
        expected = rev_list(path, section.tag.sha, earlier)
        assert set(section.commits) == expected, section.tag.name
        assert {c.sha for c in section.changes} == expected - merges
    assert set(history.unreleased.commits) == rev_list(path, head, shas)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=histories())
def test_every_listed_commit_is_in_its_release_by_reachability(tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("graph")
    build(path, steps)
    for branch in git(path, "for-each-ref", "--format=%(refname:short)", "refs/heads").split():
        check_against_git(path, branch, "separate")
        check_against_git(path, branch, "hide")


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=histories())
def test_the_changelog_command_lists_the_same_releases(tmp_path_factory, steps, gate, monkeypatch):
    path = tmp_path_factory.mktemp("graph")
    build(path, steps)
    monkeypatch.chdir(path)
    (path / ".gate.yaml").write_text("changelog:\n  prereleases: separate\n")
    outcome = gate("changelog", "--format", "json")
    assert outcome.code == 0, outcome.err
    document = json.loads(outcome.out)
    history = read_history(GitRepo(path), tag_format="v{version}", prereleases="separate")
    assert [r["tag"] for r in document["releases"]] == [
        s.tag.name if s.tag else None for s in history.sections
    ]
    for release, section in zip(document["releases"], history.sections, strict=True):
        assert [c["sha"] for c in release["changes"]] == [c.sha for c in section.changes]


def test_a_feature_forked_before_a_release_and_merged_after_it_is_in_the_next(repo):
    """The shape that put 75 commits of a real history in the wrong release."""
    repo.commit("feat: base")
    repo.branch("feature/late")
    late = repo.commit("feat: started before 1.0.0")
    repo.checkout("main")
    repo.commit("fix: in 1.0.0")
    repo.tag("v1.0.0")
    repo.merge("feature/late")
    repo.tag("v1.1.0")
    history = read_history(GitRepo(repo.path), tag_format="v{version}")
    sections = {s.tag.name: [c.sha for c in s.changes] for s in history.released()}
    assert late in sections["v1.1.0"]
    assert late not in sections["v1.0.0"]


@pytest.mark.parametrize(
    ("mode", "sections"),
    [
        ("fold", ["v2.0.0", "v1.0.0"]),
        ("separate", ["v2.0.0", "v2.0.0-rc.2", "v2.0.0-rc.1", "v1.0.0"]),
        ("hide", ["v2.0.0", "v1.0.0"]),
    ],
)
def test_pre_releases_fold_into_their_final(repo, mode, sections):
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    first = repo.commit("feat: two")
    repo.tag("v2.0.0-rc.1")
    second = repo.commit("fix: three")
    repo.tag("v2.0.0-rc.2")
    third = repo.commit("fix: four")
    repo.tag("v2.0.0")
    history = read_history(GitRepo(repo.path), tag_format="v{version}", prereleases=mode)
    assert [s.tag.name for s in history.released()] == sections
    final = history.released()[0]
    expected = [third] if mode == "separate" else [third, second, first]
    assert [c.sha for c in final.changes] == expected
    assert final.previous.name == ("v2.0.0-rc.2" if mode == "separate" else "v1.0.0")


def test_before_the_final_pre_releases_stand_on_their_own(repo):
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("feat: two")
    repo.tag("v2.0.0-rc.1")
    pending = repo.commit("fix: three")
    history = read_history(GitRepo(repo.path), tag_format="v{version}")
    assert [s.tag.name for s in history.released()] == ["v2.0.0-rc.1", "v1.0.0"]
    assert [c.sha for c in history.unreleased.changes] == [pending]
    hidden = read_history(GitRepo(repo.path), tag_format="v{version}", prereleases="hide")
    assert len(hidden.unreleased.changes) == 2


def test_floating_and_foreign_tags_are_not_releases(repo):
    repo.commit("feat: one")
    repo.tag("v1.2.0")
    repo.tag("v1")
    repo.tag("v1.2")
    repo.tag("nightly")
    repo.commit("fix: two")
    repo.tag("v0.9")  # line-shaped, but on no release of its line: an old tag, not floating
    history = read_history(GitRepo(repo.path), tag_format="v{version}")
    assert [t.name for t in history.branch_releases] == ["v1.2.0"]
    assert history.tags.floating == ["v1", "v1.2"]
    assert history.tags.others == ["nightly", "v0.9"]
    assert history.tags.note() == (
        "ignored 2 floating tag(s) (v1, v1.2) and 2 tag(s) outside the tag format"
        " (nightly, v0.9): they are not releases"
    )


def test_a_pull_request_title_counts_once(repo):
    repo.commit("feat: base")
    repo.branch("topic")
    repo.commit("wip")
    repo.commit("more wip")
    repo.checkout("main")
    titled = repo.merge("topic", "Merge pull request #7 from o/topic\n\nfeat(ui): dark mode")
    repo.branch("conventional")
    own = repo.commit("fix: its own conventional commit")
    repo.checkout("main")
    repo.merge("conventional", "Merge pull request #8 from o/conventional\n\nfix: the title")
    history = read_history(GitRepo(repo.path), tag_format="v{version}")
    changes = [(c.sha, c.type, c.description) for c in history.unreleased.changes]
    assert (titled, "feat", "dark mode") in changes
    assert [c for c in changes if c[1] == "fix"] == [(own, "fix", "its own conventional commit")]


def test_a_revert_in_the_same_release_cancels_both_and_otherwise_is_listed(repo):
    repo.commit("feat: base")
    shipped = repo.commit("feat: shipped in 1.0.0")
    repo.tag("v1.0.0")
    gone = repo.commit("feat: regretted")
    repo.git("revert", "--no-edit", gone)
    repo.git("revert", "--no-edit", shipped)
    history = read_history(GitRepo(repo.path), tag_format="v{version}")
    changes = [(c.type, c.description) for c in history.unreleased.changes]
    assert changes == [("revert", "feat: shipped in 1.0.0")]
