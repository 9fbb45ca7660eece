"""Tier charts: world map (one year or animated), history heatmap, movements, Watch List
streaks, per-jurisdiction step timeline and counts per tier.

Inputs are the frames from ``trafficking.queries.tiers`` (columns iso3, name, report_year,
tier, source_id, publisher, ...). 'Tier 1 or 2' is never drawn as Tier 1 or Tier 2: it has
its own grey-blue, a hatch on bars, a '1/2?' label in heatmap cells and a range bar on the
timeline.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trafficking import formatting, style, vocabulary
from trafficking.geo import RESOLUTION
from trafficking.i18n import N_, _, ngettext
from trafficking.text import plotly_plain

TIERS = [t for t in style.TIER_ORDER if t != style.NOT_RANKED]
CODE = {t: i for i, t in enumerate(TIERS)}
# Positions on the ordinal tier axis (movements, timeline). The unresolved range sits between
# Tier 1 and Tier 2 and is drawn as a range, never as a point on either.
POSITION = vocabulary.POSITION
STACK_ORDER = list(vocabulary.STACK_ORDER)
UPGRADE_COLOR = "#0072B2"
TITLE_PX = 24  # a title line, as style.fit counts it
RULE_CHARS = 18  # the Watch List rule's note: the room right of its line on a 390 px phone
DOWNGRADE_COLOR = "#D55E00"


def sources_line(datasets: Sequence[str]) -> str:
    """The one-line source note under a tier chart, naming the datasets it draws on."""
    names = ", ".join(datasets) if datasets else _("no dataset")
    return _("Tier placements: US State Dept. TIP reports, as recorded by {datasets}. Details "
             "and checksums: Data & sources page.").format(datasets=names)


def _year_line(year: object) -> str:
    """'Report year 2024' in a hover (the year may be a Plotly placeholder such as %{x})."""
    return _("Report year {year}").format(year=year)


def _source_line(source: object) -> str:
    return _("Source: {source}").format(source=source)


def _colorscale() -> list[list]:
    """A stepped scale: each tier code maps to exactly its palette colour."""
    n = len(TIERS)
    scale: list[list] = []
    for i, tier in enumerate(TIERS):
        scale += [[i / n, style.tier_color(tier)], [(i + 1) / n, style.tier_color(tier)]]
    return scale


def _legend_traces(on_map: bool, present: Sequence[str]) -> list[go.BaseTraceType]:
    """Legend-only entries, one per tier, in palette order (the data traces hide theirs)."""
    kind = go.Scattergeo if on_map else go.Scatter
    shown = [t for t in style.TIER_ORDER if t in present or (on_map and t == style.NOT_RANKED)]
    out = []
    for tier in shown:
        coords = {"lon": [None], "lat": [None]} if on_map else {"x": [None], "y": [None]}
        out.append(kind(
            **coords, mode="markers", name=style.tier_label(tier), hoverinfo="skip",
            marker={"symbol": "square", "size": 13, "color": style.tier_color(tier),
                    "line": {"color": "#8a8a8a", "width": 0.5}},
        ))
    return out


LEGEND_TOP = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
              "font": {"size": 12}, "itemclick": False, "itemdoubleclick": False}


def _plain_names(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its jurisdiction names as Plotly text (hovers, legends, tick labels
    render tags)."""
    if "name" not in frame.columns or frame.empty:
        return frame
    return frame.assign(name=frame["name"].map(plotly_plain))


def _custom(frame: pd.DataFrame) -> np.ndarray:
    return np.stack([
        frame["name"].astype(str),
        frame["tier"].map(style.tier_label),
        frame["report_year"].astype(str),
        frame["source_id"].astype(str),
        frame["publisher"].map(plotly_plain),
    ], axis=-1) if len(frame) else np.empty((0, 5))


def _map_hover() -> str:
    return ("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>" + _year_line("%{customdata[2]}")
            + "<br>" + _source_line("%{customdata[3]}")
            + "<br>%{customdata[4]}%{customdata[5]}<extra></extra>")


MAP_BASIS = {
    "elimination": N_("Derived by elimination: ranked that year and on no other tier's "
                      "complete list"),
    "range": N_("Only 'Tier 1 or 2' can be said: no source splits Tier 1 from Tier 2 that year"),
    "secondary": N_("From a secondary compilation (a third party's transcription, ranked below "
                    "primary pages)"),
}


def _map_basis(method: object, secondary: object) -> str:
    """How a placement was established, from tip_tiers.method and .secondary (never a note)."""
    lines = [_(MAP_BASIS[method])] if method in ("elimination", "range") else []
    if secondary is True or (isinstance(secondary, np.bool_) and bool(secondary)):
        lines.append(_(MAP_BASIS["secondary"]))
    return "".join(f"<br><i>{line}</i>" for line in lines)


def _map_custom(frame: pd.DataFrame) -> np.ndarray:
    """The five shared hover fields plus the placement's basis (empty for a stated one)."""
    if not len(frame):
        return np.empty((0, 6))
    methods = frame["method"] if "method" in frame else pd.Series("stated", index=frame.index)
    second = frame["secondary"] if "secondary" in frame else pd.Series(False, index=frame.index)
    basis = [_map_basis(m, s) for m, s in zip(methods, second, strict=True)]
    return np.column_stack([_custom(frame), np.array(basis, dtype=object)])


def _map_traces(frame: pd.DataFrame, markers: pd.DataFrame) -> list[go.BaseTraceType]:
    choro = go.Choropleth(
        locations=frame["iso3"], locationmode="ISO-3", z=frame["tier"].map(CODE),
        zmin=-0.5, zmax=len(TIERS) - 0.5, colorscale=_colorscale(), showscale=False,
        marker={"line": {"color": "white", "width": 0.4}},
        customdata=_map_custom(frame), hovertemplate=_map_hover(), name="",
    )
    pts = markers.dropna(subset=["lon", "lat"]).merge(frame, on="iso3", how="inner")
    dots = go.Scattergeo(
        lon=pts["lon"], lat=pts["lat"], mode="markers",
        marker={"size": 8, "color": [style.tier_color(t) for t in pts["tier"]],
                "line": {"color": style.INK, "width": 0.8}},
        customdata=_map_custom(pts), hovertemplate=_map_hover(), showlegend=False, name="",
    )
    return [choro, dots]


def _geo_layout() -> dict:
    return {
        "scope": "world", "resolution": RESOLUTION, "projection": {"type": "natural earth"},
        "fitbounds": False, "showframe": False, "showcoastlines": False,
        "showcountries": True, "countrycolor": "white", "countrywidth": 0.4,
        "showland": True, "landcolor": style.tier_color(style.NOT_RANKED),
        "showocean": True, "oceancolor": "#F3F7FA", "showlakes": False,
        "lataxis": {"range": [-58, 85]},
    }


def map_title(year: int) -> str:
    return _("TIP report {year}: tier placements").format(year=year)


def tier_map(frame: pd.DataFrame, year: int, markers: pd.DataFrame, source: str) -> go.Figure:
    """World choropleth of placements in ``year``; small or shapeless places as dots."""
    frame = _plain_names(frame)
    this = frame[frame["report_year"] == year]
    fig = go.Figure(_map_traces(this, markers) + _legend_traces(True, set(this["tier"])))
    fig.update_layout(
        # Title pinned to the top of the figure: on a phone the legend wraps to three rows and
        # grows upward from the map, into the space below the title rather than over it.
        title={"text": map_title(year), "y": 0.985, "yref": "container",
               "yanchor": "top"},
        geo=_geo_layout(), height=600,
        margin={"l": 0, "r": 0, "t": 100, "b": 60}, legend=LEGEND_TOP,
    )
    return style.source_note(fig, source)


def tier_map_animated(frame: pd.DataFrame, years: Sequence[int], start: int,
                      markers: pd.DataFrame, source: str) -> go.Figure:
    """The same map with one frame per report year, a play button and a year slider."""
    frame = _plain_names(frame)
    years = [int(y) for y in years]
    frames = [
        go.Frame(data=_map_traces(frame[frame["report_year"] == y], markers), name=str(y),
                 traces=[0, 1],
                 layout={"title": {"text": map_title(y)}})
        for y in years
    ]
    first = start if start in years else years[0]
    fig = go.Figure(_map_traces(frame[frame["report_year"] == first], markers)
                    + _legend_traces(True, set(frame["tier"])), frames=frames)
    step_args = {"mode": "immediate", "frame": {"duration": 600, "redraw": True},
                 "transition": {"duration": 0}}
    fig.update_layout(
        title=map_title(first), geo=_geo_layout(), height=700,
        margin={"l": 0, "r": 0, "t": 90, "b": 150}, legend=LEGEND_TOP,
        updatemenus=[{
            "type": "buttons", "direction": "left", "x": 0, "y": -0.02, "xanchor": "left",
            "yanchor": "top", "showactive": False, "pad": {"r": 8, "t": 8},
            "buttons": [
                {"label": _("▶ Play"), "method": "animate",
                 "args": [None, {**step_args, "fromcurrent": True}]},
                {"label": _("❚❚ Pause"), "method": "animate",
                 "args": [[None], {**step_args, "frame": {"duration": 0, "redraw": False}}]},
            ],
        }],
        sliders=[{
            "active": years.index(first), "x": 0.2, "len": 0.78, "y": -0.02, "yanchor": "top",
            "currentvalue": {"prefix": _("Report year: "), "xanchor": "left"}, "pad": {"t": 8},
            "steps": [{"label": str(y), "method": "animate",
                       "args": [[str(y)], step_args]} for y in years],
        }],
    )
    return style.source_note(fig, source)


# Cell labels are drawn only up to this many rows (see tier_heatmap).
LABEL_ROWS = 60


def tier_heatmap(frame: pd.DataFrame, order: Sequence[str], source: str) -> go.Figure:
    """Jurisdictions (rows, in ``order`` of iso3) × report years, one cell per placement."""
    frame = _plain_names(frame)
    years = sorted(frame["report_year"].unique().tolist())
    names = frame.drop_duplicates("iso3").set_index("iso3")["name"]
    order = [c for c in order if c in names.index]
    wide = frame.pivot(index="iso3", columns="report_year", values="tier").reindex(
        index=order, columns=years)
    src = frame.pivot(index="iso3", columns="report_year", values="source_id").reindex(
        index=order, columns=years)
    z = wide.apply(lambda col: col.map(CODE)).to_numpy(dtype=float)
    nothing = _("no placement in any source")
    label = wide.apply(lambda col: col.map(
        lambda t: style.tier_label(t) if isinstance(t, str) else nothing))
    row_names = [names[c] for c in order]
    # Name and year come from the cell's own y and x: the hover data carries only the two
    # fields that differ per cell (it was 85% of the figure's bytes with all four repeated).
    custom = np.dstack([label.to_numpy(dtype=object), src.fillna("—").to_numpy(dtype=object)]
                       ) if order else np.empty((0, len(years), 2))
    fig = go.Figure(go.Heatmap(
        # Years on a number axis: Plotly spaces its year ticks to the width it is drawn at.
        z=z, x=years, y=row_names, zmin=-0.5, zmax=len(TIERS) - 0.5,
        colorscale=_colorscale(), showscale=False, xgap=1, ygap=1, customdata=custom,
        xhoverformat="d",
        hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br>" + _year_line("%{x}") + "<br>"
                      + _source_line("%{customdata[1]}") + "<extra></extra>",
    ))
    # Thousands of cell labels cost ~0.5 s to draw; past LABEL_ROWS rows the grid is read by
    # colour and hover, and a region filter brings the labels back.
    if len(order) <= LABEL_ROWS:
        fig.add_trace(_cell_labels(wide.set_axis(row_names, axis=0)))
    fig.add_traces(_legend_traces(False, set(frame["tier"])))
    years_axis = {"type": "linear", "tickformat": "d", "tickangle": 0, "showgrid": False,
                  **({"range": [years[0] - 0.5, years[-1] + 0.5]} if years else {})}
    if row_names:
        # Invisible twin on a bottom axis: the years are readable at both ends of a long grid.
        fig.add_trace(go.Scatter(x=years, y=[row_names[0]] * len(years),
                                 xaxis="x2", mode="markers", marker={"opacity": 0},
                                 hoverinfo="skip", showlegend=False))
    fig.update_layout(
        title=_("Tier history by jurisdiction"), height=max(320, 16 * len(order) + 200),
        xaxis2={"overlaying": "x", "matches": "x", "side": "bottom", **years_axis},
        legend={**LEGEND_TOP, "y": 1.0, "yref": "container", "yanchor": "top", "x": 0.3},
        xaxis={"side": "top", **years_axis},
        yaxis={"autorange": "reversed", "type": "category", "showgrid": False,
               "tickfont": {"size": 11}},
        # A label too big for its cell at the width the chart is drawn is hidden, not shrunk
        # past reading: on a phone the grid is read by colour and hover.
        uniformtext={"minsize": 8, "mode": "hide"},
        plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 80, "b": 60},
    )
    return style.source_note(fig, source)


def _cell_labels(wide: pd.DataFrame) -> go.Bar:
    """The heatmap's cell labels (1, 2, 2WL, 3, 1/2?) as the text of clear one-year bars over
    the cells (``wide``: tiers, rows named as on the chart × report years). Plotly hides a
    bar's label that does not fit; a heatmap's it shrinks to any size. No hover of their own:
    the cell under them answers."""
    cells = (wide.rename_axis(index="row", columns="report_year").reset_index()
             .melt(id_vars="row", value_name="tier").dropna(subset=["tier"]))
    return go.Bar(
        y=cells["row"], x=[1] * len(cells), base=cells["report_year"] - 0.5, orientation="h",
        width=0.9,
        marker={"color": "rgba(0,0,0,0)", "line": {"width": 0}},
        text=cells["tier"].map(style.TIER_SHORT).tolist(), textposition="inside",
        insidetextanchor="middle", textangle=0,
        textfont={"size": 9, "color": [_text_on(t) for t in cells["tier"]]},
        hoverinfo="skip", showlegend=False, name="",
    )


def _tier_axis(include_unresolved: bool) -> dict:
    tiers = [t for t in vocabulary.AXIS_ORDER if include_unresolved or t != style.UNRESOLVED]
    return {"tickvals": [POSITION[t] for t in tiers],
            "ticktext": [_axis_label(t) for t in tiers]}


def _axis_label(tier: str) -> str:
    """A tier's tick label; the long ones on two lines (upright, they fit a phone's axis)."""
    if tier == style.UNRESOLVED:
        return _("Tier 1 or 2<br>(unresolved)")
    if tier == vocabulary.WATCH_LIST:
        return _("Tier 2<br>Watch List")
    return style.tier_label(tier)


def _title_lines(title: str) -> int:
    """Lines ``title`` takes once style.fit has wrapped it to a phone's width."""
    return max(len(style.wrap(title, style.TITLE_CHARS)), 1)


def _top_title(title: str) -> dict:
    """A title pinned to the figure's top edge: what stands between it and the plot (tier
    names, a note) gets the room the builder gives it in the top margin. plotly.js anchors a
    multi-line title by its first line: each further line moves it down."""
    pad = 10 + TITLE_PX * (_title_lines(title) - 1)
    return {"text": title, "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": pad}}


def movements_chart(moves: pd.DataFrame, year: int, source: str) -> go.Figure:
    """Dumbbell chart: each mover's previous placement (open) → this year's (filled)."""
    moves = _plain_names(moves)
    moved = moves[moves["movement"].isin(["upgrade", "downgrade"])].copy()
    fig = go.Figure()
    if moved.empty:
        fig.add_annotation(text=_("No upgrades or downgrades in {year} against {previous}.").format(
                               year=year, previous=year - 1),
                           showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        fig.update_layout(height=200, xaxis={"visible": False}, yaxis={"visible": False})
        return style.source_note(fig, source)
    moved = moved.sort_values(["movement", "name"], ascending=[False, True])
    for kind, color, symbol, legend in (
            ("upgrade", UPGRADE_COLOR, "triangle-left", _("Upgraded")),
            ("downgrade", DOWNGRADE_COLOR, "triangle-right", _("Downgraded"))):
        part = moved[moved["movement"] == kind]
        if part.empty:
            continue
        xs: list[float | None] = []
        ys: list[str | None] = []
        for _row, r in part.iterrows():
            xs += [POSITION[r["previous_tier"]], POSITION[r["tier"]], None]
            ys += [r["name"], r["name"], None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": color, "width": 3},
                                 hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(
            x=part["tier"].map(POSITION), y=part["name"], mode="markers", name=legend,
            marker={"symbol": symbol, "size": 13, "color": color},
            customdata=np.stack([part["previous_tier"].map(style.tier_label),
                                 part["tier"].map(style.tier_label), part["source_id"]], axis=-1),
            hovertemplate=f"<b>%{{y}}</b><br>{year - 1}: %{{customdata[0]}}<br>{year}: "
                          "%{customdata[1]}<br>" + _source_line("%{customdata[2]}")
                          + "<extra></extra>",
        ))
    fig.add_trace(go.Scatter(
        x=moved["previous_tier"].map(POSITION), y=moved["name"], mode="markers",
        name=_("Placement in {year}").format(year=year - 1),
        marker={"symbol": "circle-open", "size": 10, "color": style.MUTED, "line": {"width": 2}},
        hoverinfo="skip",
    ))
    unresolved = bool(moved[["previous_tier", "tier"]].isin([style.UNRESOLVED]).any().any())
    title = _("Upgrades and downgrades, {previous} → {year}").format(previous=year - 1,
                                                                     year=year)
    # Under the title: the tier names on the top axis, two lines of 12 px, upright.
    top = 10 + TITLE_PX * _title_lines(title) + 44
    fig.update_layout(
        title=_top_title(title), height=max(260, 24 * len(moved) + 60 + top),
        xaxis={**_tier_axis(unresolved), "range": [0.7, 4.3], "showgrid": True,
               "gridcolor": "#ececec", "side": "top", "tickangle": 0, "tickfont": {"size": 12}},
        yaxis={"autorange": "reversed", "type": "category", "tickfont": {"size": 12}},
        legend={"orientation": "h", "yref": "container", "y": 0.995, "yanchor": "top", "x": 1,
                "xanchor": "right"},
        margin={"t": top},
    )
    return style.source_note(fig, source)


def watch_list_chart(streaks: pd.DataFrame, year: int, source: str) -> go.Figure:
    """Consecutive reports on the Watch List, for every jurisdiction on it in ``year``."""
    streaks = _plain_names(streaks)
    fig = go.Figure()
    if streaks.empty:
        fig.add_annotation(text=_("No jurisdiction is on the Tier 2 Watch List in {year}.").format(
                               year=year),
                           showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        fig.update_layout(height=200, xaxis={"visible": False}, yaxis={"visible": False})
        return style.source_note(fig, source)
    long = streaks["consecutive_years"] >= 2
    fig.add_trace(go.Bar(
        x=streaks["consecutive_years"], y=streaks["name"], orientation="h",
        marker={"color": [style.tier_color(vocabulary.WATCH_LIST) if x else "#F5D79E" for x in long]},
        # The count's plural form is chosen per bar, so the hover's text is written per bar.
        customdata=[[ngettext("{n} consecutive report, since {year}",
                              "{n} consecutive reports, since {year}", int(n)).format(
                                  n=int(n), year=since)]
                    for n, since in zip(streaks["consecutive_years"], streaks["since"],
                                        strict=True)],
        hovertemplate="<b>%{y}</b><br>%{customdata[0]}<extra></extra>",
    ))
    # The rule's note stands above the plot, from the dashed line rightwards, in lines narrow
    # enough for the room right of the line on a phone: the axis reaches at least 3.4, so the
    # line at 1.5 leaves more than half the plot's width to its right.
    longest = int(streaks["consecutive_years"].max())
    note = style.wrap(_("2+ years: TVPA automatic-downgrade rule applies"), RULE_CHARS)
    fig.add_vline(x=1.5, line={"dash": "dash", "color": style.INK, "width": 1})
    fig.add_annotation(text="<br>".join(html.escape(line) for line in note), x=1.5, xref="x",
                       y=1, yref="paper", xanchor="left", yanchor="bottom", align="left",
                       showarrow=False, font={"size": 11})
    title = _("Consecutive years on the Tier 2 Watch List, as of {year}").format(year=year)
    top = 10 + TITLE_PX * _title_lines(title) + 14 * len(note) + 10
    fig.update_layout(
        title=_top_title(title), height=max(260, 18 * len(streaks) + 110 + top),
        showlegend=False, margin={"t": top},
        xaxis={"title": _("consecutive reports"), "dtick": 1, "showgrid": True,
               "gridcolor": "#ececec", "range": [0, max(longest, 3) + 0.4]},
        yaxis={"autorange": "reversed", "type": "category", "tickfont": {"size": 11}},
    )
    return style.source_note(fig, source)


def _timeline_hover() -> str:
    return ("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>" + _year_line("%{customdata[2]}")
            + "%{customdata[5]}<br>" + _source_line("%{customdata[3]}")
            + "<br>%{customdata[4]}%{customdata[6]}<extra></extra>")


# A government statement in a hover: cut (it is in full in the table), and narrow.
_said = functools.partial(formatting.hover, width=46, limit=240, break_long_words=True)



def _basis_line(row: pd.Series) -> str:
    """How the placement was established, from tip_tiers.method / secondary."""
    lines = []
    if row.get("method") == "elimination":
        lines.append(_(MAP_BASIS["elimination"]))
    elif row.get("method") == "range":
        lines.append(_("Only 'Tier 1 or 2' can be said for this year"))
    if row.get("secondary") is True or row.get("secondary") == 1:
        lines.append(_("From a secondary compilation (ranked below primary pages)"))
    return "".join(f"<br><i>{html.escape(x)}</i>" for x in lines)


def _response_block(row: pd.Series) -> str:
    """The government's response(s) to this placement, as plain hover text."""
    if "response_n" not in row.index or pd.isna(row["response_n"]):
        return ""  # no response columns, or a year with no placement
    n = int(row["response_n"])
    if n <= 0:
        return "<br>" + _("No government response to this report in the database")
    stance = _(str(row["response_stance"]))  # our own reading: rejects, welcomes or notes
    parts = [_("Date: {date}").format(date=html.escape(str(row["response_date"]), quote=False)),
             _("Stance: {stance} (the project's reading of the statement)").format(
                 stance=html.escape(stance, quote=False))]
    if isinstance(row.get("response_quote"), str) and row["response_quote"]:
        # The statement's words stay in its own language, inside the reader's quotation marks.
        parts.append(_("Own words: “{quote}”").format(quote=_said(row["response_quote"],
                                                                  limit=200)))
    if isinstance(row.get("response_figures"), str) and row["response_figures"]:
        parts.append(_("Figures cited: {figures}").format(figures=_said(row["response_figures"])))
    parts.append(_("Statement: {publisher}").format(
        publisher=_said(row.get("response_publisher", ""), limit=110)))
    if isinstance(row.get("response_url"), str):
        url = row["response_url"]
        parts.append(html.escape(url if len(url) <= 48 else url[:47] + "…", quote=False))
    if isinstance(row.get("response_others"), str) and row["response_others"]:
        parts.append(_("Also that year: {others}").format(others=_said(row["response_others"])))
    head = (_("Government response (1 of {n} statements)").format(n=n) if n > 1
            else _("Government response"))
    return f"<br><br><b>{head}</b><br>" + "<br>".join(parts)


def _timeline_custom(frame: pd.DataFrame) -> np.ndarray:
    """The map's five hover fields plus how the placement was found and the response."""
    if not len(frame):
        return np.empty((0, 7))
    base = _custom(frame.fillna({c: "—" for c in ("name", "tier", "source_id", "publisher")
                                 if c in frame.columns}))
    basis = [_basis_line(r) for _row, r in frame.iterrows()]
    reply = [_response_block(r) for _row, r in frame.iterrows()]
    return np.column_stack([base, np.array(basis, dtype=object), np.array(reply, dtype=object)])


def timeline(history: pd.DataFrame, source: str) -> go.Figure:
    """Step chart of placements over report years, one line per jurisdiction.

    Resolved placements are steps; a 'Tier 1 or 2' year breaks the line and is drawn as a
    grey-blue bar spanning Tier 1–Tier 2, so the chart never implies which of the two it was.
    Hover shows how each placement was found (``method``, ``secondary``) and, where the
    frame carries them (``trafficking.queries.responses.PLACEMENT_COLUMNS``), the
    government's published response.
    """
    fig = go.Figure()
    history = _plain_names(history)
    names = list(dict.fromkeys(history["name"]))
    colors = style.TEMPLATE.layout.colorway
    spread = 0.08 if len(names) > 1 else 0.0  # small offset so overlapping lines stay visible
    shown_unresolved = False
    for i, name in enumerate(names):
        part = history[history["name"] == name].sort_values("report_year")
        offset = (i - (len(names) - 1) / 2) * spread
        resolved = part[part["tier"] != style.UNRESOLVED]
        years = list(range(int(part["report_year"].min()), int(part["report_year"].max()) + 1))
        by_year = resolved.set_index("report_year")
        y = [POSITION[by_year.at[yr, "tier"]] + offset if yr in by_year.index else None
             for yr in years]
        color = colors[i % len(colors)]
        fig.add_trace(go.Scatter(
            x=years, y=y, mode="lines+markers", line={"shape": "hv", "color": color, "width": 3},
            marker={"size": 7}, name=name, connectgaps=False, customdata=_timeline_custom(
                part.set_index("report_year").reindex(years).reset_index()),
            hovertemplate=_timeline_hover(),
        ))
        unres = part[part["tier"] == style.UNRESOLVED]
        if not unres.empty:
            # A grey-blue bar over the whole Tier 1–Tier 2 range, crossed by a tick in the
            # jurisdiction's colour so several selections stay distinguishable.
            fig.add_trace(go.Scatter(
                x=unres["report_year"], y=[POSITION[style.UNRESOLVED] + offset] * len(unres),
                mode="markers", name=f"{name}: {style.tier_label(style.UNRESOLVED)}",
                legendgroup="unresolved", showlegend=False,
                marker={"symbol": "line-ew", "size": 12, "line": {"width": 3, "color": color}},
                error_y={"type": "constant", "value": 0.5, "thickness": 6, "width": 0,
                         "color": style.tier_color(style.UNRESOLVED)},
                customdata=_timeline_custom(unres), hovertemplate=_timeline_hover(),
            ))
            if not shown_unresolved:  # one grey-blue legend entry for all of them
                fig.add_trace(go.Scatter(
                    x=[None], y=[None], mode="markers", name=style.tier_label(style.UNRESOLVED),
                    legendgroup="unresolved", hoverinfo="skip",
                    marker={"symbol": "line-ns", "size": 14,
                            "line": {"width": 6, "color": style.tier_color(style.UNRESOLVED)}}))
            shown_unresolved = True
    has_unres = bool((history["tier"] == style.UNRESOLVED).any())
    lo = min([POSITION[t] for t in history["tier"]] + [1.0]) - 0.4
    hi = max([POSITION[t] for t in history["tier"]] + [3.0]) + 0.4
    fig.update_layout(
        title=_("Tier placement over time"), height=420, hovermode="closest",
        yaxis={**_tier_axis(has_unres), "range": [hi, lo], "showgrid": True},
        # Year ticks as many as the drawn width holds (Plotly's own spacing): every second
        # year crowds a phone's axis.
        xaxis={"title": _("report year"), "tickformat": "d", "showgrid": True,
               "gridcolor": "#f2f2f2"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    return style.source_note(fig, source)


def counts_chart(counts: pd.DataFrame, source: str) -> go.Figure:
    """Stacked bars: how many jurisdictions each report placed on each tier."""
    fig = go.Figure()
    for tier in STACK_ORDER:
        part = counts[counts["tier"] == tier]
        if part.empty:
            continue
        pattern = style.UNRESOLVED_PATTERN if tier == style.UNRESOLVED else None
        # Not colour alone: each segment carries its tier's short label where it fits
        # (uniformtext hides a label rather than shrink it past legibility).
        fig.add_trace(go.Bar(
            x=part["report_year"], y=part["n"], name=style.tier_label(tier),
            marker={"color": style.tier_color(tier), "pattern": pattern,
                    "line": {"width": 0}},
            text=[style.TIER_SHORT[tier]] * len(part), textposition="inside",
            insidetextanchor="middle", textfont={"color": _text_on(tier), "size": 10},
            hovertemplate=style.tier_label(tier) + "<br>%{x}: "
                          + _("{n} jurisdictions").format(n="%{y}") + "<extra></extra>",
        ))
    fig.update_layout(
        barmode="stack", title=_("Jurisdictions per tier, by report year"), height=480,
        xaxis={"title": _("report year"), "dtick": 2},
        yaxis={"title": _("jurisdictions")}, uniformtext={"minsize": 8, "mode": "hide"},
        legend={**LEGEND_TOP, "traceorder": "normal"}, margin={"t": 90},
    )
    return style.source_note(fig, source)


def _text_on(tier: str) -> str:
    """Label colour on a tier's fill: white on the dark blue and vermillion, ink elsewhere."""
    return "white" if tier in (vocabulary.TIER_1, vocabulary.TIER_3) else style.INK
