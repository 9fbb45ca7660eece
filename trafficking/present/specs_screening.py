"""Shareable charts of the Screening page: Hong Kong's screenings and identification rate, the
comparison of jurisdictions (per 1,000 screened, absolute, per million) and worldwide totals;
and the page's address parameters and tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from trafficking import formatting
from trafficking.charts import screening as charts
from trafficking.present import sources
from trafficking.present.validate import choice_param, codes_param
from trafficking.present.view import ChartSpec, ChartView
from trafficking.queries import screening as q

PAGE = "screening"


def _hk_frames():
    hk = q.hk_observations()
    return hk, q.hk_wide(hk), q.source_line(hk)


def _hk_screening(v: Mapping[str, Any]) -> ChartView:
    del v
    hk, wide, line = _hk_frames()
    tiers = q.tiers_for(q.HK)
    caption = (
        "Bars: people put through the first-tier screening for trafficking indicators by Hong "
        "Kong's law-enforcement departments (the mechanism started in 2016). Lines: victims "
        "identified through that mechanism (solid) and all victims identified (dotted). Pale "
        "bars are rounded government figures ('around 11,300'); hatched bars are lower bounds "
        "('more than 7,500'), drawn at the bound. Years without a figure are left empty and "
        "labelled — never drawn as zero. The coloured squares on top show Hong Kong's TIP tier "
        "in the report of the following year: the TIP report of year N covers calendar year "
        "N−1, so data year 2023 sits under the 2024 report's tier.")
    ids = list(hk["source_id"]) + list(tiers["source_id"])
    return ChartView(charts.hk_screening_chart(wide, tiers, line), wide, caption, line,
                     sources.rows(ids))


def _hk_rate(v: Mapping[str, Any]) -> ChartView:
    del v
    hk, wide, line = _hk_frames()
    rates = q.hk_rates(wide)
    caption = (
        "Identification rate = victims identified through screening ÷ people screened × 1,000. "
        "Computed only for years with both figures; '≈' marks a rate whose screening count is "
        "rounded by its source, '≤' one whose screening count is a lower bound (more people "
        "were screened, so the rate is at most that).")
    return ChartView(charts.hk_rate_chart(rates, line), rates, caption, line,
                     sources.rows(hk["source_id"]))


def _choices() -> list[str]:
    return q.compare_choices()["iso3"].tolist()


DEFAULT_PLACES = ("HKG", "SGP", "JPN", "MYS", "THA")
PLACES_MAX = 10
# The comparison's jurisdictions (address parameter ``compare``, as the page always used).
PLACES = codes_param(
    _choices, lambda: [c for c in DEFAULT_PLACES if c in set(_choices())],
    name="compare", max_n=PLACES_MAX)
# The absolute chart's y axis; a log scale keeps small series readable beside 10,000s.
SCALE = choice_param("scale", "scale", lambda: ["log", "linear"], default=lambda: "log")


def scale(log: bool) -> str:
    """The ``scale`` value of the page's 'Logarithmic scale' toggle."""
    return "log" if log else "linear"


def _compare_rate(v: Mapping[str, Any]) -> ChartView:
    frame = q.compare_series(list(v["compare"]))
    rates = q.rates_per_screened(frame)
    used = frame[frame["indicator"].isin(q.HK_CODES)]
    line = q.source_line(used)
    caption = (
        "Victims identified through screening per 1,000 people screened. Hong Kong is the only "
        "jurisdiction in the database with a published screening count; others publish victims "
        "only, so the denominator is missing for them.")
    return ChartView(charts.compare_rate_chart(rates, line), rates, caption, line,
                     sources.rows(used["source_id"]))


def _compare_victims(v: Mapping[str, Any]) -> ChartView:
    frame = q.compare_series(list(v["compare"]))
    part = frame[frame["indicator"].isin(q.VICTIM_SERIES)]
    line = q.source_line(frame)
    log = v.get("scale", "log") == "log"
    caption = ("Victims per year as each publisher counts them: Hong Kong's identified victims "
               "(TIP report / HKSAR), UNODC's detected victims, Eurostat's registered victims. "
               "Lines break where a year has no figure. Hover for the source and its address."
               + (" Log scale." if log else ""))
    return ChartView(charts.compare_absolute_chart(part, line, log_scale=log), part, caption,
                     line, sources.rows(part["source_id"]))


def _per_million(v: Mapping[str, Any]) -> ChartView:
    del v
    pm = q.rates_per_million()
    line = q.source_line(pm)
    caption = (
        "A different denominator: Eurostat's registered victims per million inhabitants, as "
        "quoted by public pages (2019–2020). Hong Kong is not in Eurostat's data; no population "
        "figures are in the database to compute a rate for it.")
    return ChartView(charts.per_million_chart(pm, line), pm, caption, line,
                     sources.rows(pm["source_id"]))


def _worldwide(v: Mapping[str, Any]) -> ChartView:
    del v
    world = q.worldwide()
    line = q.source_line(q.by_dataset(world))
    caption = (
        "Prosecutions, convictions and victims identified worldwide per data year, from the TIP "
        "report's 'Global Law Enforcement Data' table (orange: the labour-trafficking part, "
        "where the report prints it). The data year is the year before the report year. '–' "
        "marks a year the table does not give; the State Department calls the figures "
        "estimates. Later reports revise earlier years: each year shows the latest edition in "
        "the data that gives it, and '*' marks a year another edition or page gives differently "
        "— hover for every edition's value; all of them are in the table below.")
    return ChartView(charts.worldwide_chart(world, line), world, caption, line,
                     sources.rows(world["source_id"]))


SPECS = [
    ChartSpec("hk-screening", "Hong Kong: people screened and victims identified", PAGE,
              (), _hk_screening),
    ChartSpec("hk-identification-rate", "Hong Kong: victims identified per 1,000 screened",
              PAGE, (), _hk_rate),
    ChartSpec("screening-rate", "Victims identified per 1,000 people screened, by jurisdiction",
              PAGE, (PLACES,), _compare_rate),
    ChartSpec("screening-victims", "Victims identified, detected or registered, by jurisdiction",
              PAGE, (PLACES, SCALE), _compare_victims),
    ChartSpec("screening-per-million", "Registered victims per million inhabitants (Eurostat)",
              PAGE, (), _per_million),
    ChartSpec("tip-worldwide", "Worldwide prosecutions, convictions and victims identified "
              "(TIP report)", PAGE, (), _worldwide),
]


def hk_metrics(wide: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) of the three headline figures for the latest year with a screening count:
    people screened, victims identified through screening, and the rate per 1,000."""
    latest = wide.dropna(subset=[q.SCREENINGS]).iloc[-1]
    year = int(latest["year"])
    rates = q.hk_rates(wide).set_index("year")
    rate, mark = rates["rate"].get(year), rates["mark"].get(year, "")
    victims = latest[q.VICTIMS_SCREENED]
    return [
        (f"People screened, {year}",
         formatting.count(latest[q.SCREENINGS], latest[q.SCREENINGS + "_qualifier"])),
        (f"Victims identified through screening, {year}",
         "no figure" if pd.isna(victims) else f"{victims:,.0f}"),
        (f"Per 1,000 screened, {year}",
         "not computable" if rate is None or pd.isna(rate) else f"{mark}{rate:.2f}"),
    ]

