"""The one country resolver, on every name the tier snapshots use."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.countries import UnresolvedNames, describe, resolve, resolve_many


@pytest.mark.parametrize(("name", "iso3"), [
    ("Hong Kong", "HKG"), ("Hong Kong (China)", "HKG"), ("Hong Kong S.A.R.", "HKG"),
    ("Macau", "MAC"), ("Taiwan", "TWN"), ("Kosovo", "XKX"), ("Korea, North", "PRK"),
    ("Korea, Democratic People’s Republic of", "PRK"), ("Burma", "MMR"), ("Cura ao", "CUW"),
    ("Saint Vincentand the Grenadines", "VCT"), ("CentralAfRep", "CAF"), ("DomRep", "DOM"),
    ("UArabEmir", "ARE"), ("People's Republic of China", "CHN"), ("Niger", "NER"),
    ("Nigeria", "NGA"), ("Republic of the Congo", "COG"), ("Democratic Republic of the Congo", "COD"),
    ("Austria ", "AUT"), ("한국", "KOR"), ("台灣", "TWN"),
])
def test_known_spellings(name: str, iso3: str) -> None:
    assert resolve(name) == iso3


def test_unresolved_names_are_all_listed() -> None:
    with pytest.raises(UnresolvedNames) as err:
        resolve_many(["Hong Kong", "Atlantis", "Ruritania"])
    assert err.value.names == ["Atlantis", "Ruritania"]


def test_display_name_and_region() -> None:
    hk = describe("HKG")
    assert (hk.name, hk.region) == ("Hong Kong", "Eastern Asia")
    assert describe("XKX").name == "Kosovo"


def test_every_name_in_the_tier_snapshots_resolves(shared_raw) -> None:
    dta = pd.read_stata(shared_raw / "scorecard-diplomacy-tiers/criminalization-cho-tiers_jk_2015-08-10.dta")
    names = set(dta["name"].astype(str).str.strip())
    kelley_2015 = pd.read_csv(shared_raw / "scorecard-diplomacy-tiers/tiers_2015.csv")
    names |= set(kelley_2015["countryname"].str.strip())
    names |= set(pd.read_csv(shared_raw / "wikipedia-tip-tier-table/TIP_Tiers_overyears.csv")["Country"])
    names |= set(pd.read_csv(shared_raw / "tip-tier-pages/tiers_2021_2025.csv")["country_name_as_published"])
    names |= set(pd.read_csv(shared_raw / "hti-human-trafficking-indicators/HTI.csv",
                             encoding="latin-1", usecols=["country"])["country"].str.strip())
    resolved = resolve_many(sorted(names))  # raises listing every miss
    assert len(resolved) == len(names)


def test_kelley_names_agree_with_heiss_own_iso_codes(shared_raw) -> None:
    """Heiss's processed file carries ISO codes; our resolver must map Kelley's names the same way."""
    heiss = pd.read_csv(shared_raw / "scorecard-diplomacy-tiers/map_tiers.csv")
    pairs = heiss[["countryname", "iso"]].drop_duplicates()
    wrong = [(n, c, resolve(n)) for n, c in pairs.itertuples(index=False)
             if resolve(n) != ("XKX" if c == "KOS" else c)]
    assert wrong == []


@pytest.mark.parametrize("name", ["Not Chile at all", "<img src=x onerror=alert(1)>Chile",
                                  "Chile and Peru", "[Chile](https://evil.example)"])
def test_a_country_inside_other_text_is_not_resolved(name: str) -> None:
    assert resolve(name) is None


def test_exact_names_and_codes_still_resolve() -> None:
    assert [resolve(n) for n in ("Chile", "chile", "CL", "CHL", "Republic of Chile")] == \
        ["CHL"] * 5
