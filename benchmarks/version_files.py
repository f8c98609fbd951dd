"""Read and rewrite the version in pyproject.toml: gate's scanner beside tomlkit.

    python benchmarks/version_files.py [--repeat 200] [--imports 15] [--file PATH] [--check]

gate finds the characters of `[project].version` with gates/knowledge/toml_scan.py and
checks every rewrite by parsing again with tomllib; tomlkit keeps a document's bytes on
its own. Both are timed on the path the pre-push hook takes (the changelog gate reads the
version: `read_sources`) and on the one `gate version bump` takes (read, rewrite, check,
write the file: `write_version`), in process, best of --repeat, in a scratch folder, on a
realistic pyproject.toml (or --file). Import cost: each module imported alone in a fresh
interpreter (`python -X importtime`), median of --imports runs. tomllib is counted
separately: both approaches need it (tomlkit's rewrite is checked with it too, and every
other reader of the policy loads it).

Also reported: whether tomlkit's rewrite has the same bytes as gate's, and where tomlkit's
answer differs in kind (it gives no line for the value, and rewrites an inline table that
gate refuses). tomlkit is not a dependency of gate: without it, its rows are left out.
--check exits 1 unless the scanner, import included, is faster on both paths.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from benchmarks.common import bench_env, load_average  # noqa: E402
from gates.adapters.atomic_files import atomic_write  # noqa: E402
from gates.adapters.version_files import plan_writes, read_sources, write_version  # noqa: E402

OLD, NEW = "4.7.1", "4.8.0"

# the shape of a mature project's file: dependencies pinned at the same version, a
# multi-line description, a dozen tool tables, comments
PYPROJECT = f'''\
[build-system]
requires = ["hatchling>=1.25", "hatch-fancy-pypi-readme>=24.1"]
build-backend = "hatchling.build"

[project]
name = "storefront"
version = "{OLD}"  # bumped by `gate version bump`
description = """
A storefront service: catalogue, basket and checkout.
[project]
version = "0.0.0"
"""
readme = "README.md"
requires-python = ">=3.11"
license = {{ text = "MIT" }}
authors = [{{ name = "Shop Team", email = "shop@example.com" }}]
keywords = ["shop", "catalogue", "checkout"]
classifiers = [
    "Development Status :: 5 - Production/Stable",
    "Framework :: FastAPI",
    "Programming Language :: Python :: 3.11",
    "Programming Language :: Python :: 3.12",
]
dependencies = [
    "fastapi>=0.110",
    "pydantic>=2.6,<3",
    "sqlalchemy[asyncio]>=2.0.28",
    "storefront-client=={OLD}",
    "httpx>=0.27",
    "structlog>=24.1",
]

[project.optional-dependencies]
dev = ["pytest>=8", "pytest-asyncio>=0.23", "hypothesis>=6.100", "ruff>=0.5", "mypy>=1.9"]
docs = ["mkdocs-material>=9.5", "mkdocstrings[python]>=0.24"]

[project.urls]
Homepage = "https://example.com/storefront"
Changelog = "https://example.com/storefront/blob/main/CHANGELOG.md"

[project.scripts]
storefront = "storefront.cli:main"

[tool.hatch.build.targets.wheel]
packages = ["src/storefront"]

[tool.hatch.metadata.hooks.fancy-pypi-readme]
content-type = "text/markdown"

[[tool.hatch.metadata.hooks.fancy-pypi-readme.fragments]]
path = "README.md"

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "-ra --strict-markers"
asyncio_mode = "auto"
markers = ["slow: end-to-end tests", "db: needs a database"]

[tool.coverage.run]
source = ["storefront"]
branch = true

[tool.coverage.report]
fail_under = 90
exclude_also = ["if TYPE_CHECKING:", "raise NotImplementedError"]

[tool.ruff]
line-length = 100
target-version = "py311"

[tool.ruff.lint]
select = ["E", "F", "W", "I", "B", "UP", "SIM", "RUF"]
ignore = ["E501"]

[tool.ruff.lint.per-file-ignores]
"tests/**" = ["S101"]

[tool.mypy]
strict = true
plugins = ["pydantic.mypy"]

[[tool.mypy.overrides]]
module = ["structlog.*"]
ignore_missing_imports = true

[tool.other]
version = "{OLD}"
'''


def best_ms(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


# what the adapter imported before the scanners moved out of it: loaded on the hook path anyway
HOOK_PATH_PRELOAD = ("ast", "json", "os", "re", "tomllib", "dataclasses", "pathlib", "gates.errors")


def import_ms(module: str, runs: int, env: dict[str, str], preload: tuple[str, ...] = ()) -> float:
    """The median cumulative import time of `module` in a fresh interpreter, after `preload`."""
    code = "".join(f"import {name}; " for name in preload) + f"import {module}"
    pattern = rf"^import time:\s+\d+ \|\s+(\d+) \|\s?{re.escape(module)}$"
    samples = []
    for run in range(runs + 1):  # the first, untimed, writes the bytecode cache
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        cumulative = re.findall(pattern, result.stderr, re.MULTILINE)
        if run:
            samples.append(int(cumulative[-1]) / 1000 if cumulative else 0.0)
    return statistics.median(samples)


# --- the tomlkit way, as version_files.py would do it -------------------------------------


def tomlkit_read(path: Path) -> str:
    import tomlkit

    document = tomlkit.parse(path.read_bytes().decode("utf-8"))
    return str(document["project"]["version"])  # type: ignore[index]


def tomlkit_rewrite(text: str, version: str) -> str:
    import tomlkit

    document = tomlkit.parse(text)
    document["project"]["version"] = version  # type: ignore[index]
    changed = tomlkit.dumps(document)
    before, after = tomllib.loads(text), tomllib.loads(changed)
    before["project"]["version"] = version
    if before != after:
        raise ValueError("the rewrite changed more than the version")
    return changed


def tomlkit_bump(path: Path, version: str) -> None:
    text = path.read_bytes().decode("utf-8")
    tomlkit_read(path)  # as current_version does before the rewrite
    atomic_write(path, tomlkit_rewrite(text, version))


# --- the table ------------------------------------------------------------------------------


def timed_paths(root: Path, text: str, repeat: int) -> list[tuple[str, float, float | None]]:
    """(path, scanner ms, tomlkit ms or None) on the pre-push and `gate version bump` paths."""
    path = root / "pyproject.toml"

    def restore() -> None:
        path.write_bytes(text.encode("utf-8"))

    def scanner_plan() -> None:
        [source] = read_sources(root, {})
        plan_writes(root, [source], lambda _: NEW)

    def scanner_bump() -> None:
        write_version(root, {}, NEW)
        restore()

    def tomlkit_plan() -> None:
        tomlkit_rewrite(path.read_bytes().decode("utf-8"), NEW)

    def tomlkit_bump_and_restore() -> None:
        tomlkit_bump(path, NEW)
        restore()

    restore()
    have_tomlkit = importlib.util.find_spec("tomlkit") is not None
    plan = [
        (
            "read (pre-push: changelog gate)",
            lambda: read_sources(root, {}),
            lambda: tomlkit_read(path),
        ),
        ("read, rewrite and check, in memory", scanner_plan, tomlkit_plan),
        ("`gate version bump`: the same and the write", scanner_bump, tomlkit_bump_and_restore),
    ]
    return [
        (name, best_ms(ours, repeat), best_ms(theirs, repeat) if have_tomlkit else None)
        for name, ours, theirs in plan
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="in-process runs, best taken")
    parser.add_argument("--imports", type=int, default=15, help="fresh interpreters per import")
    parser.add_argument("--file", type=Path, help="a pyproject.toml with [project].version")
    parser.add_argument("--check", action="store_true", help="exit 1 unless the scanner wins")
    args = parser.parse_args(argv)
    text = args.file.read_bytes().decode("utf-8") if args.file else PYPROJECT
    old = tomllib.loads(text)["project"]["version"]
    env = bench_env()

    with tempfile.TemporaryDirectory(prefix="gate-bench-version-") as scratch:
        root = Path(scratch)
        rows = timed_paths(root, text, args.repeat)
        [source] = read_sources(root, {})
        write_version(root, {}, NEW)
        by_scanner = (root / "pyproject.toml").read_bytes().decode("utf-8")

    modules = ["gates.knowledge.toml_scan", "gates.knowledge.json_scan", "tomllib"]
    have_tomlkit = rows[0][2] is not None
    if have_tomlkit:
        modules.append("tomlkit")
    imports = {
        module: (
            import_ms(module, args.imports, env),
            import_ms(
                module, args.imports, env, tuple(p for p in HOOK_PATH_PRELOAD if p != module)
            ),
        )
        for module in modules
    }

    print(
        f"## version in pyproject.toml: {text.count(chr(10))} lines, {old} → {NEW}\n\n"
        f"best of {args.repeat} in process; imports: median of {args.imports} fresh"
        f" interpreters; load average {load_average()}\n"
    )
    print("| path | gate's scanner ms | tomlkit ms | × scanner |")
    print("| --- | ---: | ---: | ---: |")
    for name, ours, theirs in rows:
        kit, ratio = (f"{theirs:.2f}", f"{theirs / ours:.1f}") if theirs else ("n/a", "n/a")
        print(f"| {name} | {ours:.2f} | {kit} | {ratio} |")
    print("\n| import | alone ms | on the hook path ms |")
    print("| --- | ---: | ---: |")
    for module, (alone, marginal) in imports.items():
        print(f"| `{module}` | {alone:.1f} | {marginal:.1f} |")
    print(
        "\n(on the hook path: after what the adapter imports anyway,"
        f" {', '.join(HOOK_PATH_PRELOAD)}, less the module itself)\n"
    )
    print(f"- gate gives the value's line ({source.line}); tomlkit gives no position")
    if not have_tomlkit:
        print("- tomlkit is not installed (`pip install tomlkit`): its figures are left out")
        return 0
    import tomlkit

    same = "yes" if tomlkit_rewrite(text, NEW) == by_scanner else "NO"
    print(f"- tomlkit {tomlkit.__version__}: the same bytes as gate's rewrite: {same}")
    inline = 'project = { name = "x", version = "1.0.0" }\n'
    print(
        "- an inline table: gate refuses to rewrite it, tomlkit writes"
        f" {tomlkit_rewrite(inline, '1.1.0').strip()!r}"
    )
    scan_import = imports["gates.knowledge.toml_scan"][1]
    kit_import = imports["tomlkit"][1]
    slower = [
        name for name, ours, theirs in rows if theirs and ours + scan_import >= theirs + kit_import
    ]
    if args.check and slower:
        print(f"tomlkit is as fast or faster on: {', '.join(slower)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
