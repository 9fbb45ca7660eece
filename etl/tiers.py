"""Turn every source's tier statements into one published tier per jurisdiction and report year.

Precedence is decided from the provenance notes, not from values:
1. CIA Factbook lists: restate the report's complete Tier 2 Watch List and Tier 3 lists.
2. Kelley & Heiss panel: coded from the reports, 1 disagreement in 1,479 country-years with HTI.
3. Stored pages (``tip-tier-pages``, and the page rows of ``tip-tier-lists-2022-2025``): a page
   stating the placement in words, most of them copies of the State Department's own chapters.
   The two folders follow the same rules and are ranked together.
4. Wikipedia table: community maintained; its 2023 column is incomplete and partly wrong (rank 9).
5. Last, whatever the dataset: rows marked ``secondary`` (the 2025 lists of
   ``tip-tier-lists-2022-2025``, a third party's transcription read from a GitHub data file). Its
   own PROVENANCE ranks it below the primary pages; it fills what no page states.
Each losing statement that disagrees is kept in ``tier_conflicts`` with the reason.

Complete lists. A row with ``list_complete`` belongs to a complete list of its tier that year
(Factbook Watch List / Tier 3; Tier 1 for 2022, 2024, 2025 and all four 2025 lists from
``tip-tier-lists-2022-2025``, whose 2022 Tier 1 list is the union with two ``tip-tier-pages`` rows,
declared in ``etl.sources.tip_tier_lists.COMPLETE_LISTS`` and checked against the stated counts).
A statement of tier T for a jurisdiction missing from a complete T list that ranks at least as
high as the statement is contradicted by it.

Filling a year. A year whose sources do not cover (nearly) every jurisdiction takes its ranked
roster from the nearest report whose four ranked lists are all complete (the PROVENANCE's
"Resolving Tier 2": the 2025 lists, plus what the year itself states, minus its Special Cases),
else from the nearest well-covered year. A rostered jurisdiction no source places that year is:
- the one ranked tier without a complete list, when every other ranked tier has one
  (``method='elimination'``, ``resolved``, ``derived_from`` = the lists it rests on);
- 'Tier 1 or 2' when only the Watch List and Tier 3 lists are complete (``method='range'``,
  not resolved), never a guessed tier.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.errors import SourceError
from trafficking import vocabulary

RANK = {
    "cia-factbook-archive-tip": 1,
    "scorecard-diplomacy-tiers": 2,
    "tip-tier-pages": 3,
    "tip-tier-lists-2022-2025": 3,
    "wikipedia-tip-tier-table": 4,
}
RANK_BY_YEAR = {("wikipedia-tip-tier-table", 2023): 9}
SECONDARY_RANK = 10  # below every primary statement, whatever its dataset
WHY = {
    "cia-factbook-archive-tip": "the Factbook's dated World-entry lists restate the report's "
    "complete Tier 2 Watch List and Tier 3 lists",
    "scorecard-diplomacy-tiers": "the Kelley & Heiss panel is coded from the reports and agrees "
    "with the HTI dataset in all but 1 of 1,479 country-years",
    "tip-tier-pages": "a stored page states this placement in words",
    "tip-tier-lists-2022-2025": "a stored page states this placement in words",
    "wikipedia-tip-tier-table": "the Wikipedia table is community maintained",
}
WHY_SECONDARY = ("a primary statement outranks the secondary compilation (a third party's "
                 "transcription, ranked last by its own PROVENANCE)")
# Documented source errors where the usual order gives the wrong answer.
OVERRIDES: dict[tuple[str, int], tuple[str, str]] = {
    ("LUX", 2011): (
        "wikipedia-tip-tier-table",
        "Kelley & Heiss code Luxembourg 2011 as Tier 2; both the HTI dataset and the Wikipedia "
        "table give Tier 1 (scorecard-diplomacy-tiers PROVENANCE, known errors)",
    ),
}
RANKED = vocabulary.RANKED
RANGE = vocabulary.RANGE  # the pair 'Tier 1 or 2' stands for
UNRESOLVED = vocabulary.UNRESOLVED
COMPLETE_SHARE = 0.9  # a year is "complete" if it covers 90 % of the largest year's jurisdictions


@dataclass(frozen=True)
class CompleteList:
    """One tier's complete list in one report year, as the merge uses it."""

    members: frozenset[str]
    rank: int  # its weakest member's rank: a list is only as trusted as its least trusted row
    by_source: dict[str, int]  # source_id -> members it supplies
    why: str

    @property
    def source_ids(self) -> list[str]:
        return sorted(self.by_source)

    @property
    def main_source(self) -> str:
        return max(sorted(self.by_source), key=lambda s: self.by_source[s])


def _rank(dataset: str, year: int) -> int:
    return RANK_BY_YEAR.get((dataset, year), RANK.get(dataset, 5))


def _pick(cands: list[dict], iso3: str, year: int) -> dict:
    override = OVERRIDES.get((iso3, year))
    if override is not None:
        hit = [c for c in cands if c["dataset"] == override[0]]
        if hit:
            return hit[0]
    return cands[0]


def _reason(chosen: dict, loser: dict, iso3: str, year: int) -> str:
    override = OVERRIDES.get((iso3, year))
    if override is not None and chosen["dataset"] == override[0]:
        return "override: " + override[1]
    if loser["secondary"] and not chosen["secondary"]:
        return f"{chosen['dataset']} preferred over the secondary compilation: {WHY_SECONDARY}"
    if chosen["dataset"] == loser["dataset"]:
        return "same source states two placements; the first listed is kept"
    return (f"{chosen['dataset']} preferred over {loser['dataset']}: "
            f"{WHY.get(chosen['dataset'], '')}")


def complete_lists(obs: pd.DataFrame) -> tuple[pd.DataFrame, dict[tuple[int, str], CompleteList]]:
    """Every (year, tier) complete list, unions included, checked against the stated counts.

    ``obs`` needs ``dataset``, ``source_id`` and ``rank``; the returned copy marks the rows a
    declared union takes from another source as ``list_complete``.
    """
    from etl.sources import tip_tier_lists as declared

    obs = obs.copy()
    present = set(obs["dataset"])
    active = declared.ID in present
    if active:
        for (year, tier), spec in declared.COMPLETE_LISTS.items():
            for dataset, codes in spec.elsewhere:
                mask = ((obs["dataset"] == dataset) & (obs["report_year"] == year)
                        & (obs["tier"] == tier) & obs["iso3"].isin(codes))
                missing = sorted(set(codes) - set(obs.loc[mask, "iso3"]))
                if missing:
                    files = sorted(obs.loc[obs["dataset"] == dataset, "source_id"].unique())
                    raise SourceError(
                        dataset, ", ".join(files) or "(no rows loaded)",
                        f"the complete {year} {tier} list of {declared.ID} takes these members "
                        "from this source, which does not state them", column="iso3",
                        value=missing)
                obs.loc[mask, "list_complete"] = True
    lists: dict[tuple[int, str], CompleteList] = {}
    for (year, tier), part in obs[obs["list_complete"]].groupby(["report_year", "tier"]):
        key = (int(year), str(tier))
        spec = declared.COMPLETE_LISTS.get(key) if active else None
        weakest = part.loc[part["rank"].idxmax()]
        lists[key] = CompleteList(
            members=frozenset(part["iso3"]), rank=int(part["rank"].max()),
            by_source=part.groupby("source_id")["iso3"].nunique().astype(int).to_dict(),
            why=spec.why if spec else WHY.get(weakest["dataset"], "a complete list"))
    if active:
        for key, spec in declared.COMPLETE_LISTS.items():
            got = lists.get(key)
            n = len(got.members) if got else 0
            if n != spec.count:
                raise SourceError(
                    declared.ID, declared.CSV,
                    f"the complete {key[0]} {key[1]} list comes to {n} jurisdictions across "
                    f"{', '.join(got.source_ids) if got else 'no rows'}; the PROVENANCE states "
                    f"{spec.count} ({spec.why})", column="tier", value=f"{key[0]} {key[1]}: {n}")
    return obs, lists


def _list_phrase(ylists: dict[str, CompleteList], tiers: list[str]) -> str:
    return ", ".join(f"{t} ({len(ylists[t].members)})" for t in tiers)


def _derive(iso3: str, year: int, ylists: dict[str, CompleteList], why_ranked: str,
            extra_sources: set[str]) -> dict | None:
    """A ``tip_tiers`` row placing ``iso3`` from the year's complete lists alone, or None.

    Elimination when exactly one ranked tier lacks a complete list; the 'Tier 1 or 2' range
    when the two upper tiers do; nothing otherwise.
    """
    missing = [t for t in RANKED if t not in ylists]
    used = [t for t in RANKED if t in ylists]
    if not used:
        return None
    sources = sorted({s for t in used for s in ylists[t].source_ids} | extra_sources)
    weakest = max((ylists[t] for t in used), key=lambda lst: lst.rank)
    on_none = f"on none of the complete {year} lists of {_list_phrase(ylists, used)}"
    if len(missing) == 1:
        tier, method, resolved = missing[0], "elimination", True
        note = (f"{tier} by elimination: {why_ranked}, and {on_none}; every other ranked tier "
                "has a complete list")
    elif set(missing) == set(RANGE):
        tier, method, resolved = UNRESOLVED, "range", False
        note = (f"{why_ranked}, and {on_none}; which of Tier 1 / Tier 2 is not stated in any "
                "snapshot")
    else:
        return None
    return dict(iso3=iso3, report_year=year, tier=tier, source_id=weakest.main_source,
                resolved=resolved, note=note, method=method, derived_from=", ".join(sources),
                secondary=False)


# A placement made for a year: iso3 -> (tier, source_id, from a secondary compilation)
Placed = dict[str, tuple[str, str, bool]]


def merge(con: duckdb.DuckDBPyConnection) -> dict:
    """Fill ``tip_tiers`` and ``tier_conflicts`` from ``tier_observations``; return stats."""
    obs = _ranked_observations(con)
    if obs.empty:
        return {"first_year": None, "last_year": None, "conflicts": 0, "per_year": {}}
    obs, lists = complete_lists(obs)
    years, complete_years, full_years, ordered = _year_order(obs, lists)
    chosen_rows: list[dict] = []
    conflicts: list[dict] = []
    per_year: dict[int, dict] = {}
    result_by_year: dict[int, Placed] = {}
    by_year = _by_year(obs)
    for year in ordered:
        ylists = {t: lst for (y, t), lst in lists.items() if y == year}
        placed, rows, lost, pending = _stated(by_year.get(year, {}), year, ylists)
        roster_year = _roster_year(year, ylists, complete_years, full_years)
        if roster_year is not None:
            rows += _from_roster(year, ylists, roster_year, result_by_year.get(roster_year, {}),
                                 placed)
        conflicts += lost + _settled(pending, placed)
        chosen_rows += rows
        result_by_year[year] = placed
        per_year[year] = _year_stats(placed, rows, roster_year)
    _write(con, chosen_rows, conflicts)
    return {
        "first_year": int(min(years)),
        "last_year": int(max(years)),
        "conflicts": len(conflicts),
        "complete_years": complete_years,
        "full_list_years": full_years,
        "per_year": {int(k): v for k, v in sorted(per_year.items())},
    }


def _ranked_observations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every tier statement with its source's rank, best first per year and place (and the
    tables this merge fills emptied)."""
    obs = con.execute(
        "SELECT o.*, s.dataset FROM tier_observations o JOIN sources s USING (source_id)"
    ).df()
    con.execute("DELETE FROM tip_tiers")
    con.execute("DELETE FROM tier_conflicts")
    if obs.empty:
        return obs
    obs["secondary"] = obs["secondary"].fillna(False).astype(bool)
    obs["rank"] = [SECONDARY_RANK if sec else _rank(d, y) for d, y, sec in
                   zip(obs["dataset"], obs["report_year"], obs["secondary"], strict=True)]
    return obs.sort_values(["report_year", "iso3", "rank", "source_id"], kind="stable")


def _year_order(obs: pd.DataFrame, lists: dict[tuple[int, str], CompleteList]
                ) -> tuple[list[int], list[int], list[int], list[int]]:
    """All years; years covering most places; years whose four ranked lists are all complete
    (they name their whole ranked roster outright); and the order to settle them in — roster
    years first, as the other years take their roster from them."""
    years = sorted(int(y) for y in obs["report_year"].unique())
    coverage = obs.groupby("report_year")["iso3"].nunique()
    complete_years = sorted(int(y) for y in coverage[coverage >= COMPLETE_SHARE * coverage.max()]
                            .index)
    full_years = [y for y in years if all((y, t) in lists for t in RANKED)]
    ordered = (full_years + [y for y in complete_years if y not in full_years]
               + [y for y in years if y not in complete_years and y not in full_years])
    return years, complete_years, full_years, ordered


def _by_year(obs: pd.DataFrame) -> dict[int, dict[str, list[dict]]]:
    """The statements as plain records, per year and place, each place's in ``obs`` order (best
    first). Records, not DataFrame groups: a pandas group per place and year (≈4,000 of them)
    cost a second of the refresh."""
    out: dict[int, dict[str, list[dict]]] = {}
    for record in obs.to_dict("records"):
        out.setdefault(int(record["report_year"]), {}).setdefault(record["iso3"], []).append(
            record)
    return out


def _stated(yobs: dict[str, list[dict]], year: int, ylists: dict[str, CompleteList]
            ) -> tuple[Placed, list[dict], list[dict], list[dict]]:
    """One year's placements from what sources state (``yobs``: each place's statements, best
    first): placed, tip_tiers rows, conflicts, and statements a complete list contradicts (their
    winner is known only once the year is done)."""
    placed: Placed = {}
    rows: list[dict] = []
    conflicts: list[dict] = []
    pending: list[dict] = []
    for iso3 in sorted(yobs):
        cands = yobs[iso3]
        against = [
            (row, ylists[row["tier"]]) for row in cands
            if row["tier"] in ylists and iso3 not in ylists[row["tier"]].members
            and ylists[row["tier"]].rank <= row["rank"]
        ]
        for loser, lst in against:
            pending.append(dict(
                iso3=iso3, report_year=year, source_id=loser["source_id"],
                tier=loser["tier"], chosen_tier=None, chosen_source_id=lst.main_source,
                reason=f"not on the complete {year} {loser['tier']} list "
                f"({', '.join(lst.source_ids)}): {lst.why}",
            ))
        contradicted = {id(row) for row, _ in against}
        cands = [row for row in cands if id(row) not in contradicted]
        if not cands:
            row = _derive(iso3, year, ylists, f"ranked in {year} (its only statements are "
                          "contradicted by the complete lists)", set())
            if row is not None:
                rows.append(row)
                placed[iso3] = (row["tier"], row["source_id"], False)
            continue
        chosen = _pick(cands, iso3, year)
        conflicts += [dict(
            iso3=iso3, report_year=year, source_id=loser["source_id"], tier=loser["tier"],
            chosen_tier=chosen["tier"], chosen_source_id=chosen["source_id"],
            reason=_reason(chosen, loser, iso3, year),
        ) for loser in cands if loser["tier"] != chosen["tier"]]
        note = chosen["note"] if isinstance(chosen["note"], str) else None
        rows.append(dict(
            iso3=iso3, report_year=year, tier=chosen["tier"], source_id=chosen["source_id"],
            resolved=True, note=note, method="stated", derived_from=None,
            secondary=bool(chosen["secondary"]),
        ))
        placed[iso3] = (chosen["tier"], chosen["source_id"], bool(chosen["secondary"]))
    return placed, rows, conflicts, pending


def _roster_year(year: int, ylists: dict[str, CompleteList], complete_years: list[int],
                 full_years: list[int]) -> int | None:
    """The nearest year whose ranked roster this incomplete year with complete lists borrows."""
    if not ylists or year in complete_years:
        return None
    pool = [y for y in full_years if y != year] or [y for y in complete_years if y != year]
    return min(pool, key=lambda y: (abs(y - year), y)) if pool else None


def _from_roster(year: int, ylists: dict[str, CompleteList], roster_year: int,
                 roster_placed: Placed, placed: Placed) -> list[dict]:
    """Places ranked in the roster year that no statement places this year: derived from the
    complete lists (elimination or range). ``placed`` gains them."""
    roster = {c: v for c, v in roster_placed.items() if v[0] in RANKED}
    sec = (" (that report's lists come partly from a secondary compilation)"
           if any(v[2] for v in roster.values()) else "")
    rows = []
    for iso3 in sorted(set(roster) - set(placed)):
        row = _derive(iso3, year, ylists, f"ranked in the {roster_year} report{sec} and "
                      f"not a Special Case in {year}", {roster[iso3][1]})
        if row is not None:
            rows.append(row)
            placed[iso3] = (row["tier"], row["source_id"], False)
    return rows


def _settled(pending: list[dict], placed: Placed) -> list[dict]:
    """Contradicted statements, each with the placement that won once the year was done."""
    for c in pending:
        won = placed.get(c["iso3"])
        c["chosen_tier"] = won[0] if won else "no placement"
        if won:
            c["chosen_source_id"] = won[1]
    return pending


def _year_stats(placed: Placed, rows: list[dict], roster_year: int | None) -> dict:
    tiers_here = pd.Series([v[0] for v in placed.values()]).value_counts().to_dict()
    methods = [r["method"] for r in rows]
    return {
        "rows": len(placed),
        "tiers": {t: int(tiers_here.get(t, 0)) for t in vocabulary.NAMES if tiers_here.get(t)},
        "elimination": methods.count("elimination"),
        "unresolved": methods.count("range"),
        "secondary": sum(1 for v in placed.values() if v[2]),
        "roster_year": roster_year,
    }


def _write(con: duckdb.DuckDBPyConnection, rows: list[dict], conflicts: list[dict]) -> None:
    con.register("incoming", pd.DataFrame(rows))
    con.execute(
        "INSERT INTO tip_tiers (iso3, report_year, tier, source_id, resolved, note, method, "
        "derived_from, secondary) "
        "SELECT iso3, report_year, tier, source_id, resolved, note, method, "
        "derived_from::VARCHAR, secondary::BOOLEAN FROM incoming ORDER BY report_year, iso3"
    )
    con.unregister("incoming")
    if conflicts:
        con.register("incoming", pd.DataFrame(conflicts))
        con.execute(
            "INSERT INTO tier_conflicts SELECT iso3, report_year, source_id, tier, chosen_tier, "
            "chosen_source_id, reason FROM incoming"
        )
        con.unregister("incoming")
