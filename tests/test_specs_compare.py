"""trafficking/present/specs_compare.py on the session database: the Compare page's address
parameters, comparison() (charted rows, per 100,000, breaks, what is missing) and the two
shareable charts with their permalinks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.apptest import sql

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture()
def sc(built_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    from trafficking.present import specs_compare

    return specs_compare


def test_parse_series_on_a_synthetic_catalogue() -> None:
    from tests.test_charts_compare import CAT
    from trafficking.present.specs_compare import parse_series

    cat = CAT.assign(n_rows=[3, 1, 2, 0])
    kept, dropped = parse_series(["ABC2012_thing, x_count,,", "nope", "xyz2023_thing"], cat)
    assert kept == ["abc2017_thing", "x_count"]  # an old edition stands for its series
    assert dropped == ["nope", "xyz2023_thing"]  # unknown, and known but without values


def test_indicators_take_any_edition_for_its_series(sc) -> None:
    checked = sc.INDICATORS.check(["gems2017_forced_labour,ILO2005_FORCED_LABOUR", "nope"])
    assert checked.value == ["gems2022_forced_labour"]
    assert checked.notices[0] == ("Ignored an indicator in the address that the database does "
                                  "not hold: “nope”.")
    many = sc.INDICATORS.check([",".join(f"n{i}" for i in range(7))]).notices[0]
    assert many == ("Ignored 7 indicators in the address that the database does not hold: "
                    "“n0”, “n1”, “n2”, “n3”, “n4” and 2 more.")
    from trafficking import i18n

    with i18n.using("zh-Hant"):  # the catalogue's one convention for quotes: 「」
        assert sc.INDICATORS.check(["nope"]).notices[0] == "已略過網址中數據庫沒有的指標：「nope」。"
        assert sc.INDICATORS.check([",".join(f"n{i}" for i in range(7))]).notices[0] == (
            "已略過網址中數據庫沒有的指標：「n0」、「n1」、「n2」、「n3」、「n4」及另外 2 個。")
    hostile = sc.INDICATORS.check([HOSTILE])
    assert hostile.value is None and "<script>" not in hostile.notices[0]
    assert "too long" in sc.INDICATORS.check(["x" * 3000]).notices[0]
    from trafficking.queries import catalogue as cq

    default = sc.INDICATORS.default()
    assert len(default) == 1 and default[0] != cq.population_code(cq.catalogue())


def test_flags_and_gap(sc) -> None:
    assert [sc.LOG.check([v]).value for v in ("1", "true", "YES", "0", "no", "")] == [
        True, True, True, False, False, None]
    maybe = sc.PER100K.check(["maybe"])
    assert maybe.value is None and "use 1 or 0" in maybe.notices[0]
    assert sc.GAP.check(["3"]).value == 3 and sc.GAP.check(["9"]).value is None
    assert sc.BREAKDOWN.check(["SEX"]).value == "sex" and sc.BREAKDOWN.default() == "total"


def test_places_offered_follow_the_indicators(sc) -> None:
    plain = sc.place_options(["uk_nrm_referrals"], [])
    assert "GBR" in plain and "WLD" not in plain and not sc.lists_regions(["uk_nrm_referrals"])
    world = sc.place_options(["gems2022_forced_labour"], [])
    assert list(world)[0] == "WLD" and sc.lists_regions(["gems2022_forced_labour"])
    assert "WLD" in sc.place_options(["uk_nrm_referrals"], ["WLD"])  # an earlier pick stays


def test_comparison_per_100k_and_missing(sc, built_db) -> None:
    c = sc.comparison(["GBR", "HKG"], ["uk_nrm_referrals"], per100k=True, gap=0)
    gbr = c.plotted[c.plotted["area_code"] == "GBR"]
    assert len(gbr) and not gbr.duplicated("year").any()  # one charted statement a year
    row = gbr[gbr["value"].notna()].iloc[0]
    assert row["value"] == pytest.approx(row["value_original"] / row["population"] * 100_000)
    assert c.missing == {"uk_nrm_referrals": ["Hong Kong"]}
    assert "no values for Hong Kong" in sc.say.missing_note(c)
    table = sc.values_table(c)
    assert {"per_100k", "value"} <= set(table.columns)
    n = sql(built_db, "SELECT count(*) FROM observations WHERE indicator = 'uk_nrm_referrals' "
                      "AND area_code = 'GBR' AND breakdown = ''")[0][0]
    assert len(table) == n  # every statement is in the table, charted or not


def test_views_and_permalinks(sc) -> None:
    from trafficking.present import links, registry

    values = {"areas": ["GBR", "HKG"], "indicators": ["uk_nrm_referrals"], "per100k": True,
              "gap": 1, "log": True, "breakdown": None, "all_tiers": None}
    lines = registry.view("compare-lines", values)
    assert lines.figure.layout.yaxis.type == "log"
    assert any(str(t.name).startswith("TIP: ") for t in lines.figure.data)
    assert len(lines.sources) and set(lines.data["area_code"]) == {"GBR"}
    link = links.permalink(registry.CHARTS["compare-lines"], values, "http://x")
    assert urlsplit(link).path == "/compare"
    assert {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()} == {
        "areas": "GBR,HKG", "indicators": "uk_nrm_referrals", "per100k": "1", "gap": "1",
        "log": "1"}
    ranking = registry.view("compare-ranking", values)
    assert ranking.title.endswith(": latest value") and len(ranking.data) == 1
    assert "log" not in links.permalink(registry.CHARTS["compare-ranking"], values, "http://x")


def _drawn(fig) -> int:
    """Values a compare figure draws: markers with a value (lines, tier squares, bars) and
    the ◇ marks of values published without a number."""
    n = 0
    for trace in fig.data:
        values = trace.x if getattr(trace, "orientation", None) == "h" else trace.y
        n += sum(1 for v in (values if values is not None else ()) if v is not None and v == v)
    return n + sum(1 for a in fig.layout.annotations if str(a.text or "").startswith("◇"))


def test_summaries_and_tables_are_the_plotted_values(sc) -> None:
    from trafficking import i18n
    from trafficking.present import registry

    values = {"areas": ["GBR", "HKG"], "indicators": ["uk_nrm_referrals"]}
    lines = registry.view("compare-lines", values)
    assert lines.summary == ("Potential victims referred to the NRM (UK): United Kingdom 534 "
                             "(2009) to 19,125 (2024).")
    assert len(lines.table) == _drawn(lines.figure)
    figures = lines.table[lines.table["Indicator"] != "TIP report tier"]
    assert figures["Year"].tolist() == sorted(figures["Year"]) and len(figures) == len(
        lines.data[lines.data["value"].notna() | lines.data["qualifier"].notna()])
    tiers = lines.table[lines.table["Indicator"] == "TIP report tier"]
    assert set(tiers["Place"]) == {"United Kingdom", "Hong Kong"}
    ranking = registry.view("compare-ranking", {"areas": ["GBR", "HKG", "SGP", "TWN"],
                                                "indicators": ["gsi2023_government_response"]})
    assert len(ranking.table) == _drawn(ranking.figure)
    top, low = ranking.table.iloc[0], ranking.table.iloc[-1]
    assert ranking.summary == (
        f"Government response to modern slavery (GSI 2023), latest value of 4 places: highest "
        f"{top['Place']} {top['Latest value']} ({top['Year']}), lowest {low['Place']} "
        f"{low['Latest value']} ({low['Year']}).")
    assert (top["Place"], top["Latest value"]) == ("United Kingdom", "67.95")
    with i18n.using("zh-Hant"):
        zh = registry.view("compare-lines", values)
        zh_rank = registry.view("compare-ranking", values)
    assert zh.summary.startswith("Potential victims referred to the NRM (UK)：英國由 534（2009）")
    assert list(zh.table.columns) == ["地方", "指標", "年份", "數值", "單位"]
    assert {t.name for t in zh.figure.data} >= {"英國"}
    assert any(str(t.name).startswith("人口販運報告：") for t in zh.figure.data)
    assert zh_rank.title.endswith("：最新數值") and zh.caption.startswith("每個單位一個圖格")


def test_breakdown_names() -> None:
    from trafficking import i18n
    from trafficking.present import text_compare as say

    assert say.breakdown_option("sex_age") == "By sex × age"
    assert say.breakdown_option("share_of_world") == "By share of the world"  # one dimension
    assert say.breakdown_option("total") == "Total (no breakdown)"
    with i18n.using("zh-Hant"):
        assert say.breakdown_option("form_sex_age") == "按剝削形式 × 性別 × 年齡"
        assert say.breakdown_name("new_thing") == "new × thing"  # unknown codes as they are
