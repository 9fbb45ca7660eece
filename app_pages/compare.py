"""Compare jurisdictions (and regions, the world) on any indicator the database holds."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from trafficking import percapita
from trafficking.i18n import _
from trafficking.present import render, sections, tables, urlstate
from trafficking.present import specs_compare as sc
from trafficking.present import text_compare as say
from trafficking.present import widgets as ui
from trafficking.queries import catalogue as cq

render.require_database()

st.title(_("Compare jurisdictions"))
st.markdown(_(say.INTRO))

cat = cq.catalogue()
info = cq.series_info()
if info.empty:
    st.warning(_(say.NO_INDICATORS))
    st.stop()
pop_code = cq.population_code(cat)

# Without indicators in the address: the measure held for most of the chosen places.
urlstate.restore({"cmp_areas": sc.AREAS, "cmp_series": replace(
    sc.INDICATORS, default=lambda: sc.default_indicators(st.session_state["cmp_areas"])),
    "cmp_dim": sc.BREAKDOWN, "cmp_per100k": sc.PER100K, "cmp_gap": sc.GAP, "cmp_log": sc.LOG,
    "cmp_all_tiers": sc.ALL_TIERS})
sections.restore(sections.param(("definitions", "catalogue")), sc.PAGE)

series = ui.multiselect(_("Indicators"), list(info.index), key="cmp_series",
                        format_func=lambda s: cq.series_label(info.loc[s]),
                        placeholder=_("Choose one or more indicators"))
label = sc.place_options(series, st.session_state["cmp_areas"])
chosen = ui.multiselect(say.places_label(sc.lists_regions(series)), list(label),
                        format_func=lambda c: label.get(c, c), key="cmp_areas",
                        max_selections=sc.MAX_PLACES)
dims = sc.breakdowns(info, series)
if st.session_state["cmp_dim"] not in ["total", *dims]:
    st.warning(say.ignored_breakdown(st.session_state["cmp_dim"]), icon=":material/link_off:")
    st.session_state["cmp_dim"] = "total"
dim = ui.selectbox(_("Breakdown"), ["total", *dims], key="cmp_dim",
                   format_func=say.breakdown_option, help=_(say.BREAKDOWN_HELP)
                   ) if dims else "total"
c1, c2, c3 = st.columns([1, 1, 2])
log = c2.toggle(_("Log scale"), key="cmp_log", help=_(say.LOG_HELP))
rates = any(percapita.conversion(info.loc[s, "kind"]) == "rate" for s in series)
per100k = c1.toggle(_("Per 100,000 population"), key="cmp_per100k",
                    disabled=pop_code is None and not rates)
gap = 0
if pop_code is None:
    c3.caption(_(say.NO_POPULATION))
elif per100k:
    gap = c3.select_slider(_("Population year may differ from the value's year by up to"),
                           options=list(range(6)), key="cmp_gap", format_func=say.gap_option,
                           help=say.gap_help(pop_code))
state = {sc.AREAS: chosen, sc.INDICATORS: series, sc.BREAKDOWN: None if dim == "total" else dim,
         sc.PER100K: per100k or None, sc.GAP: gap if per100k else None, sc.LOG: log or None}
urlstate.write(state)

if not series:
    st.info(_("Choose at least one indicator."))
    st.stop()
if len(chosen) < 2:
    st.info(_(say.ONE_PLACE))
    st.stop()

c = sc.comparison(chosen, series, dim, per100k, gap)
if note := say.missing_note(c):
    st.info(note, icon=":material/info:")
for note in say.per_capita_notes(c):
    st.caption(note)

st.header(_("Over time"), divider="gray")
all_tiers = st.checkbox(_(say.ALL_TIERS), key="cmp_all_tiers")
urlstate.write({sc.ALL_TIERS: all_tiers or None})
values = {p.name: v for p, v in state.items()} | {sc.ALL_TIERS.name: all_tiers or None}
if c.plotted.empty:
    st.warning(_("None of the chosen places has a value to draw for these indicators."))
else:
    # From the view cache (the registry builds the same view from these values): a rerun
    # that changes nothing here rebuilds no figure.
    render.show("compare-lines", values, key="cmp_lines")
    for _i, b in c.breaks.iterrows():
        st.caption(say.break_note(info.loc[b["series"], "name"], b["year"], b["text"]))

st.header(_("Latest value"), divider="gray")
if not (ranked := sc.ranked_series(c)):
    st.caption(_("No values to rank."))
else:
    boxes = sections.tabs([sc.tab_label(info, s) for s in ranked], key="cmp_rank_tab")
    for (tab, is_open), s in zip(boxes, ranked, strict=True):
        if is_open:
            with tab:
                render.show("compare-ranking", values | {"indicators": [s]}, key=f"cmp_rank_{s}")

st.header(_("Values and sources"), divider="gray")
table, columns = sc.values_table(c), tables.compare_values(dim, c.per100k)
render.dataframe(table[[k for k in columns if k in table.columns]], hide_index=True,
                 key="cmp_table", column_config=tables.translated(columns))
st.caption(say.rows_caption(len(table)))

# Built only when opened (the catalogue is every indicator in the database).
with sections.section(sc.PAGE, "definitions", _("What the indicators measure")) as shown:
    for text, counts in sc.definitions(series) if shown else []:
        st.markdown(text)
        if counts:
            st.caption(counts)

with sections.section(sc.PAGE, "catalogue", _("All indicators in the database")) as shown:
    if shown:
        render.dataframe(cat[list(tables.COMPARE_CATALOGUE)], hide_index=True,
                         key="cmp_catalogue",
                         column_config=tables.translated(tables.COMPARE_CATALOGUE))
