"""Shareable charts of the Screening page (Hong Kong screenings and identification rate)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trafficking.charts import screening as charts
from trafficking.present import sources
from trafficking.present.validate import codes_param
from trafficking.present.view import ChartSpec, ChartView
from trafficking.queries import screening as q


def _hk_frames():
    hk = q.hk_observations()
    return hk, q.hk_wide(hk), q.source_line(hk)


def _hk_screening(v: Mapping[str, Any]) -> ChartView:
    del v
    hk, wide, line = _hk_frames()
    tiers = q.tiers_for(q.HK)
    caption = ("Bars: people put through Hong Kong's first-tier screening for trafficking "
               "indicators. Lines: victims identified through screening (solid) and all victims "
               "identified (dotted). Pale bars: rounded government figures ('around 11,300'); "
               "hatched: a lower bound ('more than 7,500'). Years without a figure are left "
               "empty and labelled, never drawn as zero. "
               "Squares: Hong Kong's TIP tier in the following year's report.")
    ids = list(hk["source_id"]) + list(tiers["source_id"])
    return ChartView(charts.hk_screening_chart(wide, tiers, line), wide, caption, line,
                     sources.rows(ids))


def _hk_rate(v: Mapping[str, Any]) -> ChartView:
    del v
    hk, wide, line = _hk_frames()
    rates = q.hk_rates(wide)
    caption = ("Identification rate = victims identified through screening ÷ people screened × "
               "1,000, for years with both figures; '≈' marks a rate from a rounded count, '≤' "
               "one from a lower-bound screening count (the rate is at most that).")
    return ChartView(charts.hk_rate_chart(rates, line), rates, caption, line,
                     sources.rows(hk["source_id"]))


def _choices() -> list[str]:
    return q.compare_choices()["iso3"].tolist()


# The Screening page's comparison (address parameter ``compare``, as the page already used).
PLACES = codes_param(
    _choices, lambda: [c for c in ("HKG", "SGP", "JPN", "MYS", "THA") if c in set(_choices())],
    name="compare", max_n=10)


def _compare_victims(v: Mapping[str, Any]) -> ChartView:
    frame = q.compare_series(list(v["compare"]))
    part = frame[frame["indicator"].isin(q.VICTIM_SERIES)]
    line = q.source_line(frame)
    caption = ("Victims per year as each publisher counts them: Hong Kong's identified victims "
               "(TIP report / HKSAR), UNODC's detected victims, Eurostat's registered victims. "
               "Different counts, not one series: see the Screening page. Log scale.")
    return ChartView(charts.compare_absolute_chart(part, line, log_scale=True), part, caption,
                     line, sources.rows(part["source_id"]))


def _worldwide(v: Mapping[str, Any]) -> ChartView:
    del v
    world = q.worldwide()
    line = q.source_line(q.by_dataset(world))
    caption = ("Prosecutions, convictions and victims identified worldwide per data year, from "
               "the TIP report's 'Global Law Enforcement Data' table (orange: the labour-"
               "trafficking part, where printed). Later editions revise earlier years: each year "
               "shows the latest edition that gives it; '*' marks a year another edition gives "
               "differently (hover for every edition's value). The State Department calls them "
               "estimates; data year 2024 rests on one blog summary of the 2025 report.")
    return ChartView(charts.worldwide_chart(world, line), world, caption, line,
                     sources.rows(world["source_id"]))


SPECS = [
    ChartSpec("hk-screening", "Hong Kong: people screened and victims identified", "screening",
              (), _hk_screening),
    ChartSpec("hk-identification-rate", "Hong Kong: victims identified per 1,000 screened",
              "screening", (), _hk_rate),
    ChartSpec("screening-victims", "Victims identified, detected or registered, by jurisdiction",
              "screening", (PLACES,), _compare_victims),
    ChartSpec("tip-worldwide", "Worldwide prosecutions, convictions and victims identified "
              "(TIP report)", "screening", (), _worldwide),
]
