"""Overview: what the dashboard holds, and the first facts a visitor needs, each sourced."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trafficking import pages, style
from trafficking.charts import tiers as charts
from trafficking.present import render
from trafficking.queries import sources as sq
from trafficking.queries import tiers as tq

render.require_database()

st.title("Human trafficking statistics")
st.markdown(
    "Public figures on trafficking in persons in one place: the US State Department's "
    "*Trafficking in Persons* (TIP) report tiers since 2001, global estimates, and screening "
    "and identification figures. Every number on every page names the file it comes from; "
    "where a figure cannot be sourced the page says so instead of filling the gap."
)

held = sq.holdings()
built = str(held["built_at"] or "unknown")[:16].replace("T", " ")
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Jurisdictions with a TIP tier", int(held["tier_places"] or 0))
c2.metric("TIP reports", f"{held['first_report']}–{held['last_report']}"
          if held["first_report"] is not None else "none")
c3.metric("Source datasets", int(held["datasets"]), help=f"{held['files']} raw files")
c4.metric("Statistical values", f"{int(held['values']):,}",
          help=f"{held['indicators']} indicators from non-tier sources, "
               f"{held['value_places']} jurisdictions")
c5.metric("Last refresh", built[:10], help=f"Database built {built} UTC")

# --- Headline facts: the latest TIP report ------------------------------------------------
years = tq.report_years()
if years:
    latest = years[-1]
    panel = tq.panel()
    this = panel[panel["report_year"] == latest]
    counts = this["tier"].value_counts()
    used = tq.datasets_used([latest])
    st.header(f"The {latest} TIP report at a glance", divider="gray")
    # The unresolved range gets a tile only in a year that has one.
    shown = [t for t in style.TIER_ORDER if t != style.NOT_RANKED
             and (t != style.UNRESOLVED or counts.get(t, 0))]
    cols = st.columns(len(shown))
    for col, tier in zip(cols, shown, strict=True):
        col.metric(style.tier_label(tier), int(counts.get(tier, 0)))
    facts = []
    # How each placement was established: tip_tiers.method / .secondary, written by the ETL.
    resolved = int(this["resolved"].sum())
    by_elim = panel[panel["method"] == "elimination"]
    n_elim = int((this["method"] == "elimination").sum())
    basis = (f"**{n_elim}** of them are derived by elimination (ranked that year and on none "
             "of the other tiers' complete lists)" if n_elim
             else "none is derived by elimination: a source states each one")
    facts.append(f"**{resolved}** of the {len(this)} placements in {latest} are resolved to one "
                 f"tier; {basis}.")
    if len(by_elim) > n_elim:
        per = by_elim[by_elim["report_year"] != latest].groupby(["report_year", "tier"]).size()
        facts.append("Earlier reports with placements derived by elimination: " + ", ".join(
            f"{int(y)}: **{int(n)}** {tier}" for (y, tier), n in per.items()) + ".")
    sec = this[this["secondary"].fillna(False).astype(bool)]
    if len(sec):
        split = ", ".join(f"{int(n)} {tier}" for tier, n in sec["tier"].value_counts()
                          .reindex([t for t in style.TIER_ORDER if t in set(sec["tier"])])
                          .items())
        facts.append(
            f"**{len(sec)}** placements ({split}) rest on a **secondary compilation**: a third "
            f"party's transcription of the {latest} report, ranked below every primary page "
            "and used only where no stored page states the placement. Hover on the map says "
            "which.")
    if latest - 1 in years:
        moves = tq.movements(panel, latest)["movement"].value_counts()
        ranges = panel["report_year"].isin([latest - 1, latest]) & (panel["method"] == "range")
        facts.append(f"**{int(moves.get('downgrade', 0))}** jurisdictions were downgraded and "
                     f"**{int(moves.get('upgrade', 0))}** upgraded against the {latest - 1} "
                     "report" + (" (moves that the unresolved 'Tier 1 or 2' rows leave "
                                 "uncertain are not counted)." if ranges.any() else "."))
    streaks = tq.watch_list_streaks(panel, latest)
    two_plus = streaks[streaks["consecutive_years"] >= 2]
    facts.append(f"**{len(two_plus)}** of the {len(streaks)} jurisdictions on the Tier 2 Watch "
                 f"List in {latest} have been on it for two or more consecutive reports.")
    if counts.get(style.UNRESOLVED, 0):
        facts.append(
            f"For **{int(counts[style.UNRESOLVED])}** jurisdictions the sources say only 'Tier 1 "
            "or Tier 2' for this year: the Watch List and Tier 3 lists are complete, the split "
            "between Tier 1 and Tier 2 is not in any stored source. They are shown as "
            "unresolved, never as a guess.")
    st.markdown("\n".join(f"- {f}" for f in facts))
    st.caption(charts.sources_line(used["dataset"].tolist())
               + f" {len(this)} placements for {latest}.")
    st.page_link(pages.script("tiers"), label="Explore the tier map, movements and histories",
                 icon=":material/public:")

# --- What else is here ------------------------------------------------------------------------
inds = sq.indicator_summary()
st.header("Other statistics in the database", divider="gray")
if inds.empty:
    st.info("No statistics besides the TIP tiers are loaded yet.")
else:
    st.caption("Indicators loaded from each dataset, the number of values and the years they "
               "cover. Definitions differ between publishers; each page explains what counts.")
    inds = inds.assign(years=[
        f"{int(a)}–{int(b)}" if pd.notna(a) and a != b else (str(int(a)) if pd.notna(a) else "—")
        for a, b in zip(inds["first_year"], inds["last_year"], strict=True)])
    st.dataframe(inds[["publisher", "dataset", "indicators", "values", "years"]],
                 hide_index=True, key="indicators_table",
                 column_config={"publisher": "Publisher", "dataset": "Dataset",
                                "indicators": "Indicators", "values": "Values",
                                "years": "Years"})
st.page_link(pages.script("data_sources"), label="Every source file, checksum and refresh",
             icon=":material/source:")
