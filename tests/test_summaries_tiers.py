"""The tier and profile charts' text alternatives (issue 18) on the session database: each
summary states the real values, each data table holds exactly the plotted points, and both
follow the reader's language."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.apptest import sql
from trafficking import i18n

HKG_HISTORY = ("Tier 1 in 2001–2008, Tier 2 in 2009–2015, Tier 2 Watch List in 2016–2018, "
               "Tier 2 in 2019, Tier 2 Watch List in 2020–2022, Tier 2 in 2023, and Tier 2 "
               "Watch List in 2024–2025")
HKG_HISTORY_ZH = ("2001–2008 年第一級、2009–2015 年第二級、2016–2018 年第二級觀察名單、"
                  "2019 年第二級、2020–2022 年第二級觀察名單、2023 年第二級及"
                  "2024–2025 年第二級觀察名單")


@pytest.fixture()
def registry(built_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    from trafficking.present import registry

    return registry


def _points(trace) -> int:
    """Plotted points of a trace: its non-empty y values (gaps are None)."""
    return sum(1 for y in trace.y if y is not None and not (isinstance(y, float) and math.isnan(y)))


def test_timeline_summary_is_hong_kongs_real_history(registry) -> None:
    view = registry.view("tier-timeline", {"jurisdictions": ["HKG"]})
    assert view.summary.endswith(": " + HKG_HISTORY + ".")
    assert view.summary.startswith("Hong Kong")
    # One table row per plotted point (steps and any unresolved range marks).
    points = sum(_points(t) for t in view.figure.data if t.x is not None and t.x[0] is not None)
    assert len(view.table) == points == 25
    assert list(view.table.columns) == ["Jurisdiction", "Report year", "Tier", "Source file"]
    assert view.table.loc[view.table["Report year"] == 2016, "Tier"].item() == "Tier 2 Watch List"
    with i18n.using("zh-Hant"):
        zh = registry.view("tier-timeline", {"jurisdictions": ["HKG"]})
    assert zh.summary == f"香港：{HKG_HISTORY_ZH}。"  # the place named in Chinese too
    assert list(zh.table.columns) == ["司法管轄區", "報告年份", "評級", "來源檔案"]
    assert set(zh.table["評級"]) == {"第一級", "第二級", "第二級觀察名單"}


def test_profile_tiers_says_the_same_history(registry) -> None:
    view = registry.view("profile-tiers", {"iso3": ["HKG"]})
    assert view.summary.endswith(": " + HKG_HISTORY + ".")
    assert len(view.table) == 25


def test_map_summary_counts_the_years_placements(registry, built_db) -> None:
    year = max(y for (y,) in sql(built_db, "SELECT DISTINCT report_year FROM tip_tiers"))
    counts = dict(sql(built_db, "SELECT tier, count(*) FROM tip_tiers WHERE report_year = ? "
                                "GROUP BY tier", [year]))
    view = registry.view("tiers-map", {"year": year})
    total = sum(counts.values())
    assert view.summary.startswith(f"The {year} TIP report places {total} jurisdictions: ")
    for tier, n in counts.items():
        label = "Tier 1 or 2 (unresolved)" if tier == "Tier 1 or 2" else tier
        assert f"{label}: {n}" in view.summary
    tier3 = sorted(n for (n,) in sql(built_db, "SELECT j.name FROM tip_tiers t JOIN jurisdictions "
                                               "j USING (iso3) WHERE report_year = ? AND tier = "
                                               "'Tier 3'", [year]))
    assert f"On Tier 3: {', '.join(tier3[:5])}" in view.summary
    # The table is the choropleth's locations, in order, each naming its tier.
    assert list(view.table["Code"]) == list(view.figure.data[0].locations)
    assert len(view.table) == total and view.table["Tier"].notna().all()


def test_counts_movements_watch_list_and_heatmap_tables_are_the_plotted_points(registry) -> None:
    counts = registry.view("tier-counts", {})
    bars = [t for t in counts.figure.data if t.type == "bar"]
    assert len(counts.table) == sum(len(t.x) for t in bars)
    first = counts.table[counts.table["Report year"] == 2001]
    assert dict(zip(first["Tier"], first["Jurisdictions"], strict=True)) == {
        t.name: int(y) for t in bars for x, y in zip(t.x, t.y, strict=True) if x == 2001}
    assert counts.summary.startswith("In the 2025 report: Tier 1: ")
    # Not colour alone: each segment carries its tier's short label.
    assert {t.text[0] for t in bars} >= {"1", "2", "2WL", "3"}

    moves = registry.view("tier-movements", {"year": 2025})
    marks = [t for t in moves.figure.data if t.name in ("Upgraded", "Downgraded")]
    assert len(moves.table) == sum(len(t.x) for t in marks)
    ups = moves.table[moves.table["Movement"] == "Upgraded"]
    assert moves.summary.startswith(f"Against the 2024 report, {len(ups)} jurisdictions moved up")

    watch = registry.view("watch-list", {"year": 2025})
    assert list(watch.table["Consecutive reports"]) == list(watch.figure.data[0].x)
    assert watch.summary.startswith(f"{len(watch.table)} jurisdictions are on the Tier 2 Watch "
                                    "List in 2025")

    heat = registry.view("tier-heatmap", {"regions": [], "sort": "name"})
    z = heat.figure.data[0].z
    assert len(heat.table) == sum(1 for row in z for v in row if v is not None and v == v)


def test_profile_indicator_and_coverage_tables(registry, built_db) -> None:
    view = registry.view("profile-indicators", {"iso3": ["HKG"]})
    lines = [t for t in view.figure.data if t.mode == "lines+markers"]
    hollow = [t for t in view.figure.data if t.mode == "markers"]
    assert len(view.table) == sum(_points(t) for t in lines) + sum(len(t.x) for t in hollow)
    from trafficking import formatting
    from trafficking.present import specs_profile

    _rows, held = specs_profile.held("HKG")
    top = held.iloc[0]
    assert view.summary.startswith(
        f"{len(held)} indicators held for Hong Kong; latest values: {top['name']}: "
        f"{formatting.number(top['value'], top['qualifier'])} ({int(top['year'])})")
    cover = registry.view("profile-coverage", {"iso3": ["HKG"]})
    assert list(cover.table["Source file"]) == list(cover.figure.data[0].y)
    files = sql(built_db, "SELECT count(DISTINCT source_id) FROM tip_tiers WHERE iso3 = 'HKG'")
    assert f": {files[0][0]} give its TIP tier placements" in cover.summary
    with i18n.using("zh-Hant"):
        zh = registry.view("profile-coverage", {"iso3": ["HKG"]})
    assert list(zh.table.columns) == ["來源檔案", "用途", "行數", "由", "至"]
    assert zh.title.endswith("：每個來源涵蓋的年份")


def test_regions_are_named_by_cldr_in_the_readers_language() -> None:
    from trafficking.present.text_tiers import region_name

    assert region_name("Eastern Asia") == "Eastern Asia"
    with i18n.using("zh-Hant"):
        assert region_name("Eastern Asia") == "東亞"
        assert region_name("South-eastern Asia") == "東南亞"  # the UN's name, CLDR's code 035
        assert region_name("Nowhere Land") == "Nowhere Land"
