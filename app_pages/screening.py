"""Screening and identification: Hong Kong's screenings and victims, compared, and worldwide."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trafficking.i18n import _
from trafficking.present import render, sections, tables, urlstate
from trafficking.present import specs_funnels as funnels
from trafficking.present import specs_screening as spec
from trafficking.present import text_screening as say
from trafficking.present import widgets as ui
from trafficking.queries import funnels as fq
from trafficking.queries import screening as q

render.require_database()
urlstate.restore({"screening_places": spec.PLACES, "screening_log": spec.SCALE},
                 transform={"screening_log": lambda scale: scale == "log"})
# Collapsed parts, built only when opened; the open ones are in the address (?section=…).
# Below the Hong Kong charts, everything waits to be opened: built in the same update as the top
# chart's still, it kept the still off the screen for 0.3-0.5 s (issue 14). A permalink with
# jurisdictions or a scale opens the comparison.
sections.restore(sections.param(
    ("stated_twice", "said", "compare", "worldwide", "figures", "funnels", "also_loaded",
     "funnel_figures")), spec.PAGE, implied={"compare": (spec.PLACES, spec.SCALE)})
st.title(_("Screening and identification"))
st.markdown(_(say.INTRO))

st.header(_("Hong Kong"), divider="gray")
hk = q.hk_observations()
if hk.empty:
    st.warning(_(say.NO_HK))
else:
    wide = spec.hk_wide()
    for column, (label, value) in zip(st.columns(3), spec.hk_headline(), strict=True):
        column.metric(label, value)
    render.show("hk-screening", {}, key="hk_chart")
    render.show("hk-identification-rate", {}, key="hk_rate")
    st.markdown(say.gaps(wide))
    if not q.hk_other_observations().empty:
        st.caption(_(say.OTHER_KINDS))
    with sections.section(spec.PAGE, "stated_twice", say.stated_twice(hk)) as shown:
        if shown:
            st.markdown(_(say.TWO_SOURCES_RULE))
            render.table(q.stated_twice(hk), tables.SCREENING_STATED_TWICE, key="hk_two_sources")

# Hong Kong's government answers each TIP report; its own words sit beside its figures.
st.subheader(_("What the Hong Kong government said about its TIP placement"))
said = spec.hk_responses()
if said.empty:
    st.caption(_(say.NO_RESPONSES))
else:
    with sections.section(spec.PAGE, "said", say.responses_label(said)) as shown:
        if shown:
            render.table(said, tables.SCREENING_RESPONSES, key="hk_responses",
                         caption=say.responses_caption(said))


def compare() -> pd.DataFrame | None:
    """Hong Kong beside the chosen jurisdictions (tabs: one chart each); their figures."""
    names = spec.place_names()
    chosen = ui.multiselect(_("Jurisdictions"), ui.by_name(names), format_func=names.get,
                            key="screening_places", max_selections=spec.PLACES_MAX,
                            help=_(say.COMPARE_HELP))
    frame = spec.compare_frame(chosen) if chosen else None
    if not chosen:
        st.caption(_("Choose one or more jurisdictions."))
    else:
        if without := q.screening_coverage(chosen, frame)[1]:
            st.info(say.no_screening([names[c] for c in without]), icon=":material/info:")
        labels = [_(t) for t in say.COMPARE_TABS]
        # A permalink with a scale (only the absolute numbers have one) opens on that tab.
        (tab_rate, rate_open), (tab_abs, abs_open), (tab_pop, pop_open) = sections.tabs(
            labels, key="screening_compare_tab",
            default=labels[1] if urlstate.raw(spec.SCALE.name) else None)
        if rate_open:
            with tab_rate:
                render.show("screening-rate", {"compare": chosen}, key="cmp_rate")
        if abs_open:
            with tab_abs:
                log = st.toggle(_("Logarithmic scale"), key="screening_log", help=_(say.LOG_HELP))
                render.show("screening-victims", {"compare": chosen, "scale": spec.scale(log)},
                            key="cmp_abs")
                if censored := q.suppressed(frame):
                    st.caption(say.suppressed(censored))
        if pop_open:
            with tab_pop:
                render.show("screening-per-million", {}, key="cmp_pm")
        if not frame.empty:
            st.subheader(_("What each series counts"))
            st.markdown(say.definitions(spec.definitions(frame)))
        st.warning(say.misleads(say.compare_spans()), icon=":material/warning:")
    urlstate.write(spec.address(chosen, st.session_state.get("screening_log", True)))
    return frame


st.header(_("Compare jurisdictions"), divider="gray")
frame = None
with sections.section(spec.PAGE, "compare", _(say.COMPARE_LABEL)) as shown:
    if shown:
        frame = compare()
    else:  # a closed section leaves nothing in the address
        urlstate.write(dict.fromkeys((spec.PLACES, spec.SCALE)))

st.header(_("Worldwide"), divider="gray")
with sections.section(spec.PAGE, "worldwide", _(say.WORLDWIDE_LABEL)) as shown:
    if shown:
        world = render.show("tip-worldwide", {}, key="world").data
        if not world.empty:
            st.markdown(say.world(q.world_gaps(world)))
            render.table(q.world_conflicts(), tables.SCREENING_WORLD_CONFLICTS,
                         key="world_conflicts", caption=_(say.WORLD_CONFLICTS))

st.header(_("Every figure on this page"), divider="gray")
with sections.section(spec.PAGE, "figures", _(say.FIGURES_LABEL)) as shown:
    if shown:
        world = render.cached_view("tip-worldwide", {}).data
        render.table(spec.every_figure([hk, q.hk_other_observations(), frame, world,
                                        q.rates_per_million()]),
                     tables.SCREENING_FIGURES, key="figures_table", caption=_(say.FIGURES),
                     empty=_("No figures."))
st.subheader(_("Not in this database"))
st.markdown(say.not_in_database())

st.header(_("Referral funnels"), divider="gray")
st.markdown(_(say.FUNNELS))


def _funnels(row: tuple) -> None:
    """Charts side by side, each with what it leaves out and what its series count."""
    for column, (chart_id, key, pairs) in zip(st.columns(len(row)), row, strict=True):
        with column:
            render.show(chart_id, {}, key=key)
            if notice := say.unsettled(fq.funnel(pairs)[2]):
                st.info(notice, icon=":material/info:")
            st.caption(say.funnel_definitions(fq.definitions(pairs)))


with sections.section(spec.PAGE, "funnels", _(say.FUNNELS_LABEL)) as shown:
    if shown:
        _funnels(funnels.UK_BESIDE_HK)
        st.subheader(_("UK referrals: every statement of a year, revisions kept"))
        render.table(fq.revision_history(), tables.FUNNEL_REVISIONS, key="funnel_revisions",
                     caption=_(say.REVISIONS), empty=_(say.NO_REVISIONS))
        disagree = fq.conflicts([c for _c, c in fq.ALL_PAIRS])
        render.table(disagree, tables.FUNNEL_CONFLICTS, key="funnel_conflicts",
                     caption=say.funnel_conflicts(len(disagree)))
        st.subheader(_("Identified victims elsewhere: Japan and Singapore"))
        st.caption(_(say.ELSEWHERE))
        _funnels(funnels.ELSEWHERE)
with sections.section(spec.PAGE, "also_loaded", _(say.ALSO_LOADED_LABEL)) as shown:
    if shown:
        st.caption(_(say.ALSO_LOADED))
        st.caption(say.funnel_definitions(fq.definitions(fq.UK_OTHER + fq.US_COUNTS)))
funnel_rows = funnels.every_figure()
with sections.section(spec.PAGE, "funnel_figures", say.every_funnel_figure(funnel_rows)) as shown:
    if shown:
        render.table(funnel_rows, tables.FUNNEL_EVERY, key="funnel_table")
st.caption(_(say.FUNNELS_MISSING))
