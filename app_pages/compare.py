"""Compare jurisdictions (and regions, the world) on any indicator the database holds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trafficking import params, percapita
from trafficking.charts import compare as charts
from trafficking.present import render
from trafficking.present.validate import shown as shown_value
from trafficking.queries import catalogue as cq
from trafficking.queries import compare as q
from trafficking.queries import tiers as tq
from trafficking.text import md_plain

render.require_database()

st.title("Compare jurisdictions")
st.markdown(
    "Put jurisdictions side by side on any indicator in the database. Every value comes from a "
    "named source; open **Values and sources** under the charts for the file, the quoted "
    "sentence and the page it was read from. Missing years are gaps, never zeros.")

cat = cq.catalogue()
series_tab = cq.series_table(cat)
if series_tab.empty:
    st.warning("The database holds no indicator values yet, only tier placements. Build the "
               "indicator sources with `make data` to compare jurisdictions on them.")
    st.stop()
places = cq.areas()
place_label = {r.area_code: cq.area_label(pd.Series(r._asdict()))
               for r in places.itertuples(index=False)}
place_name = dict(zip(places["area_code"], places["name"], strict=True))
place_kind = dict(zip(places["area_code"], places["area_kind"], strict=True))
series_info = series_tab.set_index("series")
series_label = {s: cq.series_label(r) for s, r in series_info.iterrows()}
pop_code = cq.population_code(cat)

# --- Defaults from the address (validated; anything unknown is dropped with a notice) ------
if "cmp_areas" not in st.session_state:
    kept, dropped = params.parse_codes(st.query_params.get_all("areas"), place_name)
    if dropped:
        st.warning("Ignored place code(s) in the address that the database does not hold: "
                   + ", ".join(dropped))  # parse_codes clipped and escaped each one
    default = [c for c in ("HKG", "SGP", "TWN", "GBR") if c in place_name]
    st.session_state["cmp_areas"] = (kept or default)[:10]
if "cmp_series" not in st.session_state:
    kept, dropped = q.parse_series(st.query_params.get_all("indicators"), cat)
    if dropped:
        st.warning("Ignored indicator(s) in the address that the database does not hold: "
                   + ", ".join(shown_value(v) for v in dropped[:5]))
    if not kept:  # the measure held for most of the chosen places
        kept = [q.default_series(series_tab, cat, st.session_state["cmp_areas"], pop_code)]
    st.session_state["cmp_series"] = kept
for key, name in (("cmp_per100k", "per100k"), ("cmp_log", "log")):
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(name, "") in ("1", "true", "yes")

# --- Choices --------------------------------------------------------------------------------
chosen_series = st.multiselect(
    "Indicators", options=list(series_info.index), format_func=lambda s: series_label[s],
    key="cmp_series", placeholder="Choose one or more indicators")
wants_regions = any(series_info.loc[s, "has_regions"] for s in chosen_series)
wants_world = any(series_info.loc[s, "has_world"] for s in chosen_series)
options = [c for c in places["area_code"]
           if place_kind[c] == "jurisdiction" or (place_kind[c] == "region" and wants_regions)
           or (place_kind[c] == "world" and wants_world)]
# Keep earlier choices selectable even when the indicators change.
options += [c for c in st.session_state["cmp_areas"] if c not in options]
chosen = st.multiselect(
    "Jurisdictions (2–10; type to search" + ("; regions and World are listed first" if
                                             wants_regions or wants_world else "") + ")",
    options=options, format_func=lambda c: place_label.get(c, c), key="cmp_areas",
    max_selections=10)
dims = sorted({d for s in chosen_series for d in series_info.loc[s, "dims"]})
if "cmp_dim" not in st.session_state:
    asked = st.query_params.get("breakdown", "total")
    st.session_state["cmp_dim"] = asked if asked in dims else "total"
    if asked not in dims and asked != "total":
        st.warning("Ignored breakdown in the address: " + shown_value(asked))
dim = st.selectbox(
    "Breakdown", options=["total", *dims], key="cmp_dim",
    format_func=lambda d: "Total (no breakdown)" if d == "total" else
    "By " + d.replace("_", " × "),
    help="Breakdowns the chosen indicators have values for (sex, age, form of exploitation "
         "...). One line per place and category.") if dims else "total"
c1, c2, c3 = st.columns([1, 1, 2])
log = c2.toggle("Log scale", key="cmp_log",
                help="Useful when places differ by orders of magnitude. Zero values cannot "
                     "be drawn on a log scale.")
units = dict(zip(cat["code"], cat["unit"], strict=True))
convertible = any(percapita.conversion(series_info.loc[s, "unit"]) is not None
                  for s in chosen_series)
per100k = c1.toggle("Per 100,000 population", key="cmp_per100k",
                    disabled=pop_code is None and not any(
                        percapita.conversion(series_info.loc[s, "unit"]) == "rate"
                        for s in chosen_series))
gap = 0
if pop_code is None:
    c3.caption("Per-capita figures for counts are not available: the database holds no "
               "sourced population series.")
elif per100k:
    gap = c3.select_slider(
        "Population year may differ from the value's year by up to", options=[0, 1, 2, 3, 4, 5],
        key="cmp_gap", format_func=lambda n: "0 years (same year only)" if n == 0 else
        f"{n} year{'s' if n > 1 else ''}",
        help=f"Population: indicator '{pop_code}'. Only the years that source states are "
             "used; with 0, a count is converted only where the population of the same year "
             "is sourced.")

st.query_params.update({"areas": ",".join(chosen), "indicators": ",".join(chosen_series),
                        "per100k": "1" if per100k else "0", "log": "1" if log else "0",
                        "breakdown": dim})

if not chosen_series:
    st.info("Choose at least one indicator.")
    st.stop()
if len(chosen) < 2:
    st.info("Choose at least two jurisdictions to compare (for one jurisdiction, open its "
            "profile page).")
    st.stop()

# --- Data -----------------------------------------------------------------------------------
codes = [c for s in chosen_series for c in series_info.loc[s, "codes"]]
obs = q.observations(codes, chosen, totals_only=dim == "total")
if dim != "total":
    obs = obs[obs["breakdown_dim"] == dim]
raw = q.with_series(q.pick_charted(obs), cat)
if per100k:
    pop = q.population(pop_code, chosen)
    raw = percapita.to_per_100k(raw, units, pop, max_year_gap=gap)
breaks = q.definition_breaks(raw)
raw["segment"] = q.segment(raw, breaks)

missing = q.missing_pairs(raw, chosen_series, chosen)
if missing:
    by_series: dict[str, list[str]] = {}
    for s, a in missing:
        by_series.setdefault(s, []).append(place_name.get(a, a))
    lines = [f"- **{series_info.loc[s, 'name']}**: no values for {', '.join(names)}"
             + (f" (the indicator has values by {', '.join(series_info.loc[s, 'dims'])}: "
                "choose a breakdown)" if dim == "total" and series_info.loc[s, "dims"] else "")
             for s, names in by_series.items()]
    st.info("What the database does not hold for this choice"
            + ("" if dim == "total" else f" (by {dim.replace('_', ' × ')})") + ":\n"
            + "\n".join(lines), icon=":material/info:")

raw["place"] = raw["area_code"].map(lambda a: place_name.get(a, a))
line_names = {a: place_name.get(a, a) for a in chosen}
if dim != "total":
    raw, line_names = q.split_by_breakdown(raw, line_names)
charted = raw[raw["charted"]]

panel_units = {s: series_info.loc[s, "unit"] for s in chosen_series}
plotted = charted
if per100k:
    no_form = [s for s in chosen_series if percapita.conversion(series_info.loc[s, "unit"])
               is None]
    if no_form:
        st.caption("Not shown per 100,000 (a share, score or index has no per-capita form): "
                   + ", ".join(series_info.loc[s, "name"] for s in no_form))
    lost = charted[(charted["per_capita"] == "count") & charted["value"].isna()
                   & charted["value_original"].notna()]
    if not lost.empty:
        pop_years = sorted(q.population(pop_code, chosen)["year"].unique())
        st.caption(f"{len(lost)} value(s) could not be converted: no sourced population "
                   f"for that place within {gap} year(s) of the value's year (the population "
                   f"series '{pop_code}' has the year(s) "
                   + ", ".join(str(y) for y in pop_years) + "). They are left out of the "
                   "charts and stay in the table with their original number; widen the "
                   "population-year slider to convert values of nearby years.")
    plotted = charted[charted["per_capita"].notna()].copy()
    # A value published without a number is shown where a number could have been converted
    # (a rate, or a count with a population in reach), not in years the chart leaves out.
    reachable = (plotted["per_capita"] == "rate") | plotted["population"].notna()
    plotted = plotted[plotted["value"].notna()
                      | (plotted["qualifier"].notna() & plotted["value_original"].isna()
                         & reachable)]
    panel_units = {s: percapita.PER_LABEL for s in chosen_series if s not in no_form}

# --- Lines with tiers -----------------------------------------------------------------------
st.header("Over time", divider="gray")
iso3s = [a for a in chosen if place_kind.get(a) == "jurisdiction"]
show_all_tiers = st.checkbox("Tier markers for every report year (not only the years with "
                             "indicator values)", key="cmp_all_tiers")
tiers = tq.history(iso3s)
if not tiers.empty and not show_all_tiers and not plotted.empty:
    lo, hi = int(plotted["year"].min()) - 1, int(plotted["year"].max()) + 1
    tiers = tiers[(tiers["report_year"] >= lo) & (tiers["report_year"] <= hi)]
sources_used = sorted(set(plotted["source_publisher"].dropna()))
source_line = ("Sources: " + "; ".join(sources_used) + ". Tiers: US State Dept. TIP reports. "
               "Details: table below and Data & sources.") if sources_used else ""
if plotted.empty:
    st.warning("None of the chosen places has a value to draw for these indicators.")
else:
    fig = charts.line_chart(
        plotted, area_names=line_names,
        series_names={s: series_info.loc[s, "name"] for s in chosen_series if s in panel_units},
        panel_units=panel_units, breaks=breaks, tiers=tiers, log=log, source=source_line)
    render.show_chart(fig, key="cmp_lines")
    st.caption(
        "One panel per unit. Open markers: figures with a qualifier (e.g. 'approximately'). "
        "Lines break at missing years and at every change of edition or "
        "definition (dotted line, ⟂ label; hover it for the note). A ◇ mark at the foot of a "
        "panel is a value published without a number (e.g. suppressed). Tier squares: the "
        "TIP report of that year, which covers the year before.")
    if not breaks.empty:
        for _, b in breaks.iterrows():
            st.caption(f"⟂ {md_plain(series_info.loc[b['series'], 'name'])}, {b['year']}: "
                       f"{md_plain(b['text'])}")

# --- Latest-year ranking --------------------------------------------------------------------
st.header("Latest value", divider="gray")
latest = q.latest(plotted)
if latest.empty:
    st.caption("No values to rank.")
else:
    shown = [s for s in chosen_series if s in set(latest["series"])]
    tabs = st.tabs([md_plain(series_info.loc[s, "name"][:60]) for s in shown])
    for tab, s in zip(tabs, shown, strict=True):
        part = latest[latest["series"] == s]
        unit = panel_units.get(s, series_info.loc[s, "unit"])
        with tab:
            years = sorted(part["year"].unique())
            if len(years) > 1:
                st.caption("The latest year differs between places ("
                           + ", ".join(str(y) for y in years) + "): compare with care.")
            render.show_chart(charts.ranking_chart(
                part, area_names=line_names, title=f"{series_info.loc[s, 'name']}: latest value",
                unit=unit, source=source_line), key=f"cmp_rank_{s}")

# --- Table ----------------------------------------------------------------------------------
st.header("Values and sources", divider="gray")
table = raw
# The figures first, then where they come from; the table scrolls sideways after that.
columns = {"place": "Place", "name": "Indicator", "year": "Year"}
if dim != "total":
    columns |= {"breakdown": "Category"}
columns |= {"value": "Value", "qualifier": "Qualifier"}
if per100k:
    table = table.rename(columns={"value": "per_100k", "value_original": "value"})
    columns |= {"per_100k": "Per 100,000", "population": "Population used",
                "population_year": "Population year"}
columns |= {"charted": "Charted", "source_id": "Source file", "quote": "Quote",
            "cited_url": "Page", "source_publisher": "Publisher", "edition": "Edition",
            "stated_in": "Stated in", "preferred_reason": "Why charted or not",
            "note": "Note", "breakdown_dim": "Breakdown"}
render.dataframe(
    table[[c for c in columns if c in table.columns]].sort_values(["name", "place", "year"]),
    hide_index=True, key="cmp_table",
    column_config={k: v for k, v in columns.items() if k not in ("cited_url",)}
    | {"cited_url": st.column_config.LinkColumn("Page"),
       "value": st.column_config.NumberColumn("Value", format="%,.4g"),
       "per_100k": st.column_config.NumberColumn("Per 100,000", format="%,.2f"),
       "population": st.column_config.NumberColumn("Population used", format="%,.0f"),
       "charted": st.column_config.CheckboxColumn(
           "Charted", help="Where a source states a figure twice, the one drawn")})
st.caption(f"{len(table)} rows. 'Charted' is unticked for a second statement of the same figure "
           "(e.g. a rounded one, or an earlier report edition) that the charts do not draw; "
           "'Why charted or not' gives the database's reason.")

with st.expander("What the indicators measure"):
    for s in chosen_series:
        for code in series_info.loc[s, "codes"]:
            row = cat[cat["code"] == code].iloc[0]
            st.markdown(f"**{md_plain(row['name'])}** ({md_plain(code)}, {md_plain(row['unit'])}; "
                        f"{md_plain(row['publisher'])})")
            st.markdown(md_plain(row["definition"]))
            if row["what_counts"]:
                st.caption("What counts: " + md_plain(row["what_counts"]))

with st.expander("All indicators in the database"):
    render.dataframe(
        cat[["code", "name", "unit", "publisher", "n_values", "n_without_value",
             "n_jurisdictions", "n_regions", "has_world", "first_year", "last_year",
             "breakdowns", "source_titles", "what_counts"]],
        hide_index=True, key="cmp_catalogue",
        column_config={"code": "Code", "name": "Name", "unit": "Unit", "publisher": "Publisher",
                       "n_values": "Values", "n_without_value": "Without a number",
                       "n_jurisdictions": "Jurisdictions", "n_regions": "Regions",
                       "has_world": "World", "first_year": st.column_config.NumberColumn(
                           "From", format="%d"),
                       "last_year": st.column_config.NumberColumn("To", format="%d"),
                       "breakdowns": "Breakdowns", "source_titles": "Source",
                       "what_counts": "What counts"})
