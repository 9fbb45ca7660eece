"""One jurisdiction: tier history, what the government said, every indicator held (small
multiples, latest value and rank), what is missing, and the sources used."""

from __future__ import annotations

import streamlit as st

from trafficking import links, style
from trafficking.i18n import _
from trafficking.present import render, sections, tables, urlstate
from trafficking.present import specs_profile as sp
from trafficking.present import text_profile as say
from trafficking.present import widgets as ui
from trafficking.present.text_tiers import region_name
from trafficking.queries import profile as q
from trafficking.queries import responses
from trafficking.text import md_plain

render.require_database()

names = sp.jurisdiction_names()
if not names:
    st.title(_(say.TITLE))
    st.warning(_(say.NO_PLACES))
    st.stop()

# The address wins when it changed since the last run (e.g. a click on the tier map opened
# this page for another country); otherwise the select box keeps the reader's choice.
if tuple(urlstate.raw(sp.ISO3.name)) != st.session_state.get("profile_address"):
    st.session_state.pop("profile_iso3", None)
urlstate.restore({"profile_iso3": sp.ISO3}, transform={"profile_iso3": lambda v: v[0]})
sections.restore(sections.param(("values",)), sp.PAGE)
iso3 = ui.selectbox(_(say.PICK), ui.by_name(names), format_func=lambda c: names[c],
                    key="profile_iso3", help=_(say.PICK_HELP))
urlstate.write({sp.ISO3: [iso3]})
st.session_state["profile_address"] = (iso3,)
values = {sp.ISO3.name: [iso3]}
p = sp.profile(iso3)
rows, summary, hist, sources = p.rows, p.summary, p.history, p.sources
name = md_plain(names[iso3])  # the jurisdiction's name inside markdown, as plain text
st.title(name)
st.caption(say.place_line(md_plain(iso3), md_plain(region_name(p.place["region"]))
                          if p.place is not None else None))

m1, m2, m3 = st.columns([2, 1, 1])
if hist.empty:
    m1.metric(_(say.LATEST_TIER), _("none"))
else:
    last = hist.sort_values("report_year").iloc[-1]
    m1.metric(say.tier_metric(int(last["report_year"])), style.tier_label(last["tier"]))
m2.metric(_(say.INDICATORS_HELD), len(summary))
m3.metric(_(say.FILES_USED), sources["source_id"].nunique())

st.header(_(say.TIERS), divider="gray")
if hist.empty:
    st.info(say.no_tier(name))
else:
    render.show("profile-tiers", values, key="profile_tiers")

st.header(_(say.SAID), divider="gray")
said = p.said
if said.empty:
    st.info(say.no_response(name))
else:
    st.caption(say.responses_caption(len(said), sorted(said["report_year"].unique()),
                                     _(responses.STANCE_NOTE)))
    render.table(said, tables.PROFILE_RESPONSES, key="profile_responses",
                 height=min(38 + 35 * len(said), 600))

st.header(_(say.INDICATORS), divider="gray")
if summary.empty:
    st.info(say.no_values(name))
else:
    render.show("profile-indicators", values, key="profile_indicators")
    st.caption(say.rank_caption(q.MIN_PEERS))
    render.table(p.latest, tables.PROFILE_LATEST, key="profile_latest")
    mates = p.peers
    st.page_link(links.COMPARE_PAGE, label=(
        say.compare_with([md_plain(names.get(m, m)) for m in mates]) if mates
        else _(say.OPEN_COMPARE)),
        icon=":material/compare_arrows:", query_params=links.compare_params(
            [iso3, *mates], [x for x in summary["series"] if x != p.population_code]))
    with sections.section(sp.PAGE, "values", _(say.VALUES)) as shown:
        if shown:
            render.table(rows.sort_values(["name", "year"]), tables.PROFILE_VALUES,
                         key="profile_values")

missing = p.missing
if not missing.empty:
    with st.expander(say.not_held(name, len(missing)), expanded=summary.empty):
        render.table(missing, tables.PROFILE_MISSING, key="profile_missing")

st.header(_(say.SOURCES), divider="gray")
if sources.empty:
    st.info(_(say.NO_SOURCES))
else:
    render.show("profile-coverage", values, key="profile_coverage")
    render.table(sources, tables.PROFILE_SOURCES, key="profile_sources")
    st.caption(_(say.BLANK_ADDRESS))
