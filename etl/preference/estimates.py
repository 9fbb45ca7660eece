"""Global Estimates figures: which statement the charts draw (see ``etl.preference``).

The three quoted-figure sources (``gems-ilo-estimates-quoted``, ``global-estimates-figures``,
``global-estimates-figures-more``) often state the same figure (same indicator, area, reference
year and breakdown), from different pages and with different rounding. Every statement is kept;
this step, run once after all observations are loaded (and after a partial refresh has carried
the other sources' rows over), marks exactly one row per figure ``preferred`` and says why in
``preferred_reason``, and writes one ``observation_conflicts`` row for every other statement
that cannot be true together with the charted one (a rounding of it is not a conflict).

The rule, in order: an exact figure beats one stated with a qualifier ('approximately', 'more
than', 'rounded', 'at least'); then the figure with more significant digits (29.3 million beats
29 million); then the publisher's own page (ILO, Walk Free, IOM) beats a third party's; then
the source id and page address, so the choice is stable from build to build.
"""

from __future__ import annotations

import math
from decimal import Decimal
from urllib.parse import urlsplit

import duckdb
import pandas as pd

# The dataset registering the estimates' indicator catalogue: its codes are the rows decided here.
CATALOGUE_DATASET = "gems-ilo-estimates-quoted"
KEY = ["indicator", "area_code", "year", "breakdown_dim", "breakdown"]
PUBLISHER_HOSTS = ("ilo.org", "walkfree.org", "walkfreefoundation.org",
                   "globalslaveryindex.org", "alliance87.org", "iom.int")


def significant_digits(value: float) -> int:
    """2 for 29,000,000, 3 for 29,300,000 (trailing zeros of a whole number do not count)."""
    if not value or not math.isfinite(value):
        return 0
    digits = Decimal(repr(float(value))).normalize().as_tuple().digits
    return len(digits)


# 'an estimated 7 million', 'around 15 million': within this share of the stated value.
APPROXIMATE_SHARE = 0.05


def _range(value: float, qualifier: object) -> tuple[float, float]:
    """The values a statement allows: its last significant digit's half-unit either way;
    more for an approximate figure; open-ended for a bound."""
    digits = max(significant_digits(value), 1)
    half = 0.5 * 10 ** (math.floor(math.log10(abs(value))) - digits + 1) if value else 0.0
    if qualifier in ("more than", "at least"):
        return value, math.inf
    if qualifier in ("approximately", "rounded"):
        half = max(half, APPROXIMATE_SHARE * abs(value))
    return value - half, value + half


def can_both_be_true(a: pd.Series, b: pd.Series) -> bool:
    """False when two statements of one figure contradict each other (not mere rounding:
    '29 million' and '29.3 million', or 'more than 3.1 million' and '3.2 million', agree)."""
    if pd.isna(a["value"]) or pd.isna(b["value"]):
        return True
    q_a = a["qualifier"] if isinstance(a["qualifier"], str) else None
    q_b = b["qualifier"] if isinstance(b["qualifier"], str) else None
    lo_a, hi_a = _range(float(a["value"]), q_a)
    lo_b, hi_b = _range(float(b["value"]), q_b)
    # Strict: 24.5 million rounds to 25, not to 24, so [23.5, 24.5] and [24.5, 25.5] disagree.
    return lo_a < hi_b and lo_b < hi_a


def publisher_page(url: object) -> bool:
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return False
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in PUBLISHER_HOSTS)


def _shown(value: float) -> str:
    return f"{value:,.10g}"


def _why(winner: pd.Series, loser: pd.Series) -> str:
    """The first rule that separates the charted statement from another one."""
    if winner["_exact"] and not loser["_exact"]:
        return f"an exact figure is charted over one stated as '{loser['qualifier']}'"
    if winner["_digits"] > loser["_digits"]:
        return "the more precise figure is charted (more significant digits)"
    if winner["_publisher"] and not loser["_publisher"]:
        return "the publisher's own page is charted over a third party's page"
    return "same figure stated on more than one page: the first by source id and address is charted"


def decide(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rows`` (one per statement, with ``rid``) -> (rid, preferred, preferred_reason) for every
    figure stated more than once, and the conflicts (one per differing, non-charted value)."""
    ranked = rows.assign(
        _exact=rows["qualifier"].isna(),
        _digits=rows["value"].map(lambda v: significant_digits(v) if pd.notna(v) else 0),
        _publisher=rows["cited_url"].map(publisher_page),
        _url=rows["cited_url"].fillna(""),
    ).sort_values(["_exact", "_digits", "_publisher", "source_id", "_url"],
                  ascending=[False, False, False, True, True])
    decisions, conflicts = [], []
    for _, group in ranked.groupby(KEY, sort=False, dropna=False):
        if len(group) < 2:
            continue
        win = group.iloc[0]
        where = f"{win['source_id']}" + (f", {win['cited_url']}" if isinstance(
            win["cited_url"], str) else "")
        reasons = sorted({_why(win, r) for _, r in group.iloc[1:].iterrows()})
        decisions.append({"rid": win["rid"], "preferred": True, "preferred_reason":
                          f"charted: {len(group)} statements of this figure; " + "; ".join(reasons)})
        for _, r in group.iloc[1:].iterrows():
            why = _why(win, r)
            decisions.append({"rid": r["rid"], "preferred": False, "preferred_reason":
                              f"not charted: {why} ({_shown(win['value'])} from {where})"})
            if not can_both_be_true(win, r):
                conflicts.append({
                    **{k: r[k] for k in KEY}, "source_id": r["source_id"],
                    "edition": r["edition"], "value": r["value"],
                    "chosen_source_id": win["source_id"], "chosen_edition": win["edition"],
                    "chosen_value": win["value"],
                    "reason": f"{_shown(r['value'])}"
                              + (f" ({r['qualifier']})" if isinstance(r["qualifier"], str) else "")
                              + f" vs {_shown(win['value'])}: {why}",
                })
    return (pd.DataFrame(decisions, columns=["rid", "preferred", "preferred_reason"]),
            pd.DataFrame(conflicts, columns=[*KEY, "source_id", "edition", "value",
                                             "chosen_source_id", "chosen_edition",
                                             "chosen_value", "reason"]))


def apply(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Mark the charted statement of every estimates figure and record the disagreements."""
    rows = con.execute(
        "SELECT o.rowid AS rid, o.indicator, o.area_code, o.year, o.breakdown_dim, o.breakdown, "
        "o.value, o.qualifier, o.source_id, o.cited_url, o.edition FROM observations o "
        "WHERE o.indicator IN (SELECT code FROM indicators WHERE dataset = ?)",
        [CATALOGUE_DATASET]).df()
    decisions, conflicts = decide(rows)
    # Recomputed from scratch each build: a partial refresh carries old conflict rows over.
    con.execute(
        "DELETE FROM observation_conflicts WHERE indicator IN "
        "(SELECT code FROM indicators WHERE dataset = ?)", [CATALOGUE_DATASET])
    con.execute(
        "UPDATE observations SET preferred = true, preferred_reason = NULL WHERE indicator IN "
        "(SELECT code FROM indicators WHERE dataset = ?)", [CATALOGUE_DATASET])
    if len(decisions):
        con.register("decided", decisions)
        try:
            con.execute(
                "UPDATE observations SET preferred = d.preferred, "
                "preferred_reason = d.preferred_reason FROM decided d "
                "WHERE observations.rowid = d.rid")
        finally:
            con.unregister("decided")
    if len(conflicts):
        con.register("found", conflicts)
        try:
            con.execute(
                "INSERT INTO observation_conflicts (indicator, area_code, year, breakdown_dim, "
                "breakdown, source_id, edition, value, chosen_source_id, chosen_edition, "
                "chosen_value, reason) SELECT indicator, area_code, year::INTEGER, breakdown_dim, "
                "breakdown, source_id, edition, value::DOUBLE, chosen_source_id, chosen_edition, "
                "chosen_value::DOUBLE, reason FROM found")
        finally:
            con.unregister("found")
    return {"figures_stated_more_than_once": int((decisions["preferred"]).sum()) if len(
        decisions) else 0, "statements_not_charted": int((~decisions["preferred"].astype(bool))
                                                         .sum()) if len(decisions) else 0,
            "conflicts": len(conflicts)}
