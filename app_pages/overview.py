"""Overview: what the dashboard holds, and the first facts a visitor needs, each sourced."""

from __future__ import annotations

import streamlit as st

from trafficking import pages
from trafficking.charts import tiers as charts
from trafficking.i18n import _
from trafficking.present import render, tables, tiles
from trafficking.present import text_overview as say
from trafficking.present import widgets as ui
from trafficking.queries import sources as sq
from trafficking.queries import tiers as tq

render.require_database()

st.title(_(say.TITLE))
st.markdown(_(say.INTRO))
# Two rows of three: five in a row cut their labels and values short ('2001–2…', '2026年…')
# at 1280 px in either language.
held = tiles.holdings_tiles(sq.holdings())
ui.metrics(held[:3], 3)
ui.metrics(held[3:], 3)

# --- Headline facts: the latest TIP report ------------------------------------------------
if glance := tiles.glance():
    st.header(say.glance(glance.year), divider="gray")
    ui.metrics(glance.tiles)
    st.markdown("\n".join(f"- {f}" for f in glance.facts))
    st.caption(say.placements(charts.sources_line(
        tq.datasets_used([glance.year])["dataset"].tolist()), glance.placements, glance.year))
    st.page_link(pages.script("tiers"), label=_(say.EXPLORE),
                 icon=":material/public:")

# --- What else is here ------------------------------------------------------------------------
inds = sq.indicator_summary()
st.header(_(say.OTHER), divider="gray")
if inds.empty:
    st.info(_(say.NO_OTHER))
else:
    st.caption(_(say.OTHER_CAPTION))
    render.table(tiles.with_year_spans(inds), tables.INDICATORS, key="indicators_table")
st.page_link(pages.script("data_sources"), label=_(say.SOURCES_LINK),
             icon=":material/source:")
