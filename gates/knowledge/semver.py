"""Semantic versions: parsing, tags, ordering, bumps and the bump that commits require.

Strict SemVer 2.0.0 through the `semver` package. Python projects may spell
the same version the PEP 440 way (`1.2.0rc1` is `1.2.0-rc.1`) when the
policy's scheme is `pep440`; only PEP 440 forms whose order agrees with
SemVer's are understood (alpha, beta and release candidates, local labels).
Pure: no I/O, no git.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from semver import Version

if TYPE_CHECKING:
    from gates.knowledge.conventional import ConventionalCommit

Bump = Literal["major", "minor", "patch"]
SCHEMES = ("semver", "pep440")
BUMP_RANK: dict[str | None, int] = {None: 0, "patch": 1, "minor": 2, "major": 3}
PARTS = ("major", "minor", "patch", "prerelease", "release")
DEFAULT_PRE_LABEL = "rc"
PATCH_TYPES = frozenset({"fix", "perf"})
RELEASE_AS = "Release-As"

# PEP 440 pre-release letters (after normalisation) and their SemVer spelling; the
# SemVer spellings sort alpha < beta < rc, as PEP 440 orders a < b < rc.
_PEP440_PRE = {"a": "alpha", "b": "beta", "rc": "rc"}
_SEMVER_PRE = {"alpha": "a", "a": "a", "beta": "b", "b": "b", "rc": "rc", "c": "rc"}
_TAG_VERSION = r"(?P<version>\S+?)"


class VersionError(ValueError):
    """Why a text is not a version, or a bump is impossible."""


def to_version(text: str, scheme: str = "semver") -> Version:
    """The version a text names, or VersionError saying why it is none."""
    if scheme not in SCHEMES:
        raise VersionError(f"unknown version scheme '{scheme}' (known: {', '.join(SCHEMES)})")
    if not isinstance(text, str) or not text:
        raise VersionError("empty version")
    if not text.isascii():
        raise VersionError("a version is ASCII only")
    try:  # one parse: is_valid() then parse() would read the text twice
        return Version.parse(text)
    except (ValueError, TypeError):
        pass
    if scheme == "pep440" and text[0] not in "vV":
        return _from_pep440(text)
    raise VersionError(_why_not_semver(text))


def parse_version(text: str, scheme: str = "semver") -> Version | None:
    """The version a text names, or None."""
    try:
        return to_version(text, scheme)
    except VersionError:
        return None


def _why_not_semver(text: str) -> str:
    if text[0] in "vV" and (Version.is_valid(text[1:]) or text[1:2].isdigit()):
        return (
            f"a leading '{text[0]}' belongs to the tag, not the version: the version is {text[1:]}"
        )
    if text.startswith(("-", "+")):
        return "a version starts with MAJOR.MINOR.PATCH"
    reason, about_core = _structural_reason(text)
    if about_core:
        try:
            spelled = _from_pep440(text)
        except VersionError:
            return reason
        if not any(char.isalpha() for char in text):
            return f"{reason}: write {spelled}"
        return (
            f"'{text}' is PEP 440 spelling; in SemVer it is {spelled}"
            " (or set versioning.scheme: pep440)"
        )
    return reason


def _structural_reason(text: str) -> tuple[str, bool]:
    """Why a text breaks the SemVer grammar, and whether the reason is about the numeric core."""
    core, _, build = text.partition("+")
    core, dash, pre = core.partition("-")
    found = _core_reason(core)
    if found is not None:
        return found
    if "+" in build:
        return "only one '+' (build metadata) is allowed", False
    parts = (
        ("pre-release", pre if dash else None, "-"),
        ("build metadata", build if "+" in text else None, "+"),
    )
    for label, part, separator in parts:
        reason = None if part is None else _identifiers_reason(label, part, separator)
        if reason is not None:
            return reason, False
    return "not a SemVer 2.0.0 version", False


def _core_reason(core: str) -> tuple[str, bool] | None:
    """Why MAJOR.MINOR.PATCH is not three numbers without leading zeros, or None."""
    numbers = core.split(".")
    if len(numbers) != 3:
        return f"the core must be MAJOR.MINOR.PATCH (three numbers), not '{core}'", True
    for name, number in zip(("major", "minor", "patch"), numbers, strict=True):
        if not number.isdigit():
            return f"the {name} version '{number}' is not a number", True
        if len(number) > 1 and number.startswith("0"):
            return f"the {name} version '{number}' has a leading zero", False
    return None


def _identifiers_reason(label: str, part: str, separator: str) -> str | None:
    """Why the pre-release or build metadata after `separator` is malformed, or None."""
    if part == "":
        return f"the {label} after '{separator}' is empty"
    for identifier in part.split("."):
        if identifier == "":
            return f"the {label} '{part}' has an empty identifier"
        if not re.fullmatch(r"[0-9A-Za-z-]+", identifier):
            return f"the {label} identifier '{identifier}' may hold only letters, digits and '-'"
        if label == "pre-release" and _leading_zero(identifier):
            return f"the numeric pre-release identifier '{identifier}' has a leading zero"
    return None


def _leading_zero(identifier: str) -> bool:
    return identifier.isdigit() and len(identifier) > 1 and identifier.startswith("0")


def _from_pep440(text: str) -> Version:
    from packaging.version import InvalidVersion
    from packaging.version import Version as Pep440Version

    try:
        parsed = Pep440Version(text)
    except InvalidVersion:
        raise VersionError(
            f"'{text}' is neither SemVer 2.0.0 nor PEP 440: {_structural_reason(text)[0]}"
        ) from None
    if parsed.epoch:
        raise VersionError("PEP 440 epochs (N!) have no SemVer equivalent")
    if parsed.post is not None:
        raise VersionError("PEP 440 post-releases (.postN) have no SemVer equivalent")
    if parsed.dev is not None:
        raise VersionError(
            "PEP 440 development releases (.devN) sort before alpha; SemVer cannot keep that order"
        )
    release = parsed.release
    if len(release) > 3:
        raise VersionError(f"'{text}' has {len(release)} release numbers; SemVer has three")
    major, minor, patch = (*release, 0, 0)[:3]
    prerelease = None
    if parsed.pre is not None:
        letter, number = parsed.pre
        prerelease = f"{_PEP440_PRE[letter]}.{number}"
    return Version(major, minor, patch, prerelease, parsed.local)


def format_version(version: Version, scheme: str = "semver") -> str:
    """The spelling of a version under a scheme: PEP 440 for Python sources when asked."""
    if scheme != "pep440" or version.prerelease is None:
        text = f"{version.major}.{version.minor}.{version.patch}"
        if version.prerelease:
            text += f"-{version.prerelease}"
    else:
        identifiers = version.prerelease.split(".")
        letter = _SEMVER_PRE.get(identifiers[0].lower())
        if (
            letter is None
            or len(identifiers) > 2
            or (len(identifiers) == 2 and not identifiers[1].isdigit())
        ):
            raise VersionError(
                f"the pre-release '{version.prerelease}' has no PEP 440 spelling "
                "(use alpha.N, beta.N or rc.N)"
            )
        number = identifiers[1] if len(identifiers) == 2 else "0"
        text = f"{version.major}.{version.minor}.{version.patch}{letter}{number}"
    if version.build:
        text += f"+{version.build}"
    return text


def same_version(a: Version, b: Version) -> bool:
    """Equal including build metadata (SemVer order ignores the build)."""
    return a == b and a.build == b.build


# --- tags -----------------------------------------------------------------------------------


def _tag_pattern(tag_format: str) -> re.Pattern[str]:
    if tag_format.count("{version}") != 1:
        raise VersionError(f"the tag format '{tag_format}' must contain {{version}} once")
    before, after = tag_format.split("{version}")
    return re.compile(re.escape(before) + _TAG_VERSION + re.escape(after) + r"\Z")


def format_tag(version: Version | str, tag_format: str) -> str:
    _tag_pattern(tag_format)
    return tag_format.replace("{version}", str(version))


def tag_version(tag: str, tag_format: str, scheme: str = "semver") -> Version | None:
    """The version a release tag names (`v1.2.0` under `v{version}`), or None."""
    match = _tag_pattern(tag_format).match(tag)
    if match is None:
        return None
    return parse_version(match.group("version"), scheme)


def version_tags(
    tags: Iterable[tuple[str, str]], tag_format: str, scheme: str = "semver"
) -> tuple[list[tuple[str, str, Version]], list[str]]:
    """(name, sha, version) of the release tags, highest first; and the names of the others."""
    releases: list[tuple[str, str, Version]] = []
    others: list[str] = []
    for name, sha in tags:
        version = tag_version(name, tag_format, scheme)
        if version is None:
            others.append(name)
        else:
            releases.append((name, sha, version))
    releases.sort(key=lambda item: (item[2], item[0]), reverse=True)
    return releases, sorted(others)


def latest_release(
    tags: Iterable[tuple[str, str]],
    tag_format: str,
    *,
    prereleases: bool = True,
    scheme: str = "semver",
) -> tuple[str, Version] | None:
    """The highest release tag by SemVer order (not by date, not by string order).

    Tags that do not match the format are ignored; `prereleases=False` ignores
    pre-release tags too, giving the latest final release.
    """
    releases, _ = version_tags(tags, tag_format, scheme)
    for name, _sha, version in releases:
        if prereleases or version.prerelease is None:
            return name, version
    return None


def duplicate_versions(
    releases: Sequence[tuple[str, str, Version]],
) -> list[list[tuple[str, str, Version]]]:
    """Groups of release tags that name the same version (SemVer order) on different commits."""
    groups: dict[Version, list[tuple[str, str, Version]]] = {}
    for item in releases:
        key = item[2].replace(build=None)
        groups.setdefault(key, []).append(item)
    return [group for group in groups.values() if len({sha for _, sha, _ in group}) > 1]


# --- bumps ----------------------------------------------------------------------------------


def bump(version: Version, part: str, pre: str | None = None) -> Version:
    """The next version: major, minor, patch, prerelease (rc.1 → rc.2) or release (final).

    A pre-release that already carries the bump becomes its release, as npm does:
    bumping 2.0.0-rc.1 by major gives 2.0.0. With `pre`, a core bump starts a
    pre-release series (`minor` with pre `rc`: 1.2.3 → 1.3.0-rc.1). Build metadata is dropped.
    """
    plain = version.replace(build=None)
    if part == "release":
        if plain.prerelease is None:
            raise VersionError(f"{version} is already a release")
        return plain.replace(prerelease=None)
    if part == "prerelease":
        return _bump_prerelease(plain, pre)
    if part not in ("major", "minor", "patch"):
        raise VersionError(f"unknown part '{part}' (known: {', '.join(PARTS)})")
    core = plain.replace(prerelease=None)
    already = plain.prerelease is not None and (
        (part == "major" and plain.minor == 0 and plain.patch == 0)
        or (part == "minor" and plain.patch == 0)
        or part == "patch"
    )
    bumped = core if already else core.next_version(part)
    if pre:
        bumped = bumped.replace(prerelease=f"{_pre_token(pre)}.1")
        if bumped <= plain:
            raise VersionError(f"{bumped} would not be greater than {version}")
    return bumped


def _pre_token(token: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*", token) or token.isdigit():
        raise VersionError(
            f"'{token}' is not a pre-release label (letters, digits and '-', like rc)"
        )
    return token


def _bump_prerelease(version: Version, pre: str | None) -> Version:
    if version.prerelease is None:
        return version.next_version("patch").replace(
            prerelease=f"{_pre_token(pre or DEFAULT_PRE_LABEL)}.1"
        )
    identifiers = version.prerelease.split(".")
    current_token = ".".join(i for i in identifiers if not i.isdigit())
    if pre and _pre_token(pre) != current_token:
        bumped = version.replace(prerelease=f"{pre}.1")
        if bumped <= version:
            raise VersionError(
                f"{bumped} would sort before {version}: '{pre}' < '{version.prerelease}'"
            )
        return bumped
    for index in range(len(identifiers) - 1, -1, -1):
        if identifiers[index].isdigit():
            identifiers[index] = str(int(identifiers[index]) + 1)
            return version.replace(prerelease=".".join(identifiers))
    return version.replace(prerelease=".".join([*identifiers, "1"]))


def next_in_series(target: Version, existing: Iterable[Version], pre: str) -> Version:
    """The next `pre` pre-release of target's core after those that exist (rc.1 → rc.2)."""
    core = target.replace(prerelease=None, build=None)
    token = _pre_token(pre)
    taken = [
        v
        for v in existing
        if v.replace(prerelease=None, build=None) == core
        and v.prerelease
        and v.prerelease.split(".")[0] == token.split(".")[0]
    ]
    if not taken:
        return core.replace(prerelease=f"{token}.1")
    return _bump_prerelease(max(taken).replace(build=None), token)


def bump_between(old: Version, new: Version) -> Bump | None:
    """Which bump takes `old` to `new`; None if `new` is not greater."""
    if new <= old:
        return None
    if new.major != old.major:
        return "major"
    if new.minor != old.minor:
        return "minor"
    return "patch"


def breaking_bump(current: Version | None, zero_major_breaking: str = "minor") -> Bump:
    """What a breaking change bumps: major, or minor while 0.x when the policy says so."""
    if zero_major_breaking == "minor" and (current is None or current.major == 0):
        return "minor"
    return "major"


def commit_bump(commit: ConventionalCommit, breaking: Bump = "major") -> Bump | None:
    """The bump one Conventional Commit requires: breaking, feat → minor, fix/perf → patch."""
    if commit.breaking:
        return breaking
    if commit.type == "feat":
        return "minor"
    if commit.type in PATCH_TYPES:
        return "patch"
    return None


def required_bump(
    commits: Iterable[ConventionalCommit],
    zero_major_breaking: bool | str = False,
    current: Version | None = None,
) -> Bump | None:
    """The largest bump the commits require.

    `zero_major_breaking` is either a bool (True: this is a 0.x line and a
    breaking change bumps the minor) or the policy value `minor`/`major`, which
    applies to `current` (a 0.x version, or None before the first release).
    """
    if isinstance(zero_major_breaking, str):
        breaking = breaking_bump(current, zero_major_breaking)
    else:
        breaking = "minor" if zero_major_breaking else "major"
    return max_bump(commit_bump(c, breaking) for c in commits)


def max_bump(bumps: Iterable[str | None]) -> Bump | None:
    best: str | None = None
    for item in bumps:
        if BUMP_RANK[item] > BUMP_RANK[best]:
            best = item
    return best  # type: ignore[return-value]


def release_as(commits: Iterable[ConventionalCommit]) -> str | None:
    """The `Release-As: X.Y.Z` footer of the newest commit that has one (commits newest first)."""
    for commit in commits:
        value = commit.footer(RELEASE_AS)
        if value:
            return value.strip()
    return None
