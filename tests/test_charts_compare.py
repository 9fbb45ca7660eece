"""Compare and profile chart builders: gaps stay gaps, suppressed values are never numbers,
editions are separate segments, breaks are drawn; plus the pure steps that feed them."""

from __future__ import annotations

import math

import pandas as pd

from trafficking.charts import compare as charts
from trafficking.charts import profile as pcharts
from trafficking.queries import catalogue as cq
from trafficking.queries import compare as q


def _obs(rows: list[tuple]) -> pd.DataFrame:
    """rows: (indicator, area, year, value, qualifier[, note[, series_break]])."""
    out = []
    for r in rows:
        ind, area, year, value, qual = r[:5]
        out.append({"indicator": ind, "area_code": area, "area_kind": "jurisdiction",
                    "year": year, "breakdown_dim": "total", "breakdown": "", "value": value,
                    "qualifier": qual, "source_id": "test/figures.csv", "quote": None,
                    "cited_url": None, "note": r[5] if len(r) > 5 else None,
                    "series_break": r[6] if len(r) > 6 else False})
    return pd.DataFrame(out)


# As the catalogue reads them from the indicators table: two editions of series 'thing', an
# unversioned count, and a share that is a series of its own.
CAT = cq.add_series(pd.DataFrame({
    "code": ["x_count", "abc2012_thing", "abc2017_thing", "xyz2023_thing"],
    "unit": ["persons", "persons", "persons", "percent"],
    "name": ["Count", "Thing — ABC 2012", "Thing — ABC 2017", "Thing share"],
    "family": ["x_count", "thing", "thing", "xyz_thing_share"],
    "edition": ["", "ABC 2012", "ABC 2017", "XYZ 2023"],
    "edition_year": [None, 2012, 2017, 2023],
    "kind": ["count", "count", "count", "share"],
    "rate_base": [None, None, None, None],
}))


def _prepared(rows: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = q.with_series(q.pick_charted(_obs(rows)), CAT)
    breaks = q.definition_breaks(frame)
    frame["segment"] = q.segment(frame, breaks)
    return frame[frame["charted"]], breaks


def _line(frame: pd.DataFrame, breaks: pd.DataFrame, **kw):
    series = list(dict.fromkeys(frame["series"]))
    units = dict(zip(CAT["series"], CAT["unit"], strict=True))
    return charts.line_chart(
        frame, area_names={a: a for a in dict.fromkeys(frame["area_code"])},
        series_names={s: s for s in series}, panel_units={s: units[s] for s in series},
        breaks=breaks, **kw)


def test_missing_years_are_none_not_zero() -> None:
    frame, breaks = _prepared([
        ("x_count", "AAA", 2015, 12.0, None), ("x_count", "AAA", 2016, 9.0, None),
        ("x_count", "AAA", 2019, 20.0, None),                      # 2017, 2018 missing
        ("x_count", "AAA", 2020, None, "suppressed (<5)"),           # no number published
        ("x_count", "AAA", 2021, 7.0, None),
        ("x_count", "BBB", 2016, 3.0, None),
    ])
    fig = _line(frame, breaks)
    trace = next(t for t in fig.data if t.meta and t.meta["area_code"] == "AAA")
    ys = dict(zip(trace.x, trace.y, strict=True))
    assert list(trace.x) == list(range(2015, 2022))
    assert ys[2017] is None and ys[2018] is None and ys[2020] is None
    assert 0 not in [y for y in trace.y if y is not None]
    assert trace.connectgaps is False
    # The suppressed year is labelled in the chart, not drawn as a number.
    marks = [a for a in fig.layout.annotations if "suppressed" in (a.text or "")]
    assert [int(a.x) for a in marks] == [2020]


def test_real_zero_is_kept() -> None:
    frame, breaks = _prepared([("x_count", "AAA", 2015, 0.0, None),
                               ("x_count", "AAA", 2016, 4.0, None)])
    trace = next(t for t in _line(frame, breaks).data if t.meta)
    assert list(trace.y) == [0.0, 4.0]


def test_new_edition_breaks_the_line() -> None:
    frame, breaks = _prepared([
        ("abc2012_thing", "WLD", 2011, 20.9e6, None),
        ("abc2017_thing", "WLD", 2016, 24.9e6, None),
        ("abc2017_thing", "WLD", 2017, 25.0e6, None),
    ])
    assert set(frame["series"]) == {"abc2017_thing"}  # one series, two editions
    assert list(breaks["year"]) == [2016]
    assert "ABC 2017" in breaks["label"].iloc[0]
    fig = _line(frame, breaks)
    segments = [t for t in fig.data if t.meta]
    assert len(segments) == 2                            # no line joins 2011 to 2016
    assert [list(t.x) for t in segments] == [[2011], [2016, 2017]]
    assert any(s.type == "line" and s.x0 == 2015.5 for s in fig.layout.shapes)
    assert any("New edition" in (a.text or "") for a in fig.layout.annotations)


def test_series_break_flag_breaks_the_line() -> None:
    frame, breaks = _prepared([
        ("x_count", "AAA", 2015, 10.0, None), ("x_count", "AAA", 2016, 11.0, None),
        ("x_count", "AAA", 2017, 30.0, None, "New definition from 2017", True),
        ("x_count", "AAA", 2018, 31.0, None),
    ])
    assert list(breaks["year"]) == [2017]
    assert breaks["text"].iloc[0] == "New definition from 2017"  # the note says how
    segments = [t for t in _line(frame, breaks).data if t.meta]
    assert [list(t.x) for t in segments] == [[2015, 2016], [2017, 2018]]


def test_a_note_without_the_flag_breaks_nothing() -> None:
    # The ETL states breaks; the dashboard never reads one into a note's wording.
    frame, breaks = _prepared([
        ("x_count", "AAA", 2016, 11.0, None),
        ("x_count", "AAA", 2017, 30.0, None, "Break in series: new definition from 2017"),
    ])
    assert breaks.empty
    segments = [t for t in _line(frame, breaks).data if t.meta]
    assert [list(t.x) for t in segments] == [[2016, 2017]]


def test_pick_charted_prefers_the_etl_choice_then_exact_figures() -> None:
    frame = _obs([
        ("x_count", "HKG", 2020, 6900.0, "approximately"),
        ("x_count", "HKG", 2020, 6912.0, None),
        ("x_count", "HKG", 2021, 7700.0, "approximately"),
        ("x_count", "HKG", 2021, 7678.0, None),
        # The ETL preferred the later edition's figure: the flag wins over source order.
        ("x_count", "WLD", 2019, 118932.0, None), ("x_count", "WLD", 2019, 111932.0, None),
    ])
    frame["preferred"] = [False, True, False, True, False, True]
    charted = q.pick_charted(frame)
    got = {(a, y): v for a, y, v, c in charted[["area_code", "year", "value", "charted"]]
           .itertuples(index=False) if c}
    assert got == {("HKG", 2020): 6912.0, ("HKG", 2021): 7678.0, ("WLD", 2019): 111932.0}
    assert (charted["n_alternatives"] == 1).all()
    # Without the column (e.g. an older query), exact beats approximate.
    fallback = q.pick_charted(frame.drop(columns="preferred").iloc[:4])
    assert fallback[fallback["charted"]].set_index("year")["value"].to_dict() == {
        2020: 6912.0, 2021: 7678.0}
    # A note saying 'Not charted:' is read by nobody any more.
    noted = _obs([("x_count", "HKG", 2020, 6900.0, None, "Not charted: old note"),
                  ("x_count", "HKG", 2020, 6912.0, None, "Charted: old note")])
    noted["preferred"] = [True, False]
    assert q.pick_charted(noted).query("charted")["value"].tolist() == [6900.0]


def test_log_scale_and_tier_row() -> None:
    frame, breaks = _prepared([("x_count", "AAA", 2015, 10.0, None),
                               ("x_count", "AAA", 2016, 1000.0, None)])
    tiers = pd.DataFrame({"iso3": ["AAA", "AAA"], "name": ["AAA", "AAA"],
                          "report_year": [2015, 2016], "tier": ["Tier 2", "Tier 1 or 2"],
                          "source_id": ["t/a", "t/b"]})
    fig = _line(frame, breaks, log=True, tiers=tiers)
    assert fig.layout.yaxis.type == "log"
    tier_traces = [t for t in fig.data if t.name and t.name.startswith("TIP: ")]
    assert {t.name for t in tier_traces} == {"TIP: Tier 2", "TIP: Tier 1 or 2 (unresolved)"}
    assert all(t.xaxis == "x2" for t in tier_traces)  # the same year axis, a row below


def test_ranking_lists_suppressed_without_a_bar() -> None:
    frame, _ = _prepared([
        ("x_count", "AAA", 2021, 50.0, None), ("x_count", "BBB", 2021, 20.0, None),
        ("x_count", "CCC", 2021, None, "suppressed (<5)"),
    ])
    fig = charts.ranking_chart(q.latest(frame), area_names={}, title="t", unit="persons")
    bars = fig.data[0]
    assert list(bars.y) == ["BBB", "AAA"] and list(bars.x) == [20.0, 50.0]
    assert "suppressed (<5)" in fig.data[1].text[0]


def test_small_multiples_keep_gaps_one_panel_per_series() -> None:
    frame, _ = _prepared([("x_count", "AAA", 2015, 3.0, None),
                          ("x_count", "AAA", 2018, 4.0, None),
                          ("xyz2023_thing", "AAA", 2016, None, "suppressed (<5)")])
    panels = pd.DataFrame({"series": ["x_count", "xyz2023_thing"], "name": ["Count", "<b>S</b>"],
                           "unit": ["persons", "percent"], "year": [2018, 2016],
                           "value": [4.0, None], "qualifier": [None, "suppressed (<5)"]})
    fig = pcharts.small_multiples(frame, panels, "Source: test")
    line = fig.data[0]
    assert list(line.y) == [3.0, None, None, 4.0] and line.connectgaps is False
    assert line.yaxis == "y" and fig.data[1].yaxis == "y2"  # the second series' own panel
    assert list(fig.data[1].y) == [None]  # no number is never drawn as one ...
    assert list(fig.data[2].y) == [0] and "suppressed" in fig.data[2].text[0]  # ... a mark
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0] == "Count (persons)<br>latest 4 (2018)"
    assert titles[1].startswith("&lt;b&gt;S") and "suppressed (&lt;5)" in titles[1]  # text only


def test_gap_filled_keeps_a_single_value() -> None:
    assert not math.isnan(charts.gap_filled(pd.DataFrame({"year": [2001], "value": [1.0]}))[1][0])


def test_many_suppressed_values_get_compact_marks_with_hover() -> None:
    rows = [("x_count", "AAA", 2000 + i, None, "suppressed (<5)") for i in range(8)]
    rows.append(("x_count", "AAA", 2010, 3.0, None))
    frame, breaks = _prepared(rows)
    fig = _line(frame, breaks)
    marks = [a for a in fig.layout.annotations if (a.text or "").startswith("◇")]
    assert len(marks) == 8
    assert all(a.text == "◇" and "suppressed (<5)" in a.hovertext for a in marks)
    trace = next(t for t in fig.data if t.meta)
    assert [y for y in trace.y if y is not None] == [3.0]


def test_qualified_figures_get_open_markers() -> None:
    frame, breaks = _prepared([("x_count", "HKG", 2021, 7678.0, None),
                               ("x_count", "HKG", 2023, 11000.0, "approximately")])
    trace = next(t for t in _line(frame, breaks).data if t.meta)
    assert list(trace.x) == [2021, 2022, 2023] and trace.y[1] is None
    assert list(trace.marker.symbol) == ["circle", "circle", "circle-open"]
