"""A chart's text alternative, the pieces its specs share: the "data table" of exactly the
plotted values under translated headings, and clauses joined into one summary sentence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from trafficking.i18n import _


def headed(frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """``frame``'s ``columns`` (column → heading marked with ``N_``), in that order, under
    the headings in the reader's language; the index reset. A missing text (a figure without
    a qualifier) is an empty cell, not 'None'."""
    present = [c for c in columns if c in frame.columns]
    out = frame[present].rename(columns={c: _(columns[c]) for c in present})
    text = [c for c in out.columns if out[c].dtype == object]
    return out.assign(**{c: out[c].fillna("") for c in text}).reset_index(drop=True)


def joined(clauses: Iterable[str]) -> str:
    """Clauses (each a whole translated clause) as one sentence: 'a; b; c.'"""
    parts = [c for c in clauses if c]
    # The separator and the full stop differ by language ('; ' and '.' / '；' and '。').
    return _("; ").join(parts) + _(".") if parts else ""
