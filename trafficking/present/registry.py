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

from trafficking import geo, vocabulary
from trafficking.charts import tiers as tier_charts
from trafficking.i18n import N_, _, ngettext
from trafficking.places import localise
from trafficking.present import sources
from trafficking.present import text_tiers as say
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
    out.title = out.title or _(spec.title)
    return out


def is_default(chart_id: str, values: Mapping[str, Any]) -> bool:
    """Whether ``values`` give the chart's default view on the current database (as each
    parameter writes it to the address): a page's top chart at its default values is the one
    that has a still image (present/firstview.py), also after a refresh moved the default."""
    spec = CHARTS.get(chart_id)
    if spec is None:
        return False
    given = dict(values)
    try:
        return all(p.encode(given[p.name]) == p.encode(p.default())
                   for p in spec.params if p.name in given)
    except (TypeError, ValueError):
        return False


def from_address(chart_id: str, raw: Mapping[str, list[str]]) -> tuple[dict, list[str]]:
    """Checked values for a chart from address values (unknown ones dropped, with notices)."""
    return resolve(CHARTS[chart_id].params, dict(raw))


# --- Parameters shared by the tier charts ---------------------------------------------------
def _codes() -> list[str]:
    return tq.jurisdictions()["iso3"].tolist()


def _default_places() -> list[str]:
    codes = _codes()
    return ["HKG"] if "HKG" in codes else codes[:1]


SORTS = {"name": N_("Name"), "latest": N_("Tier in the latest report"),
         "watch": N_("Years on the Watch List")}

YEAR = year_param(tq.report_years)
PLACES = codes_param(_codes, _default_places)
REGIONS = choice_param("regions", N_("region"), tq.regions, default=list, multi=True)
SORT = choice_param("sort", N_("sort order"), lambda: list(SORTS), default=lambda: "name")
# The map plays through every report (?animate=1); the year is the frame it starts at.
ANIMATE = flag_param("animate", N_("animation setting"))
TIER_PAGE_PARAMS: tuple[Param, ...] = (YEAR, PLACES, REGIONS, SORT, ANIMATE)


def _panel() -> pd.DataFrame:
    """Every placement, places named in the reader's language (charts, summaries, tables)."""
    return localise(tq.panel())


def _names(iso3s: list[str]) -> str:
    frame = localise(tq.jurisdictions())
    names = dict(zip(frame["iso3"], frame["name"], strict=True))
    return say.listed(names.get(c, c) for c in iso3s)


def _tier_view(fig, data: pd.DataFrame, caption: str, source_line: str,
               ids: pd.Series | list[str], summary: str = "",
               table: pd.DataFrame | None = None) -> ChartView:
    return ChartView(figure=fig, data=data.reset_index(drop=True), caption=caption,
                     source_line=source_line, sources=sources.rows(ids), summary=summary,
                     table=table)


_PANEL_COLS = ["iso3", "name", "region", "report_year", "tier", "resolved", "source_id", "note"]


def _map_caption(this: pd.DataFrame, year: int) -> str:
    n_elim = int((this["method"] == "elimination").sum())
    n_range = int((this["method"] == "range").sum())
    n_sec = int(this["secondary"].fillna(False).astype(bool).sum())
    parts = [_("Tier placement of each jurisdiction in the {year} TIP report. Grey land: no "
               "placement in any source. Dots mark places too small to see or with no outline in "
               "the map geometry (Kosovo). Hover and the data table name each tier.").format(
                   year=year)]
    if n_range:
        parts.append(_("{n} in grey-blue: 'Tier 1 or 2 (unresolved)', never a guessed "
                       "tier.").format(n=n_range))
    if n_elim:
        parts.append(_("{n} placements are derived by elimination (ranked that year and on no "
                       "other tier's complete list).").format(n=n_elim))
    if n_sec:
        parts.append(_("{n} come from a secondary compilation, ranked below primary "
                       "pages.").format(n=n_sec))
    if n_elim or n_sec or n_range:
        parts.append(_("Hover says which."))
    return say.sentences(parts)


def _tiers_map(v: Mapping[str, Any]) -> ChartView:
    year = int(v["year"])
    panel = _panel()
    line = tier_charts.sources_line(tq.datasets_used([year])["dataset"].tolist())
    markers = geo.markers_for(sorted(panel["iso3"].unique()))
    this = panel[panel["report_year"] == year]
    cols = [*_PANEL_COLS, "method", "derived_from", "secondary"]
    return _tier_view(tier_charts.tier_map(panel, year, markers, line), this[cols],
                      _map_caption(this, year), line, this["source_id"],
                      say.map_summary(this, year),
                      say.tier_table(this, ["name", "iso3", "tier", "source_id"]))


def _tiers_map_animated(v: Mapping[str, Any]) -> ChartView:
    years = tq.report_years()
    start = int(v["year"])
    panel = _panel()
    line = tier_charts.sources_line(tq.datasets_used()["dataset"].tolist())
    markers = geo.markers_for(sorted(panel["iso3"].unique()))
    caption = _("The map for every report, {first}–{last}, starting at {start}: press ▶ Play or "
                "drag the year slider under the map. Colours, dots and hover as in the "
                "single-year map. A still image (PNG, SVG) shows the {start} report.").format(
                    first=years[0], last=years[-1], start=start)
    cols = [*_PANEL_COLS, "method", "derived_from", "secondary"]
    return _tier_view(tier_charts.tier_map_animated(panel, years, start, markers, line),
                      panel[cols], caption, line, panel["source_id"],
                      say.animated_summary(panel, years, start),
                      say.tier_table(panel, ["report_year", "name", "iso3", "tier"]))


def _movements(v: Mapping[str, Any]) -> ChartView:
    year = int(v["year"])
    panel = _panel()
    moves = tq.movements(panel, year)
    line = tier_charts.sources_line(tq.datasets_used([year - 1, year])["dataset"].tolist())
    caption = _(
        "Jurisdictions whose {year} placement is better (upgrade) or worse (downgrade) than in "
        "the {previous} report. A move to or from 'Tier 1 or 2 (unresolved)' counts only when "
        "it is certain, e.g. Watch List → Tier 1 or 2 is an upgrade.").format(
            year=year, previous=year - 1)
    ids = pd.concat([moves["source_id"], moves["previous_source_id"]])
    moved = moves[moves["movement"].isin(["upgrade", "downgrade"])].sort_values(
        ["movement", "name"], ascending=[False, True])
    return _tier_view(tier_charts.movements_chart(moves, year, line), moves, caption, line, ids,
                      say.movements_summary(moved, year),
                      say.tier_table(moved, ["name", "previous_tier", "tier", "movement"]))


def _watch_list(v: Mapping[str, Any]) -> ChartView:
    year = int(v["year"])
    panel = _panel()
    streaks = tq.watch_list_streaks(panel, year)
    line = tier_charts.sources_line(tq.datasets_used([year])["dataset"].tolist())
    used = panel.merge(streaks[["iso3", "since"]], on="iso3")
    used = used[(used["report_year"] >= used["since"]) & (used["report_year"] <= year)]
    caption = _(
        "Under the Trafficking Victims Protection Act a country on the Watch List for two "
        "consecutive reports is downgraded to Tier 3 in the next unless the Secretary of State "
        "grants a waiver. Bars count consecutive reports on the Watch List up to {year}; a "
        "year with no placement in any source ends the count.").format(year=year)
    return _tier_view(tier_charts.watch_list_chart(streaks, year, line), streaks, caption, line,
                      used["source_id"], say.watch_summary(streaks, year),
                      say.tier_table(streaks, ["name", "consecutive_years", "since"]))


# The timeline's data also says how each placement was found and how the government answered.
_TIMELINE_COLS = [*_PANEL_COLS, "method", "derived_from", "secondary",
                  *responses.PLACEMENT_COLUMNS]


def _timeline_caption(hist: pd.DataFrame, places: list[str]) -> str:
    answered = int((hist["response_n"] > 0).sum())
    unresolved = bool((hist["tier"] == vocabulary.UNRESOLVED).any())
    return say.sentences([
        _("Tier placement of {places} in every report year.").format(places=_names(places)),
        _("A grey-blue bar is a year known only as 'Tier 1 or 2 (unresolved)'; a gap without "
          "one is a year with no placement in any source.") if unresolved else
        _("A gap is a year with no placement in any source."),
        ngettext("{n} placement has a published government response: hover for its date, "
                 "stance, own words, figures cited and address. {stance_note}",
                 "{n} placements have a published government response: hover for its date, "
                 "stance, own words, figures cited and address. {stance_note}", answered).format(
              n=answered, stance_note=_(responses.STANCE_NOTE)) if answered else
        _("No government response to these placements is in the database.")])


def _timeline(v: Mapping[str, Any]) -> ChartView:
    places = list(v["jurisdictions"])
    hist = localise(tq.history(places))
    line = tier_charts.sources_line(sorted(hist["dataset"].unique()))
    if (hist["response_n"] > 0).any():
        line = say.sentences([line, _("Government responses: government-responses.")])
    ids = pd.concat([hist["source_id"], pd.Series(
        responses.for_jurisdictions(places)["source_id"].unique(), dtype=object)])
    return _tier_view(tier_charts.timeline(hist, line), hist[_TIMELINE_COLS],
                      _timeline_caption(hist, places), line, ids, say.timeline_summary(hist),
                      say.tier_table(hist, ["name", "report_year", "tier", "source_id"]))


def _heatmap(v: Mapping[str, Any]) -> ChartView:
    regions = list(v["regions"] or [])
    panel = _panel()
    part = panel[panel["region"].isin(regions)] if regions else panel
    order = tq.heatmap_order(part, sort_key=v["sort"])
    line = tier_charts.sources_line(tq.datasets_used()["dataset"].tolist())
    shown = (_("One row per jurisdiction ({n} shown, {regions}), one column per report.")
             .format(n=len(order), regions=say.listed(map(say.region_name, regions)))
             if regions else
             _("One row per jurisdiction ({n} shown), one column per report.").format(
                 n=len(order)))
    labels = (_("Cell labels, where the chart is wide enough for them: {key}.").format(
                  key=_(say.SHORT_KEY))
              if len(order) <= tier_charts.LABEL_ROWS else
              _("Cells are labelled ({key}) when {n} or fewer rows are shown: choose regions to "
                "see them; hover a cell for its tier.").format(key=_(say.SHORT_KEY),
                                                             n=tier_charts.LABEL_ROWS))
    caption = say.sentences([shown, labels,
                        _("Empty cells: no placement in any source for that year.")])
    rank = {c: i for i, c in enumerate(order)}
    cells = part.assign(row=part["iso3"].map(rank)).sort_values(["row", "report_year"])
    return _tier_view(tier_charts.tier_heatmap(part, order, line), part[_PANEL_COLS], caption,
                      line, part["source_id"], say.heatmap_summary(part, len(order)),
                      say.tier_table(cells, ["name", "report_year", "tier"]))


def _counts(v: Mapping[str, Any]) -> ChartView:
    del v
    counts = tq.counts_per_year()
    line = tier_charts.sources_line(tq.datasets_used()["dataset"].tolist())
    caption = _(
        "How many jurisdictions each report placed on each tier; each segment is labelled "
        "{key} where it fits. The hatched grey-blue band is 'Tier 1 or 2 (unresolved)'; it is "
        "not split between the two tiers.").format(key=_(say.SHORT_KEY))
    order = {t: i for i, t in enumerate(tier_charts.STACK_ORDER)}
    plotted = counts[counts["tier"].isin(order)].assign(k=lambda f: f["tier"].map(order))
    plotted = plotted.sort_values(["report_year", "k"])
    return _tier_view(tier_charts.counts_chart(counts, line), counts, caption, line,
                      tq.panel()["source_id"], say.counts_summary(plotted),
                      say.tier_table(plotted, ["report_year", "tier", "n"]))


register(ChartSpec("tiers-map", N_("TIP tier placements: world map"), "tiers", (YEAR,),
                   _tiers_map))
register(ChartSpec("tiers-map-animated", N_("TIP tier placements: world map through every "
                                            "report"), "tiers", (YEAR, ANIMATE),
                   _tiers_map_animated))
register(ChartSpec("tier-movements", N_("TIP tier upgrades and downgrades"), "tiers", (YEAR,),
                   _movements, section="movements"))
register(ChartSpec("watch-list", N_("Consecutive years on the Tier 2 Watch List"), "tiers",
                   (YEAR,), _watch_list, section="movements"))
register(ChartSpec("tier-timeline", N_("TIP tier placement over time"), "tiers", (PLACES,),
                   _timeline, section="timeline"))
register(ChartSpec("tier-heatmap", N_("TIP tier history by jurisdiction"), "tiers",
                   (REGIONS, SORT), _heatmap, section="heatmap"))
register(ChartSpec("tier-counts", N_("Jurisdictions per TIP tier, by report year"), "tiers", (),
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
