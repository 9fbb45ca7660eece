"""tip-tier-lists-2022-2025: the real snapshot's counts as its PROVENANCE states them, each row's
address, the secondary 2025 compilation, and clear errors for a broken count or address."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.errors import SourceError
from etl.fetch import Fetcher
from etl.sources import tip_tier_lists as src
from tests.conftest import local_file

GITHUB_RAW = ("https://raw.githubusercontent.com/trex0092/HAWKEYE-STERLING-RA/"
              "cf2050cbbbd7901e20d4c6b2b2533228b5ce6e79/data/country-indicators.json")


@pytest.fixture(scope="module")
def out(shared_raw: Path) -> pd.DataFrame:
    files = Fetcher(mirror=str(shared_raw)).fetch_source(src.SOURCE)
    return src.parse(files).tier_observations


def _copy(shared_raw: Path, tmp: Path, csv_text: str) -> dict:
    """The real PROVENANCE beside an edited copy of the real CSV."""
    folder = shared_raw / src.ID
    (tmp / src.CSV).write_text(csv_text, encoding="utf-8", newline="")
    (tmp / src.PROV).write_bytes((folder / src.PROV).read_bytes())
    return {name: local_file(src.ID, name, tmp / name) for name in (src.CSV, src.PROV)}


def _real_csv(shared_raw: Path) -> str:
    return (shared_raw / src.ID / src.CSV).read_bytes().decode("utf-8")  # keeps its CRLF


def test_rows_per_year_as_the_provenance_states(out) -> None:
    # "294 rows: 2022 43, 2024 66, 2025 185"
    assert len(out) == 294
    assert out.groupby("report_year").size().to_dict() == {2022: 43, 2024: 66, 2025: 185}
    assert out["cited_url"].notna().all() and out["cited_url"].str.startswith("http").all()


def test_complete_lists_have_the_stated_counts(out) -> None:
    lists = out[out["list_complete"]].groupby(["report_year", "tier"])["iso3"].nunique().to_dict()
    assert lists == {
        (2022, "Tier 1"): 28,  # + Argentina and Austria in tip-tier-pages = 30
        (2024, "Tier 1"): 33,
        (2025, "Tier 1"): 33, (2025, "Tier 2"): 106, (2025, "Tier 2 Watch List"): 25,
        (2025, "Tier 3"): 20,
    }
    # Rows outside a complete list (2022 and 2024 Tier 2, 2024 Tier 3 from SBS Biz) say so.
    partial = out[~out["list_complete"]]
    assert set(map(tuple, partial[["report_year", "tier"]].drop_duplicates().values)) == {
        (2022, "Tier 2"), (2024, "Tier 2"), (2024, "Tier 3")}
    assert {"ARG", "AUT"}.isdisjoint(out[out["report_year"] == 2022]["iso3"])


def test_github_rows_are_secondary_and_cite_the_pinned_raw_address(out) -> None:
    gh = out[out["secondary"]]
    assert len(gh) == 184 and set(gh["report_year"]) == {2025}
    assert set(gh["cited_url"]) == {GITHUB_RAW}
    assert gh["note"].str.contains("secondary compilation").all()
    pages = out[~out["secondary"]]
    assert not pages["cited_url"].str.contains("github").any()
    col = out[(out["iso3"] == "COL") & (out["report_year"] == 2025)]
    assert sorted(zip(col["tier"], col["secondary"], strict=True)) == [("Tier 2", False),
                                                                        ("Tier 2", True)]
    assert "https://www.ecoi.net/en/document/2130545.html" in set(col["cited_url"])


def test_named_placements_and_spellings(out) -> None:
    def tiers(iso3: str, year: int) -> set[str]:
        return set(out[(out["iso3"] == iso3) & (out["report_year"] == year)]["tier"])

    cyp = out[(out["iso3"] == "CYP") & (out["report_year"] == 2022)].iloc[0]
    assert cyp["tier"] == "Tier 1"  # the narrative, not the heading
    assert 'header "Cyprus (Tier 2)"' in cyp["note"] and "upgraded to Tier 1" in cyp["note"]
    assert cyp["cited_url"] == "https://www.ecoi.net/de/dokument/2077694.html"
    assert tiers("COL", 2024) == {"Tier 1"} and tiers("COL", 2025) == {"Tier 2"}
    assert tiers("POL", 2024) == {"Tier 1"} and tiers("POL", 2022) == {"Tier 2"}
    assert tiers("SVN", 2024) == {"Tier 2"} and tiers("SVN", 2025) == {"Tier 1"}
    names = out.set_index("name_as_published")["iso3"].to_dict()
    assert names["독일"] == "DEU" and names["사우디아라비아"] == "SAU" and names["일본"] == "JPN"
    assert names["台灣"] == "TWN" and names["Korea, Democratic Republic of"] == "PRK"
    assert names["Korea, Republic of"] == "KOR" and names["Hong Kong S.A.R."] == "HKG"
    assert names["Congo, Republic of"] == "COG" and names["Turkey (Türkiye)"] == "TUR"


def test_a_broken_count_names_the_file_and_value(shared_raw: Path, tmp_path: Path) -> None:
    lines = _real_csv(shared_raw).split("\r\n")
    # Drop every 2024 Tier 1 row of one country (Suriname is named only by knowyourcountry).
    kept = [ln for ln in lines if not (ln.startswith("2024,Suriname,Tier 1,"))]
    assert len(kept) == len(lines) - 1
    with pytest.raises(SourceError) as err:
        src.parse(_copy(shared_raw, tmp_path, "\r\n".join(kept)))
    assert err.value.file == src.CSV and err.value.value == "2024 Tier 1: 32"
    assert "PROVENANCE states 33" in str(err.value)


def test_a_github_row_must_cite_the_provenance_commit(shared_raw: Path, tmp_path: Path) -> None:
    text = _real_csv(shared_raw).replace("@cf2050cbbbd7901e20d4c6b2b2533228b5ce6e79:",
                                         "@" + "0" * 40 + ":", 1)
    with pytest.raises(SourceError) as err:
        src.parse(_copy(shared_raw, tmp_path, text))
    assert err.value.column == "source_file" and err.value.row is not None
    assert "0" * 40 in str(err.value.value)


def test_an_unlisted_page_is_an_error(shared_raw: Path, tmp_path: Path) -> None:
    text = _real_csv(shared_raw).replace("2022_ecoi-net_poland.txt", "2022_nowhere.txt")
    with pytest.raises(SourceError) as err:
        src.parse(_copy(shared_raw, tmp_path, text))
    assert err.value.value == "2022_nowhere.txt" and err.value.row == 44  # its line in the file
