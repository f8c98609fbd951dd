"""The shared Conventional Commits corpus: `gate check commit-msg FILE` gives the exit code that
SOURCES.tsv expects for each file (valid 0, invalid 1, valid_other_type 1 under the default
policy, whose type list they fall outside)."""

from __future__ import annotations

import csv

import pytest

from tests.conformance import require

CORPUS = require("commits", module=True)


def _cases() -> list[tuple[str, str, int]]:
    sources = CORPUS / "SOURCES.tsv"
    with sources.open(encoding="utf-8", newline="") as fh:
        rows = [
            row for row in csv.DictReader(fh, delimiter="\t") if not row["folder"].startswith("#")
        ]
    return [(row["folder"], row["file"], int(row["expected_exit"])) for row in rows]


CASES = _cases()


@pytest.mark.parametrize(
    ("folder", "name", "expected"), CASES, ids=[f"{f}/{n}" for f, n, _ in CASES]
)
def test_corpus_file(folder, name, expected, repo, gate):
    outcome = gate("check", "commit-msg", str(CORPUS / folder / name))
    assert outcome.code == expected, outcome.out + outcome.err


def test_corpus_covers_every_file():
    listed = {(folder, name) for folder, name, _ in CASES}
    present = {(p.parent.name, p.name) for p in CORPUS.glob("*/*") if p.is_file()}
    assert present <= listed
    assert {folder for folder, _ in listed} == {"valid", "invalid", "valid_other_type"}


def test_other_types_pass_when_the_policy_allows_them(repo, gate):
    others = [name for folder, name, _ in CASES if folder == "valid_other_type"]
    types = sorted({(CORPUS / "valid_other_type" / n).read_text().split(":")[0] for n in others})
    repo.write(".gate.yaml", f"extends: gitflow\ncommits:\n  types: [{', '.join(types)}]\n")
    for name in others:
        outcome = gate("check", "commit-msg", str(CORPUS / "valid_other_type" / name))
        assert outcome.code == 0, name + outcome.out
