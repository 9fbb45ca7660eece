"""State in the address for every page (AppTest): values given in the address show up in the
widgets and are written back; hostile values are dropped with a plain-text notice; embed mode
shows one chart and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<script>alert(1)</script>"
LONG = "Z" * 5000


@pytest.fixture(autouse=True)
def _db(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    monkeypatch.delenv("TRAFFICKING_PUBLIC_URL", raising=False)


def run(script: str, params: dict[str, str]) -> AppTest:
    """Run ``script`` as a page of the app (pages link to each other through st.navigation)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    if script != "dashboard.py":
        at.switch_page(script)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def written(at: AppTest) -> dict[str, str]:
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def assert_no_html(at: AppTest) -> None:
    """Nothing on the page is rendered as raw HTML, and no markup is shown unescaped."""
    # The one st.html is the dashboard's own style sheet (render.page_style).
    assert [h for h in at.get("html") if "<style>" not in h.proto.body[:7]] == []
    for el in [*at.markdown, *at.caption]:
        assert not el.proto.allow_html, el.value
    for el in [*at.warning, *at.info, *at.error, *at.markdown, *at.caption]:
        assert "<script>" not in el.value
        assert LONG not in el.value


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


# --- Round trips: (page, address, {widget key: expected value}, {param: written value}) -------
ROUND_TRIPS = [
    ("app_pages/tiers.py",
     {"year": "2015", "jurisdictions": "SGP,MYS", "regions": "Eastern Asia", "sort": "watch"},
     {"tiers_year": 2015, "tiers_places": ["SGP", "MYS"], "tiers_regions": ["Eastern Asia"],
      "tiers_sort": "watch"},
     {"year": "2015", "jurisdictions": "SGP,MYS", "regions": "Eastern Asia", "sort": "watch"}),
    ("app_pages/screening.py", {"compare": "HKG,SGP"}, {"screening_places": ["HKG", "SGP"]},
     {"compare": "HKG,SGP"}),
    ("app_pages/profile.py", {"iso3": "SGP"}, {"profile_iso3": "SGP"}, {"iso3": "SGP"}),
    ("app_pages/compare.py", {"areas": "HKG,SGP"}, {"cmp_areas": ["HKG", "SGP"]},
     {"areas": "HKG,SGP"}),
    ("app_pages/global_estimates.py", {"edition": "2017", "country": "sgp"},
     {"ge_edition": 2017, "ge_country": "SGP"}, {"edition": "2017", "country": "SGP"}),
    ("app_pages/data_sources.py", {"dataset": "wikipedia-tip-tier-table", "years": "2023,2011"},
     {"ds_dataset": "wikipedia-tip-tier-table", "ds_conflict_years": [2023, 2011]},
     {"dataset": "wikipedia-tip-tier-table", "years": "2023,2011"}),
    ("app_pages/briefing_pack.py", {"pack": "tiers-map:year=2015;tier-counts:"}, {},
     {"pack": "tiers-map:year=2015;tier-counts:"}),
]


@pytest.mark.parametrize("script, address, widgets, back", ROUND_TRIPS,
                         ids=[r[0] for r in ROUND_TRIPS])
def test_address_round_trip(script: str, address: dict, widgets: dict, back: dict) -> None:
    if not (ROOT / script).exists():
        pytest.skip(f"{script} not written yet")
    at = run(script, address)
    for key, expected in widgets.items():
        assert at.session_state[key] == expected, key
    out = written(at)
    for key, value in back.items():
        assert out.get(key) == value, (key, out)
    assert not at.warning or "Ignored" not in warnings(at)


@pytest.mark.parametrize("script", ["app_pages/overview.py", "app_pages/data_sources.py"])
def test_pages_without_address_state_ignore_hostile_values(script: str) -> None:
    if not (ROOT / script).exists():
        pytest.skip(f"{script} not written yet")
    at = run(script, {"year": HOSTILE, "iso3": "XXX", "q": LONG})
    assert_no_html(at)


def test_tiers_widgets_write_back_to_the_address() -> None:
    at = run("app_pages/tiers.py", {"section": "timeline,heatmap"})
    assert written(at)["year"] == str(at.session_state["tiers_year"])
    assert written(at)["jurisdictions"] == "HKG"  # the default selection
    at.select_slider(key="tiers_year").set_value(2010).run()
    at.multiselect(key="tiers_places").select("SGP").run()
    at.radio(key="tiers_sort").set_value("latest").run()
    out = written(at)
    assert (out["year"], out["jurisdictions"], out["sort"]) == ("2010", "HKG,SGP", "latest")
    # the permalink and embed code under the map follow the widgets (once the panel is open)
    assert not at.code
    at.session_state["map_year-share"] = True
    at.session_state["heatmap-share"] = True
    at.run()
    codes = [c.value for c in at.code]
    assert ("http://localhost:8501/tiers?regions=&sort=latest&section=heatmap" in codes
            or "http://localhost:8501/tiers?sort=latest&section=heatmap" in codes), codes
    assert "http://localhost:8501/tiers?year=2010" in codes
    assert any("chart=tiers-map&amp;year=2010" in c for c in codes)


@pytest.mark.parametrize("address, expect", [
    ({"year": HOSTILE}, "\\<script\\>"),
    ({"year": "1800"}, "1800"),
    ({"year": LONG}, "5,000 characters"),
    ({"jurisdictions": "XXX"}, "XXX"),
    ({"jurisdictions": LONG}, "too long"),
    ({"regions": HOSTILE}, "\\<script\\>"),
    ({"sort": "<b>bold</b>"}, "\\<b\\>"),
])
def test_tiers_hostile_values_dropped_with_notice(address: dict, expect: str) -> None:
    at = run("app_pages/tiers.py", address)
    assert expect in warnings(at)
    assert_no_html(at)
    assert at.session_state["tiers_year"] == 2025 or "year" not in address
    assert at.session_state["tiers_places"] == ["HKG"] or "jurisdictions" not in address
    out = written(at)
    assert "<" not in "".join(out.values()) and len("".join(out.values())) < 200


@pytest.mark.parametrize("script, name", [("app_pages/screening.py", "compare"),
                                          ("app_pages/profile.py", "iso3"),
                                          ("app_pages/compare.py", "areas")])
@pytest.mark.parametrize("value", [HOSTILE, "XXX", LONG])
def test_other_pages_drop_hostile_codes(script: str, name: str, value: str) -> None:
    if not (ROOT / script).exists():
        pytest.skip(f"{script} not written yet")
    at = run(script, {name: value})
    assert warnings(at), "a dropped value is reported"
    assert_no_html(at)
    assert value not in written(at).get(name, "")


@pytest.mark.parametrize("address, expect", [
    ({"edition": HOSTILE}, "\\<script\\>"), ({"edition": "1800"}, "1800"),
    ({"country": "XXX"}, "XXX"), ({"country": LONG}, "too long"),
])
def test_global_estimates_hostile_values(address: dict, expect: str) -> None:
    at = run("app_pages/global_estimates.py", address)
    assert expect in warnings(at)
    assert_no_html(at)
    out = written(at)
    assert out["country"] == "HKG"
    # ?edition= opens the breakdowns section (and writes the edition back); otherwise it stays
    # closed and the address carries no edition.
    assert out.get("edition") == ("2022" if "edition" in address else None)


@pytest.mark.parametrize("address", [{"dataset": HOSTILE}, {"years": "1800," + LONG[:100]},
                                     {"years": LONG}])
def test_data_sources_hostile_values(address: dict) -> None:
    at = run("app_pages/data_sources.py", address)
    assert "Ignored" in warnings(at)
    assert_no_html(at)
    assert at.session_state["ds_dataset"] == "All datasets"
    assert at.session_state["ds_conflict_years"] == []
    assert not written(at)


def test_tools_under_other_pages_charts() -> None:
    at = run("app_pages/screening.py", {})
    assert at.button(key="hk_chart-pack") and at.button(key="hk_rate-pack")
    at = run("app_pages/global_estimates.py", {})
    at.button(key="ge_gsi_map-pack").click().run()
    assert {"chart": "gsi-map", "params": {}} in at.session_state["briefing_pack"]
    at.session_state["ge_gsi_map-share"] = True
    at.run()
    assert any("chart=gsi-map" in c.value for c in at.code)


def test_briefing_pack_hostile_and_unknown_entries() -> None:
    at = run("app_pages/briefing_pack.py",
             {"pack": f"tiers-map:year={HOSTILE};nope:;tier-timeline:jurisdictions=XXX,SGP"})
    text = warnings(at)
    assert "nope" in text and "\\<script\\>" in text and "XXX" in text
    assert_no_html(at)
    assert written(at)["pack"] == "tiers-map:year=2025;tier-timeline:jurisdictions=SGP"
    assert {"pack_html", "pack_zip"} <= {b.proto.id.split("-")[-1] for b in at.get(
        "download_button")} or len(at.get("download_button")) == 2


def test_add_to_pack_from_the_tiers_page_and_reorder() -> None:
    at = run("app_pages/tiers.py", {"year": "2012", "section": "counts"})
    at.button(key="map_year-pack").click().run()
    at.button(key="counts-pack").click().run()
    assert at.session_state["briefing_pack"] == [
        {"chart": "tiers-map", "params": {"year": "2012"}},
        {"chart": "tier-counts", "params": {}}]
    assert at.button(key="map_year-pack").disabled  # already in the pack
    at.switch_page("app_pages/briefing_pack.py").run()
    assert not at.exception
    assert written(at)["pack"] == "tiers-map:year=2012;tier-counts:"
    at.button(key="pack_up_1").click().run()
    assert written(at)["pack"] == "tier-counts:;tiers-map:year=2012"
    at.button(key="pack_rm_0").click().run()
    assert written(at)["pack"] == "tiers-map:year=2012"


def _figure(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def test_embed_mode_shows_one_chart_and_nothing_else() -> None:
    at = run("dashboard.py", {"embed": "true", "chart": "tiers-map", "year": "2015"})
    fig = _figure(at)
    assert fig["layout"]["title"]["text"] == "TIP report 2015: tier placements"
    captions = [c.value.replace("\\", "") for c in at.caption]  # as shown: no escapes
    assert any("2015 TIP report" in c for c in captions)  # the caption
    assert any(c.startswith("Tier placements: US State Dept.") for c in captions)  # sources
    assert not at.sidebar.children or all(not el for el in at.sidebar.children.values())
    assert len(at.button) == 0 and len(at.get("download_button")) == 0
    assert len(at.title) == 0 and not at.warning


def test_embed_mode_timeline_and_hostile_values() -> None:
    at = run("dashboard.py", {"embed": "true", "chart": "tier-timeline",
                              "jurisdictions": f"SGP,{HOSTILE}"})
    fig = _figure(at)
    assert {t["name"] for t in fig["data"]} >= {"Singapore"}
    assert "\\<script\\>" in warnings(at)
    assert_no_html(at)
    at = run("dashboard.py", {"embed": "true", "chart": HOSTILE})
    assert len(at.get("plotly_chart")) == 0 and "\\<script\\>" in warnings(at)
    assert_no_html(at)


@pytest.mark.parametrize("chart_id", [
    "tiers-map", "tier-movements", "watch-list", "tier-timeline", "tier-heatmap", "tier-counts",
    "hk-screening", "hk-identification-rate", "screening-rate", "screening-victims",
    "screening-per-million", "tip-worldwide", "ge-headlines", "gsi-map", "compare-lines",
    "compare-ranking", "profile-tiers", "profile-indicators", "profile-coverage",
    "ge-forms", "ge-form-shares", "ge-sex-age", "ge-sex-age-shares", "ge-other",
    "ge-other-shares", "ge-regions", "tiers-map-animated"])
def test_embed_every_chart(chart_id: str) -> None:
    at = run("dashboard.py", {"embed": "true", "chart": chart_id})
    assert len(at.get("plotly_chart")) == 1 and not at.warning
    assert len(at.caption) == 2 and len(at.button) == 0


def test_embed_mode_in_chinese() -> None:
    at = run("dashboard.py", {"embed": "true", "chart": "ge-regions", "edition": "2022",
                              "measure": "modern_slavery", "lang": "zh-Hant"})
    fig = _figure(at)
    assert fig["layout"]["title"]["text"] == "按地區劃分的現代奴役<br>全球估算 2022 年版本（2021 年）"
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any(c.startswith("來源：國際勞工組織") for c in captions)
    at = run("dashboard.py", {"embed": "true", "chart": "no-such", "lang": "zh-Hant"})
    assert "這裏沒有圖表「no-such」" in warnings(at).replace("\\", "")
