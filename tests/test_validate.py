"""Unit tests of etl/validate.py on small synthetic frames and files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import schema, validate
from etl.errors import SourceError
from tests.conftest import local_file

GOOD = ["https://www.state.gov/reports/2024-trafficking-in-persons-report/",
        "http://ec.europa.eu/eurostat/web/x?y=1#z", "HTTPS://EXAMPLE.ORG/"]
BAD = ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
       "//evil.example/x", " http://x.example/", "http://x.example/ ", "http://x.example/a b",
       "http://x.example/\nb", "http://x.example/\x00", "http://", "https:///path",
       "ftp://x.example/", "", None, 3.0, "http://[::1"]


@pytest.mark.parametrize("url", GOOD)
def test_http_url_accepts(url: str) -> None:
    assert validate.http_url("s", "f.csv", 2, "cited_url", url) == url


@pytest.mark.parametrize("url", BAD)
def test_http_url_rejects(url: object) -> None:
    with pytest.raises(SourceError) as info:
        validate.http_url("s", "f.csv", 7, "cited_url", url)
    err = info.value
    assert (err.source, err.file, err.row, err.column, err.value) == ("s", "f.csv", 7,
                                                                      "cited_url", url)


@pytest.mark.parametrize(("text", "address"), [
    ("IOM press release: UN Migration Agency Co-hosts…", False), ("javascript:x", True),
    ("//evil", True), ("www.example.org", True), (" http://x", True), ("ILO report, p. 3", False),
])
def test_looks_like_address(text: str, address: bool) -> None:
    assert validate.looks_like_address(text) is address


def test_csv_lines_follow_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text('a,b\n1,"two\nlines"\n\n3,x\n', encoding="utf-8")
    assert validate.csv_lines(path) == [2, 5]


def test_text_files_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"name,quote\nChile,fine\nPeru,\"cut \x00 here\"\n")
    with pytest.raises(SourceError) as info:
        validate.text_files("s", {"f.csv": local_file("s", "f.csv", path)})
    assert (info.value.row, info.value.column) == (3, "quote")
    assert "NUL byte" in info.value.detail


def test_text_files_ignores_binary_names(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00")
    validate.text_files("s", {"f.xlsx": local_file("s", "f.xlsx", path)})


def _obs(**changes: object) -> pd.DataFrame:
    row = {"indicator": "x", "area_code": "CHL", "area_kind": "jurisdiction", "year": 2020,
           "breakdown_dim": "total", "breakdown": "", "value": 5.0, "qualifier": None,
           "file": "f.csv", "quote": "q", "cited_url": "https://example.org/", "note": None,
           "row": 4}
    return pd.DataFrame([{**row, **changes}])


class _Src:
    id = "s"


@pytest.mark.parametrize(("changes", "words"), [
    ({"value": float("inf")}, "not a finite number"),
    ({"value": float("-inf")}, "not a finite number"),
    ({"value": None}, "without a qualifier"),
    ({"value": -1.0}, "negative"),
    ({"value": 9e9}, "world population"),
    ({"cited_url": "javascript:alert(1)"}, "not http"),
    ({"note": "a\x1bb"}, "control character"),
    ({"quote": "cut\x00"}, "NUL byte"),
])
def test_observation_rules(changes: dict, words: str) -> None:
    with pytest.raises(SourceError) as info:
        validate.observations(_Src(), _obs(**changes))
    assert words in info.value.detail and info.value.row == 4


def test_observation_rules_allow() -> None:
    validate.observations(_Src(), _obs(quote="tab\tand\nline"))
    validate.observations(_Src(), _obs(value=None, qualifier="suppressed (<5)"))
    validate.observations(_Src(), _obs(value=-2.6, may_be_negative=True))
    two_pages = pd.concat([_obs(), _obs(cited_url="https://example.org/other", value=6.0)])
    validate.observations(_Src(), two_pages.reset_index(drop=True))


def _tiers(**changes: object) -> pd.DataFrame:
    row = {"iso3": "CHL", "report_year": 2020, "tier": "Tier 1", "name_as_published": "Chile",
           "file": "f.csv", "list_complete": False, "note": None, "cited_url": None, "row": 6}
    return pd.DataFrame([{**row, **changes}])


@pytest.mark.parametrize(("changes", "words", "column"), [
    ({"tier": "Tier 4"}, "unknown tier", "tier"),
    ({"report_year": 1999}, "report year outside 2000–", "report_year"),
    ({"report_year": "20x0"}, "report year outside", "report_year"),
    ({"iso3": "chl"}, "bad ISO code", "iso3"),
    ({"name_as_published": "Ch\x00ile"}, "NUL byte", "name_as_published"),
    ({"cited_url": "//evil.example/"}, "not http", "cited_url"),
])
def test_tier_rules(changes: dict, words: str, column: str) -> None:
    with pytest.raises(SourceError) as info:
        validate.tier_observations(_Src(), _tiers(**changes))
    err = info.value
    assert words in err.detail and (err.row, err.column, err.file) == (6, column, "f.csv")


def test_tier_rules_name_every_bad_row() -> None:
    """pandera collects every failing cell: the first fills the error, the rest are listed."""
    frame = pd.concat([_tiers(tier="Tier 4"), _tiers(iso3="ARG", name_as_published="Argentina",
                                                     row=7),
                       _tiers(iso3="PER", tier="Tier four", row=9)], ignore_index=True)
    with pytest.raises(SourceError) as info:
        validate.tier_observations(_Src(), frame)
    err = info.value
    assert (err.row, err.value) == (6, "Tier 4")
    assert err.detail == "unknown tier — 1 more failing cell: row 9, column 'tier', value 'Tier four'"


def test_url_problem_says_why() -> None:
    assert validate.url_problem("https://example.org/a") is None
    assert validate.url_problem(None) == "address missing"
    assert validate.url_problem("http://x.example/a b") == ("address holds a space, line break "
                                                           "or control character")
    assert validate.url_problem("http://[::1") == "address is not a well-formed URL"
    assert validate.url_problem("ftp://x.example/") == "address is not http:// or https://"
    assert validate.url_problem("https:///path") == "address names no host"


def test_with_lines_numbers_records_as_an_editor_does(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,x\n', encoding="utf-8")
    frame = pd.read_csv(path)
    assert validate.with_lines(frame, path)["row"].tolist() == [2, 4]
    # A frame the csv module reads differently (here: one record fewer) falls back to plain
    # numbering rather than pairing rows with the wrong lines.
    assert validate.with_lines(frame.iloc[:1], path)["row"].tolist() == [2]


def test_resolve_names_maps_every_spelling() -> None:
    frame = pd.DataFrame({"country": ["Chile", "Peru", "Chile"], "row": [2, 3, 4]})
    assert validate.resolve_names("s", "f.csv", frame, "country") == {"Chile": "CHL",
                                                                       "Peru": "PER"}


def test_resolve_names_names_the_first_unresolved_row() -> None:
    frame = pd.DataFrame({"country": ["Chile", "Atlantis", "Lemuria"], "row": [2, 3, 4]})
    with pytest.raises(SourceError) as info:
        validate.resolve_names("s", "f.csv", frame, "country")
    err = info.value
    assert (err.source, err.file, err.row, err.column, err.value) == ("s", "f.csv", 3, "country",
                                                                      "Atlantis")
    assert err.detail.endswith("(and 1 more: ['Atlantis', 'Lemuria'])")


@pytest.mark.parametrize(("second", "words", "column"), [
    ({}, "the same figure is stated twice by one page: x CHL 2020", "value"),
    ({"value": 6.0}, "one page states two values for x CHL 2020", "value"),
    ({"area_as_published": "Chili"}, "two spellings of one country in one file state x CHL 2020",
     "area_as_published"),
])
def test_one_figure_once_per_file(second: dict, words: str, column: str) -> None:
    first = _obs(area_as_published="Chile")
    frame = pd.concat([first, _obs(**{"area_as_published": "Chile", "row": 5, **second})],
                      ignore_index=True)
    with pytest.raises(SourceError) as info:
        validate.observations(_Src(), frame)
    err = info.value
    assert err.detail == words and (err.row, err.column) == (5, column)


def test_another_edition_may_restate_a_figure() -> None:
    frame = pd.concat([_obs(edition="2023 TIP report"), _obs(edition="2024 TIP report", value=6.0)],
                      ignore_index=True)
    validate.observations(_Src(), frame)


def _response(**changes: object) -> pd.DataFrame:
    row = {"iso3": "CHL", "report_year": 2024, "statement_date": "2024-06-25", "publisher": "p",
           "title": "t", "cited_url": "https://example.org/", "stance": "rejects",
           "stance_quote": "q", "figures_cited": None, "language": "en", "file": "f.csv",
           "note": None, "row": 3}
    return pd.DataFrame([{**row, **changes}])


@pytest.mark.parametrize(("changes", "words", "column"), [
    ({"stance": "angry"}, "unknown stance", "stance"),
    ({"cited_url": "javascript:alert(1)"}, "not http", "cited_url"),
    ({"title": "a\x00b"}, "NUL byte", "title"),
])
def test_government_response_rules(changes: dict, words: str, column: str) -> None:
    validate.government_responses("s", _response())
    with pytest.raises(SourceError) as info:
        validate.government_responses("s", _response(**changes))
    err = info.value
    assert words in err.detail and (err.source, err.file, err.row, err.column) == ("s", "f.csv",
                                                                                   3, column)


# database(): the whole-database checks on a small real DuckDB file ---------------------------

def _indicator(con: duckdb.DuckDBPyConnection, code: str, unit: str, kind: str,
               rate_base: float | None = None, role: str | None = None,
               name: str = "name") -> None:
    con.execute("INSERT INTO indicators (code, name, unit, definition, publisher, series, "
                "measure, kind, rate_base, role, label, dataset) VALUES (?, ?, ?, 'definition', "
                "'p', ?, ?, ?, ?, ?, ?, 's')",
                [code, name, unit, code, code, kind, rate_base, role, name])


def _database(tmp_path: Path, *specs: tuple) -> duckdb.DuckDBPyConnection:
    """One source file, and one indicator per spec given: (code, unit, kind[, rate_base[,
    role]])."""
    con = duckdb.connect(str(tmp_path / "v.duckdb"))
    schema.create(con)
    con.execute("INSERT INTO sources VALUES ('s/f.csv', 's', 'f.csv', 'p', 't', NULL, 'x', "
                "'mirror-dir', 'l', NULL, now(), 'h', 1, 1, true, NULL)")
    for spec in specs:
        _indicator(con, *spec)
    return con


def _value(con: duckdb.DuckDBPyConnection, code: str, value: float | None, area: str = "CHL",
           qualifier: str | None = None) -> None:
    con.execute("INSERT INTO observations (indicator, area_code, area_kind, year, breakdown_dim, "
                "breakdown, value, qualifier, source_id, is_total) VALUES (?, ?, 'jurisdiction', "
                "2020, 'total', '', ?, ?, 's/f.csv', true)", [code, area, value, qualifier])


def test_database_accepts_plausible_values(tmp_path: Path) -> None:
    con = _database(tmp_path, ("n", "persons", "count"), ("pc", "percent of decisions", "share"),
                    ("gsi2023_population", "persons", "count", None, "population"))
    _value(con, "n", 1_000.0)
    _value(con, "n", None, area="PER", qualifier="suppressed (<5)")
    _value(con, "pc", 100.0)
    _value(con, "gsi2023_population", 19_000_000.0)
    validate.database(con)


@pytest.mark.parametrize(("unit", "kind", "base", "value", "qualifier", "message"), [
    ("persons", "count", None, float("nan"), None,
     "value is not a finite number: x for CHL in 2020"),
    ("persons", "count", None, None, " ",
     "value missing without a qualifier saying why: x for CHL in 2020"),
    ("percent", "share", None, 100.5, None,
     "a percentage outside 0–100: x for CHL in 2020 (percent)"),
    ("score (0–100)", "score", None, 100.5, None,
     "a score outside 0–100: x for CHL in 2020 (score (0–100))"),
    ("per 1,000 population", "rate", 1_000.0, 1_001.0, None,
     "a rate above 1,000: x for CHL in 2020 (per 1,000 population)"),
    ("cases", "count", None, 9e9, None,
     "a value above the world population (8,300,000,000): x for CHL in 2020"),
])
def test_database_rejects_impossible_values(tmp_path: Path, unit: str, kind: str,
                                            base: float | None, value: float | None,
                                            qualifier: str | None, message: str) -> None:
    con = _database(tmp_path, ("x", unit, kind, base))
    _value(con, "x", value, qualifier=qualifier)
    with pytest.raises(SourceError) as info:
        validate.database(con)
    err = info.value
    assert err.detail == message and (err.source, err.file, err.column) == ("s", "f.csv", "value")


def test_database_rejects_a_count_above_the_population(tmp_path: Path) -> None:
    con = _database(tmp_path, ("victims", "persons", "count"),
                    ("gsi2023_population", "persons", "count", None, "population"))
    _value(con, "gsi2023_population", 1_000.0)
    _value(con, "victims", 999.0, area="PER")  # another jurisdiction: no population to compare
    _value(con, "victims", 1_500.0)
    with pytest.raises(SourceError) as info:
        validate.database(con)
    assert info.value.detail == ("a count of persons above the population: victims for CHL in "
                                 "2020, above its population 1000 (s/f.csv)")
    assert info.value.value == 1_500.0


def test_database_checks_the_tables_the_merge_writes(tmp_path: Path) -> None:
    con = _database(tmp_path, ("x", "persons", "count"))
    con.execute("INSERT INTO jurisdictions (iso3, name, region) VALUES ('CHL', 'Chile', 'Americas')")
    con.execute("INSERT INTO tip_tiers (iso3, report_year, tier, source_id, resolved, method) "
                "VALUES ('CHL', 2020, 'Tier 2', 's/f.csv', true, 'elimination')")
    with pytest.raises(SourceError) as info:
        validate.database(con)
    err = info.value
    assert "names no list it rests on" in err.detail
    # The merge's row is traced to the source file its placement rests on.
    assert (err.source, err.file, err.column) == ("s", "f.csv", "derived_from")


def test_database_rejects_an_unnamed_indicator(tmp_path: Path) -> None:
    con = _database(tmp_path)
    _indicator(con, "x", "persons", "count", name=" ")
    with pytest.raises(SourceError) as info:
        validate.database(con)
    assert "an indicator needs a name, a unit and a definition" in info.value.detail
    assert info.value.column == "name"
