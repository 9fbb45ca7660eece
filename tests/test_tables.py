"""etl/tables.py: pandera schemas, read_table(), and their failures as SourceError.

Small files written here for the reader's own rules; real snapshots (one or several bad cells)
for what an analyst sees: the first failure in the error's fields, every other one in the
message, each with its true CSV line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import build, tables, validate
from etl.errors import SourceError
from etl.sources import eurostat_thb_quoted, government_responses, tip_global_law_enforcement
from etl.sources import tip_tier_pages as pages
from tests.conftest import local_file
from tests.test_bad_parsers import _files, _line, set_cell

SCHEMA = tables.input_schema(["name", "year"], strict=True, rules={
    "year": [tables.digits("year is not a number", key="test_tables: year",
                           shown=tables.stripped)],
})


def _read(tmp_path: Path, text: str, schema=SCHEMA, **kwargs) -> pd.DataFrame:
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    return tables.read_table("s", local_file("s", "f.csv", path), schema, **kwargs)


def _fails(tmp_path: Path, text: str, **kwargs) -> SourceError:
    with pytest.raises(SourceError) as info:
        _read(tmp_path, text, **kwargs)
    assert info.value.source == "s" and info.value.file == "f.csv"
    return info.value


def test_read_table_keeps_text_and_editor_lines(tmp_path: Path) -> None:
    frame = _read(tmp_path, 'name,year\n"N/A\nsplit",2001\n\nnan,0042\n')
    assert frame["name"].tolist() == ["N/A\nsplit", "nan"]  # no NA guessing
    assert frame["year"].tolist() == ["2001", "0042"]  # no number guessing
    assert frame["row"].tolist() == [2, 5]


def test_missing_columns_are_all_named(tmp_path: Path) -> None:
    err = _fails(tmp_path, "other\nx\n")
    assert err.detail == tables.MISSING and err.column == "name, year"


def test_unexpected_columns(tmp_path: Path) -> None:
    err = _fails(tmp_path, "name,year,extra,more\nx,2001,1,2\n")
    assert "unexpected columns" in err.detail and err.column == "extra, more"


def test_empty_file_message(tmp_path: Path) -> None:
    assert _read(tmp_path, "name,year\n").empty
    assert _fails(tmp_path, "name,year\n", empty="no rows").detail == "no rows"


def test_damaged_text_is_named_before_reading(tmp_path: Path) -> None:
    err = _fails(tmp_path, "name,year\nChile,2001\nPeru\x00,2002\n")
    assert "NUL byte" in err.detail and (err.row, err.column) == (3, "name")


def test_every_failing_row_in_one_message(tmp_path: Path) -> None:
    err = _fails(tmp_path, "name,year\na,2001\nb, 20x1\nc,2003\nd,n/a\ne,?\n")
    assert (err.row, err.column, err.value) == (3, "year", "20x1")  # first one, trimmed
    assert err.detail.startswith("year is not a number — 2 more failing cells: ")
    assert "row 5, column 'year', value 'n/a'" in err.detail and "row 6" in err.detail


def test_the_list_is_capped(tmp_path: Path) -> None:
    body = "".join(f"x{i},y\n" for i in range(30))
    err = _fails(tmp_path, "name,year\n" + body)
    assert err.row == 2 and "29 more failing cells" in err.detail
    assert f"and {29 - (tables.MAX_LISTED - 1)} more" in err.detail


def test_output_rules_report_rule_by_rule() -> None:
    """Parser output: the first broken rule first (as validate.py always did), then the rest."""
    frame = pd.DataFrame({
        "indicator": "x", "area_code": "CHL", "area_kind": "jurisdiction",
        "year": [2020, 1800, 2021], "breakdown_dim": "total", "breakdown": ["a", "b", "c"],
        "value": [-1.0, 2.0, float("inf")], "qualifier": None, "file": "f.csv", "quote": "q",
        "cited_url": None, "note": None, "row": [7, 8, 9]})
    with pytest.raises(SourceError) as info:
        validate.observations(eurostat_thb_quoted.SOURCE, frame)
    err = info.value
    assert (err.detail.split(" — ")[0], err.row, err.column) == ("year out of range", 8, "year")
    assert "row 9, column 'value', value inf (value is not a finite number)" in err.detail
    assert "row 7, column 'value', value -1.0 (negative value)" in err.detail


def test_one_cell_one_error() -> None:
    """A text in a value cell is 'not a number', not also 'missing without a qualifier'."""
    frame = pd.DataFrame([{"indicator": "x", "area_code": "CHL", "area_kind": "jurisdiction",
                           "year": 2020, "breakdown_dim": "total", "breakdown": "",
                           "value": "about 5", "qualifier": None, "file": "f.csv", "quote": "q",
                           "cited_url": None, "note": None, "row": 3}])
    with pytest.raises(SourceError) as info:
        validate.observations(eurostat_thb_quoted.SOURCE, frame)
    assert info.value.detail == "value is not a number"


# Real snapshots ------------------------------------------------------------------------------

def test_eurostat_two_bad_values_at_once(shared_raw: Path, tmp_path: Path) -> None:
    src, name = eurostat_thb_quoted.SOURCE, eurostat_thb_quoted.FILE

    def edit(data: bytes) -> bytes:
        return set_cell(5, "value", "inf")(set_cell(1, "value", "twelve")(data))

    files = _files(src, shared_raw, tmp_path, {name: edit})
    with pytest.raises(SourceError) as info:
        build.run_parser(src, files)
    err = info.value
    assert (err.source, err.file, err.row, err.column, err.value) == (
        src.id, name, _line(files, name, 1), "value", "twelve")
    assert err.detail.startswith("value is not a number — 1 more failing cell: ")
    assert (f"row {_line(files, name, 5)}, column 'value', value 'inf' (value is not a finite "
            "number)") in err.detail


def test_tier_pages_bad_tier_and_year(shared_raw: Path, tmp_path: Path) -> None:
    def edit(data: bytes) -> bytes:
        return set_cell(4, "report_year", "2O22")(set_cell(2, "tier", "Tier 4")(data))

    files = _files(pages.SOURCE, shared_raw, tmp_path, {pages.CSV: edit})
    with pytest.raises(SourceError) as info:
        build.run_parser(pages.SOURCE, files)
    err = info.value
    assert (err.detail.split(" — ")[0], err.row, err.value) == (
        "unknown tier", _line(files, pages.CSV, 2), "Tier 4")
    assert f"row {_line(files, pages.CSV, 4)}, column 'report_year', value '2O22'" in err.detail


def test_law_enforcement_counts(shared_raw: Path, tmp_path: Path) -> None:
    src = tip_global_law_enforcement
    files = _files(src.SOURCE, shared_raw, tmp_path,
                   {src.FILE: set_cell(0, "Convictions", " 4,1x0 ")})
    with pytest.raises(SourceError) as info:
        build.run_parser(src.SOURCE, files)
    err = info.value
    assert (err.detail, err.column, err.value) == ("not a whole number", "Convictions", "4,1x0")
    assert err.row == _line(files, src.FILE, 0)


def test_government_response_blank_title(shared_raw: Path, tmp_path: Path) -> None:
    src = government_responses
    files = _files(src.SOURCE, shared_raw, tmp_path, {src.CSV: set_cell(2, "title", "  ")})
    with pytest.raises(SourceError) as info:
        build.run_parser(src.SOURCE, files)
    err = info.value
    assert (err.detail, err.column, err.value) == ("title is empty", "title", None)
    assert err.row == _line(files, src.CSV, 2)


# Tables the merge writes, checked in the finished database -----------------------------------

@pytest.fixture
def db_copy(built_db: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "t.duckdb"
    shutil.copyfile(built_db, path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


def test_real_database_passes(db_copy: duckdb.DuckDBPyConnection) -> None:
    validate.database(db_copy)


def test_elimination_without_its_lists(db_copy: duckdb.DuckDBPyConnection) -> None:
    iso3, year, source_id = db_copy.execute(
        "SELECT iso3, report_year, source_id FROM tip_tiers WHERE method = 'elimination' "
        "ORDER BY iso3, report_year LIMIT 1").fetchone()
    db_copy.execute("UPDATE tip_tiers SET derived_from = NULL WHERE iso3 = ? AND report_year = ?",
                    [iso3, year])
    with pytest.raises(SourceError) as info:
        validate.database(db_copy)
    err = info.value
    assert "names no list it rests on" in err.detail and err.column == "derived_from"
    assert f"{err.source}/{err.file}" == source_id


def test_indicator_without_a_unit(db_copy: duckdb.DuckDBPyConnection) -> None:
    db_copy.execute("UPDATE indicators SET unit = '' WHERE code = 'eurostat_registered_victims'")
    with pytest.raises(SourceError) as info:
        validate.database(db_copy)
    err = info.value
    assert (err.source, err.file, err.column) == (eurostat_thb_quoted.ID, "(parser output)",
                                                  "unit")
