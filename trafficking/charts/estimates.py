"""Charts for the global estimates and the Global Slavery Index: pure functions, frame in,
figure out.

Counts, shares and rates per 1,000 never share an axis: each builder takes one kind, or (the
regional chart) puts counts and rates in separate panels with their own axes. Every bar's hover
shows the figure as quoted (with 'approximately' / 'more than'), the reference year, the
source file and the sentence it comes from.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trafficking import formatting, style
from trafficking.geo import RESOLUTION
from trafficking.i18n import N_, _

MEASURE_COLORS = {
    "modern_slavery": "#0072B2",
    "forced_labour": "#E69F00",
    "forced_labour_private": "#F0B84D",
    "forced_marriage": "#009E73",
}
NO_ESTIMATE_COLOR = "#BDBDBD"
# Prevalence classes (per 1,000) for the map: readable steps instead of a scale that North
# Korea (104.6) and Eritrea (90.3) would stretch until every other country looks the same.
PREVALENCE_BINS = [0, 2, 4, 6, 10, 20, np.inf]
PREVALENCE_LABELS = [N_("under 2"), "2 – 4", "4 – 6", "6 – 10", "10 – 20", N_("20 and over")]
NO_ESTIMATE = N_("no estimate")
PREVALENCE_COLORS = ["#FFF5D6", "#FDD49E", "#FDBB84", "#FC8D59", "#E34A33", "#990000"]
HOVER = "%{customdata[0]}<extra></extra>"
# Axis titles by kind of figure (the headline chart and the breakdowns).
AXIS = {"count": N_("People (millions)"), "share": N_("Per cent"),
        "prevalence": N_("Per 1,000 people")}


def hover_text(row: pd.Series) -> str:
    """Figure, qualifier, reference year, source file, page and the quoted sentence."""
    parts = [
        f"<b>{html.escape(str(row.get('breakdown') or row.get('measure_label', '')))}</b>",
        formatting.estimate(row["value"], row["kind"], row.get("qualifier"))
        + (" " + _("({qualifier} as stated)").format(qualifier=html.escape(row["qualifier"]))
           if isinstance(row.get("qualifier"), str) else ""),
        _("Reference year: {year}").format(year=int(row["year"])) + (
            " · " + _("edition {edition}").format(edition=int(row["edition"]))
            if "edition" in row and pd.notna(row["edition"]) else ""),
        _("Source: {source}").format(source=html.escape(str(row["source_id"]))),
    ]
    if isinstance(row.get("cited_url"), str):
        parts.append(_("Page: {address}").format(address=html.escape(row["cited_url"][:90])))
    if isinstance(row.get("quote"), str):
        parts.append(f"“{formatting.hover(row['quote'], break_long_words=True)}”")
    if isinstance(row.get("also_quoted"), str) and row["also_quoted"]:
        parts.append(_("Also quoted: {others}").format(
            others=formatting.hover(row["also_quoted"], break_long_words=True)))
    return "<br>".join(parts)


def _custom(frame: pd.DataFrame) -> np.ndarray:
    if frame.empty:
        return np.empty((0, 1))
    return np.array([[hover_text(r)] for _i, r in frame.iterrows()], dtype=object)


def _empty(title: str, message: str, source: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                       font={"color": style.MUTED})
    fig.update_layout(title=title, height=220, xaxis={"visible": False}, yaxis={"visible": False})
    return style.source_note(fig, source)


def bar_label(measure: str, breakdown: object) -> str:
    """A breakdown bar's label: 'Forced labour: men', or the measure alone."""
    return f"{measure}: {breakdown}" if isinstance(breakdown, str) and breakdown else measure


EDITION_CHARS = 14  # display units (a Chinese character is two): four editions fit 390 px


def headline_chart(heads: pd.DataFrame, source: str) -> go.Figure:
    """People in modern slavery, forced labour and forced marriage per edition (counts only)."""
    title = _("Global estimates by edition (people, millions)")
    if heads.empty:
        return _empty(title, _("No global totals in the database."), source)
    order = sorted(heads["edition"].unique())
    # Horizontal, wrapped edition names: rotated ones take half a phone's chart height.
    labels = {e: "<br>".join(style.wrap(heads.loc[heads["edition"] == e, "edition_label"].iloc[0],
                                        EDITION_CHARS)) for e in order}
    fig = go.Figure()
    measures = [m for m in MEASURE_COLORS if m in set(heads["measure"])]
    for measure in measures:
        grp = heads[heads["measure"] == measure]
        grp = grp.sort_values("edition")
        fig.add_bar(
            x=[labels[e] for e in grp["edition"]], y=grp["value"] / 1e6,
            name=grp["measure_label"].iloc[0],
            marker_color=MEASURE_COLORS.get(measure, style.MUTED),
            text=[formatting.estimate(v, "count", q) for v, q in zip(grp["value"], grp["qualifier"],
                                                              strict=True)],
            textposition="outside", cliponaxis=False,
            customdata=_custom(grp), hovertemplate=HOVER,
        )
    fig.update_layout(
        title=title, barmode="group", height=460,
        yaxis={"title": _(AXIS["count"]), "rangemode": "tozero"},
        xaxis={"categoryorder": "array", "categoryarray": [labels[e] for e in order],
               "tickangle": 0, "tickfont": {"size": 11}},
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
    )
    return style.source_note(fig, source)


def bar_chart(rows: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Horizontal bars of ONE kind (counts, shares or rates): never mixed on one axis."""
    if rows.empty:
        return _empty(title, _("No figure of this kind is quoted for this edition."), source)
    kinds = rows["kind"].unique()
    if len(kinds) != 1:
        raise ValueError(f"bar_chart draws one kind of figure, got {sorted(kinds)}")
    kind = kinds[0]
    rows = rows.iloc[::-1]  # plotly draws the first category at the bottom
    labels = [formatting.lines(bar_label(m, b), 48)
              for m, b in zip(rows["measure_label"], rows["breakdown"], strict=True)]
    scale = 1e6 if kind == "count" else 1
    axis = _(AXIS[kind])
    fig = go.Figure(go.Bar(
        y=labels, x=rows["value"] / scale, orientation="h",
        marker_color=[MEASURE_COLORS.get(m, style.MUTED) for m in rows["measure"]],
        text=[formatting.estimate(v, kind, q) for v, q in zip(rows["value"], rows["qualifier"],
                                                       strict=True)],
        textposition="outside", cliponaxis=False,
        customdata=_custom(rows), hovertemplate=HOVER, showlegend=False,
    ))
    xaxis: dict = {"title": axis, "rangemode": "tozero", "showgrid": True, "gridcolor": "#ececec"}
    if kind == "share":
        xaxis["range"] = [0, 115]  # room for the labels; shares stay on a 0–100 scale
        xaxis["tickvals"] = [0, 25, 50, 75, 100]
    fig.update_layout(title=title, xaxis=xaxis, yaxis={"automargin": True},
                      height=max(260, 110 + 46 * len(rows)), margin={"l": 10, "r": 60})
    return style.source_note(fig, source)


def region_chart(rows: pd.DataFrame, region_order: list[str], title: str,
                 source: str) -> go.Figure:
    """Regional counts (left, millions) and per-1,000 rates (right), each on its own axis.

    ``region_order`` lists every region of the scheme, so a region with no quoted figure shows
    as an empty row labelled 'not quoted' rather than disappearing.
    """
    # Two-line panel headings, and rates labelled without their unit (the heading gives it):
    # on a phone-wide screen the panels are ~100 px each.
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=(_("People<br>(millions)"), _("Per 1,000<br>people")))
    order = list(reversed(region_order))
    for col, kind in ((1, "count"), (2, "prevalence")):
        part = rows[rows["kind"] == kind].set_index("breakdown").reindex(order)
        have = part["value"].notna()
        scale = 1e6 if kind == "count" else 1
        shown = part[have].reset_index()
        fig.add_trace(go.Bar(
            y=shown["breakdown"], x=shown["value"] / scale, orientation="h",
            marker_color="#0072B2" if kind == "count" else "#D55E00",
            text=[formatting.estimate(v, kind, q, unit=False)
                  for v, q in zip(shown["value"], shown["qualifier"], strict=True)],
            textposition="outside", cliponaxis=False, customdata=_custom(shown),
            hovertemplate=HOVER, showlegend=False,
        ), row=1, col=col)
        gaps = [r for r in part.index[~have]]
        if gaps:
            fig.add_trace(go.Scatter(
                y=gaps, x=[0] * len(gaps), mode="text", text=[_("not quoted")] * len(gaps),
                textposition="middle right", textfont={"color": style.MUTED, "size": 12},
                hoverinfo="skip", showlegend=False,
            ), row=1, col=col)
        fig.update_xaxes(rangemode="tozero", showgrid=True, gridcolor="#ececec", row=1, col=col)
    # Room for the outside labels on each panel.
    for col, kind in ((1, "count"), (2, "prevalence")):
        vals = rows.loc[rows["kind"] == kind, "value"] / (1e6 if kind == "count" else 1)
        top = float(vals.max()) if len(vals) else 1.0
        fig.update_xaxes(range=[0, top * 1.5], row=1, col=col)
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    # A two-line title (the page breaks it before the edition) keeps both panel headings clear
    # of it on a phone-wide screen.
    lines = title.count("<br>") + 1
    fig.update_layout(
        title={"text": title, "yref": "container", "y": 1, "yanchor": "top",
               "pad": {"t": 12}},
        height=max(300, 110 + 22 * lines + 48 * len(order)),
        margin={"l": 10, "r": 30, "t": 64 + 22 * lines})
    return style.source_note(fig, source)


def prevalence_class(values: pd.Series) -> pd.Series:
    """The map class of each prevalence; NaN stays NaN ("no estimate")."""
    return pd.cut(values, PREVALENCE_BINS, labels=PREVALENCE_LABELS, right=False)


def _gsi_hover(frame: pd.DataFrame) -> np.ndarray:
    rows = []
    for _i, r in frame.iterrows():
        if pd.isna(r["prevalence"]):
            est = _("No estimate (Walk Free gives none)")
        else:
            est = (_("Prevalence: {value} per 1,000").format(
                       value=formatting.decimal(r["prevalence"], "0.0")) + "<br>"
                   + _("Estimated number: {value}").format(value=formatting.decimal(r["number"])))
        resp = (_("not assessed") if pd.isna(r["government_response"])
                else _("{value} %").format(value=formatting.decimal(r["government_response"],
                                                                      "0.0")))
        rows.append([
            f"<b>{html.escape(str(r['name']))}</b><br>{est}<br>"
            + _("Government response: {value}").format(value=resp) + "<br>"
            + _("Reference year {year} · Source: {source}").format(
                year=int(r["year"]), source=html.escape(str(r["source_id"])))
        ])
    return np.array(rows, dtype=object) if rows else np.empty((0, 1))


def gsi_map(countries: pd.DataFrame, markers: pd.DataFrame, source: str) -> go.Figure:
    """Choropleth of GSI 2023 prevalence in classes; 'no estimate' in grey, never as zero."""
    frame = countries.copy()
    frame["cls"] = prevalence_class(frame["prevalence"]).astype(object)
    frame.loc[frame["prevalence"].isna(), "cls"] = NO_ESTIMATE
    classes = [*PREVALENCE_LABELS, NO_ESTIMATE]
    colors = [*PREVALENCE_COLORS, NO_ESTIMATE_COLOR]
    fig = go.Figure()
    small = markers.dropna(subset=["lon", "lat"])
    for label, color in zip(classes, colors, strict=True):
        part = frame[frame["cls"] == label]
        if part.empty:
            continue
        name = _(label)
        fig.add_trace(go.Choropleth(
            locations=part["iso3"], locationmode="ISO-3", z=[1] * len(part),
            colorscale=[[0, color], [1, color]], showscale=False, showlegend=True, name=name,
            legendgroup=label, marker={"line": {"color": "white", "width": 0.4}},
            customdata=_gsi_hover(part), hovertemplate=HOVER,
        ))
        pts = small.merge(part, on="iso3", how="inner")
        if not pts.empty:
            fig.add_trace(go.Scattergeo(
                lon=pts["lon"], lat=pts["lat"], mode="markers", legendgroup=label,
                marker={"size": 8, "color": color, "line": {"color": style.INK, "width": 0.8}},
                customdata=_gsi_hover(pts), hovertemplate=HOVER, showlegend=False, name=name,
            ))
    fig.update_layout(
        title=_("Estimated prevalence of modern slavery, 2021 (per 1,000 people)"),
        geo={
            "scope": "world", "resolution": RESOLUTION, "projection": {"type": "natural earth"},
            "showframe": False, "showcoastlines": False, "showcountries": True,
            "countrycolor": "white", "countrywidth": 0.4, "showland": True,
            "landcolor": "#EEEEEE", "showocean": True, "oceancolor": "#F3F7FA",
            "showlakes": False, "lataxis": {"range": [-58, 85]},
        },
        legend={"title": {"text": _("Per 1,000 people:")}, "orientation": "h", "x": 0.5,
                "xanchor": "center", "y": 0, "yanchor": "top", "bgcolor": "rgba(0,0,0,0)"},
        height=620, margin={"l": 0, "r": 0, "t": 50, "b": 100},
    )
    return style.source_note(fig, source)
