import json

import pytest

from gates.adapters.ci_env import detect


def test_no_ci():
    assert detect({}).in_ci is False


def test_github_pull_request_with_event_file(tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"title": "feat: add login"}}))
    info = detect(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_HEAD_REF": "feature/login",
            "GITHUB_BASE_REF": "develop",
            "GITHUB_REF": "refs/pull/7/merge",
            "GITHUB_REF_NAME": "7/merge",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "acme/app",
            "GITHUB_RUN_ID": "42",
        }
    )
    assert (info.provider, info.branch, info.target_branch) == (
        "github",
        "feature/login",
        "develop",
    )
    assert info.request_title == "feat: add login"
    assert info.run_url == "https://github.com/acme/app/actions/runs/42"


def test_github_push_and_tag(tmp_path):
    push = detect(
        {"GITHUB_ACTIONS": "true", "GITHUB_REF": "refs/heads/develop", "GITHUB_REF_NAME": "develop"}
    )
    assert (push.branch, push.target_branch, push.tag) == ("develop", None, None)
    tag = detect(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_REF": "refs/tags/v1.2.0",
            "GITHUB_REF_NAME": "v1.2.0",
            "GITHUB_REF_TYPE": "tag",
        }
    )
    assert (tag.branch, tag.tag) == (None, "v1.2.0")
    broken = detect({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": str(tmp_path / "missing.json")})
    assert broken.request_title is None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {
                "GITLAB_CI": "true",
                "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature/x",
                "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "develop",
                "CI_MERGE_REQUEST_TITLE": "fix: y",
            },
            ("gitlab", "feature/x", "develop", "fix: y"),
        ),
        ({"GITLAB_CI": "true", "CI_COMMIT_BRANCH": "develop"}, ("gitlab", "develop", None, None)),
        (
            {
                "JENKINS_URL": "http://j",
                "CHANGE_BRANCH": "feature/x",
                "CHANGE_TARGET": "develop",
                "CHANGE_TITLE": "feat: z",
            },
            ("jenkins", "feature/x", "develop", "feat: z"),
        ),
        (
            {"JENKINS_URL": "http://j", "GIT_BRANCH": "origin/develop"},
            ("jenkins", "develop", None, None),
        ),
        (
            {
                "TF_BUILD": "True",
                "BUILD_SOURCEBRANCH": "refs/pull/1/merge",
                "SYSTEM_PULLREQUEST_SOURCEBRANCH": "refs/heads/feature/x",
                "SYSTEM_PULLREQUEST_TARGETBRANCH": "refs/heads/develop",
            },
            ("azure", "feature/x", "develop", None),
        ),
        (
            {"CIRCLECI": "true", "CIRCLE_BRANCH": "hotfix/1.0.1"},
            ("circleci", "hotfix/1.0.1", None, None),
        ),
        (
            {
                "BITBUCKET_BUILD_NUMBER": "9",
                "BITBUCKET_BRANCH": "feature/x",
                "BITBUCKET_PR_DESTINATION_BRANCH": "develop",
            },
            ("bitbucket", "feature/x", "develop", None),
        ),
        (
            {
                "BUILD_ID": "b1",
                "PROJECT_ID": "p",
                "BRANCH_NAME": "release/1.2.0",
                "_BASE_BRANCH": "main",
            },
            ("cloudbuild", "release/1.2.0", "main", None),
        ),
    ],
)
def test_providers(env, expected):
    info = detect(env)
    assert (info.provider, info.branch, info.target_branch, info.request_title) == expected
    assert info.in_ci
