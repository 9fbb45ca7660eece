"""Shareable charts of the Screening page's 'Referral funnels' section: Hong Kong's screening
beside the UK National Referral Mechanism, and Japan's and Singapore's identified victims."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from trafficking.charts import funnels as charts
from trafficking.charts.funnels import Panel, Trace
from trafficking.present import sources
from trafficking.present.view import ChartSpec, ChartView
from trafficking.queries import funnels as q

DATA_COLUMNS = ["area_name", "indicator", "indicator_name", "unit", "year", "value", "qualifier",
                "preferred", "edition", "preferred_reason", "quote", "cited_url", "source_id"]

RG = "Reasonable grounds (first decision)"
CG = "Conclusive grounds (final decision)"
HK_PANELS = (
    Panel("Entry: people screened (first-tier screening)",
          (Trace(q.HK, q.HK_SCREENED, "People screened", "#56B4E9"),)),
    Panel("Outcome: victims identified through screening",
          (Trace(q.HK, q.HK_IDENTIFIED, "Victims identified", "#D55E00"),)),
)
UK_PANELS = (
    Panel("Entry: potential victims referred to the NRM",
          (Trace(q.UK, q.UK_REFERRALS, "Potential victims referred", "#0072B2"),)),
    Panel("Decisions made in the year",
          (Trace(q.UK, q.UK_RG, RG, "#E69F00"),
           Trace(q.UK, q.UK_CG, CG, "#009E73"))),
    Panel("Share of those decisions that were positive",
          (Trace(q.UK, q.UK_RG_SHARE, RG, "#E69F00", "line"),
           Trace(q.UK, q.UK_CG_SHARE, CG, "#009E73",
                 "line"))),
)
JP_PANELS = (
    Panel("National Police Agency: victims recognised",
          (Trace(q.JP, q.JP_NPA, "Police (NPA): victims recognised", "#0072B2"),)),
    Panel("Immigration Services Agency: victims protected",
          (Trace(q.JP, q.JP_ISA, "Immigration (ISA): victims protected", "#CC79A7"),)),
)
SG_PANELS = (
    Panel("Potential victims identified (government figure, as in the TIP report)",
          (Trace(q.SG, q.SG_IDENTIFIED, "Potential victims identified", "#009E73"),)),
)


def _pairs(panels: tuple[Panel, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((t.area, t.indicator) for p in panels for t in p.traces)


def _view(panels: tuple[Panel, ...], title: str, caption: str) -> ChartView:
    charted, others, ambiguous = q.funnel(_pairs(panels))
    frames = [f for f in (charted, others, ambiguous) if not f.empty]
    every = pd.concat(frames, ignore_index=True) if frames else charted
    line = q.source_line(every)
    data = every[DATA_COLUMNS].sort_values(["indicator", "year"]) if not every.empty else every
    fig = charts.funnel_chart(charted, others, panels, title, line.replace("<br>", " "))
    return ChartView(fig, data.reset_index(drop=True), caption, line,
                     sources.rows(every["source_id"] if not every.empty else []))


def _hong_kong(v: Mapping[str, Any]) -> ChartView:
    del v
    return _view(HK_PANELS, "Hong Kong: screened → identified",
                 "People put through Hong Kong's first-tier screening for trafficking "
                 "indicators, and victims identified through the mechanism after the "
                 "second-tier assessment. Pale bars: rounded or bounded figures (≈, 'over'). "
                 "Where several sources state a year, the figure the database marks preferred "
                 "is drawn; hollow diamonds are the other statements.")


def _uk(v: Mapping[str, Any]) -> ChartView:
    del v
    return _view(UK_PANELS, "UK (NRM): referred → decided → % positive",
                 "Potential victims referred to the UK National Referral Mechanism (latest "
                 "official revision of each year; hollow diamonds: earlier releases and other "
                 "publications), reasonable- and conclusive-grounds decisions made in the year, "
                 "and the share of those decisions that were positive. A referral is not an "
                 "identification; decisions in a year concern referrals of earlier years too.")


def _japan(v: Mapping[str, Any]) -> ChartView:
    del v
    return _view(JP_PANELS, "Japan: two victim counts, never added",
                 "Victims recognised by the National Police Agency and victims for whom the "
                 "Immigration Services Agency took protection procedures: two overlapping "
                 "administrative counts, shown apart and never added.")


def _singapore(v: Mapping[str, Any]) -> ChartView:
    del v
    return _view(SG_PANELS, "Singapore: potential victims identified",
                 "Potential ('alleged' in the 2018 report) trafficking victims the Singapore "
                 "government reported identifying, as the US TIP report relays them.")


SPECS = [
    ChartSpec("funnel-hong-kong", "Hong Kong: people screened and victims identified, by stage",
              "screening", (), _hong_kong),
    ChartSpec("funnel-uk-nrm", "UK National Referral Mechanism: referrals, decisions and "
              "positive shares", "screening", (), _uk),
    ChartSpec("funnel-japan", "Japan: victims recognised by the police and protected by "
              "immigration", "screening", (), _japan),
    ChartSpec("funnel-singapore", "Singapore: potential trafficking victims identified",
              "screening", (), _singapore),
]

# The section's two rows of charts: (chart id, widget key, the (area, indicator) pairs drawn).
UK_BESIDE_HK = (("funnel-hong-kong", "funnel_hk", q.HK_FUNNEL),
                ("funnel-uk-nrm", "funnel_uk", q.UK_FUNNEL))
ELSEWHERE = (("funnel-japan", "funnel_jp", q.JP_COUNTS),
             ("funnel-singapore", "funnel_sg", q.SG_COUNTS))
