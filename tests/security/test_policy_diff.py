"""gates.knowledge.policy_diff: every weakening is listed; a stricter change is not."""

from __future__ import annotations

from gates.knowledge.policy_diff import weakenings
from gates.policy import load_preset

BASE = load_preset("gitflow").data


def _with(**changes):
    import copy

    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return data


def _keys(new):
    return [w.key for w in weakenings(BASE, new)]


def test_stricter_changes_are_not_weakenings():
    assert _keys(BASE) == []
    assert _keys(_with(coverage__total_min=95, commits__header_max_length=60)) == []
    assert _keys(_with(coverage__required=True, commits__fixup_in_ci=False)) == []
    assert _keys(_with(stages__ci=[*BASE["stages"]["ci"], "deploy"])) == []
    assert _keys(_with(tests_with_code__exempt_types=["docs"])) == []
    assert (
        _keys(_with(versioning__bump_branches=[*BASE["versioning"]["bump_branches"], "develop"]))
        == []
    )


def test_every_kind_of_weakening_is_listed():
    cases = {
        "coverage.total_min": _with(coverage__total_min=10),
        "commits.header_max_length": _with(commits__header_max_length=500),
        "commits.fixup_in_ci": _with(commits__fixup_in_ci=True),
        "coverage.branch": _with(coverage__branch=False),
        "stages.ci": _with(stages__ci=["branch-name"]),
        "tests_with_code.exempt_types": _with(tests_with_code__exempt_types=["feat"]),
        "branches.extra": _with(branches__extra=["^.*$"]),
        "branches.slug": _with(branches__slug=".*"),
        "commits.types": _with(commits__types=[*BASE["commits"]["types"], "wip"]),
        "versioning.bump_branches": _with(versioning__bump_branches=[]),
        "deploy.audit_log": _with(deploy__audit_log=None),
        "build_time.budget_seconds": _with(build_time__budget_seconds=None),
        "deploy.environments.production.tags": _with(deploy__environments__production__tags=["*"]),
        "changelog.file": _with(changelog__file="OTHER.md"),
    }
    for key, data in cases.items():
        assert _keys(data) == [key], key
    per_path = _with(coverage__paths=[{"glob": "x", "min": 1}])
    assert _keys(per_path) == []
    assert [w.key for w in weakenings(per_path, BASE)] == ["coverage.paths"]


def test_scopes_and_waivers():
    strict = _with(commits__scopes=["api", "ui"])
    assert [w.key for w in weakenings(strict, _with(commits__scopes=[]))] == ["commits.scopes"]
    assert [w.key for w in weakenings(strict, _with(commits__scopes=["api"]))] == []
    waived = _with(waivers__entries=[{"rule": "lint", "reason": "r", "expires": "2026-12-01"}])
    (found,) = weakenings(BASE, waived)
    assert found.describe() == "waivers.entries: waiver added: lint until 2026-12-01"
    assert weakenings(waived, BASE) == []
    assert [w.key for w in weakenings(BASE, _with(waivers__max_days=365))] == ["waivers.max_days"]
