"""Every benchmark in one command, written to benchmarks/RESULTS.md with the machine it ran on.

    python benchmarks/run.py                    # the full table (6-10 minutes on 2 cores, peers included)
    python benchmarks/run.py --quick            # fewer runs, changelog at 1k and 10k only
    python benchmarks/run.py --no-peers         # gate and the floors alone, nothing installed
    python benchmarks/run.py --only ci_stage --only hooks --runs 5

The peers (commitizen, gitlint, conventional-pre-commit, diff-cover, git-cliff,
python-semantic-release) are installed once with pip into their own venv,
benchmarks/.work/peers; one that pip cannot install is reported and left out. Synthetic
repositories are made with benchmarks/synth.py (`git fast-import`) and kept under
benchmarks/.work/ between runs, so only the first run pays for them.

Each benchmark is its own script, run here as a child process with the options below, and
its table is copied into the results; the load average is noted before and after each, since
wall times on a busy machine are not comparable with those on an idle one (the CPU columns
are steadier).
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from benchmarks.common import (  # noqa: E402
    WORK,
    bench_env,
    ensure_peers,
    git,
    load_average,
    machine,
    machine_markdown,
    markdown_table,
    measure,
    peer,
    peer_versions,
)

BENCHMARKS = (
    "commit_msg",
    "hooks",
    "changelog",
    "diff_coverage",
    "ci_stage",
    "version_files",
    "components",
)
TITLES = {
    "commit_msg": "commit-msg hook",
    "hooks": "hooks (pre-commit, commit-msg, pre-push)",
    "changelog": "changelog over long histories",
    "diff_coverage": "diff coverage",
    "ci_stage": "`gate run --stage ci` on a 1,000-commit range",
    "version_files": "version files: reading and rewriting pyproject.toml (against tomlkit)",
    "components": "components of a monorepo",
}


@dataclass
class Plan:
    runs: int
    warmup: int
    sizes: list[int]
    changelog_repeat: int
    diff_lines: int
    diff_changed: int
    diff_files: int
    ci_range: int
    ci_history: int
    hooks_history: int
    hooks_push: int
    peers: bool
    timeout: float
    extra: dict[str, list[str]] = field(default_factory=dict)


def plan_from(args: argparse.Namespace) -> Plan:
    if args.tiny:  # the smoke test: everything runs once on a few dozen commits
        base = Plan(1, 0, [60], 1, 400, 40, 4, 20, 20, 20, 5, False, 120)
    elif args.quick:
        base = Plan(5, 1, [1000, 10000], 1, 50_000, 5_000, 200, 1000, 1000, 1000, 20, True, 300)
    else:
        base = Plan(
            30, 3, [1000, 10000, 100000], 3, 50_000, 5_000, 200, 1000, 1000, 1000, 20, True, 900
        )
    if args.runs is not None:
        base.runs = args.runs
    if args.warmup is not None:
        base.warmup = args.warmup
    if args.sizes:
        base.sizes = args.sizes
    if args.no_peers:
        base.peers = False
    return base


def command(name: str, plan: Plan, results: Path) -> list[str]:
    script = [sys.executable, str(HERE / f"{name}.py")]
    runs, warmup = [f"--runs={plan.runs}"], [f"--warmup={plan.warmup}"]
    if name == "commit_msg":
        return [*script, *runs, *warmup, *(["--peers"] if plan.peers else [])]
    if name == "hooks":
        return [
            *script,
            *runs,
            *warmup,
            f"--history={plan.hooks_history}",
            f"--push={plan.hooks_push}",
        ]
    if name == "diff_coverage":
        # diff-cover is the only peer; fewer runs than the millisecond-scale hooks need
        few = [f"--runs={max(1, min(plan.runs, 9))}", f"--warmup={min(plan.warmup, 2)}"]
        return [
            *script,
            *few,
            f"--lines={plan.diff_lines}",
            f"--changed={plan.diff_changed}",
            f"--files={plan.diff_files}",
            *([] if plan.peers else ["--no-peers"]),
        ]
    if name == "changelog":
        return [
            *script,
            "--sizes",
            *map(str, plan.sizes),
            f"--repeat={plan.changelog_repeat}",
            f"--timeout={plan.timeout}",
            f"--out={results}",
            *([] if plan.peers else ["--no-peers"]),
        ]
    if name == "ci_stage":
        few = [f"--runs={max(1, min(plan.runs, 9))}", f"--warmup={min(plan.warmup, 2)}"]
        return [*script, *few, f"--range={plan.ci_range}", f"--history={plan.ci_history}"]
    if name == "version_files":
        return [*script, f"--imports={max(3, plan.runs)}"]
    if name == "components":
        return [*script, f"--runs={max(1, min(plan.runs, 5))}"]
    raise ValueError(name)


def changelog_markdown(results: Path) -> str:
    """The changelog runs as one table per size, each with its ratio to the `git log` floor."""
    data = json.loads(results.read_text())
    runs = data["runs"]
    lines = []
    for size in sorted({r["size"] for r in runs}):
        rows = [r for r in runs if r["size"] == size]
        floor = next((r for r in rows if r["tool"].startswith("git log")), rows[0])
        lines += [
            f"{size:,} commits:",
            "",
            "| tool | wall s | × `git log` | CPU s | max RSS MB | status |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for r in rows:
            ratio = r["wall"] / max(floor["wall"], 0.01)
            lines.append(
                f"| `{r['tool']}` | {r['wall']:.2f} | {ratio:.2f} | {r['cpu']:.2f}"
                f" | {r['rss_mb']:.1f} | {r['status']} |"
            )
        lines.append("")
    gate = sorted((r for r in runs if r["tool"] == "gate changelog"), key=lambda r: r["size"])
    if len(gate) > 1:
        lines.append("Growth of `gate changelog` (linear cost: the ratio follows the size):")
        lines.append("")
        for small, large in itertools.pairwise(gate):
            lines.append(
                f"- {small['size']:,} → {large['size']:,} commits"
                f" (×{large['size'] / small['size']:.0f}):"
                f" wall ×{large['wall'] / max(small['wall'], 0.01):.1f},"
                f" CPU ×{large['cpu'] / max(small['cpu'], 0.01):.1f}"
            )
        lines.append("")
    for size, check in (data.get("agreement") or {}).items():
        lines.append(f"- agreement with git-cliff at {int(size):,} commits: `{json.dumps(check)}`")
    return "\n".join(lines).rstrip()


PSR_CONFIG = """\
[semantic_release]
tag_format = "v{version}"
allow_zero_version = true

[semantic_release.changelog]
mode = "init"

[semantic_release.changelog.default_templates]
changelog_file = "PSR-CHANGELOG.md"
"""


def semantic_release_markdown(plan: Plan) -> str:
    """python-semantic-release's `changelog` on the changelog benchmark's repositories.

    It runs in a clone that shares their objects (it wants an `origin` remote it can parse,
    and writes its file into the work tree), once per size: its cost is in seconds."""
    if not peer("semantic-release").exists():
        return "python-semantic-release is not installed; left out."
    config = WORK / "psr.toml"
    config.write_text(PSR_CONFIG)
    timings = []
    for size in plan.sizes:
        source = WORK / f"changelog-{size}"
        if not (source / ".git").is_dir():
            continue
        clone = WORK / f"psr-{size}"
        if not (clone / ".git").is_dir():
            git(WORK, "clone", "-q", "--shared", str(source), str(clone))
            git(clone, "remote", "set-url", "origin", "https://github.com/example/bench.git")
        env = bench_env()
        timings.append(
            measure(f"git log ({size:,} commits)", ["git", "log", "HEAD"], clone, env, runs=3)
        )
        timings.append(
            measure(
                f"semantic-release changelog ({size:,} commits)",
                [str(peer("semantic-release")), "-c", str(config), "changelog"],
                clone,
                env,
                runs=1,
                timeout=plan.timeout,
            )
        )
    note = "semantic-release: one run per size; this `git log` is plain, not gate's format"
    return markdown_table(timings) + f"\n\n({note})"


def run_one(name: str, plan: Plan) -> tuple[str, int, float, str, str]:
    """(markdown section body, exit code, seconds, load before, load after)."""
    results = WORK / "changelog-results.json"
    cmd = command(name, plan, results)
    before = load_average()
    print(
        f"\n== {name}: {' '.join(Path(c).name if c.startswith('/') else c for c in cmd)}",
        flush=True,
    )
    start = time.perf_counter()
    process = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    print(process.stdout, flush=True)
    body = process.stdout.strip()
    if name == "changelog" and process.returncode == 0 and results.exists():
        try:
            body = (
                changelog_markdown(results)
                + "\n\n<details><summary>raw output</summary>\n\n"
                + "```\n"
                + process.stdout.strip()
                + "\n```\n</details>"
            )
        except (KeyError, ValueError, TypeError):
            body = "```\n" + process.stdout.strip() + "\n```"
        if plan.peers:
            body += "\n\npython-semantic-release, timed here on the same histories:\n\n"
            body += semantic_release_markdown(plan)
    return body, process.returncode, elapsed, before, load_average()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5 runs each, changelog at 1k/10k")
    parser.add_argument("--tiny", action="store_true", help="1 run on tiny repositories, no peers")
    parser.add_argument("--runs", type=int, help="timed runs per command")
    parser.add_argument("--warmup", type=int, help="untimed runs before")
    parser.add_argument("--sizes", type=int, nargs="+", help="changelog history sizes")
    parser.add_argument("--no-peers", action="store_true", help="gate and the floors only")
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="repeatable")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    plan = plan_from(args)
    WORK.mkdir(parents=True, exist_ok=True)
    described = machine()

    given = " ".join(argv if argv is not None else sys.argv[1:])
    peers_line = "none (--no-peers)"
    if plan.peers:
        installed = ensure_peers()
        versions = peer_versions()
        peers_line = ", ".join(
            f"{name} {versions.get(name, '?')}" if ok else f"{name} (NOT installed: pip failed)"
            for name, ok in installed.items()
        )
    sections = []
    failures = []
    for name in args.only or BENCHMARKS:
        body, code, elapsed, before, after = run_one(name, plan)
        if code != 0:
            failures.append(f"{name} exited {code}")
        sections.append(
            f"## {TITLES[name]}\n\n"
            f"`python benchmarks/{name}.py` — {elapsed:.0f} s; load average before: {before},"
            f" after: {after}{'' if code == 0 else f'; EXITED {code}'}\n\n{body}\n"
        )
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            f"Produced by `python benchmarks/run.py{(' ' + given) if given else ''}`.",
            "",
            "## Machine",
            "",
            machine_markdown(described),
            f"- load average at the end: {load_average()}",
            f"- peers: {peers_line}",
            "",
            *sections,
        ]
    )
    args.out.write_text(text)
    print(f"\nwrote {args.out}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
