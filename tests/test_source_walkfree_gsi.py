"""Walk Free's Global Slavery Index 2023 workbook: real values, gaps as gaps, broken input."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from etl.build import run_parser
from etl.errors import SourceError
from etl.fetch import Fetcher
from etl.source import FetchedFile
from etl.sources import walkfree_gsi as gsi


@pytest.fixture(scope="module")
def obs(shared_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    fetcher = Fetcher(mirror=str(shared_raw), cache_dir=tmp_path_factory.mktemp("cache"))
    parsed = run_parser(gsi.SOURCE, fetcher.fetch_source(gsi.SOURCE))
    assert parsed.rows_per_file == {gsi.FILE: 180}
    return parsed.observations


def _wide(obs: pd.DataFrame) -> pd.DataFrame:
    totals = obs[obs["breakdown_dim"] == "total"]
    return totals.pivot(index="area_code", columns="indicator", values="value")


def test_one_row_per_country_and_headline_sum(obs: pd.DataFrame) -> None:
    wide = _wide(obs)
    assert len(wide) == 180 and (obs["area_kind"] == "jurisdiction").all()
    assert set(obs["year"]) == {2021}
    assert wide["gsi2023_prevalence"].notna().sum() == 160
    assert wide["gsi2023_number"].sum() == 49_630_000  # the 49.6 million global headline
    assert (obs["indicator"] == "gsi2023_government_response").sum() == 176 * 6


def test_published_country_values(obs: pd.DataFrame) -> None:
    wide = _wide(obs)
    assert round(wide.at["PRK", "gsi2023_prevalence"], 1) == 104.6
    assert wide.at["PRK", "gsi2023_number"] == 2_696_000
    assert round(wide.at["HKG", "gsi2023_prevalence"], 2) == 2.76
    assert wide.at["HKG", "gsi2023_number"] == 21_000
    assert wide.at["HKG", "gsi2023_population"] == 7_497_000
    assert round(wide.at["HKG", "gsi2023_government_response"], 1) == 32.1
    assert wide.at["IND", "gsi2023_number"] == 11_050_000
    top = wide["gsi2023_prevalence"].nlargest(3).round(1)
    assert top.to_dict() == {"PRK": 104.6, "ERI": 90.3, "MRT": 32.0}
    # Negative government response survives validation (harmful policies subtract).
    assert round(wide.at["PRK", "gsi2023_government_response"], 1) == -2.6


def test_number_matches_prevalence_times_population(obs: pd.DataFrame) -> None:
    wide = _wide(obs).dropna(subset=["gsi2023_prevalence", "gsi2023_population"])
    implied = wide["gsi2023_prevalence"] * wide["gsi2023_population"] / 1000
    assert ((implied - wide["gsi2023_number"]).abs() <= 500).all()  # numbers rounded to 1,000


def test_no_estimate_means_no_row_never_zero(obs: pd.DataFrame) -> None:
    wide = _wide(obs)
    for iso in ("ISL", "LUX", "MLT", "BHS", "FJI"):
        assert pd.isna(wide.at[iso, "gsi2023_prevalence"])
        assert pd.isna(wide.at[iso, "gsi2023_number"])
    assert not ((obs["indicator"] == "gsi2023_prevalence") & (obs["area_code"] == "ISL")).any()
    assert pd.notna(wide.at["ISL", "gsi2023_government_response"])  # assessed, no estimate
    # Population 0 is Walk Free's '-': missing, not loaded; Kosovo keeps its estimate.
    pops = obs[obs["indicator"] == "gsi2023_population"]
    assert not pops["area_code"].isin(["CPV", "XKX", "LIE", "PLW"]).any()
    assert (pops["value"] > 0).all()
    assert round(wide.at["XKX", "gsi2023_prevalence"], 1) == 8.0
    assert wide.at["XKX", "gsi2023_number"] == 14_000
    # Not assessed (conflict): no government-response row.
    for iso in ("AFG", "SSD", "SYR", "YEM"):
        assert pd.isna(wide.at[iso, "gsi2023_government_response"])


def test_values_are_the_workbooks_numbers(obs: pd.DataFrame, shared_raw: Path) -> None:
    """Each loaded value is its cell's number exactly as openpyxl reads it (bit for bit), at
    the row the observation names."""
    book = openpyxl.load_workbook(shared_raw / gsi.ID / gsi.FILE, read_only=True,
                                  data_only=True)
    try:
        cells = list(book[gsi.SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    header = list(cells[gsi.HEADER_ROW])
    for r in obs.itertuples():
        column = r.note.split(", column '", 1)[1].removesuffix("'.")
        line = cells[r.row - 1]
        assert str(line[header.index(gsi.COUNTRY)]).strip() == r.area_as_published
        assert float(line[header.index(column)]) == r.value, (r.area_code, column)
    assert len(obs) == 2_512  # 176 + 160 + 160 + 160 × 6 + 176 × 6


def test_provenance_and_licence() -> None:
    assert "all rights reserved" in gsi.SOURCE.licence.lower()
    assert "attribution" in gsi.SOURCE.licence
    spec = gsi.SOURCE.files[0]
    assert spec.sha256 == gsi.SHA256
    assert "057bd735562d66f6e1110bd6b82f34e7e6a4103a" in spec.url


def _workbook(tmp: Path, rows: list[list], header: list[str] | None = None,
              sheet: str = gsi.SHEET) -> dict[str, FetchedFile]:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([None])
    ws.append(["Source: Walk Free 2023"])
    ws.append(header or gsi.COLUMNS)
    for r in rows:
        ws.append(r)
    path = tmp / gsi.FILE
    wb.save(path)
    return {gsi.FILE: FetchedFile(source=gsi.ID, name=gsi.FILE, path=path, url=None,
                                  fetched_from=str(path), via="test", sha256="x",
                                  bytes=path.stat().st_size, retrieved_at="2026-01-01")}


def _row(country: str, prevalence: object = 2.5, number: object = 1000, population: int = 400000,
         response: object = 40.0) -> list:
    return [country, population, "Europe and Central Asia", prevalence, number,
            *[10.0] * 5, 20.0, *[30.0] * 5, response]


def test_fixture_gaps_and_values(tmp_path: Path) -> None:
    files = _workbook(tmp_path, [_row("Iceland", None, None, 0, 50.0), _row("Malta")])
    out = gsi.parse(files).observations
    assert set(out.loc[out["area_code"] == "ISL", "indicator"]) == {
        "gsi2023_vulnerability", "gsi2023_government_response"}
    assert out.loc[(out["area_code"] == "MLT") & (out["indicator"] == "gsi2023_number"),
                   "value"].tolist() == [1000.0]


def test_text_in_a_number_cell_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        gsi.parse(_workbook(tmp_path, [_row("Malta", prevalence="n/a")]))
    assert err.value.column == gsi.PREVALENCE and err.value.value == "n/a"
    assert err.value.row == 4 and "Malta" in str(err.value)


def test_renamed_column_and_missing_sheet(tmp_path: Path) -> None:
    header = [c if c != gsi.NUMBER else "Number of people" for c in gsi.COLUMNS]
    with pytest.raises(SourceError, match="expected column missing") as err:
        gsi.parse(_workbook(tmp_path, [_row("Malta")], header=header))
    assert err.value.column == gsi.NUMBER
    with pytest.raises(SourceError, match="sheet missing"):
        gsi.parse(_workbook(tmp_path, [_row("Malta")], sheet="Summary"))


def test_unknown_country_name_fails_the_source(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="Atlantis"):
        run_parser(gsi.SOURCE, _workbook(tmp_path, [_row("Atlantis")]))


def test_loaded_through_the_http_mirror(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        src = con.execute("SELECT sha256, rows, via, published, address FROM sources "
                          "WHERE dataset = ?", [gsi.ID]).fetchall()
        assert src == [(gsi.SHA256, 180, "mirror-http", True, gsi.SOURCE.files[0].url)]
        n = con.execute("SELECT sum(value) FROM observations WHERE indicator = ?",
                        ["gsi2023_number"]).fetchone()[0]
        assert n == 49_630_000
        names = dict(con.execute(
            "SELECT iso3, name FROM jurisdictions WHERE iso3 IN ('HKG', 'PRK', 'XKX')").fetchall())
        assert set(names) == {"HKG", "PRK", "XKX"}
    finally:
        con.close()
