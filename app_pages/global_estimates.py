"""Global estimates of modern slavery by edition, their breakdowns, and country prevalence."""

from __future__ import annotations

import streamlit as st

from trafficking import geo
from trafficking.i18n import _
from trafficking.present import render, sections, tables, tiles, urlstate
from trafficking.present import specs_estimates as ge
from trafficking.present import text_estimates as tx
from trafficking.present import widgets as ui
from trafficking.queries import estimates as q
from trafficking.text import md_plain

render.require_database()

st.title(_(tx.TITLE))
st.markdown(_(tx.INTRO))
st.warning(_(tx.NOT_A_SERIES), icon=":material/warning:")
figures = ge.figures()
if figures.empty:
    st.info(_(tx.NO_FIGURES))
    st.stop()

# --- 1. Headlines ---------------------------------------------------------------------------
st.header(_(tx.HEADLINES), divider="gray")
for series, caption in tx.HEADLINE_SERIES:
    if editions := ge.headline_tiles(series):
        st.subheader(_(caption))
    for edition, row in editions:
        st.markdown(tx.edition_heading(ge.edition_name(edition)))
        ui.metrics(row, 3)
st.caption(_(tx.CHANGES_NOTE))
render.show("ge-headlines", {}, key="ge_headlines", caption=False)
ui.figure_table(ge.headlines(), "ge_headline_table", _(tx.FIGURES_AND_SOURCES))


# --- 2. Breakdowns: built only when opened (?section=breakdowns; ?edition= opens it too) -------
def breakdowns(edition: int, heading: str, group: str, charts: dict[str, str]) -> None:
    """One group of breakdowns: its charts (chart id → widget key), then their figures."""
    if not charts:
        return
    st.subheader(_(heading))
    for chart_id, key in charts.items():
        render.show(chart_id, {"edition": edition}, key=key, caption=False)
    dims = ge.BREAKDOWN[next(iter(charts))].dims
    ui.figure_table(ge.breakdown_rows(edition, dims), f"{group}_table",
                    _(tx.FIGURES_AND_SOURCES))


def by_region(edition: int) -> None:
    st.subheader(_(tx.BY_REGION))
    if not (measures := q.region_measures(figures, edition)):
        st.info(_(tx.NO_REGIONAL).format(edition=ge.edition_name(edition)))
        return urlstate.write({ge.MEASURE: None})
    if st.session_state.get("ge_region_measure") not in measures:
        st.session_state["ge_region_measure"] = measures[0]
    measure = ui.selectbox(_(tx.MEASURE), measures, format_func=ge.measure_name,
                           key="ge_region_measure")
    urlstate.write({ge.MEASURE: measure})
    render.show("ge-regions", {"edition": edition, "measure": measure}, key="ge_regions")
    ui.figure_table(q.regions(figures, edition, measure), "ge_regions_table",
                    _(tx.FIGURES_AND_SOURCES))
    if not (details := q.region_details(figures, edition)).empty:
        ui.figure_table(details, "ge_region_details", _(tx.REGION_DETAILS))


urlstate.restore({"ge_edition": ge.EDITION, "ge_country": ge.COUNTRY,
                  "ge_region_measure": ge.MEASURE})
sections.restore(sections.param(("breakdowns",)), "ge",
                 implied={"breakdowns": (ge.EDITION, ge.MEASURE)})
with sections.section("ge", "breakdowns", _(tx.BREAKDOWNS)) as shown:
    if not shown:
        urlstate.write({ge.EDITION: None, ge.MEASURE: None})
    else:
        edition = st.radio(_(tx.EDITION), sorted(figures["edition"].unique().astype(int),
                                                  reverse=True),
                           format_func=ge.edition_name, horizontal=True, key="ge_edition")
        urlstate.write({ge.EDITION: edition})
        st.caption(_(tx.BREAKDOWNS_NOTE))
        breakdowns(edition, tx.BY_FORM, "ge_forms",
                   {"ge-forms": "ge_forms", "ge-form-shares": "ge_form_shares"})
        by_region(edition)
        breakdowns(edition, tx.BY_SEX_AGE, "ge_sexage",
                   {"ge-sex-age": "ge_sexage", "ge-sex-age-shares": "ge_sexage_shares"})
        breakdowns(edition, tx.OTHER, "ge_other", ge.charts_with_figures(
            edition, {"ge-other": "ge_other_count", "ge-other-shares": "ge_other_share"}))

# --- 3. Country prevalence --------------------------------------------------------------------
st.header(_(tx.COUNTRIES), divider="gray")
countries = ge.gsi_countries()
if countries.empty:
    st.info(_(tx.NO_GSI))
else:
    st.markdown(tx.gsi_summary(countries))
    if not geo.geometry_available():
        st.error(_(tx.NO_GEOMETRY))
    render.show("gsi-map", {}, key="ge_gsi_map", caption=False)
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    if lost := tiles.not_on_map(names, geo.markers_for(list(names))):
        st.caption(_(tx.NOT_ON_MAP).format(places=md_plain(lost)))
    table = ge.ranked_countries()
    pick = ui.selectbox(_(tx.LOOK_UP), sorted(names, key=names.get),
                        format_func=names.get, key="ge_country")
    urlstate.write({ge.COUNTRY: pick})
    ui.metrics(tx.gsi_tiles(table, pick), 4)
    st.subheader(_(tx.RANKED))
    render.table(table, tables.GSI_RANKED, key="ge_ranked")
    st.caption(_(tx.GSI_NOTE))

# --- 4. What is missing -------------------------------------------------------------------------
st.header(_(tx.MISSING), divider="gray")
st.markdown("\n".join(f"- {_(line)}" for line in q.missing_data_notes()))
if not (gaps := ge.regional_gaps()).empty:
    render.table(gaps, tables.REGIONAL_GAPS, key="ge_regional_gaps")
