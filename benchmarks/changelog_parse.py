"""Parse (and validate) a 10,000-release changelog in every format gate reads.

    python benchmarks/changelog_parse.py [--releases 10000] [--repeat 5] [--check --target 1000]

Each format's file is written by the format itself (`render_release` for every release,
newest first, three entries in two groups each), so it is what `gate changelog --write`
would leave after 10,000 releases. Reported per format: the file's size, the best wall time
of --repeat runs of `parse` and of `validate`, in process (no interpreter start-up, which
`benchmarks/changelog.py` measures with the whole command). --check exits 1 when a parse
takes more than --target ms.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from gates.knowledge import changelog_formats  # noqa: E402
from gates.release.changelog_writer import Change, Settings  # noqa: E402

SETTINGS = Settings(categories={"feat": "Added", "fix": "Fixed"})


def changelog(name: str, releases: int) -> str:
    """A file of `releases` releases in the format `name`, newest first."""
    fmt = changelog_formats.get(name)
    changes = [
        Change(
            "0123456789abcdef" * 2 + "01234567", "feat", "api", "add the search endpoint", False
        ),
        Change("89abcdef01234567" * 2 + "89abcdef", "fix", None, "crash on empty names", False),
        Change("fedcba9876543210" * 2 + "fedcba98", "feat", None, "export to CSV (#12)", False),
    ]
    groups = fmt.groups(changes, SETTINGS, None)
    sections = []
    for index in range(releases, 0, -1):
        version = f"{index // 10000}.{index // 100 % 100}.{index % 100}"
        day = f"20{10 + index % 15:02d}-{1 + index % 12:02d}-{1 + index % 28:02d}"
        sections.append(fmt.render_release(version, day, groups, None))
    return fmt.new_file(sections)


def best(function, argument, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(argument)
        times.append(time.perf_counter() - start)
    return min(times) * 1000, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 over --target")
    parser.add_argument("--target", type=float, default=1000.0, help="ms per parse")
    args = parser.parse_args(argv)
    print(f"## changelog formats: parse and validate {args.releases} releases\n")
    print("| format | lines | MB | parse ms | validate ms | releases read | problems |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    slow = []
    for name in changelog_formats.NAMES:
        fmt = changelog_formats.get(name)
        text = changelog(name, args.releases)
        parse_ms, parsed = best(fmt.parse, text, args.repeat)
        validate_ms, problems = best(fmt.validate, parsed, args.repeat)
        read = len(parsed.releases)  # type: ignore[attr-defined]
        print(
            f"| `{name}` | {text.count(chr(10))} | {len(text.encode()) / 1e6:.2f} |"
            f" {parse_ms:.0f} | {validate_ms:.0f} | {read} | {len(problems)} |"  # type: ignore[arg-type]
        )
        if read != args.releases:
            print(f"{name}: read {read} releases of {args.releases}", file=sys.stderr)
            return 1
        if parse_ms > args.target:
            slow.append(name)
    if args.check and slow:
        print(f"over {args.target:.0f} ms: {', '.join(slow)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
