"""Column labels and formats of the tables the pages show under their charts (app layer:
Streamlit's column types). The keys are the frames' own column names, in the order shown; a
page passes a mapping to ``render.table`` (or selects ``list(COLUMNS)`` and passes it as
column_config)."""

from __future__ import annotations

from typing import Any

import streamlit as st

PROFILE_RESPONSES = {
    "report_year": "Report year", "tier": "Tier that report", "date": "Date",
    "stance": "Stance (project's reading)",
    "stance_quote": st.column_config.TextColumn("The statement's own words", width="large"),
    "cited_url": st.column_config.LinkColumn("Statement", width="medium"),
    "figures_cited": "Figures cited", "publisher": "Statement by", "language": "Language",
    "title": "Title"}
PROFILE_LATEST = {
    "name": "Indicator", "unit": "Unit", "n_years": "Years", "span": "From–to",
    "latest": "Latest value", "year": st.column_config.NumberColumn("Latest year", format="%d"),
    "source_id": "Source file", "rank": "Rank", "region_rank": "Rank in region",
    "indicator": "Code"}
PROFILE_VALUES = {
    "name": "Indicator", "year": "Year", "value": "Value", "qualifier": "Qualifier",
    "charted": "Charted", "source_id": "Source file", "quote": "Quote",
    "cited_url": st.column_config.LinkColumn("Page"), "note": "Note"}
PROFILE_MISSING = {"name": "Indicator", "unit": "Unit", "publisher": "Publisher",
                   "n_jurisdictions": "Jurisdictions with values"}
PROFILE_SOURCES = {
    "source_id": "Source file", "publisher": "Publisher", "title": "Title", "what": "Used for",
    "n": "Rows", "first": "From", "last": "To", "address": st.column_config.LinkColumn("Address"),
    "retrieved_at": "Retrieved", "sha256": "sha256"}

# --- Screening page ---------------------------------------------------------------------------
SCREENING_STATED_TWICE = {
    "year": "Year", "indicator_name": "Series",
    "value": st.column_config.NumberColumn("Figure", format="%,d"), "qualifier": "Qualifier",
    "charted": "Charted", "preferred_reason": "Why charted or not",
    "quote": "Sentence in the source", "cited_url": st.column_config.LinkColumn("Address")}
SCREENING_RESPONSES = {
    "report_year": "Report year", "date": "Date", "stance": "Stance (project's reading)",
    "stance_quote": "The statement's own words",
    "cited_url": st.column_config.LinkColumn("Statement"), "figures_cited": "Figures cited",
    "publisher": "Statement by"}
SCREENING_WORLD_CONFLICTS = {
    "indicator_name": "Series", "year": "Data year", "breakdown": "Part", "edition": "Edition",
    "value": st.column_config.NumberColumn("Value", format="%,d"),
    "chosen_edition": "Charted edition",
    "chosen_value": st.column_config.NumberColumn("Charted value", format="%,d"),
    "reason": "Why", "source_id": "Source", "chosen_source_id": "Charted source"}
SCREENING_FIGURES = {
    "area_name": "Area", "indicator_name": "Series", "year": "Year", "breakdown": "Part",
    "value": st.column_config.NumberColumn("Value", format="%,g"), "qualifier": "Qualifier",
    "charted": "Charted", "edition": "Stated in", "preferred_reason": "Why charted or not",
    "quote": "Quote / source row", "cited_url": st.column_config.LinkColumn("Page quoted"),
    "source_publisher": "Publisher",
    "source_address": st.column_config.LinkColumn("File address"),
    "source_id": "Loaded from", "retrieved": "Retrieved", "note": "Note"}
_YEAR = st.column_config.NumberColumn("Year", format="%d")
FUNNEL_REVISIONS = {
    "year": _YEAR, "value": st.column_config.NumberColumn("Referrals", format="%,d"),
    "qualifier": "Qualifier", "preferred": "Charted", "edition": "Stated in",
    "preferred_reason": "Why (not) charted", "quote": "Sentence in the source",
    "cited_url": st.column_config.LinkColumn("Page")}
FUNNEL_CONFLICTS = {
    "indicator_name": "Series", "year": _YEAR, "edition": "Stated in",
    "value": st.column_config.NumberColumn("Figure", format="%,d"),
    "chosen_edition": "Official release charted",
    "chosen_value": st.column_config.NumberColumn("Charted figure", format="%,d"),
    "reason": "Reason"}
FUNNEL_EVERY = {
    "area_name": "Place", "indicator_name": "Series", "year": _YEAR,
    "value": st.column_config.NumberColumn("Value", format="%,g"), "qualifier": "Qualifier",
    "preferred": "Charted", "edition": "Stated in", "preferred_reason": "Why (not) charted",
    "quote": "Sentence in the source", "cited_url": st.column_config.LinkColumn("Page"),
    "source_id": "Loaded from", "retrieved": "Retrieved"}

def compare_values(dim: str, per100k: bool) -> dict:
    """The Compare page's values table: the figures first, then where they come from (the
    table scrolls sideways after that)."""
    columns: dict = {"place": "Place", "name": "Indicator", "year": "Year"}
    if dim != "total":
        columns |= {"breakdown": "Category"}
    columns |= {"value": st.column_config.NumberColumn("Value", format="%,.4g"),
                "qualifier": "Qualifier"}
    if per100k:
        columns |= {
            "per_100k": st.column_config.NumberColumn("Per 100,000", format="%,.2f"),
            "population": st.column_config.NumberColumn("Population used", format="%,.0f"),
            "population_year": "Population year"}
    return columns | {
        "charted": st.column_config.CheckboxColumn(
            "Charted", help="Where a source states a figure twice, the one drawn"),
        "source_id": "Source file", "quote": "Quote", "cited_url": st.column_config.LinkColumn(
            "Page"), "source_publisher": "Publisher", "edition": "Edition",
        "stated_in": "Stated in", "preferred_reason": "Why charted or not", "note": "Note",
        "breakdown_dim": "Breakdown"}


COMPARE_CATALOGUE = {
    "code": "Code", "name": "Name", "unit": "Unit", "publisher": "Publisher",
    "n_values": "Values", "n_without_value": "Without a number",
    "n_jurisdictions": "Jurisdictions", "n_regions": "Regions", "has_world": "World",
    "first_year": st.column_config.NumberColumn("From", format="%d"),
    "last_year": st.column_config.NumberColumn("To", format="%d"),
    "breakdowns": "Breakdowns", "source_titles": "Source", "what_counts": "What counts"}

_C = st.column_config


def _int(label: str) -> Any:
    return _C.NumberColumn(label, format="%d")


def _when(label: str, seconds: bool = False) -> Any:
    return _C.DatetimeColumn(label, format="YYYY-MM-DD HH:mm" + (":ss" if seconds else ""))


# --- Global estimates ---------------------------------------------------------------------
ESTIMATE_FIGURES = {
    "edition": _int("Edition"), "year": _int("Reference year"),
    "region": "Region", "measure_label": "Measure", "breakdown_dim": "Breakdown",
    "breakdown": "Group", "shown": "Figure as quoted", "unit": "Unit", "source_id": "Source file",
    "cited_url": _C.LinkColumn("Page"), "quote": "Quote",
    "also_quoted": "Also quoted elsewhere", "preferred_reason": "Why this statement is shown",
    "note": "Note",
}
GSI_RANKED = {
    "rank": _int("Rank"), "name": "Country", "gsi_region": "Region (Walk Free)",
    "prevalence_text": "Prevalence per 1,000 (2021)", "number_text": "Estimated number",
    "population": _C.NumberColumn("Population used", format="localized"),
    "vulnerability_text": "Vulnerability (0–100)", "response_text": "Government response (%)",
    "source_id": "Source file",
}
REGIONAL_GAPS = {"edition_label": "Edition", "measure_label": "Measure", "what": "Figure",
                 "regions": "Regions not quoted"}

# --- TIP tiers ------------------------------------------------------------------------------
TIMELINE = {
    "name": "Jurisdiction", "report_year": "Report year", "tier": "Tier",
    "response_date": "Response date", "response_stance": "Stance (project's reading)",
    "response_quote": _C.TextColumn("Statement's own words", width="large"),
    "response_url": _C.LinkColumn("Statement"),
    "response_figures": "Figures the statement cites", "response_publisher": "Statement by",
    "response_others": "Other statements that year", "method": "How found",
    "secondary": "Secondary compilation", "source_id": "Source", "note": "Note",
}


def movements(year: int) -> dict[str, Any]:
    return {"name": "Jurisdiction", "region": "Region", "name_prev": f"{year - 1}",
            "name_now": f"{year}", "movement": "Movement",
            "source_id": f"Source of the {year} value"}


WATCH_STREAKS = {"name": "Jurisdiction", "region": "Region",
                 "consecutive_years": "Consecutive years", "since": "On the list since"}

# --- Overview and Data & sources ----------------------------------------------------------
INDICATORS = {"publisher": "Publisher", "dataset": "Dataset", "indicators": "Indicators",
              "values": "Values", "years": "Years"}
DATASETS = {
    "dataset": "Dataset", "publisher": "Publisher", "title": "Title", "files": "Files",
    "rows": _int("Rows read"), "tiers_published": _int("Tier rows"), "indicators": "Indicators",
    "licence": "Licence", "homepage": _C.LinkColumn("Homepage"),
    "retrieved_at": _when("Retrieved (UTC)"),
    "published": _C.CheckboxColumn("Shown",
                                   help="Unticked: used only for cross-checks, values never shown"),
}
# Not fetched_from/via: where this server read a file is no business of a visitor's.
FILES = {
    "source_id": "Source id", "publisher": "Publisher", "address": _C.LinkColumn("Address"),
    "retrieved_at": _when("Retrieved (UTC)"), "sha256": "SHA-256",
    "bytes": _int("Bytes"), "rows": _int("Rows"), "licence": "Licence",
}
TIER_CONFLICTS = {
    "report_year": _int("Report year"), "name": "Jurisdiction", "tier": "Stated tier",
    "source_id": "Stated by", "chosen_tier": "Published tier",
    "chosen_source_id": "Published from", "reason": "Why",
}
FIGURE_CONFLICTS = {
    "indicator_name": "Indicator", "area": "Place", "year": _int("Year"), "breakdown": "Part",
    "value": _C.NumberColumn("Stated value", format="%,.0f"), "edition": "Stated in",
    "source_id": "Stated by file",
    "chosen_value": _C.NumberColumn("Charted value", format="%,.0f"),
    "chosen_edition": "Charted from", "chosen_source_id": "Charted file", "reason": "Why",
}
RUNS = {
    "started_at": _when("Started (UTC)", seconds=True),
    "finished_at": _when("Finished (UTC)", seconds=True), "status": "Status",
    "seconds": _C.NumberColumn("Seconds", format="%.1f"), "tip_tiers": "Tier rows",
    "observations": "Values", "conflicts": "Conflicts", "sources": "Sources refreshed",
    "read_from": "Read from", "run_id": "Run",
}
