"""Gate `commit-msg`: one commit message (the file the commit-msg hook gets, or a title) is a
Conventional Commit that the policy allows.

Runs on every commit, so it stays light: no GitPython, no rich; git's own config
(core.commentChar, i18n.commitEncoding) is read with one plain `git config`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gates.errors import GateError
from gates.knowledge.commit_rules import (
    RULE_DOCS,
    CommitPolicy,
    Problem,
    check_header,
    check_message,
)
from gates.model import Finding, Result, Severity
from gates.policy.sections import CommitsOptions
from gates.registry import Doc, Gate, hint, rule

if TYPE_CHECKING:
    import argparse

    from gates.context import Context
    from gates.knowledge.commit_rules import Verdict

GATE_ID = "commit-msg"
CONFIG_KEYS = r"^(core\.comment(char|string)|i18n\.commitencoding)$"

ENCODING_DOC = {
    "summary": "The message file is not UTF-8, nor in the encoding git is told to use.",
    "what": (
        "The file is read as UTF-8 (a BOM is fine); if that fails, in the encoding named by"
        " `git config i18n.commitEncoding`. Anything else cannot be read and fails."
    ),
    "why": "A message in an unknown encoding shows up garbled in every log, forge and changelog.",
    "instead": "Save messages as UTF-8, or set `git config i18n.commitEncoding ISO-8859-1`.",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="the message file, as git passes it to the commit-msg hook; '-' reads stdin",
    )
    parser.add_argument(
        "--title",
        metavar="TEXT",
        help="check TEXT as a pull/merge request title (the header of a squash merge)",
    )


def run(ctx: Context, options: CommitsOptions) -> Result:
    file = ctx.options.get("file")
    title = ctx.options.get("title")
    if not file and title is None:
        raise GateError(
            "no message to check",
            hint="gate check commit-msg FILE (or - for stdin), or --title TEXT",
        )
    policy = CommitPolicy.from_section(
        options.to_dict(), allow_autosquash=ctx.local or options.fixup_in_ci
    )
    findings: list[Finding] = []
    checked = []
    if file:
        text = _read_message(ctx, file)
        if isinstance(text, Finding):
            return Result.of(GATE_ID, [text], "the message cannot be read as text")
        verdict = check_message(text, policy)
        findings += _findings(verdict, path=None if file == "-" else file)
        checked.append(_describe(verdict, "message"))
    if title is not None:
        verdict = check_header(title, policy)
        findings += _findings(verdict, path=None, prefix="title: ")
        checked.append(_describe(verdict, "title"))
    return Result.of(GATE_ID, findings, "; ".join(checked))


def _read_message(ctx: Context, file: str) -> str | Finding:
    from gates.adapters.git import read_config
    from gates.knowledge.commit_message import MessageDecodeError, clean, decode

    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise GateError(
            f"cannot read the message file {file}: {exc.strerror or exc}",
            hint="pass the file git gives the commit-msg hook, or - to read stdin",
        ) from None
    config = read_config(ctx.root, CONFIG_KEYS)
    comment = config.get("core.commentstring") or config.get("core.commentchar") or "#"
    try:
        text = decode(data, config.get("i18n.commitencoding"))
    except MessageDecodeError as error:
        return Finding(
            f"{GATE_ID}.encoding",
            error.message,
            hint=hint(error.hint, f"{GATE_ID}.encoding"),
            path=None if file == "-" else file,
        )
    return clean(text, comment)


def _findings(verdict: Verdict, *, path: str | None, prefix: str = "") -> list[Finding]:
    return [_finding(problem, path, prefix) for problem in verdict.problems]


def _finding(problem: Problem, path: str | None, prefix: str) -> Finding:
    rule = f"{GATE_ID}.{problem.rule}"
    return Finding(
        rule,
        f"{prefix}{problem.message}"
        + (f" (column {problem.column})" if problem.column and not path else ""),
        severity=Severity.WARNING if problem.warning else Severity.ERROR,
        hint=hint(problem.hint, rule),
        path=path,
        line=problem.line,
        column=problem.column,
    )


def _describe(verdict: Verdict, what: str) -> str:
    if verdict.exempt:
        return f"{what}: {verdict.exempt} commit, not checked"
    commit = verdict.commit
    if verdict.errors or commit is None:
        return f"{what}: not a Conventional Commit the policy allows"
    kind = commit.type + (f"({commit.scope})" if commit.scope is not None else "")
    return f"{what}: {kind} commit{' (breaking)' if commit.breaking else ''}"


GATE = Gate(
    id=GATE_ID,
    doc=Doc(
        summary="The commit message is a Conventional Commit that the policy allows.",
        what=(
            "Reads the message file the commit-msg hook gets (`gate hook commit-msg FILE`,"
            " `gate check commit-msg FILE`, `-` for stdin) the way git will store it: comment lines"
            " (core.commentChar, also `auto`) and everything below the `git commit -v` scissors"
            " line dropped, CRLF and a BOM tolerated, non-UTF-8 decoded per i18n.commitEncoding."
            " Then"
            " checks it against Conventional Commits 1.0.0 and the `commits` policy. `--title TEXT`"
            ' checks a pull/merge request title as a header. Merge commits, git\'s `Revert "…"`'
            " commits and the release commit pass unchecked; fixup!/squash!/amend! pass on a"
            " developer machine."
        ),
        why=(
            "Changelogs and version bumps are computed from commit messages; a message that is not"
            " a Conventional Commit is invisible to them. The hook catches it while it is one"
            " `git commit --amend` away."
        ),
        example="Added login form\nfeature: add login form\nfeat (auth): add login form",
        instead="feat(auth): add login form\n\nBREAKING CHANGE: sessions from 1.x are invalid",
        options=(
            "commits.types, commits.scopes, commits.scope_required, commits.header_max_length,"
            " commits.body_max_line_length, commits.exempt_merges, commits.exempt_reverts,"
            " commits.release_commit, commits.fixup_in_ci"
        ),
        inputs=(
            "The message file (or stdin, or --title); git config core.commentChar and"
            " i18n.commitEncoding."
        ),
    ),
    run=run,
    options=CommitsOptions,
    rules=(
        *(rule(GATE_ID, name, **text) for name, text in RULE_DOCS.items()),
        rule(GATE_ID, "encoding", **ENCODING_DOC),
    ),
    add_arguments=add_arguments,
    uses_git=False,
)
