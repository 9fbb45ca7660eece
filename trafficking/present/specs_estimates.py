"""Shareable charts of the Global estimates page (headlines by edition, GSI 2023 map)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trafficking import geo
from trafficking.charts import estimates as charts
from trafficking.present import sources
from trafficking.present.validate import choice_param, year_param
from trafficking.present.view import ChartSpec, ChartView
from trafficking.queries import estimates as q

GSI_SOURCE = ("Source: Walk Free 2023, The Global Slavery Index 2023, Minderoo Foundation "
              "(walkfree-gsi-2023). © Minderoo Foundation, used with attribution.")


def _editions() -> list[int]:
    return sorted(q.quoted_figures()["edition"].dropna().astype(int).unique().tolist())


def _gsi_codes() -> list[str]:
    return q.gsi_countries()["iso3"].tolist()


# Address parameters of the Global estimates page (checked against the database).
EDITION = year_param(_editions, name="edition", label="edition")
COUNTRY = choice_param("country", "country code", _gsi_codes,
                       default=lambda: "HKG" if "HKG" in _gsi_codes() else _gsi_codes()[0])


def quoted_source(figures) -> str:
    """The page's source line for quoted global-estimate figures."""
    return ("Source: ILO / Walk Free / IOM global estimates, figures as quoted on public "
            "pages (datasets " + ", ".join(sorted(figures["dataset"].unique()))
            + "). Hover for each figure's page and quote.")


def _headlines(v: Mapping[str, Any]) -> ChartView:
    del v
    figures = q.quoted_figures()
    heads = q.headlines(figures)
    line = quoted_source(figures)
    caption = ("Headline estimates of each edition as public pages quote them. Editions are not "
               "a time series: the publishers revised their methods between editions.")
    cols = ["edition", "series", "measure_label", "year", "value", "qualifier", "unit",
            "source_id", "cited_url", "quote"]
    return ChartView(charts.headline_chart(heads, line), heads[cols], caption, line,
                     sources.rows(heads["source_id"]))


def _gsi_map(v: Mapping[str, Any]) -> ChartView:
    del v
    countries = q.gsi_countries()
    markers = geo.markers_for(countries["iso3"].tolist())
    n_est = int(countries["prevalence"].notna().sum())
    caption = (f"Walk Free's estimated prevalence of modern slavery (per 1,000 people, 2021) "
               f"for {n_est} of the {len(countries)} countries it assessed. Grey: no estimate "
               "(not zero).")
    return ChartView(charts.gsi_map(countries, markers, GSI_SOURCE), countries, caption,
                     GSI_SOURCE, sources.rows(countries["source_id"]))


SPECS = [
    ChartSpec("ge-headlines", "Global estimates of modern slavery: headlines by edition",
              "global_estimates", (), _headlines),
    ChartSpec("gsi-map", "Global Slavery Index 2023: prevalence per 1,000 people",
              "global_estimates", (), _gsi_map),
]
