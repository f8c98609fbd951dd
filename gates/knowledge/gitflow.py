"""Git-flow branch names: what kind a branch is, whether its name follows the policy,
the nearest valid name, where it may be merged, and whether it is protected.

Pure: no git, no I/O. The policy's `branches` section becomes a BranchPolicy;
`check(name, policy)` returns a Verdict with the branch's kind and every
violation, each with a rule name (the `branch-name.<rule>` of the gate), a
message, a hint and, where one is obvious, a suggested name.

The order matters for safety: an empty name, git's own ref rules (one linear
pass) and the maximum length come before any regular expression, so a policy
pattern never runs on a 10,000-character name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from gates.knowledge import refname
from gates.knowledge.bot_branches import BOT_BRANCHES
from gates.knowledge.patterns import compile_pattern

if TYPE_CHECKING:
    import semver

MAIN, DEVELOP, EXTRA = "main", "develop", "extra"
PREFIX_KINDS = ("feature", "bugfix", "release", "hotfix", "support")
SLUG_KINDS = ("feature", "bugfix", "support")
VERSION_KINDS = ("release", "hotfix")
KINDS = (MAIN, DEVELOP, *PREFIX_KINDS, EXTRA)

DEFAULT_SLUG = (
    r"^(?:[A-Z][A-Z0-9]*-[0-9]+(?:[-_.][a-z0-9]+)*|[a-z0-9]+(?:[-_.][a-z0-9]+)*)"
    r"(?:/[a-z0-9]+(?:[-_.][a-z0-9]+)*)*$"
)
DEFAULT_PREFIXES = {kind: f"{kind}/" for kind in PREFIX_KINDS}
DEFAULT_MERGE_TARGETS = {
    "feature": (DEVELOP,),
    "bugfix": (DEVELOP,),
    "release": (MAIN, DEVELOP),
    "hotfix": (MAIN, DEVELOP, "release"),
    "support": (),
}
_VERSION_SHAPE = re.compile(
    r"[vV]?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?((?:[-+][0-9A-Za-z.+-]*)?)"
)


class BranchPolicy(NamedTuple):
    """The `branches` policy section, with the preset's defaults for anything left out."""

    main: str = "main"
    develop: str | None = "develop"
    prefixes: Mapping[str, str] = MappingProxyType(DEFAULT_PREFIXES)
    slug: str = DEFAULT_SLUG
    version_prefix: bool = False
    extra: tuple[str, ...] = BOT_BRANCHES
    max_length: int = 200
    merge_targets: Mapping[str, tuple[str, ...]] = MappingProxyType(DEFAULT_MERGE_TARGETS)
    protected: tuple[str, ...] = (MAIN, DEVELOP)

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> BranchPolicy:
        prefixes = dict(DEFAULT_PREFIXES)
        prefixes.update(section.get("prefixes") or {})
        return cls(
            main=section.get("main") or "main",
            develop=section.get("develop", "develop"),
            prefixes={kind: prefix for kind, prefix in prefixes.items() if prefix},
            slug=section.get("slug") or DEFAULT_SLUG,
            version_prefix=bool(section.get("version_prefix", False)),
            extra=tuple(section["extra"] or ()) if "extra" in section else BOT_BRANCHES,
            max_length=int(section.get("max_length") or 200),
            merge_targets={
                **DEFAULT_MERGE_TARGETS,
                **{
                    kind: tuple(targets)
                    for kind, targets in (section.get("merge_targets") or {}).items()
                },
            },
            protected=tuple(section.get("protected", (MAIN, DEVELOP))),
        )

    @property
    def long_lived(self) -> tuple[str, ...]:
        return (self.main,) if self.develop is None else (self.main, self.develop)

    def kind_enabled(self, kind: str) -> bool:
        if kind == DEVELOP:
            return self.develop is not None
        return kind in (MAIN, EXTRA) or kind in self.prefixes

    def forms(self) -> list[str]:
        """The allowed shapes of a name, for hints: main, feature/<name>, release/<version>…"""
        shapes = list(self.long_lived)
        for kind in PREFIX_KINDS:
            if kind in self.prefixes:
                shapes.append(self.prefixes[kind] + _placeholder(kind))
        return shapes


class Violation(NamedTuple):
    """One reason a name is refused. `rule` is the gate's rule name (branch-name.<rule>)."""

    rule: str
    message: str
    hint: str
    suggestion: str | None = None


class Verdict(NamedTuple):
    name: str
    kind: str | None = None
    rest: str | None = None
    version: semver.Version | None = None
    violations: tuple[Violation, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations


def display(name: str, limit: int = 80) -> str:
    """The name quoted and safe to print: control characters and raw bytes escaped, cut short."""
    out = []
    for char in name[:limit]:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a raw byte from a command line that was not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif char in "'\\":
            out.append("\\" + char)
        else:
            out.append(char)
    text = "'" + "".join(out) + "'"
    if len(name) > limit:
        text += f"… ({len(name)} characters)"
    return text


def parse_version(text: str, allow_v: bool) -> semver.Version | None:
    """A strict SemVer 2.0.0 version (`v` prefix only where allowed), or None."""
    version, _why = _version(text, allow_v)
    return version


def _version(text: str, allow_v: bool) -> tuple[semver.Version | None, str]:
    from gates.knowledge.semver import VersionError, to_version

    if allow_v and text[:1] in ("v", "V"):
        text = text[1:]
    try:
        return to_version(text, "semver"), ""
    except VersionError as exc:
        # Branch names take strict SemVer whatever versioning.scheme says: drop that advice.
        return None, str(exc).split(" (or set versioning.scheme", 1)[0]


def check(name: str, policy: BranchPolicy) -> Verdict:
    """The kind of branch `name` is, and every way it breaks git's rules or the policy."""
    verdict = _check(name, policy)
    if verdict.ok or verdict.violations[0].rule in ("empty", "too-long"):
        return verdict
    suggestion = suggest(name, policy)
    if suggestion is None:
        return verdict
    first, *others = verdict.violations
    hint = f"did you mean '{suggestion}'? (git branch -m {suggestion})"
    if first.hint:
        hint += f"; {first.hint}"
    improved = Violation(first.rule, first.message, hint, suggestion)
    return Verdict(verdict.name, verdict.kind, verdict.rest, verdict.version, (improved, *others))


def _check(name: str, policy: BranchPolicy) -> Verdict:
    if not name.strip():
        what = "empty" if not name else "only white space"
        violation = Violation("empty", f"the branch name is {what}", _forms_hint(policy))
        return Verdict(name, violations=(violation,))
    git_problems = refname.problems(name)
    if git_problems:
        return Verdict(
            name,
            violations=tuple(
                Violation(
                    "git-ref",
                    f"{display(name)} is refused by git: {problem.reason}" + _at(problem),
                    "git check-ref-format(1) lists git's rules for ref names",
                )
                for problem in git_problems
            ),
        )
    if len(name) > policy.max_length:
        return Verdict(
            name,
            violations=(
                Violation(
                    "too-long",
                    f"the branch name is {len(name)} characters long; "
                    f"the policy allows at most {policy.max_length}",
                    "use a shorter name (branches.max_length in the policy sets the limit)",
                ),
            ),
        )
    if name == policy.main:
        return Verdict(name, MAIN)
    if policy.develop is not None and name == policy.develop:
        return Verdict(name, DEVELOP)
    for pattern in policy.extra:
        if compile_pattern(pattern, key="branches.extra").fullmatch(name):
            return Verdict(name, EXTRA)
    for kind, prefix in policy.prefixes.items():
        if name.startswith(prefix):
            return _check_prefixed(name, kind, prefix, policy)
    return Verdict(name, violations=(_unknown(name, policy),))


def _check_prefixed(name: str, kind: str, prefix: str, policy: BranchPolicy) -> Verdict:
    rest = name[len(prefix) :]
    if kind in VERSION_KINDS:
        version, why = _version(rest, policy.version_prefix)
        if version is None:
            shape = "v1.2.0 or 1.2.0" if policy.version_prefix else "1.2.0"
            return Verdict(
                name,
                kind,
                rest,
                violations=(
                    Violation(
                        "version",
                        f"{display(rest)} after '{prefix}' is not a semantic version: " + why,
                        f"name {kind} branches {prefix}<version>, e.g. {prefix}{shape}",
                    ),
                ),
            )
        return Verdict(name, kind, rest, version)
    if kind in SLUG_KINDS and not compile_pattern(policy.slug, key="branches.slug").fullmatch(rest):
        return Verdict(
            name,
            kind,
            rest,
            violations=(
                Violation(
                    "slug",
                    f"{display(rest)} after '{prefix}' does not match the policy's name pattern",
                    "use lowercase words joined by '-', '_' or '.' (digits allowed), or a "
                    f"ticket id first: {prefix}add-login, {prefix}ABC-123-add-login",
                ),
            ),
        )
    return Verdict(name, kind, rest)


def _placeholder(kind: str) -> str:
    return "<version>" if kind in VERSION_KINDS else "<name>"


def _at(problem: refname.RefProblem) -> str:
    return "" if problem.position is None else f" (character {problem.position + 1})"


def _forms_hint(policy: BranchPolicy) -> str:
    return "name branches " + ", ".join(policy.forms())


def _unknown(name: str, policy: BranchPolicy) -> Violation:
    if name in ("main", "master") and name != policy.main:
        return Violation(
            "prefix",
            f"{display(name)} is not this policy's production branch ('{policy.main}')",
            f"if this repository's production branch is {name}, "
            f"set `branches.main: {name}` in .gate.yaml",
        )
    for kind, prefix in policy.prefixes.items():
        if name == prefix.rstrip("/-_."):
            return Violation(
                "prefix",
                f"{display(name)} has nothing after the {kind} prefix '{prefix}'",
                f"name it {prefix}{_placeholder(kind)}",
            )
    return Violation(
        "prefix",
        f"{display(name)} is not a git-flow branch name (no known prefix, not a long-lived branch)",
        _forms_hint(policy),
    )


def suggest(name: str, policy: BranchPolicy) -> str | None:
    """The nearest name the policy accepts, where one is obvious; None otherwise."""
    if not name.strip() or len(name) > policy.max_length:
        return None
    seen: set[str] = {name}
    for candidate in _candidates(name, policy):
        if candidate in seen or not candidate or len(candidate) > policy.max_length:
            continue
        seen.add(candidate)
        if _check(candidate, policy).ok:
            return candidate
    return None


def _candidates(name: str, policy: BranchPolicy) -> Iterator[str]:
    base = refname.sanitize(name.strip())
    if not base:
        return
    yield base
    for prefix, rest in _prefix_repairs(base, policy):
        kind = next(k for k, p in policy.prefixes.items() if p == prefix)
        if kind in VERSION_KINDS:
            version = _repair_version(rest)
            if version:
                yield prefix + version
        else:
            yield prefix + rest
            yield prefix + rest.lower()
            yield prefix + _repair_slug(rest)
    yield base.lower()


def _prefix_repairs(name: str, policy: BranchPolicy) -> Iterator[tuple[str, str]]:
    """(prefix, rest) pairs: the prefix as written, in another case, or the closest one."""
    lowered = name.lower()
    for prefix in policy.prefixes.values():
        if lowered.startswith(prefix.lower()):
            yield prefix, name[len(prefix) :]
    head, slash, rest = name.partition("/")
    if not slash or not rest:
        return
    by_name = {prefix[:-1]: prefix for prefix in policy.prefixes.values() if prefix.endswith("/")}
    for close in difflib.get_close_matches(head.lower(), list(by_name), n=1, cutoff=0.6):
        yield by_name[close], rest


def _repair_slug(rest: str) -> str:
    """Lowercase ASCII words joined by single separators; '' where letters would be lost."""
    ascii_text = unicodedata.normalize("NFKD", rest).encode("ascii", "ignore").decode("ascii")
    if any(
        ord(char) > 0x7F and not unicodedata.combining(char) and not _ascii_letters(char)
        for char in rest
    ):
        return ""
    text = re.sub(r"[^a-z0-9._/-]+", "-", ascii_text.lower())
    text = re.sub(r"([-_.])[-_.]+", r"\1", text)
    parts = [part.strip("-_.") for part in text.split("/")]
    return "/".join(part for part in parts if part)


def _ascii_letters(char: str) -> str:
    return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")


def _repair_version(rest: str) -> str | None:
    """`v1.2.0` → `1.2.0`, `1.2` → `1.2.0`, `01.2.0` → `1.2.0`; None for no version at all."""
    match = _VERSION_SHAPE.fullmatch(rest)
    if not match:
        return None
    major, minor, patch, tail = match.groups()
    return f"{int(major)}.{int(minor or 0)}.{int(patch or 0)}{tail}"


def _matches(name: str, spec: str, policy: BranchPolicy) -> bool:
    """A target or protected entry: `main`/`develop` mean the policy's names, a prefix kind
    (`release`) means every branch of that kind, anything else is a name or a glob."""
    if spec == MAIN:
        return name == policy.main
    if spec == DEVELOP:
        return policy.develop is not None and name == policy.develop
    if spec in policy.prefixes or spec == EXTRA:
        verdict = _check(name, policy)
        return verdict.ok and verdict.kind == spec
    return fnmatchcase(name, spec)


def describe(spec: str, policy: BranchPolicy) -> str | None:
    """How a target or protected entry reads to a user; None where the policy turned it off."""
    if spec == MAIN:
        return policy.main
    if spec == DEVELOP:
        return policy.develop
    if spec in PREFIX_KINDS:
        prefix = policy.prefixes.get(spec)
        return f"{prefix}*" if prefix else None
    return spec


def allowed_targets(kind: str, policy: BranchPolicy) -> tuple[str, ...] | None:
    """The target entries a kind may merge into; None where the policy does not restrict it."""
    return policy.merge_targets.get(kind)


def merge_allowed(kind: str, target: str, policy: BranchPolicy) -> bool:
    targets = allowed_targets(kind, policy)
    return targets is None or any(_matches(target, spec, policy) for spec in targets)


def protected_by(name: str, policy: BranchPolicy) -> str | None:
    """The `protected` entry that covers the branch, or None."""
    return next((spec for spec in policy.protected if _matches(name, spec, policy)), None)


def classify(name: str | None, section: Mapping[str, Any]) -> tuple[str | None, str]:
    """(kind, text after the prefix) of a branch under a `branches` policy section, without
    validating the name: `main`, `develop`, a prefixed kind (`release`, `1.2.0`), or (None, "")."""
    if not name:
        return None, ""
    if name == section.get("main"):
        return MAIN, ""
    if section.get("develop") and name == section.get("develop"):
        return DEVELOP, ""
    for kind, prefix in (section.get("prefixes") or {}).items():
        if prefix and name.startswith(prefix):
            return kind, name[len(prefix) :]
    return None, ""
