"""referral-funnels on its snapshot: one indicator per definition, every UK revision kept with
its edition, the latest official one preferred, non-official disagreements recorded, Japan's two
counts apart; bad input fails with the row and column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.build import run_parser
from etl.errors import SourceError
from etl.source import FetchedFile
from etl.sources import referral_funnels as src
from tests.conftest import local_file

UK_2023_ANNEX = src.UK_PUBLICATIONS[next(u for u in src.UK_PUBLICATIONS if "annex" in u)]


def _fetched(path: Path) -> dict[str, FetchedFile]:
    return {src.FILE: local_file(src.ID, src.FILE, path, None)}


@pytest.fixture(scope="module")
def parsed(shared_raw: Path):
    return run_parser(src.SOURCE, _fetched(shared_raw / src.ID / src.FILE))


def _rows(obs: pd.DataFrame, code: str, year: int) -> pd.DataFrame:
    return obs[(obs["indicator"] == code) & (obs["year"] == year)]


def test_row_counts_per_indicator(parsed) -> None:
    obs = parsed.observations
    assert len(obs) == 76 and parsed.rows_per_file == {src.FILE: 76}
    assert obs.groupby("indicator").size().to_dict() == {
        "uk_nrm_referrals": 29, "uk_nrm_rg_decisions": 4, "uk_nrm_rg_positive": 1,
        "uk_nrm_rg_positive_share": 4, "uk_nrm_cg_decisions": 4, "uk_nrm_cg_positive_share": 4,
        "uk_nrm_awaiting_cg": 1, "uk_dtn_reports": 4, "jp_npa_victims_identified": 9,
        "jp_isa_victims_protected": 5, "sg_victims_identified": 5,
        "us_t1_applications_received": 4, "us_t_applications_approved": 1,
        "us_t_applications_denied": 1}
    assert set(obs["area_code"]) == {"GBR", "JPN", "SGP", "USA"}
    assert obs["quote"].str.len().min() > 2 and obs["cited_url"].str.startswith("http").all()
    # Every figure has exactly one preferred statement.
    pref = obs[obs["preferred"]]
    assert not pref.duplicated(["indicator", "area_code", "year"]).any()
    assert len(pref) == len(obs.drop_duplicates(["indicator", "area_code", "year"]))


def test_codes_do_not_collide_with_other_sources(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        theirs = {r[0] for r in con.execute(
            "SELECT code FROM indicators WHERE dataset <> ?", [src.ID]).fetchall()}
        ours = {r[0]: r[1] for r in con.execute(
            "SELECT code, unit FROM indicators WHERE dataset = ?", [src.ID]).fetchall()}
    finally:
        con.close()
    assert len(ours) == 14 and not theirs & set(ours)
    assert ours["uk_nrm_rg_positive_share"] == ours["uk_nrm_cg_positive_share"] == \
        "percent of decisions"
    assert ours["uk_nrm_referrals"] == "potential victims referred"
    assert ours["uk_nrm_rg_decisions"] == "decisions"


def test_uk_2023_referrals_as_the_latest_revision_states_them(parsed) -> None:
    rows = _rows(parsed.observations, "uk_nrm_referrals", 2023)
    assert sorted(rows["value"]) == [16990.0, 17004.0]
    best = rows[rows["preferred"]].iloc[0]
    assert best["value"] == 16990
    assert best["edition"] == UK_2023_ANNEX.edition
    assert "from 16,990 in the previous year to reach 19,125" in best["quote"]
    assert "revises 17,004" in best["preferred_reason"]
    first = rows[~rows["preferred"]].iloc[0]
    assert first["value"] == 17004 and first["edition"].endswith("end-of-year summary 2023")
    assert "earlier official release, revised to 16,990" in first["preferred_reason"]


def test_revision_history_kept_and_one_preferred_per_year(parsed) -> None:
    obs = parsed.observations
    ref = obs[obs["indicator"] == "uk_nrm_referrals"]
    assert sorted(ref["year"].unique()) == list(range(2009, 2025))
    pref = ref[ref["preferred"]].set_index("year")["value"]
    assert pref.to_dict() == {
        2009: 534, 2010: 712, 2011: 945, 2012: 1183, 2013: 1745, 2014: 2339, 2015: 3262,
        2016: 3804, 2017: 5142, 2018: 6993, 2019: 10611, 2020: 10601, 2021: 12706,
        2022: 16921, 2023: 16990, 2024: 19125}
    # Earlier official releases, kept beside the revision.
    kept = ref[~ref["preferred"]].set_index(["year", "value"])["edition"]
    assert kept[(2009, 527)] == "Hansard written answer, 14 January 2010"
    assert kept[(2013, 1746)] == "NCA 2013 NRM data release"
    assert kept[(2021, 12727)].endswith("end-of-year summary 2021")
    assert kept[(2022, 16938)].endswith("end-of-year summary 2022")
    assert (2016, 3804) in kept.index  # the 2017 written answer agrees with the NCA's 3,804
    assert ref["edition"].notna().all()


def test_disagreements_that_are_not_revisions_are_conflicts(parsed) -> None:
    conf = parsed.observation_conflicts
    got = {(int(r.year), r.value, r.chosen_value) for r in conf.itertuples(index=False)}
    assert got == {(2014, 2340, 2339), (2015, 3266, 3262), (2016, 3805, 3804),
                   (2017, 5146, 5142)}
    assert set(conf["indicator"]) == {"uk_nrm_referrals"}
    assert conf.loc[conf["year"] == 2017, "edition"].iloc[0] == \
        "2018 TIP report (US Department of State)"
    assert conf["reason"].str.contains("not an official revision").all()
    # Official revisions (e.g. 2023: 17,004 -> 16,990) are not conflicts.
    assert 2023 not in set(conf["year"]) and 2009 not in set(conf["year"])


def test_japan_two_counts_stay_separate(parsed) -> None:
    obs = parsed.observations
    npa = obs[obs["indicator"] == "jp_npa_victims_identified"]
    isa = obs[obs["indicator"] == "jp_isa_victims_protected"]
    assert _rows(obs, "jp_npa_victims_identified", 2021)["value"].tolist() == [42.0]
    assert _rows(obs, "jp_isa_victims_protected", 2021)["value"].tolist() == [11.0]
    assert sorted(isa["year"]) == [2005, 2019, 2020, 2021, 2022]
    assert sorted(npa["year"].unique()) == [2006, 2007, 2011, 2012, 2015, 2016, 2018, 2021]
    both_2007 = _rows(obs, "jp_npa_victims_identified", 2007)
    assert both_2007["value"].tolist() == [43.0, 43.0]
    # The Cabinet Office white paper is preferred over the news summary of the same figure.
    assert "gender.go.jp" in both_2007.loc[both_2007["preferred"], "cited_url"].iloc[0]
    assert "被害者の総数は43人" in both_2007.loc[both_2007["preferred"], "quote"].iloc[0]
    defs = parsed.indicators.set_index("code")
    assert "never" in defs.loc["jp_isa_victims_protected", "what_counts"]


def test_shares_singapore_and_approximate_decisions(parsed) -> None:
    obs = parsed.observations
    assert _rows(obs, "uk_nrm_rg_positive_share", 2024)["value"].tolist() == [53.0]
    assert _rows(obs, "uk_nrm_cg_positive_share", 2024)["value"].tolist() == [56.0]
    assert _rows(obs, "uk_nrm_cg_decisions", 2024)["value"].tolist() == [17304.0]
    rg22 = _rows(obs, "uk_nrm_rg_decisions", 2022).iloc[0]
    cg22 = _rows(obs, "uk_nrm_cg_decisions", 2022).iloc[0]
    assert (rg22["value"], rg22["qualifier"]) == (17000, "almost")
    assert (cg22["value"], cg22["qualifier"]) == (6000, "more than")
    assert _rows(obs, "uk_nrm_rg_decisions", 2021)["qualifier"].isna().all()
    assert _rows(obs, "sg_victims_identified", 2022)["value"].tolist() == [29.0]
    assert _rows(obs, "us_t1_applications_received", 2024)["value"].tolist() == [15332.0]
    assert _rows(obs, "uk_dtn_reports", 2024)["value"].tolist() == [5598.0]


def test_definitions_say_a_referral_is_not_an_identification(parsed) -> None:
    defs = parsed.indicators.set_index("code")
    assert "not a finding that the person is a victim" in defs.loc["uk_nrm_referrals",
                                                                  "what_counts"]
    assert "closest equivalent of an 'identified victim'" in defs.loc[
        "uk_nrm_cg_positive_share", "what_counts"]
    assert defs["definition"].str.len().min() > 60


def test_loaded_into_the_database(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        n, n_pref = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE preferred) FROM observations "
            "WHERE source_id = 'referral-funnels/funnels.csv'").fetchone()
        conflicts = con.execute(
            "SELECT count(*) FROM observation_conflicts WHERE source_id LIKE 'referral-funnels/%'"
        ).fetchone()[0]
        row = con.execute(
            "SELECT value, edition FROM observations WHERE indicator = 'uk_nrm_referrals' "
            "AND year = 2022 AND preferred").fetchone()
        rows = con.execute("SELECT rows FROM sources WHERE dataset = ?", [src.ID]).fetchone()
    finally:
        con.close()
    assert (n, n_pref, conflicts) == (76, 62, 4)
    assert row == (16921.0, "Home Office NRM and DtN statistics, end-of-year summary 2023")
    assert rows == (76,)


def _bad_copy(shared_raw: Path, tmp_path: Path, edit) -> Path:
    frame = pd.read_csv(shared_raw / src.ID / src.FILE, dtype=str, keep_default_na=False)
    edit(frame)
    path = tmp_path / src.FILE
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(("edit", "column", "message"), [
    (lambda f: f.loc.__setitem__((3, "value"), "1,183"), "value", "not a whole number"),
    (lambda f: f.loc.__setitem__((71, "indicator"), "victims_guessed"), "indicator",
     "unknown indicator"),
    (lambda f: f.loc.__setitem__((71, "jurisdiction"), "Japan"), "jurisdiction",
     "defined for SGP only"),
    (lambda f: f.loc.__setitem__((2, "source_url"), "https://example.org/nrm"), "source_url",
     "not classified"),
    (lambda f: f.loc.__setitem__((5, "quote"), "2014 the figure"), "quote",
     "does not contain the figure"),
    (lambda f: f.loc.__setitem__((33, "value"), "130"), "value", "above 100 percent"),
])
def test_bad_input_names_row_and_column(shared_raw: Path, tmp_path: Path, edit, column: str,
                                        message: str) -> None:
    path = _bad_copy(shared_raw, tmp_path, edit)
    with pytest.raises(SourceError) as err:
        run_parser(src.SOURCE, _fetched(path))
    assert err.value.column == column and err.value.row is not None
    assert message in str(err.value) and "[referral-funnels]" in str(err.value)


def test_missing_column(shared_raw: Path, tmp_path: Path) -> None:
    path = _bad_copy(shared_raw, tmp_path, lambda f: f.drop(columns="quote", inplace=True))
    with pytest.raises(SourceError, match="expected column missing") as err:
        run_parser(src.SOURCE, _fetched(path))
    assert err.value.column == "quote"
