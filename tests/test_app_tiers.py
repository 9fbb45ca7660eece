"""AppTest of the TIP tiers page through dashboard.py's navigation, on the session database:
Hong Kong by default with its real tiers, the year slider, address values, filters, sorts."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import figures, open_page

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/tiers.py"
# Hong Kong's placements as the issue states them; the test checks the database agrees.
HKG_EXPECTED = {
    **{y: "Tier 1" for y in range(2001, 2009)},
    **{y: "Tier 2" for y in range(2009, 2016)},
    **{y: "Tier 2 Watch List" for y in range(2016, 2019)},
    2019: "Tier 2",
    **{y: "Tier 2 Watch List" for y in range(2020, 2023)},
    2023: "Tier 2",
    2024: "Tier 2 Watch List",
    2025: "Tier 2 Watch List",
}


def run(built_db: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    return open_page(PAGE, built_db, monkeypatch, **params)


def title(fig: dict) -> str:
    t = fig["layout"].get("title", {})
    return t.get("text", "") if isinstance(t, dict) else str(t)


def by_title(at: AppTest, start: str) -> dict:
    found = [f for f in figures(at) if title(f).startswith(start)]
    assert found, f"no chart titled {start!r}: {[title(f) for f in figures(at)]}"
    return found[0]


def widget(items, label: str):
    found = [w for w in items if w.label == label]
    assert found, label
    return found[0]


def timeline_table(at: AppTest):
    for df in at.dataframe:
        frame = df.value
        if {"name", "report_year", "tier", "source_id"} <= set(frame.columns):
            return frame
    raise AssertionError("no timeline values table")


@pytest.fixture(scope="module")
def db(built_db: Path):
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


def test_first_view_builds_the_map_only(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch)
    assert [title(f) for f in figures(at)] == [title(by_title(at, "TIP report 20"))]
    labels = [e.proto.label for e in at.expander]
    for section in ("Movements and the Watch List", "Tier history of selected",
                    "All jurisdictions, all reports", "Counts per tier"):
        [box] = [e for e in at.expander if e.proto.label.startswith(section)]
        assert not box.proto.expanded, labels
    assert "section" not in at.query_params and "jurisdictions" not in at.query_params
    assert not at.code  # the share panel's code is built when it is opened
    at.session_state["tiers_section_heatmap"] = True  # the reader opens one section
    at.run()
    assert [title(f) for f in figures(at)][1:] == ["Tier history by jurisdiction"]
    assert at.query_params["section"] == ["heatmap"] or at.query_params["section"] == "heatmap"
    at.session_state["tiers_section_heatmap"] = False
    at.run()
    assert len(figures(at)) == 1 and "section" not in at.query_params
    assert "sort" not in at.query_params  # a closed section leaves nothing in the address


def test_default_view_shows_hong_kongs_real_tiers(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch, section="movements,timeline,heatmap,counts")
    assert at.title[0].value == "TIP report tiers"
    assert widget(at.multiselect, "Jurisdictions").value == ["HKG"]
    latest = db.execute("SELECT max(report_year) FROM tip_tiers").fetchone()[0]
    assert widget(at.select_slider, "Report year").value == latest
    table = timeline_table(at)
    shown = dict(zip(table["report_year"].astype(int), table["tier"], strict=True))
    in_db = dict(db.execute("SELECT report_year, tier FROM tip_tiers WHERE iso3 = 'HKG'")
                 .fetchall())
    assert shown == in_db
    assert set(table["name"]) == {"Hong Kong"}
    # The statement of Hong Kong's history; a mismatch means the merge changed.
    assert in_db == HKG_EXPECTED
    assert by_title(at, "Tier placement over time")["data"][0]["name"] == "Hong Kong"
    # Every chart's sources are printed under it as text (style.fit takes the note out of the
    # live figure: as text it wraps on a phone).
    sourced = [c.value for c in at.caption if "Data & sources" in c.value.replace("\\", "")]
    assert len(sourced) >= len(figures(at))


def test_year_slider_changes_map_and_movements(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, section="movements")
    widget(at.select_slider, "Report year").set_value(2016).run()
    assert not at.exception
    assert title(by_title(at, "TIP report 2016")) == "TIP report 2016: tier placements"
    assert "Movements in 2016" in [h.value for h in at.subheader]
    assert title(by_title(at, "Upgrades and downgrades")) == "Upgrades and downgrades, 2015 → 2016"
    year = at.query_params["year"]
    assert (year if isinstance(year, str) else year[-1]) == "2016"  # the address follows


def test_unresolved_years_are_announced(built_db, monkeypatch, db) -> None:
    n = db.execute("SELECT count(*) FROM tip_tiers WHERE report_year = 2022 AND "
                   "tier = 'Tier 1 or 2'").fetchone()[0]
    at = run(built_db, monkeypatch, year="2022")
    notes = " ".join(i.value for i in at.info)
    if n:
        assert f"{n} placements in 2022" in notes and "unresolved" in notes
    else:
        assert "unresolved" not in notes


def test_address_selects_year_and_jurisdictions(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch, year="2010", jurisdictions="SGP,HKG")
    assert widget(at.select_slider, "Report year").value == 2010
    assert widget(at.multiselect, "Jurisdictions").value == ["SGP", "HKG"]
    table = timeline_table(at)
    assert set(table["name"]) == {"Singapore", "Hong Kong"}
    assert not at.warning


def test_bad_address_values_are_dropped_with_a_notice(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, year="1999", jurisdictions="HKG,XXX")
    warnings = " ".join(w.value for w in at.warning)
    assert "1999" in warnings and "XXX" in warnings
    assert widget(at.multiselect, "Jurisdictions").value == ["HKG"]
    assert widget(at.select_slider, "Report year").value != 1999


def test_choosing_jurisdictions_changes_the_timeline(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch, section="timeline")
    widget(at.multiselect, "Jurisdictions").set_value(["HKG", "MAC"]).run()
    assert not at.exception
    fig = by_title(at, "Tier placement over time")
    names = {t["name"] for t in fig["data"] if "unresolved" not in t.get("name", "")}
    assert names == {"Hong Kong", "Macao"} or names == {"Hong Kong", "Macau"}
    widget(at.multiselect, "Jurisdictions").set_value([]).run()
    assert not any(title(f).startswith("Tier placement over time") for f in figures(at))


def test_region_filter_and_sort_change_the_heatmap(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch, section="heatmap")
    all_rows = by_title(at, "Tier history by jurisdiction")["data"][0]["y"]
    total = db.execute("SELECT count(DISTINCT iso3) FROM tip_tiers").fetchone()[0]
    assert len(all_rows) == total
    widget(at.multiselect, "Regions").set_value(["Eastern Asia"]).run()
    rows = by_title(at, "Tier history by jurisdiction")["data"][0]["y"]
    expected = {r[0] for r in db.execute(
        "SELECT DISTINCT j.name FROM tip_tiers t JOIN jurisdictions j USING (iso3) "
        "WHERE j.region = 'Eastern Asia'").fetchall()}
    assert set(rows) == expected and "Hong Kong" in rows
    assert list(rows) == sorted(rows)
    widget(at.radio, "Sort by").set_value("watch").run()
    rows_watch = by_title(at, "Tier history by jurisdiction")["data"][0]["y"]
    assert set(rows_watch) == expected and list(rows_watch) != list(rows)
    counts = dict(db.execute(
        "SELECT j.name, count(*) FROM tip_tiers t JOIN jurisdictions j USING (iso3) "
        "WHERE t.tier = 'Tier 2 Watch List' AND j.region = 'Eastern Asia' GROUP BY 1").fetchall())
    seq = [counts.get(n, 0) for n in rows_watch]
    assert seq == sorted(seq, reverse=True)


def test_play_through_draws_the_animated_map(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch)
    assert not any(f.get("frames") for f in figures(at))
    widget(at.toggle, "Play through all years").set_value(True).run()
    assert not at.exception
    animated = [f for f in figures(at) if f.get("frames")]
    assert len(animated) == 1
    years = [r[0] for r in db.execute(
        "SELECT DISTINCT report_year FROM tip_tiers ORDER BY 1").fetchall()]
    assert [fr["name"] for fr in animated[0]["frames"]] == [str(y) for y in years]


def test_every_chart_uses_offline_geometry(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, section="movements,timeline,heatmap,counts")
    assert len(figures(at)) == 6
    configs = [json.loads(el.proto.config) for el in at.get("plotly_chart")]
    assert configs and all(c.get("topojsonURL") == "/app/static/" for c in configs)


def test_old_addresses_open_the_section_they_point_at(built_db, monkeypatch) -> None:
    # Links made before sections existed carry only the section's own parameters.
    at = run(built_db, monkeypatch, regions="Eastern Asia", sort="watch")
    assert [title(f) for f in figures(at)][1:] == ["Tier history by jurisdiction"]
    assert at.query_params["section"] in ("heatmap", ["heatmap"])
    at = run(built_db, monkeypatch, section="heatmap,<b>x</b>")
    assert any("<b>x</b>" in w.value or "\\<b\\>x" in w.value for w in at.warning)
    assert [title(f) for f in figures(at)][1:] == ["Tier history by jurisdiction"]


def test_animated_map_has_its_tools_and_its_address(built_db, monkeypatch, db) -> None:
    at = run(built_db, monkeypatch, year="2015", animate="true")
    [animated] = [f for f in figures(at) if f.get("frames")]
    assert title(animated) == "TIP report 2015: tier placements"
    assert at.toggle(key="tiers_animate").value is True
    at.button(key="map_play-pack").click().run()
    assert at.session_state["briefing_pack"] == [
        {"chart": "tiers-map-animated", "params": {"year": "2015", "animate": "1"}}]
    at.session_state["map_play-share"] = True
    at.run()
    assert any(c.value.endswith("/tiers?year=2015&animate=1") for c in at.code)
    at.toggle(key="tiers_animate").set_value(False).run()
    assert "animate" not in at.query_params
    assert not any(f.get("frames") for f in figures(at))


def test_chinese_address_opens_the_same_view_in_chinese(built_db, monkeypatch) -> None:
    """``?lang=zh-Hant``: the same year and chart, with Chinese title, captions, tier names
    (legend, hover) and summary; the English view is unchanged."""
    zh = run(built_db, monkeypatch, year="2024", lang="zh-Hant")
    en = run(built_db, monkeypatch, year="2024")
    assert zh.title[0].value == "人口販運報告評級" and en.title[0].value == "TIP report tiers"
    zh_map, en_map = by_title(zh, "2024 年《人口販運問題報告》"), by_title(en, "TIP report 2024")
    assert title(zh_map) == "2024 年《人口販運問題報告》：評級"
    legend = {t.get("name") for t in zh_map["data"]}
    assert {"第一級", "第二級", "第二級觀察名單", "第三級"} <= legend
    assert {"Tier 1", "Tier 2 Watch List"} <= {t.get("name") for t in en_map["data"]}
    # The same placements: identical locations and tier codes, only the words differ.
    assert zh_map["data"][0]["locations"] == en_map["data"][0]["locations"]
    assert zh_map["data"][0]["z"] == en_map["data"][0]["z"]
    assert "報告年份" in zh_map["data"][0]["hovertemplate"]
    captions = " ".join(c.value for c in zh.caption)
    assert "2024 年《人口販運問題報告》中各司法管轄區的評級" in captions
    assert "第三級：" in captions  # the summary under the map
    assert "Tier placement of each jurisdiction in the 2024 TIP report" in " ".join(
        c.value for c in en.caption)
    assert {"升降變動及觀察名單", "所選司法管轄區的評級歷史", "所有司法管轄區，所有報告",
            "各評級數目"} <= {e.proto.label for e in zh.expander}
    assert zh.query_params.get("lang") == "zh-Hant"
