"""etl.tiers.merge on the session database (every real snapshot) and on small real DuckDB files:
per-year counts as the PROVENANCE notes state them, Tier 2 by elimination, the secondary 2025
compilation, conflicts, and clear errors when a complete list stops adding up."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl import schema, tiers
from etl.errors import SourceError

LISTS = "tip-tier-lists-2022-2025/tiers_2022_2024_2025.csv"
PAGES = "tip-tier-pages/tiers_2021_2025.csv"
CIA = "cia-factbook-archive-tip/country_fields_{}.sql.gz"


@pytest.fixture(scope="module")
def db(built_db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


def _counts(db: duckdb.DuckDBPyConnection, year: int) -> dict[str, int]:
    return dict(db.execute("SELECT tier, count(*) FROM tip_tiers WHERE report_year = ? "
                           "GROUP BY tier", [year]).fetchall())


def _tier(db: duckdb.DuckDBPyConnection, iso3: str, year: int) -> str:
    return db.execute("SELECT tier FROM tip_tiers WHERE iso3 = ? AND report_year = ?",
                      [iso3, year]).fetchone()[0]


def test_counts_per_year_as_the_provenance_states(db) -> None:
    # tip-tier-lists-2022-2025 PROVENANCE, "Resolving Tier 2" and "Headline"
    assert _counts(db, 2022) == {"Tier 1": 30, "Tier 2": 99, "Tier 2 Watch List": 34,
                                 "Tier 3": 22}
    c = _counts(db, 2024)
    assert {k: v for k, v in c.items() if k != "Special Case"} == {
        "Tier 1": 33, "Tier 2": 98, "Tier 2 Watch List": 32, "Tier 3": 21}
    assert _tier(db, "HTI", 2024) == "Special Case"
    assert _counts(db, 2025) == {"Tier 1": 33, "Tier 2": 106, "Tier 2 Watch List": 25,
                                 "Tier 3": 20, "Special Case": 4}


def test_no_year_is_left_unresolved(db) -> None:
    left = db.execute("SELECT report_year, count(*) FROM tip_tiers WHERE NOT resolved OR "
                      "tier = 'Tier 1 or 2' OR method = 'range' GROUP BY 1").fetchall()
    assert left == []


def test_elimination_rows_say_how_they_were_derived(db) -> None:
    rows = db.execute("SELECT report_year, tier, resolved, source_id, derived_from, note, "
                      "secondary FROM tip_tiers WHERE method = 'elimination'").df()
    assert rows.groupby("report_year").size().to_dict() == {2022: 78, 2024: 79}
    assert set(rows["tier"]) == {"Tier 2"} and rows["resolved"].all()
    assert not rows["secondary"].any() and set(rows["source_id"]) == {LISTS}
    for year, part in rows.groupby("report_year"):
        # The complete Tier 1 list(s) and the Factbook Watch List / Tier 3 of that year (the
        # 2025 row that puts the jurisdiction on the roster is in the same CSV).
        needed = {LISTS, CIA.format(year)} | ({PAGES} if year == 2022 else set())
        for derived in part["derived_from"]:
            assert needed <= set(derived.split(", ")), derived
    assert rows["note"].str.startswith("Tier 2 by elimination").all()
    assert rows["note"].str.contains("Tier 1 (30), Tier 2 Watch List (34), Tier 3 (22)",
                                     regex=False).sum() == 78
    # Stated Tier 2 rows stay 'stated': 21 (2022) and 19 (2024) pages name them.
    stated = dict(db.execute("SELECT report_year, count(*) FROM tip_tiers WHERE tier = 'Tier 2' "
                             "AND method = 'stated' AND report_year IN (2022, 2024) GROUP BY 1"
                             ).fetchall())
    assert stated == {2022: 21, 2024: 19}


def test_named_placements(db) -> None:
    assert _tier(db, "CYP", 2022) == "Tier 1"
    note = db.execute("SELECT note FROM tip_tiers WHERE iso3 = 'CYP' AND report_year = 2022"
                      ).fetchone()[0]
    assert 'header "Cyprus (Tier 2)"' in note and "upgraded to Tier 1" in note
    assert (_tier(db, "COL", 2024), _tier(db, "COL", 2025)) == ("Tier 1", "Tier 2")
    assert (_tier(db, "POL", 2022), _tier(db, "POL", 2024)) == ("Tier 2", "Tier 1")
    assert (_tier(db, "SVN", 2024), _tier(db, "SVN", 2025)) == ("Tier 2", "Tier 1")
    assert (_tier(db, "ARG", 2022), _tier(db, "AUT", 2022)) == ("Tier 1", "Tier 1")
    # Colombia 2025: the ecoi.net chapter (primary) is chosen over the compilation's same tier.
    src, sec = db.execute("SELECT source_id, secondary FROM tip_tiers WHERE iso3 = 'COL' AND "
                          "report_year = 2025").fetchone()
    assert src == LISTS and sec is False


def test_hong_kong_every_report_matches_its_sources(db) -> None:
    published = dict(db.execute("SELECT report_year, tier FROM tip_tiers WHERE iso3 = 'HKG'"
                                ).fetchall())
    assert sorted(published) == list(range(2001, 2026))
    stated = db.execute("SELECT report_year, list(DISTINCT tier) FROM tier_observations "
                        "WHERE iso3 = 'HKG' GROUP BY 1").fetchall()
    for year, said in stated:
        assert said == [published[year]], year  # every source agrees, and the merge with them
    # tip-tier-pages PROVENANCE cross-checks: 2021 T2WL, 2023 T2, 2024 T2WL, 2025 T2WL;
    # Factbook: T2WL in 2020, 2022, 2024, 2025.
    assert [published[y] for y in range(2020, 2026)] == [
        "Tier 2 Watch List", "Tier 2 Watch List", "Tier 2 Watch List", "Tier 2",
        "Tier 2 Watch List", "Tier 2 Watch List"]
    assert db.execute("SELECT count(*) FROM tier_conflicts WHERE iso3 = 'HKG'").fetchone()[0] == 0


def test_secondary_rows_only_where_no_page_states_the_placement(db) -> None:
    sec = db.execute("SELECT report_year, tier, count(*) FROM tip_tiers WHERE secondary "
                     "GROUP BY ALL ORDER BY ALL").fetchall()
    # Watch List and Tier 3 come from the Factbook; 13 Tier 1 and 10 Tier 2 from pages.
    assert sec == [(2025, "Tier 1", 20), (2025, "Tier 2", 96)]
    overlap = db.execute(
        "SELECT count(*) FROM tip_tiers t JOIN tier_observations o USING (iso3, report_year) "
        "WHERE t.secondary AND NOT o.secondary AND o.tier = t.tier").fetchone()[0]
    assert overlap == 0


def test_every_disagreement_is_a_conflict_with_a_reason(db) -> None:
    missing = db.execute(
        "SELECT o.iso3, o.report_year, o.source_id, o.tier FROM tier_observations o "
        "JOIN tip_tiers t USING (iso3, report_year) WHERE o.tier <> t.tier "
        "AND NOT EXISTS (SELECT 1 FROM tier_conflicts c WHERE c.iso3 = o.iso3 AND "
        "c.report_year = o.report_year AND c.source_id = o.source_id AND c.tier = o.tier)"
    ).fetchall()
    assert missing == []
    # The new lists agree with every other source for 2022, 2024 and 2025 (its PROVENANCE).
    assert db.execute("SELECT count(*) FROM tier_conflicts WHERE report_year IN (2022, 2024, "
                      "2025)").fetchone()[0] == 0
    # Contradicted statements name the winner, not a placeholder.
    wiki = db.execute("SELECT chosen_tier, chosen_source_id, reason FROM tier_conflicts "
                      "WHERE iso3 = 'PAK' AND report_year = 2023").fetchone()
    assert wiki[0] == "Tier 2" and wiki[1] == PAGES
    assert "not on the complete 2023 Tier 2 Watch List list" in wiki[2]


# --- the merge on copies and on small databases -------------------------------------------------

@pytest.fixture()
def copy(built_db: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "copy.duckdb"
    shutil.copy(built_db, path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


def test_a_missing_union_member_names_its_source(copy) -> None:
    copy.execute("DELETE FROM tier_observations WHERE iso3 = 'ARG' AND report_year = 2022 "
                 "AND source_id = ?", [PAGES])
    with pytest.raises(SourceError) as err:
        tiers.merge(copy)
    assert err.value.source == "tip-tier-pages" and err.value.file == PAGES
    assert err.value.value == ["ARG"]


def test_a_list_that_no_longer_adds_up_is_an_error(copy) -> None:
    copy.execute("DELETE FROM tier_observations WHERE iso3 = 'SUR' AND report_year = 2024 "
                 "AND tier = 'Tier 1'")
    with pytest.raises(SourceError) as err:
        tiers.merge(copy)
    assert err.value.file == "tiers_2022_2024_2025.csv" and err.value.value == "2024 Tier 1: 32"
    assert "PROVENANCE states 33" in str(err.value)


def _small(tmp_path: Path, rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    """A real database with two stand-in sources and the given (iso3, year, tier, source,
    list_complete) statements."""
    con = duckdb.connect(str(tmp_path / "small.duckdb"))
    schema.create(con)
    for dataset in ("cia-factbook-archive-tip", "tip-tier-pages"):
        con.execute("INSERT INTO sources VALUES (?, ?, 'f', 'p', 't', NULL, 'x', 'test', 'l', "
                    "NULL, now(), 'h', 1, 1, true, NULL)", [f"{dataset}/f", dataset])
    for code in sorted({r[0] for r in rows}):
        con.execute("INSERT INTO jurisdictions (iso3, name, region) VALUES (?, ?, 'r')", [code, code])
    con.executemany(
        "INSERT INTO tier_observations (iso3, report_year, tier, name_as_published, source_id, "
        "list_complete) VALUES (?, ?, ?, ?, ?, ?)",
        [(c, y, t, c, f"{d}/f", lc) for c, y, t, d, lc in rows])
    return con


ROSTER = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH", "III", "JJJ"]


def _roster_year() -> list[tuple]:
    return [(c, 2020, "Tier 1" if i < 3 else "Tier 2", "tip-tier-pages", False)
            for i, c in enumerate(ROSTER)]


def test_only_the_watch_list_and_tier_3_lists_leave_a_range(tmp_path: Path) -> None:
    con = _small(tmp_path, _roster_year() + [
        ("AAA", 2021, "Tier 2 Watch List", "cia-factbook-archive-tip", True),
        ("BBB", 2021, "Tier 3", "cia-factbook-archive-tip", True),
    ])
    stats = tiers.merge(con)
    got = con.execute("SELECT tier, method, resolved, derived_from FROM tip_tiers WHERE "
                      "report_year = 2021 AND iso3 = 'CCC'").fetchone()
    assert got == ("Tier 1 or 2", "range", False, "cia-factbook-archive-tip/f, tip-tier-pages/f")
    assert stats["per_year"][2021]["unresolved"] == 8 and stats["per_year"][2021]["roster_year"] == 2020


def test_a_complete_tier_1_list_resolves_the_rest_by_elimination(tmp_path: Path) -> None:
    con = _small(tmp_path, _roster_year() + [
        ("AAA", 2021, "Tier 2 Watch List", "cia-factbook-archive-tip", True),
        ("BBB", 2021, "Tier 3", "cia-factbook-archive-tip", True),
        ("CCC", 2021, "Tier 1", "tip-tier-pages", True),
        ("DDD", 2021, "Tier 1", "tip-tier-pages", False),  # not on the complete list
    ])
    stats = tiers.merge(con)
    got = dict(con.execute("SELECT iso3, tier || '/' || method FROM tip_tiers WHERE "
                           "report_year = 2021").fetchall())
    assert got["CCC"] == "Tier 1/stated" and got["EEE"] == "Tier 2/elimination"
    assert got["DDD"] == "Tier 2/elimination"  # its Tier 1 claim is contradicted by the list
    conflict = con.execute("SELECT tier, chosen_tier, reason FROM tier_conflicts").fetchall()
    assert conflict == [("Tier 1", "Tier 2", "not on the complete 2021 Tier 1 list "
                         "(tip-tier-pages/f): a stored page states this placement in words")]
    assert stats["per_year"][2021]["elimination"] == 7 and stats["per_year"][2021]["unresolved"] == 0


# Precedence, overrides and the secondary compilation, on small real databases ----------------

def _statements(tmp_path: Path, rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    """A real database holding the given (iso3, year, tier, dataset, secondary) statements, one
    stand-in file per dataset, no complete lists."""
    con = duckdb.connect(str(tmp_path / "merge.duckdb"))
    schema.create(con)
    for dataset in sorted({r[3] for r in rows}):
        con.execute("INSERT INTO sources VALUES (?, ?, 'f', 'p', 't', NULL, 'x', 'test', 'l', "
                    "NULL, now(), 'h', 1, 1, true, NULL)", [f"{dataset}/f", dataset])
    for code in sorted({r[0] for r in rows}):
        con.execute("INSERT INTO jurisdictions (iso3, name, region) VALUES (?, ?, 'r')", [code, code])
    for c, y, t, d, sec in rows:
        con.execute(
            "INSERT INTO tier_observations (iso3, report_year, tier, name_as_published, "
            "source_id, list_complete, secondary) VALUES (?, ?, ?, ?, ?, false, ?)",
            [c, y, t, c, f"{d}/f", sec])
    return con


def _placements(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT iso3, report_year, tier, source_id, method, secondary "
                       "FROM tip_tiers ORDER BY 1, 2").fetchall()


def test_nothing_to_merge(tmp_path: Path) -> None:
    con = _statements(tmp_path, [])
    assert tiers.merge(con) == {"first_year": None, "last_year": None, "conflicts": 0,
                                "per_year": {}}
    assert _placements(con) == []


def test_the_higher_ranked_source_wins_and_the_loser_is_a_conflict(tmp_path: Path) -> None:
    con = _statements(tmp_path, [
        ("CHL", 2020, "Tier 2", "wikipedia-tip-tier-table", False),
        ("CHL", 2020, "Tier 1", "cia-factbook-archive-tip", False),
        ("PER", 2020, "Tier 2", "wikipedia-tip-tier-table", False),
        ("PER", 2020, "Tier 2", "tip-tier-pages", False),  # agrees: no conflict
    ])
    stats = tiers.merge(con)
    assert _placements(con) == [
        ("CHL", 2020, "Tier 1", "cia-factbook-archive-tip/f", "stated", False),
        ("PER", 2020, "Tier 2", "tip-tier-pages/f", "stated", False),
    ]
    assert stats["conflicts"] == 1
    assert con.execute("SELECT iso3, source_id, tier, chosen_tier, chosen_source_id, reason "
                       "FROM tier_conflicts").fetchall() == [
        ("CHL", "wikipedia-tip-tier-table/f", "Tier 2", "Tier 1", "cia-factbook-archive-tip/f",
         "cia-factbook-archive-tip preferred over wikipedia-tip-tier-table: " + tiers.WHY[
             "cia-factbook-archive-tip"]),
    ]


def test_wikipedia_2023_ranks_below_every_other_source(tmp_path: Path) -> None:
    """Its 2023 column is incomplete and partly wrong: an unknown dataset (rank 5) beats it."""
    con = _statements(tmp_path, [
        ("CHL", 2023, "Tier 3", "wikipedia-tip-tier-table", False),
        ("CHL", 2023, "Tier 1", "some-new-source", False),
        ("CHL", 2022, "Tier 3", "wikipedia-tip-tier-table", False),
        ("CHL", 2022, "Tier 1", "some-new-source", False),
    ])
    tiers.merge(con)
    assert [r[:4] for r in _placements(con)] == [
        ("CHL", 2022, "Tier 3", "wikipedia-tip-tier-table/f"),
        ("CHL", 2023, "Tier 1", "some-new-source/f"),
    ]


def test_a_secondary_row_only_fills_what_no_primary_states(tmp_path: Path) -> None:
    con = _statements(tmp_path, [
        ("CHL", 2025, "Tier 2", "wikipedia-tip-tier-table", False),
        ("CHL", 2025, "Tier 3", "cia-factbook-archive-tip", True),  # secondary, whatever its rank
        ("PER", 2025, "Tier 2 Watch List", "tip-tier-pages", True),
    ])
    tiers.merge(con)
    assert _placements(con) == [
        ("CHL", 2025, "Tier 2", "wikipedia-tip-tier-table/f", "stated", False),
        ("PER", 2025, "Tier 2 Watch List", "tip-tier-pages/f", "stated", True),
    ]
    reason = con.execute("SELECT reason FROM tier_conflicts").fetchone()[0]
    assert reason == ("wikipedia-tip-tier-table preferred over the secondary compilation: "
                      + tiers.WHY_SECONDARY)


def test_the_documented_override_beats_the_usual_order(tmp_path: Path) -> None:
    con = _statements(tmp_path, [
        ("LUX", 2011, "Tier 2", "scorecard-diplomacy-tiers", False),
        ("LUX", 2011, "Tier 1", "wikipedia-tip-tier-table", False),
        ("LUX", 2012, "Tier 2", "scorecard-diplomacy-tiers", False),  # the usual order again
        ("LUX", 2012, "Tier 1", "wikipedia-tip-tier-table", False),
    ])
    tiers.merge(con)
    assert [r[:4] for r in _placements(con)] == [
        ("LUX", 2011, "Tier 1", "wikipedia-tip-tier-table/f"),
        ("LUX", 2012, "Tier 2", "scorecard-diplomacy-tiers/f"),
    ]
    reasons = dict(con.execute("SELECT report_year, reason FROM tier_conflicts").fetchall())
    assert reasons[2011] == "override: " + tiers.OVERRIDES[("LUX", 2011)][1]
    assert reasons[2012].startswith("scorecard-diplomacy-tiers preferred over "
                                    "wikipedia-tip-tier-table: ")


def test_merge_replaces_what_a_previous_merge_wrote(tmp_path: Path) -> None:
    con = _statements(tmp_path, [("CHL", 2020, "Tier 1", "tip-tier-pages", False)])
    tiers.merge(con)
    con.execute("UPDATE tier_observations SET tier = 'Tier 2'")
    tiers.merge(con)
    assert [r[2] for r in _placements(con)] == ["Tier 2"]
