"""TIP tiers: the map through time, movements, timelines, history heatmap, counts."""

from __future__ import annotations

import streamlit as st

from trafficking import geo, style
from trafficking.charts import tiers as charts
from trafficking.links import PROFILE_PAGE, iso3_from_selection, profile_params
from trafficking.present import registry as shared
from trafficking.present import render, sections, urlstate
from trafficking.queries import responses
from trafficking.queries import tiers as q

render.require_database()

st.title("TIP report tiers")
st.markdown(
    "Each year the US State Department's *Trafficking in Persons* (TIP) report places "
    "governments on a tier by their efforts against trafficking: **Tier 1** (meets the US "
    "law's minimum standards), **Tier 2**, **Tier 2 Watch List**, **Tier 3** (does not meet "
    "them and is not making significant efforts), or *Special Case*."
)

years = q.report_years()
if not years:
    st.warning("The database holds no tier placements. Run `make data` to build them.")
    st.stop()
places = q.jurisdictions()
names = dict(zip(places["iso3"], places["name"], strict=True))
panel = q.panel()

# --- Defaults from the address (validated; bad values dropped with a notice) ------------
urlstate.restore({"tiers_year": shared.YEAR, "tiers_places": shared.PLACES,
                  "tiers_regions": shared.REGIONS, "tiers_sort": shared.SORT})


def _unresolved_notice(year: int) -> None:
    n = int((panel[(panel["report_year"] == year)]["tier"] == style.UNRESOLVED).sum())
    if n:
        st.info(
            f"**{n} placements in {year} are shown as 'Tier 1 or 2 (unresolved)'.** The sources "
            "in this database list that year's Watch List and Tier 3 completely, but not which "
            "of the remaining jurisdictions were Tier 1 and which Tier 2. They are drawn in "
            "grey-blue and never as a guessed tier.", icon=":material/info:")


def _open_profile() -> None:
    """A click on the map: remember the country; the page then switches to its profile."""
    st.session_state["tiers_open_profile"] = iso3_from_selection(
        st.session_state.get("map_year"), set(names), {v: k for k, v in names.items()})


# --- 1. Map ---------------------------------------------------------------------------------
st.header("World map", divider="gray")
year = st.select_slider("Report year", options=years, key="tiers_year")
urlstate.write({shared.YEAR: year})
markers = geo.markers_for(sorted(names))
source_year = charts.sources_line(q.datasets_used([year])["dataset"].tolist())
source_all = charts.sources_line(q.datasets_used()["dataset"].tolist())

if not geo.geometry_available():
    st.error("Map geometry is missing (static/world_50m.json). `make data` installs it from the "
             "world-geometry source; the other charts below still work.")
_unresolved_notice(year)
# The animation carries every year's data (~1 MB) and is slow to draw: only on request.
if st.toggle("Play through all years", key="tiers_animate",
             help="Replace the map with an animation of every report since the first."):
    st.caption(f"The map for every report, {years[0]}–{years[-1]}: press ▶ Play or drag the "
               "year slider under the map. Colours, dots and hover as in the single-year map.")
    render.show_chart(charts.tier_map_animated(panel, years, year, markers, source_all),
                     key="map_play")
else:
    render.show("tiers-map", {"year": year}, key="map_year", on_select=_open_profile)
    st.caption("Click a country (or its dot) to open its profile.")
    if target := st.session_state.pop("tiers_open_profile", None):
        st.switch_page(PROFILE_PAGE, query_params=profile_params(target))
lost = markers[markers["lon"].isna()]
if not lost.empty:
    st.warning("Not drawn on the map (no shape and no known position): "
               + ", ".join(names.get(c, c) for c in lost["iso3"]))

def _timeline() -> None:
    """Tier histories of the chosen jurisdictions, with their values and sources."""
    chosen = st.multiselect("Jurisdictions", options=list(names), format_func=lambda c: names[c],
                            key="tiers_places", max_selections=8)
    urlstate.write({shared.PLACES: chosen})
    if chosen:
        hist = render.show("tier-timeline", {"jurisdictions": chosen}, key="timeline").data
        with st.expander("Values, sources and government responses"):
            # Placement basis and response fields are columns the ETL writes; shown as plain text.
            st.caption("Response columns: the government's published statement answering that "
                       "report, where the database holds one (the first statement of the year; "
                       "'Other statements' names the rest). " + responses.STANCE_NOTE)
            text_cols = ["response_date", "response_stance", "response_quote", "response_figures",
                         "response_publisher", "response_others"]
            table = hist.assign(response_url=hist["response_url"].map(responses.safe_url),
                                **{c: hist[c].fillna("") for c in text_cols})
            render.dataframe(
                table[["name", "report_year", "tier", "response_date", "response_stance",
                       "response_quote", "response_url", "response_figures", "response_publisher",
                       "response_others", "method", "secondary", "source_id", "note"]],
                hide_index=True, key="timeline_table",
                column_config={"name": "Jurisdiction", "report_year": "Report year",
                               "tier": "Tier", "method": "How found",
                               "secondary": "Secondary compilation", "source_id": "Source",
                               "response_date": "Response date",
                               "response_stance": "Stance (project's reading)",
                               "response_quote": st.column_config.TextColumn(
                                   "Statement's own words", width="large"),
                               "response_figures": "Figures the statement cites",
                               "response_publisher": "Statement by",
                               "response_url": st.column_config.LinkColumn("Statement"),
                               "response_others": "Other statements that year",
                               "note": "Note"})
    else:
        st.caption("Choose one or more jurisdictions to see their tier history.")


# --- Sections below the map: built only when the reader opens them ------------------------
SECTION = sections.param(shared.TIER_SECTIONS)
sections.restore(SECTION, "tiers",
                 implied={"timeline": (shared.PLACES,), "heatmap": (shared.REGIONS, shared.SORT)})

# A fixed label: the expander's identity (and so whether it is open) must not change with the year.
with sections.section("tiers", "movements", "Movements and the Watch List") as shown:
    if shown:
        st.subheader(f"Movements in {year}")
    if not shown:
        pass
    elif year - 1 not in years:
        st.caption(f"{year} is the first report in the database: there is nothing to compare "
                   "with.")
    else:
        moves = q.movements(panel, year)
        counts = moves["movement"].value_counts()
        c1, c2, c3 = st.columns(3)
        c1.metric("Upgraded", int(counts.get("upgrade", 0)))
        c2.metric("Downgraded", int(counts.get("downgrade", 0)))
        c3.metric("Not comparable or unclear",
                  int(counts.get("unclear", 0) + counts.get("not comparable", 0)),
                  help="'Unclear': one of the two years is 'Tier 1 or 2 (unresolved)' and the "
                       "other is Tier 1 or Tier 2. 'Not comparable': a Special Case on either side.")
        render.show("tier-movements", {"year": year}, key="moves")
        shown_moves = moves[moves["movement"] != "no change"].assign(
            name_prev=lambda f: f["previous_tier"].map(style.tier_label),
            name_now=lambda f: f["tier"].map(style.tier_label))
        render.dataframe(
            shown_moves[["name", "region", "name_prev", "name_now", "movement", "source_id"]],
            hide_index=True, key="moves_table",
            column_config={"name": "Jurisdiction", "region": "Region",
                           "name_prev": f"{year - 1}", "name_now": f"{year}",
                           "movement": "Movement", "source_id": f"Source of the {year} value"})
    if shown:
        streaks = q.watch_list_streaks(panel, year)
        st.subheader("Tier 2 Watch List, consecutive years")
        render.show("watch-list", {"year": year}, key="streaks")
        two_plus = streaks[streaks["consecutive_years"] >= 2]
        render.dataframe(two_plus[["name", "region", "consecutive_years", "since"]],
                        hide_index=True, key="streak_table",
                        column_config={"name": "Jurisdiction", "region": "Region",
                                       "consecutive_years": "Consecutive years",
                                       "since": "On the list since"})

with sections.section("tiers", "timeline", "Tier history of selected jurisdictions") as shown:
    if shown:
        _timeline()
    else:
        urlstate.write({shared.PLACES: []})  # a closed section leaves nothing in the address

with sections.section("tiers", "heatmap", "All jurisdictions, all reports") as shown:
    if shown:
        f1, f2 = st.columns([2, 1])
        chosen_regions = f1.multiselect("Regions", options=q.regions(), key="tiers_regions",
                                        placeholder="All regions")
        sort = f2.radio("Sort by", list(shared.SORTS), horizontal=True, key="tiers_sort",
                        format_func=lambda k: f"Tier in {years[-1]}" if k == "latest"
                        else shared.SORTS[k])
        urlstate.write({shared.REGIONS: chosen_regions, shared.SORT: sort})
        render.show("tier-heatmap", {"regions": chosen_regions, "sort": sort}, key="heatmap")
    else:
        urlstate.write({shared.REGIONS: [], shared.SORT: None})

with sections.section("tiers", "counts", "Counts per tier") as shown:
    if shown:
        render.show("tier-counts", {}, key="counts")
