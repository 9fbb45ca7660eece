"""Each tier source's parser on small fixtures, and on its real snapshot."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from etl.errors import SourceError
from etl.fetch import Fetcher
from etl.source import FetchedFile
from etl.sources import factbook_tiers, kelley_tiers, tip_tier_pages, wikipedia_tiers


def _files(tmp: Path, source: str, contents: dict[str, bytes]) -> dict[str, FetchedFile]:
    out = {}
    for name, data in contents.items():
        path = tmp / name
        path.write_bytes(data)
        out[name] = FetchedFile(source=source, name=name, path=path, url=None, fetched_from=str(path),
                                via="test", sha256="x", bytes=len(data), retrieved_at="2026-01-01")
    return out


def test_wikipedia_codes(tmp_path: Path) -> None:
    csv = (b"Country,Location,2011 [4],2012 [5],2013 [6],2014 [7],2023 [15],Main article\n"
           b"Hong Kong (China),East Asia,2,2w,,,,x\nVanuatu,Oceania,-,3,,,1,x\n")
    parsed = wikipedia_tiers.parse(_files(tmp_path, "w", {wikipedia_tiers.FILE: csv}))
    got = sorted(parsed.tier_observations[["iso3", "report_year", "tier"]].values.tolist())
    assert got == [["HKG", 2011, "Tier 2"], ["HKG", 2012, "Tier 2 Watch List"],
                   ["VUT", 2012, "Tier 3"], ["VUT", 2023, "Tier 1"]]


def test_wikipedia_unknown_code_names_column_and_value(tmp_path: Path) -> None:
    csv = b"Country,2011 [4],2012 [5],2013 [6],2014 [7],2015 [8]\nChile,1,1,1,1,4\n"
    with pytest.raises(SourceError) as err:
        wikipedia_tiers.parse(_files(tmp_path, "w", {wikipedia_tiers.FILE: csv}))
    assert err.value.column == "2015 [8]" and err.value.value == "4"


def _sql(world_text: str, world_id: int) -> bytes:
    esc = world_text.replace("'", "''")
    return gzip.compress(
        f"INSERT INTO CountryFields (FieldID, CategoryID, CountryID, FieldName, Content)\nVALUES\n"
        f"  (1, 2, {world_id}, N'Trafficking in persons', N'{esc}'),\n"
        f"  (3, 4, 99, N'Trafficking in persons', N'tier rating: Tier 3 Somewhere');".encode())


def _factbook_fixture(tmp_path: Path, text_2024: str) -> dict[str, FetchedFile]:
    ids = {2021: 11, 2022: 12, 2023: 13, 2024: 14, 2025: 15}
    countries = "CountryID,Year,Code,Name,Source,MasterCountryID\n" + "".join(
        f"{cid},{y},XX,World,json,282\n" for y, cid in ids.items())
    simple = "tier rating: Tier 2 Watch List: (1 countries) Chad ({y}) Tier 3: (1 countries) Cuba ({y})"
    contents = {factbook_tiers.COUNTRIES: countries.encode()}
    for y, cid in ids.items():
        text = text_2024 if y == 2024 else simple.format(y=y)
        contents[factbook_tiers.fields_file(y)] = _sql(text, cid)
    return _files(tmp_path, "f", contents)


def test_factbook_lists_and_mangled_names(tmp_path: Path) -> None:
    text = ("tier rating: Tier 2 Watch List: (2 countries) Hong Kong, Cura ao (2024) "
            "Tier 3: (2 countries) People's Republic of China, Democratic People's Republic of Korea (2024)")
    out = factbook_tiers.parse(_factbook_fixture(tmp_path, text)).tier_observations
    y24 = out[out.report_year == 2024].set_index("iso3")["tier"].to_dict()
    assert y24 == {"HKG": "Tier 2 Watch List", "CUW": "Tier 2 Watch List", "CHN": "Tier 3", "PRK": "Tier 3"}
    assert out["list_complete"].all()


def test_factbook_stated_count_must_match(tmp_path: Path) -> None:
    text = "tier rating: Tier 2 Watch List: (3 countries) Chad, Mali (2024) Tier 3: (1 countries) Cuba (2024)"
    with pytest.raises(SourceError, match="states 3 countries but names 2"):
        factbook_tiers.parse(_factbook_fixture(tmp_path, text))


def test_factbook_undated_list_is_the_edition_year(tmp_path: Path) -> None:
    text = "tier rating: Tier 2 Watch List: (1 countries) Chad Tier 3: Cuba, Iran"
    out = factbook_tiers.parse(_factbook_fixture(tmp_path, text)).tier_observations
    row = out[(out.iso3 == "IRN")].iloc[0]
    assert row.report_year == 2024 and "undated" in row.note


def test_tip_pages_rows_cite_their_page(tmp_path: Path) -> None:
    prov = b"| `2024_ucanews.txt` | <https://www.ucanews.com/news/x/105531> | 2024 | ... |\n"
    csv = (b"report_year,country_name_as_published,tier,source_file\n"
           b"2024,Hong Kong,Tier 2 Watch List,2024_ucanews.txt\n2023,Hong Kong,Tier 2,2024_ucanews.txt\n")
    out = tip_tier_pages.parse(_files(tmp_path, "t", {tip_tier_pages.CSV: csv,
                                                      tip_tier_pages.PROV: prov})).tier_observations
    assert set(out.cited_url) == {"https://www.ucanews.com/news/x/105531"}
    assert out.set_index("report_year")["tier"].to_dict() == {2024: "Tier 2 Watch List", 2023: "Tier 2"}


def test_tip_pages_unknown_page_is_an_error(tmp_path: Path) -> None:
    csv = b"report_year,country_name_as_published,tier,source_file\n2024,Chile,Tier 1,nowhere.txt\n"
    with pytest.raises(SourceError) as err:
        tip_tier_pages.parse(_files(tmp_path, "t", {tip_tier_pages.CSV: csv, tip_tier_pages.PROV: b""}))
    assert err.value.column == "source_file" and err.value.value == "nowhere.txt"


def test_kelley_codes_and_not_in_report(tmp_path: Path) -> None:
    dta = tmp_path / kelley_tiers.DTA
    pd.DataFrame({"name": ["DomRep", "DomRep", "SouthKorea", "Somalia"], "year": [2004, 2005, 2004, 2005],
                  "tierupdated": [2.5, 3.0, 555.0, 666.0]}).to_stata(dta, write_index=False)
    csv = b"countryname,tier\nAustria ,1\nSomalia,666\n"
    files = _files(tmp_path, "k", {kelley_tiers.CSV_2015: csv})
    files[kelley_tiers.DTA] = FetchedFile(source="k", name=kelley_tiers.DTA, path=dta, url=None,
                                          fetched_from="", via="test", sha256="", bytes=1, retrieved_at="")
    out = kelley_tiers.parse(files).tier_observations
    got = {(r.iso3, r.report_year): r.tier for r in out.itertuples()}
    assert got == {("DOM", 2004): "Tier 2 Watch List", ("DOM", 2005): "Tier 3",
                   ("SOM", 2005): "Special Case", ("AUT", 2015): "Tier 1", ("SOM", 2015): "Special Case"}


# --- on the real snapshots -------------------------------------------------------------------

def _real(shared_raw: Path, module) -> pd.DataFrame:
    files = Fetcher(mirror=str(shared_raw)).fetch_source(module.SOURCE)
    return module.SOURCE.parse(files).tier_observations


def test_real_factbook_counts(shared_raw: Path) -> None:
    out = _real(shared_raw, factbook_tiers)
    counts = out.groupby(["report_year", "tier"]).size().to_dict()
    # Counts from the PROVENANCE coverage table (stated counts equal parsed counts)
    assert counts == {
        (2020, "Tier 2 Watch List"): 44, (2020, "Tier 3"): 19,
        (2022, "Tier 2 Watch List"): 34, (2022, "Tier 3"): 22,
        (2023, "Tier 2 Watch List"): 26, (2023, "Tier 3"): 24,
        (2024, "Tier 2 Watch List"): 32, (2024, "Tier 3"): 21,
        (2025, "Tier 2 Watch List"): 25, (2025, "Tier 3"): 20,
    }


def test_real_wikipedia_cells(shared_raw: Path) -> None:
    out = _real(shared_raw, wikipedia_tiers)
    hk = out[out.iso3 == "HKG"].set_index("report_year")["tier"].to_dict()
    assert hk[2011] == "Tier 2" and hk[2016] == "Tier 2 Watch List" and hk[2023] == "Tier 2"
    assert 2022 not in set(out.report_year)


def test_real_kelley_coverage(shared_raw: Path) -> None:
    out = _real(shared_raw, kelley_tiers)
    assert out.report_year.min() == 2001 and out.report_year.max() == 2015
    assert "USA" not in set(out.iso3)  # a known gap of the panel
    assert not ((out.iso3 == "KOR") & (out.report_year < 2010)).any()  # coded 555 in error: left out


def test_real_tip_pages(shared_raw: Path) -> None:
    out = _real(shared_raw, tip_tier_pages)
    assert len(out) == 451
    assert out.cited_url.notna().all()
    assert out[(out.report_year == 2021)].iso3.nunique() == 188
