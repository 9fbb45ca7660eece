"""Global estimates of modern slavery by edition, their breakdowns, and country prevalence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trafficking import formatting, geo
from trafficking.charts import estimates as charts
from trafficking.present import render, sections, urlstate
from trafficking.present.specs_estimates import COUNTRY, EDITION
from trafficking.present.validate import shown as escaped
from trafficking.queries import estimates as q
from trafficking.text import md_plain

render.require_database()

st.title("Global estimates of modern slavery")
st.markdown(
    "How many people are in forced labour and forced marriage worldwide, as estimated by the "
    "ILO, Walk Free and IOM (*Global Estimates of Modern Slavery*, 2017 and 2022 editions) and, "
    "before them, by the ILO for forced labour alone (2005, 2012). Every figure is shown as a "
    "public page quotes it; hover over a bar or open *Figures and sources* for the page, the "
    "sentence and the reference year."
)
st.warning(
    "**Editions are not a time series.** The publishers revised their methods between editions: "
    "the ILO 2005 and 2012 estimates count forced labour only; the 2017 edition added forced "
    "marriage with a new method, and the 2022 edition revised it again (it restates 2016 "
    "values). A change between editions mixes real change with changes of method.",
    icon=":material/warning:",
)

figures = q.quoted_figures()
if figures.empty:
    st.info("The database holds no global estimates. Sources `global-estimates-figures` and "
            "`gems-ilo-estimates-quoted` load them; run `make data`.")
    st.stop()
QUOTED_SOURCE = ("Source: ILO / Walk Free / IOM global estimates, figures as quoted on public "
                 "pages (datasets " + ", ".join(sorted(figures["dataset"].unique()))
                 + "). Hover for each figure's page and quote.")
TABLE_COLUMNS = {
    "edition": st.column_config.NumberColumn("Edition", format="%d"),
    "year": st.column_config.NumberColumn("Reference year", format="%d"),
    "region": "Region", "measure_label": "Measure", "breakdown_dim": "Breakdown", "breakdown": "Group",
    "shown": "Figure as quoted", "unit": "Unit", "source_id": "Source file",
    "cited_url": st.column_config.LinkColumn("Page"), "quote": "Quote",
    "also_quoted": "Also quoted elsewhere", "preferred_reason": "Why this statement is shown",
    "note": "Note",
}


def figure_table(rows: pd.DataFrame, key: str, label: str = "Figures and sources") -> None:
    """The figures behind a chart, with their provenance."""
    shown = rows.assign(shown=[formatting.estimate(v, k, qq) for v, k, qq in
                               zip(rows["value"], rows["kind"], rows["qualifier"], strict=True)])
    with st.expander(label):
        render.dataframe(shown[[c for c in TABLE_COLUMNS if c in shown.columns]], hide_index=True,
                     column_config=TABLE_COLUMNS, key=key)


# --- 1. Headlines ---------------------------------------------------------------------------
st.header("Headline figures by edition", divider="gray")
heads = q.headlines(figures)
moves = q.changes(heads)
for series, caption in (
    ("gems", "Global Estimates of Modern Slavery (forced labour + forced marriage)"),
    ("ilo", "Earlier ILO estimates of forced labour (a different series and method)"),
):
    part = heads[heads["series"] == series]
    if part.empty:
        continue
    st.subheader(caption)
    for edition, grp in part.groupby("edition"):
        st.markdown(f"**{md_plain(q.edition_label(edition))}**")
        cols = st.columns(3)
        for col, (_, r) in zip(cols, grp.sort_values("measure", key=lambda s: s.map(
                {"modern_slavery": 0, "forced_labour": 1, "forced_marriage": 2})).iterrows(),
                strict=False):
            change = moves[(moves["to_edition"] == edition) & (moves["measure"] == r["measure"])]
            delta = None
            if series == "gems" and not change.empty:
                c = change.iloc[0]
                delta = (("≈ " if c["approximate"] else "")
                         + f"{c['change'] / 1e6:+.1f} million vs {c['from_edition']} edition")
            col.metric(
                r["measure_label"], formatting.estimate(r["value"], "count", r["qualifier"]),
                delta=delta, delta_color="off",
                help=("Change: difference of the two editions' headlines, computed here; "
                      "methods were revised, so it is not a pure trend. " if delta else "")
                + f"Reference year {int(r['year'])}. Source: {md_plain(r['source_id'])}. "
                     f"Quote: “{md_plain(r['quote'])}”"
                     + (f" Also quoted: {md_plain(r['also_quoted'])}." if r["also_quoted"]
                        else ""),
            )
st.caption(
    "Changes are the difference between the two editions' published headlines, computed here; "
    "they are not a trend. The 2022 edition itself compares 2021 with restated 2016 values.")
render.show("ge-headlines", {}, key="ge_headlines", caption=False)
figure_table(heads, "ge_headline_table")

# --- 2. Breakdowns --------------------------------------------------------------------------
urlstate.restore({"ge_edition": EDITION, "ge_country": COUNTRY})
# Built only when opened (?section=breakdowns; an address with ?edition= opens it too).
SECTION = sections.param(("breakdowns",))
sections.restore(SECTION, "ge", implied={"breakdowns": (EDITION,)})
with sections.section("ge", "breakdowns", "Breakdowns by form, region, sex and age") as shown:
    if not shown:
        urlstate.write({EDITION: None})
    else:
        editions = sorted(figures["edition"].dropna().unique().astype(int), reverse=True)
        edition = st.radio("Edition", editions, format_func=q.edition_label, horizontal=True,
                           key="ge_edition")
        urlstate.write({EDITION: edition})
        st.caption("Counts, shares and rates are drawn in separate charts, never on one axis. Each bar "
                   "is one figure as a page states it, not a slice of one total: two pages may name the "
                   "same group in different words (hover to see each quote).")

        st.subheader("By form")
        forms = q.breakdown(figures, edition, ["form", "sector"])
        render.show_chart(charts.bar_chart(forms[forms["kind"] == "count"], "People by form (millions)",
                                          QUOTED_SOURCE), key="ge_forms")
        render.show_chart(charts.bar_chart(forms[forms["kind"] == "share"], "Shares by form (%)",
                                          QUOTED_SOURCE), key="ge_form_shares")
        figure_table(forms, "ge_forms_table")

        st.subheader("By region")
        region_measures = q.region_measures(figures, edition)
        gaps = q.regional_gaps(figures)
        if not region_measures:
            st.info(f"No regional figure is quoted for the {q.edition_label(edition)}.")
        else:
            measure = st.selectbox("Measure", region_measures, format_func=q.MEASURE_LABELS.get,
                                   key="ge_region_measure")
            rows = q.regions(figures, edition, measure)
            order = q.region_names(figures, edition)
            render.show_chart(charts.region_chart(
                rows, order, f"{q.MEASURE_LABELS[measure]} by region<br>{q.edition_label(edition)}",
                QUOTED_SOURCE), key="ge_regions")
            st.caption("Left: people (absolute). Right: per 1,000 people in the region. 'Not quoted': "
                       "no public page in the mirror states that figure. Regions are the ones each "
                       "edition used; the 2005 and 2012 groupings differ from the five used since 2017. "
                       "Where pages state a figure more than once, the chart draws the exact, most "
                       "precise statement (then the publisher's own page); the table lists the others.")
            missing = gaps[(gaps["edition"] == edition) & (gaps["measure"] == measure)]
            if missing.empty:
                st.caption("Every region has both a number and a rate per 1,000 for this measure.")
            else:
                st.caption("Not quoted for this edition and measure — " + escaped("; ".join(
                    f"{r['what']}: {r['regions']}" for _, r in missing.iterrows()), limit=600))
            figure_table(rows, "ge_regions_table")
            details = q.region_details(figures, edition)
            if not details.empty:
                figure_table(details, "ge_region_details",
                             "Other regional figures (groups within a region, shares of world totals)")

        st.subheader("By sex and age")
        people = q.breakdown(figures, edition, ["sex", "age"])
        render.show_chart(charts.bar_chart(people[people["kind"] == "count"],
                                          "People by sex and age (millions)", QUOTED_SOURCE),
                         key="ge_sexage")
        render.show_chart(charts.bar_chart(people[people["kind"] == "share"],
                                          "Shares by sex and age (%)", QUOTED_SOURCE),
                         key="ge_sexage_shares")
        figure_table(people, "ge_sexage_table")

        other = q.breakdown(figures, edition, ["movement", "income_group"])
        if not other.empty:
            st.subheader("Other breakdowns")
            for kind, title in (("count", "People (millions)"), ("share", "Shares (%)")):
                part = other[other["kind"] == kind]
                if not part.empty:
                    render.show_chart(charts.bar_chart(part, title, QUOTED_SOURCE), key=f"ge_other_{kind}")
            figure_table(other, "ge_other_table")

# --- 3. Country prevalence --------------------------------------------------------------------
st.header("Country estimates: Global Slavery Index 2023", divider="gray")
countries = q.gsi_countries()
if countries.empty:
    st.info("Country prevalence estimates are not yet available: the database holds no Walk "
            "Free Global Slavery Index data (source `walkfree-gsi-2023`).")
else:
    n_est = int(countries["prevalence"].notna().sum())
    st.markdown(
        f"Walk Free's estimates for {n_est} of the {len(countries)} countries it assessed, for "
        "2021, made with the same model as the 2022 Global Estimates (they sum to "
        f"{countries['number'].sum():,.0f} people). {len(countries) - n_est} countries have "
        "**no estimate**: they are grey on the map and listed as 'no estimate' — not zero.")
    gsi_source = ("Source: Walk Free 2023, The Global Slavery Index 2023, Minderoo Foundation "
                  "(walkfree-gsi-2023). © Minderoo Foundation, used with attribution.")
    if not geo.geometry_available():
        st.error("Map geometry is missing (static/world_50m.json); `make data` installs it. "
                 "The table below still works.")
    markers = geo.markers_for(countries["iso3"].tolist())
    render.show("gsi-map", {}, key="ge_gsi_map", caption=False)
    lost = markers[markers["lon"].isna()]
    if not lost.empty:
        names = dict(zip(countries["iso3"], countries["name"], strict=True))
        st.caption("Not drawn on the map (no shape and no known position): "
                   + ", ".join(names.get(c, c) for c in lost["iso3"]))

    table = q.ranked(countries)
    names = dict(zip(table["iso3"], table["name"], strict=True))
    pick = st.selectbox("Look up a country", table.sort_values("name")["iso3"].tolist(),
                        format_func=names.get, key="ge_country")
    urlstate.write({COUNTRY: pick})
    row = table[table["iso3"] == pick].iloc[0]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Prevalence per 1,000", row["prevalence_text"])
    c2.metric("Estimated number", row["number_text"])
    c3.metric("Rank (of estimates)", "—" if pd.isna(row["rank"]) else f"{row['rank']} of {n_est}")
    c4.metric("Government response",
              "not assessed" if pd.isna(row["government_response"])
              else f"{row['government_response']:.1f} %")

    st.subheader("Ranked by prevalence")
    render.dataframe(
        table[["rank", "name", "gsi_region", "prevalence_text", "number_text", "population",
               "vulnerability_text", "response_text", "source_id"]],
        hide_index=True, key="ge_ranked",
        column_config={
            "rank": st.column_config.NumberColumn("Rank", format="%d"),
            "name": "Country", "gsi_region": "Region (Walk Free)",
            "prevalence_text": "Prevalence per 1,000 (2021)",
            "number_text": "Estimated number",
            "population": st.column_config.NumberColumn("Population used", format="localized"),
            "vulnerability_text": "Vulnerability (0–100)",
            "response_text": "Government response (%)",
            "source_id": "Source file",
        })
    st.caption(
        "Prevalence is shown with one decimal as on Walk Free's site (stored unrounded); numbers "
        "are rounded to thousands by Walk Free. Government response can be negative (harmful "
        "policies subtract); four conflict-affected countries were not assessed.")

# --- 4. What is missing -------------------------------------------------------------------------
st.header("Not in the database yet", divider="gray")
st.markdown("\n".join(f"- {line}" for line in q.missing_data_notes()))
if not gaps.empty:
    render.dataframe(gaps[["edition_label", "measure_label", "what", "regions"]], hide_index=True,
                 key="ge_regional_gaps", column_config={
                     "edition_label": "Edition", "measure_label": "Measure",
                     "what": "Figure", "regions": "Regions not quoted"})
