"""The audit log: one JSON line per deploy-stage verdict, with a `severity` log collectors read.

`severity` uses the Cloud Logging names (INFO, WARNING, ERROR), and `message`
is the one-line text, so Cloud Logging, Loki or jq take the line as it is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gates.errors import GateError

ACTOR_VARIABLES = (
    "GATE_ACTOR",
    "GITHUB_ACTOR",
    "GITLAB_USER_LOGIN",
    "BUILD_USER_ID",
    "BUILD_REQUESTEDFOR",
    "CIRCLE_USERNAME",
    "BITBUCKET_STEP_TRIGGERER_UUID",
    "USER",
    "USERNAME",
)


def actor(env: Mapping[str, str], git_user: str | None = None) -> str | None:
    """Who runs the deploy: the CI's word for the user, else the git user, else the login."""
    for name in ACTOR_VARIABLES[:-2]:
        if env.get(name):
            return env[name]
    return git_user or next((env[name] for name in ACTOR_VARIABLES[-2:] if env.get(name)), None)


def severity(passed: bool, warnings: bool) -> str:
    if not passed:
        return "ERROR"
    return "WARNING" if warnings else "INFO"


def append(path: Path, record: dict[str, Any]) -> None:
    """Append one line; O_APPEND keeps concurrent writers' lines whole."""
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as exc:
        raise GateError(
            f"cannot append to the audit log {path}: {exc.strerror or exc}",
            hint="check deploy.audit_log in the policy and the folder's permissions",
        ) from None
