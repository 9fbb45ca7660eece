"""Column labels and formats of the tables the Compare and Profile pages show under their
charts (app layer: Streamlit's column types). The keys are the frames' own column names, in
the order shown; a page selects ``list(COLUMNS)`` and passes the mapping as column_config."""

from __future__ import annotations

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
