"""Shareable charts of the Global estimates page: headlines by edition, the breakdowns (by form,
region, sex and age, others; drawn in the page's lazy ``breakdowns`` section) and the GSI 2023 map.

A breakdown chart draws one kind of figure (counts or shares) of one edition; its ``edition``
defaults to the latest edition that quotes such figures, so an embed without one is never empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from trafficking import geo
from trafficking.charts import estimates as charts
from trafficking.present import sources
from trafficking.present.validate import choice_param, year_param
from trafficking.present.view import ChartSpec, ChartView, Param
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


def quoted_source(figures: pd.DataFrame) -> str:
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


# The provenance every breakdown's data download carries, in the page table's order.
FIGURE_COLUMNS = ["edition", "year", "measure_label", "breakdown_dim", "breakdown",
                  "value", "qualifier", "kind", "unit", "source_id", "cited_url", "quote",
                  "also_quoted", "preferred_reason", "note"]


@dataclass(frozen=True)
class Breakdown:
    """One breakdown chart: which dimensions, which kind of figure, its title."""

    id: str
    title: str  # the figure's title; the edition is added as a second line
    dims: tuple[str, ...]
    kind: str  # 'count' | 'share'
    spec_title: str


BREAKDOWNS = (
    Breakdown("ge-forms", "People by form (millions)", ("form", "sector"), "count",
              "Global estimates: people by form of modern slavery"),
    Breakdown("ge-form-shares", "Shares by form (%)", ("form", "sector"), "share",
              "Global estimates: shares by form of modern slavery"),
    Breakdown("ge-sex-age", "People by sex and age (millions)", ("sex", "age"), "count",
              "Global estimates: people in modern slavery by sex and age"),
    Breakdown("ge-sex-age-shares", "Shares by sex and age (%)", ("sex", "age"), "share",
              "Global estimates: shares by sex and age"),
    Breakdown("ge-other", "Other breakdowns: people (millions)", ("movement", "income_group"),
              "count", "Global estimates: people by movement and income group"),
    Breakdown("ge-other-shares", "Other breakdowns: shares (%)", ("movement", "income_group"),
              "share", "Global estimates: shares by movement and income group"),
)
BREAKDOWN = {b.id: b for b in BREAKDOWNS}


def breakdown_rows(figures: pd.DataFrame, edition: int, dims: tuple[str, ...]) -> pd.DataFrame:
    """The preferred world figures of one edition for a group of breakdowns (every kind)."""
    return q.breakdown(figures, edition, list(dims))


def _latest_edition_with(has: Callable[[pd.DataFrame, int], bool]) -> Callable[[], int]:
    """A default edition: the latest one for which ``has(figures, edition)``."""
    def default() -> int:
        figures = q.quoted_figures()
        found = [e for e in sorted(_editions(), reverse=True) if has(figures, e)]
        return found[0] if found else max(_editions())
    return default


def rows_of(figures: pd.DataFrame, edition: int, b: Breakdown) -> pd.DataFrame:
    """The figures one breakdown chart draws."""
    part = breakdown_rows(figures, edition, b.dims)
    return part[part["kind"] == b.kind]


def charts_with_figures(figures: pd.DataFrame, edition: int, charts: Mapping[str, str]
                        ) -> dict[str, str]:
    """The breakdown charts (id → widget key) that have a figure to draw for ``edition``."""
    return {i: k for i, k in charts.items() if not rows_of(figures, edition, BREAKDOWN[i]).empty}


def _edition_of(b: Breakdown) -> Param:
    return year_param(_editions, name="edition", label="edition", default=_latest_edition_with(
        lambda figures, edition: not rows_of(figures, edition, b).empty))


def _breakdown_view(b: Breakdown) -> Callable[[Mapping[str, Any]], ChartView]:
    def build(v: Mapping[str, Any]) -> ChartView:
        edition = int(v["edition"])
        figures = q.quoted_figures()
        rows = rows_of(figures, edition, b)
        line = quoted_source(figures)
        label = q.edition_label(edition)
        caption = (f"{b.spec_title.removeprefix('Global estimates: ').capitalize()}, "
                   f"{label}, as public pages quote them. Each bar is one figure as a page "
                   "states it, not a slice of one total.")
        fig = charts.bar_chart(rows, f"{b.title}<br>{label}", line)
        return ChartView(fig, rows.reindex(columns=FIGURE_COLUMNS).reset_index(drop=True),
                         caption, line, sources.rows(rows["source_id"]))
    return build


def _region_measure_options() -> list[str]:
    figures = q.quoted_figures()
    have = {m for e in _editions() for m in q.region_measures(figures, e)}
    return [m for m in q.MEASURE_LABELS if m in have]


def region_measure(figures: pd.DataFrame, edition: int, measure: str | None) -> str | None:
    """``measure`` if the edition quotes it by region, else the edition's first such measure."""
    measures = q.region_measures(figures, edition)
    if not measures:
        return None
    return measure if measure in measures else measures[0]


MEASURE = choice_param("measure", "measure", _region_measure_options,
                       default=lambda: region_measure(q.quoted_figures(), max(_editions()), None)
                       or "")
REGION_EDITION = year_param(_editions, name="edition", label="edition",
                            default=_latest_edition_with(
                                lambda figures, e: bool(q.region_measures(figures, e))))


def region_title(edition: int, measure: str) -> str:
    return f"{q.MEASURE_LABELS[measure]} by region<br>{q.edition_label(edition)}"


def regional_gap_note(gaps: pd.DataFrame, edition: int, measure: str) -> str:
    """Which regions the chart leaves 'not quoted', or that every region has both figures."""
    missing = gaps[(gaps["edition"] == edition) & (gaps["measure"] == measure)]
    if missing.empty:
        return "Every region has both a number and a rate per 1,000 for this measure."
    return "Not quoted for this edition and measure — " + "; ".join(
        f"{r['what']}: {r['regions']}" for _, r in missing.iterrows()) + "."


def _regions(v: Mapping[str, Any]) -> ChartView:
    edition = int(v["edition"])
    figures = q.quoted_figures()
    measure = region_measure(figures, edition, v.get("measure"))
    line = quoted_source(figures)
    if measure is None:
        rows, title, gap = figures.iloc[0:0], "By region", "No regional figure is quoted."
    else:
        rows = q.regions(figures, edition, measure)
        title = region_title(edition, measure)
        gap = regional_gap_note(q.regional_gaps(figures), edition, measure)
    caption = (
        f"{q.MEASURE_LABELS.get(measure, 'Figures')} by region, {q.edition_label(edition)}. "
        "Left: people (absolute). Right: per 1,000 people in the region. 'Not quoted': no "
        "public page in the mirror states that figure. Regions are the ones each edition used; "
        "the 2005 and 2012 groupings differ from the five used since 2017. Where pages state a "
        "figure more than once, the chart draws the exact, most precise statement (then the "
        f"publisher's own page); the table lists the others. {gap}")
    return ChartView(charts.region_chart(rows, q.region_names(figures, edition), title, line),
                     rows.reindex(columns=FIGURE_COLUMNS).reset_index(drop=True), caption, line,
                     sources.rows(rows["source_id"]))


SPECS = [
    ChartSpec("ge-headlines", "Global estimates of modern slavery: headlines by edition",
              "global_estimates", (), _headlines),
    ChartSpec("gsi-map", "Global Slavery Index 2023: prevalence per 1,000 people",
              "global_estimates", (), _gsi_map),
    *(ChartSpec(b.id, b.spec_title, "global_estimates", (_edition_of(b),), _breakdown_view(b),
                section="breakdowns") for b in BREAKDOWNS),
    ChartSpec("ge-regions", "Global estimates by region: people and rate per 1,000",
              "global_estimates", (REGION_EDITION, MEASURE), _regions, section="breakdowns"),
]
