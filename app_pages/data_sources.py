"""Data & sources: every raw file behind the dashboard, tier conflicts, and the ETL history."""

from __future__ import annotations

import streamlit as st

from trafficking import datapackage
from trafficking.present import render, tables, urlstate
from trafficking.present.validate import choice_param
from trafficking.queries import sources as q

render.require_database()

st.title("Data & sources")
st.markdown(
    "Every value on this dashboard comes from one of the files below: who published it, the "
    "official address it was downloaded from (none for files our researchers compiled from "
    "quoted public pages — those are kept with the project's snapshots), when it was "
    "retrieved, and its SHA-256 checksum. Re-running `make data` rebuilds everything from them."
)

# --- Download ---------------------------------------------------------------------------------
package = datapackage.find()
if package is None:
    st.caption("The complete data package (every table as CSV and Parquet) is not available on "
               "this server yet.")
else:
    st.download_button(
        "Download all data (zip)", data=package.path.read_bytes,
        file_name=datapackage.ZIP_NAME, mime="application/zip", on_click="ignore",
        icon=":material/download:", key="download_all",
        help="Every published table as CSV and Parquet, a Frictionless datapackage.json "
             "(columns, licences, checksums) and a README")
    stale = package.version != q.run_id()
    st.caption(f"{package.bytes / 1e6:.1f} MB. Every table of this database as CSV and "
               "Parquet, described in a Frictionless Data Package with each dataset's licence."
               + (" Note: this package was written from an earlier build than the one shown "
                  "here." if stale else ""))

# --- Datasets ---------------------------------------------------------------------------------
st.header("Datasets", divider="gray")
sets = q.datasets()
st.caption(f"{len(sets)} datasets. 'Tier rows' counts the published tier placements a dataset "
           "supplies after the precedence rules below; 'Indicators' the statistics it defines.")
render.table(sets, tables.DATASETS, key="datasets_table",
             height=35 * (len(sets) + 1) + 3)  # no inner scroll

# --- Files ----------------------------------------------------------------------------------
st.header("Files", divider="gray")
files = q.sources_table()
DATASET = choice_param("dataset", "dataset", lambda: sets["dataset"].tolist(),
                       default=lambda: "All datasets")
urlstate.restore({"ds_dataset": DATASET})
choice = st.selectbox("Dataset", ["All datasets", *sets["dataset"].tolist()], key="ds_dataset")
urlstate.write({DATASET: None if choice == "All datasets" else choice})
shown = files if choice == "All datasets" else files[files["dataset"] == choice]
st.caption(
    f"{len(shown)} of {len(files)} files. 'Address' is the official public address (blank: a "
    "file our researchers compiled, kept with the project's snapshots). The checksum lets "
    "anyone confirm they have the same bytes.")
render.table(shown, tables.FILES, key="files_table")

# --- Tier conflicts ---------------------------------------------------------------------------
st.header("Where tier sources disagree", divider="gray")
conf = q.conflicts()
st.markdown(
    "Several datasets state TIP tiers for the same year. One value is published per "
    "jurisdiction and year, by a fixed order of trust decided from each dataset's provenance "
    "notes (CIA Factbook lists, then the Kelley & Heiss panel, then stored pages, then the "
    "Wikipedia table, and last the secondary compilation behind the 2025 Tier 1 and Tier 2 "
    "lists), with documented exceptions. Where every other tier's list is complete for a "
    "year (2022, 2024), a ranked jurisdiction on none of them is Tier 2 by elimination. Each "
    "statement that lost, and disagreed, is listed here with the reason.")
years = sorted(conf["report_year"].unique().tolist())
YEARS = choice_param("years", "report year", lambda: [str(y) for y in years], default=list,
                     multi=True)
urlstate.restore({"ds_conflict_years": YEARS},
                 transform={"ds_conflict_years": lambda v: [int(y) for y in v]})
pick = st.multiselect("Report years", years, key="ds_conflict_years", placeholder="All years")
urlstate.write({YEARS: [str(y) for y in pick]})
part = conf[conf["report_year"].isin(pick)] if pick else conf
st.caption(f"{len(part)} of {len(conf)} disagreements.")
render.table(part, tables.TIER_CONFLICTS, key="conflicts_table")

# --- Figure conflicts -------------------------------------------------------------------------
st.header("Where figures disagree", divider="gray")
figs = q.figure_conflicts()
st.markdown(
    "Some figures are stated more than once: by several editions of a report (later TIP reports "
    "revise earlier years), by two pages quoting one edition, or by a government and the TIP "
    "report. Every statement is kept; the charts draw one, chosen by a written rule (the latest "
    "edition; an exact figure over a rounded one; an official publication over a secondary "
    "page). Each statement that **disagrees** with the charted one is listed here — a revision "
    "or a misprint, not resolved.")
st.caption(f"{len(figs)} disagreements." if len(figs) else
           "No two statements of one figure disagree in this database.")
if len(figs):
    render.table(figs, tables.FIGURE_CONFLICTS, key="figure_conflicts_table")

# --- ETL runs ---------------------------------------------------------------------------------
st.header("Refresh history", divider="gray")
runs = q.runs()
st.caption(f"{len(runs)} runs recorded, newest first. A failed run leaves the published "
           "database untouched, so only completed runs appear in it.")
render.table(runs, tables.RUNS, key="runs_table")
