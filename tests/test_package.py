"""etl/package.py: the open data package validates and holds every published row."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl import package
from etl.cli import main
from trafficking.text import csv_cell

frictionless = pytest.importorskip("frictionless")


@pytest.fixture(scope="module")
def db_copy(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("pkg") / "trafficking.duckdb"
    shutil.copyfile(built_db, dest)
    return dest


@pytest.fixture(scope="module")
def written(db_copy: Path) -> Path:
    return package.write(db_copy)


def test_validates_with_frictionless(written: Path) -> None:
    # frictionless 5.18's Parquet reader fails on a NULL date (NaT), so the descriptor is
    # validated with its CSV resources; the Parquet row counts are checked below.
    descriptor = json.loads((written / "datapackage.json").read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["format"] == "csv"]
    pkg = frictionless.Package(descriptor, basepath=str(written))
    report = pkg.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    assert len(report.tasks) == len(package.TABLES)


def test_rows_match_the_database(written: Path, db_copy: Path) -> None:
    meta = json.loads((written / "datapackage.json").read_text())
    con = duckdb.connect(str(db_copy), read_only=True)
    counts = {r["path"]: r["rows"] for r in meta["resources"]}
    for table in package.TABLES:
        n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        with (written / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            assert sum(1 for _ in csv.reader(fh)) - 1 == n == counts[f"{table}.csv"]
        assert con.execute(f"SELECT count(*) FROM '{written / (table + '.parquet')}'"
                           ).fetchone()[0] == n
    assert counts["observations.csv"] == 38428
    assert counts["tip_tiers.csv"] == 4189
    assert "meta.csv" not in counts and "etl_runs.csv" not in counts


def test_every_licence_and_dataset_listed(written: Path, db_copy: Path) -> None:
    meta = json.loads((written / "datapackage.json").read_text())
    readme = (written / "README.md").read_text()
    con = duckdb.connect(str(db_copy), read_only=True)
    for dataset, licence in con.execute("SELECT DISTINCT dataset, licence FROM sources").fetchall():
        assert licence in {lic["title"] for lic in meta["licenses"]}
        assert any(f"dataset {dataset}; licence: {licence}" in s["description"]
                   for s in meta["sources"])
        assert licence in readme
    # Where this machine read a file is not public.
    with (written / "sources.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert "fetched_from" not in header and "via" not in header
    with zipfile.ZipFile(written.parent / package.ZIP_NAME) as zf:
        assert "trafficking-data/datapackage.json" in zf.namelist()


def test_formula_neutralised_in_csv_exact_in_parquet(db_copy: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "h.duckdb"
    shutil.copyfile(db_copy, hostile)
    bad = '=HYPERLINK("http://evil.example","x")'
    with duckdb.connect(str(hostile)) as con:
        con.execute("UPDATE jurisdictions SET name = ? WHERE iso3 = 'FRA'", [bad])
    out = package.write(hostile, tmp_path / "package")
    with (out / "jurisdictions.csv").open(encoding="utf-8", newline="") as fh:
        names = {r["iso3"]: r["name"] for r in csv.DictReader(fh)}
    assert names["FRA"] == "'" + bad == csv_cell(bad) == package.csv_cell(bad)
    with duckdb.connect() as con:
        assert con.execute(f"SELECT name FROM '{out / 'jurisdictions.parquet'}' "
                           "WHERE iso3 = 'FRA'").fetchone()[0] == bad


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", 3,
                                   None, "a=b"])
def test_formula_rule_agrees_with_dashboard(value: object) -> None:
    assert package.csv_cell(value) == csv_cell(value)


def test_rewrite_leaves_no_temp_folders(db_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "package"
    package.write(db_copy, out)
    (out / "stale.txt").write_text("from an older package")
    package.write(db_copy, out)
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package", package.ZIP_NAME]


def test_cli_without_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "none.duckdb"), "package"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("PACKAGE FAILED: no database at")
    assert "Traceback" not in err


def test_the_dashboard_looks_for_the_zip_by_the_same_name() -> None:
    from trafficking import datapackage

    assert datapackage.ZIP_NAME == package.ZIP_NAME
