"""Chart builders for referral and identification funnels (pure: DataFrames in, Figure out).

One panel per stage, stacked, each with its own y axis and unit: a screening count, a referral
count, a decision count and a share of decisions are never drawn on one axis. Within a panel
only series of one unit are drawn together (e.g. reasonable- and conclusive-grounds decisions).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trafficking import formatting, style
from trafficking.i18n import _

OTHER_COLOR = "#333333"
PANEL_HEIGHT = 230
NOTE_CHARS = 52  # source-note wrap: fits half a desktop page or a 390 px phone at 11 px
# A panel's title (13 px) and its no-figure line (11 px), in display units: no wider than the
# plot area (~225 px on a phone or in half a desktop page), so neither runs off the chart's
# edge nor reaches the y axis's top tick label beside it.
HEAD_UNITS = 34
HEAD_NOTE_UNITS = 40
MAX_YEAR_LABELS = 7  # level year labels that fit that width
LABEL_MAX_BARS = 9  # more bars than this in a panel: values in the hover only (labels collide)


@dataclass(frozen=True)
class Trace:
    """One series in a panel: the (area, indicator) figure, its legend label and colour."""

    area: str
    indicator: str
    label: str
    color: str
    kind: str = "bar"  # 'bar' or 'line'


@dataclass(frozen=True)
class Panel:
    """One stage of a funnel; every trace in it must share one unit (checked)."""

    title: str
    traces: tuple[Trace, ...]




def pale(color: str, keep: float = 0.3) -> str:
    """``color`` ('#RRGGBB') mixed with white: the fill of a rounded or bounded figure."""
    r, g, b = (int(color[k:k + 2], 16) for k in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02X}" for c in (r, g, b))




def _spans(years: list[int]) -> str:
    """'2010–2020, 2022' from a sorted list of years."""
    out: list[str] = []
    start = prev = None
    for y in years:
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            out.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = y
    if start is not None:
        out.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(out)


def _hover(rows: pd.DataFrame, percent: bool) -> list[str]:
    out = []
    for r in rows.itertuples(index=False):
        label = formatting.funnel_label(r.value, r.qualifier, percent)
        parts = [f"<b>{int(r.year)}: {html.escape(label)}</b>",
                 formatting.hover(r.indicator_name)]
        if isinstance(r.edition, str) and r.edition:
            parts.append(_("Stated in: {edition}").format(edition=formatting.hover(r.edition)))
        if isinstance(r.preferred_reason, str) and r.preferred_reason:
            parts.append(formatting.hover(r.preferred_reason))
        parts.append("“" + formatting.hover(r.quote) + "”")
        if isinstance(r.cited_url, str):
            parts.append(html.escape(r.cited_url[:90]))
        out.append("<br>".join(p for p in parts if p))
    return out


@dataclass
class _Legend:
    """What the panels drawn so far put in the legend (one entry per label across panels)."""

    labels: set[str] = field(default_factory=set)
    other_shown: bool = False
    n_lines: int = 0


@dataclass
class _Drawn:
    """What one panel's traces hold: their units, whether they are shares, top value."""

    units: set[str] = field(default_factory=set)
    percent: bool = False
    top: float = 0.0


def funnel_chart(charted: pd.DataFrame, others: pd.DataFrame, panels: tuple[Panel, ...],
                 title: str, source: str) -> go.Figure:
    """Stacked panels, one per stage, sharing the year axis but never a y axis.

    ``charted``: one preferred row per figure (``queries.funnels.funnel``); ``others``: every
    other statement of the same figures, drawn as hollow diamonds (revisions, other pages).
    Years without a figure stay empty and are listed in the panel.
    """
    if charted.empty:
        return _empty(title, source)
    years = list(range(int(charted["year"].min()), int(charted["year"].max()) + 1))
    heads = [_heading(p, years, charted) for p in panels]
    # Between two panels, room for the lower one's heading and the upper one's tick marks
    # (it has no year labels) with a line's gap.
    spacing = max([0.13] + [(_head_px(h) + 30) / (PANEL_HEIGHT * len(panels))
                            for h in heads[1:]]) if len(panels) > 1 else 0.0
    fig = make_subplots(rows=len(panels), cols=1, shared_xaxes=True,
                        vertical_spacing=spacing, subplot_titles=heads)
    legend = _Legend()
    for i, panel in enumerate(panels, start=1):
        drawn = _Drawn()
        for trace in panel.traces:
            _draw_trace(fig, i, panel, trace, charted, others, legend, drawn)
        if len(drawn.units) > 1:
            raise ValueError(f"panel {panel.title!r} mixes units {sorted(drawn.units)}")
        _panel_axis(fig, i, drawn)
    return _layout(fig, len(panels), years, title, source)


def _empty(title: str, source: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=_("No figures in the database for this chart"), showarrow=False,
                       x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": 15, "color": style.MUTED})
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False},
                      height=300)
    return style.source_note(fig, source)


def _draw_trace(fig: go.Figure, i: int, panel: Panel, trace: Trace, charted: pd.DataFrame,
                others: pd.DataFrame, legend: _Legend, drawn: _Drawn) -> None:
    """One series of panel ``i`` (bars or a line) and its other statements as diamonds."""
    rows = charted[(charted["area_code"] == trace.area)
                   & (charted["indicator"] == trace.indicator)].sort_values("year")
    if rows.empty:
        return
    drawn.units |= set(rows["unit"])
    percent = drawn.percent = rows["kind"].iloc[0] == "share"
    drawn.top = max(drawn.top, float(rows["value"].max()))
    labels = [formatting.funnel_label(v, q, percent)
              for v, q in zip(rows["value"], rows["qualifier"], strict=True)]
    # Grouped bars are too narrow for their labels: values are in the hover there.
    show_labels = len(rows) <= LABEL_MAX_BARS and (trace.kind == "line" or sum(
        t.kind == "bar" for t in panel.traces) == 1)
    shown = labels if show_labels else None
    make = _line if trace.kind == "line" else _bars
    fig.add_trace(make(rows, trace, shown, _hover(rows, percent), legend), row=i, col=1)
    legend.labels.add(trace.label)
    alt = others[(others["area_code"] == trace.area)
                 & (others["indicator"] == trace.indicator)] if not others.empty else others
    if not alt.empty:
        drawn.top = max(drawn.top, float(alt["value"].max()))
        fig.add_trace(go.Scatter(
            x=alt["year"], y=alt["value"], mode="markers",
            name=_("Other statements (revisions, other pages)"),
            legendgroup="other", showlegend=not legend.other_shown,
            marker={"symbol": "diamond-open", "size": 9, "color": OTHER_COLOR,
                    "line": {"width": 1.5}},
            hovertext=_hover(alt, percent), hoverinfo="text"), row=i, col=1)
        legend.other_shown = True


def _line(rows: pd.DataFrame, trace: Trace, labels: list[str] | None, hover: list[str],
          legend: _Legend) -> go.Scatter:
    # Every year between the first and last figure, None where a year is missing, so the
    # line breaks there instead of joining across the gap.
    approx = rows["qualifier"].notna().tolist()
    span = range(int(rows["year"].min()), int(rows["year"].max()) + 1)
    at = {int(y): k for k, y in enumerate(rows["year"])}
    pick = [at.get(y) for y in span]
    line = go.Scatter(
        x=list(span), y=[None if k is None else rows["value"].iloc[k] for k in pick],
        name=_(trace.label), legendgroup=trace.label, hoverinfo="text",
        showlegend=trace.label not in legend.labels,
        hovertext=["" if k is None else hover[k] for k in pick],
        mode="lines+markers+text" if labels else "lines+markers",
        connectgaps=False, cliponaxis=False,
        line={"color": trace.color, "width": 2.5},
        marker={"size": 9, "color": trace.color, "symbol": [
            "circle" if k is None or not approx[k] else "circle-open" for k in pick]},
        # The first and the latest figure only: the labels of neighbouring years met each
        # other (every figure is in the hover and the data table).
        text=["" if k is None or 0 < k < len(rows) - 1 else labels[k] for k in pick]
        if labels else None,
        # First line's labels under its points, the next one's above: two close shares stay
        # readable.
        textposition="top center" if legend.n_lines % 2 else "bottom center",
        textfont={"color": trace.color})
    legend.n_lines += 1
    return line


def _bars(rows: pd.DataFrame, trace: Trace, labels: list[str] | None, hover: list[str],
          legend: _Legend) -> go.Bar:
    approx = rows["qualifier"].notna().tolist()
    return go.Bar(
        x=rows["year"], y=rows["value"], name=_(trace.label), legendgroup=trace.label,
        showlegend=trace.label not in legend.labels,
        hovertext=hover, hoverinfo="text", marker={
            "color": [pale(trace.color) if a else trace.color for a in approx],
            "opacity": 0.9, "line": {"color": trace.color, "width": 1.5}},
        text=labels, textposition="outside", cliponaxis=False)


def _heading(panel: Panel, years: list[int], charted: pd.DataFrame) -> str:
    """The panel's title and, under it, the years it has no figure for (there they cannot
    collide with bar labels), each wrapped to the plot's width on a phone."""
    pairs = {(t.area, t.indicator) for t in panel.traces}
    drawn = charted[[pair in pairs for pair in zip(charted["area_code"], charted["indicator"],
                                                   strict=True)]]
    panel_years = {int(y) for y in drawn["year"]}
    missing = [y for y in years if y not in panel_years]
    lines = style.wrap(_(panel.title), HEAD_UNITS)
    if not panel_years:
        note = _("No figure in the sources")
    elif missing:
        note = _("No figure: {years}").format(years=_spans(missing))
    else:
        return "<br>".join(lines)
    return "<br>".join(lines + [f"<span style='font-size:11px;color:{style.MUTED}'>{line}</span>"
                                for line in style.wrap(note, HEAD_NOTE_UNITS)])


def _head_px(head: str) -> int:
    """A heading's height: 17 px a title line (13 px), 15 px a no-figure line (11 px)."""
    lines = head.split("<br>")
    notes = sum("font-size:11px" in line for line in lines)
    return 17 * (len(lines) - notes) + 15 * notes


def _panel_axis(fig: go.Figure, i: int, drawn: _Drawn) -> None:
    unit = next(iter(drawn.units), "")
    axis = {"title_text": formatting.lines(unit, 22), "rangemode": "tozero",
            "title_font": {"size": 12}}
    if drawn.percent:
        axis |= {"range": [0, 115], "ticksuffix": "%", "tickvals": [0, 50, 100]}
    elif drawn.top > 0:
        axis |= {"range": [0, drawn.top * 1.25]}
    fig.update_yaxes(**axis, row=i, col=1)


def _layout(fig: go.Figure, n_panels: int, years: list[int], title: str,
            source: str) -> go.Figure:
    # Room above the first panel's title: an exported image puts the legend under the chart
    # title, and the legend pushes the plot area down but not the title above it.
    lo, hi = fig.layout.yaxis.domain or (0.0, 1.0)
    gap = (14 + _head_px(fig.layout.annotations[0].text)) / (PANEL_HEIGHT * n_panels)
    fig.update_layout(yaxis={"domain": [lo, hi - gap]})
    fig.layout.annotations[0].update(y=hi - gap)
    # Horizontal year labels, few enough to fit a phone (rotated ones run into the legend).
    step = next((k for k in (1, 2, 4, 5, 10) if -(-len(years) // k) <= MAX_YEAR_LABELS), 20)
    fig.update_xaxes(dtick=step, tickangle=0, range=[years[0] - 0.6, years[-1] + 0.6])
    fig.update_annotations(font_size=13, selector={"xref": "paper", "yref": "paper"})
    # The legend sits under the x axis and the source note under the legend: the bottom
    # margin holds the tick labels, one legend row per entry (a narrow screen wraps them all)
    # and the note, wrapped narrow enough for a phone or half a page.
    entries = sum(1 for t in fig.data if t.showlegend is not False)
    legend_px = 44 + 30 * entries
    fig = style.source_note(fig, source, width=NOTE_CHARS)
    note = fig.layout.annotations[-1]
    bottom = legend_px + 14 * (note.text.count("<br>") + 1) + 24
    plot_px = PANEL_HEIGHT * n_panels
    fig.update_layout(title=title, height=plot_px + 80 + bottom, barmode="group",
                      legend={"orientation": "h", "x": 0, "yanchor": "top", "y": -34 / plot_px},
                      margin={"l": 70, "r": 20, "t": 80, "b": bottom})
    note.update(yanchor="top", yshift=-legend_px)
    return fig
