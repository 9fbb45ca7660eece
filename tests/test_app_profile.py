"""AppTest of the profile page through dashboard.py's navigation: Hong Kong by default, the
jurisdiction with the most indicators, one with none, and a bad address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from tests.apptest import figures, open_page, sql
from tests.test_browser import ARGS, CHROMIUM, WAIT_MS, app_url  # noqa: F401 (fixture)
from trafficking import links

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/profile.py"


def run(built_db: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    return open_page(PAGE, built_db, monkeypatch, **params)


def texts(at: AppTest, *kinds: str) -> str:
    return "\n".join(str(el.value) for kind in kinds for el in getattr(at, kind))


def metric(at: AppTest, label_start: str) -> str:
    return next(str(m.value) for m in at.metric if m.label.startswith(label_start))


def n_indicators(db: Path, iso3: str) -> int:
    return sql(db, "SELECT count(DISTINCT indicator) FROM observations WHERE area_code = ? "
                   "AND area_kind = 'jurisdiction' AND (breakdown = '')", [iso3])[0][0]


def test_hong_kong_is_the_default(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch)
    assert at.title[0].value == "Hong Kong"
    assert at.selectbox(key="profile_iso3").value == "HKG"
    latest = sql(built_db, "SELECT report_year, tier FROM tip_tiers WHERE iso3 = 'HKG' "
                           "ORDER BY report_year DESC LIMIT 1")[0]
    assert metric(at, f"TIP tier, {latest[0]}") in (latest[1], f"{latest[1]} (unresolved)")
    assert int(metric(at, "Indicators with values")) == n_indicators(built_db, "HKG")
    # One small-multiples panel per indicator (each its own y axis), each keeping its gaps.
    figs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    panels = next(f for f in figs if any(t.get("meta", {}).get("series") for t in f["data"]))
    drawn = {t["meta"]["series"] for t in panels["data"]}
    assert len(drawn) == n_indicators(built_db, "HKG")
    assert sum(1 for k in panels["layout"] if k.startswith("yaxis")) == len(drawn)
    for trace in panels["data"]:
        if trace.get("mode") == "lines+markers":
            assert trace["connectgaps"] is False
    # Every chart on the page has the presenter tools.
    assert at.button(key="profile_indicators-pack") and at.button(key="profile_tiers-pack")
    assert at.button(key="profile_coverage-pack")


def test_hong_kong_gsi_rank_among_160(built_db, monkeypatch) -> None:
    n = sql(built_db, "SELECT count(*) FROM observations WHERE indicator = 'gsi2023_prevalence' "
                      "AND value IS NOT NULL")[0][0]
    if not n:
        pytest.skip("GSI 2023 not in this database")
    hk = sql(built_db, "SELECT value FROM observations WHERE indicator = 'gsi2023_prevalence' "
                       "AND area_code = 'HKG'")[0][0]
    higher = sql(built_db, "SELECT count(*) FROM observations WHERE indicator = "
                           "'gsi2023_prevalence' AND value > ?", [hk])[0][0]
    at = run(built_db, monkeypatch, iso3="HKG")
    latest = next(el.value for el in at.dataframe if "region_rank" in el.value.columns)
    row = latest[latest["indicator"] == "gsi2023_prevalence"].iloc[0]
    assert row["rank"] == f"{higher + 1} of {n}"
    assert row["region_rank"].endswith("in Eastern Asia")


def test_full_data_country(built_db, monkeypatch) -> None:
    iso3, name = sql(built_db, """
        SELECT o.area_code, j.name FROM observations o JOIN jurisdictions j ON j.iso3 = o.area_code
        WHERE o.area_kind = 'jurisdiction'
        GROUP BY ALL ORDER BY count(DISTINCT o.indicator) DESC, count(*) DESC, 1 LIMIT 1""")[0]
    at = run(built_db, monkeypatch, iso3=iso3)
    assert at.title[0].value == name
    assert int(metric(at, "Indicators with values")) == n_indicators(built_db, iso3)
    sources = next(el.value for el in at.dataframe if "sha256" in el.value.columns)
    used = sql(built_db, "SELECT count(DISTINCT source_id) FROM observations WHERE "
                         "area_code = ?", [iso3])[0][0]
    assert sources[sources["what"] == "indicator values"].shape[0] == used
    assert sources["sha256"].str.len().eq(64).all()


def test_country_with_no_values_says_so(built_db, monkeypatch) -> None:
    rows = sql(built_db, """
        SELECT iso3, name FROM jurisdictions WHERE iso3 IN (SELECT iso3 FROM tip_tiers)
          AND iso3 NOT IN (SELECT area_code FROM observations) ORDER BY iso3 LIMIT 1""")
    if not rows:
        pytest.skip("every jurisdiction has indicator values")
    iso3, name = rows[0]
    at = run(built_db, monkeypatch, iso3=iso3)
    assert at.title[0].value == name
    assert "holds no indicator values" in texts(at, "info")
    assert metric(at, "Indicators with values") == "0"
    missing = [el.value for el in at.dataframe if "n_jurisdictions" in el.value.columns]
    assert missing and len(missing[0]) > 0  # what other jurisdictions have and it lacks


def test_bad_address_falls_back_to_hong_kong(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, iso3="<i>nope</i>")
    assert "Ignored an unknown jurisdiction code" in texts(at, "warning")
    assert "<i>" not in texts(at, "warning")
    assert at.title[0].value == "Hong Kong"


def test_switching_jurisdiction_updates_the_address(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch)
    at.selectbox(key="profile_iso3").set_value("SGP").run()
    assert at.title[0].value == "Singapore"
    assert at.query_params["iso3"] == ["SGP"] or at.query_params["iso3"] == "SGP"


def test_selection_event_to_iso3() -> None:
    names = {"Brazil": "BRA", "Hong Kong": "HKG"}
    valid = {"BRA", "HKG"}
    event = {"selection": {"points": [{"location": "BRA", "z": 1}]}}
    assert links.iso3_from_selection(event, valid) == "BRA"
    dot = {"selection": {"points": [{"customdata": ["Hong Kong", "Tier 2"], "lon": 114.1}]}}
    assert links.iso3_from_selection(dot, valid, names) == "HKG"
    assert links.iso3_from_selection(dot, valid) is None
    assert links.iso3_from_selection({"selection": {"points": []}}, valid) is None
    assert links.iso3_from_selection({"selection": {"points": [{"location": "XXX"}]}},
                                     valid) is None
    assert links.iso3_from_selection(None, valid) is None
    assert links.profile_url("hkg") == "profile?iso3=HKG"
    assert links.compare_url(["HKG", "SGP"], ["gsi2023_prevalence"]) == (
        "compare?areas=HKG,SGP&indicators=gsi2023_prevalence")


def test_map_click_opens_the_profile(built_db, monkeypatch) -> None:
    """The tiers page's click handler stores the clicked country; the next run switches to
    its profile (the click itself is exercised in Chromium below)."""
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.switch_page("app_pages/tiers.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    at.session_state["tiers_open_profile"] = "BRA"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Brazil"


def test_clicking_a_country_in_chromium(app_url: str) -> None:  # noqa: F811 (fixture)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(WAIT_MS)
            page.goto(f"{app_url}/tiers")
            page.wait_for_selector(".choroplethlocation")
            # The country's own shape, found through the data plotly bound to it.
            box = page.evaluate("""(code) => {
                for (const el of document.querySelectorAll('.choroplethlocation')) {
                    const d = el.__data__;
                    if (d && d.loc === code) {
                        el.scrollIntoView({block: 'center'});
                        const r = el.getBoundingClientRect();
                        return {x: r.x + r.width / 2, y: r.y + r.height / 2};
                    }
                }
                return null;
            }""", "BRA")
            assert box, "Brazil is not on the map"
            page.mouse.click(box["x"], box["y"])
            page.wait_for_url("**/profile?iso3=BRA")
            page.wait_for_selector("h1:has-text('Brazil')")
        finally:
            browser.close()


def test_compare_link_opens_the_same_view(built_db, monkeypatch) -> None:
    """The profile's link carries the jurisdiction, its peers and its indicators; the compare
    page opened with that address shows exactly them."""
    from urllib.parse import parse_qs

    at = run(built_db, monkeypatch, iso3="HKG")
    link = next(el.proto for el in at.get("page_link") if el.proto.page == "compare")
    query = {k: v[0] for k, v in parse_qs(link.query_string).items()}
    areas = query["areas"].split(",")
    assert areas[0] == "HKG" and len(areas) >= 2
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    cmp = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    for key, value in query.items():
        cmp.query_params[key] = value
    cmp.switch_page("app_pages/compare.py")
    cmp.run()
    assert not cmp.exception, [e.message for e in cmp.exception]
    assert cmp.multiselect(key="cmp_areas").value == areas
    assert cmp.multiselect(key="cmp_series").value == query["indicators"].split(",")
    assert not cmp.warning  # nothing in the link was dropped


def _responses_table(at: AppTest):
    return next(el for el in at.dataframe if "stance_quote" in el.value.columns)


def test_hong_kong_lists_what_the_government_said(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, iso3="HKG")
    assert any(h.value == "What the government said" for h in at.header)
    table = _responses_table(at).value
    n = sql(built_db, "SELECT count(*) FROM government_responses WHERE iso3 = 'HKG'")[0][0]
    assert len(table) == n == 16
    assert table["report_year"].tolist() == sorted(table["report_year"])
    r2016 = table[table["report_year"] == 2016].iloc[0]
    assert r2016["stance"] == "rejects" and r2016["date"] == "2016-06-30"
    assert r2016["stance_quote"].startswith("vehemently and categorically reject")
    assert r2016["tier"] == "Tier 2 Watch List"
    assert r2016["cited_url"].startswith("https://sc.isd.gov.hk/")
    assert table.loc[table["report_year"] == 2019, "stance"].tolist() == ["notes"]
    assert (table["date"] == "date not stated").sum() == 1  # the PRC office's 2017 reply
    assert table["cited_url"].str.match(r"^https?://").all()
    # The link column, and the plain statement that the stance is the project's reading.
    config = json.loads(_responses_table(at).proto.columns)
    assert config["cited_url"]["type_config"]["type"] == "link"
    assert "this project's reading of the statement" in texts(at, "caption")


def test_the_stance_is_translated_the_statement_is_not(built_db, monkeypatch) -> None:
    table = _responses_table(run(built_db, monkeypatch, iso3="HKG", lang="zh-Hant")).value
    r2016 = table[table["report_year"] == 2016].iloc[0]
    assert r2016["stance"] == "反對"  # the project's word, in the reader's language
    assert r2016["tier"] == "第二級觀察名單"  # the tier that report gave, in Chinese too
    assert r2016["stance_quote"].startswith("vehemently and categorically reject")
    assert table.loc[table["report_year"] == 2019, "stance"].tolist() == ["備悉"]


def test_taiwan_quotes_keep_their_language(built_db, monkeypatch) -> None:
    table = _responses_table(run(built_db, monkeypatch, iso3="TWN")).value
    assert table.set_index("report_year")["stance_quote"][2016] == "外交部對此十分感謝"
    assert table.set_index("report_year")["language"].to_dict() == {
        2016: "Chinese (traditional)", 2021: "Chinese (traditional)", 2025: "Japanese"}


def test_a_country_without_responses_says_so(built_db, monkeypatch) -> None:
    none = sql(built_db, "SELECT count(*) FROM government_responses WHERE iso3 = 'JPN'")[0][0]
    assert none == 0
    at = run(built_db, monkeypatch, iso3="JPN")
    assert ("No published government response to a TIP report is in the database for Japan."
            in texts(at, "info"))
    assert not any("stance_quote" in el.value.columns for el in at.dataframe)


def test_all_values_are_built_only_when_opened(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, iso3="SGP")
    assert not any("quote" in el.value.columns and "charted" in el.value.columns
                   for el in at.dataframe)
    at = run(built_db, monkeypatch, iso3="SGP", section="values")
    values = next(el.value for el in at.dataframe
                  if "quote" in el.value.columns and "charted" in el.value.columns)
    n = sql(built_db, "SELECT count(*) FROM observations WHERE area_code = 'SGP' "
                      "AND breakdown = ''")[0][0]
    assert len(values) == n


def test_chinese_address_opens_the_same_profile_in_chinese(built_db, monkeypatch) -> None:
    zh = run(built_db, monkeypatch, iso3="HKG", lang="zh-Hant")
    en = run(built_db, monkeypatch, iso3="HKG")
    assert zh.selectbox[0].value == en.selectbox[0].value == "HKG"
    assert [h.value for h in zh.header][:2] == ["人口販運報告評級", "政府的說法"]
    assert zh.title[0].value == "香港" and en.title[0].value == "Hong Kong"
    assert "ISO 代碼 HKG · 地區：東亞" in texts(zh, "caption")
    # Table headings in Chinese over the same columns.
    heads = {v.get("label") for df in zh.dataframe for v in json.loads(df.proto.columns or "{}")
             .values() if isinstance(v, dict)}
    assert {"來源檔案", "報告年份", "指標"} <= heads
    assert metric(zh, "人口販運報告評級（") == metric(en, "TIP tier, ").replace(
        "Tier 2 Watch List", "第二級觀察名單")
    zh_fig = [f for f in figures(zh) if "歷年評級" in str(f["layout"].get("title"))]
    assert zh_fig, [f["layout"].get("title") for f in figures(zh)]
    ticks = zh_fig[0]["layout"]["yaxis"]["ticktext"]
    assert "第一級" in ticks and "第二級<br>觀察名單" in ticks  # on two lines: fits a phone
    captions = texts(zh, "caption")
    assert "2001–2008 年第一級、2009–2015 年第二級" in captions  # the tier summary
    assert "Tier 1 in 2001–2008, Tier 2 in 2009–2015" in texts(en, "caption")


def test_country_picker_sorts_by_the_name_shown(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch)
    shown = at.selectbox(key="profile_iso3").options
    # Accents folded: Côte d'Ivoire between Costa Rica and Croatia, not after Czechia.
    at_c = shown.index("Costa Rica")
    assert shown[at_c:at_c + 3] == ["Costa Rica", "Côte d'Ivoire", "Croatia"]
    at = run(built_db, monkeypatch, lang="zh-Hant")
    picker = at.selectbox(key="profile_iso3")
    assert picker.options[:3] == ["不丹", "中國", "中非共和國"] and picker.value == "HKG"
