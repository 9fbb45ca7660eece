"""One jurisdiction: tier history, what the government said, every indicator held (small
multiples, latest value and rank), what is missing, and the sources used."""

from __future__ import annotations

import streamlit as st

from trafficking import links, style
from trafficking.present import render, sections, tables, urlstate
from trafficking.present import specs_profile as sp
from trafficking.queries import catalogue as cq
from trafficking.queries import profile as q
from trafficking.queries import responses
from trafficking.queries import tiers as tq
from trafficking.text import md_plain

render.require_database()

names = sp.jurisdiction_names()
if not names:
    st.title("Jurisdiction profile")
    st.warning("The database holds no jurisdictions yet. Run `make data`.")
    st.stop()

# The address wins when it changed since the last run (e.g. a click on the tier map opened
# this page for another country); otherwise the select box keeps the reader's choice.
if tuple(urlstate.raw(sp.ISO3.name)) != st.session_state.get("profile_address"):
    st.session_state.pop("profile_iso3", None)
urlstate.restore({"profile_iso3": sp.ISO3}, transform={"profile_iso3": lambda v: v[0]})
sections.restore(sections.param(("values",)), sp.PAGE)
iso3 = st.selectbox("Jurisdiction", options=list(names), format_func=lambda c: names[c],
                    key="profile_iso3", help="Type to search.")
urlstate.write({sp.ISO3: [iso3]})
st.session_state["profile_address"] = (iso3,)
values = {sp.ISO3.name: [iso3]}
place = q.jurisdiction(iso3)
name = md_plain(names[iso3])  # the jurisdiction's name inside markdown, as plain text
st.title(name)
st.caption(f"ISO code {md_plain(iso3)} · region: "
           f"{md_plain(place['region']) if place is not None else 'unknown'}")

cat = cq.catalogue()
pop_code = cq.population_code(cat)
rows, summary = sp.held(iso3)
hist = tq.history([iso3])
sources = q.sources_for(iso3)

m1, m2, m3 = st.columns([2, 1, 1])
if hist.empty:
    m1.metric("Latest TIP tier", "none")
else:
    last = hist.sort_values("report_year").iloc[-1]
    m1.metric(f"TIP tier, {int(last['report_year'])} report", style.tier_label(last["tier"]))
m2.metric("Indicators with values", len(summary))
m3.metric("Source files used", sources["source_id"].nunique())

st.header("TIP report tiers", divider="gray")
if hist.empty:
    st.info(f"No source in the database gives a TIP tier for {name}.")
else:
    render.show("profile-tiers", values, key="profile_tiers")

st.header("What the government said", divider="gray")
said = q.government_responses(iso3, hist)
if said.empty:
    st.info(f"No published government response to a TIP report is in the database for "
            f"{name}.")
else:
    st.caption(f"{len(said)} published statement(s) answering the TIP report of "
               + ", ".join(str(y) for y in sorted(said["report_year"].unique())) + ". "
               + responses.STANCE_NOTE + " Figures cited: the numbers the statement itself "
               "gives, as far as the stored copy reaches.")
    render.dataframe(said[list(tables.PROFILE_RESPONSES)], hide_index=True, key="profile_responses",
                    height=min(38 + 35 * len(said), 600), column_config=tables.PROFILE_RESPONSES)

st.header("Indicators", divider="gray")
if summary.empty:
    st.info(f"The database holds no indicator values for {name}: only what the tier "
            "sources say. The list below names the indicators other jurisdictions have.")
else:
    render.show("profile-indicators", values, key="profile_indicators")
    st.caption(f"Rank: among all jurisdictions with a value that year (1 = highest), shown "
               f"where at least {q.MIN_PEERS} have one.")
    render.dataframe(sp.indicator_table(summary, iso3, pop_code), hide_index=True,
                    key="profile_latest", column_config=tables.PROFILE_LATEST)
    mates = q.peers(iso3, summary["indicator"].tolist())
    st.page_link(links.COMPARE_PAGE, label=(
        "Compare with " + ", ".join(md_plain(names.get(m, m)) for m in mates)
        + " on these indicators" if mates else "Open these indicators on the compare page"),
        icon=":material/compare_arrows:", query_params=links.compare_params(
            [iso3, *mates], [x for x in summary["series"] if x != pop_code]))
    with sections.section(sp.PAGE, "values", "All values and their sources") as shown:
        if shown:
            render.dataframe(rows[list(tables.PROFILE_VALUES)].sort_values(["name", "year"]),
                             hide_index=True, key="profile_values",
                             column_config=tables.PROFILE_VALUES)

missing = q.not_held(iso3, cat, summary["series"].tolist() if len(summary) else [])
if not missing.empty:
    with st.expander(f"Not held for {name}: {len(missing)} indicator(s) that other "
                     "jurisdictions have", expanded=summary.empty):
        render.dataframe(missing[list(tables.PROFILE_MISSING)], hide_index=True,
                        column_config=tables.PROFILE_MISSING)

st.header("Sources used", divider="gray")
if sources.empty:
    st.info("No source in the database mentions this jurisdiction.")
else:
    render.show("profile-coverage", values, key="profile_coverage")
    render.dataframe(sources[list(tables.PROFILE_SOURCES)], hide_index=True, key="profile_sources",
                    column_config=tables.PROFILE_SOURCES)
    st.caption("A blank address: a file compiled by this project from quoted public pages "
               "(each quote's page is in the values table).")
