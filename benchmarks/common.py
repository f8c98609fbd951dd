"""What every benchmark shares: timing a command, the peers' venv, the machine, the table.

Timing: each command runs --warmup times untimed, then --runs times, started directly;
reported are the median and fastest wall time and the median CPU time (user + system of the
tool and its children, less sensitive to a busy machine than wall time). One more run under
GNU time gives the peak RSS, so the timed runs do not pay for GNU time's extra exec (~1 ms).

Peak RSS comes from GNU time (/usr/bin/time, Debian package `time`) when it is installed:
Linux carries the forking process's own peak RSS into the child's ru_maxrss across exec, so
os.wait4 from this (Python, tens of MB) process would make every tool look at least as big
as the benchmark script. GNU time is a small C program (about 1 MB), so its child's figure is
the tool's own. Without GNU time, the wait4 figure is used and marked as an upper bound.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# scratch repositories, results and the peers' venv; GATE_BENCH_WORK moves them (the smoke test)
WORK = Path(os.environ.get("GATE_BENCH_WORK") or HERE / ".work")
PEERS = WORK / "peers"
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").is_file() else shutil.which("time")

# pip package -> the console script that shows it is installed
PEER_PACKAGES: dict[str, str] = {
    "commitizen": "cz",
    "gitlint": "gitlint",
    "conventional-pre-commit": "conventional-pre-commit",
    "diff-cover": "diff-cover",
    "git-cliff": "git-cliff",
    "python-semantic-release": "semantic-release",
}


@dataclass
class Timing:
    name: str
    command: list[str]
    median_ms: float
    fastest_ms: float
    cpu_ms: float
    max_rss_mb: float
    exit_codes: set[int] = field(default_factory=set)
    runs: int = 0
    timed_out: bool = False

    @property
    def exit(self) -> str:
        if self.timed_out:
            return "timeout"
        return ",".join(str(code) for code in sorted(self.exit_codes))


@dataclass(frozen=True)
class Sample:
    wall_ms: float
    cpu_ms: float
    rss_mb: float
    exit_code: int
    timed_out: bool = False


def bench_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every tool runs in: bytecode cached (as an installed package has it),
    no colour, no CI variables of the machine the benchmark happens to run on."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "PYTHONDONTWRITEBYTECODE"
        and not key.startswith(("GITHUB_", "GITLAB_", "CI_", "PRE_COMMIT"))
        and key not in ("CI", "BUILD_ID", "JENKINS_URL")
    }
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def run_once(
    command: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    *,
    stdin: Path | None = None,
    timeout: float | None = None,
    rss: bool = True,
) -> Sample:
    """One run, output to /dev/null: wall ms, CPU ms, peak RSS MB and exit code.

    rss=False runs the command without GNU time around it (about 1 ms less, which matters for
    a hook of 50 ms); its RSS figure is then wait4's, which includes this process's own peak."""
    with (
        tempfile.NamedTemporaryFile("r", suffix=".time") as report,
        open(os.devnull, "wb") as sink,
        open(stdin or os.devnull, "rb") as source,
    ):
        wrap = rss and GNU_TIME
        timed = [GNU_TIME, "-q", "-f", "%M %x", "-o", report.name] if wrap else []
        start = time.perf_counter()
        process = subprocess.Popen(
            [*timed, *command],
            cwd=cwd,
            env=dict(env),
            stdin=source,
            stdout=sink,
            stderr=subprocess.DEVNULL,
            start_new_session=timeout is not None,
        )
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                os.wait4(process.pid, 0)
                process.returncode = -9
                return Sample(timeout * 1000, timeout * 1000, 0.0, -9, timed_out=True)
            time.sleep(0.005)
        wall = (time.perf_counter() - start) * 1000
        process.returncode = os.waitstatus_to_exitcode(status)
        cpu = (usage.ru_utime + usage.ru_stime) * 1000
        rss_mb, code = usage.ru_maxrss / 1024, process.returncode
        if wrap:
            fields = report.read().split()
            # GNU time's last line is "%M %x"; a signal-killed child has no %x of its own
            if len(fields) >= 2:
                rss_mb, code = int(fields[-2]) / 1024, int(fields[-1])
    return Sample(wall, cpu, rss_mb, code)


def measure(
    name: str,
    command: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    *,
    runs: int,
    warmup: int = 0,
    stdin: Path | None = None,
    timeout: float | None = None,
) -> Timing:
    """The median of `runs` timed runs after `warmup` untimed ones; stops at a timeout.

    The timed runs start the command directly; the peak RSS comes from one more run under
    GNU time (the first timed one when there is no GNU time or only one run is asked for)."""
    for _ in range(warmup):
        if run_once(command, cwd, env, stdin=stdin, timeout=timeout).timed_out:
            break
    samples: list[Sample] = []
    for _ in range(max(runs, 1)):
        sample = run_once(command, cwd, env, stdin=stdin, timeout=timeout, rss=runs <= 1)
        samples.append(sample)
        if sample.timed_out:
            break
    peak = samples[0].rss_mb
    if runs > 1 and GNU_TIME and not samples[-1].timed_out:
        peak = run_once(command, cwd, env, stdin=stdin, timeout=timeout).rss_mb
    return Timing(
        name=name,
        command=list(command),
        median_ms=statistics.median(s.wall_ms for s in samples),
        fastest_ms=min(s.wall_ms for s in samples),
        cpu_ms=statistics.median(s.cpu_ms for s in samples),
        max_rss_mb=peak,
        exit_codes={s.exit_code for s in samples if not s.timed_out},
        runs=len(samples),
        timed_out=any(s.timed_out for s in samples),
    )


def gate_command() -> list[str]:
    """The `gate` console script next to this Python, as a user runs it."""
    script = Path(sys.executable).parent / "gate"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gates"]


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


# ---------------------------------------------------------------------------------------------
# the peers


def peer_bin() -> Path:
    return PEERS / ("Scripts" if os.name == "nt" else "bin")


def peer(script: str) -> Path:
    return peer_bin() / script


def ensure_peers(packages: Sequence[str] = tuple(PEER_PACKAGES)) -> dict[str, bool]:
    """Install the missing peers with pip into benchmarks/.work/peers (made once, never cleared:
    the other benchmarks add their tools there). Returns package -> installed; a package pip
    cannot install is reported, not fatal."""
    missing = [name for name in packages if not peer(PEER_PACKAGES[name]).exists()]
    if missing:
        if not peer("python").exists():
            venv.EnvBuilder(with_pip=True).create(PEERS)
        print(f"installing {', '.join(missing)} into {PEERS} ...", file=sys.stderr, flush=True)
        pip = [str(peer("python")), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        if subprocess.run([*pip, *missing], check=False).returncode != 0:
            for name in missing:  # one by one, so one failure does not hide the others
                subprocess.run([*pip, name], check=False)
    status = {name: peer(PEER_PACKAGES[name]).exists() for name in packages}
    for name, ok in status.items():
        if not ok:
            print(f"peer {name} could not be installed with pip; left out", file=sys.stderr)
    return status


def peer_versions() -> dict[str, str]:
    """Installed versions of the peers, from the peers' venv (empty when it does not exist)."""
    if not peer("python").exists():
        return {}
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for name in sys.argv[1:]:\n"
        "    try: out[name] = m.version(name)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))"
    )
    import json

    result = subprocess.run(
        [str(peer("python")), "-c", code, *PEER_PACKAGES],
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(result.stdout) if result.returncode == 0 else {}


# ---------------------------------------------------------------------------------------------
# the machine and the table


def load_average() -> str:
    if not hasattr(os, "getloadavg"):
        return "n/a"
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine() -> dict[str, str]:
    """nproc, CPU model, memory, Python, git, OS, date and the load average right now."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "n/a"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    git_version = subprocess.run(
        ["git", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "CPUs (nproc)": str(
            len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        ),
        "CPU": cpu,
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": sys.version.split()[0],
        "git": git_version.removeprefix("git version "),
        "date (UTC)": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "load average (1, 5, 15 min)": load_average(),
    }


def machine_markdown(info: Mapping[str, str] | None = None) -> str:
    info = info or machine()
    return "\n".join(f"- {key}: {value}" for key, value in info.items())


def markdown_table(timings: Sequence[Timing], reference: str | None = None) -> str:
    """tool, median ms, ratio to the reference row (the first when not named), fastest ms,
    median CPU ms, max RSS MB, exit codes."""
    if not timings:
        return "(nothing timed)"
    ref = next((t for t in timings if t.name == reference), timings[0])
    lines = [
        f"| tool | median ms | × `{ref.name}` | fastest ms | CPU ms | max RSS MB | exit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for t in timings:
        ratio = t.median_ms / ref.median_ms if ref.median_ms else float("nan")
        over = ">" if t.timed_out else ""
        lines.append(
            f"| `{t.name}` | {over}{t.median_ms:,.1f} | {over}{ratio:.2f} | {t.fastest_ms:,.1f}"
            f" | {t.cpu_ms:,.1f} | {t.max_rss_mb:.1f} | {t.exit} |"
        )
    if not GNU_TIME:
        lines.append("")
        lines.append("max RSS from wait4 (no /usr/bin/time): includes this script's own peak")
    return "\n".join(lines)
