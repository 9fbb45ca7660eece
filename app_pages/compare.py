"""Compare jurisdictions (and regions, the world) on any indicator the database holds."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from trafficking import percapita
from trafficking.present import render, sections, tables, urlstate
from trafficking.present import specs_compare as sc
from trafficking.queries import catalogue as cq
from trafficking.text import md_plain

render.require_database()

st.title("Compare jurisdictions")
st.markdown(
    "Put jurisdictions side by side on any indicator in the database. Every value comes from a "
    "named source; open **Values and sources** under the charts for the file, the quoted "
    "sentence and the page it was read from. Missing years are gaps, never zeros.")

cat = cq.catalogue()
info = cq.series_table(cat).set_index("series")
if info.empty:
    st.warning("The database holds no indicator values yet, only tier placements. Build the "
               "indicator sources with `make data` to compare jurisdictions on them.")
    st.stop()
pop_code = cq.population_code(cat)

# Without indicators in the address: the measure held for most of the chosen places.
urlstate.restore({"cmp_areas": sc.AREAS, "cmp_series": replace(
    sc.INDICATORS, default=lambda: sc.default_indicators(st.session_state["cmp_areas"])),
    "cmp_dim": sc.BREAKDOWN, "cmp_per100k": sc.PER100K, "cmp_gap": sc.GAP, "cmp_log": sc.LOG,
    "cmp_all_tiers": sc.ALL_TIERS})
sections.restore(sections.param(("definitions", "catalogue")), sc.PAGE)

series = st.multiselect("Indicators", options=list(info.index), key="cmp_series",
                        format_func=lambda s: cq.series_label(info.loc[s]),
                        placeholder="Choose one or more indicators")
label = sc.place_options(series, st.session_state["cmp_areas"])
chosen = st.multiselect(
    "Jurisdictions (2–10; type to search" + ("; regions and World are listed first" if
                                             sc.lists_regions(series) else "") + ")",
    options=list(label), format_func=lambda c: label.get(c, c), key="cmp_areas",
    max_selections=sc.MAX_PLACES)
dims = sorted({d for s in series for d in info.loc[s, "dims"]})
if st.session_state["cmp_dim"] not in ["total", *dims]:
    st.warning(f"Ignored breakdown “{md_plain(st.session_state['cmp_dim'])}”: the chosen "
               "indicators have no values by it.", icon=":material/link_off:")
    st.session_state["cmp_dim"] = "total"
dim = st.selectbox(
    "Breakdown", options=["total", *dims], key="cmp_dim",
    format_func=lambda d: "Total (no breakdown)" if d == "total" else "By "
    + d.replace("_", " × "), help="Breakdowns the chosen indicators have values for (sex, age, "
    "form of exploitation ...). One line per place and category.") if dims else "total"
c1, c2, c3 = st.columns([1, 1, 2])
log = c2.toggle("Log scale", key="cmp_log", help="Useful when places differ by orders of "
                "magnitude. Zero values cannot be drawn on a log scale.")
rates = any(percapita.conversion(info.loc[s, "kind"]) == "rate" for s in series)
per100k = c1.toggle("Per 100,000 population", key="cmp_per100k",
                    disabled=pop_code is None and not rates)
gap = 0
if pop_code is None:
    c3.caption("Per-capita figures for counts are not available: the database holds no "
               "sourced population series.")
elif per100k:
    gap = c3.select_slider(
        "Population year may differ from the value's year by up to", options=list(range(6)),
        key="cmp_gap", format_func=lambda n: "0 years (same year only)" if n == 0 else
        f"{n} year{'s' if n > 1 else ''}", help=f"Population: indicator '{pop_code}'. Only the "
        "years that source states are used; with 0, a count is converted only where the "
        "population of the same year is sourced.")
state = {sc.AREAS: chosen, sc.INDICATORS: series, sc.BREAKDOWN: None if dim == "total" else dim,
         sc.PER100K: per100k or None, sc.GAP: gap if per100k else None, sc.LOG: log or None}
urlstate.write(state)

if not series:
    st.info("Choose at least one indicator.")
    st.stop()
if len(chosen) < 2:
    st.info("Choose at least two jurisdictions to compare (for one jurisdiction, open its "
            "profile page).")
    st.stop()

c = sc.comparison(chosen, series, dim, per100k, gap)
if note := sc.missing_note(c):
    st.info(note, icon=":material/info:")
for note in sc.per_capita_notes(c):
    st.caption(note)

st.header("Over time", divider="gray")
all_tiers = st.checkbox("Tier markers for every report year (not only the years with "
                        "indicator values)", key="cmp_all_tiers")
urlstate.write({sc.ALL_TIERS: all_tiers or None})
values = {p.name: v for p, v in state.items()} | {sc.ALL_TIERS.name: all_tiers or None}
if c.plotted.empty:
    st.warning("None of the chosen places has a value to draw for these indicators.")
else:
    render.show("compare-lines", values, view=sc.lines_view(c, log, all_tiers), key="cmp_lines")
    for _, b in c.breaks.iterrows():
        st.caption(f"⟂ {md_plain(info.loc[b['series'], 'name'])}, {b['year']}: "
                   f"{md_plain(b['text'])}")

st.header("Latest value", divider="gray")
ranked = [s for s in series if s in set(c.plotted["series"])]
if not ranked:
    st.caption("No values to rank.")
else:
    for tab, s in zip(st.tabs([md_plain(info.loc[s, "name"][:60]) for s in ranked]), ranked,
                      strict=True):
        with tab:
            render.show("compare-ranking", values | {"indicators": [s]}, key=f"cmp_rank_{s}",
                        view=sc.ranking_view(c, s))

st.header("Values and sources", divider="gray")
table, columns = sc.values_table(c), tables.compare_values(dim, c.per100k)
render.dataframe(table[[k for k in columns if k in table.columns]], hide_index=True,
                key="cmp_table", column_config=columns)
st.caption(f"{len(table)} rows. 'Charted' is unticked for a second statement of the same figure "
           "(e.g. a rounded one, or an earlier report edition) that the charts do not draw; "
           "'Why charted or not' gives the database's reason.")

# Built only when opened (the catalogue is every indicator in the database).
with sections.section(sc.PAGE, "definitions", "What the indicators measure") as shown:
    for text, counts in sc.definitions(series) if shown else []:
        st.markdown(text)
        if counts:
            st.caption("What counts: " + counts)

with sections.section(sc.PAGE, "catalogue", "All indicators in the database") as shown:
    if shown:
        render.dataframe(cat[list(tables.COMPARE_CATALOGUE)], hide_index=True,
                         key="cmp_catalogue", column_config=tables.COMPARE_CATALOGUE)
