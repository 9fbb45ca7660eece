"""Schema v3: what indicators and observations state as columns (series, edition, kind, rate
base, role, totals, breaks), the published view, and the checks on a source's declarations."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import registry, validate
from etl.errors import SourceError
from etl.sources import global_estimates_figures, walkfree_gsi
from trafficking.queries import catalogue as cq


@pytest.fixture(scope="module")
def con(built_db: Path):
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def cat(built_db: Path) -> pd.DataFrame:
    mp = pytest.MonkeyPatch()
    mp.setenv("TRAFFICKING_DB", str(built_db))
    try:
        yield cq.catalogue()
    finally:
        mp.undo()


def _facts(con, code: str) -> tuple:
    return con.execute(
        "SELECT series, edition, edition_year, measure, kind, rate_base, role, label "
        "FROM indicators WHERE code = ?", [code]).fetchone()


def test_a_gems_edition_states_its_edition_and_series(con) -> None:
    assert _facts(con, "gems2022_forced_labour") == (
        "forced_labour", "GEMS 2022", 2022, "forced_labour", "count", None, None,
        "People in forced labour")
    assert _facts(con, "ilo2012_forced_labour_prevalence") == (
        "forced_labour_prevalence", "ILO 2012", 2012, "forced_labour", "rate", 1000.0, None,
        "People in forced labour per 1,000 population")
    # The ILO estimates and both Global Estimates editions are one line of forced labour.
    codes = [c for (c,) in con.execute(
        "SELECT code FROM indicators WHERE series = 'forced_labour' ORDER BY edition_year")
        .fetchall()]
    assert codes == ["ilo2005_forced_labour", "ilo2012_forced_labour",
                     "gems2017_forced_labour", "gems2022_forced_labour"]


def test_rates_state_their_base_and_the_population_its_role(con) -> None:
    assert _facts(con, "gsi2023_prevalence") == (
        "gsi_prevalence", "GSI 2023", 2023, "modern_slavery_prevalence", "rate", 1000.0, None,
        "Estimated prevalence of modern slavery")
    assert _facts(con, "eurostat_registered_victims_per_million")[4:6] == ("rate", 1_000_000.0)
    assert con.execute("SELECT list(code) FROM indicators WHERE role = 'population'"
                       ).fetchone()[0] == ["gsi2023_population"]
    # An unversioned indicator is its own series, labelled by its name.
    assert _facts(con, "uk_nrm_cg_positive_share") == (
        "uk_nrm_cg_positive_share", None, None, "nrm_cg_positive_share", "share", None, None,
        "Share of conclusive-grounds decisions that were positive (UK NRM)")


def test_is_total_marks_totals_and_regions_own_rows(con) -> None:
    rows = dict(con.execute(
        "SELECT breakdown_dim || '|' || area_kind, bool_and(is_total) FROM observations "
        "WHERE indicator = 'gems2022_forced_labour' AND year = 2021 GROUP BY 1").fetchall())
    assert rows["total|world"] is True           # the world headline
    assert rows["region|region"] is True         # a region's own figure
    assert rows["sex|world"] is False            # a breakdown of the world total
    totals, flagged = con.execute(
        "SELECT count(*) FILTER (WHERE breakdown = '' OR (breakdown_dim = 'region' AND "
        "area_kind = 'region')), count(*) FILTER (WHERE is_total) FROM observations").fetchone()
    assert totals == flagged == 7320


def test_no_source_states_a_series_break_today(con) -> None:
    # No note in the snapshots says a definition changed (the dashboard's old regex over notes
    # matched none either); edition changes break lines through indicators.edition.
    assert con.execute("SELECT count(*) FILTER (WHERE series_break), count(*) "
                       "FROM observations").fetchone() == (0, 38428)


def test_sources_store_their_description(con) -> None:
    stored = dict(con.execute("SELECT DISTINCT dataset, description FROM sources").fetchall())
    for sid, source in registry.all_sources().items():
        if sid in stored:
            assert stored[sid] == (source.description or None), sid
    assert stored["referral-funnels"].startswith("One row per published figure")


def test_published_view_carries_source_and_indicator_facts(con) -> None:
    n_view, n_published = con.execute(
        "SELECT (SELECT count(*) FROM published), (SELECT count(*) FROM observations o "
        "JOIN sources s USING (source_id) WHERE s.published)").fetchone()
    assert n_view == n_published == 38428
    row = con.execute(
        "SELECT source_publisher, licence, kind, rate_base, indicator_edition, series "
        "FROM published WHERE indicator = 'gsi2023_prevalence' AND area_code = 'HKG'"
    ).fetchone()
    assert row == ("Walk Free (Minderoo Foundation)", walkfree_gsi.SOURCE.licence, "rate",
                   1000.0, "GSI 2023", "gsi_prevalence")


def test_catalogue_series_come_from_the_columns(cat) -> None:
    table = cq.series_table(cat).set_index("series")
    forced = table.loc["gems2022_forced_labour"]  # the latest edition's code is the series id
    assert forced["codes"] == ["ilo2005_forced_labour", "ilo2012_forced_labour",
                               "gems2017_forced_labour", "gems2022_forced_labour"]
    assert forced["editions"] == ["ILO 2005", "ILO 2012", "GEMS 2017", "GEMS 2022"]
    assert forced["name"] == "People in forced labour"
    assert table.loc["gsi2023_prevalence", "kind"] == "rate"
    assert cq.population_code(cat) == "gsi2023_population"
    one = cat.set_index("code").loc["uk_nrm_referrals"]
    assert (one["edition"], one["series"], one["n_editions"]) == ("", "uk_nrm_referrals", 1)


def _declared() -> pd.DataFrame:
    return walkfree_gsi.INDICATORS.copy()


@pytest.mark.parametrize("column,value,message", [
    ("kind", None, "unknown indicator kind"),
    ("kind", "percent", "unknown indicator kind"),
    ("measure", None, "needs a series, a measure and a label"),
    ("rate_base", None, "a rate needs its base"),
    ("edition_year", None, "an edition needs its year"),
    ("role", "denominator", "unknown indicator role"),
])
def test_a_bad_declaration_fails_its_source(column, value, message) -> None:
    frame = _declared()
    frame.loc[frame["code"] == "gsi2023_prevalence", column] = value
    with pytest.raises(SourceError, match=message) as caught:
        validate.indicators(walkfree_gsi.SOURCE, frame)
    assert "walkfree-gsi-2023" in str(caught.value)


def test_a_share_with_a_rate_base_fails() -> None:
    frame = _declared()
    frame.loc[frame["code"] == "gsi2023_vulnerability", "rate_base"] = 100.0
    with pytest.raises(SourceError, match="only a rate has one"):
        validate.indicators(walkfree_gsi.SOURCE, frame)


def test_codes_of_one_series_must_be_one_measure() -> None:
    frame = global_estimates_figures.catalogue()
    validate.indicators("gems-ilo-estimates-quoted", frame)  # as declared: fine
    frame.loc[frame["code"] == "ilo2005_forced_labour", "unit"] = "percent"
    with pytest.raises(SourceError, match="of one series differ in unit") as caught:
        validate.indicators("gems-ilo-estimates-quoted", frame)
    assert "forced_labour" in str(caught.value)
    frame = global_estimates_figures.catalogue()
    frame.loc[frame["code"] == "ilo2005_forced_labour", "edition"] = "ILO 2012"
    with pytest.raises(SourceError, match="name the same edition"):
        validate.indicators("gems-ilo-estimates-quoted", frame)
