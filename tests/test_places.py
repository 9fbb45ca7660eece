"""trafficking/places.py on the session database: a place's name in the reader's language from
CLDR through the ETL's ``areas.cldr_code``, the alias table for what CLDR does not name, and the
database's own English name otherwise."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from trafficking import i18n, places


@pytest.fixture
def session_db(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    return built_db


def test_the_etl_states_the_cldr_code_of_every_jurisdiction(built_db: Path) -> None:
    with duckdb.connect(str(built_db), read_only=True) as con:
        rows = dict(con.execute("SELECT code, cldr_code FROM areas").fetchall())
        unnamed = con.execute("SELECT count(*) FROM areas WHERE kind = 'jurisdiction' "
                              "AND cldr_code IS NULL").fetchone()[0]
    assert unnamed == 0
    assert (rows["HKG"], rows["MAC"], rows["XKX"], rows["TWN"]) == ("HK", "MO", "XK", "TW")
    assert (rows["WLD"], rows["ILO-AFR"], rows["ILO-AMR"]) == ("001", "002", "019")
    assert rows["ILO-ARB"] is None and rows["EU27_2020"] is None  # CLDR has no such region


def test_names_in_chinese_come_from_cldr_then_the_alias_table(session_db: Path) -> None:
    with i18n.using("zh-Hant"):
        assert places.name("HKG", "Hong Kong") == "香港"
        assert places.name("SGP", "Singapore") == "新加坡"
        assert places.name("WLD", "World") == "世界"
        assert places.name("ILO-AFR", "Africa") == "非洲"
        assert places.name("ILO-ARB", "Arab States") == "阿拉伯國家"
        assert places.name("EU27_2020", "European Union") == "歐洲聯盟（27個成員國，2020年組成）"
        assert places.name("ZZZ", "Nowhere") == "Nowhere"  # unknown: the database's name
        # CLDR's zh_Hant name for region 202 has a typo ('撒哈拉撒沙漠以南非洲'): ours first.
        assert places.name("ILO05-SSA", "Sub-Saharan Africa") == "撒哈拉以南非洲"
        assert i18n.territory_name("202", "Sub-Saharan Africa") == "撒哈拉以南非洲"
        assert places.group_name("Walk Free region", "Arab States") == "阿拉伯國家"
    assert places.name("HKG", "Hong Kong") == "Hong Kong"
    assert places.group_name("Walk Free region", "Arab States") == "Arab States"


def test_localise_changes_only_the_name_column_and_never_in_english(session_db: Path) -> None:
    frame = pd.DataFrame({"iso3": ["HKG", "MAC", "CHN"], "name": ["Hong Kong", "Macau", "China"],
                          "value": [1, 2, 3]})
    assert places.localise(frame) is frame
    with i18n.using("zh-Hant"):
        out = places.localise(frame)
    assert out["name"].tolist() == ["香港", "澳門", "中國"]
    assert out["value"].tolist() == [1, 2, 3] and frame["name"].tolist()[0] == "Hong Kong"
