"""What the pages draw with Streamlit: the 'database missing' page, any figure or table, and a
registered chart with its caption and the presenter tools: PNG (16:9, square), SVG, the data
(ZIP: CSV with sources, metadata, README), permalink and embed code, and 'add to briefing pack'.

The data layer below (trafficking.db, queries, charts, present.registry/export/briefing) imports
no Streamlit; its caching is plain Python.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from trafficking import db, i18n, pages, style
from trafficking.i18n import _
from trafficking.present import export, firstview, links, registry, sources, tables
from trafficking.present import pack as pack_text
from trafficking.present.view import ChartView, plain
from trafficking.text import http_url, md_plain

PACK_KEY = "briefing_pack"  # session state: list of {"chart": id, "params": {name: str}}
MAX_PACK = 20


def require_database() -> None:
    """Render a 'database missing' page and stop the script when there is no usable database."""
    problem = db.database_problem()
    if problem is None:
        # bench/growth.py builds throwaway copies padded with made-up rows; never let one
        # pass for real figures.
        if db.meta("synthetic") == "true":
            st.error("**SYNTHETIC DATABASE — not real data.** This copy was padded with "
                     "made-up rows for a performance benchmark (bench/growth.py).",
                     icon=":material/science:")
        return
    st.title("Database missing")
    st.error(problem)
    st.markdown(
        "The dashboard reads a DuckDB file built from public sources by the project's ETL "
        "(`make data`; see the README). The page reads the new file once it is published: "
        "refresh this browser tab."
    )
    st.stop()


def page_style() -> None:
    """The dashboard's CSS (``style.PAGE_CSS``: visible keyboard focus, the phone layout), once
    per run. Style tags alone go to Streamlit's event container: they take no room on the page."""
    st.html(f"<style>{style.PAGE_CSS}</style>")


def _kind(config: Any) -> str | None:
    """A column config's type ('link', 'text', …); 'text' for a plain header."""
    if isinstance(config, str):
        return "text"
    return (config.get("type_config") or {}).get("type") if isinstance(config, dict) else None


def dataframe(frame: Any, *, column_config: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """``st.dataframe`` whose link columns (``st.column_config.LinkColumn``) hold only http(s)
    addresses: any other value in one (javascript:, data:, a path) is blanked. A missing text
    (a figure without a qualifier) shows as an empty cell: Streamlit would print 'None', in
    English whatever the reader's language."""
    held = getattr(frame, "columns", ())
    kinds = {c: _kind(cfg) for c, cfg in (column_config or {}).items() if c in held}
    linked = [c for c, k in kinds.items() if k == "link"]
    if linked:
        frame = frame.assign(**{c: frame[c].map(http_url) for c in linked})
    text = [c for c, k in kinds.items() if k == "text" and frame[c].dtype == object]
    if text:
        frame = frame.assign(**{c: frame[c].fillna("") for c in text})
    return st.dataframe(frame, column_config=column_config, **kwargs)


def page_paths() -> tuple[str, ...]:
    return pages.STEMS


def base_url() -> str:
    try:
        current = st.context.url
    except Exception:  # no browser context (AppTest, CLI)
        current = None
    return links.base_url(current, page_paths())


def pack() -> list[dict]:
    return st.session_state.setdefault(PACK_KEY, [])


def pack_entry(chart_id: str, values: Mapping[str, Any]) -> dict:
    return {"chart": chart_id, "params": links.encode(registry.CHARTS[chart_id], values)}


def write_pack(items: Sequence[dict]) -> None:
    """Mirror the pack in the address (``?pack=``), or drop it when the pack is empty."""
    text = pack_text.encode(items)
    if not text:
        if "pack" in st.query_params:
            del st.query_params["pack"]
    elif st.query_params.get("pack") != text:
        st.query_params["pack"] = text


def add_to_pack(chart_id: str, values: Mapping[str, Any]) -> None:
    entry = pack_entry(chart_id, values)
    items = pack()
    if entry not in items and len(items) < MAX_PACK:
        items.append(entry)


def _tools(view: ChartView, chart_id: str, values: Mapping[str, Any], key: str) -> None:
    """The presenter tools behind one "Share and download" button: six buttons in a row fill
    a phone's screen as a column. (The buttons are cheap: each file is made when clicked.)"""
    spec = registry.CHARTS[chart_id]
    base = base_url()
    link = links.permalink(spec, values, base)
    built = sources.built_at()
    stem = f"{chart_id}-" + "-".join(links.encode(spec, values).values()).replace(",", "_")
    stem = stem.rstrip("-")[:80]
    can_draw = export.chromium_path() is not None
    why = None if can_draw else _("Image export needs Chromium on the server (/usr/bin/chromium).")
    with st.popover(_("Share and download"), icon=":material/ios_share:"):
        st.download_button(
            _("PNG 16:9"), data=lambda: export.image(view, "png", "wide", built, link, warm=True),
            file_name=f"{stem}-1920x1080.png", mime="image/png", key=f"{key}-png-wide",
            on_click="ignore", disabled=not can_draw,
            help=why or _("1920×1080, title and sources inside the image"),
            icon=":material/image:")
        st.download_button(
            _("PNG square"),
            data=lambda: export.image(view, "png", "square", built, link, warm=True),
            file_name=f"{stem}-1080x1080.png", mime="image/png", key=f"{key}-png-square",
            on_click="ignore", disabled=not can_draw, help=why or "1080×1080",
            icon=":material/crop_square:")
        st.download_button(
            "SVG", data=lambda: export.image(view, "svg", "wide", built, link, warm=True),
            file_name=f"{stem}.svg", mime="image/svg+xml", key=f"{key}-svg", on_click="ignore",
            disabled=not can_draw, help=why or _("Vector image for print and editing"),
            icon=":material/draw:")
        st.download_button(
            _("Data (zip)"), data=lambda: export.data_zip(view, built, link, stem),
            file_name=f"{stem}.zip", mime="application/zip", key=f"{key}-data",
            on_click="ignore",
            help=_("ZIP: the data behind the chart as CSV (each row with its source), metadata "
                   "(sources, licences, retrieval dates, caveats) and a README"),
            icon=":material/table:")
        in_pack = pack_entry(chart_id, values) in pack()
        st.button(
            _("In briefing pack") if in_pack else _("Add to briefing pack"), key=f"{key}-pack",
            on_click=add_to_pack, args=(chart_id, dict(values)), disabled=in_pack,
            icon=":material/playlist_add_check:" if in_pack else ":material/playlist_add:")
        # Built only when opened: st.code pulls a large syntax highlighter into the browser.
        share = st.expander(_("Link and embed code"), icon=":material/share:",
                            key=f"{key}-share", on_change="rerun")
        with share:
            if share.open:
                st.caption(_("Permalink to this view"))
                st.code(link, language=None, wrap_lines=True)
                st.caption(_("Embed code: paste into a web page to show this chart alone"))
                st.code(links.iframe(spec, values, base), language="html", wrap_lines=True)


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached_view(chart_id: str, frozen: str, file_key: tuple[int, int] | None) -> ChartView:
    del file_key  # a refreshed database file builds new figures
    values = json.loads(frozen)
    with i18n.using(values.pop("\0lang", None)):
        return registry.view(chart_id, values)


def _frozen(values: Mapping[str, Any]) -> str | None:
    """The values (and the language: titles, labels and the summary are translated) as one
    string, the views' cache key; None when a value is not JSON (such a view is not cached)."""
    try:
        return json.dumps({**dict(values), "\0lang": i18n.language()}, sort_keys=True)
    except TypeError:
        return None


def cached_view(chart_id: str, values: Mapping[str, Any]) -> ChartView:
    """The chart for these values, built once per database file: most reruns only change a
    widget elsewhere on the page, and rebuilding a heatmap or map is most of a rerun's cost.
    Callers must not change the returned figure in place (exports draw on a copy)."""
    frozen = _frozen(values)
    if frozen is None:
        return registry.view(chart_id, values)
    return _cached_view(chart_id, frozen, db.file_key())


# A page's top chart and its still image (present/firstview.py) share one grid cell: the image
# is on top, lets the pointer through, and is hidden once plotly.js has drawn the chart under
# it (for a map: once the geometry is drawn, not just the frame). Our own constant CSS.
_FIRST_VIEW_CSS = """<style>
[class*="st-key-firstview-"] { display: grid !important; grid-template-columns: minmax(0, 1fr); }
[class*="st-key-firstview-"] > * { grid-area: 1 / 1; min-width: 0; }
[class*="st-key-firstview-"] > :has(.firstview-still) { z-index: 2; pointer-events: none; }
.firstview-still { display: block; width: 100%; object-fit: contain; object-position: left top;
  background: #fff; }
[class*="st-key-firstview-plot-"]:has(.js-plotly-plot .main-svg) .firstview-still,
[class*="st-key-firstview-map-"]:has(.js-plotly-plot .geo .layer path) .firstview-still {
  display: none; }
</style>"""


def still_html(still: firstview.Still) -> str:
    """The image element of a first view; its alt text is the chart's summary, escaped."""
    return (f'<img class="firstview-still" src="{still.uri}" alt="{html.escape(still.alt)}" '
            f'style="height:{int(still.height)}px">')


def show_chart(fig: go.Figure, *, key: str | None = None, height: int | None = None,
               on_select: Any = None, still: firstview.Still | None = None,
               wrap: str | None = None) -> None:
    """Render a figure with the project template (not Streamlit's theme) and offline maps.

    ``on_select`` (a callback, or "rerun"): a click selects a point, e.g. a country on a map,
    and the selection is in ``st.session_state[key]``.
    ``wrap``: "plot" or "map" to draw the chart in a first-view cell (a top chart), with
    ``still`` over it until the chart is drawn. The cell is there on every run, with or
    without the image, so the chart keeps its place in the page (no redraw from scratch).
    """
    if height is not None:
        fig.update_layout(height=height)
    if wrap is not None:
        st.html(_FIRST_VIEW_CSS)
        with st.container(key=f"firstview-{wrap}-{key}", gap=None):
            show_chart(fig, key=key, on_select=on_select)
            if still is not None:
                st.html(still_html(still))
        return
    if on_select is None:
        st.plotly_chart(fig, theme=None, config=style.chart_config(), key=key)
    else:
        st.plotly_chart(fig, theme=None, config=style.chart_config(), key=key,
                        on_select=on_select, selection_mode="points")


def show(chart_id: str, values: Mapping[str, Any], *, key: str | None = None,
         view: ChartView | None = None, on_select: Any = None,
         caption: bool = True) -> ChartView:
    """Render chart ``chart_id`` for ``values``: caption, chart, then the presenter tools.

    ``on_select``: see ``show_chart`` (clickable points, e.g. map → profile).
    ``caption=False`` when the page writes its own, longer caption above the chart.
    A page's top chart at its default values paints first as a still image (firstview).
    """
    view = view or cached_view(chart_id, values)
    key = key or chart_id
    if caption:
        st.caption(md_plain(view.caption))  # names places and indicators from the data
    frozen = _frozen(values)
    still = None if frozen is None else firstview.offer(
        (chart_id, frozen, db.file_key()), view,
        default=firstview.is_top(chart_id) and registry.is_default(chart_id, values))
    wrap = ("map" if firstview.is_map(view) else "plot") if firstview.is_top(chart_id) else None
    show_chart(view.figure, key=key, on_select=on_select, still=still, wrap=wrap)
    described(view, key)
    _tools(view, chart_id, values, key)
    return view


def described(view: ChartView, key: str) -> None:
    """Under the chart: its sources, its text alternative (the summary) and its plotted values
    as a table (built only when the reader opens it)."""
    # The source line, which style.fit takes out of the live figure: as text it wraps at any
    # screen width. From source files, so plain text.
    if view.source_line:
        st.caption(md_plain(plain(view.source_line)))
    if view.summary:
        st.caption(md_plain(view.summary))
    if view.table is None:
        return
    box = st.expander(_("Data table"), icon=":material/table_rows:", key=f"{key}-table",
                      on_change="rerun")
    with box:
        if box.open:
            dataframe(view.table, hide_index=True, key=f"{key}-table-frame")


def table(frame: Any, columns: Mapping[str, Any], *, key: str, caption: str | None = None,
          empty: str | None = None, **kwargs: Any) -> Any:
    """``frame``'s ``columns`` (a mapping of ``present/tables.py``: column → header or column
    config, in display order) as a table under ``caption`` (``dataframe``: a missing text is an
    empty cell). An empty frame shows ``empty`` (if given) instead of caption and table."""
    if frame is None or frame.empty:
        if empty:
            st.caption(empty)
        return None
    if caption:
        st.caption(caption)
    shown = frame[list(columns)]
    columns = tables.translated(columns)  # headers in the reader's language
    return dataframe(shown, hide_index=True, key=key, column_config=dict(columns), **kwargs)
