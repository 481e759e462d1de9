"""A one-file HTML report of a view, made from its snapshot: opens offline, charts interactive.

Vega, Vega-Lite and Vega-Embed are inlined (vl-convert's bundle, about 0.9 MB), so the file needs no network.
Every text from the snapshot — company, metric and key names, notes — is HTML-escaped, and chart specs sit in
JSON script blocks that cannot close their tag, so nothing in a snapshot can run as markup or script.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache

import vl_convert

from core.share import snapshot as snapshots

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2433; margin: 0 auto;
       max-width: 1100px; padding: 24px 32px 64px; line-height: 1.45; }
h1 { margin-bottom: 4px; } h2 { margin-top: 40px; border-bottom: 1px solid #d9dde5; padding-bottom: 4px; }
.muted { color: #5b6475; font-size: 0.92em; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; font-size: 0.95em; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e6e9ef; vertical-align: top; }
th { background: #f4f6fa; } td.value { font-weight: 600; white-space: nowrap; }
.value-big { font-size: 2em; font-weight: 650; margin: 4px 0; }
.missing { background: #fff6e0; padding: 8px 12px; border-radius: 6px; }
.chart { margin: 16px 0; }
"""

EMBED = """
document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (block) {
  var target = document.getElementById(block.dataset.chart);
  vegaEmbed(target, JSON.parse(block.textContent), {actions: {export: true, source: false, compiled: false,
    editor: false}}).catch(function (error) { target.textContent = "This chart could not be drawn: " + error; });
});
"""


@lru_cache(maxsize=1)
def _javascript() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script (library code only, the same for everyone)."""
    return vl_convert.javascript_bundle()


def html_report(snapshot: dict) -> str:
    """The whole report as one HTML document."""
    charts = _Charts()
    company = html.escape(snapshot["company"] or "Your company")
    parts = [
        f"<h1>{company}: marketing and sales scorecard</h1>",
        f'<p class="muted">Made with GTM Scorecard on {html.escape(snapshots.made_on(snapshot))}. '
        "It holds the aggregates of one view only, not the exports behind them.</p>",
        _view_table(snapshot["view"]),
        "<h2>Metrics</h2>",
        _metric_table(snapshot),
    ]
    if snapshot["overview"]:
        parts.append("<h2>Overview</h2>")
        for _, title, chart in snapshots.overview_charts(snapshot):
            parts.append(f"<h3>{html.escape(title)}</h3>{charts.add(chart)}")
    for entry in snapshot["metrics"]:
        parts.append(_metric_section(entry, snapshot["currency"], charts))
    parts.append(_sources(snapshot))
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{company} — GTM Scorecard report</title><style>{STYLE}</style>"
        f"<script>{_javascript()}</script></head>\n<body>\n{body}\n{charts.blocks()}<script>{EMBED}</script>"
        "</body></html>\n"
    )


# Inside <script>, `</script`, `<!--` and `<script` change how the HTML parser reads the block, and an old JavaScript
# reads U+2028/U+2029 as line ends: written as JSON escapes, the text parses to the same values and cannot break out.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class _Charts:
    """Collects chart specs; each chart is a div in the text and a JSON block at the end of the body."""

    def __init__(self) -> None:
        self.specs: list[str] = []

    def add(self, chart) -> str:
        spec = json.dumps(chart.to_dict(), ensure_ascii=False).translate(SCRIPT_SAFE)
        self.specs.append(spec)
        return f'<div class="chart" id="chart-{len(self.specs)}"></div>'

    def blocks(self) -> str:
        return "".join(
            f'<script type="application/json" data-chart="chart-{number}">{spec}</script>\n'
            for number, spec in enumerate(self.specs, start=1)
        )


def _view_table(view: dict) -> str:
    rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in view.items())
    return f"<table>{rows}</table>"


def _metric_table(snapshot: dict) -> str:
    head = "<tr><th>Metric</th><th>Value</th><th>Rows used</th><th>Benchmark</th></tr>"
    rows = []
    for entry in snapshot["metrics"]:
        benchmark = (entry.get("benchmark") or {}).get("sentence", "")
        rows.append(
            f'<tr><td><a href="#{_anchor(entry)}">{html.escape(entry["name"])}</a></td>'
            f'<td class="value">{html.escape(entry.get("display", "—"))}</td>'
            f"<td>{int(entry.get('rows_used', 0)):,}</td><td>{html.escape(benchmark)}</td></tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def _anchor(entry: dict) -> str:
    return "metric-" + "".join(ch if ch.isalnum() else "-" for ch in str(entry.get("id") or entry["name"]))


def _metric_section(entry: dict, currency: str, charts: _Charts) -> str:
    text = html.escape
    parts = [
        f'<h2 id="{_anchor(entry)}">{text(entry["name"])}</h2>',
        f'<p class="muted">{text(entry.get("stage", ""))}</p>',
        f'<p class="value-big">{text(entry.get("display", "—"))}</p>',
    ]
    if entry.get("available"):
        parts.append(
            f'<p class="muted">From {int(entry.get("rows_used", 0)):,} rows. {text(entry.get("note", ""))}</p>'
        )
    else:
        parts.append(f'<p class="missing">Not available with the data loaded. {text(" ".join(entry["missing"]))}</p>')
    if benchmark := entry.get("benchmark"):
        parts.append(
            f"<p><strong>Benchmark.</strong> {text(benchmark['sentence'])}<br>"
            f'<span class="muted">Source: {text(benchmark["citation"])}</span></p>'
        )
    parts.append(f"<p><strong>What it is.</strong> {text(entry.get('definition', ''))}</p>")
    parts.append(f"<p><strong>Formula.</strong> {text(entry.get('formula', ''))}</p>")
    parts.extend(charts.add(chart) for _, chart in snapshots.metric_charts(entry, currency))
    return "\n".join(parts)


def _sources(snapshot: dict) -> str:
    """The metric definitions' sources and the benchmark citations, each once."""
    sources = {}
    for entry in snapshot["metrics"]:
        if entry.get("source"):
            sources[entry["source"]] = entry.get("source_link", "")
        if entry.get("benchmark"):
            sources[entry["benchmark"]["citation"]] = ""
    items = []
    for name, link in sources.items():
        linked = f' — <a href="{html.escape(link)}">{html.escape(link)}</a>' if link.startswith("https://") else ""
        items.append(f"<li>{html.escape(name)}{linked}</li>")
    return f"<h2>Sources</h2><ul>{''.join(items)}</ul>" if items else ""
