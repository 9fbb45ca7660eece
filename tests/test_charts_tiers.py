"""Tier queries and pure chart builders on the session database (real tiers, real geometry):
what each figure draws, that 'Tier 1 or 2' is never drawn as a tier, and the map's markers."""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path

import duckdb
import numpy as np
import pytest

from trafficking import geo, style
from trafficking.charts import tiers as charts
from trafficking.queries import tiers as q


def arr(value) -> list:
    """A Plotly array: a list, or a typed array {'dtype', 'bdata'} (NaN → None)."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return [None if isinstance(v, float) and math.isnan(v) else v for v in data.tolist()]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return list(value)


@pytest.fixture(scope="module")
def db(built_db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def panel(built_db: Path):
    return q.panel()


def db_tiers(db, year: int) -> dict[str, str]:
    return dict(db.execute("SELECT iso3, tier FROM tip_tiers WHERE report_year = ?",
                           [year]).fetchall())


def test_classify_movement_handles_the_unresolved_range() -> None:
    assert q.classify_movement("Tier 2", "Tier 1") == "upgrade"
    assert q.classify_movement("Tier 2 Watch List", "Tier 3") == "downgrade"
    assert q.classify_movement("Tier 2 Watch List", "Tier 1 or 2") == "upgrade"
    assert q.classify_movement("Tier 3", "Tier 1 or 2") == "upgrade"
    assert q.classify_movement("Tier 1 or 2", "Tier 2 Watch List") == "downgrade"
    # Tier 1 → 'Tier 1 or 2' may be no change or a downgrade: never guessed.
    assert q.classify_movement("Tier 1", "Tier 1 or 2") == "unclear"
    assert q.classify_movement("Tier 1 or 2", "Tier 1 or 2") == "unclear"
    assert q.classify_movement("Tier 2", "Tier 2") == "no change"
    assert q.classify_movement("Special Case", "Tier 2") == "not comparable"
    assert q.classify_movement(None, "Tier 2") == "not comparable"


def test_map_draws_every_placement_of_the_year_with_its_tier(db, panel) -> None:
    year = max(q.report_years())
    expected = db_tiers(db, year)
    markers = geo.markers_for(sorted(panel["iso3"].unique()))
    fig = charts.tier_map(panel, year, markers, "note")
    choro = fig.data[0]
    assert choro.type == "choropleth" and choro.locationmode == "ISO-3"
    drawn = dict(zip(arr(choro.locations), arr(choro.z), strict=True))
    assert set(drawn) == set(expected)
    for iso3, tier in expected.items():
        assert drawn[iso3] == charts.CODE[tier], iso3
    # Unresolved rows keep their own category and say so on hover.
    labels = {row[0]: row[1] for row in choro.customdata}
    unresolved = [c for c, t in expected.items() if t == "Tier 1 or 2"]
    names = dict(db.execute("SELECT iso3, name FROM jurisdictions").fetchall())
    for iso3 in unresolved:
        assert labels[names[iso3]] == "Tier 1 or 2 (unresolved)"
    # Hover names the source file of each value.
    sources = dict(db.execute("SELECT iso3, source_id FROM tip_tiers WHERE report_year = ?",
                              [year]).fetchall())
    by_name = {row[0]: row[3] for row in choro.customdata}
    assert by_name[names["HKG"]] == sources["HKG"]
    assert fig.layout.geo.resolution == 110 and fig.layout.geo.fitbounds is False
    assert any(a.text == "note" for a in fig.layout.annotations)


def test_places_without_a_visible_shape_become_markers(db, panel) -> None:
    codes = sorted(panel["iso3"].unique())
    markers = geo.markers_for(codes).set_index("iso3")
    assert markers.loc["HKG", "reason"] == "not drawn at 110m: dot at the centroid of its 50m outline"
    assert markers.loc["SGP", "reason"] == "not drawn at 110m: dot at the centroid of its 50m outline"
    assert markers.loc["LUX", "reason"] == "too small to see at 110m: dot at the centroid of its outline"
    if "XKX" in codes:  # Kosovo: an unnamed polygon in Natural Earth, found by its neighbours
        lon, lat = markers.loc["XKX", ["lon", "lat"]]
        assert markers.loc["XKX", "reason"].startswith("an outline with no ISO code")
        assert 19.5 < lon < 22.0 and 41.8 < lat < 43.4
    assert markers["lon"].notna().all(), "a jurisdiction could not be placed on the map"
    year = int(panel[panel["iso3"] == "HKG"]["report_year"].max())
    fig = charts.tier_map(panel, year, geo.markers_for(codes), "note")
    dots = fig.data[1]
    assert dots.type == "scattergeo"
    assert "Hong Kong" in " ".join(str(r[0]) for r in dots.customdata)


def test_animated_map_has_one_frame_per_report(panel) -> None:
    years = q.report_years()
    markers = geo.markers_for(sorted(panel["iso3"].unique()))
    fig = charts.tier_map_animated(panel, years, 2016, markers, "note")
    assert [f.name for f in fig.frames] == [str(y) for y in years]
    assert fig.layout.sliders[0].active == years.index(2016)
    for frame in fig.frames:
        n = int((panel["report_year"] == int(frame.name)).sum())
        assert len(arr(frame.data[0].locations)) == n
        assert list(frame.traces) == [0, 1]  # legend entries are not animated


def test_heatmap_cells_match_the_database(db, panel) -> None:
    part = panel[panel["region"] == panel.loc[panel["iso3"] == "HKG", "region"].iloc[0]]
    order = q.heatmap_order(part, "name")
    assert len(order) <= charts.LABEL_ROWS
    fig = charts.tier_heatmap(part, order, "note")
    heat = fig.data[0]
    years = [int(y) for y in heat.x]
    names = dict(db.execute("SELECT iso3, name FROM jurisdictions").fetchall())
    row = list(heat.y).index(names["HKG"])
    hk = dict(db.execute("SELECT report_year, tier FROM tip_tiers WHERE iso3 = 'HKG'").fetchall())
    # The cell labels: one clear one-year bar per placement, centred on its cell, no hover.
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 1 and bars[0].hoverinfo == "skip"
    labels = {(y, round(b + 0.5)): t for y, b, t in zip(
        bars[0].y, bars[0].base, bars[0].text, strict=True)}
    assert fig.layout.uniformtext.mode == "hide"  # hidden where the cell is too small for it
    for j, year in enumerate(years):
        z = heat.z[row][j]
        if year in hk:
            assert z == charts.CODE[hk[year]]
            assert labels[(names["HKG"], year)] == style.TIER_SHORT[hk[year]]
        else:
            assert z is None or math.isnan(z)
            assert (names["HKG"], year) not in labels
    in_part = set(order)
    placed = db.execute("SELECT iso3, tier FROM tip_tiers").fetchall()
    assert len(labels) == sum(1 for iso3, _tier in placed if iso3 in in_part)
    n_unresolved = sum(1 for iso3, tier in placed if iso3 in in_part and tier == "Tier 1 or 2")
    assert sum(t == "1/2?" for t in labels.values()) == n_unresolved
    hk_cell = heat.customdata[row][years.index(max(hk))]
    assert list(hk_cell) == [style.tier_label(hk[max(hk)]), part.loc[
        (part["iso3"] == "HKG") & (part["report_year"] == max(hk)), "source_id"].iloc[0]]
    assert "%{y}" in heat.hovertemplate and "%{x}" in heat.hovertemplate


def test_heatmap_of_every_jurisdiction_is_read_by_colour_and_hover(panel) -> None:
    order = q.heatmap_order(panel, "name")
    assert len(order) > charts.LABEL_ROWS
    fig = charts.tier_heatmap(panel, order, "note")
    heat = fig.data[0]
    assert heat.text is None and heat.texttemplate is None
    assert not [t for t in fig.data if t.type == "bar"]  # no cell labels
    assert len(heat.customdata[0][0]) == 2  # tier label and source: name and year are y and x


def test_heatmap_orders(db, panel) -> None:
    by_name = q.heatmap_order(panel, "name")
    names = dict(db.execute("SELECT iso3, name FROM jurisdictions").fetchall())
    assert [names[c] for c in by_name] == sorted(names[c] for c in by_name)
    watch = q.heatmap_order(panel, "watch")
    counts = dict(db.execute("SELECT iso3, count(*) FROM tip_tiers WHERE tier = "
                             "'Tier 2 Watch List' GROUP BY iso3").fetchall())
    seq = [counts.get(c, 0) for c in watch]
    assert seq == sorted(seq, reverse=True) and seq[0] == max(counts.values())
    latest = q.heatmap_order(panel, "latest")
    last = max(q.report_years())
    first_tier = db.execute("SELECT tier FROM tip_tiers WHERE iso3 = ? AND report_year = ?",
                            [latest[0], last]).fetchone()[0]
    assert first_tier == "Tier 1"


def test_timeline_steps_through_hong_kongs_tiers(db) -> None:
    hist = q.history(["HKG"])
    fig = charts.timeline(hist, "note")
    line = fig.data[0]
    assert line.line.shape == "hv"
    expected = dict(db.execute("SELECT report_year, tier FROM tip_tiers WHERE iso3 = 'HKG'")
                    .fetchall())
    drawn = dict(zip(arr(line.x), arr(line.y), strict=True))
    for year, tier in expected.items():
        if tier == "Tier 1 or 2":
            assert drawn[year] is None  # a gap, with a range bar in its own trace
        else:
            assert drawn[year] == charts.POSITION[tier]


def test_unresolved_years_are_a_range_on_the_timeline(db) -> None:
    row = db.execute("SELECT iso3 FROM tip_tiers WHERE tier = 'Tier 1 or 2' ORDER BY iso3 "
                     "LIMIT 1").fetchone()
    if row is not None:
        hist = q.history([row[0]])
    else:  # every report is resolved now (2022/2024 by elimination): a range year by hand
        hist = q.history(["THA"])
        hist.loc[hist["report_year"] == 2022, ["tier", "method", "resolved"]] = [
            "Tier 1 or 2", "range", False]
    fig = charts.timeline(hist, "note")
    ranges = [t for t in fig.data if "unresolved" in (t.name or "")]
    assert ranges, "no unresolved trace"
    assert ranges[0].error_y.value == 0.5
    assert set(arr(ranges[0].y)) == {charts.POSITION["Tier 1 or 2"]}


def test_counts_are_stacked_per_tier_and_unresolved_is_hatched(db) -> None:
    fig = charts.counts_chart(q.counts_per_year(), "note")
    assert fig.layout.barmode == "stack"
    totals: dict[int, int] = {}
    for trace in fig.data:
        for x, y in zip(arr(trace.x), arr(trace.y), strict=True):
            totals[int(x)] = totals.get(int(x), 0) + int(y)
        if trace.name == "Tier 1 or 2 (unresolved)":
            assert trace.marker.pattern.shape == "/"
            assert trace.marker.color == style.TIER_COLORS["Tier 1 or 2"]
    expected = dict(db.execute("SELECT report_year, count(*) FROM tip_tiers GROUP BY 1")
                    .fetchall())
    assert totals == expected


def test_movements_and_watch_list_streaks_agree_with_the_database(db, panel) -> None:
    year = 2019
    moves = q.movements(panel, year).set_index("iso3")
    prev, cur = db_tiers(db, year - 1), db_tiers(db, year)
    for iso3 in set(prev) & set(cur):
        assert moves.loc[iso3, "movement"] == q.classify_movement(prev[iso3], cur[iso3])
    fig = charts.movements_chart(moves.reset_index(), year, "note")
    n_moved = int(moves["movement"].isin(["upgrade", "downgrade"]).sum())
    drawn = sum(len(arr(t.y)) for t in fig.data if t.mode == "markers" and t.name in
                ("Upgraded", "Downgraded"))
    assert drawn == n_moved

    streaks = q.watch_list_streaks(panel, 2025).set_index("iso3")
    wl = {(i, y) for i, y in db.execute(
        "SELECT iso3, report_year FROM tip_tiers WHERE tier = 'Tier 2 Watch List'").fetchall()}
    for iso3, row in streaks.iterrows():
        n = 0
        while (iso3, 2025 - n) in wl:
            n += 1
        assert row["consecutive_years"] == n
    assert set(streaks.index) == {i for i, y in wl if y == 2025}
    # The hover counts reports in the right plural form, bar by bar.
    fig = charts.watch_list_chart(streaks.reset_index(), 2025, "note")
    hover = dict(zip(arr(fig.data[0].y), (c[0] for c in fig.data[0].customdata), strict=True))
    one = streaks[streaks["consecutive_years"] == 1].iloc[0]
    assert hover[one["name"]] == f"1 consecutive report, since {int(one['since'])}"
    three = streaks[streaks["consecutive_years"] == 3].iloc[0]
    assert hover[three["name"]] == f"3 consecutive reports, since {int(three['since'])}"


def test_timeline_hover_shows_the_response_and_how_each_placement_was_found(db) -> None:
    hist = q.history(["HKG"])
    fig = charts.timeline(hist, "note")
    line = fig.data[0]
    # Hover text is wrapped with <br>; read it as one line.
    hover = {int(x): "".join(str(c) for c in cd).replace("<br>", " ")
             for x, cd in zip(arr(line.x), line.customdata, strict=True)}
    assert "%{customdata[6]}" in line.hovertemplate
    # 2016: the HKSAR statement rejecting the Watch List grading, in its own words.
    h2016 = hover[2016]
    assert "Government response" in h2016 and "Date: 2016-06-30" in h2016
    assert "Stance: rejects (the project's reading of the statement)" in h2016
    assert "vehemently and categorically reject Hong Kong's grading" in h2016
    assert "sc.isd.gov.hk" in h2016
    # 2019: the upgrade was noted, with the figures the statement cites.
    assert "Stance: notes" in hover[2019] and "24 police districts" in hover[2019]
    # 2009: two statements; the first shown, the other named.
    assert "1 of 2 statements" in hover[2009] and "HKSAR Security Bureau" in hover[2009]
    assert "No government response to this report" in hover[2012]
    # Placement basis from tip_tiers.method / secondary, never from notes.
    basis = dict(db.execute("SELECT report_year, method = 'elimination' OR secondary "
                            "FROM tip_tiers WHERE iso3 = 'HKG'").fetchall())
    for year, flagged in basis.items():
        if year in hover:
            assert ("elimination" in hover[year] or "secondary compilation" in hover[year]) \
                == flagged, year


def test_timeline_hover_keeps_data_strings_plain() -> None:
    import pandas as pd

    frame = pd.DataFrame([{
        "iso3": "HKG", "name": "Hong Kong", "report_year": 2016, "tier": "Tier 2",
        "source_id": "s/f", "publisher": "P", "method": "elimination", "secondary": True,
        "response_n": 1, "response_date": "2016-06-30", "response_stance": "rejects",
        "response_publisher": "<a href='x'>Gov</a>", "response_quote": "<b>bold</b>",
        "response_figures": None, "response_url": "https://example.org/a", "response_others": None,
    }])
    text = "".join(str(c) for c in charts.timeline(frame, "note").data[0].customdata[0])
    assert "<b>bold</b>" not in text and "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "<a href" not in text
    assert "Derived by elimination" in text and "secondary compilation" in text


def test_map_hover_says_how_each_placement_was_found(db, panel) -> None:
    markers = geo.markers_for(sorted(panel["iso3"].unique()))
    names = dict(db.execute("SELECT iso3, name FROM jurisdictions").fetchall())
    for year in (2022, 2024, 2025):
        choro = charts.tier_map(panel, year, markers, "note").data[0]
        # Names are HTML-escaped Plotly text ("Côte d&#x27;Ivoire" shows as Côte d'Ivoire).
        hover = {html.unescape(row[0]): row[5] for row in choro.customdata}
        rows = db.execute("SELECT iso3, method, secondary, tier FROM tip_tiers WHERE "
                          "report_year = ?", [year]).fetchall()
        assert "Tier 1 or 2" not in {r[3] for r in rows}  # no grey-blue area on these maps
        for iso3, method, secondary, _ in rows:
            text = hover[names[iso3]]
            assert ("Derived by elimination" in text) == (method == "elimination"), (year, iso3)
            assert ("secondary compilation" in text) == bool(secondary), (year, iso3)
    assert "%{customdata[5]}" in choro.hovertemplate


def test_tier_charts_read_on_a_phone(db, panel) -> None:
    """Layouts that serve 390 px and 1280 px alike (tests/test_phone.py measures them drawn)."""
    fig = charts.movements_chart(q.movements(panel, 2025), 2025, "note")
    axis = fig.layout.xaxis
    assert axis.side == "top" and axis.tickangle == 0  # upright tier names, not slanted
    assert "Tier 2<br>Watch List" in axis.ticktext
    assert fig.layout.title.yref == "container" and fig.layout.margin.t >= 24 + 44

    streaks = q.watch_list_streaks(panel, 2025)
    fig = charts.watch_list_chart(streaks, 2025, "note")
    note = [a for a in fig.layout.annotations if "TVPA" in (a.text or "")][0]
    assert (note.x, note.xanchor, note.yref, note.y, note.yanchor) == (1.5, "left", "paper", 1,
                                                                     "bottom")
    assert max(len(line) for line in note.text.split("<br>")) <= len("automatic-downgrade")
    # The axis reaches past 3: more than half the plot lies right of the rule's line at 1.5.
    assert fig.layout.xaxis.range[1] >= max(3, int(streaks["consecutive_years"].max())) + 0.4

    fig = charts.timeline(q.history(["HKG"]), "note")
    assert fig.layout.xaxis.dtick is None and fig.layout.xaxis.tickformat == "d"

    part = panel[panel["region"] == "Eastern Asia"]
    fig = charts.tier_heatmap(part, q.heatmap_order(part, "name"), "note")
    for axis in (fig.layout.xaxis, fig.layout.xaxis2):
        assert axis.type == "linear" and axis.tickvals is None  # Plotly spaces the years
    years = sorted(part["report_year"].unique())
    assert list(fig.layout.xaxis.range) == [years[0] - 0.5, years[-1] + 0.5]
