"""Blocks the pages repeat: the figures and sources behind a chart in an expander, a row of
metric tiles, a picker's options in the order a reader looks for them, and the pickers
themselves (``multiselect``, ``selectbox``: every page creates its pickers here, so none shows
Streamlit's English placeholder)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from trafficking.i18n import N_, _
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


# Streamlit's own placeholders are English whatever the page's language; these replace them.
CHOOSE_OPTIONS = N_("Choose options")
CHOOSE_OPTION = N_("Choose an option")
NO_OPTIONS = N_("No options to select")


def _placeholder(options: Sequence[Any], placeholder: str | None, default: str) -> str:
    """``placeholder`` (already in the reader's language) or, without one, ours for
    ``default``; an empty list of options says so, as Streamlit's own would."""
    if not len(options):
        return _(NO_OPTIONS)
    return placeholder or _(default)


def multiselect(label: str, options: Sequence[Any], *, where: Any = st,
                placeholder: str | None = None, **kwargs: Any) -> list[Any]:
    """``st.multiselect`` (in ``where``: a column, the sidebar) with its placeholder in the
    reader's language."""
    return where.multiselect(label, options,
                             placeholder=_placeholder(options, placeholder, CHOOSE_OPTIONS),
                             **kwargs)


def selectbox(label: str, options: Sequence[Any], *, where: Any = st,
              placeholder: str | None = None, **kwargs: Any) -> Any:
    """``st.selectbox`` (in ``where``) with its placeholder in the reader's language (shown
    while nothing is chosen)."""
    return where.selectbox(label, options,
                           placeholder=_placeholder(options, placeholder, CHOOSE_OPTION),
                           **kwargs)


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
