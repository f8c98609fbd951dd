"""What a gate may know about the run: the policy, the repository, the CI, the options.

Everything is computed on first use, so a gate that needs no git (the
commit-msg hook) never loads GitPython.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.errors import GateError

if TYPE_CHECKING:
    from gates.adapters.ci_env import CiInfo
    from gates.adapters.git import Commit, Diff, GitRepo, Started
    from gates.policy import Policy


class Context:
    """A plain class (no dataclass on the hook path, see gates/model.py); the properties
    below are cached per run."""

    def __init__(
        self,
        root: Path,
        policy: Policy,
        stage: str | None = None,
        *,
        options: dict[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        self.root = root
        self.policy = policy
        self.stage = stage
        self.options: dict[str, Any] = {} if options is None else options
        self.env: Mapping[str, str] = dict(os.environ) if env is None else env
        self.now = dt.datetime.now(dt.UTC) if now is None else now
        self._pending_diff: Started[Diff] | None = None
        # policy.changed findings: what the change does to the policy that judges it
        self.policy_review: list[Any] = []

    def __repr__(self) -> str:
        return f"Context(root={self.root!r}, stage={self.stage!r}, options={self.options!r})"

    @property
    def local(self) -> bool:
        """A developer machine (hook stages), not CI."""
        return self.stage in ("pre-commit", "commit-msg", "pre-push") or not self.ci.in_ci

    def evidence_required(self, required: bool | None) -> bool:
        """Whether a gate whose input is missing (coverage data, a JUnit report) blocks (exit
        3): as the policy's `required` says, and where it says nothing, in CI yes, on a
        developer's machine no (a skip with a note)."""
        return (not self.local) if required is None else required

    @cached_property
    def git(self) -> GitRepo:
        from gates.adapters.git import GitRepo

        return GitRepo(self.root)

    @cached_property
    def ci(self) -> CiInfo:
        from gates.adapters.ci_env import detect

        return detect(self.env)

    @cached_property
    def branch(self) -> str | None:
        """The branch under check: --branch, else the CI's word, else the checked-out branch."""
        return self.options.get("branch") or self.ci.branch or self.git.current_branch()

    @cached_property
    def target_branch(self) -> str | None:
        """Where the change is going: --target, else the pull/merge request's target."""
        return self.options.get("target") or self.ci.target_branch

    @cached_property
    def head(self) -> str:
        current = self.git.head_sha()
        if current is None:
            raise GateError(
                "the repository has no commits yet", hint="make a first commit, then run the gate"
            )
        explicit = self.options.get("head")
        return self.git.resolve(explicit) if explicit and explicit != "HEAD" else current

    @cached_property
    def base(self) -> str | None:
        """Start of the change: --base, else the merge base with the target branch, else the
        merge base with the branch kind's first merge target that exists (feature → develop)."""
        explicit = self.options.get("base")
        if explicit:
            base = self.git.resolve(explicit)
            if self.git.is_shallow():
                # a graft between base and head would cut base..head short without a word
                self.git.merge_base(base, self.head)
            return base
        for target in self._targets():
            ref = self.git.branch_ref(target)
            if ref is None:
                if target == self.target_branch:
                    hint = f"fetch it: git fetch origin {target}"
                    if self.git.is_shallow():
                        hint = "this is a shallow clone: git fetch --unshallow, or fetch-depth: 0"
                    raise GateError(f"target branch '{target}' is not in this clone", hint=hint)
                continue
            base = self.git.merge_base(ref, self.head)
            if base == self.head and target != self.target_branch:
                continue
            return base
        return None

    def _targets(self) -> list[str]:
        if self.target_branch:
            return [self.target_branch]
        from gates.knowledge.gitflow import PREFIX_KINDS, classify

        branches = self.policy.section("branches")
        kind, _ = classify(self.branch, branches)
        if kind not in PREFIX_KINDS:
            return []
        targets = (branches.get("merge_targets") or {}).get(kind, [])
        names = {"main": branches.get("main"), "develop": branches.get("develop")}
        return [names.get(t) or t for t in targets if names.get(t, t)]

    @cached_property
    def diff(self) -> Diff:
        """Files changed and lines added in base..head."""
        if self.base is None:
            raise GateError(
                "no base to compare with: the change's range is unknown",
                hint="pass --base REF (or --target BRANCH); in CI, run on a pull/merge request",
            )
        pending, self._pending_diff = self._pending_diff, None
        return pending.result() if pending else self.git.diff(self.base, self.head)

    def prefetch_diff(self) -> None:
        """Start `git diff` for `diff` now, so that git compares the trees while the caller
        works (the coverage gate parses its data meanwhile). Cannot fail: whatever goes wrong
        is raised by `diff`, where it always was."""
        if "diff" in self.__dict__ or self._pending_diff is not None:
            return
        try:
            if self.base is not None:
                self._pending_diff = self.git.start_diff(self.base, self.head)
        except GateError:
            return

    def cancel_prefetch(self) -> None:
        """Stop a prefetched `git diff` that `diff` never collected (a gate that ended early)."""
        pending, self._pending_diff = self._pending_diff, None
        if pending is not None:
            pending.cancel()

    def commits(self) -> list[Commit]:
        """Commits in base..head, newest first."""
        return list(self._range_commits)

    @cached_property
    def _range_commits(self) -> tuple[Commit, ...]:
        """Read once per run: the commits, tests-with-code and changelog gates all ask."""
        if self.base is None:
            raise GateError(
                "no base to compare with: the change's range is unknown",
                hint="pass --base REF (or --target BRANCH); in CI, run on a pull/merge request",
            )
        return tuple(self.git.commits(self.base, self.head))

    def repository_info(self) -> dict[str, str | None]:
        info: dict[str, str | None] = {"commit": None, "branch": None, "base": None}
        try:
            info["commit"] = self.head
            info["branch"] = self.branch
            info["base"] = self.base
        except GateError:
            pass
        return info
