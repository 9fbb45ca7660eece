"""Static exports of a ChartView: PNG (16:9 and square presets), SVG, and CSV with sources.

Images are drawn by kaleido in the system Chromium (never a downloaded browser), with map
geometry read from ``static/`` and MathJax off, so exporting needs no network. Every image
carries the chart's title, its source line and the database build date inside the picture.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import html
import io
import json
import os
import re
import shutil
import struct
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from trafficking import formatting, geo, style
from trafficking.i18n import N_, _
from trafficking.present.view import SOURCE_COLUMNS, ChartView, plain
from trafficking.text import csv_safe

DEFAULT_CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Preset:
    label: str
    width: int  # layout size in CSS pixels; the file is width*scale × height*scale
    height: int
    scale: int


# Laid out at 960×540 / 540×540 and rendered at 2× so text is slide-sized, not tiny.
PRESETS: dict[str, Preset] = {
    "wide": Preset("16:9, 1920×1080", 960, 540, 2),
    "square": Preset("square, 1080×1080", 540, 540, 2),
}
FORMATS = ("png", "svg", "csv", "html")


class ExportUnavailable(RuntimeError):
    """Image export cannot run here (no Chromium, or kaleido failed)."""


def chromium_path() -> str | None:
    """The system Chromium: ``TRAFFICKING_CHROMIUM``/``BROWSER_PATH``, /usr/bin/chromium, PATH."""
    for cand in (os.environ.get("TRAFFICKING_CHROMIUM"), os.environ.get("BROWSER_PATH"),
                 DEFAULT_CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None




def _left_px(fig: go.Figure) -> int:
    """A generous estimate of the width taken by y-axis labels and title (CSS px)."""
    if not any(t.type in (None, "scatter", "bar", "heatmap") for t in fig.data):
        return 0  # maps and other charts without a y axis
    labels: list[str] = [str(t) for t in (fig.layout.yaxis.ticktext or ())]
    for trace in fig.data:
        ys = getattr(trace, "y", None)
        if ys is not None and getattr(trace, "orientation", None) != "v":
            labels += [y for y in ys if isinstance(y, str)]
    longest = max((len(part) for lab in labels for part in lab.split("<br>")), default=5)
    title = 28 if fig.layout.yaxis.title.text else 0
    return int(longest * 7.5) + 24 + title


def _fit_heatmaps(fig: go.Figure, plot_px: int) -> None:
    """A heatmap with more rows than fit the image keeps its colours but drops cell labels
    and gaps, which would otherwise pile into an unreadable smear."""
    for trace in fig.data:
        if trace.type != "heatmap" or trace.y is None:
            continue
        row_px = plot_px / max(len(trace.y), 1)
        if row_px < 13:
            trace.update(texttemplate="", xgap=0 if row_px < 4 else 1, ygap=0 if row_px < 4 else 1)


def decorate(view: ChartView, preset: Preset, built_at: str, permalink: str = "") -> go.Figure:
    """A copy of the figure sized for ``preset`` with title, source line, build date inside.

    The in-chart source note (written by ``style.source_note``) is replaced by a footer
    wrapped to the image width, so a long source list is never cut off at the edge.
    """
    fig = go.Figure(view.figure)
    fig.layout.annotations = [a for a in fig.layout.annotations
                              if a.text != view.source_line and a.name != style.SOURCE_NOTE]
    # The footer starts at the plot's left edge; wrap it to the room right of the y labels.
    room = preset.width - _left_px(fig) - (fig.layout.margin.r or 0) - 16
    chars = max(30, int(room / 6.3))  # ~6.3 px per character at 11 px
    lines = [plain(view.source_line), _("Database built {built}.").format(built=built_at)
             + (" " + _("Live view: {address}").format(address=permalink) if permalink else "")]
    footer = "<br>".join(formatting.lines(t, chars) for t in lines)
    n_lines = footer.count("<br>") + 1
    old_b = fig.layout.margin.b if fig.layout.margin.b is not None else 70
    legend = fig.layout.legend
    legend_below = legend.y is not None and legend.y < 0
    if legend_below:
        old_b = 70  # the room the builder kept under the plot for its legend is not needed
    footer_h = 15 * n_lines + 12
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    title = meta.get(style.UNWRAPPED_TITLE) or fig.layout.title.text or view.title
    title_chars = int(preset.width / 10)
    # Each of the builder's lines wrapped to the image's width.
    title = "<br>".join(formatting.lines(part, title_chars)
                        for part in re.split(r"<br\s*/?>", title, flags=re.IGNORECASE))
    t_lines = title.count("<br>") + 1
    title_px = 12 + 24 * t_lines
    top = max(fig.layout.margin.t or 0, title_px + 18)
    if legend.orientation == "h" or legend_below:
        # A horizontal legend goes just under the title (never beside it, nor between the
        # x axis and the footer); its automargin pushes the plot down by its own height.
        fig.update_layout(legend={"yref": "container", "y": 1 - (title_px + 6) / preset.height,
                                  "yanchor": "top", "x": 0, "xanchor": "left",
                                  "orientation": "h"})
    xaxis = fig.layout.xaxis
    if xaxis.side != "top":
        # Rotated tick labels would grow the bottom margin into the footer.
        dtick = xaxis.dtick
        narrow = preset.width < 700 and isinstance(dtick, int | float)
        fig.update_xaxes(tickangle=0, dtick=dtick * 2 if narrow else dtick, selector=0)
    fig.update_layout(
        width=preset.width, height=preset.height, autosize=False,
        # plotly.js anchors a multi-line title by its first line: move it down per extra line.
        title={"text": title, "x": 0.01, "xanchor": "left",
               "y": 1 - (8 + 23 * (t_lines - 1)) / preset.height, "yanchor": "top",
               "yref": "container"},
        margin={"b": old_b + footer_h, "t": top,
                "l": max(fig.layout.margin.l or 0, 12), "r": max(fig.layout.margin.r or 0, 12)},
        updatemenus=[], sliders=[],
    )
    _fit_heatmaps(fig, preset.height - top - old_b - footer_h)
    fig.add_annotation(text=footer, showarrow=False, xref="paper", yref="paper", x=0, y=0,
                       xanchor="left", yanchor="top", yshift=-old_b + 8, align="left",
                       font={"size": 11, "color": style.MUTED})
    return fig


_lock = threading.Lock()


def _opts(fmt: str, p: Preset) -> dict:
    return {"format": fmt, "width": p.width, "height": p.height,
            "scale": p.scale if fmt == "png" else 1}


def _topojson() -> str:
    return geo.STATIC_DIR.as_uri() + "/"


async def _render_all(jobs: list[tuple[go.Figure, str, Preset]], browser: str) -> list[bytes]:
    import kaleido

    async with kaleido.Kaleido(n=1, path=browser, mathjax=False) as k:
        return [await k.calc_fig(fig, opts=_opts(fmt, p), topojson=_topojson())
                for fig, fmt, p in jobs]


def render(jobs: list[tuple[go.Figure, str, Preset]]) -> list[bytes]:
    """Render decorated figures to PNG/SVG bytes with one Chromium for the whole batch."""
    browser = chromium_path()
    if browser is None:
        raise ExportUnavailable("No Chromium found (looked at TRAFFICKING_CHROMIUM, BROWSER_PATH, "
                                f"{DEFAULT_CHROMIUM} and PATH); image export needs it.")
    # Its own thread and event loop: callers may be inside Streamlit or another loop.
    with _lock, concurrent.futures.ThreadPoolExecutor(1) as pool:
        try:
            return pool.submit(asyncio.run, _render_all(jobs, browser)).result(timeout=300)
        except Exception as exc:  # kaleido/choreographer raise many types; name the cause
            raise ExportUnavailable(f"Image export failed: {type(exc).__name__}: {exc}") from exc


# The app's downloads use kaleido's own persistent server (kaleido.start_sync_server): one
# Chromium kept open in kaleido's thread saves its start-up on every click. The server has one
# results queue for all callers, so calls are serialised by _warm_lock. A call that fails or
# outlasts WARM_TIMEOUT stops the server, and the caller falls back to a one-shot Chromium.
WARM_TIMEOUT = 120.0  # s for one image, the first including Chromium's start-up
RENDER_TIMEOUT = 90.0  # s kaleido itself allows one render in the open browser
_warm_lock = threading.Lock()
_stopping: threading.Thread | None = None  # a stop still waiting for a stuck call to end


def _server():
    import kaleido

    return kaleido._global_server  # the singleton behind start_sync_server/calc_fig_sync


def _server_thread_alive() -> bool:
    # kaleido counts its server as running from start to stop even when its thread died opening
    # the browser, and a call would then wait for ever: ask the thread itself.
    thread = getattr(_server(), "_thread", None)
    return thread is not None and thread.is_alive()


def warm_running() -> bool:
    """Whether the persistent image server is up (a Chromium kept open for the next image)."""
    return _server().is_running() and _server_thread_alive()


def _stop() -> None:
    """Stop the server. kaleido's stop waits for a call in progress, which may be stuck in
    the browser: it runs in a thread, and a stop that is still waiting blocks a restart."""
    global _stopping
    import kaleido

    if _server().is_running():
        _stopping = threading.Thread(target=kaleido.stop_sync_server, daemon=True,
                                     kwargs={"silence_warnings": True}, name="kaleido-stop")
        _stopping.start()
        _stopping.join(20)


def stop_warm() -> None:
    """Close the persistent server's Chromium; the next warm image starts it again."""
    with _warm_lock:
        _stop()


def _at_exit() -> None:
    # kaleido's own exit hook joins its server thread, which never ends while a call is stuck
    # in the browser: mark it stopped so the process can still exit (the thread is a daemon).
    if _stopping is not None and _stopping.is_alive():
        _server()._initialized = False


def _warm_call(fig: go.Figure, fmt: str, p: Preset) -> bytes:
    """One image from the server, waiting at most WARM_TIMEOUT (kaleido's call has no limit)."""
    import kaleido

    box: list = []

    def call() -> None:
        try:
            box.append(kaleido.calc_fig_sync(fig, opts=_opts(fmt, p), topojson=_topojson()))
        except BaseException as exc:  # handed to the caller below
            box.append(exc)

    worker = threading.Thread(target=call, daemon=True, name="kaleido-call")
    worker.start()
    deadline = time.monotonic() + WARM_TIMEOUT
    while worker.is_alive():
        worker.join(0.1)
        if worker.is_alive() and not _server_thread_alive():
            raise ExportUnavailable("The image server stopped (its Chromium failed to start or ended).")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no image from the image server within {WARM_TIMEOUT:g} s")
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def _warm_render(jobs: list[tuple[go.Figure, str, Preset]], browser: str) -> list[bytes]:
    import kaleido

    if not _warm_lock.acquire(timeout=WARM_TIMEOUT):
        raise TimeoutError("the image server is busy")
    try:
        if _stopping is not None and _stopping.is_alive():
            raise ExportUnavailable("The image server is still stopping after a stuck image.")
        if not _server().is_running():
            kaleido.start_sync_server(n=1, path=browser, mathjax=False, timeout=RENDER_TIMEOUT,
                                      silence_warnings=True)
            # After kaleido's hook, so that it runs first (atexit runs the last one first).
            atexit.unregister(_at_exit)
            atexit.register(_at_exit)
        try:
            return [_warm_call(fig, fmt, p) for fig, fmt, p in jobs]
        except Exception:
            _stop()
            raise
    finally:
        _warm_lock.release()


def image(view: ChartView, fmt: str, preset: str, built_at: str, permalink: str = "",
          *, warm: bool = False) -> bytes:
    """One PNG or SVG of the view. ``warm``: use the persistent image server (its Chromium
    stays open for the next image); if it fails, a one-shot Chromium draws the image."""
    p = PRESETS[preset]
    job = (decorate(view, p, built_at, permalink), fmt, p)
    browser = chromium_path()
    if warm and browser is not None:
        try:
            return described(_warm_render([job], browser)[0], fmt, view)
        except Exception:  # fall back to a fresh browser below, which reports its own error
            pass
    return described(render([job])[0], fmt, view)


def _png_text(keyword: str, text: str) -> bytes:
    # iTXt, not tEXt: UTF-8, so a Chinese title or summary survives.
    body = keyword.encode("latin-1") + b"\0\0\0\0\0" + text.encode("utf-8")
    return (struct.pack(">I", len(body)) + b"iTXt" + body
            + struct.pack(">I", zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF))


def described(image_bytes: bytes, fmt: str, view: ChartView) -> bytes:
    """The image with the chart's title and summary inside it, as its text alternative: SVG
    ``<title>``/``<desc>``, PNG ``Title``/``Description`` text chunks."""
    title, summary = plain(view.title), plain(view.summary)
    if fmt == "svg":
        svg = image_bytes.decode("utf-8")
        start = svg.find(">", svg.find("<svg")) + 1
        if start <= 0:
            return image_bytes
        meta = f"<title>{html.escape(title)}</title>" + (
            f"<desc>{html.escape(summary)}</desc>" if summary else "")
        return (svg[:start] + meta + svg[start:]).encode("utf-8")
    if fmt == "png" and image_bytes[:8] == b"\x89PNG\r\n\x1a\n":
        end = image_bytes.rfind(b"IEND") - 4  # before the IEND chunk's length
        chunks = _png_text("Title", title) + (_png_text("Description", summary) if summary
                                              else b"")
        return image_bytes[:end] + chunks + image_bytes[end:]
    return image_bytes


def data_with_sources(view: ChartView) -> pd.DataFrame:
    """The chart's data; rows that name a source_id get its publisher, title, address, date."""
    data = view.data.copy()
    if "source_id" in data.columns and not view.sources.empty:
        extra = view.sources.rename(columns={c: f"source_{c}" for c in SOURCE_COLUMNS[1:]})
        data = data.merge(extra, on="source_id", how="left")
    return data


_FORMULA_AFTER_COMMA = re.compile(r',(\s*"?\s*)(?=[=+\-@])')


def csv_bytes(view: ChartView, built_at: str, permalink: str = "") -> bytes:
    """CSV: '#' header lines (title, caption, sources, build date, permalink), then the data.

    Read it back with ``pandas.read_csv(path, comment='#')``. String cells a spreadsheet would
    run as a formula start with "'" (``text.csv_safe``).
    """
    buf = io.StringIO()
    header = [_("title: {text}").format(text=view.title),
              _("caption: {text}").format(text=view.caption),
              _("source line: {text}").format(text=plain(view.source_line)),
              _("database built: {when}").format(when=built_at)]
    if permalink:
        header.append(_("live view: {address}").format(address=permalink))
    for r in view.sources.itertuples(index=False):
        header.append(_("source: {id} | {publisher} | {title} | {address} | retrieved "
                        "{retrieved}").format(
            id=r.source_id, publisher=r.publisher, title=r.title,
            address=r.address or _("no official address"), retrieved=r.retrieved_at))
    for line in header:
        # A spreadsheet splits these lines at commas too: no cell may start a formula.
        line = _FORMULA_AFTER_COMMA.sub(",\\1'", " ".join(str(line).split()))
        buf.write("# " + line + "\n")
    csv_safe(data_with_sources(view)).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def sources_csv(view: ChartView) -> bytes:
    return csv_safe(view.sources).to_csv(index=False).encode("utf-8")


def table_csv(view: ChartView) -> bytes | None:
    """The chart's data table (exactly the plotted values, headings in the reader's language)
    as CSV, or None for a chart without one. UTF-8 with a byte-order mark, so a spreadsheet
    reads Chinese headings correctly."""
    if view.table is None:
        return None
    return csv_safe(view.table).to_csv(index=False).encode("utf-8-sig")


CSV_NOTE = N_("String cells that begin with = + - @ or a tab are prefixed with ' so that a "
              "spreadsheet shows them as text.")


def metadata(view: ChartView, built_at: str, permalink: str = "") -> dict:
    """What a reader needs to reuse the chart's data: title, sources with their licences and
    retrieval dates, and the caveats that go with the figures."""
    srcs = [{c: ("" if pd.isna(v) else str(v)) for c, v in row.items()}
            for row in view.sources.to_dict("records")]
    licences = sorted({s["licence"] for s in srcs if s.get("licence")})
    return {
        "title": plain(view.title), "caption": plain(view.caption),
        "summary": plain(view.summary),
        "source_line": plain(view.source_line), "database_built": built_at,
        "live_view": permalink,
        "licence": _("Each figure keeps the licence of the source it came from: {licences}")
        .format(licences="; ".join(licences)) if licences else _("See the sources."),
        "sources": srcs,
        "caveats": [plain(view.caption), _(CSV_NOTE),
                    _("Where sources state one figure differently, the chart draws one by a "
                      "written rule; the others are listed on the dashboard's Data & sources "
                      "page.")],
        "columns": [str(c) for c in data_with_sources(view).columns],
        "rows": int(len(view.data)),
    }


def _readme(meta: dict, csv_name: str, table_name: str | None) -> str:
    lines = [f"# {meta['title']}", "", meta["caption"], "",
             "- " + _("`{file}`: the {n} rows behind the chart, each with its source (read it "
                      "with `pandas.read_csv(path, comment='#')`; column names are the "
                      "database's own)").format(file=csv_name,
                                                  n=formatting.decimal(meta["rows"]))]
    if table_name:
        lines.append("- " + _("`{file}`: the chart's data table, exactly the plotted values")
                     .format(file=table_name))
    lines += ["- " + _("`metadata.json`: title, sources, licences, retrieval dates and caveats"),
              "", _("Database built {built}.").format(built=meta["database_built"])]
    if meta["live_view"]:
        lines.append(_("Live chart: {address}").format(address=meta["live_view"]))
    lines += ["", "## " + _("Sources"), ""]
    for s in meta["sources"]:
        lines.append("- " + _("{publisher}: {title} — {address}; retrieved {retrieved}; "
                              "licence: {licence}").format(
            publisher=s.get("publisher", ""), title=s.get("title", ""),
            address=s.get("address") or _("no public address"),
            retrieved=formatting.timestamp(s.get("retrieved_at", "")),
            licence=s.get("licence") or _("not stated")))
    lines += ["", "## " + _("Caveats"), "", *[f"- {c}" for c in meta["caveats"] if c]]
    return "\n".join(lines) + "\n"


def data_zip(view: ChartView, built_at: str, permalink: str = "", stem: str = "chart") -> bytes:
    """The chart's data download, like Our World in Data's: ``<stem>.csv`` (``csv_bytes``),
    ``<stem>-table.csv`` (the data table, ``table_csv``), ``metadata.json`` and ``README.md``
    in one zip, their words in the reader's language."""
    meta = metadata(view, built_at, permalink)
    table = table_csv(view)
    table_name = f"{stem}-table.csv" if table is not None else None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{stem}.csv", csv_bytes(view, built_at, permalink))
        if table is not None:
            zf.writestr(table_name, table)
        zf.writestr("metadata.json", json.dumps(meta, indent=1, ensure_ascii=False))
        zf.writestr("README.md", _readme(meta, f"{stem}.csv", table_name))
    return buf.getvalue()
