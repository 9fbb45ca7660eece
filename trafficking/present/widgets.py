"""Blocks the pages repeat: the figures and sources behind a chart in an expander, a row of
metric tiles, a picker's options in the order a reader looks for them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd
import streamlit as st

from trafficking.i18n import _
from trafficking.present import render
from trafficking.present.tables import ESTIMATE_FIGURES
from trafficking.present.tiles import Tile, with_shown
from trafficking.queries.catalogue import name_key


def by_name(options: Mapping[str, str] | Iterable[str],
            label: Callable[[str], str] | None = None) -> list[str]:
    """A picker's option values (codes: what the address keeps) ordered by the name the reader
    sees: ``options`` maps value → shown name, or ``label`` names each value. Sorting by the
    shown name puts a Chinese list in Chinese order, not the English names' order."""
    names = options if isinstance(options, Mapping) else {o: (label or str)(o) for o in options}
    return sorted(names, key=lambda value: (name_key(names[value]), str(value)))


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
