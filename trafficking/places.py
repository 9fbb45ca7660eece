"""Place names in the reader's language: the one place the dashboard names a place.

The database holds one English display name per place (``areas.name``) and, where CLDR names
it, the CLDR territory code (``areas.cldr_code``: ISO alpha-2 or a UN M49 region, written by
the ETL). Names in other languages come from CLDR through Babel (``i18n.territory_name``);
places CLDR does not name — ILO's regions, the EU-27 with its composition — come from the alias
table here. English is always the database's own name.
"""

from __future__ import annotations

import pandas as pd

from trafficking import db, i18n

# Area code → name, per language, for places CLDR does not name (or names otherwise).
_ALIASES: dict[str, dict[str, str]] = {
    "zh-Hant": {
        "EU27_2020": "歐洲聯盟（27個成員國，2020年組成）",
        "ILO-ARB": "阿拉伯國家",
        "ILO-ASP": "亞洲及太平洋",
        "ILO-ECA": "歐洲及中亞",
        "ILO05-IND": "工業化國家",
        "ILO05-LAC": "拉丁美洲及加勒比",
        "ILO12-ASP": "亞太",
        "ILO12-CIS": "中歐及東南歐（非歐盟）及獨立國家聯合體",
        "ILO12-DEV": "已發展經濟體及歐洲聯盟",
        "ILO12-MEA": "中東",
    },
}
# A publisher's own groups of places (``area_groups``), by scheme and the publisher's name.
_GROUPS: dict[str, dict[str, dict[str, str]]] = {
    "zh-Hant": {
        "Walk Free region": {
            "Africa": "非洲", "Americas": "美洲", "Arab States": "阿拉伯國家",
            "Asia and the Pacific": "亞洲及太平洋", "Europe and Central Asia": "歐洲及中亞",
        },
    },
}


@db.per_file(maxsize=4)
def _cldr_codes() -> dict[str, str]:
    frame = db.query("SELECT code, cldr_code FROM areas WHERE cldr_code IS NOT NULL")
    return dict(zip(frame["code"], frame["cldr_code"], strict=True))


def name(code: str | None, english: str) -> str:
    """The place ``code`` in this run's language; ``english`` (the database's name) in English
    and wherever neither CLDR nor the alias table knows it."""
    lang = i18n.language()
    if lang == i18n.DEFAULT or not code:
        return english
    alias = _ALIASES.get(lang, {}).get(code)
    if alias:
        return alias
    try:
        cldr = _cldr_codes().get(code)
    except db.DatabaseMissing:
        cldr = None
    return i18n.territory_name(cldr, english) if cldr else english


def localise(frame: pd.DataFrame, code: str = "iso3", column: str = "name") -> pd.DataFrame:
    """A copy of ``frame`` with ``column`` in this run's language (the frame itself in English)."""
    if i18n.language() == i18n.DEFAULT or frame.empty or column not in frame.columns:
        return frame
    out = frame.copy()
    out[column] = [name(c, n) if isinstance(n, str) else n
                   for c, n in zip(out[code], out[column], strict=True)]
    return out


def group_name(scheme: str, english: str) -> str:
    """A publisher's group (e.g. a Walk Free region) in this run's language."""
    return _GROUPS.get(i18n.language(), {}).get(scheme, {}).get(english, english)
