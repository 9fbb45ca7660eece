"""Chart builders for referral and identification funnels (pure: DataFrames in, Figure out).

One panel per stage, stacked, each with its own y axis and unit: a screening count, a referral
count, a decision count and a share of decisions are never drawn on one axis. Within a panel
only series of one unit are drawn together (e.g. reasonable- and conclusive-grounds decisions).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trafficking import formatting, style
from trafficking.i18n import _

OTHER_COLOR = "#333333"
PANEL_HEIGHT = 230
NOTE_CHARS = 52  # source-note wrap: fits half a desktop page or a 390 px phone at 11 px
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


def funnel_chart(charted: pd.DataFrame, others: pd.DataFrame, panels: tuple[Panel, ...],
                 title: str, source: str) -> go.Figure:
    """Stacked panels, one per stage, sharing the year axis but never a y axis.

    ``charted``: one preferred row per figure (``queries.funnels.funnel``); ``others``: every
    other statement of the same figures, drawn as hollow diamonds (revisions, other pages).
    Years without a figure stay empty and are listed in the panel.
    """
    have = charted if not charted.empty else pd.DataFrame(columns=["year", "area_code",
                                                                   "indicator"])
    if have.empty:
        fig = go.Figure()
        fig.add_annotation(text=_("No figures in the database for this chart"), showarrow=False,
                           x=0.5, y=0.5, xref="paper", yref="paper",
                           font={"size": 15, "color": style.MUTED})
        fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False},
                          height=300)
        return style.source_note(fig, source)
    years = list(range(int(have["year"].min()), int(have["year"].max()) + 1))
    fig = make_subplots(rows=len(panels), cols=1, shared_xaxes=True,
                        vertical_spacing=0.13 if len(panels) > 1 else 0.0,
                        subplot_titles=[_(p.title) for p in panels])
    n_lines = 0
    in_legend: set[str] = set()  # one legend entry per label (bars and shares of one stage)
    other_shown = False
    for i, panel in enumerate(panels, start=1):
        units = set()
        percent = False
        panel_years: set[int] = set()
        top = 0.0
        for trace in panel.traces:
            rows = have[(have["area_code"] == trace.area) & (have["indicator"] == trace.indicator)]
            rows = rows.sort_values("year")
            if rows.empty:
                continue
            units |= set(rows["unit"])
            percent = rows["kind"].iloc[0] == "share"
            panel_years |= set(int(y) for y in rows["year"])
            top = max(top, float(rows["value"].max()))
            approx = rows["qualifier"].notna().tolist()
            labels = [formatting.funnel_label(v, q, percent) for v, q in zip(rows["value"], rows["qualifier"],
                                                         strict=True)]
            # Grouped bars are too narrow for their labels: values are in the hover there.
            show_labels = len(rows) <= LABEL_MAX_BARS and (trace.kind == "line" or sum(
                t.kind == "bar" for t in panel.traces) == 1)
            hover = _hover(rows, percent)
            if trace.kind == "line":
                # Every year between the first and last figure, None where a year is missing,
                # so the line breaks there instead of joining across the gap.
                span = range(int(rows["year"].min()), int(rows["year"].max()) + 1)
                at = {int(y): k for k, y in enumerate(rows["year"])}
                pick = [at.get(y) for y in span]
                fig.add_trace(go.Scatter(
                    x=list(span), y=[None if k is None else rows["value"].iloc[k] for k in pick],
                    name=_(trace.label), legendgroup=trace.label, hoverinfo="text",
                    showlegend=trace.label not in in_legend,
                    hovertext=["" if k is None else hover[k] for k in pick],
                    mode="lines+markers+text" if show_labels else "lines+markers",
                    connectgaps=False, cliponaxis=False,
                    line={"color": trace.color, "width": 2.5},
                    marker={"size": 9, "color": trace.color, "symbol": [
                        "circle" if k is None or not approx[k] else "circle-open" for k in pick]},
                    text=["" if k is None else labels[k] for k in pick] if show_labels else None,
                    # First line's labels under its points, the next one's above: two close
                    # shares stay readable.
                    textposition="top center" if n_lines % 2 else "bottom center",
                    textfont={"color": trace.color}), row=i, col=1)
                n_lines += 1
            else:
                fig.add_trace(go.Bar(
                    x=rows["year"], y=rows["value"], name=_(trace.label), legendgroup=trace.label,
                    showlegend=trace.label not in in_legend,
                    hovertext=hover, hoverinfo="text", marker={
                        "color": [pale(trace.color) if a else trace.color for a in approx],
                        "opacity": 0.9, "line": {"color": trace.color, "width": 1.5}},
                    text=labels if show_labels else None, textposition="outside",
                    cliponaxis=False), row=i, col=1)
            in_legend.add(trace.label)
            alt = others[(others["area_code"] == trace.area)
                         & (others["indicator"] == trace.indicator)] if not others.empty \
                else others
            if not alt.empty:
                top = max(top, float(alt["value"].max()))
                fig.add_trace(go.Scatter(
                    x=alt["year"], y=alt["value"], mode="markers",
                    name=_("Other statements (revisions, other pages)"),
                    legendgroup="other", showlegend=not other_shown,
                    marker={"symbol": "diamond-open", "size": 9, "color": OTHER_COLOR,
                            "line": {"width": 1.5}},
                    hovertext=_hover(alt, percent), hoverinfo="text"), row=i, col=1)
                other_shown = True
        if len(units) > 1:
            raise ValueError(f"panel {panel.title!r} mixes units {sorted(units)}")
        unit = next(iter(units), "")
        missing = [y for y in years if y not in panel_years]
        if not panel_years:
            note = _("No figure in the sources")
        elif missing:
            note = _("No figure: {years}").format(years=_spans(missing))
        else:
            note = ""
        if note:
            # Under the panel's title, where it cannot collide with bar labels.
            head = fig.layout.annotations[i - 1]
            head.update(text=f"{head.text}<br><span style='font-size:11px;color:{style.MUTED}'>"
                             f"{note}</span>")
        axis = {"title_text": formatting.lines(unit, 22), "rangemode": "tozero",
                "title_font": {"size": 12}}
        if percent:
            axis |= {"range": [0, 115], "ticksuffix": "%", "tickvals": [0, 50, 100]}
        elif top > 0:
            axis |= {"range": [0, top * 1.25]}
        fig.update_yaxes(**axis, row=i, col=1)
    # Room above the first panel's title: an exported image puts the legend under the chart
    # title, and the legend pushes the plot area down but not the title above it.
    lo, hi = fig.layout.yaxis.domain or (0.0, 1.0)
    gap = 46 / (PANEL_HEIGHT * len(panels))
    fig.update_layout(yaxis={"domain": [lo, hi - gap]})
    fig.layout.annotations[0].update(y=hi - gap)
    # Horizontal year labels, few enough to fit a phone (rotated ones run into the legend).
    step = 1 if len(years) <= 10 else 2 if len(years) <= 16 else 4
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
    plot_px = PANEL_HEIGHT * len(panels)
    fig.update_layout(title=title, height=plot_px + 80 + bottom, barmode="group",
                      legend={"orientation": "h", "x": 0, "yanchor": "top", "y": -34 / plot_px},
                      margin={"l": 70, "r": 20, "t": 80, "b": bottom})
    note.update(yanchor="top", yshift=-legend_px)
    return fig
