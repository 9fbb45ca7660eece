"""Column labels and formats of the tables the pages show under their charts (app layer:
Streamlit's column types). The keys are the frames' own column names, in the order shown; a
page passes a mapping to ``render.table`` (or selects ``list(COLUMNS)`` and passes it as
column_config).

Headers are marked for the catalogue (``N_``) and shown in the reader's language by
``translated``, which ``render.table`` applies to every mapping. ``translated`` also gives the
date-and-time columns (``_when``) the reader's date layout (``formatting.moment_format``:
'20 Nov 2026, 10:31', '2026年11月20日 10:31'); the ISO format they are defined with here is only
a placeholder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from trafficking import formatting
from trafficking.i18n import N_, _

_C = st.column_config
# ``_when``'s placeholder formats → (with seconds): replaced by the reader's layout.
_WHEN = {"YYYY-MM-DD HH:mm": False, "YYYY-MM-DD HH:mm:ss": True}


def _int(label: str) -> Any:
    return _C.NumberColumn(label, format="%d")


def _when(label: str, seconds: bool = False) -> Any:
    """A date-and-time column (UTC, as the heading says), shown in the reader's layout by
    ``translated``; still a datetime, so it sorts by time."""
    return _C.DatetimeColumn(label, format="YYYY-MM-DD HH:mm" + (":ss" if seconds else ""))


def _localised(config: dict) -> dict:
    types = config.get("type_config") or {}
    if types.get("type") != "datetime" or types.get("format") not in _WHEN:
        return config
    return {**config, "type_config": {
        **types, "format": formatting.moment_format(seconds=_WHEN[types["format"]])}}


def translated(columns: Mapping[str, Any]) -> dict[str, Any]:
    """``columns`` with each header (a string, or a column config's label and help) in the
    reader's language, and ``_when`` columns in the reader's date layout; the configs
    themselves are not changed."""
    out: dict[str, Any] = {}
    for name, value in columns.items():
        if isinstance(value, str):
            out[name] = _(value)
        elif isinstance(value, dict):
            out[name] = _localised({**value, **{k: _(value[k]) for k in ("label", "help")
                                                if isinstance(value.get(k), str)}})
        else:
            out[name] = value
    return out

PROFILE_RESPONSES = {
    "report_year": N_("Report year"), "tier": N_("Tier that report"), "date": N_("Date"),
    "stance": N_("Stance (project's reading)"),
    "stance_quote": st.column_config.TextColumn(N_("The statement's own words"), width="large"),
    "cited_url": st.column_config.LinkColumn(N_("Statement"), width="medium"),
    "figures_cited": N_("Figures cited"), "publisher": N_("Statement by"), "language": N_("Language"),
    "title": N_("Title")}
PROFILE_LATEST = {
    "name": N_("Indicator"), "unit": N_("Unit"), "n_years": N_("Years"), "span": N_("From–to"),
    "latest": N_("Latest value"), "year": st.column_config.NumberColumn(N_("Latest year"), format="%d"),
    "source_id": N_("Source file"), "rank": N_("Rank"), "region_rank": N_("Rank in region"),
    "indicator": N_("Code")}
PROFILE_VALUES = {
    "name": N_("Indicator"), "year": N_("Year"), "value": N_("Value"), "qualifier": N_("Qualifier"),
    "charted": N_("Charted"), "source_id": N_("Source file"), "quote": N_("Quote"),
    "cited_url": st.column_config.LinkColumn(N_("Page")), "note": N_("Note")}
PROFILE_MISSING = {"name": N_("Indicator"), "unit": N_("Unit"), "publisher": N_("Publisher"),
                   "n_jurisdictions": N_("Jurisdictions with values")}
PROFILE_SOURCES = {
    "source_id": N_("Source file"), "publisher": N_("Publisher"), "title": N_("Title"),
    "what": N_("Used for"), "n": N_("Rows"), "first": N_("From"), "last": N_("To"),
    "address": st.column_config.LinkColumn(N_("Address")),
    "retrieved_at": _when(N_("Retrieved (UTC)")), "sha256": N_("sha256")}

# --- Screening page ---------------------------------------------------------------------------
SCREENING_STATED_TWICE = {
    "year": N_("Year"), "indicator_name": N_("Series"),
    "value": st.column_config.NumberColumn(N_("Figure"), format="%,d"), "qualifier": N_("Qualifier"),
    "charted": N_("Charted"), "preferred_reason": N_("Why charted or not"),
    "quote": N_("Sentence in the source"), "cited_url": st.column_config.LinkColumn(N_("Address"))}
SCREENING_RESPONSES = {
    "report_year": N_("Report year"), "date": N_("Date"), "stance": N_("Stance (project's reading)"),
    "stance_quote": N_("The statement's own words"),
    "cited_url": st.column_config.LinkColumn(N_("Statement")), "figures_cited": N_("Figures cited"),
    "publisher": N_("Statement by")}
SCREENING_WORLD_CONFLICTS = {
    "indicator_name": N_("Series"), "year": N_("Data year"), "breakdown": N_("Part"),
    "edition": N_("Edition"),
    "value": st.column_config.NumberColumn(N_("Value"), format="%,d"),
    "chosen_edition": N_("Charted edition"),
    "chosen_value": st.column_config.NumberColumn(N_("Charted value"), format="%,d"),
    "reason": N_("Why"), "source_id": N_("Source"), "chosen_source_id": N_("Charted source")}
SCREENING_FIGURES = {
    "area_name": N_("Area"), "indicator_name": N_("Series"), "year": N_("Year"), "breakdown": N_("Part"),
    "value": st.column_config.NumberColumn(N_("Value"), format="%,g"), "qualifier": N_("Qualifier"),
    "charted": N_("Charted"), "edition": N_("Stated in"), "preferred_reason": N_("Why charted or not"),
    "quote": N_("Quote / source row"), "cited_url": st.column_config.LinkColumn(N_("Page quoted")),
    "source_publisher": N_("Publisher"),
    "source_address": st.column_config.LinkColumn(N_("File address")),
    "source_id": N_("Loaded from"), "retrieved": N_("Retrieved"), "note": N_("Note")}
_YEAR = st.column_config.NumberColumn(N_("Year"), format="%d")
FUNNEL_REVISIONS = {
    "year": _YEAR, "value": st.column_config.NumberColumn(N_("Referrals"), format="%,d"),
    "qualifier": N_("Qualifier"), "preferred": N_("Charted"), "edition": N_("Stated in"),
    "preferred_reason": N_("Why (not) charted"), "quote": N_("Sentence in the source"),
    "cited_url": st.column_config.LinkColumn(N_("Page"))}
FUNNEL_CONFLICTS = {
    "indicator_name": N_("Series"), "year": _YEAR, "edition": N_("Stated in"),
    "value": st.column_config.NumberColumn(N_("Figure"), format="%,d"),
    "chosen_edition": N_("Official release charted"),
    "chosen_value": st.column_config.NumberColumn(N_("Charted figure"), format="%,d"),
    "reason": N_("Reason")}
FUNNEL_EVERY = {
    "area_name": N_("Place"), "indicator_name": N_("Series"), "year": _YEAR,
    "value": st.column_config.NumberColumn(N_("Value"), format="%,g"), "qualifier": N_("Qualifier"),
    "preferred": N_("Charted"), "edition": N_("Stated in"), "preferred_reason": N_("Why (not) charted"),
    "quote": N_("Sentence in the source"), "cited_url": st.column_config.LinkColumn(N_("Page")),
    "source_id": N_("Loaded from"), "retrieved": N_("Retrieved")}

def compare_values(dim: str, per100k: bool) -> dict:
    """The Compare page's values table: the figures first, then where they come from (the
    table scrolls sideways after that)."""
    columns: dict = {"place": N_("Place"), "name": N_("Indicator"), "year": N_("Year")}
    if dim != "total":
        columns |= {"breakdown": N_("Category")}
    columns |= {"value": st.column_config.NumberColumn(N_("Value"), format="%,.4g"),
                "qualifier": N_("Qualifier")}
    if per100k:
        columns |= {
            "per_100k": st.column_config.NumberColumn(N_("Per 100,000"), format="%,.2f"),
            "population": st.column_config.NumberColumn(N_("Population used"), format="%,.0f"),
            "population_year": N_("Population year")}
    return columns | {
        "charted": st.column_config.CheckboxColumn(
            N_("Charted"), help=N_("Where a source states a figure twice, the one drawn")),
        "source_id": N_("Source file"), "quote": N_("Quote"), "cited_url": st.column_config.LinkColumn(
            N_("Page")), "source_publisher": N_("Publisher"), "edition": N_("Edition"),
        "stated_in": N_("Stated in"), "preferred_reason": N_("Why charted or not"), "note": N_("Note"),
        "breakdown_dim": N_("Breakdown")}


COMPARE_CATALOGUE = {
    "code": N_("Code"), "name": N_("Name"), "unit": N_("Unit"), "publisher": N_("Publisher"),
    "n_values": N_("Values"), "n_without_value": N_("Without a number"),
    "n_jurisdictions": N_("Jurisdictions"), "n_regions": N_("Regions"), "has_world": N_("World"),
    "first_year": st.column_config.NumberColumn(N_("From"), format="%d"),
    "last_year": st.column_config.NumberColumn(N_("To"), format="%d"),
    "breakdowns": N_("Breakdowns"), "source_titles": N_("Source"), "what_counts": N_("What counts")}

# --- Global estimates ---------------------------------------------------------------------
ESTIMATE_FIGURES = {
    "edition": _int(N_("Edition")), "year": _int(N_("Reference year")),
    "region": N_("Region"), "measure_label": N_("Measure"), "breakdown_dim": N_("Breakdown"),
    "breakdown": N_("Group"), "shown": N_("Figure as quoted"), "unit": N_("Unit"),
    "source_id": N_("Source file"),
    "cited_url": _C.LinkColumn(N_("Page")), "quote": N_("Quote"),
    "also_quoted": N_("Also quoted elsewhere"), "preferred_reason": N_("Why this statement is shown"),
    "note": N_("Note"),
}
GSI_RANKED = {
    "rank": _int(N_("Rank")), "name": N_("Country"), "gsi_region": N_("Region (Walk Free)"),
    "prevalence_text": N_("Prevalence per 1,000 (2021)"), "number_text": N_("Estimated number"),
    "population": _C.NumberColumn(N_("Population used"), format="localized"),
    "vulnerability_text": N_("Vulnerability (0–100)"), "response_text": N_("Government response (%)"),
    "source_id": N_("Source file"),
}
REGIONAL_GAPS = {"edition_label": N_("Edition"), "measure_label": N_("Measure"), "what": N_("Figure"),
                 "regions": N_("Regions not quoted")}

# --- TIP tiers ------------------------------------------------------------------------------
TIMELINE = {
    "name": N_("Jurisdiction"), "report_year": N_("Report year"), "tier": N_("Tier"),
    "response_date": N_("Response date"), "response_stance": N_("Stance (project's reading)"),
    "response_quote": _C.TextColumn(N_("Statement's own words"), width="large"),
    "response_url": _C.LinkColumn(N_("Statement")),
    "response_figures": N_("Figures the statement cites"), "response_publisher": N_("Statement by"),
    "response_others": N_("Other statements that year"), "method": N_("How found"),
    "secondary": N_("Secondary compilation"), "source_id": N_("Source"), "note": N_("Note"),
}


def movements(year: int) -> dict[str, Any]:
    return {"name": N_("Jurisdiction"), "region": N_("Region"), "name_prev": f"{year - 1}",
            "name_now": f"{year}", "movement": N_("Movement"),
            "source_id": _("Source of the {year} value").format(year=year)}


WATCH_STREAKS = {"name": N_("Jurisdiction"), "region": N_("Region"),
                 "consecutive_years": N_("Consecutive years"), "since": N_("On the list since")}

# --- Overview and Data & sources ----------------------------------------------------------
INDICATORS = {"publisher": N_("Publisher"), "dataset": N_("Dataset"), "indicators": N_("Indicators"),
              "values": N_("Values"), "years": N_("Years")}
DATASETS = {
    "dataset": N_("Dataset"), "publisher": N_("Publisher"), "title": N_("Title"), "files": N_("Files"),
    "rows": _int(N_("Rows read")), "tiers_published": _int(N_("Tier rows")), "indicators": N_("Indicators"),
    "licence": N_("Licence"), "homepage": _C.LinkColumn(N_("Homepage")),
    "retrieved_at": _when(N_("Retrieved (UTC)")),
    "published": _C.CheckboxColumn(N_("Shown"),
                                   help=N_("Unticked: used only for cross-checks, values never shown")),
}
# Not fetched_from/via: where this server read a file is no business of a visitor's.
FILES = {
    "source_id": N_("Source id"), "publisher": N_("Publisher"), "address": _C.LinkColumn(N_("Address")),
    "retrieved_at": _when(N_("Retrieved (UTC)")), "sha256": N_("SHA-256"),
    "bytes": _int(N_("Bytes")), "rows": _int(N_("Rows")), "licence": N_("Licence"),
}
TIER_CONFLICTS = {
    "report_year": _int(N_("Report year")), "name": N_("Jurisdiction"), "tier": N_("Stated tier"),
    "source_id": N_("Stated by"), "chosen_tier": N_("Published tier"),
    "chosen_source_id": N_("Published from"), "reason": N_("Why"),
}
FIGURE_CONFLICTS = {
    "indicator_name": N_("Indicator"), "area": N_("Place"), "year": _int(N_("Year")), "breakdown": N_("Part"),
    "value": _C.NumberColumn(N_("Stated value"), format="%,.0f"), "edition": N_("Stated in"),
    "source_id": N_("Stated by file"),
    "chosen_value": _C.NumberColumn(N_("Charted value"), format="%,.0f"),
    "chosen_edition": N_("Charted from"), "chosen_source_id": N_("Charted file"), "reason": N_("Why"),
}
RUNS = {
    "started_at": _when(N_("Started (UTC)"), seconds=True),
    "finished_at": _when(N_("Finished (UTC)"), seconds=True), "status": N_("Status"),
    "seconds": _C.NumberColumn(N_("Seconds"), format="%.1f"), "tip_tiers": N_("Tier rows"),
    "observations": N_("Values"), "conflicts": N_("Conflicts"), "sources": N_("Sources refreshed"),
    "read_from": N_("Read from"), "run_id": N_("Run"),
}
