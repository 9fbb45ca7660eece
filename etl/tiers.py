"""Turn every source's tier statements into one published tier per jurisdiction and report year.

Precedence is decided from the provenance notes, not from values:
1. CIA Factbook lists: restate the report's complete Tier 2 Watch List and Tier 3 lists.
2. Kelley & Heiss panel: coded from the reports, 1 disagreement in 1,479 country-years with HTI.
3. Stored pages: a page stating the placement in words (2021–2025).
4. Wikipedia table: community maintained; its 2023 column is incomplete and partly wrong (rank 9).
Each losing statement that disagrees is kept in ``tier_conflicts`` with the reason.

For years whose Factbook lists are complete but whose Tier 1 / Tier 2 lists are not in any
snapshot, a country ranked in the nearest complete year and on neither list is published as
'Tier 1 or 2' (``resolved = false``), never as a guessed tier.
"""

from __future__ import annotations

import duckdb
import pandas as pd

RANK = {
    "cia-factbook-archive-tip": 1,
    "scorecard-diplomacy-tiers": 2,
    "tip-tier-pages": 3,
    "wikipedia-tip-tier-table": 4,
}
RANK_BY_YEAR = {("wikipedia-tip-tier-table", 2023): 9}
WHY = {
    "cia-factbook-archive-tip": "the Factbook's dated World-entry lists restate the report's "
    "complete Tier 2 Watch List and Tier 3 lists",
    "scorecard-diplomacy-tiers": "the Kelley & Heiss panel is coded from the reports and agrees "
    "with the HTI dataset in all but 1 of 1,479 country-years",
    "tip-tier-pages": "a stored page states this placement in words",
    "wikipedia-tip-tier-table": "the Wikipedia table is community maintained",
}
# Documented source errors where the usual order gives the wrong answer.
OVERRIDES: dict[tuple[str, int], tuple[str, str]] = {
    ("LUX", 2011): (
        "wikipedia-tip-tier-table",
        "Kelley & Heiss code Luxembourg 2011 as Tier 2; both the HTI dataset and the Wikipedia "
        "table give Tier 1 (scorecard-diplomacy-tiers PROVENANCE, known errors)",
    ),
}
RANKED = ("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3")
LISTED = ("Tier 2 Watch List", "Tier 3")
COMPLETE_SHARE = 0.9  # a year is "complete" if it covers 90 % of the largest year's jurisdictions


def _rank(dataset: str, year: int) -> int:
    return RANK_BY_YEAR.get((dataset, year), RANK.get(dataset, 5))


def _pick(cands: pd.DataFrame, iso3: str, year: int) -> pd.Series:
    override = OVERRIDES.get((iso3, year))
    if override is not None:
        hit = cands[cands["dataset"] == override[0]]
        if not hit.empty:
            return hit.iloc[0]
    return cands.iloc[0]


def _reason(chosen: pd.Series, loser: pd.Series, iso3: str, year: int) -> str:
    override = OVERRIDES.get((iso3, year))
    if override is not None and chosen["dataset"] == override[0]:
        return "override: " + override[1]
    if chosen["dataset"] == loser["dataset"]:
        return "same source states two placements; the first listed is kept"
    return (f"{chosen['dataset']} preferred over {loser['dataset']}: "
            f"{WHY.get(chosen['dataset'], '')}")


def merge(con: duckdb.DuckDBPyConnection) -> dict:
    """Fill ``tip_tiers`` and ``tier_conflicts`` from ``tier_observations``; return stats."""
    obs = con.execute(
        "SELECT o.*, s.dataset FROM tier_observations o JOIN sources s USING (source_id)"
    ).df()
    con.execute("DELETE FROM tip_tiers")
    con.execute("DELETE FROM tier_conflicts")
    if obs.empty:
        return {"first_year": None, "last_year": None, "conflicts": 0, "per_year": {}}
    obs["rank"] = [_rank(d, y) for d, y in zip(obs["dataset"], obs["report_year"], strict=True)]
    obs = obs.sort_values(["report_year", "iso3", "rank", "source_id"], kind="stable")

    coverage = obs.groupby("report_year")["iso3"].nunique()
    complete_years = sorted(coverage[coverage >= COMPLETE_SHARE * coverage.max()].index)
    list_obs = obs[obs["list_complete"]]
    list_years = {int(y): g for y, g in list_obs.groupby("report_year")}

    chosen_rows: list[dict] = []
    conflicts: list[dict] = []
    per_year: dict[int, dict] = {}
    years = sorted(obs["report_year"].unique())
    # Complete years first: the others take their roster from them.
    ordered = [y for y in years if y in complete_years] + [y for y in years if y not in complete_years]
    result_by_year: dict[int, dict[str, str]] = {}
    for year in ordered:
        year = int(year)
        yobs = obs[obs["report_year"] == year]
        lists = list_years.get(year)
        on_list = set(lists["iso3"]) if lists is not None else set()
        placed: dict[str, str] = {}
        for iso3, cands in yobs.groupby("iso3", sort=True):
            if lists is not None and iso3 not in on_list:
                contradicted = cands[cands["tier"].isin(LISTED)]
                list_file = lists["source_id"].iloc[0]
                for _, loser in contradicted.iterrows():
                    conflicts.append(dict(
                        iso3=iso3, report_year=year, source_id=loser["source_id"],
                        tier=loser["tier"], chosen_tier="not Tier 2 Watch List / Tier 3",
                        chosen_source_id=list_file,
                        reason=f"not on the complete {year} Tier 2 Watch List / Tier 3 lists "
                        f"({list_file}); {WHY['cia-factbook-archive-tip']}",
                    ))
                cands = cands[~cands["tier"].isin(LISTED)]
                if cands.empty:
                    chosen_rows.append(dict(
                        iso3=iso3, report_year=year, tier="Tier 1 or 2", source_id=list_file,
                        resolved=False,
                        note=f"not on the {year} Tier 2 Watch List or Tier 3 lists; the only "
                        "other statement was contradicted by them",
                    ))
                    placed[iso3] = "Tier 1 or 2"
                    continue
            chosen = _pick(cands, iso3, year)
            for _, loser in cands.iterrows():
                if loser["tier"] != chosen["tier"]:
                    conflicts.append(dict(
                        iso3=iso3, report_year=year, source_id=loser["source_id"],
                        tier=loser["tier"], chosen_tier=chosen["tier"],
                        chosen_source_id=chosen["source_id"],
                        reason=_reason(chosen, loser, iso3, year),
                    ))
            note = chosen["note"] if isinstance(chosen["note"], str) else None
            chosen_rows.append(dict(
                iso3=iso3, report_year=year, tier=chosen["tier"], source_id=chosen["source_id"],
                resolved=True, note=note,
            ))
            placed[iso3] = chosen["tier"]

        roster_year = None
        if lists is not None and year not in complete_years and complete_years:
            roster_year = min(complete_years, key=lambda y: (abs(y - year), y))
            list_file = lists["source_id"].iloc[0]
            roster = [c for c, t in result_by_year.get(roster_year, {}).items() if t in RANKED]
            for iso3 in sorted(set(roster) - set(placed)):
                chosen_rows.append(dict(
                    iso3=iso3, report_year=year, tier="Tier 1 or 2", source_id=list_file,
                    resolved=False,
                    note=f"ranked in the {roster_year} report (roster year {roster_year}) and not "
                    f"on the {year} Tier 2 Watch List or Tier 3 lists; which of Tier 1 / Tier 2 "
                    "is not stated in any snapshot",
                ))
                placed[iso3] = "Tier 1 or 2"
        result_by_year[year] = placed
        per_year[year] = {
            "rows": len(placed),
            "unresolved": sum(1 for t in placed.values() if t == "Tier 1 or 2"),
            "roster_year": roster_year,
        }

    tiers_df = pd.DataFrame(chosen_rows)
    con.register("incoming", tiers_df)
    con.execute(
        "INSERT INTO tip_tiers (iso3, report_year, tier, source_id, resolved, note) "
        "SELECT iso3, report_year, tier, source_id, resolved, note "
        "FROM incoming ORDER BY report_year, iso3"
    )
    con.unregister("incoming")
    if conflicts:
        conf_df = pd.DataFrame(conflicts)
        con.register("incoming", conf_df)
        con.execute(
            "INSERT INTO tier_conflicts SELECT iso3, report_year, source_id, tier, chosen_tier, "
            "chosen_source_id, reason FROM incoming"
        )
        con.unregister("incoming")
    return {
        "first_year": int(min(years)),
        "last_year": int(max(years)),
        "conflicts": len(conflicts),
        "complete_years": [int(y) for y in complete_years],
        "per_year": {int(k): v for k, v in sorted(per_year.items())},
    }
