"""etl/diff.py: the change report names every source file whose bytes changed (a re-pinned release,
a changed snapshot) with both checksums."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from etl import diff


def test_a_changed_file_is_reported_with_both_checksums(built_db: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    new = tmp_path / "new.duckdb"
    shutil.copyfile(built_db, old)
    shutil.copyfile(built_db, new)
    con = duckdb.connect(str(new))
    try:
        sha = con.execute("SELECT sha256 FROM sources WHERE source_id = "
                          "'unodc-glotip/data_glotip.xlsx'").fetchone()[0]
        assert diff.compare(con, old)["files_changed"] == []
        con.execute("UPDATE sources SET sha256 = 'f' || substr(sha256, 2) "
                    "WHERE source_id = 'unodc-glotip/data_glotip.xlsx'")
        report = diff.compare(con, old)
    finally:
        con.close()
    assert report["files_changed"] == [{"source_id": "unodc-glotip/data_glotip.xlsx",
                                        "old_sha256": sha, "new_sha256": "f" + sha[1:]}]


# Small synthetic databases: what ``compare`` reports for each kind of change --------------------

def _db(path: Path, *, tier: str, value: float, sha: str, years: tuple[int, ...] = (2020,),
        responses: int = 0) -> duckdb.DuckDBPyConnection:
    from etl import schema

    con = duckdb.connect(str(path))
    schema.create(con)
    con.execute("INSERT INTO sources VALUES ('s/f.csv', 's', 'f.csv', 'p', 't', NULL, 'x', "
                "'mirror-dir', 'l', NULL, now(), ?, 1, 1, true, NULL)", [sha])
    con.execute("INSERT INTO jurisdictions (iso3, name, region) VALUES ('CHL', 'Chile', 'Americas')")
    for year in years:
        con.execute("INSERT INTO tier_observations (iso3, report_year, tier, name_as_published, "
                    "source_id, list_complete) VALUES ('CHL', ?, ?, 'Chile', 's/f.csv', false)",
                    [year, tier])
        con.execute("INSERT INTO tip_tiers (iso3, report_year, tier, source_id, resolved) "
                    "VALUES ('CHL', ?, ?, 's/f.csv', true)", [year, tier])
    con.execute("INSERT INTO indicators (code, name, unit, definition, publisher, series, "
                "measure, kind, label, dataset) VALUES ('x', 'X', 'persons', 'd', 'p', 'x', 'x', "
                "'count', 'X', 's')")
    con.execute("INSERT INTO observations (indicator, area_code, area_kind, year, breakdown_dim, "
                "breakdown, value, source_id, is_total) VALUES ('x', 'CHL', 'jurisdiction', 2020, "
                "'total', '', ?, 's/f.csv', true)", [value])
    for i in range(responses):
        con.execute("INSERT INTO government_responses (iso3, report_year, publisher, title, "
                    "cited_url, stance, source_id) VALUES ('CHL', ?, 'p', 't', "
                    "'https://example.org/', 'notes', 's/f.csv')", [2000 + i])
    return con


def test_first_build_reports_counts_only(tmp_path: Path) -> None:
    con = _db(tmp_path / "new.duckdb", tier="Tier 1", value=5.0, sha="a")
    report = diff.compare(con, None)
    assert report["previous"] is None and report["rows_before"] == {}
    assert report["rows_after"]["tip_tiers"] == 1 and report["rows_after"]["observations"] == 1
    assert report["source_rows_after"] == {"s": 2}  # one tier statement, one observation
    assert diff.compare(con, tmp_path / "absent.duckdb")["previous"] is None


def test_every_kind_of_change_against_the_previous_file(tmp_path: Path) -> None:
    _db(tmp_path / "old.duckdb", tier="Tier 2", value=5.0, sha="a").close()
    con = _db(tmp_path / "new.duckdb", tier="Tier 1", value=6.0, sha="b", years=(2020, 2021),
              responses=2)
    report = diff.compare(con, tmp_path / "old.duckdb")
    assert report["previous"] == str(tmp_path / "old.duckdb")
    assert report["tier_changes_total"] == 2
    assert report["tier_changes"] == [
        {"iso3": "CHL", "year": 2020, "old": "Tier 2", "new": "Tier 1", "source_id": "s/f.csv"},
        {"iso3": "CHL", "year": 2021, "old": None, "new": "Tier 1", "source_id": "s/f.csv"},
    ]
    assert report["new_report_years"] == [2021]
    assert report["revised_figures"] == [{"indicator": "x", "area": "CHL", "year": 2020,
                                          "breakdown": "total:", "old": 5.0, "new": 6.0,
                                          "source_id": "s/f.csv"}]
    assert report["files_changed"] == [{"source_id": "s/f.csv", "old_sha256": "a",
                                        "new_sha256": "b"}]
    assert report["rows_before"]["government_responses"] == 0
    assert report["rows_after"]["government_responses"] == 2
    assert report["source_rows_before"] == {"s": 2} and report["source_rows_after"] == {"s": 5}


def test_limit_caps_the_lists_not_the_totals(tmp_path: Path) -> None:
    _db(tmp_path / "old.duckdb", tier="Tier 2", value=5.0, sha="a").close()
    con = _db(tmp_path / "new.duckdb", tier="Tier 1", value=5.0, sha="a", years=(2020, 2021, 2022))
    report = diff.compare(con, tmp_path / "old.duckdb", limit=1)
    assert report["tier_changes_total"] == 3 and len(report["tier_changes"]) == 1
    assert report["revised_figures"] == [] and report["files_changed"] == []


def test_an_older_file_without_newer_tables_counts_them_as_empty(tmp_path: Path) -> None:
    old = duckdb.connect(str(tmp_path / "old.duckdb"))
    old.execute("CREATE TABLE tip_tiers (iso3 VARCHAR, report_year INTEGER, tier VARCHAR)")
    old.execute("CREATE TABLE observations (indicator VARCHAR, area_code VARCHAR, year INTEGER, "
                "breakdown_dim VARCHAR, breakdown VARCHAR, value DOUBLE, source_id VARCHAR)")
    old.execute("INSERT INTO tip_tiers VALUES ('CHL', 2020, 'Tier 1')")
    old.close()
    con = _db(tmp_path / "new.duckdb", tier="Tier 1", value=5.0, sha="a")
    report = diff.compare(con, tmp_path / "old.duckdb")
    assert report["rows_before"] == {"tip_tiers": 1, "observations": 0, "sources": 0,
                                     "tier_conflicts": 0, "indicators": 0,
                                     "observation_conflicts": 0, "government_responses": 0}
    # No sources table: rows per source cannot be told, nor changed files.
    assert report["source_rows_before"] == {} and report["files_changed"] == []
    assert report["tier_changes_total"] == 0


def test_source_rows_of_an_attached_file(tmp_path: Path) -> None:
    _db(tmp_path / "old.duckdb", tier="Tier 2", value=5.0, sha="a", responses=3).close()
    con = duckdb.connect()
    con.execute("ATTACH ? AS prev (READ_ONLY)", [str(tmp_path / "old.duckdb")])
    assert diff.source_rows(con, "prev") == {"s": 5}
    assert diff.source_rows(con, "prev", present={"observations"}) == {}  # no sources table
    assert diff.source_rows(con, "prev", present={"sources", "observations"}) == {"s": 1}
