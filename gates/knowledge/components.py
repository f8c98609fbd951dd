"""Components of one repository: an API, a web front end, workers and charts side by side,
each with its own path, version, tag format and changelog. Pure: the workspace files are
read by gates/adapters/workspaces.py.

A release tag names its component (`@changesets/cli@2.27.1`, `api-v1.2.0`, `api/v1.2.0`):
`{name}` and `{version}` in a tag format stand for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from gates.knowledge.history import ReleaseTag

# The tag styles of the tools that release monorepos (changesets, release-please, others).
TAG_STYLES = ("{name}@{version}", "{name}-v{version}", "{name}/v{version}")


class Component(NamedTuple):
    name: str
    path: str  # posix, relative to the repository root
    kind: str  # npm, cargo, python, helm, or declared
    tag_format: str = "{name}@{version}"
    changelog: str = ""  # relative to the root; "" = {path}/CHANGELOG.md
    depends: tuple[str, ...] = ()
    private: bool = False
    settings: Mapping[str, Any] = {}
    scopes: tuple[str, ...] = ()  # Conventional Commit scopes that name it
    also: tuple[str, ...] = ()  # files or folders outside its folder that count for it

    @property
    def tag(self) -> str:
        """The component's own tag format: `{name}` filled in."""
        return self.tag_format.replace("{name}", self.name)

    @property
    def changelog_file(self) -> str:
        return self.changelog or f"{self.path}/CHANGELOG.md"

    @property
    def paths(self) -> tuple[str, ...]:
        """Its folder and the other paths that count for it."""
        return (self.path, *self.also)

    def owns(self, path: str) -> bool:
        """Whether a changed file belongs to the component (root files belong to none
        unless the policy lists them in `also`)."""
        return any(path == mine or path.startswith(mine + "/") for mine in self.paths)


def split_tags(
    tags: Iterable[tuple[str, str]], components: Iterable[Component], scheme: str = "semver"
) -> dict[str, list[ReleaseTag]]:
    """Component name → its release tags, highest first, in one pass over the tags: one
    regular expression of every component's tag prefix, then one version parse per tag
    (10,000 tags in well under a second)."""
    from gates.knowledge.history import ReleaseTag
    from gates.knowledge.semver import parse_version

    by_affix: dict[tuple[str, str], str] = {}
    for component in components:
        prefix, _, suffix = component.tag.partition("{version}")
        by_affix[(prefix, suffix)] = component.name
    found: dict[str, list[ReleaseTag]] = {name: [] for name in by_affix.values()}
    if not by_affix:
        return found
    prefixes = sorted({prefix for prefix, _ in by_affix}, key=len, reverse=True)
    pattern = re.compile("(" + "|".join(map(re.escape, prefixes)) + r")(.+)\Z")
    suffixes = {prefix: [s for p, s in by_affix if p == prefix] for prefix in prefixes}
    for name, sha in tags:
        match = pattern.match(name)
        if match is None:
            continue
        prefix, rest = match.groups()
        for suffix in suffixes[prefix]:
            if rest.endswith(suffix):
                text = rest[: len(rest) - len(suffix)] if suffix else rest
                version = parse_version(text, scheme)
                if version is not None:
                    found[by_affix[(prefix, suffix)]].append(ReleaseTag(name, sha, version))
                break
    for releases in found.values():
        releases.sort(key=lambda tag: (tag.version, tag.name), reverse=True)
    return found


def tag_style(tags: Iterable[str], names: Iterable[str]) -> str:
    """The tag style most of the components' tags follow (`{name}@{version}` when none)."""
    names = set(names)
    prefixes = {
        style: tuple(
            name + style.partition("{name}")[2].partition("{version}")[0] for name in names
        )
        for style in TAG_STYLES
    }
    counts = dict.fromkeys(TAG_STYLES, 0)
    for tag in tags:
        for style in TAG_STYLES:
            if tag.startswith(prefixes[style]):
                counts[style] += 1
                break
    best = max(TAG_STYLES, key=lambda style: counts[style])
    return best if counts[best] else TAG_STYLES[0]


def in_dependency_order(components: Iterable[Component]) -> list[Component]:
    """Dependencies before their dependents (by name otherwise); a cycle keeps name order."""
    pending = {c.name: c for c in sorted(components, key=lambda c: c.name)}
    ordered: list[Component] = []
    placed: set[str] = set()
    while pending:
        ready = [
            c for c in pending.values() if all(d in placed or d not in pending for d in c.depends)
        ]
        for component in ready or list(pending.values())[:1]:
            ordered.append(component)
            placed.add(component.name)
            del pending[component.name]
    return ordered
