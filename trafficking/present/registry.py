"""Every shareable chart: id, title, the address parameters it takes, and params → ChartView.

Pages, the embed view, the briefing pack and the export CLI all build charts through
``view(chart_id, values)``, so a chart looks the same wherever it is shown or exported.
Chart builders stay pure (``trafficking.charts``); this module only wires queries, builders,
captions and source rows together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from trafficking import geo
from trafficking.charts import tiers as tier_charts
from trafficking.present import sources
from trafficking.present.validate import choice_param, codes_param, flag_param, resolve, year_param
from trafficking.present.view import ChartSpec, ChartView, Param
from trafficking.queries import responses
from trafficking.queries import tiers as tq

CHARTS: dict[str, ChartSpec] = {}


def register(spec: ChartSpec) -> ChartSpec:
    if spec.id in CHARTS:
        raise ValueError(f"chart id {spec.id!r} registered twice")
    CHARTS[spec.id] = spec
    return spec


def get(chart_id: str) -> ChartSpec | None:
    return CHARTS.get(chart_id)


def view(chart_id: str, values: Mapping[str, Any] | None = None) -> ChartView:
    """Build a chart; missing values take the parameter defaults."""
    spec = CHARTS[chart_id]
    full = {p.name: p.default() for p in spec.params} | dict(values or {})
    out = spec.build(full)
    out.title = out.title or spec.title
    return out


def from_address(chart_id: str, raw: Mapping[str, list[str]]) -> tuple[dict, list[str]]:
    """Checked values for a chart from address values (unknown ones dropped, with notices)."""
    return resolve(CHARTS[chart_id].params, dict(raw))


# --- Parameters shared by the tier charts ---------------------------------------------------
def _codes() -> list[str]:
    return tq.jurisdictions()["iso3"].tolist()


def _default_places() -> list[str]:
    codes = _codes()
    return ["HKG"] if "HKG" in codes else codes[:1]


SORTS = {"name": "Name", "latest": "Tier in the latest report", "watch": "Years on the Watch List"}

YEAR = year_param(tq.report_years)
PLACES = codes_param(_codes, _default_places)
REGIONS = choice_param("regions", "region", tq.regions, default=list, multi=True)
SORT = choice_param("sort", "sort order", lambda: list(SORTS), default=lambda: "name")
# The map plays through every report (?animate=1); the year is the frame it starts at.
ANIMATE = flag_param("animate", "animation setting")
TIER_PAGE_PARAMS: tuple[Param, ...] = (YEAR, PLACES, REGIONS, SORT, ANIMATE)


def _names(iso3s: list[str]) -> str:
    frame = tq.jurisdictions()
    names = dict(zip(frame["iso3"], frame["name"], strict=True))
    return ", ".join(names.get(c, c) for c in iso3s)


def _tier_view(fig, data: pd.DataFrame, caption: str, source_line: str,
               ids: pd.Series | list[str]) -> ChartView:
    return ChartView(figure=fig, data=data.reset_index(drop=True), caption=caption,
                     source_line=source_line, sources=sources.rows(ids))


_PANEL_COLS = ["iso3", "name", "region", "report_year", "tier", "resolved", "source_id", "note"]


def _tiers_map(v: Mapping[str, Any]) -> ChartView:
    year = int(v["year"])
    panel = tq.panel()
    line = tier_charts.sources_line(tq.datasets_used([year])["dataset"].tolist())
    markers = geo.markers_for(sorted(panel["iso3"].unique()))
    this = panel[panel["report_year"] == year]
    n_elim = int((this["method"] == "elimination").sum())
    n_range = int((this["method"] == "range").sum())
    n_sec = int(this["secondary"].fillna(False).astype(bool).sum())
    caption = (
        f"Tier placement of each jurisdiction in the {year} TIP report. Grey land: no placement "
        "in any source. Dots mark places too small to see or with no outline in the map "
        "geometry (Kosovo)."
        + (f" {n_range} in grey-blue: 'Tier 1 or 2 (unresolved)', never a guessed tier."
           if n_range else "")
        + (f" {n_elim} placements are derived by elimination (ranked that year and on no other "
           "tier's complete list)." if n_elim else "")
        + (f" {n_sec} come from a secondary compilation, ranked below primary pages."
           if n_sec else "")
        + (" Hover says which." if n_elim or n_sec or n_range else ""))
    cols = [*_PANEL_COLS, "method", "derived_from", "secondary"]
    return _tier_view(tier_charts.tier_map(panel, year, markers, line), this[cols],
                      caption, line, this["source_id"])


def _tiers_map_animated(v: Mapping[str, Any]) -> ChartView:
    years = tq.report_years()
    start = int(v["year"])
    panel = tq.panel()
    line = tier_charts.sources_line(tq.datasets_used()["dataset"].tolist())
    markers = geo.markers_for(sorted(panel["iso3"].unique()))
    caption = (f"The map for every report, {years[0]}–{years[-1]}, starting at {start}: press "
               "▶ Play or drag the year slider under the map. Colours, dots and hover as in the "
               f"single-year map. A still image (PNG, SVG) shows the {start} report.")
    cols = [*_PANEL_COLS, "method", "derived_from", "secondary"]
    return _tier_view(tier_charts.tier_map_animated(panel, years, start, markers, line),
                      panel[cols], caption, line, panel["source_id"])


def _movements(v: Mapping[str, Any]) -> ChartView:
    year = int(v["year"])
    panel = tq.panel()
    moves = tq.movements(panel, year)
    line = tier_charts.sources_line(tq.datasets_used([year - 1, year])["dataset"].tolist())
    caption = (
        f"Jurisdictions whose {year} placement is better (upgrade) or worse (downgrade) than in "
        f"the {year - 1} report. A move to or from 'Tier 1 or 2 (unresolved)' counts only when "
        "it is certain, e.g. Watch List → Tier 1 or 2 is an upgrade.")
    ids = pd.concat([moves["source_id"], moves["previous_source_id"]])
    return _tier_view(tier_charts.movements_chart(moves, year, line), moves, caption, line, ids)


def _watch_list(v: Mapping[str, Any]) -> ChartView:
    year = int(v["year"])
    panel = tq.panel()
    streaks = tq.watch_list_streaks(panel, year)
    line = tier_charts.sources_line(tq.datasets_used([year])["dataset"].tolist())
    used = panel.merge(streaks[["iso3", "since"]], on="iso3")
    used = used[(used["report_year"] >= used["since"]) & (used["report_year"] <= year)]
    caption = (
        "Under the Trafficking Victims Protection Act a country on the Watch List for two "
        "consecutive reports is downgraded to Tier 3 in the next unless the Secretary of State "
        f"grants a waiver. Bars count consecutive reports on the Watch List up to {year}; a "
        "year with no placement in any source ends the count.")
    return _tier_view(tier_charts.watch_list_chart(streaks, year, line), streaks, caption, line,
                      used["source_id"])


# The timeline's data also says how each placement was found and how the government answered.
_TIMELINE_COLS = [*_PANEL_COLS, "method", "derived_from", "secondary",
                  *responses.PLACEMENT_COLUMNS]


def _timeline(v: Mapping[str, Any]) -> ChartView:
    places = list(v["jurisdictions"])
    hist = tq.history(places)
    answered = hist[hist["response_n"] > 0]
    line = tier_charts.sources_line(sorted(hist["dataset"].unique()))
    if len(answered):
        line += " Government responses: government-responses."
    unresolved = bool((hist["tier"] == "Tier 1 or 2").any())
    caption = (
        f"Tier placement of {_names(places)} in every report year. "
        + ("A grey-blue bar is a year known only as 'Tier 1 or 2 (unresolved)'; a gap without "
           "one is a year with no placement in any source. " if unresolved else
           "A gap is a year with no placement in any source. ")
        + (f"{len(answered)} placement(s) have a published government response: hover for "
           "its date, stance, own words, figures cited and address. " + responses.STANCE_NOTE
           if len(answered) else "No government response to these placements is in the "
           "database."))
    ids = pd.concat([hist["source_id"], pd.Series(
        responses.for_jurisdictions(places)["source_id"].unique(), dtype=object)])
    return _tier_view(tier_charts.timeline(hist, line), hist[_TIMELINE_COLS], caption, line,
                      ids)


def _heatmap(v: Mapping[str, Any]) -> ChartView:
    regions = list(v["regions"] or [])
    panel = tq.panel()
    part = panel[panel["region"].isin(regions)] if regions else panel
    order = tq.heatmap_order(part, sort_key=v["sort"])
    line = tier_charts.sources_line(tq.datasets_used()["dataset"].tolist())
    caption = (
        f"One row per jurisdiction ({len(order)} shown"
        + (f", {', '.join(regions)}" if regions else "") + "), one column per report. "
        + ("Cell labels: 1, 2, 2WL, 3, SC (Special Case) and 1/2? (Tier 1 or 2, unresolved). "
           if len(order) <= tier_charts.LABEL_ROWS else
           f"Cells are labelled (1, 2, 2WL, 3, SC, 1/2?) when {tier_charts.LABEL_ROWS} or fewer "
           "rows are shown: choose regions to see them; hover a cell for its tier. ")
        + "Empty cells: no placement in any source for that year.")
    return _tier_view(tier_charts.tier_heatmap(part, order, line), part[_PANEL_COLS], caption,
                      line, part["source_id"])


def _counts(v: Mapping[str, Any]) -> ChartView:
    del v
    counts = tq.counts_per_year()
    line = tier_charts.sources_line(tq.datasets_used()["dataset"].tolist())
    caption = (
        "How many jurisdictions each report placed on each tier. The hatched grey-blue band is "
        "'Tier 1 or 2 (unresolved)'; it is not split between the two tiers.")
    return _tier_view(tier_charts.counts_chart(counts, line), counts, caption, line,
                      tq.panel()["source_id"])


register(ChartSpec("tiers-map", "TIP tier placements: world map", "tiers", (YEAR,), _tiers_map))
register(ChartSpec("tiers-map-animated", "TIP tier placements: world map through every report",
                   "tiers", (YEAR, ANIMATE), _tiers_map_animated))
register(ChartSpec("tier-movements", "TIP tier upgrades and downgrades", "tiers", (YEAR,),
                   _movements, section="movements"))
register(ChartSpec("watch-list", "Consecutive years on the Tier 2 Watch List", "tiers",
                   (YEAR,), _watch_list, section="movements"))
register(ChartSpec("tier-timeline", "TIP tier placement over time", "tiers", (PLACES,),
                   _timeline, section="timeline"))
register(ChartSpec("tier-heatmap", "TIP tier history by jurisdiction", "tiers",
                   (REGIONS, SORT), _heatmap, section="heatmap"))
register(ChartSpec("tier-counts", "Jurisdictions per TIP tier, by report year", "tiers", (),
                   _counts, section="counts"))
TIER_SECTIONS = ("movements", "timeline", "heatmap", "counts")


def view_defaults(chart_id: str) -> dict[str, Any]:
    """Default values of every parameter of a chart."""
    return {p.name: p.default() for p in CHARTS[chart_id].params}


# Charts of the other pages live beside their page's queries; registered here, in page order.
def _register_pages() -> None:
    from trafficking.present import (
        specs_compare,
        specs_estimates,
        specs_funnels,
        specs_profile,
        specs_screening,
    )

    for module in (specs_screening, specs_funnels, specs_estimates, specs_compare,
                   specs_profile):
        for spec in module.SPECS:
            register(spec)


_register_pages()
