"""TIP report tier placements: per year, per jurisdiction, movements and Watch List streaks."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trafficking import vocabulary
from trafficking.db import query
from trafficking.queries.responses import with_responses

# Ranks for comparing placements (lower is better). 'Tier 1 or 2' is the range 1–2;
# Special Case is not on the scale.
TIER_RANGE: dict[str, tuple[int, int]] = vocabulary.RANK_RANGE
WATCH_LIST = vocabulary.WATCH_LIST

_PANEL_SQL = """
SELECT t.iso3, j.name, j.region, t.report_year, t.tier, t.resolved, t.source_id,
       s.publisher, s.title AS source_title, s.dataset, t.note, t.method, t.derived_from,
       t.secondary
FROM tip_tiers t
JOIN jurisdictions j USING (iso3)
JOIN sources s USING (source_id)
"""


def report_years() -> list[int]:
    frame = query("SELECT DISTINCT report_year FROM tip_tiers ORDER BY report_year")
    return [int(y) for y in frame["report_year"]]


def regions() -> list[str]:
    frame = query(
        "SELECT DISTINCT j.region FROM jurisdictions j "
        "WHERE j.iso3 IN (SELECT iso3 FROM tip_tiers) ORDER BY j.region"
    )
    return frame["region"].tolist()


def jurisdictions() -> pd.DataFrame:
    """Jurisdictions that have at least one tier: iso3, name, region (sorted by name)."""
    return query(
        "SELECT iso3, name, region FROM jurisdictions "
        "WHERE iso3 IN (SELECT iso3 FROM tip_tiers) ORDER BY name"
    )


def panel(regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Every published placement with its jurisdiction and source, optionally for some regions."""
    if regions:
        return query(_PANEL_SQL + "WHERE j.region = ANY(?) ORDER BY j.name, t.report_year",
                     [list(regions)])
    return query(_PANEL_SQL + "ORDER BY j.name, t.report_year")


def history(iso3s: Sequence[str]) -> pd.DataFrame:
    """All placements of the given jurisdictions (the timeline), each with the government's
    published response(s) to it where the database holds one (``responses.PLACEMENT_COLUMNS``)."""
    if not iso3s:
        return with_responses(query(_PANEL_SQL + "WHERE false"))
    return with_responses(query(
        _PANEL_SQL + "WHERE t.iso3 = ANY(?) ORDER BY j.name, t.report_year", [list(iso3s)]))


def counts_per_year() -> pd.DataFrame:
    """report_year, tier, n: how many jurisdictions each report placed on each tier."""
    return query(
        "SELECT report_year, tier, count(*) AS n FROM tip_tiers "
        "GROUP BY report_year, tier ORDER BY report_year, tier"
    )


def datasets_used(years: Sequence[int] | None = None) -> pd.DataFrame:
    """dataset, publisher, first, last, n: which datasets supplied the published tiers."""
    sql = (
        "SELECT s.dataset, any_value(s.publisher) AS publisher, min(t.report_year) AS first, "
        "max(t.report_year) AS last, count(*) AS n "
        "FROM tip_tiers t JOIN sources s USING (source_id)"
    )
    if years:
        return query(sql + " WHERE t.report_year = ANY(?) GROUP BY s.dataset ORDER BY first",
                     [[int(y) for y in years]])
    return query(sql + " GROUP BY s.dataset ORDER BY first")


def classify_movement(previous: str | None, current: str | None) -> str:
    """'upgrade', 'downgrade', 'no change', 'unclear' (a range overlaps) or 'not comparable'."""
    if previous is None or current is None:
        return "not comparable"
    if previous not in TIER_RANGE or current not in TIER_RANGE:
        return "no change" if previous == current else "not comparable"
    (p_lo, p_hi), (c_lo, c_hi) = TIER_RANGE[previous], TIER_RANGE[current]
    if c_hi < p_lo:
        return "upgrade"
    if c_lo > p_hi:
        return "downgrade"
    if (p_lo, p_hi) == (c_lo, c_hi) and p_lo == p_hi:
        return "no change"
    return "unclear"


def movements(panel_frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Placement in ``year`` against the previous report, for every jurisdiction in both.

    Columns iso3, name, region, previous_tier, tier, movement, source_id, previous_source_id.
    """
    cur = panel_frame[panel_frame["report_year"] == year]
    prev = panel_frame[panel_frame["report_year"] == year - 1]
    merged = cur.merge(
        prev[["iso3", "tier", "source_id"]].rename(
            columns={"tier": "previous_tier", "source_id": "previous_source_id"}),
        on="iso3", how="inner",
    )
    pairs = zip(merged["previous_tier"], merged["tier"], strict=True)
    merged["movement"] = [classify_movement(p, c) for p, c in pairs]
    cols = ["iso3", "name", "region", "previous_tier", "tier", "movement", "source_id",
            "previous_source_id"]
    return merged[cols].sort_values(["movement", "name"]).reset_index(drop=True)


def watch_list_streaks(panel_frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Jurisdictions on the Watch List in ``year`` and how many consecutive reports in a row.

    A year with no published placement ends the streak (we do not assume it continued).
    Columns iso3, name, region, consecutive_years, since.
    """
    on_list = panel_frame[panel_frame["tier"] == WATCH_LIST]
    years_by_iso = on_list.groupby("iso3")["report_year"].apply(set)
    rows = []
    for iso3, years in years_by_iso.items():
        if year not in years:
            continue
        start = year
        while start - 1 in years:
            start -= 1
        rows.append((iso3, year - start + 1, start))
    streaks = pd.DataFrame(rows, columns=["iso3", "consecutive_years", "since"])
    names = panel_frame.drop_duplicates("iso3")[["iso3", "name", "region"]]
    out = streaks.merge(names, on="iso3", how="left")
    return out[["iso3", "name", "region", "consecutive_years", "since"]].sort_values(
        ["consecutive_years", "name"], ascending=[False, True]).reset_index(drop=True)


def years_on_watch_list(panel_frame: pd.DataFrame) -> pd.Series:
    """Number of reports that placed each jurisdiction on the Watch List (index iso3)."""
    return panel_frame[panel_frame["tier"] == WATCH_LIST].groupby("iso3").size()


TIER_SORT = {t: i for i, t in enumerate(vocabulary.AXIS_ORDER)}


def heatmap_order(panel_frame: pd.DataFrame, sort_key: str = "name") -> list[str]:
    """Row order (iso3) for the heatmap: 'name', 'latest' (tier in the last report, best
    first, then name) or 'watch' (most years on the Watch List first, then name)."""
    people = panel_frame.drop_duplicates("iso3")[["iso3", "name"]].set_index("iso3")
    if sort_key == "latest":
        last = int(panel_frame["report_year"].max()) if len(panel_frame) else 0
        latest = panel_frame[panel_frame["report_year"] == last].set_index("iso3")["tier"]
        people["k"] = latest.map(TIER_SORT).reindex(people.index).fillna(99)
        people = people.sort_values(["k", "name"])
    elif sort_key == "watch":
        people["k"] = years_on_watch_list(panel_frame).reindex(people.index).fillna(0)
        people = people.sort_values(["k", "name"], ascending=[False, True])
    else:
        people = people.sort_values("name")
    return people.index.tolist()
