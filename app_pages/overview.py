"""Overview: what the dashboard holds, and the first facts a visitor needs, each sourced."""

from __future__ import annotations

import streamlit as st

from trafficking import pages
from trafficking.charts import tiers as charts
from trafficking.present import render, tables, tiles
from trafficking.present import widgets as ui
from trafficking.queries import sources as sq
from trafficking.queries import tiers as tq

render.require_database()

st.title("Human trafficking statistics")
st.markdown(
    "Public figures on trafficking in persons in one place: the US State Department's "
    "*Trafficking in Persons* (TIP) report tiers since 2001, global estimates, and screening "
    "and identification figures. Every number on every page names the file it comes from; "
    "where a figure cannot be sourced the page says so instead of filling the gap.")
ui.metrics(tiles.holdings_tiles(sq.holdings()))

# --- Headline facts: the latest TIP report ------------------------------------------------
if years := tq.report_years():
    latest = years[-1]
    panel = tq.panel()
    this = panel[panel["report_year"] == latest]
    st.header(f"The {latest} TIP report at a glance", divider="gray")
    ui.metrics(tiles.tier_tiles(this))
    st.markdown("\n".join(f"- {f}" for f in tiles.report_facts(panel, latest, years)))
    st.caption(charts.sources_line(tq.datasets_used([latest])["dataset"].tolist())
               + f" {len(this)} placements for {latest}.")
    st.page_link(pages.script("tiers"), label="Explore the tier map, movements and histories",
                 icon=":material/public:")

# --- What else is here ------------------------------------------------------------------------
inds = sq.indicator_summary()
st.header("Other statistics in the database", divider="gray")
if inds.empty:
    st.info("No statistics besides the TIP tiers are loaded yet.")
else:
    st.caption("Indicators loaded from each dataset, the number of values and the years they "
               "cover. Definitions differ between publishers; each page explains what counts.")
    render.table(tiles.with_year_spans(inds), tables.INDICATORS, key="indicators_table")
st.page_link(pages.script("data_sources"), label="Every source file, checksum and refresh",
             icon=":material/source:")
