"""The globs of a policy: one language for repository paths, git's own for branch and tag names.

Paths — `tests_with_code.source`, `.tests`, `.exempt_paths`, `changelog.exempt_paths`,
`coverage.paths[].glob`, `waivers[].path` — are gitignore lines, read by pathspec's
`GitIgnoreSpec`, each anchored at the repository root as if it began with `/`:

- `*`, `?` and `[a-z]` stay inside one folder; `**` crosses folders, and `**/` may match
  none (`**/test_*.py` matches `test_a.py` at the top);
- a pattern that matches a folder covers everything in it: `docs`, `docs/`, `docs/*` and
  `docs/**` all cover `docs/guide/intro.md`;
- `!pattern` takes back what an earlier line matched: the last line that matches wins;
- unlike a .gitignore, a pattern without a slash is anchored too: `*.md` is a file at the
  top only, `**/*.md` one at any depth. The presets list `*.py` and `**/*.py` apart, and
  the coverage globs' tests hold `*.py` to the top level.

`components[].path` and `.also` are not globs: git reads them as literal paths
(`:(top,literal)`). Workspace globs (pnpm, npm, Cargo), coverage and JUnit data files are
found on disk in their own tools' languages.

Refs — deploy environments' `branches` and `tags`, `release.branches`, the globs among
`branches.merge_targets` and `branches.protected`, `waivers[].branch` — are fnmatch patterns,
case-sensitive, where `*` crosses `/` as in `git branch --list`: `release/*` matches
`release/1.2/rc`. A branch name is no path (`release/1.2` has no folder `release`), and the
presets' `hotfix/*` and `v[0-9]*` mean what git means by them.

pathspec is imported on the first pattern with a wildcard, not here: it costs the commit-msg
hook, which imports this module through waivers, 15-25 ms. A list of plain paths is matched
without it, as gitignore would: the path itself or anything in that folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from functools import lru_cache

from gates.errors import PolicyError

_GITIGNORE_SYNTAX = frozenset("*?[]\\!# ")


def _anchored(pattern: str) -> str:
    negated = pattern.startswith("!")
    body = pattern[1:] if negated else pattern
    return ("!" if negated else "") + "/" + body.lstrip("/")


def _plain(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    files = {p.strip("/") for p in patterns if not p.endswith("/")}
    folders = tuple(p.strip("/") + "/" for p in patterns)
    return lambda path: path in files or path.startswith(folders)


@lru_cache(maxsize=512)
def _compiled(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    if not patterns:
        return lambda _path: False
    if not _GITIGNORE_SYNTAX.intersection("".join(patterns)):
        return _plain(patterns)
    from pathspec import GitIgnoreSpec

    try:
        spec = GitIgnoreSpec.from_lines([_anchored(p) for p in patterns])
    except ValueError as exc:
        raise PolicyError(
            f"invalid path glob in {list(patterns)}: {exc}",
            hint="path globs are gitignore lines (docs/globs.md); escape a literal `\\` as `\\\\`",
        ) from None
    return spec.match_file


def matcher(patterns: Iterable[str]) -> Callable[[str], bool]:
    """A predicate: does a repository path (posix, relative) match the globs?"""
    return _compiled(tuple(patterns))


def matches(path: str, patterns: Iterable[str]) -> bool:
    return matcher(patterns)(path)


def ref_matches(name: str, patterns: Iterable[str]) -> bool:
    """Does a branch or tag name match any of the ref globs?"""
    return any(fnmatchcase(name, pattern) for pattern in patterns)
