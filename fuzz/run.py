"""Coverage-guided fuzzing of the parsers with atheris.

    python fuzz/run.py --list
    python fuzz/run.py policy-yaml -runs=20000        # one target, libFuzzer flags after it
    python fuzz/run.py --all --runs 2000              # every target, a short run each (CI)

The corpus of each target lives in fuzz/corpus/<target>/ and grows as atheris
finds new paths; commit the interesting new inputs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def fuzz_one(name: str, libfuzzer_args: list[str]) -> int:
    import atheris

    with atheris.instrument_imports():
        import gates  # noqa: F401

        sys.path.insert(0, str(HERE))
        from targets import TARGETS

    import os

    corpus = Path(os.environ.get("FUZZ_CORPUS") or HERE / "corpus" / name)
    corpus.mkdir(parents=True, exist_ok=True)
    atheris.Setup([sys.argv[0], *libfuzzer_args, str(corpus)], TARGETS[name])
    atheris.Fuzz()
    return 0


def main() -> int:
    if len(sys.argv) > 1 and not sys.argv[1].startswith("--"):
        return fuzz_one(sys.argv[1], sys.argv[2:])
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--all", action="store_true", help="run every target in turn")
    parser.add_argument("--list", action="store_true", help="list the targets")
    parser.add_argument("--runs", type=int, default=2000, help="inputs per target with --all")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from targets import TARGETS

    if args.list or not args.all:
        print("\n".join(TARGETS))
        return 0
    import os
    import shutil
    import tempfile

    failed = []
    for name in TARGETS:
        with tempfile.TemporaryDirectory() as scratch:
            corpus = Path(scratch) / name
            seeds = HERE / "corpus" / name
            if seeds.is_dir():
                shutil.copytree(seeds, corpus)
            result = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    name,
                    f"-runs={args.runs}",
                    "-max_len=4096",
                    "-print_final_stats=1",
                    f"-artifact_prefix={scratch}/",
                ],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "FUZZ_CORPUS": str(corpus)},
            )
        runs = next(
            (
                line.split()[-1]
                for line in result.stderr.splitlines()
                if "stat::number_of_executed_units" in line
            ),
            "?",
        )
        print(f"{name:20} {'ok' if result.returncode == 0 else 'CRASH'}  {runs} inputs")
        if result.returncode != 0:
            failed.append(name)
            crash = result.stderr.find("=== Uncaught Python exception")
            print(
                result.stderr[crash:][:4000] if crash >= 0 else result.stderr[-4000:],
                file=sys.stderr,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
