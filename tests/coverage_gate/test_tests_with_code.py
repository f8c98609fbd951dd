"""`gate check tests-with-code` on real repositories and real commit ranges."""

from __future__ import annotations

import json

import pytest


def start(repo) -> None:
    repo.commit(
        "feat(shop): start",
        {
            "src/shop/pricing.py": "def total(prices):\n    return sum(prices)\n",
            "tests/test_pricing.py": "def test_total():\n    pass\n",
            "README.md": "# shop\n",
        },
    )
    repo.branch("develop")
    repo.branch("feature/change")


def check(gate) -> dict:
    outcome = gate("check", "tests-with-code", "--format", "json")
    (result,) = json.loads(outcome.out)["results"]
    result["code"] = outcome.code
    return result


def test_source_without_tests_fails(repo, gate):
    start(repo)
    repo.commit(
        "feat(shop): discounts",
        {"src/shop/pricing.py": "def total(p, d=0):\n    return sum(p) - d\n"},
    )
    repo.commit("feat(shop): cart", {"src/shop/cart.py": "CART = []\n"})
    result = check(gate)
    assert result["code"] == 1
    (finding,) = result["findings"]
    assert finding["rule"] == "tests-with-code.missing-tests"
    assert (
        finding["message"]
        == "2 source files changed and no test file: src/shop/cart.py, src/shop/pricing.py"
    )
    assert "Tests-Not-Needed: <reason>" in finding["hint"]


def test_source_with_tests_passes(repo, gate):
    start(repo)
    repo.commit(
        "feat(shop): discounts",
        {"src/shop/pricing.py": "def total(p, d=0):\n    return sum(p) - d\n"},
    )
    repo.commit(
        "test(shop): discounts", {"tests/test_pricing.py": "def test_discount():\n    pass\n"}
    )
    result = check(gate)
    assert (result["code"], result["status"]) == (0, "pass")
    assert result["summary"] == "1 source file changed with 1 test file"


def test_only_docs_and_config_need_no_tests_and_say_so(repo, gate):
    start(repo)
    repo.commit(
        "feat: settings",
        {"README.md": "# shop!\n", "config/app.yaml": "a: 1\n", "docs/use.md": "x\n"},
    )
    result = check(gate)
    assert result["status"] == "pass"
    (note,) = result["findings"]
    assert note["rule"] == "tests-with-code.exempt" and note["severity"] == "note"
    assert "README.md" in note["message"]


def test_the_trailer_exempts_with_its_reason_in_the_report(repo, gate):
    start(repo)
    repo.commit(
        "fix(shop): reword a log line\n\nThe text only.\n\nTests-Not-Needed: only a log message changes",
        {"src/shop/pricing.py": "def total(prices):\n    return sum(prices)  # sum\n"},
    )
    result = check(gate)
    assert result["status"] == "pass"
    (note,) = result["findings"]
    assert (
        note["message"] == "no test changed, waived by Tests-Not-Needed: only a log message changes"
    )
    assert note["commit"] == repo.head
    console = gate("check", "tests-with-code")
    assert "only a log message changes" in console.out


def test_a_trailer_without_a_reason_does_not_exempt(repo, gate):
    start(repo)
    repo.commit(
        "fix(shop): reword\n\nTests-Not-Needed: \nSigned-off-by: Ada <ada@example.com>",
        {"src/shop/pricing.py": "def total(prices):\n    return sum(prices)  # sum\n"},
    )
    result = check(gate)
    assert result["status"] == "fail"
    rules = sorted(f["rule"] for f in result["findings"])
    assert rules == ["tests-with-code.missing-tests", "tests-with-code.trailer-reason"]


@pytest.mark.parametrize(
    ("types", "status"), [(["style", "chore"], "pass"), (["style", "feat"], "fail")]
)
def test_exempt_commit_types(repo, gate, types, status):
    start(repo)
    for number, kind in enumerate(types):
        repo.commit(
            f"{kind}(shop): tidy {number}",
            {"src/shop/pricing.py": f"def total(p):\n    return sum(p)  # {number}\n"},
        )
    result = check(gate)
    assert result["status"] == status
    if status == "pass":
        assert (
            "every commit is of an exempt type (chore, style)" in result["findings"][0]["message"]
        )


def test_deleting_or_renaming_source_needs_no_tests(repo, gate):
    start(repo)
    repo.git("mv", "src/shop/pricing.py", "src/shop/prices.py")
    repo.commit("refactor(shop): rename", {})
    result = check(gate)
    assert result["status"] == "pass"


def test_no_change_range_skips_with_what_to_pass(repo, gate):
    repo.commit("feat: start", {"src/a.py": "A = 1\n"})
    result = check(gate)
    assert result["status"] == "skip"
    assert "--base" in result["summary"]
