import re

from gates.report import markdown


def test_summary_table_and_findings(mixed_report):
    text = markdown.render(mixed_report)
    assert text.startswith("## gate: BLOCKED — stage ci\n")
    assert "| gate | status | summary | ms |" in text
    assert "| branch\\-name | ✔ pass | feature/x is a valid branch name | 0.4 |" in text
    assert "| changelog | - skip |" in text
    assert "### lint — fail" in text
    assert (
        "- **error** <code>lint.unused</code> unused import os (<code>src/app.py:3-4:8</code>)"
        in text
    )
    assert "  - waived: generated code" in text
    assert "### coverage — error" in text
    assert "### Waivers used" in text
    assert "### branch-name" not in text  # a gate with nothing to say gets no section
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert all(line.count(" | ") == 3 for line in rows[2:])


def test_md_escapes_syntax_and_html():
    assert markdown.md("<b>x</b> & [a](b)") == "&lt;b&gt;x&lt;/b&gt; &amp; \\[a\\]\\(b\\)"
    assert markdown.md("a | b\nc") == "a \\| b ⏎ c"
    assert markdown.code("x`</code><script>") == "<code>x`&lt;/code&gt;&lt;script&gt;</code>"


def test_hostile_text_is_inert(hostile_report):
    text = markdown.render(hostile_report)
    assert "<script>" not in text and "<img" not in text and "\x1b" not in text
    assert "](http" not in text and "![" not in text
    for line in text.splitlines():
        if line.startswith("| "):
            # no cell added by a | in outside text: every other | is escaped
            assert len(re.findall(r"(?<!\\)\|", line)) == 5
    assert "\\x1b\\[31mRED" in text
    tags = set(re.findall(r"</?([a-zA-Z]+)", text))
    assert tags <= {"code", "sub"}
