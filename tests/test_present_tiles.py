"""trafficking/present/tiles.py (what pages show beside their charts) and the charts of the
Global estimates and Tiers pages that became registered charts: on the session database, plus
small frames for the pure rules."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from trafficking import i18n
from trafficking.present import tiles


@pytest.fixture()
def live(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))


def test_tier_tiles_facts_and_movements(live) -> None:
    from trafficking.queries import tiers as tq

    panel = tq.panel()
    this = panel[panel["report_year"] == 2024]
    shown = {t.label: t.value for t in tiles.tier_tiles(this)}
    # The 2024 report's own totals (README): 33 / 98 / 32 / 21 and 4 Special Cases.
    assert shown == {"Tier 1": "33", "Tier 2": "98", "Tier 2 Watch List": "32", "Tier 3": "21",
                     "Special Case": "4"}
    facts = tiles.report_facts(panel, 2024, tq.report_years())
    assert facts[0].startswith("**188** of the 188 placements in 2024 are resolved")
    assert "**79** of them are derived by elimination" in facts[0]
    moves = tq.movements(panel, 2024)
    counts = {t.label: int(t.value) for t in tiles.movement_tiles(moves)}
    assert counts["Upgraded"] == (moves["movement"] == "upgrade").sum() > 0
    moved = tiles.moved(moves)
    assert set(moved["movement"]) <= {"upgrade", "downgrade", "unclear", "not comparable"}
    assert moved["name_now"].isin(["Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3",
                                   "Special Case", "Tier 1 or 2 (unresolved)"]).all()
    assert tiles.unresolved_count(panel, 2024) == 0
    with i18n.using("zh-Hant"):  # the same figures in the reader's words
        assert {t.label: t.value for t in tiles.tier_tiles(this)} == {
            "第一級": "33", "第二級": "98", "第二級觀察名單": "32", "第三級": "21", "特殊個案": "4"}
        assert set(tiles.moved(moves)["movement"]) <= {"升級", "降級", "未能確定", "不可比較"}
        assert tiles.report_facts(panel, 2024, tq.report_years())[0].startswith(
            "2024 年的 188 項評級中，**188** 項可確定為單一評級")
        # Jurisdictions in Chinese, in the Chinese names' order (not the English names').
        from trafficking.queries.catalogue import name_key

        zh = tiles.moved(moves)
        assert set(moved["iso3"]) == set(zh["iso3"]) and "Hong Kong" not in set(zh["name"])
        for word in ("升級", "降級"):
            names = zh.loc[zh["movement"] == word, "name"].tolist()
            assert names == sorted(names, key=name_key)
        assert zh.set_index("iso3").loc[moved["iso3"].iloc[0], "name"] != moved["name"].iloc[0]
        streaks = tiles.watch_streaks(tq.watch_list_streaks(panel, 2025))
        assert dict(zip(streaks["iso3"], streaks["name"], strict=True))["HKG"] == "香港"
        assert streaks["consecutive_years"].is_monotonic_decreasing
        top = streaks[streaks["consecutive_years"] == streaks["consecutive_years"].max()]
        assert top["name"].tolist() == sorted(top["name"], key=name_key)
        assert top["name"].tolist() == ["剛果（布拉薩）", "所羅門群島", "瓦努阿圖"]


def test_timeline_table_blanks_missing_responses_and_unsafe_addresses() -> None:
    hist = pd.DataFrame({
        "response_url": ["https://www.gov.hk/en/x.htm", "javascript:alert(1)", None],
        **{c: ["x", None, None] for c in ("response_date", "response_stance", "response_quote",
                                          "response_figures", "response_publisher",
                                          "response_others")}})
    out = tiles.timeline_table(hist)
    assert out["response_url"].tolist()[0] == "https://www.gov.hk/en/x.htm"
    assert pd.isna(out["response_url"].iloc[1]) and pd.isna(out["response_url"].iloc[2])
    assert out["response_quote"].tolist() == ["x", "", ""]


def test_small_shapers() -> None:
    assert tiles.year_span(2001, 2025) == "2001–2025"
    assert tiles.year_span(2019, 2019) == "2019"
    assert tiles.year_span(float("nan"), float("nan")) == "—"
    markers = pd.DataFrame({"iso3": ["HKG", "XKX"], "lon": [114.2, None], "lat": [22.3, None]})
    assert tiles.not_on_map({"HKG": "Hong Kong", "XKX": "Kosovo"}, markers) == "Kosovo"
    assert tiles.not_on_map({}, markers.iloc[:1]) == ""


def test_breakdown_charts_are_registered_in_their_section(live) -> None:
    from trafficking.present import links, registry

    ids = ["ge-forms", "ge-form-shares", "ge-sex-age", "ge-sex-age-shares", "ge-other",
           "ge-other-shares", "ge-regions"]
    for chart_id in ids:
        spec = registry.CHARTS[chart_id]
        assert (spec.page, spec.section) == ("global_estimates", "breakdowns")
    # An embed without an edition shows the latest edition that has such figures: the
    # 2022 edition quotes only shares by movement and income group, the ILO 2012 counts.
    assert registry.view_defaults("ge-other") == {"edition": 2012}
    assert registry.view_defaults("ge-other-shares") == {"edition": 2022}
    view = registry.view("ge-form-shares", {"edition": 2017})
    assert view.figure.layout.title.text == ("Shares by form (%)<br>Global Estimates 2017 "
                                             "edition (2016)")
    assert [t.text for t in view.figure.data] == [("51 %",)]
    assert set(view.data["kind"]) == {"share"} and view.data["source_id"].notna().all()
    link = links.permalink(registry.CHARTS["ge-regions"],
                           {"edition": 2017, "measure": "forced_labour"}, "http://x")
    assert parse_qs(urlsplit(link).query) == {"edition": ["2017"], "measure": ["forced_labour"],
                                             "section": ["breakdowns"]}


def test_region_chart_falls_back_to_a_measure_the_edition_quotes(live) -> None:
    from trafficking.present import registry

    view = registry.view("ge-regions", {"edition": 2012, "measure": "forced_marriage"})
    assert view.figure.layout.title.text.startswith("Forced labour by region<br>ILO 2012")
    view = registry.view("ge-regions", {"edition": 2022, "measure": "modern_slavery"})
    assert view.caption.endswith("Not quoted for this edition and measure — number of people: "
                                 "Americas, Arab States.")


def test_animated_map_is_a_registered_chart(live) -> None:
    from trafficking.present import links, registry
    from trafficking.queries import tiers as tq

    view = registry.view("tiers-map-animated", {"year": 2015, "animate": True})
    assert registry.from_address("tiers-map-animated", {"animate": ["true"]})[0]["animate"]
    years = tq.report_years()
    assert [f.name for f in view.figure.frames] == [str(y) for y in years]
    assert view.figure.layout.title.text == "TIP report 2015: tier placements"
    assert sorted(view.data["report_year"].unique()) == years
    spec = registry.CHARTS["tiers-map-animated"]
    assert links.permalink(spec, {"year": 2015, "animate": True}, "http://x") == \
        "http://x/tiers?year=2015&animate=1"
