"""Profile charts: every indicator held as small multiples on one year axis (gaps stay gaps)
and a coverage strip of the years each source covers for one jurisdiction."""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trafficking import formatting, style, vocabulary
from trafficking.charts.compare import gap_filled
from trafficking.i18n import _
from trafficking.text import plotly_plain

SPARK_COLOR = "#0072B2"


PANEL_PX = 80  # one indicator's panel: readable in a 1080 px tall export of ten panels
TITLE_CHARS = 50  # a panel title's line: fits a 390 px wide phone screen at 12 px
ID_CHARS = 48  # a source id's line above its bar: fits a 390 px phone at 12 px
ID_LINE_PX = 15
BAR_PX = 16


def small_multiples(rows: pd.DataFrame, panels: pd.DataFrame, source: str = "") -> go.Figure:
    """One small panel per indicator held, all on one year axis (gaps stay gaps).

    ``rows``: charted values (series, indicator, year, value, qualifier); ``panels``: one row
    per series in drawing order (series, name, unit, year, value, qualifier: the latest).
    Each edition (indicator code) is its own segment; missing years are None, so they show as
    gaps; a value without a number is a hollow mark at the foot of its panel with its
    qualifier in the hover. Each panel's y axis is its own (units differ).
    """
    n = max(len(panels), 1)
    # Wrapped, so a title fits a phone-wide chart; the latest value on a line of its own.
    titles = ["<br>".join(textwrap.wrap(plotly_plain(f"{p['name']} ({p['unit']})"),
                                        TITLE_CHARS) + [plotly_plain(
        _("latest {value} ({year})").format(value=formatting.number(p["value"], p["qualifier"]),
                                            year=int(p["year"])))])
              for _row, p in panels.iterrows()]
    title_px = 17 * max((t.count("<br>") + 1 for t in titles), default=1) + 8
    plot_px = n * PANEL_PX + (n - 1) * title_px
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True, subplot_titles=titles or None,
                        vertical_spacing=title_px / plot_px if n > 1 else 0)
    years = rows["year"].astype(int) if len(rows) else pd.Series([], dtype=int)
    for i, series in enumerate(panels["series"], start=1):
        part = rows[rows["series"] == series]
        for _code, seg in part.groupby("indicator", sort=False):
            xs, ys = gap_filled(seg)
            by_year = {int(r.year): r for r in seg.itertuples()}
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines+markers", connectgaps=False,
                line={"color": SPARK_COLOR, "width": 2}, marker={"size": 6, "color": SPARK_COLOR},
                text=[plotly_plain(f"{y}: " + (formatting.number(by_year[y].value, by_year[y].qualifier)
                                               if y in by_year else _("no value"))) for y in xs],
                hovertemplate="%{text}<extra></extra>", showlegend=False,
                meta={"series": series}), row=i, col=1)
        empty = part[part["value"].isna()]
        if not empty.empty:
            fig.add_trace(go.Scatter(
                x=empty["year"], y=[0] * len(empty), mode="markers",
                marker={"symbol": "diamond-open", "size": 8, "color": style.MUTED},
                text=[plotly_plain(f"{int(y)}: {q or _('no number')}") for y, q in zip(
                    empty["year"], empty["qualifier"], strict=True)],
                hovertemplate="%{text}<extra></extra>", showlegend=False,
                meta={"series": series}), row=i, col=1)
        fig.update_yaxes(rangemode="tozero", nticks=3, row=i, col=1)
    for note in fig.layout.annotations:  # subplot titles: small, left-aligned over each panel
        note.update(x=0, xanchor="left", align="left", font={"size": 12})
    if len(years):
        fig.update_xaxes(range=[int(years.min()) - 0.5, int(years.max()) + 0.5], tickformat="d")
    fig.update_layout(height=plot_px + title_px + 110, showlegend=False, hovermode="closest",
                      margin={"l": 10, "r": 10, "t": title_px + 10, "b": 100})
    return style.source_note(fig, source) if source else fig


def _id_lines(source_id: str, width: int = ID_CHARS) -> list[str]:
    """A source id in lines of at most ``width`` characters, broken after a '/' (an id has no
    spaces); a longer part stays whole."""
    lines = [""]
    for part in str(source_id).split("/"):
        piece = part if lines == [""] else "/" + part
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines[-1] += "/" if piece.startswith("/") else ""
            lines.append(piece.lstrip("/"))
        else:
            lines[-1] += piece
    return lines


def coverage(sources: pd.DataFrame) -> go.Figure:
    """Bars from first to last year of each source file used (sources: source_id, kind
    'values' or 'tiers', what: the kind in words, n, first, last).

    Each source id is written above its bar rather than as a tick label beside it: ids run
    to 70 characters, more than a phone leaves a label left of the plot."""
    frame = sources.sort_values(["first", "source_id"])
    tiers = frame["kind"] == "tiers"
    labels = [_id_lines(s) for s in frame["source_id"]]
    lines = max((len(x) for x in labels), default=1)
    row_px = BAR_PX + ID_LINE_PX * lines + 12
    fig = go.Figure(go.Bar(
        y=frame["source_id"], x=(frame["last"] - frame["first"] + 1), base=frame["first"] - 0.5,
        orientation="h", width=BAR_PX / row_px, marker={"color": [
            style.tier_color(vocabulary.TIER_2) if t else SPARK_COLOR for t in tiers]},
        # Not colour alone: each bar says in words what it counts.
        text=[(_("{n} tiers") if t else _("{n} values")).format(n=n) for n, t in zip(
            frame["n"], tiers, strict=True)],
        textposition="outside", cliponaxis=False, textfont={"size": 12},
        customdata=[f"{n} {w}, {f}–{la}" if f != la else f"{n} {w}, {f}" for n, w, f, la in
                    zip(frame["n"], frame["what"], frame["first"], frame["last"], strict=True)],
        hovertemplate="%{y}<br>%{customdata}<extra></extra>"))
    for source_id, label in zip(frame["source_id"], labels, strict=True):
        fig.add_annotation(
            text="<br>".join(html.escape(line) for line in label), x=0, xref="paper",
            xanchor="left", y=source_id, yref="y", yanchor="bottom", yshift=BAR_PX / 2 + 1,
            align="left", showarrow=False, font={"size": 12, "color": style.INK})
    lo, hi = int(frame["first"].min()), int(frame["last"].max())
    fig.update_layout(title=_("Years each source covers"),
                      height=max(200, row_px * len(frame) + 110),
                      yaxis={"type": "category", "autorange": "reversed",
                             "showticklabels": False},
                      # Room right of the latest bar for its words ('15 values') on a phone.
                      xaxis={"tickformat": "d", "title": _("year"),
                             "range": [lo - 1, hi + max(7, (hi - lo) // 3)]},
                      # The left margin holds half the first year label under the axis.
                      showlegend=False, margin={"l": 24, "r": 10, "t": 50, "b": 40})
    return fig
