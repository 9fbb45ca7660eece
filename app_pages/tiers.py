"""TIP tiers: the map through time, movements, timelines, history heatmap, counts."""

from __future__ import annotations

import streamlit as st

from trafficking import geo
from trafficking.i18n import _
from trafficking.links import PROFILE_PAGE, iso3_from_selection, profile_params
from trafficking.places import localise
from trafficking.present import registry as shared
from trafficking.present import render, sections, tables, tiles, urlstate
from trafficking.present import text_tiers as say
from trafficking.present import widgets as ui
from trafficking.queries import responses
from trafficking.queries import tiers as q

render.require_database()

st.title(_(say.TITLE))
st.markdown(_(say.INTRO))
years = q.report_years()
if not years:
    st.warning(_(say.NO_TIERS))
    st.stop()
places = localise(q.jurisdictions())
names = dict(zip(places["iso3"], places["name"], strict=True))
panel = q.panel()
urlstate.restore({"tiers_year": shared.YEAR, "tiers_places": shared.PLACES,
                  "tiers_regions": shared.REGIONS, "tiers_sort": shared.SORT,
                  "tiers_animate": shared.ANIMATE}, transform={"tiers_animate": bool})


def _open_profile() -> None:
    """A click on the map: remember the country; the page then switches to its profile."""
    st.session_state["tiers_open_profile"] = iso3_from_selection(
        st.session_state.get("map_year"), set(names), {v: k for k, v in names.items()})


# --- 1. Map ---------------------------------------------------------------------------------
st.header(_(say.MAP), divider="gray")
year = st.select_slider(_(say.YEAR), options=years, key="tiers_year")
if not geo.geometry_available():
    st.error(_(say.NO_GEOMETRY))
if n := tiles.unresolved_count(panel, year):
    st.info(say.unresolved_notice(n, year), icon=":material/info:")
# The animation carries every year's data (~1 MB) and is slow to draw: only on request.
animate = st.toggle(_(say.PLAY), key="tiers_animate", help=_(say.PLAY_HELP))
urlstate.write({shared.YEAR: year, shared.ANIMATE: animate or None})
if animate:
    render.show("tiers-map-animated", {"year": year, "animate": True}, key="map_play")
else:
    render.show("tiers-map", {"year": year}, key="map_year", on_select=_open_profile)
    st.caption(_(say.CLICK))
    if target := st.session_state.pop("tiers_open_profile", None):
        st.switch_page(PROFILE_PAGE, query_params=profile_params(target))
if lost := tiles.not_on_map(names, geo.markers_for(sorted(names))):
    st.warning(say.not_on_map(lost))


# --- Sections below the map: built only when the reader opens them ------------------------
def movements() -> None:
    st.subheader(say.movements_heading(year))
    if year - 1 not in years:
        st.caption(say.first_report(year))
    else:
        moves = q.movements(panel, year)
        ui.metrics(tiles.movement_tiles(moves))
        render.show("tier-movements", {"year": year}, key="moves")
        render.table(tiles.moved(moves), tables.movements(year), key="moves_table")
    st.subheader(_(say.WATCH_LIST))
    render.show("watch-list", {"year": year}, key="streaks")
    render.table(tiles.watch_streaks(q.watch_list_streaks(panel, year)), tables.WATCH_STREAKS,
                 key="streak_table")


def timeline() -> None:
    """Tier histories of the chosen jurisdictions, with their values and sources."""
    chosen = ui.multiselect(_(say.PLACES), ui.by_name(names), format_func=lambda c: names[c],
                            key="tiers_places", max_selections=8)
    urlstate.write({shared.PLACES: chosen})
    if not chosen:
        return st.caption(_(say.CHOOSE))
    hist = render.show("tier-timeline", {"jurisdictions": chosen}, key="timeline").data
    with st.expander(_(say.VALUES)):
        # Placement basis and response fields are columns the ETL writes; shown as plain text.
        st.caption(say.responses_caption(_(responses.STANCE_NOTE)))
        render.table(tiles.timeline_table(hist), tables.TIMELINE, key="timeline_table")


def heatmap() -> None:
    f1, f2 = st.columns([2, 1])
    regions = ui.multiselect(_(say.REGIONS), ui.by_name(q.regions(), say.region_name),
                             where=f1, key="tiers_regions",
                             format_func=say.region_name, placeholder=_(say.ALL_REGIONS))
    sort = f2.radio(_(say.SORT), list(shared.SORTS), horizontal=True, key="tiers_sort",
                    format_func=lambda k: say.sort_label(k, shared.SORTS, years[-1]))
    urlstate.write({shared.REGIONS: regions, shared.SORT: sort})
    render.show("tier-heatmap", {"regions": regions, "sort": sort}, key="heatmap")


sections.restore(sections.param(shared.TIER_SECTIONS), "tiers",
                 implied={"timeline": (shared.PLACES,), "heatmap": (shared.REGIONS, shared.SORT)})
# Fixed labels: an expander's identity (and so whether it is open) must not change with the year.
# A closed section leaves nothing in the address.
for name, draw, params in (
        ("movements", movements, ()), ("timeline", timeline, (shared.PLACES,)),
        ("heatmap", heatmap, (shared.REGIONS, shared.SORT)),
        ("counts", lambda: render.show("tier-counts", {}, key="counts"), ())):
    with sections.section("tiers", name, _(say.SECTIONS[name])) as shown:
        if shown:
            draw()
        else:
            urlstate.write(dict.fromkeys(params))
