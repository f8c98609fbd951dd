import json

from gates.report import gitlab

REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}


def test_code_quality_issues(mixed_report):
    issues = json.loads(gitlab.render(mixed_report))
    assert len(issues) == 5
    for issue in issues:
        assert issue.keys() >= REQUIRED
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert (
            isinstance(issue["location"]["path"], str) and issue["location"]["lines"]["begin"] >= 1
        )
    assert [i["severity"] for i in issues] == ["major", "minor", "major", "info", "critical"]
    lint = issues[2]
    assert lint["check_name"] == "lint.unused"
    assert lint["location"] == {"path": "src/app.py", "lines": {"begin": 3}}
    assert lint["description"] == "unused import os — hint: remove it"
    # a finding about a commit has no file: it is filed under the repository's policy file
    assert issues[0]["location"] == {"path": ".gate.yaml", "lines": {"begin": 1}}
    assert "(commit 0123456789ab)" in issues[0]["description"]
    assert len({i["fingerprint"] for i in issues}) == 5


def test_hostile_text_is_one_clean_line(hostile_report):
    text = gitlab.render(hostile_report)
    issue = json.loads(text)[0]
    assert "\n" not in issue["description"] and "\x1b" not in text
    assert "\\x1b[31mRED" in issue["description"]


def test_real_run(echo_repo, gate, tmp_path):
    out = tmp_path / "gl-code-quality.json"
    assert gate("run", "--format", f"gitlab:{out}").code == 1
    issues = json.loads(out.read_text())
    assert [i["check_name"] for i in issues] == ["echo-commit.message", "echo-commit.branch"]
    assert issues[0]["location"] == {"path": "src/app.py", "lines": {"begin": 3}}
