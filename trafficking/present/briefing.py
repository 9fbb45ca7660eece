"""The briefing pack: one self-contained HTML file (plotly.js and map geometry inlined, so it
opens and prints with no network) holding each chart with its caption, sources and permalink;
and a zip of PNGs of the same charts.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

import plotly.io as pio
import plotly.offline

from trafficking import geo
from trafficking.present import export
from trafficking.present.view import ChartView, plain


@dataclass
class PackItem:
    """A chart in the pack: its view, chart id and the permalink to its live page view."""

    chart_id: str
    view: ChartView
    permalink: str


CSS = """
body{font-family:"Source Sans 3","Source Sans Pro","Helvetica Neue",Arial,sans-serif;
 color:#262730;margin:2rem auto;max-width:1100px;padding:0 1rem;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem} h2{font-size:1.25rem;margin:0 0 .3rem}
.meta,.source,.permalink{color:#5f6368;font-size:.9rem}
.chart{border-top:1px solid #ddd;padding:1.2rem 0 1.5rem}
.plot{width:100%} table{border-collapse:collapse;font-size:.8rem;width:100%}
th,td{border:1px solid #e3e3e3;padding:.2rem .4rem;text-align:left;vertical-align:top}
td.addr{word-break:break-all} a{color:#0072B2}
.toc li{margin:.15rem 0}
@media print{
 body{margin:0;max-width:none;font-size:10.5pt}
 .chart{break-inside:avoid;page-break-inside:avoid;break-after:page;border:0}
 .toc,.noprint{display:none} a{color:inherit;text-decoration:none}
 .permalink a::after{content:" (" attr(href) ")";word-break:break-all}
 details{display:block} details>summary{display:none}
}
@page{size:A4 landscape;margin:12mm}
"""


def _script_safe(text: str) -> str:
    """Text for inside a <script> element: no '</script' can close it early."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def _geo_assets() -> str:
    """Map geometry for plotly.js, which looks in window.PlotlyGeoAssets before fetching."""
    if not geo.geometry_available():
        return ""
    topo = json.loads(geo.GEOMETRY_FILE.read_text(encoding="utf-8"))
    name = f"world_{geo.RESOLUTION}m"
    assets = {"topojson": {name: topo}}
    return "window.PlotlyGeoAssets=" + json.dumps(assets, separators=(",", ":")) + ";"


def _sources_table(item: PackItem) -> str:
    rows = []
    for r in item.view.sources.itertuples(index=False):
        addr = str(r.address or "")
        link = (f'<a href="{html.escape(addr, quote=True)}">{html.escape(addr)}</a>'
                if addr.startswith(("http://", "https://")) else "no official address")
        rows.append(f"<tr><td>{html.escape(str(r.publisher))}</td><td>{html.escape(str(r.title))}"
                    f"</td><td class='addr'>{link}</td><td>{html.escape(str(r.retrieved_at))}</td>"
                    f"<td>{html.escape(str(r.source_id))}</td></tr>")
    if not rows:
        return "<p class='source'>No source rows recorded for this chart.</p>"
    return ("<details open><summary>Sources</summary><table><thead><tr><th>Publisher</th>"
            "<th>Title</th><th>Address</th><th>Retrieved</th><th>File</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></details>")


def _plot_div(item: PackItem, n: int) -> str:
    fig = item.view.figure
    config = {"displaylogo": False, "responsive": True, "topojsonURL": "./"}
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, config=config,
                       div_id=f"plot-{n}", default_width="100%")


def html_pack(items: list[PackItem], built_at: str, title: str = "Briefing pack") -> str:
    """The whole pack as one HTML document (works offline from a file:// address)."""
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    toc = "".join(f"<li><a href='#chart-{i}'>{html.escape(it.view.title)}</a></li>"
                  for i, it in enumerate(items, 1))
    sections = []
    for i, it in enumerate(items, 1):
        v = it.view
        link = html.escape(it.permalink, quote=True)
        sections.append(
            f"<section class='chart' id='chart-{i}'><h2>{i}. {html.escape(v.title)}</h2>"
            f"<p class='caption'>{html.escape(v.caption)}</p>"
            f"<div class='plot'>{_plot_div(it, i)}</div>"
            f"<p class='source'>{html.escape(plain(v.source_line))}</p>"
            f"<p class='permalink'>Live view: <a href='{link}'>{html.escape(it.permalink)}</a>"
            "</p>" + _sources_table(it) + "</section>")
    plotly_js = _script_safe(plotly.offline.get_plotlyjs())
    assets = _script_safe(_geo_assets())
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{CSS}</style>"
        f"<script>{assets}</script><script>{plotly_js}</script></head><body>"
        f"<header><h1>{html.escape(title)}</h1><p class='meta'>{len(items)} chart(s) from the "
        f"human-trafficking statistics dashboard. Database built {html.escape(built_at)}; pack "
        f"made {made}. Every chart lists the files its values come from.</p>"
        f"<ol class='toc'>{toc}</ol></header>" + "".join(sections) + "</body></html>")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def png_zip(items: list[PackItem], built_at: str, preset: str = "wide") -> bytes:
    """A zip of one PNG per chart (one Chromium for the batch) plus each chart's CSV."""
    p = export.PRESETS[preset]
    jobs = [(export.decorate(it.view, p, built_at, it.permalink), "png", p) for it in items]
    images = export.render(jobs)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (it, png) in enumerate(zip(items, images, strict=True), 1):
            name = f"{i:02d}-{it.chart_id}-{_slug(it.view.title)}"
            zf.writestr(f"{name}.png", png)
            zf.writestr(f"{name}.csv", export.csv_bytes(it.view, built_at, it.permalink))
    return buf.getvalue()
