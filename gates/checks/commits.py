"""Gate `commits`: every commit in base..head is a Conventional Commit the policy allows, and so
is the pull/merge request title that a squash merge turns into the commit header."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.errors import GateError
from gates.knowledge.commit_rules import (
    RULE_DOCS,
    CommitPolicy,
    Verdict,
    check_header,
    check_message,
)
from gates.model import Finding, Result, Severity
from gates.policy.sections import CommitsOptions
from gates.registry import Doc, Gate, hint, rule

if TYPE_CHECKING:
    from gates.adapters.git import Commit
    from gates.context import Context

GATE_ID = "commits"

TITLE_DOC = {
    "summary": "The pull/merge request title is not a Conventional Commit header.",
    "what": (
        "In CI, on a pull or merge request, the title (from GitHub's event file, GitLab's"
        " CI_MERGE_REQUEST_TITLE, Jenkins' CHANGE_TITLE) is checked like a commit header. A"
        " `Draft:`/`WIP:` prefix is ignored. `commits.check_pr_title: false` turns it off."
    ),
    "why": "A squash merge makes the title the commit header that lands on the target branch.",
    "example": "Add login form",
    "instead": "feat(auth): add login form",
    "options": "commits.check_pr_title",
}


def run(ctx: Context, options: CommitsOptions) -> Result:
    policy = CommitPolicy.from_section(
        options.to_dict(), allow_autosquash=ctx.local or options.fixup_in_ci
    )
    findings = _title_findings(ctx, options, policy)
    if not ctx.git.has_commits():
        if ctx.stage in ("pre-push", "ci", "deploy"):  # these stages certify commits
            raise GateError(
                f"the repository has no commits: nothing for the {ctx.stage} stage to check",
                hint="commit first; in CI, check out the commit under test",
            )
        return Result.skip(GATE_ID, "the repository has no commits yet", findings)
    if ctx.base is None:
        note = Finding(
            f"{GATE_ID}.range",
            f"no range to check: '{ctx.branch or 'HEAD'}' has no base branch to compare with",
            severity=Severity.NOTE,
            hint="pass --base REF (or --target BRANCH); in CI, run on a pull/merge request",
        )
        if any(f.severity is not Severity.NOTE for f in findings):
            return Result.of(GATE_ID, [*findings, note], "the request title breaks the convention")
        return Result.skip(
            GATE_ID, "no base to compare with: commits not checked", [*findings, note]
        )
    commits = list(reversed(ctx.commits()))
    exempt: dict[str, int] = {}
    bad = 0
    for commit in commits:
        verdict = check_message(commit.message, policy, merge=commit.is_merge)
        if verdict.exempt:
            exempt[verdict.exempt] = exempt.get(verdict.exempt, 0) + 1
            continue
        finding = _commit_finding(ctx, commit, verdict)
        if finding:
            findings.append(finding)
            bad += finding.severity is Severity.ERROR
    return Result.of(GATE_ID, findings, _summary(len(commits), exempt, bad, ctx.base))


def _summary(total: int, exempt: dict[str, int], bad: int, base: str) -> str:
    if not total:
        return f"no commits after {base[:8]}"
    text = f"{total} commit{'s' if total != 1 else ''} checked"
    if exempt:
        text += " (" + ", ".join(f"{n} {why}" for why, n in sorted(exempt.items())) + " exempt)"
    if bad:
        text += f"; {bad} not a Conventional Commit the policy allows"
    return text


def _commit_finding(ctx: Context, commit: Commit, verdict: Verdict) -> Finding | None:
    problems = verdict.errors or verdict.warnings
    if not problems:
        return None
    first = problems[0]
    rule = f"{GATE_ID}.{first.rule}"
    subject = commit.subject if len(commit.subject) <= 72 else commit.subject[:71] + "…"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    short = commit.sha[:8]
    base = ctx.base[:8] if ctx.base else f"{short}^"
    if first.rule == "fixup":
        steps = [f"squash it: git rebase -i --autosquash {base}"]
    elif commit.sha == ctx.head:
        steps = [first.hint, "reword it: git commit --amend"]
    else:
        steps = [first.hint, f"reword it: git rebase -i {base}, mark {short} as `reword`"]
    return Finding(
        rule,
        f"{short} {subject!r}: {first.message}{more}",
        severity=Severity.WARNING if first.warning else Severity.ERROR,
        hint=hint("\n".join(steps) + ", then push again", rule),
        commit=commit.sha,
    )


def _title_findings(ctx: Context, options: CommitsOptions, policy: CommitPolicy) -> list[Finding]:
    if not options.check_pr_title or ctx.local:
        return []
    title = ctx.ci.request_title
    if title is None:
        if ctx.ci.target_branch:
            return [
                Finding(
                    f"{GATE_ID}.title",
                    f"the {ctx.ci.provider} request title is not available: not checked",
                    severity=Severity.NOTE,
                    hint="GitHub: the pull_request event file; GitLab: merge request pipelines",
                )
            ]
        return []
    verdict = check_header(title, policy)
    return [
        Finding(
            f"{GATE_ID}.title",
            f"request title {title!r}: {problem.message}",
            severity=Severity.WARNING if problem.warning else Severity.ERROR,
            hint=hint(
                f"{problem.hint}\nedit the pull/merge request title: a squash merge makes it the"
                " commit header",
                f"{GATE_ID}.title",
            ),
        )
        for problem in verdict.problems
    ]


RANGE_DOC = {
    "summary": "There is no range to check (a note): no base branch is known.",
    "what": (
        "The gate checks base..head. Without --base, --target or a pull/merge request in CI,"
        " a branch with no merge target (main itself) has no base: the gate skips with this note."
    ),
    "why": "Checking all history would judge commits that were made before the policy existed.",
    "instead": "gate check commits --base origin/develop",
}

GATE = Gate(
    id=GATE_ID,
    doc=Doc(
        summary="Every commit in base..head, and the request title, is a Conventional Commit.",
        what=(
            "Reads the commits of the change (base..head: --base, else the merge base with the"
            " target branch) and checks each message against Conventional Commits 1.0.0 and the"
            " `commits` policy, one finding per bad commit with its short sha and subject. In CI"
            " the pull/merge request title is checked as a header too. Merge commits, git's"
            ' `Revert "…"` commits and the release commit pass unchecked; fixup!/squash!/amend!'
            " commits pass on a developer machine (pre-push) and fail in CI."
        ),
        why=(
            "Version bumps and the changelog are computed from these commits after they merge;"
            " a bad one is cheap to reword now and impossible to fix once on main."
        ),
        example="a1b2c3d4 'Added login form'",
        instead="git rebase -i origin/develop; mark it `reword`; feat(auth): add login form",
        options=(
            "commits.types, commits.scopes, commits.scope_required, commits.header_max_length,"
            " commits.body_max_line_length, commits.exempt_merges, commits.exempt_reverts,"
            " commits.release_commit, commits.fixup_in_ci, commits.check_pr_title"
        ),
        inputs="git log base..head; the CI's pull/merge request title.",
    ),
    run=run,
    options=CommitsOptions,
    rules=(
        *(rule(GATE_ID, name, **text) for name, text in RULE_DOCS.items()),
        rule(GATE_ID, "title", **TITLE_DOC),
        rule(GATE_ID, "range", **RANGE_DOC),
    ),
)
