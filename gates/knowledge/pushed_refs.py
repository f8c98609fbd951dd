"""What a push sends, as git's pre-push hook and the pre-commit framework describe it.

Git gives the pre-push hook one line per ref on stdin:
`<local ref> <local sha> <remote ref> <remote sha>`; a deleted ref has an
all-zero local sha, a new remote ref an all-zero remote sha. Pre-commit reads
those lines itself and hands its hooks the first pushed ref in environment
variables (PRE_COMMIT_LOCAL_BRANCH, PRE_COMMIT_TO_REF, …).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

ZERO_SHA = "0" * 40
BRANCH_PREFIX = "refs/heads/"
TAG_PREFIX = "refs/tags/"


class PushedRef(NamedTuple):
    local_ref: str
    local_sha: str
    remote_ref: str = ""
    remote_sha: str = ZERO_SHA

    @property
    def deleted(self) -> bool:
        return self.local_sha.strip("0") == ""

    @property
    def is_tag(self) -> bool:
        return self.local_ref.startswith(TAG_PREFIX) or self.remote_ref.startswith(TAG_PREFIX)

    @property
    def branch(self) -> str | None:
        """The local branch pushed; None when the push names a commit (`git push o HEAD~1:x`)."""
        if self.local_ref.startswith(BRANCH_PREFIX):
            return self.local_ref[len(BRANCH_PREFIX) :]
        return None

    @property
    def checkable(self) -> bool:
        """A branch update that sends commits: deletions and tags carry nothing to check."""
        return not self.deleted and not self.is_tag


def parse_pre_push(text: str) -> list[PushedRef]:
    """The refs of a pre-push hook's stdin; lines that are not four fields are ignored."""
    refs = []
    for line in text.splitlines():
        parts = line.rsplit(maxsplit=3)
        if len(parts) == 4:
            refs.append(PushedRef(*parts))
    return refs


def from_pre_commit_env(env: Mapping[str, str]) -> PushedRef | None:
    """The ref pre-commit's pre-push stage is checking, or None outside a pushing pre-commit."""
    if not env.get("PRE_COMMIT"):
        return None
    local_ref = env.get("PRE_COMMIT_LOCAL_BRANCH", "")
    head = env.get("PRE_COMMIT_TO_REF", "")
    if not local_ref and not head:
        return None
    return PushedRef(
        local_ref=local_ref or head,
        local_sha=head or local_ref,
        remote_ref=env.get("PRE_COMMIT_REMOTE_BRANCH", ""),
        remote_sha=env.get("PRE_COMMIT_FROM_REF", ZERO_SHA),
    )
