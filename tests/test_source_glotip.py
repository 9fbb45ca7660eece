"""UNODC GLOTIP on its snapshot: '<5' stays censored, duplicate keys settled, real values."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from etl.build import run_parser
from etl.errors import SourceError
from etl.source import FetchedFile
from etl.sources import unodc_glotip as src
from tests.conftest import local_file

HEADER = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category",
          "Sex", "Age", "Year", "Unit of measurement", "txtVALUE", "Source"]


def _fetched(path: Path) -> dict[str, FetchedFile]:
    return {src.FILE: local_file(src.ID, src.FILE, path, src.URL)}


@pytest.fixture(scope="module")
def workbook(shared_raw: Path) -> Path:
    return shared_raw / src.ID / src.FILE


@pytest.fixture(scope="module")
def obs(workbook: Path):
    return run_parser(src.SOURCE, _fetched(workbook)).observations


def _totals(obs, code="glotip_detected_victims"):
    return obs[(obs["indicator"] == code) & (obs["breakdown_dim"] == "total")]


def _value(obs, area: str, year: int, code="glotip_detected_victims"):
    rows = _totals(obs, code)
    rows = rows[(rows["area_code"] == area) & (rows["year"] == year)]
    assert len(rows) == 1
    return rows["value"].iloc[0]


def test_calamine_reader_matches_openpyxl(workbook: Path) -> None:
    """The calamine reader gives the same cells, as text, as openpyxl (first 3,000 rows)."""
    book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    try:
        cells = [["" if c is None else str(c) for c in row]
                 for row in book.worksheets[0].iter_rows(max_row=3000, values_only=True)]
    finally:
        book.close()
    assert cells[2][0] == "Iso3_code"
    expected = pd.DataFrame(cells[3:], columns=cells[2])[src.NEEDED]
    got = src.read_table(_fetched(workbook)[src.FILE])
    assert got.attrs["first_data_line"] == 4  # row 3 is the header
    assert len(got) == 46_556  # the PROVENANCE's row count
    pd.testing.assert_frame_equal(got.head(len(expected)), expected)


def test_na_text_stays_text(workbook: Path) -> None:
    """'N/A' cells are read as the text 'N/A', never as gaps (pandas' default NA strings):
    the 12 in the file are Categories of Tonga's citizenship and repatriation rows."""
    got = src.read_table(_fetched(workbook)[src.FILE])
    assert (got == "N/A").sum().to_dict() == {c: 12 if c == "Category" else 0
                                              for c in src.NEEDED}
    assert set(got.loc[got["Category"] == "N/A", "Country"]) == {"Tonga"}


def test_text_cells_are_the_cells_pandas_reads(workbook: Path) -> None:
    """The direct read of calamine's rows gives exactly pandas' read_excel frame (text cells,
    the Year numbers written as whole numbers, same index and columns) on the snapshot."""
    got = src.text_cells(workbook)
    pd.testing.assert_frame_equal(got, src._read_excel(workbook), check_exact=True,
                                  check_index_type=True, check_column_type=True)
    assert got.iloc[3, 9] == "2010" and got.iloc[2, 0] == "Iso3_code"


def test_text_cells_of_other_cell_types_are_pandas_own(tmp_path: Path) -> None:
    """Numbers of every shape, blanks, a date and a boolean: the same frame as read_excel."""
    import datetime

    path = tmp_path / "cells.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Iso3_code", "Year", "txtVALUE", "x"])
    sheet.append(["LVA", 2020, 0.5, None])
    sheet.append(["LVA", 2020.0, 1e20, -3.0])
    sheet.append(["", 1.5e-7, "<5", 12345678901234.0])
    book.save(path)
    pd.testing.assert_frame_equal(src.text_cells(path), src._read_excel(path), check_exact=True,
                                  check_index_type=True, check_column_type=True)
    sheet.append([datetime.datetime(2023, 5, 30), True, "1,282", "N/A"])
    book.save(path)
    pd.testing.assert_frame_equal(src.text_cells(path), src._read_excel(path), check_exact=True,
                                  check_index_type=True, check_column_type=True)


def test_national_totals_match_provenance_checks(obs) -> None:
    assert [_value(obs, "USA", y) for y in (2018, 2019, 2020, 2021)] == [8913, 8375, 9854, 10070]
    assert [_value(obs, "GBR", y) for y in (2018, 2019, 2020)] == [6985, 10627, 10613]
    assert [_value(obs, "NLD", y) for y in (2018, 2019, 2020)] == [668, 1334, 984]
    assert _value(obs, "LVA", 2020) == 48  # same as Eurostat's 2020 figure
    assert _value(obs, "ROU", 2021) == 505
    totals = _totals(obs)
    assert totals["area_code"].nunique() == 164
    assert (totals["year"].min(), totals["year"].max()) == (2007, 2021)


def test_suppressed_values_never_become_numbers(obs) -> None:
    censored = obs[obs["quote"].str.endswith(": <5")]
    assert len(censored) > 15000
    assert censored["value"].isna().all()
    assert (censored["qualifier"] == src.SUPPRESSED).all()
    # and nothing else carries that qualifier with a number
    assert obs.loc[obs["qualifier"] == src.SUPPRESSED, "value"].isna().all()
    sgp = _totals(obs)
    sgp = sgp[(sgp["area_code"] == "SGP") & (sgp["year"] == 2019)]
    assert sgp["value"].isna().all() and sgp["qualifier"].tolist() == [src.SUPPRESSED]


def test_duplicate_keys_settled_by_the_documented_rules(obs) -> None:
    key = ["indicator", "area_code", "year", "breakdown_dim", "breakdown"]
    assert not obs.duplicated(key).any()
    form = obs[(obs["indicator"] == "glotip_detected_victims") & (obs["breakdown_dim"] == "form")]
    aus = form[(form["area_code"] == "AUS") & (form["year"] == 2017)
               & (form["breakdown"] == src.OTHER_FORMS)]
    assert aus["value"].tolist() == [39.0] and "31, 8" in aus["note"].iloc[0]  # 31 + 8
    alb = form[(form["area_code"] == "ALB") & (form["year"] == 2017)
               & (form["breakdown"] == src.OTHER_FORMS)]
    assert alb["value"].isna().all() and alb["qualifier"].tolist() == [src.SUPPRESSED_PART]
    bol = obs[(obs["indicator"] == "glotip_detected_victims") & (obs["area_code"] == "BOL")
              & (obs["year"] == 2017) & (obs["breakdown_dim"] == "sex")
              & (obs["breakdown"] == "Female")]
    assert bol["value"].isna().all() and bol["qualifier"].tolist() == [src.CONFLICT]
    assert "62, 43" in bol["note"].iloc[0]


def test_unidentified_codes_are_skipped_and_hong_kong_has_no_totals(obs) -> None:
    assert not set(obs["area_code"]) & src.UNNAMED_CODES
    assert obs["area_code"].str.fullmatch(r"[A-Z]{3}").all()
    assert (obs["area_code"] != "HKG").all()  # its 3 rows are repatriation breakdowns


def _tiny_workbook(path: Path, value: str, header_row: int = 1) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(header_row - 1):
        sheet.append(["UNODC"])
    sheet.append(HEADER)
    sheet.append(["LVA", "Latvia", "Europe", "Northern Europe", "Detected trafficking victims",
                  "Total", "Total", "Total", "Total", 2020, "Counts", value, "GLOTIP"])
    sheet.append(["LVA", "Latvia", "Europe", "Northern Europe", "Persons convicted",
                  "Total", "Total", "Total", "Total", 2020, "Counts", "<5", "GLOTIP"])
    book.save(path)
    return path


def test_header_found_without_the_two_title_lines(tmp_path: Path) -> None:
    parsed = run_parser(src.SOURCE, _fetched(_tiny_workbook(tmp_path / src.FILE, "1,282")))
    out = parsed.observations.set_index("indicator")
    assert out.loc["glotip_detected_victims", "value"] == 1282
    assert out.loc["glotip_persons_convicted", "value"] is None
    assert out.loc["glotip_persons_convicted", "qualifier"] == src.SUPPRESSED


@pytest.mark.parametrize(("header_row", "data_row"), [(3, 4), (1, 2)])
def test_bad_value_names_column_value_and_row(tmp_path: Path, header_row: int,
                                              data_row: int) -> None:
    with pytest.raises(SourceError) as err:
        run_parser(src.SOURCE, _fetched(_tiny_workbook(tmp_path / src.FILE, "n/a", header_row)))
    msg = str(err.value)
    assert src.ID in msg and "'txtVALUE'" in msg and "n/a" in msg and f"row {data_row}" in msg


@pytest.mark.parametrize("text", ["N/A", "NA", "null"])
def test_na_strings_are_reported_not_read_as_gaps(tmp_path: Path, text: str) -> None:
    with pytest.raises(SourceError) as err:
        run_parser(src.SOURCE, _fetched(_tiny_workbook(tmp_path / src.FILE, text, 3)))
    assert err.value.column == "txtVALUE" and err.value.value == text and err.value.row == 4


def test_unreadable_workbook_and_missing_header(tmp_path: Path) -> None:
    bad = tmp_path / src.FILE
    bad.write_bytes(b"<html>not a workbook</html>")
    with pytest.raises(SourceError, match="not a readable xlsx workbook"):
        run_parser(src.SOURCE, _fetched(bad))
    book = openpyxl.Workbook()
    book.active.append(["Country", "Indicator"])
    book.save(bad)
    with pytest.raises(SourceError, match="no header row starting with 'Iso3_code'") as err:
        run_parser(src.SOURCE, _fetched(bad))
    assert err.value.column == "Iso3_code"


def test_built_database_keeps_censored_rows_without_numbers(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        bad = con.execute(
            "SELECT count(*) FROM observations WHERE source_id = 'unodc-glotip/data_glotip.xlsx' "
            "AND qualifier LIKE 'suppressed%' AND value IS NOT NULL").fetchone()[0]
        censored = con.execute(
            "SELECT count(*) FROM observations WHERE source_id = 'unodc-glotip/data_glotip.xlsx' "
            "AND qualifier = 'suppressed (<5)'").fetchone()[0]
        address = con.execute(
            "SELECT address FROM sources WHERE dataset = 'unodc-glotip'").fetchone()[0]
    finally:
        con.close()
    assert bad == 0 and censored > 15000
    assert address == src.URL
