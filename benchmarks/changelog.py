"""`gate changelog` on long synthetic histories, beside `git log`, git-cliff and commitizen.

    python benchmarks/changelog.py [--sizes 1000 10000 100000] [--repeat 3] [--no-peers]

Repositories come from benchmarks/synth.py (`git fast-import`: Conventional
Commits with ~5% non-conforming messages, a release tag every 300 commits)
and are kept under benchmarks/.work/ between runs. The peers run from their
own virtual environment, benchmarks/.work/peers (made on first use with
`pip install git-cliff commitizen`), so they never mix with the project's.

For every tool and size it reports the best wall time of --repeat runs, the
CPU time (user + system, the tool and its git children) and the peak RSS, all
from GNU time (/usr/bin/time, Debian package `time`). The floor is the one
`git log` that `gate changelog` itself runs, with the same format, written to
/dev/null. It then checks that gate and git-cliff put the same commits under
the same releases.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
PEERS = WORK / "peers"
sys.path.insert(0, str(HERE.parent))

from benchmarks.synth import generate  # noqa: E402
from gates.adapters.git import LOG_FORMAT  # noqa: E402

GATE = [sys.executable, "-m", "gates"]
GNU_TIME = shutil.which("time", path="/usr/bin:/bin") or "/usr/bin/time"
CZ_CONFIG = """[tool.commitizen]
name = "cz_conventional_commits"
tag_format = "v$version"
version_scheme = "semver"
"""


@dataclass
class Run:
    tool: str
    size: int
    wall: float
    cpu: float
    rss_mb: float
    status: str = "ok"


def repository(size: int) -> Path:
    path = WORK / f"changelog-{size}"
    if not (path / ".git").is_dir():
        stats = generate(path, size)
        print(
            f"made {path}: {stats.commits} commits, {stats.tags} tags,"
            f" {stats.nonconforming} non-conforming",
            flush=True,
        )
    (path / ".cz.toml").write_text(CZ_CONFIG)  # untracked: commitizen's configuration
    return path


def peers() -> dict[str, Path]:
    binaries = {"git-cliff": PEERS / "bin" / "git-cliff", "cz": PEERS / "bin" / "cz"}
    if not all(p.exists() for p in binaries.values()):
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run(
            [str(PEERS / "bin" / "pip"), "install", "-q", "git-cliff", "commitizen"], check=True
        )
    return binaries


def measure(command: list[str], cwd: Path, timeout: float) -> tuple[float, float, float, str]:
    """(wall seconds, cpu seconds, peak RSS in MB, status) of one run, output to /dev/null.

    GNU time reports the tool's own rusage. Measuring with wait4(2) from here would not do:
    Linux carries the forking process's peak RSS into the child's ru_maxrss across exec, so
    every tool would seem at least as big as this script.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, open(os.devnull, "wb") as sink:
        timed = [GNU_TIME, "-f", "%e %U %S %M %x", "-o", report.name, *command]
        process = subprocess.Popen(
            timed, cwd=cwd, stdout=sink, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return timeout, timeout, 0.0, "timeout"
        fields = report.read().split()[-5:]
    wall, user, system, rss_kb, code = fields
    status = "ok" if code == "0" else f"exit {code}"
    return float(wall), float(user) + float(system), int(rss_kb) / 1024, status


def tools(with_peers: bool) -> dict[str, list[str]]:
    commands = {
        "git log (floor)": ["git", "log", f"--format={LOG_FORMAT}", "--no-color", "HEAD"],
        "gate changelog": [*GATE, "changelog"],
        "gate changelog --format json": [*GATE, "changelog", "--format", "json"],
    }
    if with_peers:
        binaries = peers()
        commands["git-cliff"] = [str(binaries["git-cliff"])]
        commands["cz changelog --dry-run"] = [str(binaries["cz"]), "changelog", "--dry-run"]
    return commands


def agreement(path: Path, cliff: Path) -> dict[str, object]:
    """Releases and the commits under each: gate's JSON against git-cliff's --context."""
    gate_json = json.loads(
        subprocess.run(
            [*GATE, "changelog", "--format", "json"],
            cwd=path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    context = json.loads(
        subprocess.run(
            [str(cliff), "--context"], cwd=path, capture_output=True, text=True, check=True
        ).stdout
    )
    ours = {
        ("v" + r["version"]) if r["version"] else None: {c["sha"] for c in r["changes"]}
        for r in gate_json["releases"]
    }
    theirs = {r.get("version"): {c["id"]: c["raw_message"] for c in r["commits"]} for r in context}
    only_cliff: list[str] = []
    only_gate: list[str] = []
    for version in set(ours) | set(theirs):
        mine, other = ours.get(version, set()), theirs.get(version, {})
        only_cliff += [other[sha].split("\n", 1)[0] for sha in set(other) - mine]
        only_gate += sorted(set(mine) - set(other))
    subjects = {}
    if only_gate:
        log = subprocess.run(
            ["git", "log", "--no-walk=unsorted", "--format=%H %s", *only_gate],
            cwd=path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        subjects = dict(line.split(" ", 1) for line in log.splitlines())
    return {
        "same_releases": set(ours) == set(theirs),
        "releases": len(ours),
        "only_in_git_cliff": _kinds(only_cliff),
        "only_in_gate": _kinds([subjects.get(sha, sha) for sha in only_gate]),
    }


def _kinds(subjects: list[str]) -> dict[str, int]:
    """Differences grouped by why they differ, so the report says what it means."""
    kinds: dict[str, int] = {}
    for subject in subjects:
        if subject.startswith("chore(deps"):
            kind = "chore(deps…) (skipped by git-cliff's default commit_parsers)"
        elif ":" in subject and not subject.split(":", 1)[1].startswith(" "):
            kind = (
                "no space after ':' (not a Conventional Commit, §1; git-cliff's parser accepts it)"
            )
        else:
            kind = "other: " + subject
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true", help="only git log and gate")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--out", type=Path, default=WORK / "changelog-results.json")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    commands = tools(not args.no_peers)
    runs: list[Run] = []
    checks = {}
    print(
        f"{'tool':32} {'commits':>8} {'wall s':>8} {'cpu s':>8} {'RSS MB':>8}  vs floor (wall, cpu)"
    )
    for size in args.sizes:
        path = repository(size)
        floor: Run | None = None
        for tool, command in commands.items():
            repeat = 1 if tool.startswith(("git-cliff", "cz")) and size >= 100000 else args.repeat
            samples = [measure(command, path, args.timeout) for _ in range(repeat)]
            wall, cpu, _rss, status = min(samples)
            run = Run(tool, size, wall, cpu, max(s[2] for s in samples), status)
            runs.append(run)
            floor = floor or run
            # GNU time counts in hundredths: a floor under that would divide by zero.
            ratio = (
                f"{run.wall / max(floor.wall, 0.01):5.2f}x {run.cpu / max(floor.cpu, 0.01):5.2f}x"
            )
            print(
                f"{tool:32} {size:>8} {wall:8.2f} {cpu:8.2f} {run.rss_mb:8.1f}  {ratio}  {status}",
                flush=True,
            )
        if not args.no_peers:
            checks[size] = agreement(path, PEERS / "bin" / "git-cliff")
            print(f"agreement with git-cliff at {size}: {json.dumps(checks[size])}", flush=True)
    gate_runs = [r for r in runs if r.tool == "gate changelog"]
    # Linear means a constant cost per commit once the fixed start-up (imports, policy) is paid:
    # compare the marginal CPU per 1,000 commits between successive sizes.
    for smaller, larger in itertools.pairwise(gate_runs):
        marginal = (larger.cpu - smaller.cpu) / (larger.size - smaller.size) * 1000
        print(
            f"gate changelog {smaller.size}→{larger.size} commits:"
            f" wall x{larger.wall / max(smaller.wall, 0.01):.1f},"
            f" cpu x{larger.cpu / max(smaller.cpu, 0.01):.1f},"
            f" marginal cpu {marginal * 1000:.1f} ms per 1,000 commits"
        )
    args.out.write_text(
        json.dumps({"runs": [r.__dict__ for r in runs], "agreement": checks}, indent=2)
    )
    print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
