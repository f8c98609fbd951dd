"""What the CI system says about this run: provider, branch, target branch, request title.

In CI, HEAD is usually detached; each provider names the branch and the target
of a pull or merge request in its own variables.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import NamedTuple


class CiInfo(NamedTuple):
    provider: str | None = None
    branch: str | None = None
    target_branch: str | None = None
    tag: str | None = None
    request_title: str | None = None
    run_url: str | None = None
    commit: str | None = None

    @property
    def in_ci(self) -> bool:
        return self.provider is not None


def _strip_ref(ref: str | None) -> str | None:
    if not ref:
        return None
    for prefix in ("refs/heads/", "refs/tags/", "origin/"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return ref


def _github(env: Mapping[str, str]) -> CiInfo:
    title = None
    event_path = env.get("GITHUB_EVENT_PATH")
    if event_path:
        try:
            with open(event_path, encoding="utf-8") as fh:
                event = json.load(fh)
            title = (event.get("pull_request") or {}).get("title")
        except (OSError, ValueError, AttributeError):
            title = None
    is_tag = env.get("GITHUB_REF_TYPE") == "tag" or env.get("GITHUB_REF", "").startswith(
        "refs/tags/"
    )
    branch = env.get("GITHUB_HEAD_REF") or (None if is_tag else env.get("GITHUB_REF_NAME"))
    server = env.get("GITHUB_SERVER_URL", "https://github.com")
    run = env.get("GITHUB_RUN_ID")
    repo = env.get("GITHUB_REPOSITORY")
    return CiInfo(
        provider="github",
        branch=branch,
        target_branch=env.get("GITHUB_BASE_REF") or None,
        tag=env.get("GITHUB_REF_NAME") if is_tag else None,
        request_title=title,
        run_url=f"{server}/{repo}/actions/runs/{run}" if run and repo else None,
        commit=env.get("GITHUB_SHA"),
    )


def _gitlab(env: Mapping[str, str]) -> CiInfo:
    return CiInfo(
        provider="gitlab",
        branch=env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME") or env.get("CI_COMMIT_BRANCH"),
        target_branch=env.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
        tag=env.get("CI_COMMIT_TAG"),
        request_title=env.get("CI_MERGE_REQUEST_TITLE"),
        run_url=env.get("CI_PIPELINE_URL") or env.get("CI_JOB_URL"),
        commit=env.get("CI_COMMIT_SHA"),
    )


def _cloud_build(env: Mapping[str, str]) -> CiInfo:
    return CiInfo(
        provider="cloudbuild",
        branch=env.get("_HEAD_BRANCH") or env.get("BRANCH_NAME"),
        target_branch=env.get("_BASE_BRANCH"),
        tag=env.get("TAG_NAME"),
        commit=env.get("COMMIT_SHA"),
    )


def _jenkins(env: Mapping[str, str]) -> CiInfo:
    return CiInfo(
        provider="jenkins",
        branch=env.get("CHANGE_BRANCH")
        or _strip_ref(env.get("BRANCH_NAME") or env.get("GIT_BRANCH")),
        target_branch=env.get("CHANGE_TARGET"),
        tag=env.get("TAG_NAME"),
        request_title=env.get("CHANGE_TITLE"),
        run_url=env.get("BUILD_URL"),
        commit=env.get("GIT_COMMIT"),
    )


def _azure(env: Mapping[str, str]) -> CiInfo:
    source = env.get("SYSTEM_PULLREQUEST_SOURCEBRANCH") or env.get("BUILD_SOURCEBRANCH")
    source_ref = env.get("BUILD_SOURCEBRANCH", "")
    return CiInfo(
        provider="azure",
        branch=None
        if source_ref.startswith("refs/tags/") and not env.get("SYSTEM_PULLREQUEST_SOURCEBRANCH")
        else _strip_ref(source),
        target_branch=_strip_ref(env.get("SYSTEM_PULLREQUEST_TARGETBRANCH")),
        tag=_strip_ref(source_ref) if source_ref.startswith("refs/tags/") else None,
        commit=env.get("BUILD_SOURCEVERSION"),
    )


def _circle(env: Mapping[str, str]) -> CiInfo:
    return CiInfo(
        provider="circleci",
        branch=env.get("CIRCLE_BRANCH"),
        target_branch=None,
        tag=env.get("CIRCLE_TAG"),
        run_url=env.get("CIRCLE_BUILD_URL"),
        commit=env.get("CIRCLE_SHA1"),
    )


def _bitbucket(env: Mapping[str, str]) -> CiInfo:
    return CiInfo(
        provider="bitbucket",
        branch=env.get("BITBUCKET_BRANCH"),
        target_branch=env.get("BITBUCKET_PR_DESTINATION_BRANCH"),
        tag=env.get("BITBUCKET_TAG"),
        commit=env.get("BITBUCKET_COMMIT"),
    )


_DETECTORS = (
    ("GITHUB_ACTIONS", _github),
    ("GITLAB_CI", _gitlab),
    ("JENKINS_URL", _jenkins),
    ("TF_BUILD", _azure),
    ("CIRCLECI", _circle),
    ("BITBUCKET_BUILD_NUMBER", _bitbucket),
    ("BUILD_ID", None),  # Cloud Build: needs PROJECT_ID beside BUILD_ID
)


def detect(env: Mapping[str, str] | None = None) -> CiInfo:
    env = os.environ if env is None else env
    for variable, reader in _DETECTORS:
        if reader is None:
            if env.get("BUILD_ID") and env.get("PROJECT_ID"):
                return _cloud_build(env)
            continue
        if env.get(variable):
            return reader(env)
    if env.get("CI", "").lower() not in ("", "0", "false", "no"):
        return CiInfo(provider="ci")  # any other CI: most set CI=true
    return CiInfo()
