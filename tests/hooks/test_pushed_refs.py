from gates.knowledge.pushed_refs import ZERO_SHA, PushedRef, from_pre_commit_env, parse_pre_push

A = "a" * 40
B = "b" * 40


def test_parse_pre_push_lines_branch_tag_and_delete():
    text = (
        f"refs/heads/feature/login {A} refs/heads/feature/login {ZERO_SHA}\n"
        f"refs/tags/v1.0.0 {B} refs/tags/v1.0.0 {ZERO_SHA}\n"
        f"(delete) {ZERO_SHA} refs/heads/old {A}\n"
        "garbage line\n"
    )
    refs = parse_pre_push(text)
    assert [r.local_ref for r in refs] == [
        "refs/heads/feature/login",
        "refs/tags/v1.0.0",
        "(delete)",
    ]
    login, tag, deleted = refs
    assert login.branch == "feature/login" and login.checkable
    assert tag.is_tag and not tag.checkable
    assert deleted.deleted and not deleted.checkable


def test_a_commit_pushed_by_sha_has_no_branch():
    ref = PushedRef("HEAD~1", A, "refs/heads/x", B)
    assert ref.branch is None
    assert ref.checkable


def test_pre_commit_env_describes_the_push_only_under_pre_commit():
    env = {
        "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/feature/a",
        "PRE_COMMIT_TO_REF": A,
        "PRE_COMMIT_FROM_REF": B,
        "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/feature/a",
    }
    assert from_pre_commit_env(env) is None
    ref = from_pre_commit_env({**env, "PRE_COMMIT": "1"})
    assert ref == PushedRef("refs/heads/feature/a", A, "refs/heads/feature/a", B)
    assert ref.branch == "feature/a"


def test_pre_commit_env_without_push_variables_is_no_push():
    assert from_pre_commit_env({"PRE_COMMIT": "1"}) is None


def test_pre_commit_root_push_has_the_branch_but_no_sha():
    ref = from_pre_commit_env({"PRE_COMMIT": "1", "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main"})
    assert ref is not None
    assert ref.branch == "main"
    assert ref.local_sha == "refs/heads/main"
    assert ref.checkable
