"""hk_screening on its snapshot: real figures, both sources kept, one charted per year."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.build import run_parser
from etl.errors import SourceError
from etl.source import FetchedFile
from etl.sources import hk_screening as src
from tests.conftest import local_file


def _fetched(path: Path) -> dict[str, FetchedFile]:
    return {src.FILE: local_file(src.ID, src.FILE, path, None)}


@pytest.fixture(scope="module")
def parsed(shared_raw: Path):
    return run_parser(src.SOURCE, _fetched(shared_raw / src.ID / src.FILE))


def _one(obs: pd.DataFrame, code: str, year: int, **match) -> pd.DataFrame:
    rows = obs[(obs["indicator"] == code) & (obs["year"] == year)]
    for col, val in match.items():
        rows = rows[rows[col] == val]
    return rows


def test_every_row_of_the_file_is_loaded(parsed, shared_raw: Path) -> None:
    raw = pd.read_csv(shared_raw / src.ID / src.FILE)
    assert len(parsed.observations) == len(raw) == 12
    assert parsed.rows_per_file == {src.FILE: 12}
    assert set(parsed.observations["area_code"]) == {"HKG"}
    assert parsed.observations["quote"].str.len().min() > 20


def test_2023_screened_around_11000_with_three_victims(parsed) -> None:
    obs = parsed.observations
    scr = _one(obs, "hk_initial_screenings", 2023)
    assert len(scr) == 1
    assert scr["value"].iloc[0] == 11000
    assert scr["qualifier"].iloc[0] == "approximately"  # "Around 11,000" in the statement
    assert scr["note"].iloc[0].startswith(src.CHARTED)  # the only 2023 figure
    assert "news.gov.hk" in scr["cited_url"].iloc[0]
    vic = _one(obs, "hk_victims_identified_screening", 2023)
    assert vic["value"].tolist() == [3.0]
    assert "only three victims were identified" in vic["quote"].iloc[0]


def test_2021_exact_tip_figure_charted_rounded_government_figure_kept(parsed) -> None:
    obs = parsed.observations
    scr = _one(obs, "hk_initial_screenings", 2021)
    assert sorted(scr["value"]) == [7678.0, 7700.0]
    exact = scr[scr["value"] == 7678]
    rounded = scr[scr["value"] == 7700]
    assert exact["note"].iloc[0].startswith(src.CHARTED)
    assert exact["qualifier"].isna().all()
    assert "state.gov/reports/2022-trafficking-in-persons-report/hong-kong" in \
        exact["cited_url"].iloc[0]
    assert "7,678" in exact["quote"].iloc[0]
    assert rounded["note"].iloc[0].startswith(src.NOT_CHARTED)
    assert rounded["qualifier"].iloc[0] == "approximately"
    assert "7,678" in rounded["note"].iloc[0]  # says which figure the chart uses
    assert _one(obs, "hk_victims_identified_screening", 2021)["value"].tolist() == [1.0]
    assert sorted(_one(obs, "hk_initial_screenings", 2020)["value"]) == [6900.0, 6912.0]


def test_exactly_one_charted_row_per_series_and_year(parsed) -> None:
    obs = parsed.observations
    charted = obs[obs["note"].str.startswith(src.CHARTED)]
    assert not charted.duplicated(["indicator", "year"]).any()
    assert set(map(tuple, charted[["indicator", "year"]].values)) == set(
        map(tuple, obs[["indicator", "year"]].drop_duplicates().values))


def test_gaps_stay_gaps(parsed) -> None:
    scr = parsed.observations[parsed.observations["indicator"] == "hk_initial_screenings"]
    assert sorted(scr["year"].unique()) == [2020, 2021, 2023]  # 2016, 2019, 2022: no figure
    assert (parsed.observations["value"] > 0).all()


def test_indicators_say_what_they_count(parsed) -> None:
    ind = parsed.indicators.set_index("code")
    assert set(ind.index) == {"hk_initial_screenings", "hk_victims_identified_screening",
                              "hk_victims_identified_total"}
    assert "screen" in ind.loc["hk_initial_screenings", "what_counts"].lower()
    assert ind["definition"].str.len().min() > 50


def test_bad_value_names_file_column_and_value(tmp_path: Path, shared_raw: Path) -> None:
    text = (shared_raw / src.ID / src.FILE).read_text(encoding="utf-8")
    bad = tmp_path / src.FILE
    bad.write_text(text.replace(",7678,", ",7.678k,", 1), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        run_parser(src.SOURCE, _fetched(bad))
    msg = str(err.value)
    assert "hk_screening" in msg and "figures.csv" in msg and "'value'" in msg
    assert "7.678k" in msg and "row 2" in msg


def test_in_built_database_with_provenance(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        src_row = con.execute(
            "SELECT address, sha256, rows FROM sources WHERE source_id = 'hk_screening/figures.csv'"
        ).fetchone()
        assert src_row[0] is None and len(src_row[1]) == 64 and src_row[2] == 12
        val = con.execute(
            "SELECT value FROM observations WHERE indicator = 'hk_initial_screenings' "
            "AND year = 2021 AND note LIKE 'Charted:%'").fetchall()
        assert val == [(7678.0,)]
    finally:
        con.close()
