"""Blocks the pages repeat: the figures and sources behind a chart in an expander, a row of
metric tiles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trafficking.i18n import _
from trafficking.present import render
from trafficking.present.tables import ESTIMATE_FIGURES
from trafficking.present.tiles import Tile, with_shown


def figure_table(rows: pd.DataFrame, key: str, label: str | None = None) -> None:
    """Quoted global-estimate figures behind a chart, with their provenance, in an expander
    (``label``: already in the reader's language), built and sent only once opened."""
    box = st.expander(label or _("Figures and sources"), key=f"{key}-open", on_change="rerun")
    with box:
        if box.open:
            render.table(with_shown(rows), {c: v for c, v in ESTIMATE_FIGURES.items()
                                            if c in rows.columns or c == "shown"}, key=key)


def metrics(row: list[Tile], n: int | None = None) -> None:
    """One row of ``st.metric`` tiles (``n`` columns; one per tile by default)."""
    for col, t in zip(st.columns(n or len(row)), row, strict=False):
        col.metric(t.label, t.value, delta=t.delta, delta_color="off" if t.delta else "normal",
                   help=t.help)
