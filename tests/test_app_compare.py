"""AppTest of the compare page, run through dashboard.py's navigation on the session database:
Hong Kong, the jurisdiction with the most indicators, one with almost none, address checks,
per-100,000 and log toggles, and gaps in a real series."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import figures, open_page, sql

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/compare.py"


def run(built_db: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    return open_page(PAGE, built_db, monkeypatch, **params)


def values_table(at: AppTest):
    """The 'Values and sources' table (the one with a place column; AppTest
    shows the frame's own column names, not the labels)."""
    return next(el.value for el in at.dataframe if "place" in el.value.columns)


def texts(at: AppTest, *kinds: str) -> str:
    return "\n".join(str(el.value) for kind in kinds for el in getattr(at, kind))


@pytest.fixture(scope="module")
def full_iso3(built_db: Path) -> str:
    """The jurisdiction with values for the most indicators."""
    return sql(built_db, """
        SELECT area_code FROM observations WHERE area_kind = 'jurisdiction'
        GROUP BY area_code ORDER BY count(DISTINCT indicator) DESC, count(*) DESC, area_code
        LIMIT 1""")[0][0]


@pytest.fixture(scope="module")
def sparse_iso3(built_db: Path) -> tuple[str, str]:
    """(iso3, name) of a jurisdiction with a tier but no indicator values at all."""
    rows = sql(built_db, """
        SELECT j.iso3, j.name FROM jurisdictions j
        WHERE j.iso3 IN (SELECT iso3 FROM tip_tiers)
          AND j.iso3 NOT IN (SELECT area_code FROM observations)
        ORDER BY j.iso3 LIMIT 1""")
    if not rows:
        pytest.skip("every jurisdiction has indicator values")
    return rows[0]


def test_default_view_is_hong_kong_and_peers(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch)
    places = at.multiselect(key="cmp_areas").value
    assert places[0] == "HKG" and 2 <= len(places) <= 10
    assert at.multiselect(key="cmp_series").value  # an indicator is chosen by default
    figs = figures(at)
    assert figs, "no chart drawn"
    names = {t.get("name") for t in figs[0]["data"]}
    assert "Hong Kong" in names or any(n and n.startswith("Hong Kong") for n in names)
    # Tier markers share the timeline.
    assert any(str(t.get("name", "")).startswith("TIP: ") for t in figs[0]["data"])
    assert values_table(at).shape[0] > 0


def test_hong_kong_screenings_with_a_rounded_second_statement(built_db, monkeypatch) -> None:
    codes = [r[0] for r in sql(built_db, "SELECT DISTINCT indicator FROM observations "
                                         "WHERE area_code = 'HKG' ORDER BY 1")]
    if not codes:
        pytest.skip("no Hong Kong indicator values in this database")
    at = run(built_db, monkeypatch, areas="HKG,SGP", indicators=",".join(codes))
    table = values_table(at)
    assert set(table["place"]) >= {"Hong Kong"}
    # Every row carries its source file; quoted figures carry their quote.
    assert table["source_id"].notna().all()
    # Singapore has none of Hong Kong's own series: the page says so instead of failing.
    own = sql(built_db, "SELECT count(*) FROM observations WHERE area_code = 'SGP' AND "
                        "indicator = ANY(?)", [codes])[0][0]
    if own < len(codes):
        assert "no values for Singapore" in texts(at, "info")


def test_full_data_country(built_db, monkeypatch, full_iso3) -> None:
    codes = [r[0] for r in sql(built_db, "SELECT DISTINCT indicator FROM observations "
                                         "WHERE area_code = ? ORDER BY 1", [full_iso3])]
    at = run(built_db, monkeypatch, areas=f"{full_iso3},HKG", indicators=",".join(codes[:6]))
    assert at.multiselect(key="cmp_areas").value == [full_iso3, "HKG"]
    assert len(at.multiselect(key="cmp_series").value) >= 1
    figs = figures(at)
    assert len(figs) >= 2  # lines and at least one ranking
    lines = figs[0]
    drawn = {t.get("meta", {}).get("area_code") for t in lines["data"] if t.get("meta")}
    assert full_iso3 in drawn


def test_almost_empty_country_says_what_is_missing(built_db, monkeypatch, sparse_iso3) -> None:
    iso3, name = sparse_iso3
    at = run(built_db, monkeypatch, areas=f"{iso3},HKG")
    info = texts(at, "info")
    assert "does not hold" in info and name in info


def test_bad_address_values_are_dropped_with_a_notice(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, areas="HKG,ZZZ,<b>x</b>,SGP",
             indicators="no_such_indicator", per100k="maybe", log="1")
    warnings = texts(at, "warning")
    shown = warnings.replace("\\", "")  # markdown escapes: the reader sees no backslash
    assert "ZZZ" in warnings and "no_such_indicator" in shown
    assert "<b>" not in warnings  # echoed as plain text only
    assert at.multiselect(key="cmp_areas").value == ["HKG", "SGP"]
    assert at.toggle(key="cmp_log").value is True
    assert at.toggle(key="cmp_per100k").value is False
    assert figures(at)[0]["layout"]["yaxis"]["type"] == "log"


def test_one_place_asks_for_two(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, areas="HKG")
    assert "at least two" in texts(at, "info")
    assert not at.get("plotly_chart")


def test_per_100k_uses_the_sourced_population(built_db, monkeypatch) -> None:
    pop = sql(built_db, "SELECT code FROM indicators WHERE code LIKE '%population%' "
                        "AND unit = 'persons'")
    counts = sql(built_db, """
        SELECT o.indicator, o.value, p.value FROM observations o
        JOIN indicators i ON i.code = o.indicator
        JOIN observations p ON p.area_code = o.area_code AND p.year = o.year
             AND p.indicator = ? AND p.breakdown = ''
        WHERE o.area_code = 'GBR' AND o.breakdown = '' AND o.value IS NOT NULL
          AND i.unit = 'persons' AND o.indicator <> p.indicator
        ORDER BY o.indicator LIMIT 1""", [pop[0][0]] if pop else [""])
    if not counts:
        pytest.skip("no count with a same-year sourced population for GBR")
    code, value, population = counts[0]
    at = run(built_db, monkeypatch, areas="GBR,HKG", indicators=code, per100k="1")
    table = values_table(at)
    row = table[(table["place"] == "United Kingdom") & (table["value"] == value)].iloc[0]
    assert row["per_100k"] == pytest.approx(value / population * 100_000)
    assert row["population"] == population
    lines = figures(at)[0]
    assert any(t.get("meta", {}).get("area_code") == "GBR" for t in lines["data"])
    assert "per 100,000" in json.dumps(lines["layout"]["annotations"]).lower()


def test_gaps_in_a_real_series_are_not_zeros(built_db, monkeypatch) -> None:
    """Pick a jurisdiction-level series with a missing year inside its range and check the
    drawn trace has None there (and no 0 the database does not hold)."""
    rows = sql(built_db, """
        WITH t AS (
            SELECT indicator, area_code, year, max(value) AS value FROM observations
            WHERE area_kind = 'jurisdiction' AND breakdown = '' GROUP BY ALL)
        SELECT indicator, area_code FROM t GROUP BY ALL
        HAVING count(*) >= 3 AND count(*) < max(year) - min(year) + 1
        ORDER BY count(*) DESC, indicator, area_code LIMIT 1""")
    if not rows:
        pytest.skip("no series with a gap in this database")
    code, iso3 = rows[0]
    held: dict[int, set[float]] = {}
    for year, value in sql(built_db, "SELECT year, value FROM observations WHERE "
                                     "indicator = ? AND area_code = ? AND breakdown = ''",
                           [code, iso3]):
        held.setdefault(int(year), set())
        if value is not None:
            held[int(year)].add(float(value))
    other = "HKG" if iso3 != "HKG" else "SGP"
    at = run(built_db, monkeypatch, areas=f"{iso3},{other}", indicators=code)
    traces = [t for t in figures(at)[0]["data"]
              if t.get("meta", {}).get("area_code") == iso3]
    assert traces
    seen_gap = False
    for t in traces:
        assert t["connectgaps"] is False
        for x, y in zip(t["x"], t["y"], strict=True):
            if not held.get(x):  # no row, or only rows without a number (suppressed)
                assert y is None, (code, iso3, x, y)
                seen_gap = True
            else:
                assert y is None or y in held[x], (code, iso3, x, y)
    assert seen_gap


def test_breakdown_draws_one_line_per_category(built_db, monkeypatch) -> None:
    rows = sql(built_db, """
        SELECT indicator, area_code, breakdown_dim, count(DISTINCT breakdown) AS k
        FROM observations WHERE area_kind = 'jurisdiction' AND breakdown_dim NOT IN
            ('total', 'region') AND value IS NOT NULL
        GROUP BY ALL HAVING k >= 2 ORDER BY count(*) DESC, indicator, area_code LIMIT 1""")
    if not rows:
        pytest.skip("no jurisdiction-level breakdown in this database")
    code, iso3, dim, _ = rows[0]
    other = "HKG" if iso3 != "HKG" else "SGP"
    at = run(built_db, monkeypatch, areas=f"{iso3},{other}", indicators=code, breakdown=dim)
    assert at.selectbox(key="cmp_dim").value == dim
    cats = {r[0] for r in sql(built_db, "SELECT DISTINCT breakdown FROM observations WHERE "
                                        "indicator = ? AND area_code = ? AND breakdown_dim = ?",
                              [code, iso3, dim])}
    drawn = {t["meta"]["area_code"] for t in figures(at)[0]["data"] if t.get("meta")}
    assert {a.split("|")[1] for a in drawn if a.startswith(iso3 + "|")} <= cats
    assert any(a.startswith(iso3 + "|") for a in drawn)
    table = values_table(at)
    assert set(table["breakdown_dim"]) == {dim}
    # An unknown breakdown in the address is dropped with a notice.
    at = run(built_db, monkeypatch, areas=f"{iso3},{other}", indicators=code,
             breakdown="<nonsense>")
    assert "Ignored an unknown breakdown" in texts(at, "warning")
    assert at.selectbox(key="cmp_dim").value == "total"


def test_worldwide_totals_offered_and_one_edition_charted(built_db, monkeypatch) -> None:
    from trafficking.queries import catalogue as cq

    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    offered = cq.series_table(cq.catalogue())
    row = offered[offered["series"] == "tip_global_victims_identified"].iloc[0]
    assert row["has_world"] and row["last_year"] == 2024
    at = run(built_db, monkeypatch, areas="WLD,HKG", indicators="tip_global_victims_identified")
    table = values_table(at)
    world = table[table["place"] == "World"]
    y2019 = world[world["year"] == 2019]
    assert dict(zip(y2019["stated_in"], y2019["charted"], strict=True)) == {
        "2025 TIP report": True, "2024 TIP report": False}
    assert y2019.loc[y2019["charted"], "value"].tolist() == [111932]
    assert "latest TIP report edition" in y2019.loc[y2019["charted"], "preferred_reason"].iloc[0]
    assert world.loc[world["charted"] & (world["year"] == 2024), "value"].tolist() == [102027]
    assert not world[world["charted"]].duplicated("year").any()


def test_catalogue_and_definitions_are_built_only_when_opened(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, areas="HKG,SGP")
    assert not any("n_values" in el.value.columns for el in at.dataframe)
    assert "section" not in at.query_params
    at = run(built_db, monkeypatch, areas="HKG,SGP", section="catalogue,definitions")
    catalogue = next(el.value for el in at.dataframe if "n_values" in el.value.columns)
    n = sql(built_db, "SELECT count(*) FROM indicators")[0][0]
    assert len(catalogue) == n
    assert any(m.value.startswith("**") for m in at.markdown)  # a definition per code
    assert at.query_params["section"] in (["catalogue,definitions"], "catalogue,definitions")


def test_lang_zh_hant_opens_the_same_view_in_chinese(built_db, monkeypatch) -> None:
    at = run(built_db, monkeypatch, areas="GBR,HKG", indicators="uk_nrm_referrals",
             lang="zh-Hant")
    assert at.title[0].value == "比較司法管轄區"
    assert at.multiselect(key="cmp_areas").value == ["GBR", "HKG"]  # the same view
    assert at.query_params["indicators"] in (["uk_nrm_referrals"], "uk_nrm_referrals")
    assert [h.value for h in at.header][:2] == ["隨時間變化", "最新數值"]
    lines = figures(at)[0]
    names = {t.get("name") for t in lines["data"]}
    assert "英國" in names and any(str(n).startswith("人口販運報告：") for n in names)
    assert "沒有香港的數值" in texts(at, "info")
    captions = texts(at, "caption")
    assert "英國由 534（2009）" in captions and "每個單位一個圖格" in captions
    # A figure without a qualifier is an empty cell (Streamlit would print 'None').
    qualifiers = values_table(at)["qualifier"]
    assert qualifiers.notna().all() and "" in set(qualifiers)
    # Our placeholders, not Streamlit's English 'Choose options'.
    assert at.multiselect(key="cmp_series").placeholder == "選擇一個或多個指標"
    assert at.multiselect(key="cmp_areas").placeholder == "請選擇（可選多項）"


def test_place_picker_lists_names_in_the_readers_order(built_db, monkeypatch) -> None:
    from trafficking.queries.catalogue import name_key

    at = run(built_db, monkeypatch, areas="HKG,SGP", indicators="gems2022_forced_labour",
             lang="zh-Hant")
    picker = at.multiselect(key="cmp_areas")
    shown = picker.options
    regions = [o for o in shown if "（地區，" in o]
    assert shown[0] == "世界" and shown[1:1 + len(regions)] == regions
    jurisdictions = shown[1 + len(regions):]
    # By the Chinese names shown, not by the English ones (Afghanistan, Albania, …).
    assert regions == sorted(regions, key=name_key) and len(regions) > 5
    assert jurisdictions == sorted(jurisdictions, key=name_key) and "香港" in jurisdictions
    assert jurisdictions[:3] == ["不丹", "中國", "中非共和國"]
    assert picker.value == ["HKG", "SGP"]  # the values are still the codes
    assert at.query_params["areas"] in (["HKG,SGP"], "HKG,SGP")
    # The values table's headings are translated too.
    table = next(el for el in at.dataframe if "place" in el.value.columns)
    labels = {k: v.get("label") for k, v in json.loads(table.proto.columns).items()}
    assert labels["place"] == "地方" and labels["value"] == "數值"
