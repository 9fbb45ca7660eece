"""Which statement of a figure a chart draws, decided once after every source is loaded.

Every statement stays in ``observations``; this step writes ``preferred`` (the one value a chart
draws) and ``preferred_reason`` on the rows its rules cover, and records statements that
cannot both be true in ``observation_conflicts``. It runs over the whole database, after a
partial refresh has carried the other sources' rows over, because one figure is often stated
by several sources. One module per family of figures, each with its own documented rule:

* ``tip``: TIP report figures — worldwide law-enforcement totals (latest edition that gives
  the year) and Hong Kong's screening figures (exact over rounded, TIP report over government);
* ``estimates``: the quoted Global Estimates figures (exact, then most precise, then the
  publisher's own page).

A source whose repeated statements are all its own (e.g. ``referral-funnels``' UK revisions)
decides in its parser, where the facts that rank them (which publication is official) live.
"""

from __future__ import annotations

import duckdb

from etl.preference import estimates, tip
from etl.preference.tip import edition_year, tip_edition

__all__ = ["apply", "edition_year", "tip_edition"]


def apply(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Run every rule; counts per rule for the run summary."""
    return {"tip": tip.apply(con), "estimates": estimates.apply(con)}
