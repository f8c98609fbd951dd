import pytest

from gates.model import Finding, Result
from gates.report import console, github, gitlab, html, junit, markdown, sarif
from tests.report.conftest import make_report

RENDERERS = {
    "console": console.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "html": html.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "sarif": sarif.render,
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_a_megabyte_line_is_cut(name):
    line = "x" * 1_000_000
    report = make_report(
        [
            Result.of(
                "commits", [Finding("commits.subject", line, hint=line, path="a.py", line=1)], line
            ),
            Result.of("lint", [], "ok"),
        ]
    )
    text = RENDERERS[name](report)
    assert len(text) < 250_000
    assert "…" in text
