"""Full refresh from the loopback HTTP mirror, real values, and failures that publish nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import build
from etl.errors import EtlError
from etl.tiers import merge
from tests.conftest import symlink_mirror

HK_EXPECTED = {
    **{y: "Tier 1" for y in range(2001, 2009)},          # Kelley & Heiss
    **{y: "Tier 2" for y in range(2009, 2016)},          # Kelley & Heiss / Wikipedia 2011–15
    **{y: "Tier 2 Watch List" for y in (2016, 2017, 2018)},  # Wikipedia
    2019: "Tier 2",
    2020: "Tier 2 Watch List", 2021: "Tier 2 Watch List", 2022: "Tier 2 Watch List",
    2023: "Tier 2", 2024: "Tier 2 Watch List", 2025: "Tier 2 Watch List",
}
# Counts per tier per report year published in the Kelley & Heiss provenance table (2001–2015)
# and stated by the pages in tip-tier-pages/PROVENANCE.md (2021–2025).
KELLEY_TABLE = {
    2001: (11, 47, 0, 21), 2002: (17, 51, 0, 19), 2004: (24, 54, 43, 10), 2010: (29, 72, 58, 13),
}


def _con(db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db), read_only=True)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_hong_kong_every_report_year(built_db: Path) -> None:
    rows = dict(_con(built_db).execute(
        "SELECT report_year, tier FROM tip_tiers WHERE iso3 = 'HKG'").fetchall())
    assert rows == HK_EXPECTED


def test_north_korea_tier3_2003_to_2025(built_db: Path) -> None:
    rows = dict(_con(built_db).execute(
        "SELECT report_year, tier FROM tip_tiers WHERE iso3 = 'PRK'").fetchall())
    assert rows == {y: "Tier 3" for y in range(2003, 2026)}


def test_every_report_year_has_tiers_and_every_row_a_source(built_db: Path) -> None:
    con = _con(built_db)
    years = [r[0] for r in con.execute("SELECT DISTINCT report_year FROM tip_tiers ORDER BY 1").fetchall()]
    assert years == list(range(2001, 2026))
    orphan = con.execute(
        "SELECT count(*) FROM tip_tiers t LEFT JOIN sources s USING (source_id) "
        "WHERE s.source_id IS NULL OR s.sha256 IS NULL OR s.retrieved_at IS NULL").fetchone()[0]
    assert orphan == 0
    via = {r[0] for r in con.execute("SELECT DISTINCT via FROM sources").fetchall()}
    assert via == {"mirror-http"}


def _counts(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, int]:
    return dict(con.execute(
        "SELECT tier, count(*) FROM tip_tiers WHERE report_year = ? GROUP BY tier", [year]).fetchall())


def test_counts_per_tier_match_published_totals(built_db: Path) -> None:
    con = _con(built_db)
    for year, (t1, t2, t2wl, t3) in KELLEY_TABLE.items():
        c = _counts(con, year)
        assert (c.get("Tier 1", 0), c.get("Tier 2", 0), c.get("Tier 2 Watch List", 0),
                c.get("Tier 3", 0)) == (t1, t2, t2wl, t3), year
    # 2023 is fully determined: 30 + 105 + 26 + 24 + 3 special cases = 188 (tip-tier-pages PROVENANCE)
    c = _counts(con, 2023)
    assert c == {"Tier 1": 30, "Tier 2": 105, "Tier 2 Watch List": 26, "Tier 3": 24, "Special Case": 3}
    # 2022: 34 T2WL (interim assessment) and 22 T3; 2024: 33 T1 and 21 T3 stated; 2025: 33 T1.
    c = _counts(con, 2022)
    assert (c["Tier 2 Watch List"], c["Tier 3"]) == (34, 22)
    c = _counts(con, 2024)
    assert c["Tier 3"] == 21 and c["Tier 1"] == 33
    c = _counts(con, 2025)
    assert c["Tier 1"] == 33
    for year in range(2001, 2026):
        assert sum(_counts(con, year).values()) <= 188


def test_unresolved_rows_only_where_lists_are_partial(built_db: Path) -> None:
    con = _con(built_db)
    per_year = dict(con.execute(
        "SELECT report_year, count(*) FROM tip_tiers WHERE NOT resolved GROUP BY 1").fetchall())
    # The complete Tier 1 lists (tip-tier-lists-2022-2025) leave no year only partly listed.
    assert per_year == {}
    assert con.execute("SELECT count(*) FROM tip_tiers WHERE NOT resolved AND tier <> 'Tier 1 or 2'"
                       ).fetchone()[0] == 0
    # Thailand: Tier 2 stated by pages in 2022–2025, never left unresolved.
    th = dict(con.execute("SELECT report_year, tier FROM tip_tiers WHERE iso3 = 'THA' AND report_year >= 2022"
                          ).fetchall())
    assert th == {2022: "Tier 2", 2023: "Tier 2", 2024: "Tier 2", 2025: "Tier 2"}


def test_conflicts_recorded_with_reasons(built_db: Path) -> None:
    con = _con(built_db)
    conf = con.execute("SELECT iso3, report_year, tier, chosen_tier, reason FROM tier_conflicts").df()
    # The 12 Kelley/Wikipedia disagreements of 2011–2015 listed in the provenance notes
    early = conf[conf.report_year <= 2015]
    assert len(early) == 12
    lux = early[early.iso3 == "LUX"].iloc[0]
    assert lux.chosen_tier == "Tier 1" and lux.reason.startswith("override")
    # Wikipedia's unreliable 2023 column loses to the complete Factbook lists
    wiki_2023 = conf[(conf.report_year == 2023) & (conf.iso3.isin(["PAK", "QAT", "ROU", "THA"]))]
    assert len(wiki_2023) == 4
    assert (conf.reason.str.len() > 20).all()


def test_tiers_agree_with_hti_cross_check(built_db: Path, shared_raw: Path) -> None:
    """HTI is all-rights-reserved: used here only to cross-check, never loaded."""
    from etl.countries import resolve

    hti = pd.read_csv(shared_raw / "hti-human-trafficking-indicators/HTI.csv", encoding="latin-1",
                      usecols=["country", "year", "tier"]).dropna()
    hti["iso3"] = hti["country"].str.strip().map(resolve)
    ours = _con(built_db).execute("SELECT iso3, report_year AS year, tier AS ours FROM tip_tiers").df()
    both = hti.merge(ours, on=["iso3", "year"])
    t2 = "Tier 2/2 Watch List"
    merged = both["ours"].replace({"Tier 2": t2, "Tier 2 Watch List": t2})
    disagree = both[merged != both["tier"]]
    assert len(both) > 1400
    assert len(disagree) <= 3, disagree




@pytest.fixture
def published(built_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "published.duckdb"
    shutil.copyfile(built_db, db)
    return db


TIP_HEADER = b"report_year,country_name_as_published,tier,source_file\n"


@pytest.mark.parametrize(("victim", "content", "message"), [
    # Files at commit-pinned addresses carry a pinned checksum: any change is caught first.
    ("wikipedia-tip-tier-table/TIP_Tiers_overyears.csv", b"Country,2011 [4]\nHong Kong,9\n",
     "checksum mismatch"),
    ("cia-factbook-archive-tip/country_fields_2024.sql.gz", b"\x1f\x8b\x08\x00truncated",
     "checksum mismatch"),
    # The compiled (unpinned) file reaches the parser, which names column and value.
    ("tip-tier-pages/tiers_2021_2025.csv", b"report_year,country,tier\n2022,Chile,Tier 1\n",
     "country_name_as_published"),
    ("tip-tier-pages/tiers_2021_2025.csv",
     TIP_HEADER + b"2022,Atlantis,Tier 1,2022_hrwf.txt\n", "Atlantis"),
    ("tip-tier-pages/tiers_2021_2025.csv",
     TIP_HEADER + b"2022,Chile,Tier 9,2022_hrwf.txt\n", "Tier 9"),
    ("tip-tier-pages/tiers_2021_2025.csv",
     TIP_HEADER + b"1899,Chile,Tier 1,2022_hrwf.txt\n", "1899"),
    ("tip-tier-pages/tiers_2021_2025.csv", b"<!DOCTYPE html><html>502 Bad Gateway</html>", "HTML"),
    ("tip-tier-pages/tiers_2021_2025.csv", b"", "empty"),
])
def test_bad_file_midway_leaves_published_db_byte_identical(
    shared_raw: Path, published: Path, tmp_path: Path, victim: str, content: bytes, message: str
) -> None:
    mirror = symlink_mirror(shared_raw, tmp_path / "mirror")
    (mirror / victim).unlink()
    (mirror / victim).write_bytes(content)
    before = _sha(published)
    with pytest.raises(EtlError) as err:
        build.refresh(mirror=str(mirror), db_path=published)
    assert message in str(err.value)
    assert victim.split("/")[0] in str(err.value) and victim.split("/")[1] in str(err.value)
    assert _sha(published) == before
    assert [p.name for p in published.parent.iterdir() if "building" in p.name] == []


def test_partial_refresh_carries_other_sources_over(shared_raw: Path, published: Path) -> None:
    before = _con(published).execute("SELECT count(*) FROM tip_tiers").fetchone()[0]
    result = build.refresh(["wikipedia-tip-tier-table"], mirror=str(shared_raw), db_path=published)
    assert result.sources == ["wikipedia-tip-tier-table"]
    con = _con(published)
    assert con.execute("SELECT count(*) FROM tip_tiers").fetchone()[0] == before
    vias = dict(con.execute("SELECT dataset, any_value(via) FROM sources GROUP BY 1").fetchall())
    assert vias["wikipedia-tip-tier-table"] == "mirror-dir"
    assert vias["scorecard-diplomacy-tiers"] == "mirror-http"  # carried over unchanged
    runs = con.execute("SELECT count(*) FROM etl_runs WHERE status = 'ok'").fetchone()[0]
    assert runs == 2
    # The map geometry was not refreshed: its dots are carried over with it.
    assert con.execute("SELECT a.marker_lon, a.marker_lat, m.source_id FROM areas a JOIN map_shapes m "
                       "USING (code) WHERE code = 'HKG'").fetchone() == (
        114.14, 22.44, "world-geometry/world_50m.json")


def test_merge_is_repeatable(published: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(published, db)
    con = duckdb.connect(str(db))
    before = con.execute("SELECT * FROM tip_tiers ORDER BY iso3, report_year").df()
    merge(con)
    after = con.execute("SELECT * FROM tip_tiers ORDER BY iso3, report_year").df()
    pd.testing.assert_frame_equal(before, after)


def test_cli_status_shows_every_year(built_db: Path, capsys) -> None:
    from etl.cli import main

    assert main(["--db", str(built_db), "status"]) == 0
    out = capsys.readouterr().out
    for year in range(2001, 2026):
        assert f"  {year} " in out
    assert os.path.basename(str(built_db)) in out


@pytest.mark.parametrize("source_id", sorted(__import__("etl.registry").registry.all_sources()))
def test_refreshing_one_source_alone_changes_nothing(source_id: str, shared_raw: Path,
                                                     published: Path) -> None:
    """`refresh SOURCE` on unchanged files reproduces the same rows (others carried over)."""
    tables = ("sources", "tip_tiers", "tier_conflicts", "indicators", "observations", "jurisdictions",
              "areas", "map_shapes", "tiers")

    def counts() -> dict[str, int]:
        con = _con(published)
        try:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        finally:
            con.close()

    before = counts()
    result = build.refresh([source_id], mirror=str(shared_raw), db_path=published)
    assert counts() == before
    changes = result.summary["changes"]
    assert changes["tier_changes_total"] == 0 and changes["revised_figures"] == []
