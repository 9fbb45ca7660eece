"""Chart builders for screening and identification: DataFrame in, Plotly figure out (pure)."""

from __future__ import annotations

import functools
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trafficking import formatting, style
from trafficking.i18n import N_, _
from trafficking.text import plotly_plain

# These charts sit beside text or in three panels: hovers wrap narrower than elsewhere.
_hover = functools.partial(formatting.hover, width=90)

SCREEN_COLOR = "#56B4E9"   # sky blue bars
SCREEN_APPROX = "#B9DDF3"  # lighter bars: a rounded ("around") figure
VICTIM_COLOR = "#D55E00"   # vermillion line
VICTIM_ALL_COLOR = "#CC79A7"
LABOUR_COLOR = "#E69F00"
# Okabe–Ito without yellow (too pale on white) for one colour per jurisdiction.
AREA_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#7F7F7F",
                "#882255", "#44AA99", "#332288")
SCREENINGS = "hk_initial_screenings"
VICTIMS_SCREENED = "hk_victims_identified_screening"
VICTIMS_ALL = "hk_victims_identified_total"
# Eurostat's registered victims include presumed ones: its lines are dotted.
EUROSTAT_DATASET = "eurostat-thb-quoted"






NOTE_CHARS = 90  # these charts sit beside text or in three panels: a narrower note


def _note(fig: go.Figure, text: str, bottom: int = 90) -> go.Figure:
    """Source note under the plot: ``bottom`` px for ticks and legend, then the note's lines."""
    fig = style.source_note(fig, text, width=NOTE_CHARS)
    note = fig.layout.annotations[-1]
    bottom += 14 * (note.text.count("<br>") + 1)
    fig.update_layout(margin={"b": bottom})
    # The note's last line sits at the figure's bottom edge, under the legend.
    note.update(yanchor="bottom", yshift=-bottom + 6)
    return fig


def _empty(title: str, message: str, source: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper",
                       yref="paper", font={"size": 15, "color": style.MUTED})
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False},
                      height=300)
    return _note(fig, source)


def _runs(years: list[int]) -> list[list[int]]:
    """Consecutive runs of ``years`` (sorted): [[2015, 2016, 2017, 2018], [2022]]."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def _gap_notes(fig: go.Figure, years: list[int], text: str, **where: str) -> None:
    """One note per run of years without a figure, centred on the run: a note per year is
    wider than a year's slot on a phone, and neighbouring notes ran into each other."""
    for run in _runs(years):
        fig.add_annotation(x=(run[0] + run[-1]) / 2, y=0, text=text, showarrow=False,
                           yanchor="bottom", font={"size": 11, "color": style.MUTED}, **where)


def _title_px(title: str) -> int:
    """The top margin ``style.fit`` keeps for ``title`` once wrapped to a phone's width."""
    lines = len(style.wrap(title, style.TITLE_CHARS))
    return 26 + style.TITLE_LINE_PX * lines


def hk_screening_chart(wide: pd.DataFrame, tiers: pd.DataFrame, source: str) -> go.Figure:
    """Screenings (bars, left axis), victims identified (lines, right axis), tier strip on top.

    ``wide``: one row per data year from ``queries.screening.hk_wide`` (missing years = NaN).
    ``tiers``: ``queries.screening.tiers_for`` output; data year Y shows report Y+1's tier.
    """
    title = _("Hong Kong: people screened for trafficking indicators and victims identified")
    if wide.empty:
        return _empty(title, _("No Hong Kong figures in the database"), source)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.12, 0.88],
                        vertical_spacing=0.04, specs=[[{}], [{"secondary_y": True}]])
    years = wide["year"].tolist()
    by_year = tiers.set_index("data_year") if not tiers.empty else pd.DataFrame()
    tier_text, tier_col, tier_hover = [], [], []
    for y in years:
        if not by_year.empty and y in by_year.index:
            row = by_year.loc[y]
            tier_text.append(style.TIER_SHORT.get(row["tier"], row["tier"]))
            tier_col.append(style.tier_color(row["tier"]))
            tier_hover.append(_("Data year {year} → {report} TIP report: {tier}").format(
                year=y, report=int(row["report_year"]), tier=_(style.tier_label(row["tier"])))
                + "<br>" + _("Source: {source}").format(source=row["source_id"]))
        else:
            tier_text.append("–")
            tier_col.append(style.tier_color(None))
            tier_hover.append(_("Data year {year} → {report} TIP report: no placement in the "
                                "data").format(year=y, report=y + 1))
    fig.add_trace(go.Scatter(
        x=years, y=[0] * len(years), mode="markers+text", text=tier_text,
        textposition="middle center", textfont={"size": 11, "color": "white"},
        marker={"symbol": "square", "size": 30, "color": tier_col},
        hovertext=tier_hover, hoverinfo="text", name=_("TIP tier (next year's report)"),
        showlegend=False), row=1, col=1)
    scr = wide[SCREENINGS]
    qual = wide[SCREENINGS + "_qualifier"]
    approx = qual.eq("approximately")
    bound = qual.isin(["more than", "less than"])
    reason = (wide[SCREENINGS + "_reason"] if SCREENINGS + "_reason" in wide
              else pd.Series("", index=wide.index))
    fig.add_trace(go.Bar(
        x=years, y=scr, name=_("People screened (left axis)"),
        # Pale: a rounded figure; hatched: a lower bound ("more than 7,500").
        marker={"color": [SCREEN_APPROX if a or b else SCREEN_COLOR
                          for a, b in zip(approx, bound, strict=True)],
                "pattern": {"shape": ["/" if b else "" for b in bound],
                            "fgcolor": SCREEN_COLOR, "solidity": 0.3},
                "line": {"color": SCREEN_COLOR, "width": 1.5}},
        text=[formatting.count(v, q) if not math.isnan(v) else "" for v, q in
              zip(scr, qual, strict=True)],
        # Inside the bar's top: Plotly turns a label upright where the bars are narrow (a
        # phone); outside, the labels shrank to the bar's width, too small to read.
        textposition="inside", insidetextanchor="end", cliponaxis=False,
        customdata=pd.DataFrame({
            "s": wide[SCREENINGS + "_source"], "u": wide[SCREENINGS + "_url"],
            "r": reason}).fillna("").map(_hover).values,
        hovertemplate=_("%{x}: %{text} people screened") + "<br>%{customdata[0]}<br>"
                      "%{customdata[1]}<br>" + _("Why this figure: %{customdata[2]}")
                      + "<extra></extra>"),
        row=2, col=1, secondary_y=False)
    for code, color, label in ((VICTIMS_SCREENED, VICTIM_COLOR,
                                _("Victims identified through screening (right axis)")),
                               (VICTIMS_ALL, VICTIM_ALL_COLOR,
                                _("All victims identified (right axis)"))):
        vals = wide[code]
        if vals.notna().sum() == 0:
            continue
        fig.add_trace(go.Scatter(
            x=years, y=vals, name=label, mode="lines+markers+text", connectgaps=False,
            line={"color": color, "width": 3, "dash": "solid" if code == VICTIMS_SCREENED
                  else "dot"},
            marker={"size": 10, "color": color},
            text=[formatting.count(v) if not math.isnan(v) else "" for v in vals],
            textposition="top center", textfont={"color": color},
            customdata=wide[[code + "_source", code + "_url"]].fillna("").map(_hover).values,
            hovertemplate=_("%{x}: %{y:,.0f} victims") + "<br>%{customdata[0]}<br>"
                          "%{customdata[1]}<extra>" + label + "</extra>"),
            row=2, col=1, secondary_y=True)
    missing = [y for y, v in zip(years, scr, strict=True) if math.isnan(v)]
    _gap_notes(fig, missing, _("no screening<br>figure"), yref="y2")
    top = float(scr.max()) if scr.notna().any() else 1.0
    vmax = float(wide[[VICTIMS_SCREENED, VICTIMS_ALL]].max().max())
    vmax = vmax if not math.isnan(vmax) else 1.0
    fig.update_yaxes(visible=False, range=[-1, 1], row=1, col=1)
    fig.update_yaxes(title_text=_("People screened"), rangemode="tozero", range=[0, top * 1.18],
                     row=2, col=1, secondary_y=False)
    fig.update_yaxes(title_text=_("Victims identified"), rangemode="tozero",
                     range=[0, vmax * 1.3], showgrid=False, tickmode="auto", row=2, col=1, secondary_y=True)
    # Every year, level where there is room and slanted where there is not (a phone); the
    # range is fixed, as the text of the lines would widen it by a year at each end.
    fig.update_xaxes(dtick=1, range=[years[0] - 0.6, years[-1] + 0.6])
    # The strip's label gets a line of its own between the title (as wrapped on a phone) and
    # the strip; the legend is pinned to the figure's bottom edge, under the year labels
    # however slanted, with room for the three rows it wraps into on a phone.
    fig.update_layout(title=title, height=560, barmode="overlay",
                      margin={"t": _title_px(title) + 22},
                      legend={"orientation": "h", "x": 0, "yref": "container", "y": -1e-6,
                              "yanchor": "bottom"},
                      annotations=list(fig.layout.annotations) + [dict(
                          text=_("TIP tier, report of the next year"), x=0, xref="paper",
                          y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                          font={"size": 11, "color": style.MUTED})])
    return _note(fig, source, bottom=140)


def hk_rate_chart(rates: pd.DataFrame, source: str) -> go.Figure:
    """Victims identified per 1,000 people screened, per year; years without both are gaps."""
    title = _("Hong Kong: victims identified per 1,000 people screened")
    if rates.empty or rates["rate"].notna().sum() == 0:
        return _empty(title, _("No year has both a screening count and a victim count"),
                      source)
    marks = (rates["mark"] if "mark" in rates
             else rates["approximate"].map({True: "≈", False: ""}))
    text = []
    for r, m in zip(rates["rate"], marks, strict=True):
        text.append("" if math.isnan(r) else f"{m}{r:.2f}")
    why = {"≈": _(" (a figure is rounded by its source)"),
           "≤": _(" (screenings are a lower bound, so the rate is at most this)"),
           "≥": _(" (a lower-bound victim count, so the rate is at least this)"), "": ""}
    hover = [
        (_("{year}: {rate} per 1,000 = {victims} victims ÷ {screened} screened × 1,000").format(
            year=int(y), rate=t, victims=f"{v:,.0f}", screened=f"{s:,.0f}") + why.get(m, ""))
        if not math.isnan(r) else _("{year}: not computable (a figure is missing)").format(
            year=int(y))
        for y, r, t, v, s, m in zip(rates["year"], rates["rate"], text, rates["victims"],
                                    rates["screenings"], marks, strict=True)]
    fig = go.Figure(go.Bar(
        x=rates["year"], y=rates["rate"], text=text, textposition="outside", cliponaxis=False,
        marker={"color": [SCREEN_APPROX if m else VICTIM_COLOR for m in marks],
                "pattern": {"shape": ["/" if m in ("≤", "≥") else "" for m in marks],
                            "fgcolor": VICTIM_COLOR, "solidity": 0.3},
                "line": {"color": VICTIM_COLOR, "width": 1.5}},
        hovertext=hover, hoverinfo="text", name=_("per 1,000 screened")))
    years = [int(y) for y in rates["year"]]
    _gap_notes(fig, [int(y) for y, r in zip(rates["year"], rates["rate"], strict=True)
                     if math.isnan(r)], _("not<br>computable"))
    top = float(rates["rate"].max())
    # The axis title in two lines: in one, it is taller than the plot and meets the title.
    axis_title = "<br>".join(style.wrap(_("Victims per 1,000 screened"), 16))
    fig.update_layout(title=title, height=420, showlegend=False,
                      yaxis={"title": axis_title, "range": [0, top * 1.3]},
                      xaxis={"dtick": 1, "range": [years[0] - 0.6, years[-1] + 0.6]})
    return _note(fig, source)


def _with_gaps(part: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """One row per year so a line breaks where a year has no figure."""
    return part.set_index("year").reindex(years).reset_index()


def compare_absolute_chart(frame: pd.DataFrame, source: str, log_scale: bool = False,
                           measure: str = "victims") -> go.Figure:
    """One line per jurisdiction × series (victims identified / detected / registered).

    ``frame`` carries each row's ``dataset`` (the source module), which sets the dash.
    Censored values (NULL with a qualifier) are not drawn; lines break at missing years.
    """
    title = _("Victims identified, detected or registered per year — each series keeps its "
              "publisher's definition")
    data = frame[frame["value"].notna()]
    if data.empty:
        return _empty(title, _("No victim counts for the chosen jurisdictions"), source)
    years = list(range(int(data["year"].min()), int(data["year"].max()) + 1))
    fig = go.Figure()
    # Colour = jurisdiction (Hong Kong always black), dash = publisher's definition.
    areas = [a for a in dict.fromkeys(data.sort_values("series")["area_code"]) if a != "HKG"]
    colors = {a: AREA_PALETTE[i % len(AREA_PALETTE)] for i, a in enumerate(areas)}
    colors["HKG"] = "#000000"
    for series, part in data.groupby("series", sort=True):
        name = plotly_plain(series)  # place and indicator names: legend and hover text
        full = _with_gaps(part, years)
        code = part["indicator"].iloc[0]
        dash = ("dot" if part["dataset"].iloc[0] == EUROSTAT_DATASET else
                "dash" if code == VICTIMS_ALL else "solid")
        fig.add_trace(go.Scatter(
            x=full["year"], y=full["value"], name=name, mode="lines+markers",
            connectgaps=False, line={"dash": dash, "color": colors[part["area_code"].iloc[0]]},
            marker={"color": colors[part["area_code"].iloc[0]]},
            customdata=full[["source_publisher", "source_title", "retrieved", "source_address",
                             "cited_url"]].fillna("").astype(str).map(_hover).values,
            hovertemplate="%{x}: %{y:,.0f}<br>%{customdata[0]}<br>%{customdata[1]}<br>"
                          + _("retrieved %{customdata[2]}") + " · %{customdata[3]}"
                          "%{customdata[4]}<extra>" + name + "</extra>"))
    n_series = len(fig.data)
    legend_px = 24 * n_series  # one legend row per series (names are long)
    plot_px = 360
    fig.update_layout(
        title=title, height=plot_px + 120 + legend_px, hovermode="closest",
        yaxis={"title": _("Persons (log scale)") if log_scale else _("Persons"),
               "type": "log" if log_scale else "linear",
               # log axis: ticks at powers of ten only (1, 10, 100, …)
               "dtick": 1 if log_scale else None,
               "rangemode": "tozero" if not log_scale else None},
        xaxis={"dtick": 1 if len(years) <= 20 else 2},
        legend={"orientation": "v", "yanchor": "top", "y": -0.08, "x": 0,
                "entrywidth": 0})
    fig.update_layout(legend={"y": -40 / plot_px})
    return _note(fig, source, bottom=60 + legend_px)


def compare_rate_chart(rates: pd.DataFrame, source: str) -> go.Figure:
    """Victims identified per 1,000 screened, one line per jurisdiction with screening data."""
    title = _("Victims identified per 1,000 people screened")
    if rates.empty:
        return _empty(title, _("No chosen jurisdiction publishes screening counts"), source)
    fig = go.Figure()
    years = list(range(int(rates["year"].min()), int(rates["year"].max()) + 1))
    for area_name, part in rates.groupby("area_name"):
        name = plotly_plain(area_name)
        full = _with_gaps(part, years)
        approx = full["approximate"].eq(True)  # gap years (NaN) are not approximate
        fig.add_trace(go.Scatter(
            x=full["year"], y=full["rate"], name=name, mode="lines+markers",
            connectgaps=False,
            # an open marker: the rate rests on a rounded ("around") figure
            marker={"size": 10, "symbol": ["circle-open" if a else "circle" for a in approx]},
            customdata=approx.map({True: _(" (≈: a figure is rounded by its source)"),
                                   False: ""}).values,
            hovertemplate=_("%{x}: %{y:.2f} per 1,000 screened") + "%{customdata}"
                          "<extra>" + name + "</extra>"))
    fig.update_layout(title=title, height=360, yaxis={"title": _("per 1,000 screened"),
                                                      "rangemode": "tozero"},
                      xaxis={"dtick": 1}, showlegend=True)
    return _note(fig, source)


def per_million_chart(frame: pd.DataFrame, source: str) -> go.Figure:
    """Eurostat registered victims per million inhabitants, bars per area and year."""
    title = _("Registered victims per million inhabitants (Eurostat, as quoted)")
    data = frame[frame["value"].notna()].sort_values(["year", "value"])
    if data.empty:
        return _empty(title, _("No per-million figures in the database"), source)
    fig = go.Figure()
    for year, part in data.groupby("year"):
        fig.add_trace(go.Bar(
            x=part["value"], y=part["area_name"].map(plotly_plain), orientation="h",
            name=str(year),
            text=part["value"].map(lambda v: f"{v:g}"), textposition="outside",
            customdata=part[["quote", "cited_url"]].fillna("").astype(str).map(_hover).values,
            hovertemplate="%{y} " + str(year) + ": " + _("%{x:g} per million")
                          + "<br>“%{customdata[0]}”<br>%{customdata[1]}<extra></extra>"))
    fig.update_layout(title=title, height=120 + 28 * len(data), barmode="group",
                      xaxis={"title": _("per million inhabitants")},
                      legend={"title": _("Year")})
    return _note(fig, source)


WORLD_TITLES = {
    "tip_global_prosecutions": N_("Prosecutions"),
    "tip_global_convictions": N_("Convictions"),
    "tip_global_victims_identified": N_("Victims identified"),
}


def worldwide_chart(frame: pd.DataFrame, source: str) -> go.Figure:
    """Three panels (prosecutions, convictions, victims): all trafficking and labour subset.

    ``frame`` holds every edition's statement; only ``preferred`` rows are drawn (one per data
    year), and the hover lists what other editions or pages say (``other_editions``).
    """
    # Short enough for a 390 px phone; the legend names the labour-trafficking part.
    title = _("Worldwide totals per data year")
    if "preferred" in frame:
        frame = frame[frame["preferred"].fillna(True).astype(bool)]
    if frame.empty:
        return _empty(title, _("No worldwide law-enforcement figures in the database"), source)
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    # One panel under the other, sharing the year axis: side by side, a phone left each panel
    # ~100 px, too narrow for its title, its year labels and a '–' per year without a figure.
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=[_(t) for t in WORLD_TITLES.values()])
    for row, (code, label) in enumerate(WORLD_TITLES.items(), start=1):
        label = _(label)
        part = frame[frame["indicator"] == code]
        for is_labour, color, name in ((False, SCREEN_COLOR, _("All trafficking")),
                                       (True, LABOUR_COLOR, _("of which labour trafficking"))):
            sub = part[(part["breakdown"] != "") == is_labour]
            full = _with_gaps(sub, years)
            hover = full.reindex(columns=["edition", "other_editions", "cited_url",
                                          "source_title"]).fillna("")
            hover["edition"] = hover["edition"].map(
                lambda e: _("As the {edition} gives it").format(edition=e) if e else "")
            hover["other_editions"] = hover["other_editions"].map(
                lambda o: _("Other statements: {statements}").format(statements=o) if o
                else _("No other edition in the data"))
            fig.add_trace(go.Bar(
                x=full["year"], y=full["value"], name=name, marker={"color": color},
                legendgroup=name, showlegend=row == 1, offsetgroup=0,
                customdata=hover.map(_hover).values,
                hovertemplate=f"{label}, " + "%{x}: %{y:,.0f}<br>%{customdata[0]}"
                              "<br>%{customdata[1]}<br>%{customdata[2]}<br>%{customdata[3]}"
                              f"<extra>{name}</extra>"), row=row, col=1)
        if "differs" in part:
            # Another edition gives this figure differently: flagged, the values on hover.
            for _i, r in part[part["differs"].fillna(False).astype(bool)].iterrows():
                fig.add_annotation(x=r["year"], y=r["value"], text="*", showarrow=False,
                                   yanchor="bottom", row=row, col=1,
                                   font={"size": 16, "color": style.MUTED})
        gaps = [y for y in years if y not in set(part.loc[part["breakdown"] == "", "year"])]
        for y in gaps:
            fig.add_annotation(x=y, y=0, text="–", showarrow=False, yanchor="bottom",
                               row=row, col=1, font={"color": style.MUTED})
    # The legend pinned to the figure's bottom edge, under the year labels (two rows on a
    # phone); Plotly spaces the level year labels to the width it has.
    fig.update_layout(title=title, height=700, barmode="overlay", margin={"t": 90},
                      legend={"orientation": "h", "x": 0, "yref": "container", "y": -1e-6,
                              "yanchor": "bottom"})
    fig.update_xaxes(tickangle=0, range=[years[0] - 0.6, years[-1] + 0.6])
    return _note(fig, source, bottom=100)
