"""The briefing pack: one self-contained HTML file (plotly.js and map geometry inlined, so it
opens and prints with no network) holding each chart with its caption, sources and permalink;
and a zip of PNGs of the same charts.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

import jinja2
import plotly.io as pio
import plotly.offline
from markupsafe import Markup

from trafficking import formatting, geo, i18n
from trafficking.i18n import _, ngettext
from trafficking.present import export
from trafficking.present.view import ChartView, plain


@dataclass
class PackItem:
    """A chart in the pack: its view, chart id and the permalink to its live page view."""

    chart_id: str
    view: ChartView
    permalink: str


# Autoescape: every title, caption, source and address is data and shows as text. The only
# unescaped parts are handed over as Markup below, each with the reason it is safe.
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("trafficking.present", "templates"),
    autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
_TEMPLATES.tests["web_address"] = lambda v: str(v).startswith(("http://", "https://"))


def _script_safe(text: str) -> Markup:
    """Text for inside a <script> element: no '</script' can close it early. Not HTML-escaped,
    because a browser does not decode entities inside a script."""
    return Markup(re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE))


def _geo_assets() -> str:
    """Map geometry for plotly.js, which looks in window.PlotlyGeoAssets before fetching."""
    if not geo.geometry_available():
        return ""
    topo = json.loads(geo.GEOMETRY_FILE.read_text(encoding="utf-8"))
    name = f"world_{geo.RESOLUTION}m"
    assets = {"topojson": {name: topo}}
    return "window.PlotlyGeoAssets=" + json.dumps(assets, separators=(",", ":")) + ";"


def _sources(item: PackItem) -> list[dict[str, str]]:
    return [{"publisher": str(r.publisher), "title": str(r.title),
             "address": str(r.address or ""),
             "retrieved_at": formatting.timestamp(r.retrieved_at),  # ISO in view.sources
             "source_id": str(r.source_id)}
            for r in item.view.sources.itertuples(index=False)]


def _plot_div(item: PackItem, n: int) -> Markup:
    # plotly writes the figure as JSON inside its own <script> with every "<" as "\u003c",
    # and the figure's strings are already plain text (text.plotly_plain): safe to insert.
    fig = item.view.figure
    config = {"displaylogo": False, "responsive": True, "topojsonURL": "./"}
    return Markup(pio.to_html(fig, full_html=False, include_plotlyjs=False, config=config,
                              div_id=f"plot-{n}", default_width="100%"))


def _words(n_charts: int, built_at: str) -> dict[str, str]:
    """The pack's own words in the reader's language (the template holds none)."""
    made = formatting.timestamp(datetime.now(UTC).replace(tzinfo=None))
    return {
        "intro": ngettext(
            "{n} chart from the human-trafficking statistics dashboard. Database built {built}; "
            "pack made {made}. Every chart lists the files its values come from.",
            "{n} charts from the human-trafficking statistics dashboard. Database built "
            "{built}; pack made {made}. Every chart lists the files its values come from.",
            n_charts).format(n=n_charts, built=built_at, made=made),
        "live_view": _("Live view:"), "sources": _("Sources"), "publisher": _("Publisher"),
        "title": _("Title"), "address": _("Address"), "retrieved": _("Retrieved"),
        "file": _("File"), "no_address": _("no official address"),
        "no_sources": _("No source rows recorded for this chart."),
    }


def html_pack(items: list[PackItem], built_at: str, title: str | None = None) -> str:
    """The whole pack as one HTML document (works offline from a file:// address), in the
    reader's language (``<html lang>``, headings, the pack's own sentences)."""
    charts = [{"title": it.view.title, "caption": it.view.caption, "summary": it.view.summary,
               "plot": _plot_div(it, i),
               "source_line": plain(it.view.source_line), "permalink": it.permalink,
               "sources": _sources(it)}
              for i, it in enumerate(items, 1)]
    return _TEMPLATES.get_template("briefing.html").render(
        title=title or _("Briefing pack"), lang=i18n.language(),
        words=_words(len(charts), built_at), charts=charts,
        plotly_js=_script_safe(plotly.offline.get_plotlyjs()),
        geo_assets=_script_safe(_geo_assets()))


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
            zf.writestr(f"{name}.png", export.described(png, "png", it.view))
            zf.writestr(f"{name}.csv", export.csv_bytes(it.view, built_at, it.permalink))
    return buf.getvalue()
