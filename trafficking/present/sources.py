"""The source rows behind a chart, from the database's ``sources`` table."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from trafficking import formatting
from trafficking.db import query
from trafficking.i18n import _
from trafficking.present.view import SOURCE_COLUMNS


def rows(source_ids: Iterable[str]) -> pd.DataFrame:
    """source_id, publisher, title, address, retrieved_at, licence for the given source ids.

    ``address`` is the file's official address; files compiled by our researchers have
    none, so their dataset homepage is given instead (that is where a reader can check).
    """
    ids = sorted({str(s) for s in source_ids if isinstance(s, str) and s})
    if not ids:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    frame = query(
        "SELECT source_id, publisher, title, coalesce(address, homepage) AS address, "
        "strftime(retrieved_at, '%Y-%m-%d %H:%M UTC') AS retrieved_at, licence "
        "FROM sources WHERE source_id = ANY(?) ORDER BY source_id",
        [ids],
    )
    # Retrieval times stay ISO ('2026-12-02 07:18 UTC', as the query writes them) in
    # every language: the data CSV and metadata.json carry them as they are, for software to
    # read; what people read (the README, the briefing pack) shows ``formatting.timestamp``.
    return frame[SOURCE_COLUMNS].reset_index(drop=True)


def built_at() -> str:
    """The database build time in the reader's language ('2 Dec 2026, 07:18 UTC',
    ``formatting.timestamp``), or 'unknown'."""
    frame = query("SELECT value FROM meta WHERE key = 'built_at'")
    if frame.empty:
        return _("unknown")
    return formatting.timestamp(str(frame.iloc[0, 0])[:16])
