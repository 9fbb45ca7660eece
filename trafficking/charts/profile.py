"""Profile charts: every indicator held as small multiples on one year axis (gaps stay gaps)
and a coverage strip of the years each source covers for one jurisdiction."""

from __future__ import annotations

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


def coverage(sources: pd.DataFrame) -> go.Figure:
    """Bars from first to last year of each source file used (sources: source_id, kind
    'values' or 'tiers', what: the kind in words, n, first, last)."""
    frame = sources.sort_values(["first", "source_id"])
    tiers = frame["kind"] == "tiers"
    fig = go.Figure(go.Bar(
        y=frame["source_id"], x=(frame["last"] - frame["first"] + 1), base=frame["first"] - 0.5,
        orientation="h", marker={"color": [
            style.tier_color(vocabulary.TIER_2) if t else SPARK_COLOR for t in tiers]},
        # Not colour alone: each bar says in words what it counts.
        text=[(_("{n} tiers") if t else _("{n} values")).format(n=n) for n, t in zip(
            frame["n"], tiers, strict=True)],
        textposition="outside", cliponaxis=False,
        customdata=[f"{n} {w}, {f}–{la}" if f != la else f"{n} {w}, {f}" for n, w, f, la in
                    zip(frame["n"], frame["what"], frame["first"], frame["last"], strict=True)],
        hovertemplate="%{y}<br>%{customdata}<extra></extra>"))
    lo, hi = int(frame["first"].min()), int(frame["last"].max())
    fig.update_layout(title=_("Years each source covers"),
                      height=max(200, 36 * len(frame) + 110),
                      yaxis={"type": "category", "autorange": "reversed"},
                      xaxis={"tickformat": "d", "title": _("year"),
                             "range": [lo - 1, hi + max(4, (hi - lo) // 4)]},
                      showlegend=False, margin={"l": 10, "r": 10, "t": 50, "b": 40})
    return fig
