"""Time diff coverage: `gate check coverage` beside diff-cover, on the same coverage.xml and diff.

    python benchmarks/diff_coverage.py               # 50,000-line XML, 5,000 changed lines
    python benchmarks/diff_coverage.py --runs 9 --check   # exit 1 unless gate <= half diff-cover
    python benchmarks/diff_coverage.py --no-peers    # gate alone

Makes a real git repository under benchmarks/.work/diffcov: Python modules on develop, and a
feature branch that inserts --changed lines into them in hunks of ten. A Cobertura
coverage.xml (as `coverage xml` writes it: a <source> root and relative filenames) has
--lines <line> elements across every file of the feature branch, seeded, with covered and
uncovered runs. Both tools read that file and the develop...feature diff:

    gate check coverage --data coverage.xml --base develop      (its policy: changed_min 90)
    diff-cover coverage.xml --compare-branch=develop --fail-under=90

Each runs --warmup times, then --runs times, the two in turn (so that a passing load on the
machine weighs on both alike); reported: median and fastest wall time, median CPU time, the
largest peak RSS, and the ratios of the medians. The changed-line percentages of the two
(from a separate run with JSON output) are printed side by side, as a check that they
measured the same thing.

diff-cover is installed with pip, once, into the peers' venv under benchmarks/.work/peers
(benchmarks/common.py; the other benchmarks install their peers there too). Timing, CPU
time and peak RSS (through GNU time where installed) come from benchmarks/common.py.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

try:
    from benchmarks import common
except ImportError:  # run as a script: python benchmarks/diff_coverage.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks import common

HUNK = 10


def measure(
    plan: list[tuple[str, list[str]]], cwd: Path, env: dict[str, str], runs: int, warmup: int
) -> list[common.Timing]:
    """Every command once per round, rounds in turn, so that a load that comes and goes on
    the machine weighs on each command alike."""
    for _ in range(warmup):
        for _name, command in plan:
            common.run_once(command, cwd, env)
    samples: dict[str, list[common.Sample]] = {name: [] for name, _ in plan}
    for _ in range(runs):
        for name, command in plan:
            samples[name].append(common.run_once(command, cwd, env))
    return [
        common.Timing(
            name=name,
            command=command,
            median_ms=statistics.median(s.wall_ms for s in samples[name]),
            fastest_ms=min(s.wall_ms for s in samples[name]),
            cpu_ms=statistics.median(s.cpu_ms for s in samples[name]),
            max_rss_mb=max(s.rss_mb for s in samples[name]),
            exit_codes={s.exit_code for s in samples[name]},
            runs=len(samples[name]),
        )
        for name, command in plan
    ]


def make_repository(root: Path, lines: int, changed: int, files: int, seed: int) -> Path:
    """develop with lines - changed module lines, feature/bench inserting `changed` more."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    repo = root / "repo"
    (repo / "src" / "app").mkdir(parents=True)
    common.git(repo, "init", "-q", "-b", "develop")
    base_lines = lines - changed
    per_file = [base_lines // files + (1 if i < base_lines % files else 0) for i in range(files)]
    sources = {
        f"src/app/module_{i:04d}.py": [f"value_{i}_{n} = {n}" for n in range(count)]
        for i, count in enumerate(per_file)
    }
    for path, body in sources.items():
        (repo / path).write_text("\n".join(body) + "\n")
    (repo / ".gate.yaml").write_text("extends: gitflow\ncoverage:\n  baseline: null\n")
    common.git(repo, "add", "-A")
    common.git(repo, "commit", "-q", "-m", "feat(app): the modules")
    common.git(repo, "checkout", "-q", "-b", "feature/bench")
    hunks = changed // HUNK
    paths = sorted(sources)
    for number in range(hunks):
        path = paths[rng.randrange(len(paths))]
        body = sources[path]
        at = rng.randrange(len(body) + 1)
        body[at:at] = [f"added_{number}_{k} = {k}" for k in range(HUNK)]
    for path, body in sources.items():
        (repo / path).write_text("\n".join(body) + "\n")
    common.git(repo, "commit", "-q", "-am", "feat(app): more values")
    write_cobertura(repo, sources, rng)
    return repo


def write_cobertura(repo: Path, sources: dict[str, list[str]], rng: random.Random) -> None:
    """coverage.xml as coverage.py writes it: runs of covered and uncovered lines."""
    total = sum(len(body) for body in sources.values())
    out = [
        '<?xml version="1.0" ?>',
        f'<coverage version="7.6.0" lines-valid="{total}" line-rate="0.8" branch-rate="0">',
        f"\t<sources>\n\t\t<source>{repo.resolve()}</source>\n\t</sources>",
        '\t<packages>\n\t\t<package name="src.app" line-rate="0.8" branch-rate="0">',
        "\t\t\t<classes>",
    ]
    for path, body in sources.items():
        out.append(f'\t\t\t\t<class name="{Path(path).name}" filename="{path}" line-rate="0.8">')
        out.append("\t\t\t\t\t<methods/>\n\t\t\t\t\t<lines>")
        hits = 1
        for number in range(1, len(body) + 1):
            # runs of covered and uncovered lines, about 80% covered
            if rng.random() < (0.02 if hits else 0.08):
                hits = 0 if hits else 1
            out.append(f'\t\t\t\t\t\t<line number="{number}" hits="{hits}"/>')
        out.append("\t\t\t\t\t</lines>\n\t\t\t\t</class>")
    out.append("\t\t\t</classes>\n\t\t</package>\n\t</packages>\n</coverage>\n")
    (repo / "coverage.xml").write_text("\n".join(out))


# what both the timing and the agreement check run
GATE_ARGS = ["check", "coverage", "--data", "coverage.xml", "--base", "develop"]


def diff_cover() -> Path:
    return common.peer("diff-cover")


def agreement(repo: Path, env: dict[str, str], peers: bool) -> list[str]:
    """The changed-line percentages both tools report, to show they measured the same."""
    gate = subprocess.run(
        [*common.gate_command(), *GATE_ARGS, "--format", "json"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    summary = json.loads(gate.stdout)["results"][0]["summary"]
    lines = [f"gate:       {summary}"]
    if peers:
        report = repo.parent / "diff-cover.json"
        subprocess.run(
            [
                str(diff_cover()),
                "coverage.xml",
                "--compare-branch=develop",
                "--json-report",
                str(report),
            ],
            cwd=repo,
            env=env,
            capture_output=True,
            check=False,
        )
        data = json.loads(report.read_text())
        lines.append(
            f"diff-cover: changed lines {data['total_percent_covered']}% of "
            f"{data['total_num_lines']} lines, {data['total_num_violations']} uncovered"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=50_000, help="<line> elements in the XML")
    parser.add_argument("--changed", type=int, default=5_000, help="lines the diff adds")
    parser.add_argument("--files", type=int, default=200, help="modules in the repository")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=9, help="timed runs per tool (default 9)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--no-peers", action="store_true", help="time gate alone")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 unless gate's median is at most half of diff-cover's",
    )
    args = parser.parse_args(argv)

    repo = make_repository(common.WORK / "diffcov", args.lines, args.changed, args.files, args.seed)
    peers = not args.no_peers and common.ensure_peers(["diff-cover"])["diff-cover"]
    env = common.bench_env()
    plan = [("gate check coverage", [*common.gate_command(), *GATE_ARGS])]
    if peers:
        plan.append(
            (
                "diff-cover",
                [str(diff_cover()), "coverage.xml", "--compare-branch=develop", "--fail-under=90"],
            )
        )
    timings = measure(plan, repo, env, args.runs, args.warmup)

    print(
        f"coverage.xml: {args.lines:,} lines in {args.files} files; diff: {args.changed:,} "
        f"added lines in hunks of {HUNK}"
    )
    print(f"{args.runs} runs each, in turn, after {args.warmup} warm-up rounds\n")
    print(common.machine_markdown() + "\n")
    print("| command | median ms | fastest ms | median CPU ms | max RSS MB | exit |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for t in timings:
        print(
            f"| `{t.name}` | {t.median_ms:.1f} | {t.fastest_ms:.1f} | {t.cpu_ms:.1f} "
            f"| {t.max_rss_mb:.1f} | {t.exit} |"
        )
    print()
    for line in agreement(repo, env, peers):
        print(line)
    if peers:
        wall = timings[0].median_ms / timings[1].median_ms
        cpu = timings[0].cpu_ms / timings[1].cpu_ms
        print(f"\ngate / diff-cover: median wall {wall:.2f}, median CPU {cpu:.2f} (target <= 0.50)")
        if args.check and wall > 0.5:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
