"""Compare charts: lines over years (one panel per unit, tiers on the same timeline) and a
latest-year ranking.

Input rows are the charted observations from ``trafficking.queries.compare`` with columns
series, indicator, edition, area_code, year, value, qualifier, segment, source_id. Missing
years are drawn as gaps (``None`` and ``connectgaps=False``), never as zeros; a value stated
without a number (e.g. 'suppressed (<5)') is drawn as a labelled mark at the foot of its
panel, never at a guessed height; each edition or definition is its own line segment.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trafficking import formatting, style
from trafficking.i18n import _, ngettext
from trafficking.text import plotly_plain

COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
          "#F0E442", "#882255", "#44AA99"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]
SYMBOLS = ["circle", "diamond", "square", "triangle-up", "cross"]
TIER_ROW_HEIGHT = 34
MAX_LABELLED = 6  # values without a number labelled in full; more get a bare mark




def gap_filled(part: pd.DataFrame) -> tuple[list[int], list[float | None]]:
    """Years from first to last of one segment, with None at every year without a number."""
    years = sorted(int(y) for y in part["year"])
    if not years:
        return [], []
    by_year = {int(y): (None if pd.isna(v) else float(v))
               for y, v in zip(part["year"], part["value"], strict=True)}
    xs = list(range(years[0], years[-1] + 1))
    return xs, [by_year.get(y) for y in xs]


def _symbols(part: pd.DataFrame, xs: Sequence[int], base: str) -> list[str]:
    """Open markers for values with a qualifier ('approximately', 'more than' ...)."""
    qualified = {int(y) for y, v, q in zip(part["year"], part["value"], part["qualifier"],
                                           strict=True) if pd.notna(v) and pd.notna(q) and q}
    return [f"{base}-open" if x in qualified else base for x in xs]


def _hover(part: pd.DataFrame, xs: Sequence[int]) -> list[str]:
    rows = {int(r.year): r for r in part.itertuples()}
    out = []
    for y in xs:
        r = rows.get(y)
        if r is None:
            out.append(_("{year}: no value in the database").format(year=y))
            continue
        n = int(getattr(r, "n_alternatives", 0) or 0)
        extra = "<br>" + ngettext("{n} other statement: see the table",
                                  "{n} other statements: see the table", n).format(n=n) if n else ""
        out.append(f"{y}: {formatting.number(r.value, r.qualifier)}<br>"
                   + _("Source: {source}").format(source=r.source_id) + extra)
    return out


def line_chart(frame: pd.DataFrame, *, area_names: Mapping[str, str],
               series_names: Mapping[str, str], panel_units: Mapping[str, str],
               breaks: pd.DataFrame | None = None, tiers: pd.DataFrame | None = None,
               log: bool = False, source: str = "") -> go.Figure:
    """Lines over years, one panel per unit (``panel_units``: series → unit label).

    ``tiers`` (iso3, name, report_year, tier, source_id) adds a bottom row with each
    jurisdiction's TIP tier on the same year axis.
    """
    # Place, indicator and unit names reach legends, hovers and panel titles as Plotly text.
    area_names = {k: plotly_plain(v) for k, v in area_names.items()}
    series_names = {k: plotly_plain(v) for k, v in series_names.items()}
    panel_units = {k: plotly_plain(v) for k, v in panel_units.items()}
    if tiers is not None and not tiers.empty:
        tiers = tiers.assign(name=tiers["name"].map(plotly_plain))
    units = list(dict.fromkeys(panel_units[s] for s in series_names if s in panel_units))
    units = units or [_("value")]
    has_tiers = tiers is not None and not tiers.empty
    n_tier_rows = tiers["iso3"].nunique() if has_tiers else 0
    rows = len(units) + (1 if has_tiers else 0)
    heights = [300] * len(units) + ([max(90, TIER_ROW_HEIGHT * n_tier_rows + 40)]
                                    if has_tiers else [])
    titles = [u[:1].upper() + u[1:] for u in units] + ([_("TIP report tier")] if has_tiers else [])
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, row_heights=heights,
                        vertical_spacing=0.08 if rows > 1 else 0.02, subplot_titles=titles)
    area_color = {a: COLORS[i % len(COLORS)] for i, a in enumerate(area_names)}
    series_dash: dict[str, str] = {}
    for unit in units:
        in_unit = [s for s in series_names if panel_units.get(s) == unit]
        for i, s in enumerate(in_unit):
            series_dash[s] = DASHES[i % len(DASHES)]
    multi_series = len(series_names) > 1
    # Many values without a number: a bare ◇ each (details on hover), not overlapping labels.
    compact = int((frame["value"].isna() & frame["qualifier"].notna()).sum()) > MAX_LABELLED

    # Traces in the reader's order: indicators as chosen, places as chosen.
    s_rank = {s: i for i, s in enumerate(series_names)}
    a_rank = {a: i for i, a in enumerate(area_names)}
    groups = sorted(frame.groupby(["series", "area_code"], sort=False),
                    key=lambda g: (s_rank.get(g[0][0], 99), a_rank.get(g[0][1], 99)))
    for (series, area), part in groups:
        row = units.index(panel_units.get(series, units[0])) + 1
        name = area_names.get(area, area)
        label = f"{name} — {series_names.get(series, series)}" if multi_series else name
        segments = sorted(part["segment"].unique()) if "segment" in part else [0]
        for k, seg in enumerate(segments):
            seg_part = part[part["segment"] == seg] if "segment" in part else part
            xs, ys = gap_filled(seg_part)
            edition = str(seg_part["edition"].iloc[0] or "") if "edition" in seg_part else ""
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines+markers", connectgaps=False,
                name=label + (f" ({edition})" if edition and len(segments) > 1 else ""),
                showlegend=True,
                line={"color": area_color.get(area), "dash": series_dash.get(series, "solid"),
                      "width": 2.2},
                marker={"size": 8, "symbol": _symbols(seg_part, xs, SYMBOLS[k % len(SYMBOLS)]),
                        "color": area_color.get(area)},
                text=_hover(seg_part, xs), hovertemplate="<b>" + label + "</b><br>%{text}"
                "<extra></extra>",
                meta={"series": series, "area_code": area, "segment": int(seg)},
            ), row=row, col=1)
        _suppressed_marks(fig, part, row, label, area_color.get(area, style.INK), compact)

    if breaks is not None:
        for _i, b in breaks.iterrows():
            if b["series"] not in panel_units:
                continue
            row = units.index(panel_units[b["series"]]) + 1
            fig.add_vline(x=int(b["year"]) - 0.5, row=row, col=1, line_dash="dot",
                          line_color=style.MUTED, line_width=1.5)
            yref = "y domain" if row == 1 else f"y{row} domain"
            xref = "x" if row == 1 else f"x{row}"
            fig.add_annotation(x=int(b["year"]) - 0.5, y=1.0, xref=xref, yref=yref,
                               text="⟂ " + str(b["label"]), hovertext=str(b["text"]),
                               textangle=-90, showarrow=False, xanchor="right", yanchor="top",
                               font={"size": 11, "color": style.MUTED},
                               bgcolor="rgba(255,255,255,0.8)")

    if has_tiers:
        _tier_row(fig, tiers, rows)
    for r in range(1, len(units) + 1):
        fig.update_yaxes(type="log" if log else "linear", rangemode="normal" if log else "tozero",
                         row=r, col=1)
    fig.update_xaxes(dtick=1 if _span(frame, tiers) <= 12 else None, tickformat="d")
    # The legend sits above the panels (the source note takes the foot): leave it room,
    # about two entries per line.
    n_entries = sum(1 for t in fig.data if t.showlegend is not False)
    legend_px = 26 * math.ceil(n_entries / 2) + 10
    fig.update_layout(height=sum(heights) + 110 + legend_px, hovermode="closest",
                      legend={"orientation": "h", "yref": "container", "y": 1,
                              "yanchor": "top", "x": 0},
                      margin={"t": 30 + legend_px, "b": 80})
    return style.source_note(fig, source) if source else fig


def _span(frame: pd.DataFrame, tiers: pd.DataFrame | None) -> int:
    years = list(frame["year"]) + (list(tiers["report_year"]) if tiers is not None else [])
    return (max(years) - min(years)) if years else 0


def _suppressed_marks(fig: go.Figure, part: pd.DataFrame, row: int, label: str,
                      color: str, compact: bool = False) -> None:
    """A labelled mark at the foot of the panel for each value given without a number."""
    held = part[part["value"].isna() & part["qualifier"].notna()]
    yref = "y domain" if row == 1 else f"y{row} domain"
    xref = "x" if row == 1 else f"x{row}"
    for _i, r in held.iterrows():
        fig.add_annotation(x=int(r["year"]), y=0.02, xref=xref, yref=yref, showarrow=False,
                           text="◇" if compact else f"◇ {r['qualifier']}", yanchor="bottom",
                           hovertext=_("{series}, {year}: {qualifier} — no number published. "
                                       "Source: {source}").format(
                               series=label, year=int(r["year"]), qualifier=r["qualifier"],
                               source=r["source_id"]),
                           font={"size": 10, "color": color},
                           textangle=0 if compact else -90)


def _tier_row(fig: go.Figure, tiers: pd.DataFrame, row: int) -> None:
    names = list(dict.fromkeys(tiers.sort_values("name")["name"]))
    for tier in style.TIER_ORDER:
        part = tiers[tiers["tier"] == tier]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["report_year"], y=part["name"], mode="markers",
            name=_("TIP: {tier}").format(tier=_(style.tier_label(tier))),
            marker={"symbol": "square", "size": 13, "color": style.tier_color(tier),
                    "line": {"color": "#5B6B7C" if tier == style.UNRESOLVED else "white",
                             "width": 1}},
            text=[_("{place}, TIP report {year}: {tier}").format(
                place=n, year=y, tier=_(style.tier_label(t)))
                + "<br>" + _("Source: {source}").format(source=s)
                for n, y, t, s in zip(part["name"], part["report_year"], part["tier"],
                                      part["source_id"], strict=True)],
            hovertemplate="%{text}<extra></extra>",
        ), row=row, col=1)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=names[::-1],
                     showgrid=False, row=row, col=1)


def ranking_chart(latest: pd.DataFrame, *, area_names: Mapping[str, str], title: str,
                  unit: str, source: str = "") -> go.Figure:
    """Horizontal bars of each place's latest value (its year in the label); a place whose
    latest value has no number is listed with its qualifier instead of a bar."""
    frame = latest.copy()
    frame["name"] = frame["area_code"].map(lambda a: plotly_plain(area_names.get(a, a)))
    title, unit = plotly_plain(title), plotly_plain(unit)
    with_value = frame[frame["value"].notna()].sort_values("value", ascending=True)
    without = frame[frame["value"].isna()]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=with_value["value"], y=with_value["name"], orientation="h",
        marker={"color": style.TIER_COLORS["Tier 1"]},
        text=[f"{formatting.number(v, q)} ({int(y)})" for v, q, y in zip(
            with_value["value"], with_value["qualifier"], with_value["year"], strict=True)],
        textposition="outside", cliponaxis=False, name="",
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    if not without.empty:
        no_number = _("no number")
        fig.add_trace(go.Scatter(
            x=[0] * len(without), y=without["name"], mode="markers+text",
            marker={"symbol": "diamond-open", "size": 10, "color": style.MUTED},
            text=[f"{q or no_number} ({int(y)})" for q, y in zip(
                without["qualifier"], without["year"], strict=True)],
            textposition="middle right", name="", hoverinfo="text"))
    order = list(without["name"]) + list(with_value["name"])
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order)
    fig.update_layout(title=title, showlegend=False, xaxis_title=unit,
                      height=max(220, 34 * len(frame) + 150),
                      margin={"l": 10, "r": 90, "t": 50, "b": 90})
    return style.source_note(fig, source) if source else fig
