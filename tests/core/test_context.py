import pytest

from gates.context import Context
from gates.errors import GateError
from gates.policy import load_preset


def make(repo, **options):
    return Context(
        root=repo.path, policy=load_preset("gitflow"), stage="ci", options=options, env={}
    )


@pytest.fixture
def flow(repo):
    repo.commit("chore: init")
    repo.branch("develop")
    fork = repo.commit("feat: on develop")
    repo.branch("feature/login")
    repo.commit("feat: login", {"login.py": "x = 1\n"})
    return fork


def test_feature_branch_compares_with_develop_by_default(repo, flow):
    ctx = make(repo)
    assert ctx.branch == "feature/login"
    assert ctx.base == flow
    assert [c.subject for c in ctx.commits()] == ["feat: login"]
    assert [f.path for f in ctx.diff.files] == ["login.py"]


def test_explicit_base_and_target(repo, flow):
    assert make(repo, base="main").base == repo.git("rev-parse", "main")
    assert make(repo, target="main").base == repo.git("rev-parse", "main")
    with pytest.raises(GateError, match="target branch 'nowhere' is not in this clone"):
        _ = make(repo, target="nowhere").base


def test_ci_variables_on_a_detached_head(repo, flow):
    repo.checkout(repo.head)
    ctx = Context(
        root=repo.path,
        policy=load_preset("gitflow"),
        stage="ci",
        env={
            "GITLAB_CI": "true",
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature/login",
            "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "develop",
        },
    )
    assert ctx.git.current_branch() is None
    assert ctx.branch == "feature/login"
    assert ctx.target_branch == "develop"
    assert ctx.base == flow
    assert ctx.local is False


def test_no_base_on_main_and_no_commits(repo):
    empty = make(repo)
    with pytest.raises(GateError, match="no commits"):
        _ = empty.head
    assert empty.repository_info() == {"commit": None, "branch": None, "base": None}
    repo.commit("chore: init")
    ctx = make(repo)
    assert ctx.base is None
    with pytest.raises(GateError, match="no base"):
        _ = ctx.diff
    with pytest.raises(GateError, match="no base"):
        ctx.commits()
    assert ctx.repository_info()["branch"] == "main"


def test_a_prefetched_diff_is_the_diff(repo, flow):
    repo.commit("feat: more", {"login.py": "x = 1\ny = 2\n", "docs/a.md": "a\n"})
    ctx = make(repo)
    ctx.prefetch_diff()
    ctx.prefetch_diff()  # once started, not started again
    assert ctx.diff == make(repo).git.diff(ctx.base, ctx.head)
    assert ctx.diff.added_lines == {"login.py": {1, 2}, "docs/a.md": {1}}


def test_a_prefetch_that_cannot_start_leaves_the_error_to_diff(repo, flow):
    ctx = make(repo, target="nowhere")
    ctx.prefetch_diff()
    with pytest.raises(GateError, match="target branch 'nowhere' is not in this clone"):
        _ = ctx.diff


def test_a_prefetch_of_a_range_git_refuses_fails_when_collected(repo, flow):
    ctx = make(repo)
    pending = ctx.git.start_diff("0" * 40, ctx.head)
    with pytest.raises(GateError, match="git diff failed"):
        pending.result()


def test_a_prefetch_nobody_collects_is_stopped(repo, flow):
    ctx = make(repo)
    ctx.prefetch_diff()
    pending = ctx._pending_diff
    assert pending is not None
    ctx.cancel_prefetch()
    assert pending.process.returncode is not None
    assert pending.out.closed and pending.err.closed
    ctx.cancel_prefetch()  # nothing left to stop
    assert [f.path for f in ctx.diff.files] == ["login.py"]  # asked anew
