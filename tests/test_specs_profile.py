"""trafficking/present/specs_profile.py on the session database: the ``iso3`` parameter, the
three profile charts (data, sources, permalinks to the profile) and the latest-value table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apptest import sql


@pytest.fixture()
def sp(built_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    from trafficking.present import specs_profile

    return specs_profile


def test_iso3_keeps_one_known_code(sp) -> None:
    assert sp.ISO3.check(["sgp"]).value == ["SGP"]
    kept = sp.ISO3.check(["SGP,HKG"])
    assert kept.value == ["SGP"] and kept.notices[0] == (
        "Kept the first of the 2 values the address gives for jurisdiction code.")
    bad = sp.ISO3.check(["<b>ZZ</b>"])
    assert bad.value is None and "<b>" not in bad.notices[0]
    assert sp.ISO3.default() == ["HKG"]


def test_charts_build_for_singapore_with_sources_and_permalinks(sp, built_db) -> None:
    from trafficking.present import links, registry

    for chart_id in ("profile-tiers", "profile-indicators", "profile-coverage"):
        view = registry.view(chart_id, {"iso3": ["SGP"]})
        assert view.title.startswith("Singapore: ") and len(view.data) > 0, chart_id
        assert len(view.sources) > 0, chart_id
        link = links.permalink(registry.CHARTS[chart_id], {"iso3": ["SGP"]}, "http://x")
        assert link == "http://x/profile?iso3=SGP"
    tiers = registry.view("profile-tiers", {"iso3": ["SGP"]}).data
    n = sql(built_db, "SELECT count(*) FROM tip_tiers WHERE iso3 = 'SGP'")[0][0]
    assert len(tiers) == n and set(tiers["iso3"]) == {"SGP"}
    held = registry.view("profile-indicators", {"iso3": ["SGP"]}).data
    assert set(held["series"]) == {t["meta"]["series"] for t in registry.view(
        "profile-indicators", {"iso3": ["SGP"]}).figure.to_dict()["data"]}


def test_indicator_table_ranks_and_says_why_not(sp, built_db) -> None:
    from trafficking.queries import catalogue as cq

    rows, summary = sp.held("GBR")
    pop = cq.population_code(cq.catalogue())
    table = sp.indicator_table(summary, "GBR", pop)
    assert len(table) == len(summary) and table["name"].tolist() == summary["name"].tolist()
    gsi = table[table["indicator"] == "gsi2023_prevalence"].iloc[0]
    n = sql(built_db, "SELECT count(*) FROM observations WHERE indicator = "
                      "'gsi2023_prevalence' AND value IS NOT NULL")[0][0]
    assert gsi["rank"].endswith(f" of {n}") and " in " in gsi["region_rank"]
    if pop in set(summary["series"]):
        assert table.loc[table["indicator"].map(
            dict(zip(summary["indicator"], summary["series"], strict=True))) == pop,
            "rank"].tolist() == ["not ranked"]
    assert not table["latest"].eq("").any()


def test_coverage_writes_each_source_id_above_its_bar(sp, built_db) -> None:
    """Source ids run to 70 characters: as tick labels a phone cut them at its left edge."""
    from trafficking.present import registry

    fig = registry.view("profile-coverage", {"iso3": ["HKG"]}).figure
    bar = fig.data[0]
    assert fig.layout.yaxis.showticklabels is False
    ids = sorted(r[0] for r in sql(
        built_db, "SELECT DISTINCT source_id FROM tip_tiers WHERE iso3 = 'HKG'"))
    assert set(ids) <= set(bar.y)
    labels = {a.y: a.text for a in fig.layout.annotations if a.yref == "y"}
    assert set(labels) == set(bar.y)
    for source_id, text in labels.items():
        assert text.replace("<br>", "") == source_id  # whole, broken only between lines
        # Lines fit a phone, broken after a '/'; only a single part longer than that stays whole.
        assert all(len(line) <= sp.charts.ID_CHARS or "/" not in line.rstrip("/")
                   for line in text.split("<br>")), text
    assert "<br>" in labels["scorecard-diplomacy-tiers/criminalization-cho-tiers_jk_2015-08-10.dta"]
    assert all(a.xanchor == "left" and a.x == 0 for a in fig.layout.annotations if a.yref == "y")
