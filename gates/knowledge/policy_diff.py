"""Which keys a new policy weakens, compared with the policy that judges it.

Pure: two effective policies (mappings) in, a list of weakenings out. Fail closed:
a change is a weakening unless it is known to make the policy stricter (a minimum
raised, a maximum lowered, a requirement turned on, a gate added to a stage, an
exemption removed). A pattern that changes at all is a weakening, since whether
one regular expression matches less than another cannot be decided cheaply.
"""

from __future__ import annotations

from typing import Any, NamedTuple

# Numbers where higher is stricter (minimums); every other number is a limit (lower is stricter).
_HIGHER_IS_STRICTER = frozenset({"total_min", "changed_min", "min"})
# Booleans where true is stricter; every other boolean changing is a weakening.
_TRUE_IS_STRICTER = frozenset(
    {
        "required",
        "scope_required",
        "check_pr_title",
        "require_release_tag",
        "require_ci_attestation",
        "require_signature",
        "check_versions",
        "check_image_tag",
        "check_tests",
        "check_build_time",
        "freeze",
        "fail_over_budget",
        "api_check",
        "branch",
    }
)
_FALSE_IS_STRICTER = frozenset(
    {"exempt_merges", "exempt_reverts", "fixup_in_ci", "version_prefix", "allow_weakening"}
)
# Lists whose items are requirements: removing one weakens, adding one strengthens.
_REQUIREMENT_LISTS = frozenset({"required_on", "bump_branches", "protected", "freezes", "locked"})
# Lists whose items are exemptions or permissions: adding one weakens, removing one strengthens.
_PERMISSION_LISTS = frozenset(
    {
        "exempt_types",
        "exempt_paths",
        "extra",
        "types",
        "branches",
        "tags",
        "entries",
        "quarantine",
        "feature",
        "bugfix",
        "release",
        "hotfix",
        "support",
        "main",
        "develop",
    }
)


# Limits that may be left unset: unsetting one turns the limit off.
_OPTIONAL_LIMITS = ("budget_seconds", "baseline", "audit_log")


class Weakening(NamedTuple):
    key: str
    what: str

    def describe(self) -> str:
        return f"{self.key}: {self.what}"


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value).replace("'", "")
    return text if len(text) <= 80 else text[:77] + "..."


def _key(path: tuple[str, ...]) -> str:
    return ".".join(path)


def weakenings(old: dict[str, Any], new: dict[str, Any]) -> list[Weakening]:
    """Every key of `new` that is weaker than in `old` (both effective, merged policies)."""
    found: list[Weakening] = []
    _compare(old, new, (), found)
    return found


def _compare(old: Any, new: Any, path: tuple[str, ...], found: list[Weakening]) -> None:
    if old == new:
        return
    old, new = _fill_absent(old, new)
    if isinstance(old, dict) and isinstance(new, dict):
        _mappings(old, new, path, found)
    elif isinstance(old, list) and isinstance(new, list):
        _sequences(old, new, path, found)
    elif isinstance(old, bool) and isinstance(new, bool):
        _flags(new, path, found)
    elif _is_number(old) and _is_number(new):
        _numbers(old, new, path, found)
    else:
        _scalars(old, new, path, found)


def _fill_absent(old: Any, new: Any) -> tuple[Any, Any]:
    """A section one side leaves out is empty; a flag the old policy does not set is off."""
    if isinstance(old, dict) and new is None:
        return old, {}
    if isinstance(new, dict) and old is None:
        return {}, new
    if old is None and isinstance(new, bool):
        return False, new
    return old, new


def _name(path: tuple[str, ...]) -> str:
    return path[-1] if path else ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _mappings(
    old: dict[Any, Any], new: dict[Any, Any], path: tuple[str, ...], found: list[Weakening]
) -> None:
    for key in sorted(set(old) | set(new), key=str):
        if key == "entries" and path == ("waivers",):
            _waivers(old.get(key) or [], new.get(key) or [], found)
        else:
            _compare(old.get(key), new.get(key), (*path, str(key)), found)


def _sequences(
    old: list[Any], new: list[Any], path: tuple[str, ...], found: list[Weakening]
) -> None:
    if path[:1] == ("stages",):
        _stage_gates(old, new, path, found)
    else:
        _lists(old, new, path, found)


def _stage_gates(
    old: list[Any], new: list[Any], path: tuple[str, ...], found: list[Weakening]
) -> None:
    removed = [g for g in old if g not in new]
    if removed:
        found.append(Weakening(_key(path), "gate(s) removed: " + ", ".join(map(str, removed))))


def _flags(new: bool, path: tuple[str, ...], found: list[Weakening]) -> None:
    name = _name(path)
    stricter = (new and name in _TRUE_IS_STRICTER) or (not new and name in _FALSE_IS_STRICTER)
    if not stricter:
        found.append(Weakening(_key(path), f"turned {'on' if new else 'off'}"))


def _numbers(old: float, new: float, path: tuple[str, ...], found: list[Weakening]) -> None:
    higher_is_stricter = _name(path) in _HIGHER_IS_STRICTER or path[:1] == ("floor",)
    if higher_is_stricter and new < old:
        found.append(Weakening(_key(path), f"lowered from {old:g} to {new:g}"))
    elif not higher_is_stricter and new > old:
        found.append(Weakening(_key(path), f"raised from {old:g} to {new:g}"))


def _scalars(old: Any, new: Any, path: tuple[str, ...], found: list[Weakening]) -> None:
    name = _name(path)
    if old is not None and new is None and name in _OPTIONAL_LIMITS:
        found.append(Weakening(_key(path), f"turned off (was {_show(old)})"))
    elif old is None and name in ("tag_branch", *_OPTIONAL_LIMITS):
        pass  # a limit where there was none
    else:
        found.append(Weakening(_key(path), f"changed from {_show(old)} to {_show(new)}"))


def _lists(old: list[Any], new: list[Any], path: tuple[str, ...], found: list[Weakening]) -> None:
    what = _list_weakening(old, new, path)
    if what is not None:
        found.append(Weakening(_key(path), what))


def _list_weakening(old: list[Any], new: list[Any], path: tuple[str, ...]) -> str | None:
    added = [item for item in new if item not in old]
    removed = [item for item in old if item not in new]
    name = _name(path)
    if name == "scopes":  # an empty list allows any scope
        return f"now allows {_show(new or 'any scope')}" if old and (added or not new) else None
    if name in _REQUIREMENT_LISTS or (name == "paths" and path[:1] == ("coverage",)):
        return "removed: " + _show(removed) if removed else None
    if name in _PERMISSION_LISTS:
        return "added: " + _show(added) if added else None
    return f"changed from {_show(old)} to {_show(new)}"


def _waivers(old: list[Any], new: list[Any], found: list[Weakening]) -> None:
    for item in new:
        if item not in old:
            rule = item.get("rule") if isinstance(item, dict) else item
            until = item.get("expires") if isinstance(item, dict) else None
            found.append(
                Weakening(
                    "waivers.entries",
                    f"waiver added: {rule}" + (f" until {until}" if until else ""),
                )
            )
