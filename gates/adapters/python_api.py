"""The public API of Python packages at a release tag against the working tree, with griffe.

Both sides are read statically (griffe visits the source; nothing is imported
or run). The release's files come out of git's object store into a temporary
folder, so the repository gets no worktree, checkout or index change.
"""

from __future__ import annotations

import functools
import logging
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.errors import GateError

if TYPE_CHECKING:
    from collections.abc import Callable

    from gates.adapters.git import GitRepo

NOT_PACKAGES = frozenset(
    {"tests", "test", "docs", "doc", "examples", "benchmarks", "scripts", "build", "dist"}
)
# A changed constant's value (a `__version__`, a default timeout) is not an incompatible API.
IGNORED_KINDS = frozenset({"ATTRIBUTE_CHANGED_VALUE"})


@dataclass(frozen=True)
class ApiBreak:
    """One incompatible change to a public name."""

    symbol: str
    change: str
    old: str | None = None
    new: str | None = None
    path: str | None = None
    line: int | None = None

    def describe(self) -> str:
        detail = (
            f" ({self.old} → {self.new})" if self.old is not None and self.new is not None else ""
        )
        return f"{self.symbol}: {self.change.lower()}{detail}"


def find_packages(root: Path, names: list[str] | None = None) -> list[tuple[str, str]]:
    """(package, folder that holds it) for the packages whose API is checked.

    `names` from the policy wins; else the project's own package (from
    pyproject's name) in src/ or at the root; else every package found there.
    """
    bases = [base for base in ("src", "") if (root / base).is_dir()]
    if names:
        return [(name, _base_of(root, bases, name.split(".")[0])) for name in names]
    project = _project_name(root)
    candidates: list[tuple[str, str]] = []
    for base in bases:
        candidates = [(name, base) for name in _packages_in(root / base)]
        if candidates:
            break
    own = [c for c in candidates if project and c[0] == project]
    return own or candidates


def _base_of(root: Path, bases: list[str], top: str) -> str:
    """The folder that holds a package named in the policy; one gone from the working tree is
    compared with the release all the same, from src/ if there is one."""
    for base in bases:
        if (root / base / top).is_dir() or (root / base / f"{top}.py").is_file():
            return base
    return "src" if (root / "src").is_dir() else ""


def _packages_in(folder: Path) -> list[str]:
    return [
        item.name
        for item in sorted(folder.iterdir())
        if item.is_dir()
        and not item.name.startswith((".", "_"))
        and item.name not in NOT_PACKAGES
        and (item / "__init__.py").is_file()
        and item.name.isidentifier()
    ]


def _exists(root: Path, folder: str) -> bool:
    return (root / folder).is_dir() or (root / f"{folder}.py").is_file()


def _project_name(root: Path) -> str | None:
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = data.get("project", {}).get("name") or data.get("tool", {}).get("poetry", {}).get("name")
    return name.replace("-", "_").replace(".", "_").lower() if isinstance(name, str) else None


def api_breaks(
    git: GitRepo, ref: str, root: Path, packages: list[tuple[str, str]]
) -> list[ApiBreak]:
    """Incompatible changes to the public API of `packages` between `ref` and the working tree."""
    import griffe

    breaks: list[ApiBreak] = []
    for name, base in packages:
        top = name.split(".")[0]
        with tempfile.TemporaryDirectory(prefix="gate-api-") as tmp:
            old_root = Path(tmp)
            present = _exists(root, f"{base}/{top}" if base else top)
            # a package gone from the working tree may have lived in src/ or at the root
            bases = [base] if present else ["src", ""]
            old_base = next((b for b in bases if _export(git, ref, b, top, old_root)), None)
            if old_base is None:
                if not present:
                    raise GateError(
                        f"versioning.api_packages: '{name}' is neither in the working tree"
                        f" nor at {ref[:12]}",
                        hint="fix the name in the policy",
                    )
                continue  # new since the release: nothing to break
            old_search = old_root / old_base
            if not present:
                _load(griffe, name, old_search, ref, [])  # it must read, even to be gone
                path = f"{old_base}/{top}" if old_base else top
                breaks.append(ApiBreak(name, "Public package was removed", path=path))
                continue

            fetch = functools.partial(_export, git, ref, old_base, dest=old_root)
            describe = functools.partial(_describe, old_root=old_root, root=root)
            breaks += _compare(
                griffe,
                name,
                (old_search, ref),
                (root / base, "the working tree"),
                fetch_old=fetch,
                describe=describe,
            )
    return breaks


def _export(git: GitRepo, ref: str, base: str, top: str, dest: Path) -> bool:
    """The package (a folder, or one module) as it was at `ref`, written under dest/base."""
    folder = f"{base}/{top}" if base else top
    if git.export(ref, folder, dest, suffixes=(".py", ".pyi")):
        return True
    module = git.show(ref, f"{folder}.py")
    if module is None:
        return False
    (dest / base).mkdir(parents=True, exist_ok=True)
    (dest / base / f"{top}.py").write_text(module, encoding="utf-8")
    return True


class _LoadProblems(logging.Handler):
    """griffe logs a module it cannot read (at debug level) and leaves it out, which would read
    as a removed API; these records turn that into an error instead."""

    PREFIXES = ("Syntax error", "Import error", "UnicodeDecodeError", "OSError")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(self.PREFIXES):
            self.problems.append(message)


# A package may re-export the names of packages beside it (attrs re-exports attr): those are
# loaded too, one at a time as the comparison meets them, up to this many.
MAX_SIBLINGS = 5


def _compare(
    griffe: Any,
    name: str,
    old_at: tuple[Path, str],
    new_at: tuple[Path, str],
    *,
    fetch_old: Callable[[str], object],
    describe: Callable[[Any, Any], ApiBreak],
) -> list[ApiBreak]:
    """The breaking changes from the old tree's package to the new one's; `fetch_old` writes a
    sibling package of the old tree beside it."""
    siblings: list[str] = []
    while True:
        try:
            old = _load(griffe, name, *old_at, siblings)
            new = _load(griffe, name, *new_at, siblings)
            return [
                describe(breakage, new)
                for breakage in griffe.find_breaking_changes(old, new)
                if breakage.kind.name not in IGNORED_KINDS
            ]
        except griffe.AliasResolutionError as exc:
            target = str(getattr(exc.alias, "target_path", "")).split(".")[0]
            if not target or target in siblings or len(siblings) >= MAX_SIBLINGS:
                raise GateError(
                    f"cannot read the API of '{name}': {exc}",
                    hint="name the packages in versioning.api_packages, or set "
                    "versioning.api_check: false",
                ) from None
            siblings.append(target)
            fetch_old(target)


def _load(griffe: Any, name: str, search: Path, where: str, siblings: list[str]) -> Any:
    """The package as griffe reads it from `search`, with the sibling packages it re-exports
    from; an AliasResolutionError goes to the caller, which loads the sibling it names."""
    hint = "fix the package, or set versioning.api_check: false"
    logger = logging.getLogger("griffe")
    problems = _LoadProblems()
    logger.addHandler(problems)
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # griffe's own warnings are not the user's business here
    try:
        loader = griffe.GriffeLoader(search_paths=[search], allow_inspection=False)
        for sibling in siblings:
            if (search / sibling).is_dir() or (search / f"{sibling}.py").is_file():
                loader.load(sibling, try_relative_path=False)
        package = loader.load(name, try_relative_path=False)
    except ModuleNotFoundError:
        raise GateError(f"package '{name}' is not in {where}") from None
    except griffe.AliasResolutionError:
        raise
    except Exception as exc:  # griffe raises many kinds; the gate must fail closed
        raise GateError(
            f"cannot read the API of '{name}' at {where}: {type(exc).__name__}: {exc}", hint=hint
        ) from None
    finally:
        logger.removeHandler(problems)
        logger.setLevel(level)
        logger.propagate = propagate
    if problems.problems:
        raise GateError(
            f"cannot read the API of '{name}' at {where}: {problems.problems[0]}", hint=hint
        )
    return package


def _describe(breakage: Any, new: Any, old_root: Path, root: Path) -> ApiBreak:
    obj = breakage.obj
    symbol = obj.path
    path: str | None = None
    line: int | None = None
    relative = symbol.split(".", 1)[1] if "." in symbol else ""
    try:
        current = new[relative] if relative else new
        path = Path(current.filepath).resolve().relative_to(root.resolve()).as_posix()
        line = current.lineno
    except (KeyError, ValueError, AttributeError, TypeError):
        try:
            path = Path(obj.filepath).resolve().relative_to(old_root.resolve()).as_posix()
        except (ValueError, AttributeError, TypeError):
            path = None
    old, new = _values(breakage)
    return ApiBreak(symbol + _parameter_suffix(breakage), breakage.kind.value, old, new, path, line)


def _parameter_suffix(breakage: Any) -> str:
    name = getattr(breakage.old_value, "name", None) or getattr(breakage.new_value, "name", None)
    kind = breakage.kind.name
    return f"({name})" if kind.startswith("PARAMETER") and isinstance(name, str) else ""


def _values(breakage: Any) -> tuple[str | None, str | None]:
    """What the change was, in words short enough for one line."""
    kind = breakage.kind.name
    old, new = breakage.old_value, breakage.new_value
    try:
        if kind == "PARAMETER_CHANGED_DEFAULT":
            return str(old.default), str(new.default)
        if kind == "PARAMETER_CHANGED_KIND":
            return str(old.kind.value), str(new.kind.value)
        if kind == "OBJECT_CHANGED_KIND":
            return str(old.value), str(new.value)
        if kind in ("RETURN_CHANGED_TYPE", "ATTRIBUTE_CHANGED_TYPE", "CLASS_REMOVED_BASE"):
            return str(old)[:80], str(new)[:80]
    except AttributeError:
        pass
    return None, None
