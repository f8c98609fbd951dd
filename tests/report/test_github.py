import re

from gates.report import github
from gates.report.text import clean

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    properties = dict(item.split("=", 1) for item in match.group(2).split(","))
    return match.group(1), {k: unescape(v) for k, v in properties.items()}, unescape(match.group(3))


def test_every_finding_is_an_annotation(mixed_report):
    lines = github.render(mixed_report).splitlines()
    commands = [parse(line) for line in lines[:-1]]
    assert [c[0] for c in commands] == ["error", "warning", "error", "notice", "error"]
    _, props, message = commands[2]
    assert props == {
        "file": "src/app.py",
        "line": "3",
        "endLine": "4",
        "col": "8",
        "title": "lint: lint.unused",
    }
    assert message == "unused import os\nhint: remove it"
    assert commands[0][1] == {"title": "commits: commits.subject"}
    assert "commit 0123456789abcdef" in commands[0][2]
    assert "waived: generated code" in commands[3][2]
    assert lines[-1].startswith("BLOCKED: ")


def test_escaping_follows_the_runner():
    assert github.escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_hostile_text_cannot_start_a_command(hostile_report):
    text = github.render(hostile_report)
    lines = text.splitlines()
    assert len(lines) == 2  # one annotation, one verdict: nothing else reached the log
    level, props, message = parse(lines[0])
    assert level == "error"
    assert props["file"] == "src/we ird,na:me.py"
    assert set(props) == {"file", "line", "title"}
    assert "\x1b" not in text and "\r" not in text
    assert "\\x1b[31mRED" in message
    assert "\n::set-output name=deploy::yes\n::add-mask::hunter2" in message  # shown, as data
    assert "%0A %25" in message  # the attacker's own escapes are escaped again
    assert message.startswith(clean("fix: ok\n::set-output"))
    assert not lines[1].startswith("::")


def test_real_run_with_step_summary(echo_repo, gate, tmp_path, monkeypatch):
    summary = tmp_path / "step_summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = gate("run", "--format", "github")
    assert result.code == 1
    commands = [line for line in result.out.splitlines() if line.startswith("::")]
    assert len(commands) == 2
    _, props, message = parse(commands[0])
    assert props["file"] == "src/app.py" and props["endLine"] == "5" and props["col"] == "2"
    assert "::add-mask::hunter2" in message
    text = summary.read_text()
    assert text.startswith("# earlier step\n## gate: BLOCKED — stage ci")  # appended, not replaced
    assert "| echo\\-commit | ✖ fail |" in text
    assert gate("run", "--format", "github").code == 1
    assert summary.read_text().count("## gate: BLOCKED") == 2


def test_no_step_summary_without_the_github_format(echo_repo, gate, tmp_path, monkeypatch):
    summary = tmp_path / "step_summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    gate("run", "--format", "json")
    assert not summary.exists()
