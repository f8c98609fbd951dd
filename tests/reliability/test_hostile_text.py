"""Hostile text end to end: commit messages and branch names that carry GitHub workflow
commands, ANSI escapes, terminal controls, XML-breaking characters and 100,000-character lines
go through the real gates in a real repository and out through every report format. Nothing
may inject: no workflow command but ours, XML and JSON that parse, no raw control character on
a terminal, nothing unescaped in HTML or Markdown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import defusedxml.ElementTree as safe_et
import pytest

from tests.conftest import GitRepo, gate_process

FORMATS = ("console", "json", "junit", "sarif", "github", "gitlab", "markdown")

HOSTILE_COMMITS = (
    b"::set-output name=leak::yes\n\n::add-mask::secret\n::error::injected\n",
    b"feat: \x1b[31mred\x1b[0m \x07 bell \r::error file=x::cr\n\nbody \x1b]0;title\x07 \x1b[2J\n",
    b"oops: <script>alert(1)</script> ]]> & \x0b\x0c \xff\xfe \xc2\x9b31m\n",
    b"feat: " + b"a" * 100_000 + b"\n",
    b"fix(\x1b[1m::warning::w): done\n\n::endgroup::\n%0A::error::encoded\n",
)

# U+2028, U+0085 and C1 CSI (U+009B) are line breaks or escapes to some readers, %0A is a newline
# to the Actions runner, <b> is markup; git allows them all in a branch name (but no colon).
HOSTILE_BRANCH = "feature/x\u009b31m\u2028ls\u0085nel%0A%0D<b>bold</b>&amp;"
# A name git would refuse, as --branch or a CI variable can still carry it; \xff arrives as a
# lone surrogate (surrogateescape), which no UTF-8 writer accepts as it is.
HOSTILE_OPTION = b"feature/\xff\x1b[2J::set-output name=a::b\r::add-mask::x ]]> <script>"

OUR_COMMANDS = re.compile(r"::(error|warning|notice|group|endgroup|debug)( |::)")
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def gate(cwd: Path, *args: str | bytes, env: dict[str, str] | None = None):
    return gate_process(cwd, *args, env=env, text=False, timeout=180)


@pytest.fixture
def hostile(repo: GitRepo, tmp_path: Path) -> GitRepo:
    repo.commit("feat: first")
    repo.branch("develop")
    repo.git("checkout", "-q", "-b", HOSTILE_BRANCH)
    for number, message in enumerate(HOSTILE_COMMITS):
        path = tmp_path / f"message{number}"
        path.write_bytes(message)
        repo.git("commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F", str(path))
    return repo


def render_all(cwd: Path, out: Path, *args: str | bytes) -> dict[str, bytes]:
    """Every format of one run, each to its own file; the run itself must fail (exit 1)."""
    options: list[str | bytes] = []
    for fmt in FORMATS:
        options += ["--format", f"{fmt}:{out / fmt}"]
    result = gate(cwd, *args, *options)
    assert result.returncode == 1, result.stdout + result.stderr
    assert b"Traceback" not in result.stderr
    return {fmt: (out / fmt).read_bytes() for fmt in FORMATS}


def assert_nothing_injects(outputs: dict[str, bytes]) -> None:
    for fmt, data in outputs.items():
        text = data.decode("utf-8")  # every report is valid UTF-8, surrogates included
        assert "\x1b" not in text, f"{fmt}: a raw terminal escape"
        assert "\r" not in text, f"{fmt}: a carriage return (a line break to the Actions runner)"
        # JSON keeps the data exact (C1 characters such as U+009B are valid JSON text); what a
        # terminal, the Actions runner or a Markdown renderer reads carries no control at all.
        if fmt in ("console", "github", "markdown", "junit"):
            assert not TERMINAL_CONTROLS.search(text), f"{fmt}: {TERMINAL_CONTROLS.search(text)!r}"
    for line in outputs["github"].decode().split("\n"):
        if line.startswith("::"):
            assert OUR_COMMANDS.match(line), f"github: an injected workflow command: {line[:120]!r}"
            assert "::set-output" not in line[2:] or "%0A" in line or OUR_COMMANDS.match(line)
        else:
            assert "::" not in line[:2]
    for fmt in ("json", "sarif", "gitlab"):
        json.loads(outputs[fmt])
    root = safe_et.fromstring(outputs["junit"])
    assert root.tag == "testsuites"
    markdown = outputs["markdown"].decode()
    assert "<script" not in markdown.lower()
    assert not re.search(r"^::", markdown, re.MULTILINE)


def test_hostile_commits_and_branch_through_every_format(hostile: GitRepo, tmp_path: Path) -> None:
    outputs = render_all(hostile.path, tmp_path, "run", "--stage", "ci", "--base", "develop")
    assert_nothing_injects(outputs)
    report = json.loads(outputs["json"])
    failed = {r["gate"] for r in report["results"] if r["status"] == "fail"}
    assert {"commits", "branch-name"} <= failed  # the hostile text was really read and reported
    messages = " ".join(f["message"] for r in report["results"] for f in r["findings"])
    assert "set-output" in messages and "<script>" in messages  # kept as data, not dropped


def test_a_hostile_branch_option_and_ci_variable(hostile: GitRepo, tmp_path: Path) -> None:
    (tmp_path / "option").mkdir()
    outputs = render_all(hostile.path, tmp_path / "option", "check", "branch-name", HOSTILE_OPTION)
    assert_nothing_injects(outputs)
    (tmp_path / "ci").mkdir()
    hostile.git("checkout", "-q", "--detach")
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_BASE_REF": "develop",
        "GITHUB_HEAD_REF": HOSTILE_OPTION.decode("utf-8", "surrogateescape"),
    }
    options: list[str] = []
    for fmt in FORMATS:
        options += ["--format", f"{fmt}:{tmp_path / 'ci' / fmt}"]
    result = gate(hostile.path, "check", "branch-name", *options, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert_nothing_injects({fmt: (tmp_path / "ci" / fmt).read_bytes() for fmt in FORMATS})


def test_a_hostile_commit_message_file(repo: GitRepo, tmp_path: Path) -> None:
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_bytes(b"::add-mask::x \x00 \x1b[2J ]]> <script>\n\n::error::body\n")
    outputs = render_all(repo.path, tmp_path, "check", "commit-msg", str(message))
    assert_nothing_injects(outputs)


def test_the_html_report_escapes_everything(hostile: GitRepo, tmp_path: Path) -> None:
    outputs = render_all(hostile.path, tmp_path, "run", "--stage", "ci", "--base", "develop")
    assert b"alert(1)" in outputs["json"]
    page = tmp_path / "report.html"
    result = gate(
        hostile.path, "report", "--html", str(page), "--from-json", str(tmp_path / "json")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    html = page.read_text(encoding="utf-8")
    assert "alert(1)" in html  # shown…
    assert "<script" not in html.lower()  # …never as markup
    assert "]]>" not in html
    assert "\x1b" not in html and "\x00" not in html
    # and the page made from a live run (the branch name is the hostile one checked out)
    live = tmp_path / "live.html"
    result = gate(hostile.path, "report", "--html", str(live), "--no-metrics")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<script" not in live.read_text(encoding="utf-8").lower()


def test_console_output_to_a_terminal_like_pipe_carries_no_escape(hostile: GitRepo) -> None:
    """Standard output (no --format): what a developer's terminal or a CI log shows."""
    result = gate(
        hostile.path, "run", "--stage", "ci", "--base", "develop", env={"FORCE_COLOR": "1"}
    )
    assert result.returncode == 1
    text = result.stdout.decode("utf-8")
    # FORCE_COLOR lets rich colour its own output: every escape must then be a colour (SGR) of
    # ours, never a sequence from the commits (title change, screen clear, bell).
    foreign = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "\x1b" not in foreign and "\x07" not in foreign and "\x9b" not in foreign
