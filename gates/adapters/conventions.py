"""Reading a repository's conventions: refs, tags and a few files, for knowledge/conventions.

Plain `git` calls (no GitPython): this runs before the gates of every stage but commit-msg,
so it stays a handful of short commands. With `ref`, files are read as committed there (in
CI, the target branch's, so that the change under review cannot pick its own rules).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from gates.adapters.git import quick_output

if TYPE_CHECKING:
    from collections.abc import Callable

    from gates.knowledge.conventions import Detection, Facts

# Files the detectors read; anything else is only listed.
MAX_READ_BYTES = 512 * 1024


def _git(root: Path, *args: str) -> str:
    return quick_output(root, *args).decode("utf-8", "replace")


def read_facts(
    root: Path, ref: str | None = None, *, files: bool = True, tags: bool = True
) -> Facts:
    from gates.knowledge.conventions import Facts

    origin_head = _git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    origin_head = origin_head.strip().removeprefix("origin/") or None
    branches: set[str] = set()
    found_tags: list[tuple[str, str]] = []
    listing = _git(
        root,
        "for-each-ref",
        "--format=%(refname)%09%(*objectname)%09%(objectname)",
        "refs/heads",
        "refs/remotes",
        *(["refs/tags"] if tags else []),
    )
    for line in listing.splitlines():
        name, peeled, direct = [*line.split("\t"), "", ""][:3]
        if name.startswith("refs/heads/"):
            branches.add(name.removeprefix("refs/heads/"))
        elif name.startswith("refs/remotes/"):
            remote_branch = name.removeprefix("refs/remotes/").partition("/")[2]
            if remote_branch and remote_branch != "HEAD":
                branches.add(remote_branch)
        elif name.startswith("refs/tags/"):
            found_tags.append((name.removeprefix("refs/tags/"), peeled or direct))
    if not files:
        listed: list[str] = []
    elif ref is None:
        listed = _git(root, "ls-files", "-z").split("\0")
    else:
        listed = _git(root, "ls-tree", "-r", "-z", "--name-only", ref).split("\0")
    tracked = tuple(f for f in listed if f)
    return Facts(origin_head, frozenset(branches), tuple(found_tags), tracked, _reader(root, ref))


def _reader(root: Path, ref: str | None) -> Callable[[str], str | None]:
    @lru_cache(maxsize=16)
    def read(path: str) -> str | None:
        if ref is not None:
            data = quick_output(root, "cat-file", "blob", f"{ref}:{path}") or None
        else:
            file = root / path
            if file.is_symlink() or not file.is_file():
                return None
            try:
                if file.stat().st_size > MAX_READ_BYTES:
                    return None
                data = file.read_bytes()
            except OSError:
                return None
        if data is None or len(data) > MAX_READ_BYTES:
            return None
        return data.decode("utf-8", "replace")

    return read


def declared_versions(facts: Facts) -> list[tuple[str, str, bool]]:
    """(label, version, is_python) of pyproject.toml's static version, for the scheme."""
    import tomllib

    text = facts.read("pyproject.toml") if "pyproject.toml" in facts.files else None
    if not text:
        return []
    try:
        project = tomllib.loads(text).get("project")
    except tomllib.TOMLDecodeError:
        return []
    version = project.get("version") if isinstance(project, dict) else None
    return [("pyproject.toml", version, True)] if isinstance(version, str) else []


# GATE_DETECT=0 turns detection off: the presets apply exactly as written.
DETECT_VARIABLE = "GATE_DETECT"


def detect(root: Path, ref: str | None = None, *, light: bool = False) -> Detection | None:
    """The conventions of the repository at `root` (files as at `ref`, else the work tree);
    None outside a git repository or with GATE_DETECT=0. `light`: the branches only."""
    import os

    if os.environ.get(DETECT_VARIABLE) == "0" or not (root / ".git").exists():
        return None
    facts = read_facts(root, ref, files=not light, tags=not light)
    if light:
        from gates.knowledge.conventions import Detection, detect_branches

        preset, values, remarks = detect_branches(facts)
        return Detection(preset, tuple(values), tuple(remarks))
    from gates.knowledge.conventions import detect as detect_all

    return detect_all(facts, declared_versions(facts))
