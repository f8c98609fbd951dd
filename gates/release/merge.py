"""`gate release --merge`: git-flow's finish after the release commit.

The release or hotfix branch is merged into the production branch (`--no-ff`), the tag is
placed where `release.tag_on` says (git-flow's way: the merge commit on the production
branch), and the branch is merged back into develop; a hotfix also into an open release
branch, and a hotfix of a support line into that support branch alone. All or nothing: a
conflict, a refusing hook or a signal puts every branch, the tag and the work tree back
where they were, and says which merge stopped it. Pushing stays the user's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gates.errors import GateError

if TYPE_CHECKING:
    from gates.adapters.git import GitRepo
    from gates.context import Context
    from gates.release.release import Plan

RELEASE_ENV = {"GATE_RELEASE": "1"}  # the protected-branch hook lets the release manager in


class Targets(NamedTuple):
    production: str  # the branch the release is merged into and tagged on
    back: list[str]  # the branches it is merged back into, in order


class MergeConflict(GateError):
    """A merge of the finish stopped; everything was put back."""


def targets(ctx: Context) -> Targets:
    """Where this release or hotfix branch goes, as git-flow decides it."""
    from gates.knowledge.gitflow import classify

    branches = ctx.policy.section("branches")
    kind, _ = classify(ctx.branch, branches)
    main = branches.get("main") or "main"
    develop = branches.get("develop") or "develop"
    git = ctx.git
    if kind == "release":
        return Targets(main, _existing(git, [develop]))
    if kind != "hotfix":
        from gates.release.release import ReleaseRefused

        raise ReleaseRefused(
            f"--merge finishes a release or hotfix branch; {ctx.branch or 'HEAD'} is neither",
            hint="check out release/X.Y.Z or hotfix/X.Y.Z (`gate release start` makes one)",
        )
    support = _support_line(ctx, main)
    if support is not None:
        return Targets(support, [])
    return Targets(main, [*_open_releases(ctx), *_existing(git, [develop])])


def _support_line(ctx: Context, main: str) -> str | None:
    """The support branch a hotfix was started from (its head is in the hotfix's history and
    main's is not), or None for a hotfix of the production branch."""
    git = ctx.git
    prefix = (ctx.policy.section("branches").get("prefixes") or {}).get("support") or ""
    if not prefix or (git.rev_parse(f"refs/heads/{main}") and git.is_ancestor(main, "HEAD")):
        return None
    return next((b for b in _local_branches(git, prefix) if git.is_ancestor(b, "HEAD")), None)


def _open_releases(ctx: Context) -> list[str]:
    """Release branches whose version is not released yet: a hotfix goes into them too."""
    from gates.knowledge.semver import format_tag
    from gates.policy.sections import BranchesOptions, VersioningOptions

    tag_format = VersioningOptions.from_policy(ctx.policy).tag_format
    prefix = BranchesOptions.from_policy(ctx.policy).prefixes.release or "release/"
    return [
        name
        for name in _local_branches(ctx.git, prefix)
        if ctx.git.rev_parse(f"refs/tags/{format_tag(name[len(prefix) :], tag_format)}") is None
    ]


def _local_branches(git: GitRepo, prefix: str) -> list[str]:
    out = git.run("for-each-ref", "--format=%(refname:short)", f"refs/heads/{prefix}")
    return sorted(out.split())


def _existing(git: GitRepo, names: list[str]) -> list[str]:
    return [name for name in names if git.rev_parse(f"refs/heads/{name}")]


def refusals(ctx: Context, where: Targets) -> None:
    """Before anything is written: every branch the finish touches is a local branch."""
    if ctx.git.rev_parse(f"refs/heads/{where.production}") is None:
        raise GateError(
            f"there is no local branch {where.production} to merge the release into",
            hint=f"create it from the remote first: git branch {where.production}"
            f" origin/{where.production}",
        )


def finish(ctx: Context, plan: Plan) -> list[str]:
    """The release commit, then the merges and the tag; the lines that say what was done."""
    from gates.release.release import _DeferredSignals, execute

    git = ctx.git
    where = targets(ctx)
    refusals(ctx, where)
    branch = ctx.branch or ""
    from gates.release.options import ReleaseOptions

    on_merge = ReleaseOptions.from_policy(ctx.policy).tag_on == "merge-commit"
    heads = {name: git.resolve(f"refs/heads/{name}") for name in [branch, *_touched(where)]}
    execute(ctx, plan, tag_it=not on_merge)
    tagged = not on_merge
    done = [f"committed {plan.commit_message} on {branch}"]
    with _DeferredSignals() as signals:
        try:
            _merge(ctx, branch, where.production, f"Merge branch '{branch}'")
            done.append(f"merged {branch} into {where.production} (--no-ff)")
            signals.check()
            if on_merge:
                git.run("tag", "-a", plan.tag, "-m", f"Release {plan.version}")
                tagged = True
            signals.check()
            where_tag = where.production if on_merge else branch
            done.append(f"tagged {plan.tag} on {where_tag}")
            for target in where.back:
                _merge(ctx, branch, target, f"Merge branch '{branch}' into {target}")
                done.append(f"merged {branch} back into {target}")
                signals.check()
        except BaseException:
            _put_back(git, branch, heads, plan.tag if tagged else None)
            raise
    return done


def _touched(where: Targets) -> list[str]:
    return [where.production, *where.back]


def _merge(ctx: Context, branch: str, into: str, message: str) -> None:
    """`git merge --no-ff`; the conflicts every git-flow finish meets are resolved (see
    `_resolve`), any other stops the finish."""
    git = ctx.git
    git.run("checkout", "-q", into)
    status, out, err = git.attempt(
        "merge", "--no-ff", "--no-commit", "-m", message, branch, env=RELEASE_ENV
    )
    if status != 0:
        left = _resolve(ctx) if git.attempt("ls-files", "-u")[1] else ["(no conflict)"]
        if left:
            said = [line for line in (out + err).strip().splitlines() if line.strip()]
            what = f"conflicts in {', '.join(left)}" if left != ["(no conflict)"] else said[-1]
            raise MergeConflict(
                f"merging {branch} into {into} stopped: {what}; the finish was undone, every"
                " branch and tag is as it was",
                hint=f"merge {into} into {branch} and resolve the conflict there, commit, then"
                " run `gate release --merge` again",
            )
    if git.attempt("rev-parse", "-q", "--verify", "MERGE_HEAD")[0] == 0:
        git.run("commit", "-q", "--no-edit", env=RELEASE_ENV)


def _resolve(ctx: Context) -> list[str]:
    """Resolve the conflicts a finish always meets, and return the paths still in conflict.

    A hotfix merged back into develop or an open release branch conflicts on the version
    line (each side bumped it) and at the top of the changelog (each side added lines
    there). The branch merged into keeps its own version (`git merge-file --ours`: the
    hotfix's other changes in the file still merge); the changelog keeps both sides'
    lines (`--union`) when the result is still a valid changelog. Anything else is left to
    a person."""
    from gates.adapters.version_files import read_sources
    from gates.knowledge import keepachangelog

    git = ctx.git
    sources = {s.file for s in read_sources(ctx.root, ctx.policy.section("versioning"))}
    from gates.policy.sections import ChangelogOptions

    changelog = ChangelogOptions.from_policy(ctx.policy).file
    left = []
    for path in sorted(set(git.run("diff", "--name-only", "--diff-filter=U").split())):
        how = "--ours" if path in sources else "--union" if path == changelog else None
        merged = _merge_file(git, path, how) if how else None
        if merged is not None and how == "--union":
            merged = _blank_line_before_headings(merged)
            checked = keepachangelog.validate(keepachangelog.parse(merged))
            if any(not problem.warning for problem in checked):
                merged = None
        if merged is None:
            left.append(path)
            continue
        (ctx.root / path).write_text(merged, encoding="utf-8")
        git.run("add", "--", path)
    return left


def _merge_file(git: GitRepo, path: str, how: str) -> str | None:
    """The three-way merge of one conflicted file's stages, conflicts resolved `how`."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        stages = []
        for stage in (2, 1, 3):  # ours, base, theirs: git merge-file's order
            status, text, _ = git.attempt("show", f":{stage}:{path}")
            if status != 0:
                return None  # added or deleted on one side: a person decides
            stages.append(Path(folder) / str(stage))
            stages[-1].write_text(text, encoding="utf-8")
        status, merged, _ = git.attempt("merge-file", "-p", how, *map(str, stages))
        return merged if status == 0 else None


def _blank_line_before_headings(text: str) -> str:
    """A union puts one side's lines right after the other's: keep headings apart."""
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if line.startswith("#") and out and out[-1].strip():
            out.append("")
        out.append(line)
    return "\n".join(out)


def _put_back(git: GitRepo, branch: str, heads: dict[str, str], tag: str | None) -> None:
    """Every branch where it was, the tag gone, and the release branch checked out."""
    if git.attempt("rev-parse", "-q", "--verify", "MERGE_HEAD")[0] == 0:
        git.run("merge", "--abort")
    git.run("checkout", "-q", "-f", branch)
    for name, sha in heads.items():
        if name != branch:
            git.run("update-ref", f"refs/heads/{name}", sha)
    git.run("reset", "-q", "--hard", heads[branch])
    if tag is not None:
        git.run("tag", "-d", tag)
