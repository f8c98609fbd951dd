"""Wall time of the git hooks as a developer feels them: pre-commit, commit-msg and pre-push.

    python benchmarks/hooks.py [--history 1000] [--push 20] [--runs 15]

The repository comes from benchmarks/synth.py: --history commits on develop, then a feature
branch, feature/bench, with --push commits that are not on the remote yet, checked out, and a
staged change. Each hook runs exactly as git runs it:

    gate hook pre-commit
    gate hook commit-msg .git/COMMIT_EDITMSG
    gate hook pre-push origin URL     (stdin: `refs/heads/feature/bench <sha> refs/heads/... <sha>`)

The pre-push hook checks the pushed branch: branch name, every commit of the branch since
develop, and the changelog. Its exit code is 1 when the synthetic history holds a
non-conforming message in that range (about 5% of them do); that is the hook doing its job.
The floors are `python -c pass` (the interpreter starting) and `git status`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from benchmarks.common import (  # noqa: E402
    WORK,
    bench_env,
    gate_command,
    git,
    load_average,
    markdown_table,
    measure,
)
from benchmarks.synth import generate  # noqa: E402

BRANCH = "feature/bench"
MESSAGE = """\
feat(api): accept a request id

Dismiss responses other than from the latest request.

Refs: #123
# Please enter the commit message for your changes. Lines starting
# with '#' will be ignored, and an empty message aborts the commit.
"""


def make_repository(root: Path, history: int, push: int) -> Path:
    repo = root / f"hooks-{history}-{push}"
    marker = repo / ".git" / "bench-ready"
    if not marker.exists():
        if repo.exists():
            shutil.rmtree(repo)
        generate(repo, history + push)
        git(repo, "branch", "-f", "develop", f"HEAD~{push}")
        git(repo, "checkout", "-q", "-b", BRANCH)
        # the remote knows develop only: what the push sends is develop..feature/bench
        git(repo, "update-ref", "refs/remotes/origin/develop", "develop")
        marker.write_text("")
    (repo / "src" / "module_1.py").write_text("value = 'staged'\n")
    git(repo, "add", "src/module_1.py")
    (repo / ".git" / "COMMIT_EDITMSG").write_text(MESSAGE)
    head = git(repo, "rev-parse", "HEAD").strip()
    remote = "0" * 40  # a new branch on the remote
    (repo / ".git" / "bench-pre-push-stdin").write_text(
        f"refs/heads/{BRANCH} {head} refs/heads/{BRANCH} {remote}\n"
    )
    return repo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--history", type=int, default=1000, help="commits on develop")
    parser.add_argument("--push", type=int, default=20, help="commits the push sends")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per row (default 15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--no-peers", action="store_true", help="accepted for symmetry: no peers")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args(argv)

    WORK.mkdir(parents=True, exist_ok=True)
    repo = make_repository(WORK, args.history, args.push)
    env = bench_env()
    gate = gate_command()
    stdin = repo / ".git" / "bench-pre-push-stdin"
    plan: list[tuple[str, list[str], Path | None]] = [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("git status", ["git", "status", "--short"], None),
        ("gate hook pre-commit", [*gate, "hook", "pre-commit"], None),
        ("gate hook commit-msg FILE", [*gate, "hook", "commit-msg", ".git/COMMIT_EDITMSG"], None),
        (
            f"gate hook pre-push ({args.push} commits)",
            [*gate, "hook", "pre-push", "origin", "https://example.com/bench.git"],
            stdin,
        ),
    ]
    timings = [
        measure(name, command, repo, env, runs=args.runs, warmup=args.warmup, stdin=source)
        for name, command, source in plan
    ]
    text = "\n".join(
        [
            f"hooks on feature/bench ({args.push} commits off develop, {args.history:,} before);"
            f" {args.runs} runs after {args.warmup} warm-up; load average {load_average()}",
            "",
            markdown_table(timings),
        ]
    )
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
