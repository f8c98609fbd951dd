"""`gate components` on a monorepo with 10,000 release tags.

    python benchmarks/components.py [--packages 50] [--tags 10000] [--runs 5] [--check]

The repository: one commit per package under packages/ (a pnpm workspace of --packages
published packages), then --tags lightweight tags `@bench/pkgN@X.Y.Z` spread over them,
written by `git fast-import`, kept under benchmarks/.work/ between runs. `gate components`
reads the workspace and sorts every tag into its component with one pattern match and one
version parse per tag. Target: under a second (--check exits 1 when missed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from benchmarks.common import WORK, bench_env, gate_command, measure  # noqa: E402

TARGET_MS = 1000.0


def repository(packages: int, tags: int) -> Path:
    """The monorepo, made once per size with one `git fast-import`."""
    path = WORK / f"components-{packages}-{tags}"
    if (path / ".git").exists():
        return path
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    lines = []
    files = {"pnpm-workspace.yaml": "packages:\n  - packages/*\n"}
    for n in range(packages):
        files[f"packages/pkg{n}/package.json"] = json.dumps(
            {"name": f"@bench/pkg{n}", "version": "1.0.0"}
        )
    lines.append("commit refs/heads/main\nmark :1\ncommitter B <b@example.com> 1700000000 +0000")
    lines.append("data 15\nchore: packages")
    for name, text in files.items():
        data = text.encode()
        lines.append(f"M 644 inline {name}\ndata {len(data)}\n{text}")
    for t in range(tags):
        major, minor, patch = t // 1000, (t // 100) % 10, t % 100
        lines.append(f"reset refs/tags/@bench/pkg{t % packages}@{major}.{minor}.{patch}\nfrom :1\n")
    lines.append("done\n")
    subprocess.run(
        ["git", "fast-import", "--quiet", "--done"],
        cwd=path,
        input="\n".join(lines).encode(),
        check=True,
    )
    subprocess.run(["git", "checkout", "-q", "main"], cwd=path, check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=50)
    parser.add_argument("--tags", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when over the target")
    args = parser.parse_args(argv)
    path = repository(args.packages, args.tags)
    timing = measure(
        "gate components --json",
        [*gate_command(), "components", "--json"],
        path,
        bench_env(),
        runs=args.runs,
        warmup=1,
    )
    print(
        f"{args.packages} packages, {args.tags} tags: median {timing.median_ms:.0f} ms, "
        f"fastest {timing.fastest_ms:.0f} ms, cpu {timing.cpu_ms:.0f} ms, "
        f"{timing.max_rss_mb:.0f} MB (target < {TARGET_MS:.0f} ms)"
    )
    return 1 if args.check and timing.median_ms >= TARGET_MS else 0


if __name__ == "__main__":
    raise SystemExit(main())
