"""TIP Global Law Enforcement Data (Kelley & Heiss transcription) on its snapshot."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from etl.build import run_parser
from etl.errors import SourceError
from etl.source import FetchedFile
from etl.sources import tip_global_law_enforcement as src
from etl.sources.tip_global_law_enforcement import LABOUR
from tests.conftest import local_file


def _fetched(path: Path) -> dict[str, FetchedFile]:
    return {src.FILE: local_file(src.ID, src.FILE, path, src.URL)}


@pytest.fixture(scope="module")
def obs(shared_raw: Path):
    return run_parser(src.SOURCE, _fetched(shared_raw / src.ID / src.FILE)).observations


def _value(obs, code: str, year: int, breakdown: str = "") -> float | None:
    rows = obs[(obs["indicator"] == code) & (obs["year"] == year)
               & (obs["breakdown"] == breakdown)]
    assert len(rows) <= 1
    return None if rows.empty else float(rows["value"].iloc[0])


def test_address_is_commit_pinned_and_sha_matches_snapshot(shared_raw: Path) -> None:
    spec = src.SOURCE.files[0]
    assert src.COMMIT in spec.url and spec.url.endswith("data/original/data_figure3_2.csv")
    digest = hashlib.sha256((shared_raw / src.ID / src.FILE).read_bytes()).hexdigest()
    assert spec.sha256 == digest


def test_2009_values_match_the_2010_report(obs) -> None:
    assert _value(obs, "tip_global_prosecutions", 2009) == 5606
    assert _value(obs, "tip_global_convictions", 2009) == 4166
    assert _value(obs, "tip_global_victims_identified", 2009) == 49105
    assert _value(obs, "tip_global_convictions", 2009, src.LABOUR) == 335
    assert _value(obs, "tip_global_prosecutions", 2009, src.LABOUR) == 432


def test_labour_split_and_gaps(obs) -> None:
    assert _value(obs, "tip_global_victims_identified", 2012, src.LABOUR) == 17368
    labour_victims = obs[(obs["indicator"] == "tip_global_victims_identified")
                         & (obs["breakdown"] == src.LABOUR)]
    assert sorted(labour_victims["year"]) == [2011, 2012, 2013, 2014]
    # 2015 has only prosecutions and convictions; empty cells are gaps, never zeros
    assert _value(obs, "tip_global_prosecutions", 2015) == 18930
    assert _value(obs, "tip_global_convictions", 2015) == 6609
    assert _value(obs, "tip_global_victims_identified", 2015) is None
    assert _value(obs, "tip_global_victims_identified", 2007) is None
    assert (obs["value"] > 0).all()
    assert len(obs) == 65
    assert set(obs["area_kind"]) == {"world"} and set(obs["area_code"]) == {"WLD"}
    assert "2010 TIP report" in obs[obs["year"] == 2009]["note"].iloc[0]


def test_bad_cell_names_column_and_row(tmp_path: Path, shared_raw: Path) -> None:
    text = (shared_raw / src.ID / src.FILE).read_text(encoding="utf-8")
    bad = tmp_path / src.FILE
    bad.write_text(text.replace('"5606"', '"about 5600"'), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        run_parser(src.SOURCE, _fetched(bad))
    msg = str(err.value)
    assert src.ID in msg and "'Prosecutions'" in msg and "about 5600" in msg


def test_kelley_rows_name_their_edition(obs) -> None:
    assert set(obs.loc[obs["year"] == 2009, "edition"]) == {"2010 TIP report"}
    assert obs["edition"].notna().all()


# --- data years 2016–2024 (tip-global-law-enforcement-2016-latest) -------------------------

from etl.sources import tip_global_law_enforcement_2016 as latest  # noqa: E402


def _latest_files(folder: Path) -> dict[str, FetchedFile]:
    return {n: local_file(latest.ID, n, folder / n) for n in (latest.CSV, latest.PROV,
                                                              *latest.PAGES)}


@pytest.fixture(scope="module")
def parsed_latest(shared_raw: Path):
    return run_parser(latest.SOURCE, _latest_files(shared_raw / latest.ID))


def _rows(obs, code: str, year: int, breakdown: str = ""):
    return obs[(obs["indicator"] == code) & (obs["year"] == year)
               & (obs["breakdown"] == breakdown)]


def test_latest_rows_per_file(parsed_latest) -> None:
    assert parsed_latest.rows_per_file == {
        "global_law_enforcement.csv": 18, "PROVENANCE.md": 7,
        "2017report_frockman232-blogspot.txt": 3, "2017report_stopchildtraffic.txt": 2,
        "2022report_databoks.txt": 2, "2024report_greenlightoperation_overview.txt": 49,
        "2025report_bahifazat.txt": 19, "../tip-tier-pages/2024_iawj.txt": 4}
    obs = parsed_latest.observations
    assert len(obs) == 79 and set(obs["area_code"]) == {"WLD"}
    assert obs["cited_url"].str.startswith("https://").all()
    assert obs["indicator"].isin([c for c, _ in latest.COLUMNS.values()]).all()


def test_2024_from_the_2025_edition_on_one_weak_page(parsed_latest) -> None:
    obs = parsed_latest.observations
    row = _rows(obs, "tip_global_prosecutions", 2024).iloc[0]
    assert row["value"] == 15791 and row["edition"] == "2025 TIP report"
    assert row["quote"] == "| Total Prosecutions | 15,791 |"
    assert "bahifazat.com" in row["cited_url"] and "Weak source" in row["note"]
    assert _rows(obs, "tip_global_convictions", 2024)["value"].tolist() == [7975]
    assert _rows(obs, "tip_global_victims_identified", 2024)["value"].tolist() == [102027]
    assert _rows(obs, "tip_global_victims_identified", 2024, LABOUR)["value"].tolist() == [27759]


def test_every_edition_of_2019_victims_kept(parsed_latest) -> None:
    rows = _rows(parsed_latest.observations, "tip_global_victims_identified", 2019)
    assert dict(zip(rows["edition"], rows["value"], strict=True)) == {
        "2024 TIP report": 118932, "2025 TIP report": 111932}
    assert "118,932" in rows.loc[rows["edition"] == "2024 TIP report", "quote"].iloc[0]


def test_iawj_page_lives_in_the_tier_pages_folder_and_names_its_address(parsed_latest) -> None:
    rows = parsed_latest.observations
    rows = rows[rows["file"] == "../tip-tier-pages/2024_iawj.txt"]
    assert len(rows) == 4
    assert set(rows["cited_url"]) == {
        "https://iawj.clubexpress.com/content.aspx?club_id=882224&item_id=5378&page_id=2507"}
    assert "In 2023, 133,943 victims were identified" in " ".join(rows["quote"])


def test_indonesian_thousands_separator_and_labour_2016(parsed_latest) -> None:
    obs = parsed_latest.observations
    vic = _rows(obs, "tip_global_victims_identified", 2021)
    assert "90.354" in vic.loc[vic["edition"] == "2022 TIP report", "quote"].iloc[0]
    lab = _rows(obs, "tip_global_prosecutions", 2016, LABOUR)
    assert lab["value"].tolist() == [1038] and "1,038" in lab["quote"].iloc[0]


def test_value_the_page_does_not_print_fails_with_file_row_and_value(
        tmp_path: Path, shared_raw: Path) -> None:
    folder = tmp_path / "snap"
    (folder / latest.ID).mkdir(parents=True)
    (folder / "tip-tier-pages").mkdir()
    for name in (latest.PROV, *latest.PAGES):
        target = folder / latest.ID / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((shared_raw / latest.ID / name).read_bytes())
    text = (shared_raw / latest.ID / latest.CSV).read_text(encoding="utf-8")
    (folder / latest.ID / latest.CSV).write_text(
        text.replace("2025,2024,15791,", "2025,2024,15792,"), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        run_parser(latest.SOURCE, _latest_files(folder / latest.ID))
    msg = str(err.value)
    assert latest.ID in msg and "2025report_bahifazat.txt" in msg
    assert "'prosecutions'" in msg and "15792" in msg and "does not print" in msg


def test_preferred_series_and_conflict_in_built_database(built_db: Path) -> None:
    import duckdb

    con = duckdb.connect(str(built_db), read_only=True)
    try:
        charted = dict(con.execute(
            "SELECT year, value FROM observations WHERE indicator = "
            "'tip_global_victims_identified' AND breakdown = '' AND preferred").fetchall())
        assert charted[2019] == 111932 and charted[2024] == 102027 and charted[2014] == 44462
        one_per_year = con.execute(
            "SELECT count(*) FROM (SELECT indicator, year, breakdown FROM observations "
            "WHERE indicator LIKE 'tip_global_%' AND preferred GROUP BY ALL "
            "HAVING count(*) > 1)").fetchone()[0]
        assert one_per_year == 0
        reason = con.execute(
            "SELECT preferred_reason FROM observations WHERE indicator = "
            "'tip_global_victims_identified' AND year = 2019 AND breakdown = '' "
            "AND preferred").fetchone()[0]
        assert "latest TIP report edition" in reason and "118,932" in reason
        prosecutions_2024 = con.execute(
            "SELECT value, edition FROM observations WHERE indicator = "
            "'tip_global_prosecutions' AND year = 2024 AND breakdown = '' AND preferred"
        ).fetchall()
        assert prosecutions_2024 == [(15791.0, "2025 TIP report")]
        conflicts = con.execute(
            "SELECT year, edition, value, chosen_edition, chosen_value FROM "
            "observation_conflicts WHERE indicator LIKE 'tip_global_%'").fetchall()
        assert conflicts == [(2019, "2024 TIP report", 118932.0, "2025 TIP report", 111932.0)]
        # Two pages stating one edition's value identically: one charted, no conflict.
        rows = con.execute(
            "SELECT cited_url, preferred FROM observations WHERE indicator = "
            "'tip_global_convictions' AND year = 2023 AND breakdown = '' "
            "ORDER BY preferred DESC").fetchall()
        assert len(rows) == 2 and "greenlightoperation" in rows[0][0] and rows[0][1]
        assert "iawj" in rows[1][0] and not rows[1][1]
        src = con.execute(
            "SELECT address, rows FROM sources WHERE source_id = "
            "'tip-global-law-enforcement-2016-latest/../tip-tier-pages/2024_iawj.txt'").fetchone()
        assert src == (None, 4)
    finally:
        con.close()
