import pytest

from gates.adapters.git import GitRepo, parse_diff, parse_log
from gates.errors import GateError


def test_stream_of_commits_in_a_range(repo):
    first = repo.commit("chore: one")
    repo.commit("feat: two\n\nbody line\n\nRefs: #1")
    repo.commit("fix: three")
    git = GitRepo(repo.path)
    commits = list(git.commits(first))
    assert [c.subject for c in commits] == ["fix: three", "feat: two"]
    assert commits[1].message == "feat: two\n\nbody line\n\nRefs: #1"
    assert commits[0].author == "Ada Lovelace"
    assert len(list(git.commits(None))) == 3


def test_log_parser_handles_chunk_boundaries():
    record = "\x1f".join(["a" * 40, "", "A", "a@x", "1", "2", "feat: x\n"]) + "\x1e"
    text = record * 3
    chunks = [text[i : i + 7] for i in range(0, len(text), 7)]
    assert [c.subject for c in parse_log(iter(chunks))] == ["feat: x"] * 3


def test_diff_lines_and_renames(repo):
    repo.commit("chore: base", {"a.py": "1\n2\n3\n", "old.py": "x = 1\n" * 20})
    base = repo.head
    repo.branch("feature/x")
    repo.write("a.py", "1\nTWO\n3\n4\n")
    (repo.path / "old.py").rename(repo.path / "new.py")
    repo.write("b b.py", "print()\n")
    repo.write("é.py", "print()\n")
    repo.commit("feat: change")
    git = GitRepo(repo.path)
    diff = git.diff(base)
    by_path = {f.path: f for f in diff.files}
    assert by_path["a.py"].status == "M"
    assert diff.added_lines["a.py"] == {2, 4}
    assert by_path["new.py"].status == "R"
    assert by_path["new.py"].old_path == "old.py"
    assert diff.added_lines["b b.py"] == {1}
    assert diff.added_lines["é.py"] == {1}


def test_diff_of_a_deleted_file():
    text = "diff --git a/x.py b/x.py\ndeleted file mode 100644\n--- a/x.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    diff = parse_diff(text)
    assert [(f.status, f.path) for f in diff.files] == [("D", "x.py")]


def test_tags_branches_and_config(repo):
    repo.commit("chore: one")
    repo.tag("v1.0.0", message="release")
    repo.tag("light")
    git = GitRepo(repo.path)
    tags = dict(git.tags())
    assert tags["v1.0.0"] == repo.head == tags["light"]
    assert git.current_branch() == "main"
    assert git.branch_ref("main") == "refs/heads/main"
    assert git.branch_ref("develop") is None
    repo.git("config", "core.commentChar", ";")
    assert git.config("core.commentChar") == ";"
    assert git.config("no.such") is None
    assert git.show("HEAD", "file0.txt") == "chore: one"
    assert git.show("HEAD", "missing") is None
    repo.checkout("HEAD~0^{commit}")
    assert git.current_branch() is None


def test_errors_are_clear(repo, tmp_path):
    git = GitRepo(repo.path)
    assert git.has_commits() is False
    assert git.head_sha() is None
    assert list(git.commits(None)) == []
    with pytest.raises(GateError, match="unknown revision"):
        git.resolve("nope")
    with pytest.raises(GateError, match="not a git repository"):
        GitRepo(tmp_path.parent)
    with pytest.raises(GateError, match="git log failed"):
        git.run("log", "--no-such-option")


def test_shallow_clone_hint(repo, tmp_path):
    for n in range(3):
        repo.commit(f"chore: {n}")
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    git = GitRepo(clone)
    assert git.is_shallow()
    with pytest.raises(GateError) as info:
        git.resolve("HEAD~2")
    assert "unshallow" in info.value.hint


def test_a_failing_log_is_a_clear_error(repo):
    repo.commit("chore: one")
    git = GitRepo(repo.path)
    with pytest.raises(GateError, match="git log failed"):
        list(git.stream_log(["log", "--format=%H", "no-such-revision"]))


def test_a_bare_repository_and_a_file_path(repo, tmp_path):
    repo.commit("chore: one")
    bare = tmp_path / "bare.git"
    repo.git("clone", "-q", "--bare", str(repo.path), str(bare))
    git = GitRepo(bare)
    assert git.bare
    assert git.root == bare
    assert git.head_sha() == repo.head
    inside = GitRepo(repo.path / "file0.txt")
    assert inside.root == repo.path
    with pytest.raises(GateError, match="no such folder"):
        GitRepo(repo.path / "missing")


def test_gitpython_serves_the_object_walks(repo, tmp_path):
    repo.commit("chore: one", {"pkg/a.py": "x = 1\n", "pkg/b.txt": "b\n"})
    git = GitRepo(repo.path)
    assert git.is_dirty() is False
    assert git.export("HEAD", "pkg", tmp_path / "out", (".py",))
    assert (tmp_path / "out" / "pkg" / "a.py").read_text() == "x = 1\n"
    assert not (tmp_path / "out" / "pkg" / "b.txt").exists()
    assert git.export("HEAD", "nothing-here", tmp_path / "none") is False
    repo.write("pkg/a.py", "x = 2\n")
    assert git.is_dirty() is True
