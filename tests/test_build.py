"""etl/build.py on synthetic sources: the two-phase load, with a real DuckDB file and the real
refresh (plan, build, validate, publish); the registry is the only thing replaced."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import build, registry
from etl.source import FetchedFile, Parsed, Source, SourceFile, indicator_frame

VALUES = "a-values"  # sorts first, and uses an indicator that ...
INDICATORS = "z-indicators"  # ... only this source, sorting last, registers
CODE = "z_victims"


def _read(files: dict[str, FetchedFile], name: str) -> list[dict[str, str]]:
    with files[name].path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _observations(rows: list[dict[str, str]], file: str) -> pd.DataFrame:
    return pd.DataFrame([{
        "indicator": r["indicator"], "area_code": r["area_code"], "area_kind": "jurisdiction",
        "year": int(r["year"]), "breakdown_dim": "total", "breakdown": "",
        "value": float(r["value"]), "qualifier": None, "file": file, "quote": r["quote"],
        "cited_url": "https://example.org/report", "note": None, "row": i + 2,
    } for i, r in enumerate(rows)])


def _parse_values(files: dict[str, FetchedFile]) -> Parsed:
    rows = _read(files, "values.csv")
    return Parsed(observations=_observations(rows, "values.csv"),
                  rows_per_file={"values.csv": len(rows)})


def _parse_indicators(files: dict[str, FetchedFile]) -> Parsed:
    rows = _read(files, "indicators.csv")
    indicators = indicator_frame([{
        "code": r["code"], "name": r["name"], "unit": r["unit"], "definition": r["definition"],
        "what_counts": None, "publisher": "Test publisher", "breakdowns": None,
        "measure": r["code"], "kind": "count",
    } for r in rows])
    own = _read(files, "own_values.csv")
    return Parsed(indicators=indicators, observations=_observations(own, "own_values.csv"),
                  rows_per_file={"indicators.csv": len(rows), "own_values.csv": len(own)})


def _source(sid: str, names: tuple[str, ...], parse) -> Source:
    return Source(id=sid, publisher="Test publisher", title=f"Synthetic {sid}",
                  licence="CC BY 4.0", homepage="https://example.org/",
                  files=tuple(SourceFile(n, None) for n in names), parse=parse)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def synthetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A snapshot folder of the two synthetic sources, and a registry holding only them."""
    mirror = tmp_path / "raw"
    _write(mirror / VALUES / "values.csv", [
        {"indicator": CODE, "area_code": "CHL", "year": 2020, "value": 12,
         "quote": "12 victims were identified in 2020."},
        {"indicator": CODE, "area_code": "PER", "year": 2020, "value": 30,
         "quote": "30 victims were identified in 2020."},
    ])
    _write(mirror / INDICATORS / "indicators.csv", [
        {"code": CODE, "name": "Victims identified", "unit": "persons",
         "definition": "Victims of trafficking identified by the authorities"},
    ])
    _write(mirror / INDICATORS / "own_values.csv", [
        {"indicator": CODE, "area_code": "ARG", "year": 2021, "value": 7,
         "quote": "7 victims were identified in 2021."},
    ])
    sources = {VALUES: _source(VALUES, ("values.csv",), _parse_values),
               INDICATORS: _source(INDICATORS, ("indicators.csv", "own_values.csv"),
                                   _parse_indicators)}
    assert sorted(sources) == [VALUES, INDICATORS]  # the user sorts before the registrar
    monkeypatch.setattr(registry, "all_sources", lambda: sources)
    monkeypatch.setenv("TRAFFICKING_RAW_CACHE", str(tmp_path / "cache"))
    return mirror


def _values(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT o.source_id, o.area_code, o.value, i.dataset FROM observations o "
                           "JOIN indicators i ON i.code = o.indicator ORDER BY 1, 2").fetchall()


EXPECTED = [
    (f"{VALUES}/values.csv", "CHL", 12.0, INDICATORS),
    (f"{VALUES}/values.csv", "PER", 30.0, INDICATORS),
    (f"{INDICATORS}/own_values.csv", "ARG", 7.0, INDICATORS),
]


def test_a_source_may_use_an_indicator_a_later_source_registers(synthetic: Path,
                                                                 tmp_path: Path) -> None:
    stages: list[tuple[str, str]] = []
    db = tmp_path / "db" / "trafficking.duckdb"
    result = build.refresh(mirror=str(synthetic), db_path=db, write_package=False,
                           progress=lambda sid, stage: stages.append((sid, stage)))
    assert sorted(_values(db)) == sorted(EXPECTED)
    # Every source is fetched and parsed before any loads.
    assert stages == [(VALUES, "fetch"), (VALUES, "parse"), (INDICATORS, "fetch"),
                      (INDICATORS, "parse"), (VALUES, "load"), (INDICATORS, "load")]
    assert result.per_source[VALUES]["observations"] == 2
    assert "indicators" not in result.per_source[VALUES]
    assert result.per_source[INDICATORS]["indicators"] == 1
    assert result.rows["observations"] == 3 and result.rows["indicators"] == 1


@pytest.mark.parametrize("refreshed", [VALUES, INDICATORS])
def test_a_partial_refresh_keeps_the_indicator_across_sources(synthetic: Path, tmp_path: Path,
                                                              refreshed: str) -> None:
    """Refreshing either side alone: the other's rows are carried over around it."""
    db = tmp_path / "db" / "trafficking.duckdb"
    build.refresh(mirror=str(synthetic), db_path=db, write_package=False)
    result = build.refresh([refreshed], mirror=str(synthetic), db_path=db, write_package=False)
    assert result.sources == [refreshed]
    assert sorted(_values(db)) == sorted(EXPECTED)


def test_an_indicator_no_source_registers_fails_before_publishing(synthetic: Path,
                                                                  tmp_path: Path) -> None:
    db = tmp_path / "db" / "trafficking.duckdb"
    build.refresh(mirror=str(synthetic), db_path=db, write_package=False)
    before = db.resolve().read_bytes()
    _write(synthetic / VALUES / "values.csv", [
        {"indicator": "no_such_code", "area_code": "CHL", "year": 2020, "value": 12,
         "quote": "12 victims were identified in 2020."},
    ])
    with pytest.raises(build.EtlError) as info:
        build.refresh([VALUES], mirror=str(synthetic), db_path=db, write_package=False)
    assert str(info.value) == (f"[{VALUES}] an observation of an indicator no source registers "
                               "(unknown: no_such_code) (file values.csv, row 2, column "
                               "'indicator', value 'no_such_code')")
    assert db.resolve().read_bytes() == before
    assert not list(db.parent.glob("*.building-*"))


def test_a_partial_refresh_that_drops_an_indicator_another_source_uses(synthetic: Path,
                                                                       tmp_path: Path) -> None:
    """The carried-over source is named, not the published file called damaged."""
    db = tmp_path / "db" / "trafficking.duckdb"
    build.refresh(mirror=str(synthetic), db_path=db, write_package=False)
    before = db.resolve().read_bytes()
    _write(synthetic / INDICATORS / "indicators.csv", [
        {"code": "z_renamed", "name": "Victims identified", "unit": "persons",
         "definition": "Victims of trafficking identified by the authorities"},
    ])
    _write(synthetic / INDICATORS / "own_values.csv", [
        {"indicator": "z_renamed", "area_code": "ARG", "year": 2021, "value": 7,
         "quote": "7 victims were identified in 2021."},
    ])
    with pytest.raises(build.EtlError) as info:
        build.refresh([INDICATORS], mirror=str(synthetic), db_path=db, write_package=False)
    assert str(info.value) == (
        f"[{VALUES}] its published observations use an indicator that {INDICATORS} no longer "
        f"registers; refresh {VALUES} together with {INDICATORS}, or restore the indicator "
        f"(file values.csv, column 'indicator', value '{CODE}')")
    assert db.resolve().read_bytes() == before
    # Refreshed together, with the user's file following the rename, it goes through.
    _write(synthetic / VALUES / "values.csv", [
        {"indicator": "z_renamed", "area_code": "CHL", "year": 2020, "value": 12,
         "quote": "12 victims were identified in 2020."},
    ])
    build.refresh([INDICATORS, VALUES], mirror=str(synthetic), db_path=db, write_package=False)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT DISTINCT indicator FROM observations").fetchall() == [
            ("z_renamed",)]


def test_two_sources_registering_one_indicator_code_fail_naming_both(
        synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One code has one definition: a second registration is named, not a key violation."""
    def _values_and_a_copy(files: dict[str, FetchedFile]) -> Parsed:
        parsed = _parse_values(files)
        parsed.indicators = indicator_frame([{
            "code": CODE, "name": "Victims (another definition)", "unit": "persons",
            "definition": "Another publisher's count", "what_counts": None,
            "publisher": "Test publisher", "breakdowns": None, "measure": CODE, "kind": "count",
        }])
        return parsed

    sources = dict(registry.all_sources())
    sources[VALUES] = _source(VALUES, ("values.csv",), _values_and_a_copy)
    monkeypatch.setattr(registry, "all_sources", lambda: sources)
    db = tmp_path / "db" / "trafficking.duckdb"
    with pytest.raises(build.EtlError) as info:
        build.refresh(mirror=str(synthetic), db_path=db, write_package=False)
    assert str(info.value) == (
        f"[{INDICATORS}] indicator '{CODE}' is already registered by source '{VALUES}'; one "
        "code has one definition: use that source's indicator or another code (file "
        f"(indicators), column 'code', value '{CODE}')")
    assert not db.exists()


def test_jurisdiction_names_regions_and_iso2_are_country_converters() -> None:
    """The jurisdictions table's name, region and alpha-2 come from a lookup built once from
    country_converter's table: exactly what its ``convert(src="ISO3")`` gives, for every code
    it lists, codes it does not, and lower case."""
    from etl import countries

    conv = countries._converter()
    codes = [*conv.data["ISO3"], "XKX", "SCG", "ANT", "ZZZ", "hkg", "GR", ""]
    for code in codes:
        for column in ("name_short", "UNregion", "ISO2"):
            expected = conv.convert(code, src="ISO3", to=column, not_found=None)
            got = countries._convert(code, column)
            assert (got, type(got)) == (expected, type(expected)), (code, column)
    greece = countries.describe("GRC")  # its ISO2 cell is the pattern '^GR$|^EL$'
    assert (greece.name, greece.region, greece.iso2) == ("Greece", "Southern Europe", "GR")
    assert countries.describe("HKG").iso2 == "HK" and countries.describe("XKX").iso2 == "XK"
