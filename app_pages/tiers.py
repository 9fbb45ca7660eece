"""TIP tiers: the map through time, movements, timelines, history heatmap, counts."""

from __future__ import annotations

import streamlit as st

from trafficking import geo
from trafficking.links import PROFILE_PAGE, iso3_from_selection, profile_params
from trafficking.present import registry as shared
from trafficking.present import render, sections, tables, tiles, urlstate
from trafficking.present import widgets as ui
from trafficking.queries import responses
from trafficking.queries import tiers as q

render.require_database()

st.title("TIP report tiers")
st.markdown(
    "Each year the US State Department's *Trafficking in Persons* (TIP) report places "
    "governments on a tier by their efforts against trafficking: **Tier 1** (meets the US "
    "law's minimum standards), **Tier 2**, **Tier 2 Watch List**, **Tier 3** (does not meet "
    "them and is not making significant efforts), or *Special Case*.")
years = q.report_years()
if not years:
    st.warning("The database holds no tier placements. Run `make data` to build them.")
    st.stop()
places = q.jurisdictions()
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
st.header("World map", divider="gray")
year = st.select_slider("Report year", options=years, key="tiers_year")
if not geo.geometry_available():
    st.error("Map geometry is missing (static/world_50m.json). `make data` installs it from the "
             "world-geometry source; the other charts below still work.")
if n := tiles.unresolved_count(panel, year):
    st.info(f"**{n} placements in {year} are shown as 'Tier 1 or 2 (unresolved)'.** The sources "
            "in this database list that year's Watch List and Tier 3 completely, but not which "
            "of the remaining jurisdictions were Tier 1 and which Tier 2. They are drawn in "
            "grey-blue and never as a guessed tier.", icon=":material/info:")
# The animation carries every year's data (~1 MB) and is slow to draw: only on request.
animate = st.toggle("Play through all years", key="tiers_animate",
                    help="Replace the map with an animation of every report since the first.")
urlstate.write({shared.YEAR: year, shared.ANIMATE: animate or None})
if animate:
    render.show("tiers-map-animated", {"year": year, "animate": True}, key="map_play")
else:
    render.show("tiers-map", {"year": year}, key="map_year", on_select=_open_profile)
    st.caption("Click a country (or its dot) to open its profile.")
    if target := st.session_state.pop("tiers_open_profile", None):
        st.switch_page(PROFILE_PAGE, query_params=profile_params(target))
if lost := tiles.not_on_map(names, geo.markers_for(sorted(names))):
    st.warning("Not drawn on the map (no shape and no known position): " + lost)


# --- Sections below the map: built only when the reader opens them ------------------------
def movements() -> None:
    st.subheader(f"Movements in {year}")
    if year - 1 not in years:
        st.caption(f"{year} is the first report in the database: there is nothing to compare "
                   "with.")
    else:
        moves = q.movements(panel, year)
        ui.metrics(tiles.movement_tiles(moves))
        render.show("tier-movements", {"year": year}, key="moves")
        render.table(tiles.moved(moves), tables.movements(year), key="moves_table")
    st.subheader("Tier 2 Watch List, consecutive years")
    render.show("watch-list", {"year": year}, key="streaks")
    render.table(tiles.watch_streaks(q.watch_list_streaks(panel, year)), tables.WATCH_STREAKS,
                 key="streak_table")


def timeline() -> None:
    """Tier histories of the chosen jurisdictions, with their values and sources."""
    chosen = st.multiselect("Jurisdictions", options=list(names), format_func=lambda c: names[c],
                            key="tiers_places", max_selections=8)
    urlstate.write({shared.PLACES: chosen})
    if not chosen:
        return st.caption("Choose one or more jurisdictions to see their tier history.")
    hist = render.show("tier-timeline", {"jurisdictions": chosen}, key="timeline").data
    with st.expander("Values, sources and government responses"):
        # Placement basis and response fields are columns the ETL writes; shown as plain text.
        st.caption("Response columns: the government's published statement answering that "
                   "report, where the database holds one (the first statement of the year; "
                   "'Other statements' names the rest). " + responses.STANCE_NOTE)
        render.table(tiles.timeline_table(hist), tables.TIMELINE, key="timeline_table")


def heatmap() -> None:
    f1, f2 = st.columns([2, 1])
    regions = f1.multiselect("Regions", options=q.regions(), key="tiers_regions",
                             placeholder="All regions")
    sort = f2.radio("Sort by", list(shared.SORTS), horizontal=True, key="tiers_sort",
                    format_func=lambda k: f"Tier in {years[-1]}" if k == "latest"
                    else shared.SORTS[k])
    urlstate.write({shared.REGIONS: regions, shared.SORT: sort})
    render.show("tier-heatmap", {"regions": regions, "sort": sort}, key="heatmap")


sections.restore(sections.param(shared.TIER_SECTIONS), "tiers",
                 implied={"timeline": (shared.PLACES,), "heatmap": (shared.REGIONS, shared.SORT)})
# Fixed labels: an expander's identity (and so whether it is open) must not change with the year.
# A closed section leaves nothing in the address.
for name, label, draw, params in (
        ("movements", "Movements and the Watch List", movements, ()),
        ("timeline", "Tier history of selected jurisdictions", timeline, (shared.PLACES,)),
        ("heatmap", "All jurisdictions, all reports", heatmap, (shared.REGIONS, shared.SORT)),
        ("counts", "Counts per tier", lambda: render.show("tier-counts", {}, key="counts"), ())):
    with sections.section("tiers", name, label) as shown:
        if shown:
            draw()
        else:
            urlstate.write(dict.fromkeys(params))
