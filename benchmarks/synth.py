"""Deterministic synthetic repositories for the benchmarks, made with `git fast-import`.

    python benchmarks/synth.py DEST --commits 10000 [--seed 1] [--tag-every 300]

Realistic Conventional Commits (types, scopes, bodies, footers, breaking
changes), about 5% non-conforming messages, and an annotated release tag every
few hundred commits whose version follows the commits' bumps. The same
arguments always give the same repository, down to the commit ids.
"""

from __future__ import annotations

import argparse
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

TYPES = [
    ("feat", 30),
    ("fix", 30),
    ("docs", 8),
    ("refactor", 8),
    ("test", 8),
    ("chore", 7),
    ("perf", 3),
    ("ci", 3),
    ("build", 2),
    ("style", 1),
]
SCOPES = ["api", "ui", "auth", "db", "cli", "core", "deps", "docs", None, None, None]
WORDS = [
    "add",
    "update",
    "remove",
    "handle",
    "support",
    "fix",
    "improve",
    "cache",
    "retry",
    "parse",
    "render",
    "validate",
    "login",
    "logout",
    "token",
    "session",
    "user",
    "order",
    "invoice",
    "report",
    "export",
    "import",
    "timeout",
    "error",
    "page",
]
NONCONFORMING = [
    "WIP",
    "update stuff",
    "Fixed the bug",
    "feature: add thing",
    "Merge remote-tracking branch 'x'",
    "fix:missing space",
    "misc changes",
    "Feat(API): Shout",
]
START = 1_704_067_200  # 2024-01-01T00:00:00Z


@dataclass(frozen=True)
class SynthStats:
    commits: int
    tags: int
    nonconforming: int


def _message(rng: random.Random) -> tuple[str, str | None, bool]:
    """(message, type or None when non-conforming, breaking)."""
    if rng.random() < 0.05:
        return rng.choice(NONCONFORMING) + f" {rng.randrange(1000)}", None, False
    kind = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
    scope = rng.choice(SCOPES)
    breaking = kind in ("feat", "fix", "refactor") and rng.random() < 0.01
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
    header = f"{kind}{f'({scope})' if scope else ''}{'!' if breaking else ''}: {words}"
    parts = [header]
    if rng.random() < 0.3:
        parts.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))))
    footers = []
    if rng.random() < 0.2:
        footers.append(f"Refs: #{rng.randrange(1, 5000)}")
    if breaking and rng.random() < 0.5:
        footers.append("BREAKING CHANGE: " + " ".join(rng.choice(WORDS) for _ in range(5)))
    if footers:
        parts.append("\n".join(footers))
    return "\n\n".join(parts), kind, breaking


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def generate(dest: Path, commits: int, *, seed: int = 1, tag_every: int = 300) -> SynthStats:
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    rng = random.Random(seed)
    version = [0, 1, 0]
    pending: set[str] = set()
    tags = nonconforming = 0
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=dest, stdin=subprocess.PIPE
    )
    assert proc.stdin is not None
    out = proc.stdin
    when = START
    for n in range(1, commits + 1):
        message, kind, breaking = _message(rng)
        nonconforming += kind is None
        if breaking:
            pending.add("major")
        elif kind == "feat":
            pending.add("minor")
        elif kind in ("fix", "perf"):
            pending.add("patch")
        when += rng.randint(600, 7200)
        author = f"Dev {rng.randrange(25)} <dev{rng.randrange(25)}@example.com> {when} +0000"
        out.write(b"commit refs/heads/main\nmark :%d\n" % n)
        out.write(f"author {author}\ncommitter {author}\n".encode())
        out.write(_data(message))
        if n > 1:
            out.write(b"from :%d\n" % (n - 1))
        body = f"value = {n}\n"
        out.write(f"M 100644 inline src/module_{n % 200}.py\n".encode() + _data(body))
        out.write(b"\n")
        if n % tag_every == 0 and pending:
            if "major" in pending and version[0] > 0:
                version = [version[0] + 1, 0, 0]
            elif "major" in pending or "minor" in pending:
                version = [version[0], version[1] + 1, 0]
            else:
                version = [version[0], version[1], version[2] + 1]
            pending.clear()
            name = "v{}.{}.{}".format(*version)
            out.write(
                f"tag {name}\nfrom :{n}\ntagger Release Bot <release@example.com> {when} +0000\n".encode()
            )
            out.write(_data(f"Release {name}"))
            tags += 1
    out.write(b"done\n")
    out.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=dest, check=True)
    return SynthStats(commits, tags, nonconforming)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dest", type=Path)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tag-every", type=int, default=300)
    args = parser.parse_args()
    stats = generate(args.dest, args.commits, seed=args.seed, tag_every=args.tag_every)
    print(
        f"{args.dest}: {stats.commits} commits, {stats.tags} tags, {stats.nonconforming} non-conforming"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
