"""Hong Kong figures (hk_screening, hk-screening-more, hk-government-figures) on their
snapshots: real figures, every statement kept, one preferred per year across sources."""

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
    assert scr["note"].iloc[0].startswith("Stated by HKSAR Government (news.gov.hk)")
    assert "news.gov.hk" in scr["cited_url"].iloc[0]
    vic = _one(obs, "hk_victims_identified_screening", 2023)
    assert vic["value"].tolist() == [3.0]
    assert "only three victims were identified" in vic["quote"].iloc[0]


def test_2021_exact_tip_figure_and_rounded_government_figure_both_kept(parsed) -> None:
    obs = parsed.observations
    scr = _one(obs, "hk_initial_screenings", 2021)
    assert sorted(scr["value"]) == [7678.0, 7700.0]
    exact = scr[scr["value"] == 7678]
    rounded = scr[scr["value"] == 7700]
    assert exact["edition"].iloc[0] == "2022 TIP report"
    assert exact["qualifier"].isna().all()
    assert "state.gov/reports/2022-trafficking-in-persons-report/hong-kong" in \
        exact["cited_url"].iloc[0]
    assert "7,678" in exact["quote"].iloc[0]
    assert rounded["edition"].isna().all()  # a government statement, not a TIP edition
    assert rounded["qualifier"].iloc[0] == "approximately"
    assert "rounded figure" in rounded["note"].iloc[0]
    assert _one(obs, "hk_victims_identified_screening", 2021)["value"].tolist() == [1.0]
    assert sorted(_one(obs, "hk_initial_screenings", 2020)["value"]) == [6900.0, 6912.0]


def test_notes_say_who_states_a_figure_and_decide_nothing(parsed) -> None:
    notes = parsed.observations["note"]
    assert notes.str.startswith("Stated by ").all()
    assert not notes.str.contains("Charted", case=False).any()


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
            "AND year = 2021 AND preferred").fetchall()
        assert val == [(7678.0,)]
    finally:
        con.close()


# --- hk-screening-more and hk-government-figures, and the choice across all three ----------

from etl.sources import hk_screening_gov as gov  # noqa: E402
from etl.sources import hk_screening_more as more  # noqa: E402


@pytest.fixture(scope="module")
def more_obs(shared_raw: Path) -> pd.DataFrame:
    path = shared_raw / more.ID / more.FILE
    return run_parser(more.SOURCE, {more.FILE: local_file(more.ID, more.FILE, path)}).observations


@pytest.fixture(scope="module")
def gov_parsed(shared_raw: Path):
    path = shared_raw / gov.SUBDIR / gov.FILE
    return run_parser(gov.SOURCE, {gov.FILE: local_file(gov.ID, gov.FILE, path)})


def test_more_figures_2019_2022_2024(more_obs: pd.DataFrame) -> None:
    assert len(more_obs) == 11
    scr = more_obs[more_obs["indicator"] == "hk_initial_screenings"]
    by_year = scr.groupby("year")["value"].apply(sorted).to_dict()
    assert by_year == {2019: [7000.0, 7500.0], 2022: [7600.0], 2024: [11300.0, 11300.0]}
    y2024 = scr[scr["year"] == 2024]
    assert (y2024["qualifier"] == "approximately").all()  # "around 11,300"
    assert any("around 11,300" in q for q in y2024["quote"])
    y2019 = scr[scr["year"] == 2019]
    assert (y2019["qualifier"] == "more than").all()  # lower bounds: "more than 7,500"
    tip = y2019[y2019["value"] == 7000].iloc[0]
    assert tip["edition"] == "2020 TIP report"  # the TIP chapter copy on thefederalnewswire
    vic = more_obs[more_obs["indicator"] == "hk_victims_identified_screening"]
    assert vic.groupby("year")["value"].apply(sorted).to_dict() == {
        2019: [3.0], 2022: [32.0], 2024: [8.0, 8.0]}
    total = more_obs[more_obs["indicator"] == "hk_victims_identified_total"]
    assert dict(zip(total["year"], total["value"], strict=True)) == {2016: 36.0, 2015: 16.0}
    assert set(total["edition"]) == {"2017 TIP report"}  # HKFP citing the 2017 report


def test_government_figures_share_and_cases_are_their_own_indicators(gov_parsed) -> None:
    obs = gov_parsed.observations
    assert len(obs) == 10 and gov_parsed.rows_per_file == {gov.FILE: 10}
    share = obs[obs["indicator"] == "hk_victims_identified_share_screened"]
    assert share[["year", "value", "qualifier"]].values.tolist() == [[2017, 0.2, "less than"]]
    assert "Less than 0.2 percent" in share["quote"].iloc[0]
    cases = obs[obs["indicator"] == "hk_trafficking_cases_reported"]
    assert dict(zip(cases["year"], cases["value"], strict=True)) == {
        2005: 3.0, 2006: 3.0, 2007: 4.0, 2008: 1.0}
    ind = gov_parsed.indicators.set_index("code")
    assert ind.loc["hk_trafficking_cases_reported", "unit"] == "cases"
    assert ind.loc["hk_victims_identified_share_screened", "unit"] == "percent"
    assert set(ind.index) == {"hk_trafficking_cases_reported",
                              "hk_victims_identified_share_screened"}


def test_unit_that_does_not_fit_the_indicator_is_refused(tmp_path: Path, shared_raw: Path) -> None:
    text = (shared_raw / gov.SUBDIR / gov.FILE).read_text(encoding="utf-8")
    bad = tmp_path / gov.FILE
    bad.write_text(text.replace("4,cases,", "4,persons,", 1), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        run_parser(gov.SOURCE, {gov.FILE: local_file(gov.ID, gov.FILE, bad)})
    msg = str(err.value)
    assert gov.ID in msg and "hk_figures.csv" in msg and "'unit'" in msg and "persons" in msg


def _preferred(con: duckdb.DuckDBPyConnection, code: str) -> dict[int, tuple]:
    rows = con.execute(
        "SELECT year, value, qualifier, source_id, preferred_reason FROM observations "
        "WHERE indicator = ? AND area_code = 'HKG' AND preferred ORDER BY year", [code]).fetchall()
    years = [r[0] for r in rows]
    assert len(years) == len(set(years)), f"two preferred rows in one year for {code}"
    return {r[0]: r[1:] for r in rows}


def test_preferred_across_sources_in_built_database(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        scr = _preferred(con, "hk_initial_screenings")
        assert sorted(scr) == [2019, 2020, 2021, 2022, 2023, 2024]
        assert scr[2024][:2] == (11300.0, "approximately")
        assert "no exact figure" in scr[2024][3]
        assert scr[2020][:2] == (6912.0, None)  # exact TIP figure over 'over 6,900' ×2, '6,900'
        assert "exact figure preferred" in scr[2020][3]
        # Only lower bounds for 2019: the highest (the HKSAR's 7,500) over the TIP's 7,000.
        assert scr[2019][:2] == (7500.0, "more than") and "strongest bound" in scr[2019][3]
        vic = _preferred(con, "hk_victims_identified_screening")
        assert {y: v[0] for y, v in vic.items()} == {
            2017: 9.0, 2018: 18.0, 2019: 3.0, 2020: 3.0, 2021: 1.0, 2022: 32.0, 2023: 3.0,
            2024: 8.0}
        # 2019 victims: three in the TIP chapter and in the HKSAR statement; the TIP's charted.
        assert vic[2019][2] == "hk-screening-more/figures.csv"
        assert "US TIP report" in vic[2019][3]
        losers = con.execute(
            "SELECT count(*) FROM observations WHERE indicator LIKE 'hk_%' AND NOT preferred "
            "AND preferred_reason LIKE 'not charted:%'").fetchone()[0]
        assert losers == 10  # 2019 ×2, 2020 ×3, 2021, 2024 screenings; 2019, 2020, 2024 victims
        assert con.execute("SELECT count(*) FROM observation_conflicts WHERE indicator LIKE "
                           "'hk_%'").fetchone()[0] == 0  # no two statements contradict
        rows = {r[0]: r[1] for r in con.execute(
            "SELECT source_id, rows FROM sources WHERE dataset IN ('hk_screening', "
            "'hk-screening-more', 'hk-government-figures')").fetchall()}
        assert rows == {"hk_screening/figures.csv": 12, "hk-screening-more/figures.csv": 11,
                        "hk-government-figures/hk_figures.csv": 10}
    finally:
        con.close()
