"""AppTest of the Data & sources page: every source file, tier conflicts, ETL history."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_page, sql

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/data_sources.py"


def run(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return open_page(PAGE, built_db, monkeypatch)


@pytest.fixture(scope="module")
def db(built_db: Path):
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


def table(at: AppTest, *columns: str):
    for df in at.dataframe:
        if set(columns) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no table with {columns}")


def time_formats(at: AppTest) -> dict[str, str]:
    """Column → the moment.js format of every date-and-time column the page shows."""
    out = {}
    for df in at.dataframe:
        for column, config in json.loads(df.proto.columns).items():
            types = config.get("type_config") or {}
            if types.get("type") == "datetime":
                out[column] = types["format"]
    return out


def test_every_source_file_is_listed_with_address_and_checksum(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch)
    assert at.title[0].value == "Data & sources"
    files = table(at, "source_id", "sha256", "address")
    rows = db.execute("SELECT source_id, sha256, address FROM sources").fetchall()
    assert len(files) == len(rows)
    listed = {r.source_id: (r.sha256, r.address) for r in files.itertuples()}
    for source_id, sha, address in rows:
        assert listed[source_id][0] == sha
        assert (listed[source_id][1] or None) == address
    assert "world-geometry/world_50m.json" in listed  # the map outlines are a source too
    sets = table(at, "dataset", "tiers_published")
    per_set = dict(db.execute(
        "SELECT s.dataset, count(*) FROM tip_tiers t JOIN sources s USING (source_id) "
        "GROUP BY 1").fetchall())
    for row in sets.itertuples():
        assert row.tiers_published == per_set.get(row.dataset, 0)
    # Retrieval and run times as English readers in Hong Kong write dates, not ISO.
    assert time_formats(at) == {"retrieved_at": "D MMM YYYY[, ]HH[:]mm",
                                "started_at": "D MMM YYYY[, ]HH[:]mm[:]ss",
                                "finished_at": "D MMM YYYY[, ]HH[:]mm[:]ss"}


def test_dataset_filter_narrows_the_files(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch)
    at.selectbox(key="ds_dataset").set_value("scorecard-diplomacy-tiers").run()
    assert not at.exception
    files = table(at, "source_id", "sha256")
    n = db.execute("SELECT count(*) FROM sources WHERE dataset = 'scorecard-diplomacy-tiers'"
                   ).fetchone()[0]
    assert len(files) == n and all(s.startswith("scorecard-diplomacy-tiers/")
                                   for s in files["source_id"])


def test_tier_conflicts_are_listed_and_filterable(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch)
    conf = table(at, "chosen_tier", "reason")
    total = db.execute("SELECT count(*) FROM tier_conflicts").fetchone()[0]
    assert len(conf) == total
    year = db.execute("SELECT min(report_year) FROM tier_conflicts").fetchone()[0]
    if year is None:
        return
    at.multiselect(key="ds_conflict_years").set_value([year]).run()
    conf = table(at, "chosen_tier", "reason")
    n = db.execute("SELECT count(*) FROM tier_conflicts WHERE report_year = ?", [year]
                   ).fetchone()[0]
    assert len(conf) == n and set(conf["report_year"]) == {year}


def test_refresh_history(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch)
    runs = table(at, "run_id", "status", "tip_tiers")
    rows = db.execute("SELECT run_id, status FROM etl_runs").fetchall()
    assert len(runs) == len(rows) and set(runs["run_id"]) == {r[0] for r in rows}
    latest = db.execute("SELECT run_id FROM etl_runs ORDER BY started_at DESC LIMIT 1"
                        ).fetchone()[0]
    assert runs.iloc[0]["run_id"] == latest
    tiers = db.execute("SELECT count(*) FROM tip_tiers").fetchone()[0]
    assert runs.iloc[0]["tip_tiers"] == tiers


def test_figure_conflicts_are_listed(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch)
    headers = [h.value for h in at.header]
    assert "Where figures disagree" in headers
    table = next(d.value for d in at.dataframe if "chosen_value" in d.value.columns)
    victims = table[(table["indicator_name"] == "Trafficking victims identified worldwide")
                    & (table["year"] == 2019)]
    assert victims["area"].tolist() == ["World"]
    # The 2024 edition's 118,932 against the 2025 edition's 111,932, which is charted.
    assert victims[["value", "edition", "chosen_value", "chosen_edition"]].values.tolist() == [
        [118932.0, "2024 TIP report", 111932.0, "2025 TIP report"]]
    assert len(table) == sql(built_db, "SELECT count(*) FROM observation_conflicts")[0][0]


def _download(at: AppTest, label: str):
    found = [b for b in at.get("download_button") if b.proto.label == label]
    assert len(found) == 1, [b.proto.label for b in at.get("download_button")]
    return found[0]


def test_download_all_data_offers_the_package_of_this_build(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch)
    _download(at, "Download all data (zip)")
    size = (built_db.parent / "trafficking-data.zip").stat().st_size
    caption = next(c.value for c in at.caption if "Frictionless" in c.value)
    assert caption.startswith(f"{size / 1e6:.1f} MB.") and "earlier build" not in caption


def test_download_all_data_says_when_the_package_is_older(built_db, monkeypatch,
                                                          tmp_path) -> None:
    import shutil

    from etl import package

    db = tmp_path / "trafficking.duckdb"
    shutil.copyfile(built_db, db)
    package.write(db)
    with duckdb.connect(str(db)) as con:  # as after a refresh whose package failed
        con.execute("UPDATE meta SET value = 'newer' WHERE key = 'run_id'")
    at = run(db, monkeypatch)
    assert any("written from an earlier build" in c.value for c in at.caption)
    (tmp_path / "trafficking-data.zip").write_bytes(b"PK\x03\x04 half written")
    at = run(db, monkeypatch)
    assert not [b for b in at.get("download_button") if "all data" in b.proto.label]
    assert any("not available on this server yet" in c.value for c in at.caption)


def test_the_page_in_chinese(built_db, monkeypatch) -> None:
    at = open_page(PAGE, built_db, monkeypatch, lang="zh-Hant")
    assert at.title[0].value == "數據與來源"
    assert [h.value for h in at.header] == ["數據集", "檔案", "評級來源有分歧之處",
                                            "數字有分歧之處", "更新記錄"]
    said = " ".join(c.value for c in at.caption)
    n = sql(built_db, "SELECT count(*) FROM sources")[0][0]
    assert f"{n} 個檔案中的 {n} 個" in said
    assert at.selectbox(key="ds_dataset").options[0] == "所有數據集"
    assert _download(at, "下載全部數據（zip）")
    runs = table(at, "run_id", "read_from")
    assert set(runs["read_from"]) <= {"本項目的快照", "發布者的網址"}
    assert runs.iloc[0]["sources"].split("：")[0].endswith("個來源")
    assert time_formats(at)["retrieved_at"] == "YYYY[年]M[月]D[日] HH[:]mm"  # 2026年11月20日 10:31
    assert set(runs["status"]) == {"已完成"}  # the ETL's 'ok'
    assert at.multiselect(key="ds_conflict_years").placeholder == "所有年份"
    # Tier conflicts: jurisdictions and tiers in Chinese (the reasons are the ETL's record).
    conf = table(at, "chosen_tier", "reason")
    tiers = {"第一級", "第二級", "第二級觀察名單", "第三級", "特殊個案"}
    assert set(conf["tier"]) <= tiers and set(conf["chosen_tier"]) <= tiers
    english = {r[0] for r in sql(built_db, "SELECT j.name FROM tier_conflicts c "
                                           "JOIN jurisdictions j USING (iso3)")}
    assert len(conf) and not set(conf["name"]) & english
    assert "Belarus" not in english or "白俄羅斯" in set(conf["name"])
    figures = table(at, "chosen_value", "area")
    assert set(figures["area"]) <= {"世界", "英國"} and "世界" in set(figures["area"])
