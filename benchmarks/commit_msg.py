"""Time the commit-msg hook: `gate check commit-msg FILE` beside `python -c pass` and the peers.

    python benchmarks/commit_msg.py           # gate and python -c pass
    python benchmarks/commit_msg.py --peers   # and commitizen, gitlint, conventional-pre-commit
    python benchmarks/commit_msg.py --runs 50 --check

Each command runs --warmup times, then --runs times, interleaved run by run, in a scratch
git repository with the same message file (a valid Conventional Commit with a body, footers
and git's template comments). Reported: median and fastest wall time, median CPU time (user
+ system, less sensitive to a busy machine than wall time) and the peak RSS of one more run
under GNU time.
Python bytecode is cached under benchmarks/.work/pycache for every command, as an installed
package has it, even where PYTHONDONTWRITEBYTECODE is set.

--peers installs the peers once, with pip, into their own venv under benchmarks/.work/peers.
--check exits 1 unless the gate's median is at most --target ms and below every peer's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from benchmarks.common import (  # noqa: E402
    WORK,
    Sample,
    Timing,
    bench_env,
    ensure_peers,
    gate_command,
    peer_bin,
    run_once,
)

PEER_PACKAGES = ("commitizen", "gitlint", "conventional-pre-commit")

MESSAGE = """\
fix(parser): prevent racing of requests

Introduce a request id and a reference to latest request. Dismiss
incoming responses other than from latest request.

Reviewed-by: Z
Refs: #123
# Please enter the commit message for your changes. Lines starting
# with '#' will be ignored, and an empty message aborts the commit.
#
# On branch feature/parser
# Changes to be committed:
#	modified:   parser.py
#
"""


def measure(
    plan: list[tuple[str, list[str]]], cwd: Path, env: dict[str, str], runs: int, warmup: int
) -> list[Timing]:
    """Every command, interleaved run by run, so a busy machine slows them all alike."""
    for _ in range(warmup):
        for _, command in plan:
            run_once(command, cwd, env, rss=False)
    samples: dict[str, list[Sample]] = {name: [] for name, _ in plan}
    for _ in range(runs):
        for name, command in plan:
            # without GNU time around it: about 1 ms less, which matters for a 50 ms hook
            samples[name].append(run_once(command, cwd, env, rss=False))
    timings = []
    for name, command in plan:
        times = [sample.wall_ms for sample in samples[name]]
        timings.append(
            Timing(
                name=name,
                command=command,
                median_ms=statistics.median(times),
                fastest_ms=min(times),
                cpu_ms=statistics.median(sample.cpu_ms for sample in samples[name]),
                # the peak RSS of one more run under GNU time (wait4 counts this process's own)
                max_rss_mb=run_once(command, cwd, env).rss_mb,
                exit_codes={sample.exit_code for sample in samples[name]},
                runs=len(times),
            )
        )
    return timings


def scratch_repository(work: Path) -> tuple[Path, Path]:
    repo = work / "commit-msg-repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    message = repo / ".git" / "COMMIT_EDITMSG"
    message.write_text(MESSAGE)
    return repo, message


def commands(message: Path, peers: bool) -> list[tuple[str, list[str]]]:
    gate = gate_command()
    plan = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("gate check commit-msg FILE", [*gate, "check", "commit-msg", str(message)]),
        ("gate hook commit-msg FILE", [*gate, "hook", "commit-msg", str(message)]),
    ]
    if peers:
        tools = peer_bin()
        plan += [
            ("python -c pass (peers' venv)", [str(tools / "python"), "-c", "pass"]),
            (
                "cz check --commit-msg-file FILE",
                [str(tools / "cz"), "check", "--commit-msg-file", str(message)],
            ),
            (
                "gitlint --msg-filename FILE",
                [str(tools / "gitlint"), "--msg-filename", str(message)],
            ),
            (
                "conventional-pre-commit FILE",
                [str(tools / "conventional-pre-commit"), str(message)],
            ),
        ]
    return plan


def table(timings: list[Timing], baseline: float) -> str:
    lines = [
        "| command | median ms | fastest ms | median CPU ms | max RSS MB"
        " | over `python -c pass` ms | exit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for t in timings:
        codes = ",".join(str(c) for c in sorted(t.exit_codes))
        lines.append(
            f"| `{t.name}` | {t.median_ms:.1f} | {t.fastest_ms:.1f} | {t.cpu_ms:.1f}"
            f" | {t.max_rss_mb:.1f} |"
            f" {t.median_ms - baseline:+.1f} | {codes} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="timed runs per command (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also time commitizen, gitlint, conventional-pre-commit",
    )
    parser.add_argument(
        "--target", type=float, default=50.0, help="the gate's median budget in ms (default 50)"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the target or a peer is missed"
    )
    parser.add_argument(
        "--work", type=Path, default=WORK, help="scratch folder (default benchmarks/.work)"
    )
    args = parser.parse_args(argv)

    repo, message = scratch_repository(args.work)
    peers = args.peers and all(ensure_peers(PEER_PACKAGES).values())
    if args.peers and not peers:
        print("the peers could not be installed; timing gate alone", file=sys.stderr)
    env = bench_env({"PYTHONPYCACHEPREFIX": str(args.work / "pycache")})
    timings = measure(commands(message, peers), repo, env, args.runs, args.warmup)
    baseline = timings[0].median_ms
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{args.runs} runs each after {args.warmup} warm-up runs; load average {load:.1f};"
        f" {os.cpu_count()} CPUs; Python {sys.version.split()[0]}\n"
    )
    print(table(timings, baseline))

    gate = timings[1]
    peer_timings = [t for t in timings if not t.name.startswith(("gate ", "python "))]
    missed = []
    if gate.median_ms > args.target:
        missed.append(
            f"gate's median {gate.median_ms:.1f} ms is over the {args.target:.0f} ms target"
        )
    missed += [
        f"{t.name} is faster ({t.median_ms:.1f} ms)"
        for t in peer_timings
        if t.median_ms <= gate.median_ms
    ]
    if gate.exit_codes != {0}:
        missed.append(f"gate exited {sorted(gate.exit_codes)} on a valid message")
    print(
        "\n"
        + (
            "; ".join(missed)
            if missed
            else "target met: gate is within budget and faster than every peer timed"
        )
    )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
