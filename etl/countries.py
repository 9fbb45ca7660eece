"""The one place where publishers' country spellings become ISO 3166 alpha-3 codes.

An explicit alias table comes first (spellings libraries miss or get wrong), then an exact match
on a name or code ``country_converter`` lists (short name, official name, ISO2, ISO3). Never its
regular-expression search: that finds a country *inside* a string, so "Not Chile at all" or
"<img …>Chile" would become Chile. Kosovo uses the user-assigned ``XKX``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import country_converter as coco

# Keys are normalised with ``_norm``; values are ISO 3166 alpha-3.
ALIASES: dict[str, str] = {
    # Kelley & Heiss (Scorecard Diplomacy) compressed names
    "centralafrep": "CAF", "domrep": "DOM", "uarabemir": "ARE", "bosnia": "BIH",
    "saot&p": "STP", "papuang": "PNG", "solomanis": "SLB",
    "kos": "XKX", "kosovo": "XKX",
    # Chinese jurisdictions, always kept apart
    "hong kong": "HKG", "hong kong (china)": "HKG", "hong kong s.a.r.": "HKG",
    "hong kong sar": "HKG", "hong kong sar, china": "HKG", "hong kong, china": "HKG",
    "macau": "MAC", "macao": "MAC", "macau (china)": "MAC", "macao sar": "MAC",
    "taiwan": "TWN", "taiwan, china": "TWN", "chinese taipei": "TWN",
    "china": "CHN", "people's republic of china": "CHN", "china, people's republic": "CHN",
    "china (prc)": "CHN", "prc": "CHN",
    # Koreas
    "korea, north": "PRK", "north korea": "PRK", "korea, democratic people's republic of": "PRK",
    "democratic people's republic of korea": "PRK", "dprk": "PRK",
    "korea, south": "KOR", "south korea": "KOR", "republic of korea": "KOR",
    "korea, republic of": "KOR",
    # Congo pair: "Congo (ROC)" is the Republic of the Congo as printed (see tier conflicts)
    "congo (roc)": "COG", "congo, republic of the": "COG", "republic of the congo": "COG",
    "congo (brazzaville)": "COG", "congo, rep.": "COG", "congo": "COG",
    "congo, democratic republic of the": "COD", "democratic republic of the congo": "COD",
    "congo (drc)": "COD", "congo (kinshasa)": "COD", "drc": "COD",
    # Caribbean spellings and mangled characters
    "cura ao": "CUW", "curacao": "CUW", "curaçao": "CUW",
    "saint vincentand the grenadines": "VCT", "st vincent & gren": "VCT",
    "saint maarten": "SXM", "st maarten": "SXM", "sint maarten": "SXM",
    "st lucia": "LCA", "st. lucia": "LCA", "antigua & barbuda": "ATG",
    "bahamas, the": "BHS", "the bahamas": "BHS", "gambia, the": "GMB", "the gambia": "GMB",
    # Others
    "burma": "MMR", "timor leste": "TLS", "east timor": "TLS",
    "cote d'ivoire": "CIV", "cote d’ivoire": "CIV", "côte d’ivoire": "CIV",
    "equatorial quinea": "GNQ", "solomon island": "SLB", "usa": "USA",
    "united kingdom - uk": "GBR", "central african rep": "CAF", "bosnia-herzegovina": "BIH",
    "kyrgyz republic": "KGZ", "slovak republic": "SVK", "eswatini": "SWZ", "swaziland": "SWZ",
    "north macedonia": "MKD", "macedonia": "MKD", "türkiye": "TUR", "turkiye": "TUR",
    "lao pdr": "LAO", "laos": "LAO", "cape verde": "CPV", "cabo verde": "CPV",
    "micronesia": "FSM", "micronesia, federated states of": "FSM",
    "palestine": "PSE", "west bank and gaza": "PSE",
    "serbia and montenegro": "SCG",  # pre-2006 reports rated the union; ISO 3166-3 code
    "aruba/curacao": "ANT",  # one GLOTIP row; former Netherlands Antilles (ISO 3166-3)
    # Korean / Chinese press pages quoted in tip-tier-pages
    "한국": "KOR", "미국": "USA", "영국": "GBR", "대만": "TWN", "호주": "AUS", "프랑스": "FRA",
    "북한": "PRK", "중국": "CHN", "러시아": "RUS", "쿠바": "CUB", "아프가니스탄": "AFG",
    "베네수엘라": "VEN", "이란": "IRN", "시리아": "SYR",
    "台灣": "TWN", "美國": "USA", "英國": "GBR", "芬蘭": "FIN", "捷克": "CZE", "比利時": "BEL",
    "立陶宛": "LTU", "瑞典": "SWE", "中國": "CHN",
    # Korean press pages quoted in tip-tier-lists-2022-2025 (its PROVENANCE quirks)
    "독일": "DEU", "스웨덴": "SWE", "벨기에": "BEL", "캐나다": "CAN", "칠레": "CHL", "핀란드": "FIN",
    "일본": "JPN", "노르웨이": "NOR", "스위스": "CHE", "이탈리아": "ITA", "브라질": "BRA",
    "이집트": "EGY", "가나": "GHA", "멕시코": "MEX", "파키스탄": "PAK", "포르투갈": "PRT",
    "사우디아라비아": "SAU",
    # Spellings of the 2025 compilation in tip-tier-lists-2022-2025 the library could misread
    "korea, democratic republic of": "PRK", "congo, republic of": "COG",
    "turkey (türkiye)": "TUR", "macau s.a.r.": "MAC",
    # Spellings the sources use that are no country's exact name in country_converter; they were
    # once found by its regular-expression search, which also turns "Not Chile at all" into Chile.
    "antigua&barbuda": "ATG", "bosniaandherz": "BIH", "bosnia & herzegovina": "BIH",
    "burkinafaso": "BFA", "capeverde": "CPV", "costarica": "CRI", "czechrep": "CZE",
    "elsalvador": "SLV", "eqguinea": "GNQ", "kyrgyzrep": "KGZ", "marshallis": "MHL",
    "newzealand": "NZL", "saudiarabia": "SAU", "sierraleone": "SLE", "slovakrep": "SVK",
    "southafrica": "ZAF", "srilanka": "LKA", "st.lucia": "LCA", "st.vincent": "VCT",
    "trin&tobago": "TTO", "trinidad & tobago": "TTO", "yemenar": "YEM",
    "congo (brazzaville; rep)": "COG", "congo, demrep (zaire)": "COD",
    "congo, democratic rep. of": "COD", "republic of congo": "COG",
    "bolivia (plurinational state of)": "BOL", "iran (islamic republic of)": "IRN",
    "venezuela (bolivarian republic of)": "VEN", "viet nam": "VNM", "brunei": "BRN",
    "cote d\x92ivoire": "CIV", "holy see": "VAT", "st vincent and the grenadines": "VCT",
    "st. vincent & the grenadines": "VCT", "st. maarten": "SXM", "surinam": "SUR",
    "turkey": "TUR", "uk": "GBR",
    "congo, democratic republic": "COD", "congo, republic": "COG", "netherlands, the": "NLD",
    "st.kitts&nevis": "KNA",
    # ISO 3166 "Name, qualifier" forms (Heiss's processed file, the HTI cross-check)
    "bolivia, plurinational state of": "BOL", "congo, the democratic republic of the": "COD",
    "iran, islamic republic of": "IRN", "macedonia, the former yugoslav republic of": "MKD",
    "moldova, republic of": "MDA", "taiwan, province of china": "TWN",
    "tanzania, united republic of": "TZA", "venezuela, bolivarian republic of": "VEN",
}

# Display names where the library's short name is not what readers expect.
DISPLAY_NAMES: dict[str, str] = {
    "HKG": "Hong Kong", "MAC": "Macau", "TWN": "Taiwan", "XKX": "Kosovo",
    "PRK": "North Korea", "KOR": "South Korea", "COG": "Republic of the Congo",
    "COD": "DR Congo", "MMR": "Burma (Myanmar)", "CIV": "Côte d'Ivoire",
    "SCG": "Serbia and Montenegro", "ANT": "Netherlands Antilles", "VCT": "Saint Vincent and the Grenadines",
    "USA": "United States", "GBR": "United Kingdom", "RUS": "Russia", "SYR": "Syria",
    "IRN": "Iran", "LAO": "Laos", "FSM": "Micronesia", "TLS": "Timor-Leste",
}
EXTRA_REGIONS: dict[str, str] = {"XKX": "Southern Europe", "SCG": "Southern Europe", "ANT": "Caribbean"}

logging.getLogger("country_converter").setLevel(logging.ERROR)
_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Jurisdiction:
    iso3: str
    name: str
    region: str
    iso2: str | None = None  # ISO 3166 alpha-2: where CLDR's names in other languages come from


class UnresolvedNames(ValueError):
    def __init__(self, names: list[str]) -> None:
        self.names = sorted(set(names))
        super().__init__("country names not resolved: " + "; ".join(repr(n) for n in self.names))


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFC", str(name)).strip().lower()
    text = text.replace("\u00a0", " ").replace("’", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1)
def _converter() -> coco.CountryConverter:
    return coco.CountryConverter()


@lru_cache(maxsize=1)
def _exact_names() -> dict[str, str]:
    """Every name and code country_converter lists, normalised, to ISO alpha-3."""
    data = _converter().data
    out: dict[str, str] = {}
    for column in ("ISO3", "ISO2", "name_official", "name_short"):  # short names win ties
        for value, iso3 in zip(data[column], data["ISO3"], strict=True):
            if isinstance(value, str) and value and isinstance(iso3, str) and _ISO3.match(iso3):
                out[_norm(value)] = iso3
    return out


@lru_cache(maxsize=4096)
def resolve(name: str) -> str | None:
    """ISO alpha-3 for a publisher's spelling, or ``None`` when nothing matches exactly."""
    key = _norm(name)
    if not key:
        return None
    for candidate in (key, key.replace("'", "’")):
        if candidate in ALIASES:
            return ALIASES[candidate]
    return _exact_names().get(key)


def resolve_many(names: list[str]) -> dict[str, str]:
    """Resolve every name or raise ``UnresolvedNames`` listing each one that failed."""
    out: dict[str, str] = {}
    missing: list[str] = []
    for name in names:
        code = resolve(name)
        if code is None:
            missing.append(name)
        else:
            out[name] = code
    if missing:
        raise UnresolvedNames(missing)
    return out


@lru_cache(maxsize=1)
def _rows_by_iso3() -> dict[str, list[dict[str, object]]]:
    """country_converter's rows per ISO3 code, keyed the way its ``convert(src="ISO3")`` matches
    a name: the code column as text with any '.…' suffix cut, compared whole, ignoring case."""
    data = _converter().data
    keys = data["ISO3"].astype(str).str.replace("\\..*", "", regex=True)
    out: dict[str, list[dict[str, object]]] = {}
    for key, record in zip(keys, data.to_dict("records"), strict=True):
        out.setdefault(key.lower(), []).append(record)
    return out


def _convert(iso3: str, to: str) -> object:
    """What ``CountryConverter.convert(iso3, src="ISO3", to=to, not_found=None)`` returns for a
    three-letter code: the one value, a list of several, or the code itself when none matches.

    The library rebuilds its match column for every name it converts (about 2 ms a call, three
    calls per jurisdiction: 0.4 s of each refresh); this reads the same rows from a table built
    once, and cleans and converts each value the way the library does."""
    found: list[object] = []
    for record in _rows_by_iso3().get(iso3.lower(), []):
        value = record[to]
        if to.lower() in ("iso2", "iso3"):  # the library strips its regular-expression syntax
            value = "".join(c for c in str(value).split("|")[0] if c.isalnum()).upper()
        try:
            value = int(value)  # type: ignore[call-overload]
        except ValueError:
            pass
        found.append(value)
    if not found:
        return iso3
    return found[0] if len(found) == 1 else found


@lru_cache(maxsize=1024)
def describe(iso3: str) -> Jurisdiction:
    """Display name and UN sub-region for an ISO alpha-3 code."""
    name = DISPLAY_NAMES.get(iso3)
    region = EXTRA_REGIONS.get(iso3)
    if name is None:
        found = _convert(iso3, "name_short")
        name = found if isinstance(found, str) and found != iso3 else iso3
    if region is None:
        found = _convert(iso3, "UNregion")
        region = found if isinstance(found, str) and found != iso3 else "Other"
    return Jurisdiction(iso3=iso3, name=name, region=region, iso2=_iso2(iso3))


# Codes country_converter has no alpha-2 for: Kosovo's user-assigned pair.
_ISO2_EXTRA = {"XKX": "XK"}


def _iso2(iso3: str) -> str | None:
    if iso3 in _ISO2_EXTRA:
        return _ISO2_EXTRA[iso3]
    found = _convert(iso3, "ISO2")
    return found if isinstance(found, str) and len(found) == 2 and found.isalpha() else None
