"""Profile charts: a sparkline per indicator (gaps stay gaps) and a coverage strip of the
years each source covers for one jurisdiction."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from trafficking import style
from trafficking.charts.compare import fmt, gap_filled

SPARK_COLOR = "#0072B2"


def sparkline(rows: pd.DataFrame, *, first_year: int | None = None,
              last_year: int | None = None) -> go.Figure:
    """A small line of one series' charted values (rows: year, value, qualifier, indicator).

    Each edition (indicator code) is its own segment; missing years are None, so they show as
    gaps. A value without a number is a hollow mark on the axis with its qualifier in the
    hover. ``first_year``/``last_year`` fix the x-range so sparklines line up.
    """
    # Built in one go (no add_trace/update_layout): each update re-walks the template, which
    # costs a tenth of a second per call and a profile page draws one sparkline per indicator.
    traces: list[go.Scatter] = []
    for _, part in rows.groupby("indicator", sort=False):
        xs, ys = gap_filled(part)
        by_year = {int(r.year): r for r in part.itertuples()}
        traces.append(go.Scatter(
            x=xs, y=ys, mode="lines+markers", connectgaps=False,
            line={"color": SPARK_COLOR, "width": 2}, marker={"size": 6, "color": SPARK_COLOR},
            text=[f"{y}: " + (fmt(by_year[y].value, by_year[y].qualifier) if y in by_year
                              else "no value") for y in xs],
            hovertemplate="%{text}<extra></extra>", showlegend=False))
    empty = rows[rows["value"].isna()]
    if not empty.empty:
        traces.append(go.Scatter(
            x=empty["year"], y=[0] * len(empty), mode="markers", yaxis="y2",
            marker={"symbol": "diamond-open", "size": 8, "color": style.MUTED},
            text=[f"{int(y)}: {q or 'no number'}" for y, q in zip(
                empty["year"], empty["qualifier"], strict=True)],
            hovertemplate="%{text}<extra></extra>", showlegend=False))
    xr = None
    if first_year is not None and last_year is not None:
        xr = [first_year - 1, last_year + 1]
    return go.Figure(data=traces, layout={
        "height": 70, "margin": {"l": 0, "r": 0, "t": 4, "b": 4}, "showlegend": False,
        "xaxis": {"visible": False, "range": xr},
        "yaxis": {"visible": False, "rangemode": "tozero"},
        "yaxis2": {"visible": False, "overlaying": "y", "range": [0, 1]},
        "plot_bgcolor": "white", "hovermode": "closest"})


def coverage(sources: pd.DataFrame) -> go.Figure:
    """Bars from first to last year of each source file used (sources: source_id, what, n,
    first, last)."""
    frame = sources.sort_values(["first", "source_id"])
    fig = go.Figure(go.Bar(
        y=frame["source_id"], x=(frame["last"] - frame["first"] + 1), base=frame["first"] - 0.5,
        orientation="h", marker={"color": [
            style.TIER_COLORS["Tier 2"] if "tier" in w else SPARK_COLOR for w in frame["what"]]},
        text=[f"{n} {'tiers' if 'tier' in w else 'values'}" for n, w in zip(
            frame["n"], frame["what"], strict=True)],
        textposition="outside", cliponaxis=False,
        customdata=[f"{n} {w}, {f}–{la}" if f != la else f"{n} {w}, {f}" for n, w, f, la in
                    zip(frame["n"], frame["what"], frame["first"], frame["last"], strict=True)],
        hovertemplate="%{y}<br>%{customdata}<extra></extra>"))
    lo, hi = int(frame["first"].min()), int(frame["last"].max())
    fig.update_layout(title="Years each source covers", height=max(200, 36 * len(frame) + 110),
                      yaxis={"type": "category", "autorange": "reversed"},
                      xaxis={"tickformat": "d", "title": "year",
                             "range": [lo - 1, hi + max(4, (hi - lo) // 4)]},
                      showlegend=False, margin={"l": 10, "r": 10, "t": 50, "b": 40})
    return fig
