"""Regression tests for what fuzzing and the fault and hostile-text runs found: each input once
escaped as an unhandled exception (or a wrong answer) and must now end in a clear verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gates.errors import GateError, PolicyError
from tests.conftest import GitRepo

STATEMENT = {
    "_type": "https://in-toto.io/Statement/v1",
    "predicateType": "https://gates.dev/attestation/gate-report/v1",
}


@pytest.mark.parametrize(
    "shapes",
    [
        {"subject": 5, "predicate": {"policy": "x", "report": {"results": 3}}},
        {"subject": [{"digest": "x"}], "predicate": {"policy": [], "report": "r"}},
        {"subject": None, "predicate": {"report": {"results": [{"gate": ["unhashable"]}]}}},
    ],
)
def test_an_attestation_of_the_wrong_shapes_is_refused_not_a_crash(
    tmp_path: Path, shapes: dict
) -> None:
    from gates.adapters.attestation_file import verify

    path = tmp_path / "attestation.json"
    path.write_text(json.dumps({**STATEMENT, **shapes}))
    verification = verify(path, "a" * 40, "sha256:" + "0" * 64, {}, ["commits"])
    assert not verification.ok
    assert verification.reasons


def test_unreleased_is_added_to_a_changelog_without_a_final_newline() -> None:
    from gates.knowledge import keepachangelog as kac

    merged = kac.merge_unreleased("# Changelog", {"Added": ["a change"]})
    assert merged.startswith("# Changelog\n\n## [Unreleased]")
    assert kac.parse(merged).unreleased.entries() == ["a change"]


def test_a_changelog_ending_in_an_open_code_fence_is_a_clear_error() -> None:
    from gates.knowledge import keepachangelog as kac
    from gates.release.changelog_writer import Release, Settings, update

    text = "# Changelog\n```\n## [1.1.0]\n- entry\n"
    with pytest.raises(kac.ChangelogError, match="unclosed code fence"):
        kac.merge_unreleased(text, {"Added": ["x"]})
    unreleased = Release(None, None, None)
    with pytest.raises(GateError, match="unclosed code fence"):
        update(text, [unreleased], Settings(), None)


@pytest.mark.parametrize("encoding", ["utf-6", "euc-jp"])
def test_junit_xml_in_an_encoding_expat_cannot_read(tmp_path: Path, encoding: str) -> None:
    from gates.adapters.junit import parse_file

    path = tmp_path / "junit.xml"
    path.write_bytes(f'<?xml version="1.0" encoding="{encoding}"?><testsuite/>'.encode())
    with pytest.raises(GateError, match=r"junit\.xml: not readable XML"):
        parse_file(path, tmp_path)


@pytest.mark.parametrize("encoding", ["utf-6", "euc-jp"])
def test_coverage_xml_in_an_encoding_expat_cannot_read(encoding: str) -> None:
    from gates.adapters.coverage_data import parse_cobertura

    with pytest.raises(GateError, match="corrupt coverage data: invalid XML"):
        parse_cobertura(
            f'<?xml version="1.0" encoding="{encoding}"?><coverage/>'.encode(), "coverage.xml"
        )


@pytest.mark.parametrize("text", [" ? ?", "? [a, b]\n: 1\n", "branches:\n  ? {x: 1}\n  : y\n"])
def test_a_policy_with_a_list_or_mapping_as_a_key(text: str) -> None:
    from gates.policy.loader import parse_policy_text

    with pytest.raises(PolicyError, match="a key must be a plain name"):
        parse_policy_text(text)


def test_a_branch_name_with_a_unicode_line_separator_is_read_whole(repo: GitRepo) -> None:
    """GitPython split .git/HEAD with str.splitlines(): `main\\u2028x` read as `main`."""
    from gates.adapters.git import GitRepo as Adapter

    repo.commit("feat: first")
    repo.git("checkout", "-q", "-b", "main\u2028x")
    git = Adapter(repo.path)
    assert git.current_branch() == "main\u2028x"
    assert git.head_sha() == repo.head
    repo.git("checkout", "-q", "--detach")
    assert Adapter(repo.path).current_branch() is None


def test_a_lone_surrogate_in_a_report_is_written_as_a_replacement_character(tmp_path: Path) -> None:
    from gates.report.output import write_file

    path = tmp_path / "report.json"
    write_file(path, json.dumps({"branch": "feature/\udcff"}, ensure_ascii=False))
    assert json.loads(path.read_text(encoding="utf-8")) == {"branch": "feature/\ufffd"}
