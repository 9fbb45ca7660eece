"""Shareable charts of the Screening page's 'Referral funnels' section: Hong Kong's screening
beside the UK National Referral Mechanism, and Japan's and Singapore's identified victims."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from trafficking import formatting, places
from trafficking.charts import funnels as charts
from trafficking.charts.funnels import Panel, Trace
from trafficking.i18n import N_, _
from trafficking.present import datatable, sources
from trafficking.present.view import ChartSpec, ChartView
from trafficking.queries import funnels as q

DATA_COLUMNS = ["area_name", "indicator", "indicator_name", "unit", "year", "value", "qualifier",
                "preferred", "edition", "preferred_reason", "quote", "cited_url", "source_id"]

RG = N_("Reasonable grounds (first decision)")
CG = N_("Conclusive grounds (final decision)")
HK_PANELS = (
    Panel(N_("Entry: people screened (first-tier screening)"),
          (Trace(q.HK, q.HK_SCREENED, N_("People screened"), "#56B4E9"),)),
    Panel(N_("Outcome: victims identified through screening"),
          (Trace(q.HK, q.HK_IDENTIFIED, N_("Victims identified"), "#D55E00"),)),
)
UK_PANELS = (
    Panel(N_("Entry: potential victims referred to the NRM"),
          (Trace(q.UK, q.UK_REFERRALS, N_("Potential victims referred"), "#0072B2"),)),
    Panel(N_("Decisions made in the year"),
          (Trace(q.UK, q.UK_RG, RG, "#E69F00"),
           Trace(q.UK, q.UK_CG, CG, "#009E73"))),
    Panel(N_("Share of those decisions that were positive"),
          (Trace(q.UK, q.UK_RG_SHARE, RG, "#E69F00", "line"),
           Trace(q.UK, q.UK_CG_SHARE, CG, "#009E73",
                 "line"))),
)
JP_PANELS = (
    Panel(N_("National Police Agency: victims recognised"),
          (Trace(q.JP, q.JP_NPA, N_("Police (NPA): victims recognised"), "#0072B2"),)),
    Panel(N_("Immigration Services Agency: victims protected"),
          (Trace(q.JP, q.JP_ISA, N_("Immigration (ISA): victims protected"), "#CC79A7"),)),
)
SG_PANELS = (
    Panel(N_("Potential victims identified (government figure, as in the TIP report)"),
          (Trace(q.SG, q.SG_IDENTIFIED, N_("Potential victims identified"), "#009E73"),)),
)
# The data table: every plotted bar, point and hollow diamond.
TABLE_COLUMNS = {"area_name": N_("Place"), "series": N_("Series"), "year": N_("Year"),
                 "value": N_("Value"), "qualifier": N_("Qualifier"), "drawn": N_("Drawn as")}


def _pairs(panels: tuple[Panel, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((t.area, t.indicator) for p in panels for t in p.traces)


def plotted(charted: pd.DataFrame, others: pd.DataFrame,
            panels: tuple[Panel, ...]) -> pd.DataFrame:
    """Every value the funnel chart draws, one row each: the preferred figure of each trace
    (a bar or a point) and the other statements beside it (hollow diamonds), in panel order."""
    rows = []
    for panel in panels:
        for trace in panel.traces:
            for frame, drawn in ((charted, N_("charted figure")),
                                 (others, N_("other statement"))):
                if frame.empty:
                    continue
                part = frame[(frame["area_code"] == trace.area)
                             & (frame["indicator"] == trace.indicator)]
                part = part[part["value"].notna()].sort_values("year")
                share = bool((part["kind"] == "share").any())
                # A decision count and its positive share carry one legend label.
                series = (_("{series}, share positive").format(series=_(trace.label)) if share
                          else _(trace.label))
                rows.append(part.assign(series=series, drawn=_(drawn), percent=share))
    cols = ["area_name", "series", "year", "value", "qualifier", "drawn", "percent"]
    if not rows:
        return pd.DataFrame(columns=cols)
    return places.localise(pd.concat(rows, ignore_index=True), "area_code", "area_name")[cols]


def summary(points: pd.DataFrame) -> str:
    """Each series' first and latest charted figure: 'Potential victims referred: 2,340 in
    2013 to 17,004 in 2023; …'."""
    clauses = []
    charted = points[points["drawn"] == _("charted figure")]
    for series, part in charted.groupby("series", sort=False):
        first, last = part.iloc[0], part.iloc[-1]
        label = [formatting.funnel_label(r["value"], r["qualifier"], bool(r["percent"]))
                 for r in (first, last)]
        if len(part) == 1:
            clauses.append(_("{series}: {value} in {year}").format(
                series=series, value=label[1], year=int(last["year"])))
        else:
            clauses.append(_("{series}: {first} in {first_year} to {last} in {last_year}")
                           .format(series=series, first=label[0], first_year=int(first["year"]),
                                   last=label[1], last_year=int(last["year"])))
    return datatable.joined(clauses)


def _view(panels: tuple[Panel, ...], title: str, caption: str) -> ChartView:
    charted, others, ambiguous = q.funnel(_pairs(panels))
    frames = [f for f in (charted, others, ambiguous) if not f.empty]
    every = pd.concat(frames, ignore_index=True) if frames else charted
    line = q.source_line(every)
    data = every[DATA_COLUMNS].sort_values(["indicator", "year"]) if not every.empty else every
    fig = charts.funnel_chart(charted, others, panels, _(title), line.replace("<br>", " "))
    points = plotted(charted, others, panels)
    return ChartView(fig, data.reset_index(drop=True), _(caption), line,
                     sources.rows(every["source_id"] if not every.empty else []),
                     title=_(title), summary=summary(points),
                     table=datatable.headed(points, TABLE_COLUMNS))


def _hong_kong(v: Mapping[str, Any]) -> ChartView:
    del v
    return _view(HK_PANELS, N_("Hong Kong: screened → identified"),
                 N_("People put through Hong Kong's first-tier screening for trafficking "
                 "indicators, and victims identified through the mechanism after the "
                 "second-tier assessment. Pale bars: rounded or bounded figures (≈, 'over'). "
                 "Where several sources state a year, the figure the database marks preferred "
                 "is drawn; hollow diamonds are the other statements."))


def _uk(v: Mapping[str, Any]) -> ChartView:
    del v
    return _view(UK_PANELS, N_("UK (NRM): referred → decided → % positive"),
                 N_("Potential victims referred to the UK National Referral Mechanism (latest "
                 "official revision of each year; hollow diamonds: earlier releases and other "
                 "publications), reasonable- and conclusive-grounds decisions made in the year, "
                 "and the share of those decisions that were positive. A referral is not an "
                 "identification; decisions in a year concern referrals of earlier years too."))


def _japan(v: Mapping[str, Any]) -> ChartView:
    del v
    return _view(JP_PANELS, N_("Japan: two victim counts, never added"),
                 N_("Victims recognised by the National Police Agency and victims for whom the "
                 "Immigration Services Agency took protection procedures: two overlapping "
                 "administrative counts, shown apart and never added."))


def _singapore(v: Mapping[str, Any]) -> ChartView:
    del v
    return _view(SG_PANELS, N_("Singapore: potential victims identified"),
                 N_("Potential ('alleged' in the 2018 report) trafficking victims the Singapore "
                 "government reported identifying, as the US TIP report relays them."))


SPECS = [
    ChartSpec("funnel-hong-kong",
              N_("Hong Kong: people screened and victims identified, by stage"),
              "screening", (), _hong_kong),
    ChartSpec("funnel-uk-nrm", N_("UK National Referral Mechanism: referrals, decisions and "
                                  "positive shares"), "screening", (), _uk),
    ChartSpec("funnel-japan", N_("Japan: victims recognised by the police and protected by "
                                 "immigration"), "screening", (), _japan),
    ChartSpec("funnel-singapore", N_("Singapore: potential trafficking victims identified"),
              "screening", (), _singapore),
]

# The section's two rows of charts: (chart id, widget key, the (area, indicator) pairs drawn).
UK_BESIDE_HK = (("funnel-hong-kong", "funnel_hk", q.HK_FUNNEL),
                ("funnel-uk-nrm", "funnel_uk", q.UK_FUNNEL))
ELSEWHERE = (("funnel-japan", "funnel_jp", q.JP_COUNTS),
             ("funnel-singapore", "funnel_sg", q.SG_COUNTS))


def every_figure() -> pd.DataFrame:
    """Every statement of the section's series, places named in the reader's language."""
    return places.localise(q.observations(q.ALL_PAIRS), "area_code", "area_name")
