"""Unit tests of etl/validate.py on small synthetic frames and files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl import validate
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
