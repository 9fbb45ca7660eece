"""government-responses on its snapshot: 40 statements, stances with their own words checked
against the stored excerpts, and clear errors for a bad stance, date, jurisdiction or phrase."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.build import run_parser
from etl.errors import SourceError
from etl.source import FetchedFile
from etl.sources import government_responses as src
from tests.apptest import sql
from tests.conftest import local_file


def _fetched(folder: Path, **replaced: Path) -> dict[str, FetchedFile]:
    """The source's files from the snapshot folder; ``replaced`` swaps some for test copies."""
    out = {}
    for spec in src.SOURCE.files:
        path = replaced.get(spec.name.replace(".", "_"), (folder / spec.name).resolve())
        out[spec.name] = local_file(src.ID, spec.name, path, None)
    return out


@pytest.fixture(scope="module")
def folder(shared_raw: Path) -> Path:
    return shared_raw / src.ID


@pytest.fixture(scope="module")
def frame(folder: Path) -> pd.DataFrame:
    return run_parser(src.SOURCE, _fetched(folder)).government_responses


def _row(frame: pd.DataFrame, iso3: str, year: int, **match: str) -> pd.Series:
    rows = frame[(frame["iso3"] == iso3) & (frame["report_year"] == year)]
    for col, val in match.items():
        rows = rows[rows[col].str.contains(val, regex=False)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_every_statement_is_loaded(frame: pd.DataFrame, folder: Path) -> None:
    raw = pd.read_csv(folder / src.CSV)
    assert len(frame) == len(raw) == 40
    assert frame.groupby("iso3").size().to_dict() == {
        "HKG": 16, "SGP": 7, "MAC": 8, "THA": 3, "TWN": 3, "MYS": 3}
    assert set(frame["stance"]) == {"rejects", "welcomes", "notes"}
    assert frame["stance_quote"].notna().all()  # the PROVENANCE gives a phrase for every row
    assert set(frame["file"]) == {src.CSV}


def test_hong_kong_2019_notes_the_upgrade(frame: pd.DataFrame) -> None:
    r = _row(frame, "HKG", 2019)
    assert r["stance"] == "notes"
    assert r["statement_date"] == date(2019, 6, 20)
    assert r["stance_quote"].startswith("has noted the release of the United States "
                                        "Trafficking in Persons Report 2019")
    assert "upgrades the HKSAR to Tier 2" in r["stance_quote"]
    assert r["cited_url"] == "http://government-world.com/author/hksar-gov/page/10267"
    # Every other Hong Kong statement rejects the assessment.
    others = frame[(frame["iso3"] == "HKG") & (frame["report_year"] != 2019)]
    assert set(others["stance"]) == {"rejects"}


def test_hong_kong_2016_rejects_with_its_phrase(frame: pd.DataFrame, folder: Path) -> None:
    r = _row(frame, "HKG", 2016)
    assert r["stance"] == "rejects"
    assert r["stance_quote"] == ("vehemently and categorically reject Hong Kong's grading in "
                                 "the Report")
    assert r["language"] == "en"
    assert r["statement_date"] == date(2016, 6, 30)
    excerpt = (folder / "HK_2016_info-gov-hk_P201606301004.txt").read_text(encoding="utf-8")
    assert r["stance_quote"] in excerpt
    assert "HK_2016_info-gov-hk_P201606301004.txt" in r["note"]


def test_two_statements_in_one_year_each_get_their_own_phrase(frame: pd.DataFrame) -> None:
    gov = _row(frame, "HKG", 2017, publisher="SunWeb")
    prc = _row(frame, "HKG", 2017, publisher="Ministry of Foreign Affairs of the PRC")
    assert gov["stance_quote"] == "In a statement issued on June 27, the HK government said"
    assert prc["stance_quote"] == "The relevant content of the Report is not fact-based."
    assert pd.isna(prc["statement_date"])  # the excerpt gives no date: stays empty
    dpm = _row(frame, "SGP", 2014, publisher="Teo Chee Hean")
    assert dpm["stance_quote"].startswith("we are of the view that the US needs")
    assert dpm["statement_date"] == date(2014, 7, 7)


def test_quotes_in_chinese_and_japanese(frame: pd.DataFrame) -> None:
    assert _row(frame, "TWN", 2016)["stance_quote"] == "外交部對此十分感謝"
    assert _row(frame, "TWN", 2021)["stance_quote"] == "外交部對此表示感謝"
    taiwan = frame[frame["iso3"] == "TWN"].set_index("report_year")["language"].to_dict()
    assert taiwan == {2016: "zh-Hant", 2021: "zh-Hant", 2025: "ja"}
    assert set(frame.loc[frame["iso3"] != "TWN", "language"]) == {"en"}


def test_phrases_from_the_sister_folder_are_checked_there(frame: pd.DataFrame) -> None:
    r = _row(frame, "HKG", 2023)
    assert r["stance_quote"] == ("strongly disapproved of and firmly rejected the report's "
                                 "unsubstantiated remarks")
    assert "../hk-screening-more/2022_news-gov-hk_20230616.txt" in r["note"]


def test_figures_cited_and_empty_dates(frame: pd.DataFrame) -> None:
    mys = _row(frame, "MYS", 2022)
    assert mys["stance"] == "notes"
    assert "73 civil servants investigated" in mys["figures_cited"]
    assert pd.isna(mys["statement_date"])
    assert frame["statement_date"].isna().sum() == 12


def _bad_csv(folder: Path, tmp_path: Path, line: int, column: str, value: str) -> Path:
    raw = pd.read_csv(folder / src.CSV, dtype=str, keep_default_na=False)
    raw.loc[line - 2, column] = value
    out = tmp_path / src.CSV
    raw.to_csv(out, index=False)
    return out


@pytest.mark.parametrize(("column", "value", "message"), [
    ("stance", "condemns", "unknown stance"),
    ("date", "2016-31-06", "date is not YYYY-MM-DD"),
    ("date", "2012-06-30", "date is not in 2016 or 2017"),
    ("jurisdiction", "Atlantis", "jurisdiction not resolved"),
])
def test_a_bad_value_names_file_row_column_and_value(folder: Path, tmp_path: Path, column: str,
                                                      value: str, message: str) -> None:
    line = 6  # Hong Kong 2016 (header is line 1)
    bad = _bad_csv(folder, tmp_path, line, column, value)
    with pytest.raises(SourceError) as err:
        src.parse(_fetched(folder, responses_csv=bad))
    e = err.value
    assert (e.source, e.file, e.row, e.column, e.value) == (src.ID, src.CSV, line, column, value)
    assert message in str(e) and "row 6" in str(e) and repr(value) in str(e)


def test_a_phrase_missing_from_its_excerpt_fails(folder: Path, tmp_path: Path) -> None:
    text = (folder / src.PROV).read_text(encoding="utf-8")
    bad = tmp_path / src.PROV
    bad.write_text(text.replace('"vehemently and categorically reject',
                                '"firmly and categorically reject'), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        src.parse(_fetched(folder, PROVENANCE_md=bad))
    assert err.value.file == src.PROV
    assert "does not occur in HK_2016_info-gov-hk_P201606301004.txt" in str(err.value)
    assert err.value.value.startswith("firmly and categorically reject")


def test_a_changed_excerpt_fails_its_checksum(folder: Path, tmp_path: Path) -> None:
    name = "SG_2012_mom-gov-sg_20120620.txt"
    copy = tmp_path / name
    shutil.copy(folder / name, copy)
    copy.write_text(copy.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        src.parse(_fetched(folder, **{name.replace(".", "_"): copy}))
    assert err.value.file == name and err.value.column == "sha256/16"


def test_the_built_database_holds_every_statement(built_db: Path) -> None:
    rows = dict(sql(built_db, "SELECT iso3, count(*) FROM government_responses GROUP BY iso3"))
    assert rows == {"HKG": 16, "SGP": 7, "MAC": 8, "THA": 3, "TWN": 3, "MYS": 3}
    (quote, when, source), = sql(
        built_db, "SELECT stance_quote, statement_date, source_id FROM government_responses "
                  "WHERE iso3 = 'HKG' AND report_year = 2016")
    assert quote.startswith("vehemently and categorically reject")
    assert when == date(2016, 6, 30)
    assert source == "government-responses/responses.csv"
    files = sql(built_db, "SELECT count(*) FROM sources WHERE dataset = ?", [src.ID])[0][0]
    assert files == 2 + len(src.EXCERPTS)
