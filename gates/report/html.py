"""`gate report --html`: one self-contained page with the last gate run and the delivery metrics.

No script, no external resource: styles inline, charts as inline SVG, and a
Content-Security-Policy that forbids everything else, so the page views the
same offline as an artifact and a hostile string could not run even if it
slipped through. Every piece of outside text is escaped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from gates.knowledge.durations import format_hours
from gates.report.text import clean

if TYPE_CHECKING:
    from collections.abc import Callable

    from gates.knowledge.forges import Forge
    from gates.model import Report

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
STATUS_COLORS = {
    "pass": "#1a7f37",
    "warn": "#9a6700",
    "fail": "#cf222e",
    "error": "#a40e26",
    "skip": "#6e7781",
}
BAND_COLORS = {"elite": "#1a7f37", "high": "#2da44e", "medium": "#bf8700", "low": "#cf222e"}
RELEASE_COLOR, HOTFIX_COLOR, LEAD_COLOR, P90_COLOR = "#0969da", "#cf222e", "#8250df", "#d0d7de"

STYLE = """
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;
background:#f6f8fa}
main{max-width:1080px;margin:0 auto;padding:24px}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin:16px 0}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0 0 12px}
h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{font-weight:600;background:#f6f8fa}td.num,th.num{text-align:right}
.badge{display:inline-block;padding:1px 8px;border-radius:12px;color:#fff;font-size:12px;
font-weight:600}
.verdict{font-size:16px;font-weight:700}.muted{color:#656d76}code{font:12px ui-monospace,monospace;
background:#f6f8fa;padding:1px 4px;border-radius:4px;word-break:break-all}
ul.findings{margin:4px 0 8px 0;padding-left:20px}ul.findings li{margin:4px 0}.hint{color:#656d76}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px}
.card{border:1px solid #d0d7de;border-radius:8px;padding:12px}
.card .value{font-size:22px;font-weight:700}
svg.chart{width:100%;height:auto;max-width:720px;display:block;margin:8px 0}
svg.chart text{font:11px system-ui,sans-serif;fill:#656d76}.legend span{margin-right:14px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
"""


def e(text: object, limit: int = 2000) -> str:
    """Outside text, safe in HTML text and in a quoted attribute."""
    return html.escape(clean("" if text is None else text, limit), quote=True)


def _link(url: str | None, text: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{text}</a>' if url else text


def file_url(forge: Forge | None, commit: str | None, path: str, line: int | None) -> str | None:
    if forge is None or not commit:
        return None
    where = quote(path.replace("\\", "/").lstrip("./"), safe="/")
    if forge.kind == "gitlab":
        return f"{forge.web}/-/blob/{commit}/{where}" + (f"#L{line}" if line else "")
    if forge.kind == "bitbucket":
        return f"{forge.web}/src/{commit}/{where}" + (f"#lines-{line}" if line else "")
    if forge.kind == "csr":
        return f"{forge.web}/+/{commit}:{where}"
    return f"{forge.web}/blob/{commit}/{where}" + (f"#L{line}" if line else "")


def _badge(status: str) -> str:
    color = STATUS_COLORS.get(status, "#6e7781")
    return f'<span class="badge" style="background:{color}">{e(status)}</span>'


def _band(band: str | None) -> str:
    if not band:
        return '<span class="muted">no data</span>'
    color = BAND_COLORS.get(band, "#6e7781")
    return f'<span class="badge" style="background:{color}">{e(band)}</span>'


def _finding(finding: dict[str, Any], commit: str | None, forge: Forge | None) -> str:
    parts = [
        f"<strong>{e(finding.get('severity'))}</strong> <code>{e(finding.get('rule'))}</code> "
        f"{e(finding.get('message'))}"
    ]
    path = finding.get("path")
    if path:
        line = finding.get("line")
        label = e(path) + (f":{int(line)}" if isinstance(line, int) else "")
        url = file_url(forge, commit, str(path), line if isinstance(line, int) else None)
        parts.append(f" (<code>{_link(url, label)}</code>)")
    sha = finding.get("commit")
    if sha:
        url = forge.commit_url(quote(str(sha), safe="")) if forge else None
        parts.append(f" commit <code>{_link(url, e(str(sha)[:12]))}</code>")
    if finding.get("waiver"):
        parts.append(f'<br><span class="hint">waived: {e(finding["waiver"])}</span>')
    if finding.get("hint"):
        parts.append(f'<br><span class="hint">hint: {e(finding["hint"])}</span>')
    return "<li>" + "".join(parts) + "</li>"


def run_section(run: dict[str, Any], forge: Forge | None) -> str:
    commit = (run.get("repository") or {}).get("commit")
    results = run.get("results") or []
    out = [
        '<section id="run"><h2>Gate run</h2>',
        *_run_summary(run, forge),
        *_results_table(results),
        *_findings_lists(results, commit, forge),
        *_waivers_list(run.get("waivers") or []),
        "</section>",
    ]
    return "\n".join(out)


def _run_summary(run: dict[str, Any], forge: Forge | None) -> list[str]:
    """The verdict, stage, branch and commit; then the policy, the tool and the duration."""
    repository = run.get("repository") or {}
    commit = repository.get("commit")
    passed = run.get("passed")
    verdict = "passed" if passed else "BLOCKED"
    color = STATUS_COLORS["pass" if passed else "fail"]
    commit_html = ""
    if commit:
        url = forge.commit_url(quote(str(commit), safe="")) if forge else None
        commit_html = f" · commit <code>{_link(url, e(str(commit)[:12]))}</code>"
    branch = f" · branch <code>{e(repository['branch'])}</code>" if repository.get("branch") else ""
    policy = run.get("policy") or {}
    return [
        f'<p><span class="verdict" style="color:{color}">{verdict}</span> · stage '
        f"<code>{e(run.get('stage') or '—')}</code>{branch}{commit_html}</p>",
        f'<p class="muted">policy {e(", ".join(policy.get("sources") or []))} '
        f"<code>{e(policy.get('digest', ''))}</code> · "
        f"gate {e((run.get('tool') or {}).get('version'))} · "
        f"{float(run.get('duration_ms') or 0):.0f} ms</p>",
    ]


def _results_table(results: list[dict[str, Any]]) -> list[str]:
    out = [
        '<table><thead><tr><th>gate</th><th>status</th><th>summary</th><th class="num">ms</th>'
        "</tr></thead><tbody>",
    ]
    out += [
        f'<tr><td><a href="#gate-{e(result.get("gate"))}">{e(result.get("gate"))}</a></td>'
        f"<td>{_badge(str(result.get('status')))}</td><td>{e(result.get('summary'))}</td>"
        f'<td class="num">{float(result.get("duration_ms") or 0):.1f}</td></tr>'
        for result in results
    ]
    out.append("</tbody></table>")
    if not results:
        out.append('<p class="muted">No gates ran: nothing was checked.</p>')
    return out


def _findings_lists(
    results: list[dict[str, Any]], commit: str | None, forge: Forge | None
) -> list[str]:
    """A heading and a list for each gate with findings."""
    out: list[str] = []
    for result in results:
        findings = result.get("findings") or []
        if not findings:
            continue
        out.append(
            f'<h3 id="gate-{e(result.get("gate"))}">{e(result.get("gate"))} '
            f'{_badge(str(result.get("status")))}</h3><ul class="findings">'
        )
        out += [_finding(f, commit, forge) for f in findings]
        out.append("</ul>")
    return out


def _waivers_list(waivers: list[dict[str, Any]]) -> list[str]:
    if not waivers:
        return []
    return [
        "<h3>Waivers used</h3><ul>",
        *(
            f"<li><code>{e(w.get('rule'))}</code> until {e(w.get('expires'))}: "
            f"{e(w.get('reason'))}</li>"
            for w in waivers
        ),
        "</ul>",
    ]


def bar_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float], str]],
    unit: str = "",
    *,
    stacked: bool = True,
    axis: Callable[[float, float], str] | None = None,
) -> str:
    """An inline SVG bar chart; one <rect class="bar"> per non-zero value, each with a tooltip."""
    width, height, left, bottom, top = 720, 240, 48, 36, 16
    plot_w, plot_h = width - left - 12, height - bottom - top
    count = max(len(labels), 1)
    totals = [
        sum(values[i] for _, values, _ in series)
        if stacked
        else max((values[i] for _, values, _ in series), default=0)
        for i in range(len(labels))
    ]
    peak = max(totals, default=0) or 1
    slot = plot_w / count
    bar_w = max(2.0, slot * 0.7) / (1 if stacked else max(len(series), 1))
    out = [
        f'<svg class="chart" id="{e(chart_id)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{e(title)}" xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 12}" y2="{top + plot_h}" '
        'stroke="#8c959f"/>',
    ]
    for tick in range(5):
        value = peak * tick / 4
        y = top + plot_h - plot_h * tick / 4
        shown = axis(value, peak) if axis else _number_tick(value)
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{e(shown)}</text>')
        if tick:
            out.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{width - 12}" y2="{y:.1f}" stroke="#eaeef2"/>'
            )
    step = max(1, round(count / 12))
    for i, label in enumerate(labels):
        x0 = left + slot * i + (slot - bar_w * (1 if stacked else len(series))) / 2
        base = top + plot_h
        for k, (name, values, color) in enumerate(series):
            value = values[i]
            if value <= 0:
                continue
            h = plot_h * value / peak
            x = x0 if stacked else x0 + k * bar_w
            y = base - h if stacked else top + plot_h - h
            amount = axis(value, peak) if axis else f"{value:.4g}{unit}"
            out.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{color}"><title>{e(label)}: {e(amount)} {e(name)}</title></rect>'
            )
            if stacked:
                base -= h
        if i % step == 0:
            out.append(
                f'<text x="{left + slot * i + slot / 2:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{e(label)}</text>'
            )
    out.append("</svg>")
    legend = "".join(
        f'<span><i class="swatch" style="background:{color}"></i>{e(name)}</span>'
        for name, _, color in series
    )
    return "\n".join(out) + f'<div class="legend muted">{legend}</div>'


def _card(title: str, value: str, detail: str, band: str | None) -> str:
    return (
        f'<div class="card"><div class="muted">{e(title)}</div><div class="value">{value}</div>'
        f'<div>{_band(band)} <span class="muted">{detail}</span></div></div>'
    )


def _number_tick(value: float) -> str:
    """An axis number as people write it: 37000, not 3.7e+04."""
    return f"{value:.0f}" if value >= 100 or value == int(value) else f"{value:.2g}"


def hours_tick(value: float, peak: float) -> str:
    """A duration axis in hours, or in days once the tallest bar passes two days."""
    if peak >= 48:
        days = value / 24
        return f"{days:.0f} d" if days >= 10 or days == int(days) else f"{days:.1f} d"
    return f"{value:.0f} h" if value >= 10 or value == int(value) else f"{value:.1f} h"


def metrics_section(metrics: dict[str, Any], forge: Forge | None) -> str:
    totals = metrics["totals"]
    frequency, lead = totals["deployment_frequency"], totals["lead_time"]
    failure, restore = totals["change_failure_rate"], totals["time_to_restore"]
    rate = "—" if failure["rate"] is None else f"{failure['rate'] * 100:.0f}%"
    out = [
        '<section id="metrics"><h2>Delivery metrics</h2>',
        f'<p class="muted">{e(metrics["since"][:10])} to {e(metrics["until"][:10])}, '
        f"by {e(metrics['by'])}</p>",
        '<div class="cards">',
        _card(
            "Deployment frequency",
            f"{frequency['per_week']} / week",
            f"{frequency['releases']} releases, {frequency['hotfixes']} hotfixes",
            frequency["band"],
        ),
        _card(
            "Lead time for changes",
            e(format_hours(lead["median_hours"])),
            f"median of {lead['changes']} changes; p90 {e(format_hours(lead['p90_hours']))}",
            lead["band"],
        ),
        _card(
            "Change failure rate",
            e(rate),
            f"{failure['failed']} of {failure['releases']} releases followed by a hotfix",
            failure["band"],
        ),
        _card(
            "Time to restore",
            e(format_hours(restore["median_hours"])),
            f"median of {restore['incidents']} hotfixes",
            restore["band"],
        ),
        "</div>",
    ]
    periods = metrics["periods"]
    labels = [p["period"] for p in periods]
    regular = [
        p["deployment_frequency"]["releases"] - p["deployment_frequency"]["hotfixes"]
        for p in periods
    ]
    hotfixes = [p["deployment_frequency"]["hotfixes"] for p in periods]
    out.append(f"<h3>Releases per {e(metrics['by'])}</h3>")
    out.append(
        bar_chart(
            "chart-releases",
            "Releases per period",
            labels,
            [("releases", regular, RELEASE_COLOR), ("hotfixes", hotfixes, HOTFIX_COLOR)],
        )
    )
    medians = [p["lead_time"]["median_hours"] or 0 for p in periods]
    p90s = [p["lead_time"]["p90_hours"] or 0 for p in periods]
    out.append("<h3>Lead time for changes</h3>")
    out.append(
        bar_chart(
            "chart-lead-time",
            "Lead time per period",
            labels,
            [("median", medians, LEAD_COLOR), ("p90", p90s, P90_COLOR)],
            " h",
            stacked=False,
            axis=hours_tick,
        )
    )
    releases = metrics.get("releases") or []
    if releases:
        out.append(
            "<h3>Releases</h3><table><thead><tr><th>tag</th><th>date</th><th>kind</th>"
            '<th class="num">changes</th><th class="num">lead time p50</th><th>restored in</th>'
            "</tr></thead><tbody>"
        )
        for release in reversed(releases):
            url = forge.tag_url(quote(release["tag"], safe="")) if forge else None
            kind = "hotfix" if release["hotfix"] else "release"
            restored = (
                "" if release["restore_hours"] is None else format_hours(release["restore_hours"])
            )
            if release["failed"]:
                kind += ", followed by a hotfix"
            out.append(
                f"<tr><td><code>{_link(url, e(release['tag']))}</code></td>"
                f"<td>{e(release['date'][:16])}</td>"
                f'<td>{e(kind)}</td><td class="num">{int(release["changes"])}</td>'
                f'<td class="num">{e(format_hours(release["lead_time_median_hours"]))}</td>'
                f"<td>{e(restored)}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="muted">No release tags in this range.</p>')
    audit = metrics.get("audit")
    if audit:
        out.append(
            f"<h3>Deploy verdicts</h3><p>{int(audit['allowed'])} allowed, "
            f"{int(audit['blocked'])} blocked (from <code>{e(audit['log'])}</code>)</p>"
        )
        if audit["top_reasons"]:
            out.append(
                "<table><thead><tr><th>most frequent reasons to block</th>"
                '<th class="num">count</th></tr></thead><tbody>'
            )
            out += [
                f'<tr><td>{e(r["reason"])}</td><td class="num">{int(r["count"])}</td></tr>'
                for r in audit["top_reasons"]
            ]
            out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def page(
    run: dict[str, Any] | None,
    metrics: dict[str, Any] | None,
    *,
    forge: Forge | None = None,
    notes: list[str] | None = None,
    title: str = "gate report",
) -> str:
    body = [f"<h1>{e(title)}</h1>"]
    body += [f'<p class="muted">{e(note)}</p>' for note in notes or []]
    if run is not None:
        body.append(run_section(run, forge))
    if metrics is not None:
        body.append(metrics_section(metrics, forge))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{STYLE}</style></head>\n<body><main>\n"
        + "\n".join(body)
        + "\n</main></body></html>\n"
    )


def render(report: Report) -> str:
    """The gate run alone, as a page."""
    return page(report.to_dict(), None)
