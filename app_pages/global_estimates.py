"""Global estimates of modern slavery by edition, their breakdowns, and country prevalence."""

from __future__ import annotations

import streamlit as st

from trafficking import geo
from trafficking.present import render, sections, tables, tiles, urlstate
from trafficking.present import specs_estimates as ge
from trafficking.present import widgets as ui
from trafficking.queries import estimates as q
from trafficking.text import md_plain

render.require_database()

st.title("Global estimates of modern slavery")
st.markdown(
    "How many people are in forced labour and forced marriage worldwide, as estimated by the "
    "ILO, Walk Free and IOM (*Global Estimates of Modern Slavery*, 2017 and 2022 editions) and, "
    "before them, by the ILO for forced labour alone (2005, 2012). Every figure is shown as a "
    "public page quotes it; hover over a bar or open *Figures and sources* for the page, the "
    "sentence and the reference year.")
st.warning(
    "**Editions are not a time series.** The publishers revised their methods between editions: "
    "the ILO 2005 and 2012 estimates count forced labour only; the 2017 edition added forced "
    "marriage with a new method, and the 2022 edition revised it again (it restates 2016 "
    "values). A change between editions mixes real change with changes of method.",
    icon=":material/warning:")
figures = q.quoted_figures()
if figures.empty:
    st.info("The database holds no global estimates. Sources `global-estimates-figures` and "
            "`gems-ilo-estimates-quoted` load them; run `make data`.")
    st.stop()

# --- 1. Headlines ---------------------------------------------------------------------------
st.header("Headline figures by edition", divider="gray")
heads = q.headlines(figures)
for series, caption in tiles.HEADLINE_SERIES:
    if editions := tiles.headline_tiles(heads, q.changes(heads), series):
        st.subheader(caption)
    for edition, row in editions:
        st.markdown(f"**{md_plain(q.edition_label(edition))}**")
        ui.metrics(row, 3)
st.caption(
    "Changes are the difference between the two editions' published headlines, computed here; "
    "they are not a trend. The 2022 edition itself compares 2021 with restated 2016 values.")
render.show("ge-headlines", {}, key="ge_headlines", caption=False)
ui.figure_table(heads, "ge_headline_table")


# --- 2. Breakdowns: built only when opened (?section=breakdowns; ?edition= opens it too) -------
def breakdowns(edition: int, heading: str, group: str, charts: dict[str, str]) -> None:
    """One group of breakdowns: its charts (chart id → widget key), then their figures."""
    if not charts:
        return
    st.subheader(heading)
    for chart_id, key in charts.items():
        render.show(chart_id, {"edition": edition}, key=key, caption=False)
    dims = ge.BREAKDOWN[next(iter(charts))].dims
    ui.figure_table(ge.breakdown_rows(figures, edition, dims), f"{group}_table")


def by_region(edition: int) -> None:
    st.subheader("By region")
    if not (measures := q.region_measures(figures, edition)):
        st.info(f"No regional figure is quoted for the {q.edition_label(edition)}.")
        return urlstate.write({ge.MEASURE: None})
    if st.session_state.get("ge_region_measure") not in measures:
        st.session_state["ge_region_measure"] = measures[0]
    measure = st.selectbox("Measure", measures, format_func=q.MEASURE_LABELS.get,
                           key="ge_region_measure")
    urlstate.write({ge.MEASURE: measure})
    render.show("ge-regions", {"edition": edition, "measure": measure}, key="ge_regions")
    ui.figure_table(q.regions(figures, edition, measure), "ge_regions_table")
    if not (details := q.region_details(figures, edition)).empty:
        ui.figure_table(details, "ge_region_details",
                        "Other regional figures (groups within a region, shares of world totals)")


urlstate.restore({"ge_edition": ge.EDITION, "ge_country": ge.COUNTRY,
                  "ge_region_measure": ge.MEASURE})
sections.restore(sections.param(("breakdowns",)), "ge",
                 implied={"breakdowns": (ge.EDITION, ge.MEASURE)})
with sections.section("ge", "breakdowns", "Breakdowns by form, region, sex and age") as shown:
    if not shown:
        urlstate.write({ge.EDITION: None, ge.MEASURE: None})
    else:
        edition = st.radio("Edition", sorted(figures["edition"].unique().astype(int), reverse=True),
                           format_func=q.edition_label, horizontal=True, key="ge_edition")
        urlstate.write({ge.EDITION: edition})
        st.caption("Counts, shares and rates are drawn in separate charts, never on one axis. Each "
                   "bar is one figure as a page states it, not a slice of one total: two pages may "
                   "name the same group in different words (hover to see each quote).")
        breakdowns(edition, "By form", "ge_forms",
                   {"ge-forms": "ge_forms", "ge-form-shares": "ge_form_shares"})
        by_region(edition)
        breakdowns(edition, "By sex and age", "ge_sexage",
                   {"ge-sex-age": "ge_sexage", "ge-sex-age-shares": "ge_sexage_shares"})
        breakdowns(edition, "Other breakdowns", "ge_other", ge.charts_with_figures(
            figures, edition, {"ge-other": "ge_other_count", "ge-other-shares": "ge_other_share"}))

# --- 3. Country prevalence --------------------------------------------------------------------
st.header("Country estimates: Global Slavery Index 2023", divider="gray")
countries = q.gsi_countries()
if countries.empty:
    st.info("Country prevalence estimates are not yet available: the database holds no Walk "
            "Free Global Slavery Index data (source `walkfree-gsi-2023`).")
else:
    st.markdown(tiles.gsi_summary(countries))
    if not geo.geometry_available():
        st.error("Map geometry is missing (static/world_50m.json); `make data` installs it. "
                 "The table below still works.")
    render.show("gsi-map", {}, key="ge_gsi_map", caption=False)
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    if lost := tiles.not_on_map(names, geo.markers_for(list(names))):
        st.caption("Not drawn on the map (no shape and no known position): " + lost)
    table = q.ranked(countries)
    pick = st.selectbox("Look up a country", sorted(names, key=names.get),
                        format_func=names.get, key="ge_country")
    urlstate.write({ge.COUNTRY: pick})
    ui.metrics(tiles.gsi_tiles(table, pick), 4)
    st.subheader("Ranked by prevalence")
    render.table(table, tables.GSI_RANKED, key="ge_ranked")
    st.caption(
        "Prevalence is shown with one decimal as on Walk Free's site (stored unrounded); numbers "
        "are rounded to thousands by Walk Free. Government response can be negative (harmful "
        "policies subtract); four conflict-affected countries were not assessed.")

# --- 4. What is missing -------------------------------------------------------------------------
st.header("Not in the database yet", divider="gray")
st.markdown("\n".join(f"- {line}" for line in q.missing_data_notes()))
if not (gaps := q.regional_gaps(figures)).empty:
    render.table(gaps, tables.REGIONAL_GAPS, key="ge_regional_gaps")
