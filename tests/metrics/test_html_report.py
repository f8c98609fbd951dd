import json
import os
import struct
from html.parser import HTMLParser

import pytest

from gates.model import Finding, Result
from gates.report import html
from tests.report.chromium import Browser, binary
from tests.report.conftest import HOSTILE, make_report

ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "section",
    "h1",
    "h2",
    "h3",
    "p",
    "span",
    "code",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "li",
    "strong",
    "br",
    "div",
    "i",
    "svg",
    "line",
    "rect",
    "text",
}


class Elements(HTMLParser):
    """Every element and attribute of a page, as a browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += attrs


def hostile_run() -> dict:
    findings = [
        Finding(
            "commits.subject",
            HOSTILE,
            hint=HOSTILE,
            path="src/<x>.py",
            line=4,
            commit="0123456789abcdef" * 2 + "01234567",
        )
    ]
    return make_report(
        [Result.of("commits", findings, HOSTILE), Result.of("branch-name", [], "ok")]
    ).to_dict()


@pytest.fixture
def page_inputs(history, gate, tmp_path):
    history.git("remote", "add", "origin", "https://github.com/acme/shop.git")
    history.write(
        ".gate/audit.jsonl",
        json.dumps(
            {"time": "2026-02-01T00:00:00Z", "verdict": "blocked", "reasons": ["<b>freeze</b>"]}
        )
        + "\n",
    )
    run_json = tmp_path / "gate.json"
    run_json.write_text(json.dumps(hostile_run()))
    page = tmp_path / "site" / "gate.html"
    result = gate(
        "report",
        "--html",
        str(page),
        "--from-json",
        str(run_json),
        "--since",
        "2026-01-01",
        "--until",
        "2026-04-01",
    )
    assert result.code == 0, result.err
    return page


def test_page_is_self_contained_and_escaped(page_inputs):
    text = page_inputs.read_text()
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    elements = Elements(text)
    assert elements.tags <= ALLOWED_TAGS
    names = {name for name, _ in elements.attributes}
    assert not {n for n in names if n.startswith("on")} and "src" not in names
    hrefs = [value for name, value in elements.attributes if name == "href"]
    assert all(h.startswith(("#", "https://github.com/acme/shop/")) for h in hrefs), hrefs
    assert (
        "https://github.com/acme/shop/blob/0123456789abcdef0123456789abcdef01234567/src/%3Cx%3E.py#L4"
        in text
    )
    assert "https://github.com/acme/shop/releases/tag/v1.2.1" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\x1b" not in text and "\\x1b[31mRED" in text
    assert "&lt;b&gt;freeze&lt;/b&gt;" in text
    assert (
        text.count('class="bar"') == 3 + 2 + 3 + 3
    )  # releases: 2+1+2 bars (Jan has a hotfix), lead: 3 medians + 3 p90


def test_gate_report_runs_the_stage_without_json(history, gate, tmp_path):
    history.write(".gate.yaml", "stages:\n  ci: []\n")
    page = tmp_path / "now.html"
    result = gate("report", "--html", str(page), "--no-metrics")
    assert result.code == 0, result.err
    text = page.read_text()
    assert "No gates ran: nothing was checked." in text and 'id="metrics"' not in text


def test_report_from_a_file_that_is_not_a_gate_report(history, gate, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "other"}')
    result = gate("report", "--html", str(tmp_path / "x.html"), "--from-json", str(bad))
    assert result.code == 2 and "is not a gate report" in result.err
    bad.write_text("{")
    assert gate("report", "--html", str(tmp_path / "x.html"), "--from-json", str(bad)).code == 2
    assert not (tmp_path / "x.html").exists()


def test_shallow_history_leaves_a_note_not_a_crash(history, gate, tmp_path, monkeypatch):
    clone = tmp_path / "shallow"
    history.git("clone", "-q", "--depth", "1", f"file://{history.path}", str(clone))
    history.git(
        "-C", str(clone), "fetch", "-q", "--depth", "1", "origin", "refs/tags/*:refs/tags/*"
    )
    monkeypatch.chdir(clone)
    (clone / ".gate.yaml").write_text("stages:\n  ci: []\n")
    page = tmp_path / "shallow.html"
    assert gate("report", "--html", str(page)).code == 0
    assert "delivery metrics unavailable: a shallow clone" in page.read_text()


def test_chart_of_an_empty_period_list_is_still_an_svg():
    svg = html.bar_chart("c", "t", [], [("x", [], "#000")])
    assert svg.startswith("<svg") and 'class="bar"' not in svg


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.slow
@pytest.mark.skipif(
    # CI installs chromium (.ci/run), so there a missing browser fails instead of skipping.
    binary() is None and not os.environ.get("CI"),
    reason="chromium is not installed (apt-get install -y chromium)",
)
def test_page_in_a_real_browser(page_inputs, tmp_path):
    browser = Browser(tmp_path / "profile")
    try:
        session = browser.open(page_inputs.resolve().as_uri())
        charts = browser.evaluate(
            session,
            """JSON.stringify([...document.querySelectorAll('svg.chart')].map(s => {
            const box = s.getBoundingClientRect();
            const bars = [...s.querySelectorAll('rect.bar')].map(r => r.getBoundingClientRect());
            return {id: s.id, width: box.width, height: box.height,
                    bars: bars.length, drawn: bars.filter(b => b.width > 0 && b.height > 0).length};
        }))""",
        )
        facts = json.loads(charts)
        text = browser.evaluate(session, "document.body.innerText")
        scripts = browser.evaluate(session, "document.scripts.length + document.images.length")
        shot = browser.screenshot(session, tmp_path / "gate-report.png")
        errors = browser.console_errors()
    finally:
        browser.close()
    assert errors == []
    assert [c["id"] for c in facts] == ["chart-releases", "chart-lead-time"]
    assert all(c["width"] > 300 and c["height"] > 100 for c in facts)
    assert [(c["bars"], c["drawn"]) for c in facts] == [(5, 5), (6, 6)]
    assert scripts == 0  # the hostile <script> and <img> are text, not elements
    assert "<script>alert(1)</script>" in text and "Delivery metrics" in text and "BLOCKED" in text
    width, height = png_size(shot.read_bytes())
    assert width >= 1000 and height > 1000
