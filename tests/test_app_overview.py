"""AppTest of the overview page and the shell (footer, missing database) on the session DB."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_page

ROOT = Path(__file__).resolve().parent.parent


def run(db_path: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None) -> AppTest:
    return open_page(page, db_path, monkeypatch)


@pytest.fixture(scope="module")
def db(built_db: Path):
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


def test_overview_is_the_default_page_and_states_what_is_held(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch)
    assert at.title[0].value == "Human trafficking statistics"
    metrics = {m.label: m.value for m in at.metric}
    places = db.execute("SELECT count(DISTINCT iso3) FROM tip_tiers").fetchone()[0]
    first, last = db.execute("SELECT min(report_year), max(report_year) FROM tip_tiers").fetchone()
    datasets = db.execute("SELECT count(DISTINCT dataset) FROM sources").fetchone()[0]
    values = db.execute("SELECT count(value) FROM observations").fetchone()[0]
    built = db.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()[0]
    assert metrics["Jurisdictions with a TIP tier"] == str(places)
    assert metrics["TIP reports"] == f"{first}–{last}"
    assert metrics["Source datasets"] == str(datasets)
    assert metrics["Statistical values"] == f"{values:,}"
    # A day as people read it (CLDR's medium date, English as Hong Kong writes it), not ISO.
    day = dt.datetime.fromisoformat(built[:16])
    assert metrics["Last refresh"] == f"{day.day} {day:%b %Y}"
    assert [m.help for m in at.metric if m.label == "Last refresh"] == [
        f"Database built {day.day} {day:%b %Y}, {day:%H:%M} UTC."]


def test_latest_report_counts_and_sources(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch)
    last = db.execute("SELECT max(report_year) FROM tip_tiers").fetchone()[0]
    assert f"The {last} TIP report at a glance" in [h.value for h in at.header]
    metrics = {m.label: m.value for m in at.metric}
    counts = dict(db.execute("SELECT tier, count(*) FROM tip_tiers WHERE report_year = ? "
                             "GROUP BY tier", [last]).fetchall())
    for tier in ("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3", "Special Case"):
        assert metrics[tier] == str(counts.get(tier, 0)), tier
    # The unresolved tile is shown only for a year that has such rows (2025 has none).
    assert metrics.get("Tier 1 or 2 (unresolved)", "0") == str(counts.get("Tier 1 or 2", 0))
    assert "Tier 1 or 2 (unresolved)" in metrics or not counts.get("Tier 1 or 2")
    datasets = [r[0] for r in db.execute(
        "SELECT DISTINCT s.dataset FROM tip_tiers t JOIN sources s USING (source_id) "
        "WHERE t.report_year = ?", [last]).fetchall()]
    captions = " ".join(c.value for c in at.caption)
    for name in datasets:
        assert name in captions  # each headline names where it comes from


def test_latest_report_says_how_placements_were_found(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch)
    text = " ".join(m.value for m in at.markdown)
    last, resolved, total, n_elim = db.execute(
        "SELECT report_year, count(*) FILTER (resolved), count(*), "
        "count(*) FILTER (method = 'elimination') FROM tip_tiers "
        "WHERE report_year = (SELECT max(report_year) FROM tip_tiers) GROUP BY 1").fetchone()
    assert f"**{resolved}** of the {total} placements in {last} are resolved" in text
    if not n_elim:
        assert "none is derived by elimination" in text
    # 2022 and 2024: Tier 2 by elimination, counted from tip_tiers.method.
    for year, n in db.execute("SELECT report_year, count(*) FROM tip_tiers WHERE method = "
                              "'elimination' AND report_year <> ? GROUP BY 1", [last]).fetchall():
        assert f"{year}: **{n}** Tier 2" in text
    sec = db.execute("SELECT count(*) FROM tip_tiers WHERE secondary AND report_year = ?",
                     [last]).fetchone()[0]
    assert sec > 0 and f"**{sec}** placements" in text and "secondary compilation" in text


def test_footer_names_build_time_and_sources(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch)
    files = db.execute("SELECT count(*) FROM sources").fetchone()[0]
    built = dt.datetime.fromisoformat(
        db.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()[0][:16])
    footer = [c.value for c in at.caption if c.value.startswith("Database built")]
    assert footer and f"({files} source files)" in footer[0]
    assert f"Database built {built.day} {built:%b %Y}, {built:%H:%M} UTC from" in footer[0]


def test_missing_database_gives_build_instructions(tmp_path, monkeypatch) -> None:
    missing = tmp_path / "nowhere.duckdb"
    for page in (None, "app_pages/tiers.py", "app_pages/data_sources.py"):
        at = run(missing, monkeypatch, page)
        assert at.title[0].value == "Database missing"
        # The visitor is told what to do, never where the server keeps its files.
        assert str(missing) not in at.error[0].value and "make data" in at.error[0].value
        assert not any(str(tmp_path) in m.value for m in at.markdown)
    assert not missing.exists()  # a read-only app never creates the file


def test_refresh_swapping_the_file_is_picked_up(built_db, tmp_path, monkeypatch) -> None:
    """A new file renamed over the old one (as the ETL publishes) is read without restart."""
    import os
    import shutil

    copy = tmp_path / "swap.duckdb"
    shutil.copyfile(built_db, copy)
    at = run(copy, monkeypatch)
    before = {m.label: m.help for m in at.metric}["Last refresh"]
    new = tmp_path / "swap.duckdb.new"
    shutil.copyfile(built_db, new)
    con = duckdb.connect(str(new))
    con.execute("UPDATE meta SET value = '2099-01-02T03:04:05' WHERE key = 'built_at'")
    con.close()
    os.replace(new, copy)
    at.run()
    assert not at.exception
    after = {m.label: m.help for m in at.metric}["Last refresh"]
    assert before != after and after == "Database built 2 Jan 2099, 03:04 UTC."


def test_chinese_address_turns_the_overview_chinese(built_db, monkeypatch) -> None:
    zh = open_page(None, built_db, monkeypatch, lang="zh-Hant")
    en = run(built_db, monkeypatch)
    assert zh.title[0].value == "人口販運統計" and en.title[0].value == "Human trafficking statistics"
    [year] = [h.value.split()[1] for h in en.header if h.value.endswith("TIP report at a glance")]
    assert f"{year} 年《人口販運問題報告》概覽" in [h.value for h in zh.header]
    zh_tiles = {m.label: m.value for m in zh.metric}
    en_tiles = {m.label: m.value for m in en.metric}
    # The same counts under Chinese tier names.
    assert zh_tiles["第一級"] == en_tiles["Tier 1"] and zh_tiles["第三級"] == en_tiles["Tier 3"]
    assert zh_tiles["第二級觀察名單"] == en_tiles["Tier 2 Watch List"]
    assert "人口販運報告" in zh_tiles and "TIP reports" in en_tiles
    facts = " ".join(m.value for m in zh.markdown)
    assert "項評級中" in facts and "第二級觀察名單" in facts
    assert "2022 年：第二級 **78** 個、2024 年：第二級 **79** 個" in facts  # a Chinese list
    # The build time in Chinese date order, in the tile, its help and the footer.
    built = dt.datetime.fromisoformat(
        duckdb.connect(str(built_db), read_only=True).execute(
            "SELECT value FROM meta WHERE key = 'built_at'").fetchone()[0][:16])
    day = f"{built.year}年{built.month}月{built.day}日"
    assert zh_tiles["最近更新"] == day
    assert [m.help for m in zh.metric if m.label == "最近更新"] == [
        f"數據庫建立於 {day} {built:%H:%M} UTC。"]
    assert [c.value for c in zh.caption if c.value.startswith(f"數據庫於 {day} {built:%H:%M} UTC 由 ")]
