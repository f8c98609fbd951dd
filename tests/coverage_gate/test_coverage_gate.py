"""`gate check coverage` and `gate coverage baseline` on real repositories, real diffs and data
that coverage.py wrote for them."""

from __future__ import annotations

import json

import pytest

from tests.coverage_gate.conftest import LABEL, PRICING, copy_data, measure, write_project

LENIENT = "extends: gitflow\ncoverage:\n  total_min: 0\n"

TEST_LABEL = """

def test_label():
    from shop.pricing import label

    assert label(500) == "large"
    assert label(5) == "small"
"""


def start(repo, policy: str = LENIENT) -> None:
    """main and develop with the measured project; the policy committed with it."""
    write_project(repo.path)
    repo.commit("feat(shop): total", {".gate.yaml": policy})
    repo.branch("develop")


def add_label(repo, *, tested: bool = False) -> None:
    """feature/label adds `label` (pricing.py lines 7-11; 8-11 executable), tested or not."""
    repo.branch("feature/label")
    files = {"src/shop/pricing.py": PRICING + LABEL}
    if tested:
        files["tests/test_pricing.py"] = (
            repo.path / "tests/test_pricing.py"
        ).read_text() + TEST_LABEL
    repo.commit("feat(shop): label amounts", files)


def report_of(outcome) -> dict:
    data = json.loads(outcome.out)
    (result,) = data["results"]
    return result


def by_rule(result: dict, rule: str) -> list[dict]:
    return [f for f in result["findings"] if f["rule"] == rule]


def test_untested_changed_lines_fail_with_their_line_range(repo, gate):
    start(repo)
    add_label(repo)
    measure(repo.path, "xml", "json", "lcov")
    verdicts = []
    for data in (".coverage", "coverage.xml", "coverage.json", "coverage.lcov"):
        outcome = gate("check", "coverage", "--data", data, "--format", "json")
        assert outcome.code == 1, outcome.err
        result = report_of(outcome)
        assert result["status"] == "fail"
        (changed,) = by_rule(result, "coverage.changed")
        assert changed["severity"] == "error"
        # def label ran at import; its body (3 lines) and its 2 branches did not
        assert "16.67%" in changed["message"] and "1/4 lines, 0/2 branches" in changed["message"]
        (uncovered,) = by_rule(result, "coverage.uncovered-lines")
        assert (uncovered["path"], uncovered["line"], uncovered["end_line"]) == (
            "src/shop/pricing.py",
            9,
            11,
        )
        assert uncovered["severity"] == "error"
        assert "gate explain coverage.uncovered-lines" in uncovered["hint"]
        verdicts.append((result["summary"].split(": ", 1)[1], result["status"]))
    assert len(set(verdicts)) == 1, verdicts


def test_github_annotations_land_on_the_changed_lines(repo, gate, measured):
    start(repo)
    add_label(repo)
    copy_data(measured, repo.path, "coverage.xml")  # made in another folder: mapped by suffix
    outcome = gate("check", "coverage", "--data", "coverage.xml", "--format", "github")
    assert outcome.code == 1
    assert "file=src/shop/pricing.py,line=9,endLine=11" in outcome.out


def test_a_tested_change_passes(repo, gate):
    start(repo)
    add_label(repo, tested=True)
    measure(repo.path)
    outcome = gate("check", "coverage", "--format", "json")
    assert outcome.code == 0, outcome.out
    result = report_of(outcome)
    assert result["status"] == "pass"
    assert ".coverage: total" in result["summary"]
    assert "changed lines 100.00% of 4/4 lines, 2/2 branches (min 90%)" in result["summary"]
    assert by_rule(result, "coverage.uncovered-lines") == []
    # the changed test file is not expected in the data: no note about it
    assert by_rule(result, "coverage.unmeasured") == []


def test_a_changed_module_missing_from_the_data_is_noted(repo, gate, measured_start):
    start(repo)
    repo.branch("feature/cart")
    repo.commit("feat(shop): cart", {"src/shop/cart.py": "ITEMS = []\n"})
    copy_data(measured_start, repo.path, ".coverage")
    result = report_of(gate("check", "coverage", "--format", "json"))
    (note,) = by_rule(result, "coverage.unmeasured")
    assert note["severity"] == "note"
    assert note["message"] == "changed but not in the coverage data: src/shop/cart.py"


def test_partly_covered_changes_above_the_minimum_pass_with_notes(repo, gate):
    start(repo, "extends: gitflow\ncoverage:\n  total_min: 0\n  changed_min: 50\n")
    add_label(repo, tested=False)
    repo.commit(
        "test(shop): one label",
        {
            "tests/test_pricing.py": (repo.path / "tests/test_pricing.py").read_text()
            + '\n\ndef test_large():\n    from shop.pricing import label\n\n    assert label(500) == "large"\n',
        },
    )
    measure(repo.path)
    result = report_of(gate("check", "coverage", "--format", "json"))
    assert result["status"] == "pass", result
    (uncovered,) = by_rule(result, "coverage.uncovered-lines")
    assert (uncovered["line"], uncovered["end_line"], uncovered["severity"]) == (11, 11, "note")
    (partial,) = by_rule(result, "coverage.partial-branches")
    assert (partial["line"], partial["severity"]) == (9, "note")
    assert "tests took 1 of its 2 branches" in partial["message"]


def test_a_change_without_executable_lines_passes_with_a_note(repo, gate):
    start(repo)
    repo.branch("feature/docs")
    repo.commit(
        "docs: explain",
        {
            "README.md": "# shop\n",
            "src/shop/pricing.py": PRICING + "\n# label() will come later\n",
        },
    )
    measure(repo.path, "xml")
    result = report_of(gate("check", "coverage", "--data", "coverage.xml", "--format", "json"))
    assert result["status"] == "pass"
    assert "no executable changed lines" in result["summary"]
    (note,) = by_rule(result, "coverage.changed")
    assert note["severity"] == "note"
    assert "nothing to cover" in note["message"]


def test_no_base_checks_total_and_says_so(repo, gate, measured_start):
    start(repo)
    repo.checkout("main")
    copy_data(measured_start, repo.path, ".coverage")
    result = report_of(gate("check", "coverage", "--format", "json"))
    assert result["status"] == "pass"
    (note,) = by_rule(result, "coverage.changed")
    assert note["severity"] == "note" and "--base" in note["hint"]


def test_total_below_the_minimum_fails(repo, gate, measured):
    start(repo, "extends: gitflow\n")
    add_label(repo)
    copy_data(measured, repo.path, ".coverage")
    result = report_of(gate("check", "coverage", "--format", "json"))
    (below,) = by_rule(result, "coverage.total")
    assert "46.15% is below the minimum 80%" in below["message"]
    assert below["path"] is None and ".coverage: total" in result["summary"]


def test_missing_data_skips_unless_required(repo, gate):
    start(repo)
    outcome = gate("check", "coverage", "--format", "json")
    assert outcome.code == 0
    result = report_of(outcome)
    assert result["status"] == "skip"
    assert "coverage run -m pytest" in result["summary"]
    repo.write(".gate.yaml", "extends: strict\n")
    outcome = gate("check", "coverage")
    assert outcome.code == 3
    assert "no coverage data" in outcome.out
    assert "coverage run -m pytest" in outcome.out
    assert "coverage xml" in outcome.out


def test_corrupt_data_is_exit_3_naming_the_file(repo, gate):
    start(repo)
    repo.write("coverage.xml", "<coverage><packages>")
    outcome = gate("check", "coverage", "--format", "json")
    assert outcome.code == 3
    result = report_of(outcome)
    assert result["status"] == "error"
    assert "coverage.xml: corrupt coverage data: invalid XML" in result["summary"]


def test_per_path_minimums(repo, gate, measured_start):
    policy = (
        "extends: gitflow\ncoverage:\n  total_min: 0\n  changed_min: 0\n  paths:\n"
        "    - {glob: 'src/shop/**', min: 95}\n    - {glob: 'lib/**', min: 10}\n"
    )
    start(repo, policy)
    copy_data(measured_start, repo.path, ".coverage")
    result = report_of(gate("check", "coverage", "--base", "HEAD", "--format", "json"))
    shop, nothing = by_rule(result, "coverage.path-min")
    assert shop["severity"] == "error" and shop["message"].startswith(
        "src/shop/**: coverage 71.43%"
    )
    assert nothing["severity"] == "warning" and "'lib/**' matches no file" in nothing["message"]


def test_a_components_minimum_applies_to_its_files(repo, gate, measured_start):
    policy = (
        "extends: gitflow\ncoverage:\n  total_min: 0\n  changed_min: 0\ncomponents:\n"
        "  - {name: shop, path: src/shop, coverage: {total_min: 95}}\n"
    )
    start(repo, policy)
    copy_data(measured_start, repo.path, ".coverage")
    result = report_of(gate("check", "coverage", "--base", "HEAD", "--format", "json"))
    (shop,) = by_rule(result, "coverage.path-min")
    assert shop["severity"] == "error"
    assert shop["message"].startswith("src/shop/**: coverage 71.43%")


def test_data_of_files_not_in_the_repository_is_a_finding(repo, gate, measured):
    start(repo)
    repo.git("rm", "-q", "src/shop/__init__.py")
    repo.commit("refactor(shop): namespace package", {"src/shop/pricing.py": PRICING})
    copy_data(measured, repo.path, "coverage.xml")
    result = report_of(gate("check", "coverage", "--base", "HEAD", "--format", "json"))
    (unmapped,) = by_rule(result, "coverage.unmapped")
    assert unmapped["severity"] == "warning"
    assert "shop/__init__.py" in unmapped["message"]
    repo.write(".gate.yaml", "extends: strict\ncoverage:\n  total_min: 0\n")
    result = report_of(gate("check", "coverage", "--base", "HEAD", "--format", "json"))
    assert by_rule(result, "coverage.unmapped")[0]["severity"] == "error"
    assert result["status"] == "fail"


def test_the_ratchet(repo, gate, measured, measured_start):
    start(repo)
    copy_data(measured_start, repo.path, ".coverage")
    written = gate("coverage", "baseline")
    assert written.code == 0, written.err
    assert "wrote .gate/coverage-baseline.json: total 71.43%" in written.out
    baseline = json.loads((repo.path / ".gate/coverage-baseline.json").read_text())
    assert baseline["schema"] == "gate-coverage-baseline/1"
    assert baseline["percent"] == 71.43
    assert baseline["measure"] == "lines+branches"
    assert baseline["lines"] == {"covered": 4, "total": 5}
    assert baseline["branch"] == "develop" and baseline["commit"] == repo.head
    repo.commit("chore(coverage): baseline", {})

    # the untested feature lowers the total: the ratchet fails, whatever total_min says
    add_label(repo)
    copy_data(measured, repo.path, ".coverage")
    result = report_of(gate("check", "coverage", "--format", "json"))
    (ratchet,) = by_rule(result, "coverage.ratchet")
    assert ratchet["severity"] == "error"
    assert "fell to 46.15%, below the baseline 71.43% less the tolerance 0.5" in ratchet["message"]

    # writing a lower baseline takes a deliberate flag
    refused = gate("coverage", "baseline")
    assert refused.code == 1
    assert "would lower the baseline 71.43%" in refused.err
    lowered = gate("coverage", "baseline", "--allow-lower")
    assert lowered.code == 0
    assert "(was 71.43%)" in lowered.out
    result = report_of(gate("check", "coverage", "--format", "json"))
    assert by_rule(result, "coverage.ratchet") == []


def test_the_ratchet_tolerance_and_a_rise(repo, gate, measured_start):
    start(repo)
    baseline = {
        "schema": "gate-coverage-baseline/1",
        "percent": 71.8,
        "measure": "lines+branches",
        "lines": {"covered": 1, "total": 1},
        "branches": {"covered": 0, "total": 0},
    }
    repo.write(".gate/coverage-baseline.json", json.dumps(baseline))
    copy_data(measured_start, repo.path, ".coverage")
    # 71.43% is within 0.5 points of 71.8
    result = report_of(gate("check", "coverage", "--base", "HEAD", "--format", "json"))
    assert by_rule(result, "coverage.ratchet") == []
    repo.write(".gate.yaml", LENIENT + "  tolerance: 0\n")
    result = report_of(gate("check", "coverage", "--base", "HEAD", "--format", "json"))
    assert by_rule(result, "coverage.ratchet")[0]["severity"] == "error"
    baseline["percent"] = 50.0
    repo.write(".gate/coverage-baseline.json", json.dumps(baseline))
    result = report_of(gate("check", "coverage", "--base", "HEAD", "--format", "json"))
    (rose,) = by_rule(result, "coverage.ratchet")
    assert rose["severity"] == "note" and "rose to 71.43%" in rose["message"]


def test_a_broken_baseline_is_an_error(repo, gate, measured_start):
    start(repo)
    copy_data(measured_start, repo.path, ".coverage")
    repo.write(".gate/coverage-baseline.json", "{not json")
    outcome = gate("check", "coverage", "--base", "HEAD")
    assert outcome.code == 3
    assert "coverage-baseline.json: the coverage baseline is not valid JSON" in outcome.out


def test_baseline_without_data_is_exit_3_with_what_to_run(repo, gate):
    start(repo)
    outcome = gate("coverage", "baseline")
    assert outcome.code == 3
    assert "no coverage data" in outcome.err and "coverage run -m pytest" in outcome.err


@pytest.mark.parametrize("stage_gate", ["coverage", "tests-with-code"])
def test_the_gates_are_in_the_ci_stage(stage_gate):
    from gates.policy.loader import load_preset

    assert stage_gate in load_preset("gitflow").stage("ci")


def test_a_null_baseline_turns_the_ratchet_off(repo, gate, measured_start):
    start(repo, LENIENT + "  baseline: null\n")
    copy_data(measured_start, repo.path, ".coverage")
    result = report_of(gate("check", "coverage", "--base", "HEAD", "--format", "json"))
    assert by_rule(result, "coverage.ratchet") == []
    refused = gate("coverage", "baseline")
    assert refused.code == 2
    assert "coverage.baseline is null" in refused.err
    written = gate("coverage", "baseline", "--output", "ci/coverage-floor.json")
    assert written.code == 0
    assert json.loads((repo.path / "ci/coverage-floor.json").read_text())["percent"] == 71.43
