"""Time `gate run --stage ci` on a 1,000-commit range, without the test run itself.

    python benchmarks/ci_stage.py [--range 1000] [--history 1000] [--runs 7] [--check]

The repository comes from benchmarks/synth.py: --history commits on develop, then a feature
branch, feature/bench, of --range more (Conventional Commits, ~5% non-conforming, each
touching one of 200 modules), checked out. The gate runs as in a GitHub Actions pull request
from feature/bench into develop (GITHUB_ACTIONS, GITHUB_HEAD_REF, GITHUB_BASE_REF), so every
gate of the ci stage runs on the whole range: branch-name, merge-target, commits (every
message), tests-with-code, coverage, version, changelog, lint (ruff on the changed files),
tests and build-time.

Two inputs, each a row:
- absent: no coverage data, no JUnit XML: those gates skip with their note;
- small: a small coverage.xml of the changed modules and a junit.xml of 200 test cases, as a
  test job would leave them, so coverage, tests and build-time do their work.

Reported per row: median and fastest wall time, median CPU time, max RSS, exit code (1 is
expected: the synthetic history has non-conforming commits and no tests). The floor is
`git log` of the same range. Target: under a second (--check exits 1 when missed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
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
TARGET_MS = 1000.0


def make_repository(root: Path, history: int, change: int) -> Path:
    """develop with `history` commits and feature/bench `change` commits ahead, checked out."""
    repo = root / f"ci-{history}-{change}"
    marker = repo / ".git" / "bench-ready"
    if marker.exists():
        return repo
    if repo.exists():
        shutil.rmtree(repo)
    generate(repo, history + change)
    git(repo, "branch", "-f", "develop", f"HEAD~{change}")
    git(repo, "checkout", "-q", "-b", BRANCH)
    marker.write_text("")
    return repo


def write_small_inputs(repo: Path, junit_cases: int = 200) -> list[Path]:
    """coverage.xml of every module in src/ (one statement each, 90% covered) and a junit.xml."""
    modules = sorted(p.relative_to(repo).as_posix() for p in (repo / "src").glob("*.py"))
    classes = []
    for number, path in enumerate(modules):
        hits = 0 if number % 10 == 0 else 1
        classes.append(
            f'<class name="{Path(path).name}" filename="{path}" line-rate="{hits}" '
            f'branch-rate="1"><methods/><lines><line number="1" hits="{hits}"/></lines></class>'
        )
    coverage = repo / "coverage.xml"
    coverage.write_text(
        '<?xml version="1.0" ?>\n'
        f'<coverage version="7.6.0" lines-valid="{len(modules)}" line-rate="0.9" '
        'branch-rate="1" branches-valid="0" branches-covered="0">\n'
        f"<sources><source>{repo.resolve()}</source></sources>\n"
        '<packages><package name="src" line-rate="0.9" branch-rate="1"><classes>\n'
        + "\n".join(classes)
        + "\n</classes></package></packages></coverage>\n"
    )
    cases = "\n".join(
        f'<testcase classname="tests.test_module_{n % 200}" name="test_{n}" time="0.01"/>'
        for n in range(junit_cases)
    )
    junit = repo / "junit.xml"
    junit.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest" '
        f'errors="0" failures="0" skipped="0" tests="{junit_cases}" time="{junit_cases / 100}">\n'
        f"{cases}\n</testsuite></testsuites>\n"
    )
    return [coverage, junit]


def remove_inputs(repo: Path) -> None:
    for name in ("coverage.xml", "junit.xml"):
        (repo / name).unlink(missing_ok=True)


def pull_request_env() -> dict[str, str]:
    return bench_env(
        {"GITHUB_ACTIONS": "true", "GITHUB_HEAD_REF": BRANCH, "GITHUB_BASE_REF": "develop"}
    )


def describe(repo: Path, env: dict[str, str]) -> str:
    """What the gate saw: the range and each gate's status, from its JSON report."""
    result = subprocess.run(
        [*gate_command(), "run", "--stage", "ci", "--format", "json"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    base = report["repository"]["base"]
    count = git(repo, "rev-list", "--count", f"{base}..HEAD").strip()
    statuses = ", ".join(f"{r['gate']} {r['status']}" for r in report["results"])
    return f"range {base[:8]}..HEAD, {count} commits; {statuses}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--range", type=int, default=1000, help="commits on the feature branch")
    parser.add_argument("--history", type=int, default=1000, help="commits on develop before it")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per row (default 7)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--no-peers", action="store_true", help="accepted for symmetry: no peers")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a second")
    args = parser.parse_args(argv)

    WORK.mkdir(parents=True, exist_ok=True)
    repo = make_repository(WORK, args.history, args.range)
    env = pull_request_env()
    gate = [*gate_command(), "run", "--stage", "ci"]
    plan: list[tuple[str, list[str], bool]] = [
        (f"git log develop..{BRANCH} (floor)", ["git", "log", f"develop..{BRANCH}"], False),
        ("gate run --stage ci (no coverage/junit)", gate, False),
        (
            "gate run --stage ci --format json (no coverage/junit)",
            [*gate, "--format", "json"],
            False,
        ),
        ("gate run --stage ci (small coverage.xml + junit.xml)", gate, True),
    ]
    timings = []
    notes = []
    for name, command, inputs in plan:
        if inputs:
            write_small_inputs(repo)
        else:
            remove_inputs(repo)
        timings.append(measure(name, command, repo, env, runs=args.runs, warmup=args.warmup))
        if command[0] != "git" and "json" not in name:
            notes.append(f"- {name}: {describe(repo, env)}")
    remove_inputs(repo)

    gate_rows = [t for t in timings if t.name.startswith("gate")]
    slowest = max(gate_rows, key=lambda t: t.median_ms)
    verdict = (
        f"target {'met' if slowest.median_ms < TARGET_MS else 'MISSED'}: slowest gate row "
        f"{slowest.median_ms:.0f} ms (target < {TARGET_MS:.0f} ms)"
    )
    text = "\n".join(
        [
            f"`gate run --stage ci` on {args.range:,} commits off develop ({args.history:,} "
            f"before); {args.runs} runs after {args.warmup} warm-up; load average "
            f"{load_average()}",
            "",
            markdown_table(timings),
            "",
            *notes,
            "",
            verdict,
        ]
    )
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 1 if args.check and slowest.median_ms >= TARGET_MS else 0


if __name__ == "__main__":
    raise SystemExit(main())
