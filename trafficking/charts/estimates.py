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
    """A breakdown bar's label: 'Forced labour: men', or the measure alone. The breakdown is
    the compiled file's wording of the publisher's group, shown as written (see README)."""
    if not (isinstance(breakdown, str) and breakdown):
        return measure
    return _("{measure}: {breakdown}").format(measure=measure, breakdown=breakdown)


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


# Each bar's label stands above it, over the plot's full width, rather than as a tick label
# beside it: long labels ('Forced labour: privately imposed forced labour exploitation') left
# a phone's plot a third of its width and ran off the left edge. One figure serves every width,
# so the labels wrap to what a 390 px phone's plot holds at LABEL_SIZE (~6.5 px a unit).
LABEL_CHARS = 40
LABEL_SIZE = 13
LABEL_LINE_PX = 17  # Plotly's line height at 13 px
# Bars taller than their 13 px figure: Plotly shrinks a label to fit a thinner bar.
BAR_PX = 26
GAP_PX = 12  # between a bar and the next row's label


def _wrapped(labels: list[str]) -> list[list[str]]:
    return [style.wrap(label, LABEL_CHARS) or [""] for label in labels]


def _above(lines: int) -> float:
    """Pixels from a bar's middle to the top of its ``lines``-line label."""
    return BAR_PX / 2 + 3 + LABEL_LINE_PX * lines


def _label_rows(fig: go.Figure, tops: list[float], wrapped: list[list[str]]) -> None:
    """Each label standing on its bar's top edge (``tops``, in y-axis units, so an export drawn
    at another height keeps it there), and no y tick labels."""
    for top, lines in zip(tops, wrapped, strict=True):
        fig.add_annotation(
            text="<br>".join(html.escape(line, quote=False) for line in lines),
            xref="paper", x=0, xanchor="left", yref="y", y=top, yanchor="bottom",
            align="left", showarrow=False, font={"size": LABEL_SIZE, "color": style.INK})
    fig.update_yaxes(showticklabels=False, ticks="", showgrid=False)


def _value_labels(values: list[str]) -> dict:
    """A bar's figure inside its end where it fits, else just after it (Plotly's 'auto'),
    never turned on its side: the longest bars keep their label inside, so the axis needs
    little room past them."""
    return {"text": values, "textposition": "auto", "insidetextanchor": "end", "textangle": 0,
            "textfont": {"size": LABEL_SIZE}, "cliponaxis": False}


def bar_chart(rows: pd.DataFrame, title: str, source: str) -> go.Figure:
    """Horizontal bars of ONE kind (counts, shares or rates): never mixed on one axis."""
    if rows.empty:
        return _empty(title, _("No figure of this kind is quoted for this edition."), source)
    kinds = rows["kind"].unique()
    if len(kinds) != 1:
        raise ValueError(f"bar_chart draws one kind of figure, got {sorted(kinds)}")
    kind = kinds[0]
    rows = rows.iloc[::-1]  # plotly draws the first row at the bottom
    labels = [bar_label(m, b) for m, b in zip(rows["measure_label"], rows["breakdown"],
                                               strict=True)]
    scale = 1e6 if kind == "count" else 1
    # Rows by position, not by label (two figures may share one label), on a y axis in pixels:
    # each row as tall as its own label needs.
    wrapped = _wrapped(labels)
    positions, top = [], 0.0
    for lines in wrapped:
        positions.append(top + BAR_PX / 2 + GAP_PX)
        top = positions[-1] + _above(len(lines))
    fig = go.Figure(go.Bar(
        y=positions, x=rows["value"] / scale, orientation="h",
        marker_color=[MEASURE_COLORS.get(m, style.MUTED) for m in rows["measure"]],
        **_value_labels([formatting.estimate(v, kind, q)
                         for v, q in zip(rows["value"], rows["qualifier"], strict=True)]),
        customdata=_custom(rows), hovertemplate=HOVER, showlegend=False,
    ))
    _label_rows(fig, [p + BAR_PX / 2 + 3 for p in positions], wrapped)
    fig.update_yaxes(range=[0, top])
    fig.data[0].width = BAR_PX
    xaxis: dict = {"title": _(AXIS[kind]), "rangemode": "tozero", "showgrid": True,
                   "gridcolor": "#ececec", "nticks": 6}
    if kind == "share":
        xaxis["range"] = [0, 104]  # shares stay on a 0–100 scale; 100's tick inside the chart
        xaxis["tickvals"] = [0, 25, 50, 75, 100]
    else:
        # An outside label goes only after a bar too short to hold it: a little room past the
        # longest bar is enough.
        xaxis["range"] = [0, float((rows["value"] / scale).max()) * 1.08]
    # The title hangs from the figure's top edge, in as many lines as style.fit will wrap it
    # into, with room under it: the first label stands at the plot's top edge.
    lines = sum(len(style.wrap(part, style.TITLE_CHARS)) for part in title.split("<br>"))
    fig.update_layout(
        title={"text": title, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 12}},
        xaxis=xaxis, margin={"l": 10, "r": 20, "t": 26 + 24 * lines})
    fig = style.source_note(fig, source)
    fig.update_layout(height=top + fig.layout.margin.t + fig.layout.margin.b)
    return fig


def region_chart(rows: pd.DataFrame, region_order: list[str], title: str,
                 source: str) -> go.Figure:
    """Regional counts (left, millions) and per-1,000 rates (right), each on its own axis.

    ``region_order`` lists every region of the scheme, so a region with no quoted figure shows
    as an empty row labelled 'not quoted' rather than disappearing.
    """
    # Two-line panel headings, and rates labelled without their unit (the heading gives it).
    # Region names stand above each row across both panels; the count panel is the wider one,
    # its labels ('≈ 9.2 million') being the longer.
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.08,
                        column_widths=[0.6, 0.4],
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
            **_value_labels([formatting.estimate(v, kind, q, unit=False)
                             for v, q in zip(shown["value"], shown["qualifier"], strict=True)]),
            customdata=_custom(shown), hovertemplate=HOVER, showlegend=False,
        ), row=1, col=col)
        gaps = [r for r in part.index[~have]]
        if gaps:
            fig.add_trace(go.Scatter(
                y=gaps, x=[0] * len(gaps), mode="text", text=[_("not quoted")] * len(gaps),
                textposition="middle right", textfont={"color": style.MUTED, "size": 12},
                hoverinfo="skip", showlegend=False,
            ), row=1, col=col)
        vals = rows.loc[rows["kind"] == kind, "value"] / scale
        top = float(vals.max()) if len(vals) else 1.0
        # Few ticks: a phone's panels are 100-170 px wide.
        fig.update_xaxes(rangemode="tozero", showgrid=True, gridcolor="#ececec",
                         range=[0, top * 1.1], nticks=4 if kind == "count" else 3,
                         row=1, col=col)
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    # One slot per region (a category axis), as tall as the longest name needs.
    wrapped = _wrapped(order)
    above = _above(max(len(w) for w in wrapped)) if order else 0.0
    below = BAR_PX / 2 + GAP_PX
    slot = above + below
    # A category's number is its place in ``order`` (the category array).
    _label_rows(fig, [i + (BAR_PX / 2 + 3) / slot for i in range(len(order))], wrapped)
    fig.update_yaxes(range=[-below / slot, len(order) - 1 + above / slot])
    fig.update_traces(width=BAR_PX / slot, selector={"type": "bar"})
    plot_px = slot * len(order)
    # A two-line title (the page breaks it before the edition) keeps both panel headings clear
    # of it on a phone-wide screen.
    lines = title.count("<br>") + 1
    fig.update_layout(
        title={"text": title, "yref": "container", "y": 1, "yanchor": "top",
               "pad": {"t": 12}},
        margin={"l": 10, "r": 20, "t": 64 + 22 * lines})
    fig = style.source_note(fig, source)
    fig.update_layout(height=plot_px + fig.layout.margin.t + fig.layout.margin.b)
    return fig


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
