"""Data & sources: every raw file behind the dashboard, tier conflicts, and the ETL history."""

from __future__ import annotations

import streamlit as st

from trafficking import datapackage
from trafficking.i18n import _
from trafficking.present import render, tables, urlstate
from trafficking.present import text_sources as tx
from trafficking.present import widgets as ui
from trafficking.present.validate import choice_param
from trafficking.queries import sources as q

render.require_database()

st.title(_(tx.TITLE))
st.markdown(_(tx.INTRO))

# --- Download ---------------------------------------------------------------------------------
package = datapackage.find()
if package is None:
    st.caption(_(tx.NO_PACKAGE))
else:
    st.download_button(
        _(tx.DOWNLOAD_ALL), data=package.path.read_bytes,
        file_name=datapackage.ZIP_NAME, mime="application/zip", on_click="ignore",
        icon=":material/download:", key="download_all", help=_(tx.DOWNLOAD_HELP))
    st.caption(tx.package_caption(package.bytes / 1e6, stale=package.version != q.run_id()))

# --- Datasets ---------------------------------------------------------------------------------
st.header(_(tx.DATASETS), divider="gray")
sets = q.datasets()
st.caption(tx.datasets_caption(len(sets)))
render.table(sets, tables.DATASETS, key="datasets_table",
             height=35 * (len(sets) + 1) + 3)  # no inner scroll

# --- Files ----------------------------------------------------------------------------------
st.header(_(tx.FILES), divider="gray")
files = q.sources_table()
ALL = "All datasets"  # the address value: every dataset (no ?dataset=)
DATASET = choice_param("dataset", tx.DATASET_LABEL, lambda: sets["dataset"].tolist(),
                       default=lambda: ALL)
urlstate.restore({"ds_dataset": DATASET})
choice = ui.selectbox(_(tx.DATASET), [ALL, *sets["dataset"].tolist()], key="ds_dataset",
                      format_func=lambda d: _(tx.ALL_DATASETS) if d == ALL else d)
urlstate.write({DATASET: None if choice == ALL else choice})
shown = files if choice == ALL else files[files["dataset"] == choice]
st.caption(tx.files_caption(len(shown), len(files)))
render.table(shown, tables.FILES, key="files_table")

# --- Tier conflicts ---------------------------------------------------------------------------
st.header(_(tx.TIER_CONFLICTS), divider="gray")
conf = q.conflicts()
st.markdown(_(tx.TIER_RULES))
years = sorted(conf["report_year"].unique().tolist())
YEARS = choice_param("years", tx.YEAR_LABEL, lambda: [str(y) for y in years], default=list,
                     multi=True)
urlstate.restore({"ds_conflict_years": YEARS},
                 transform={"ds_conflict_years": lambda v: [int(y) for y in v]})
pick = ui.multiselect(_(tx.REPORT_YEARS), years, key="ds_conflict_years",
                      placeholder=_(tx.ALL_YEARS))
urlstate.write({YEARS: [str(y) for y in pick]})
part = conf[conf["report_year"].isin(pick)] if pick else conf
st.caption(tx.conflicts_caption(len(part), len(conf)))
render.table(tx.conflicts_shown(part), tables.TIER_CONFLICTS, key="conflicts_table")

# --- Figure conflicts -------------------------------------------------------------------------
st.header(_(tx.FIGURE_CONFLICTS), divider="gray")
figs = q.figure_conflicts()
st.markdown(_(tx.FIGURE_RULES))
st.caption(tx.figure_conflicts_caption(len(figs)))
if len(figs):
    render.table(tx.figure_conflicts_shown(figs), tables.FIGURE_CONFLICTS,
                 key="figure_conflicts_table")

# --- ETL runs ---------------------------------------------------------------------------------
st.header(_(tx.RUNS), divider="gray")
runs = q.runs()
st.caption(tx.runs_caption(len(runs)))
render.table(tx.runs_shown(runs), tables.RUNS, key="runs_table")
