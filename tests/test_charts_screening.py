"""Screening chart builders and the rate arithmetic: pure functions on real parsed rows."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from etl import preference
from etl.build import run_parser
from etl.source import FetchedFile
from etl.sources import tip_global_law_enforcement
from trafficking.charts import screening as charts
from trafficking.queries import screening as q


def _parse(module, shared_raw: Path) -> pd.DataFrame:
    path = shared_raw / module.ID / module.FILE
    files = {module.FILE: FetchedFile(module.ID, module.FILE, path, None, str(path), "mirror-dir",
                                      "", 0, "")}
    return run_parser(module.SOURCE, files).observations


@pytest.fixture(scope="module")
def hk_wide(built_db: Path, monkeypatch_module) -> pd.DataFrame:
    """Hong Kong's charted series from the built database (preferred across three sources)."""
    return q.hk_wide(q.hk_observations())


@pytest.fixture(scope="module")
def monkeypatch_module(built_db: Path):
    mp = pytest.MonkeyPatch()
    mp.setenv("TRAFFICKING_DB", str(built_db))
    yield mp
    mp.undo()


def test_identification_rate_arithmetic() -> None:
    rate = q.identification_rate(pd.Series([3, 1, 3, 5, None, 2]),
                                 pd.Series([11000, 7678, 6912, 0, 100, None]))
    assert rate[0] == pytest.approx(3 / 11000 * 1000)  # 0.2727…
    assert rate[1] == pytest.approx(0.13024, abs=1e-5)
    assert rate[2] == pytest.approx(0.43403, abs=1e-5)
    assert math.isnan(rate[3])  # no screenings: no rate, not infinity
    assert math.isnan(rate[4]) and math.isnan(rate[5])  # a missing figure: a gap


def test_hong_kong_years_keep_gaps(hk_wide: pd.DataFrame) -> None:
    assert hk_wide["year"].tolist() == list(range(2015, 2025))
    scr = hk_wide.set_index("year")[q.SCREENINGS]
    assert scr[2021] == 7678 and scr[2020] == 6912 and scr[2023] == 11000  # charted rows
    assert scr[2024] == 11300 and scr[2022] == 7600 and scr[2019] == 7500
    assert hk_wide.set_index("year").loc[2019, q.SCREENINGS + "_qualifier"] == "more than"
    assert scr[[2015, 2016, 2017, 2018]].isna().all()
    rates = q.hk_rates(hk_wide).set_index("year")
    assert rates.loc[2023, "rate"] == pytest.approx(0.2727, abs=1e-4)
    assert rates.loc[2024, "rate"] == pytest.approx(8 / 11300 * 1000)
    assert rates.loc[2019, "mark"] == "≤" and rates.loc[2024, "mark"] == "≈"
    assert rates.loc[2021, "mark"] == "" and not bool(rates.loc[2021, "approximate"])
    assert rates.loc[[2015, 2016, 2017, 2018], "rate"].isna().all()


def test_screening_chart_draws_gaps_not_zeros(hk_wide: pd.DataFrame) -> None:
    tiers = pd.DataFrame({"report_year": [2025], "data_year": [2024],
                          "tier": ["Tier 2 Watch List"], "source_id": ["x/y"]})
    fig = charts.hk_screening_chart(hk_wide, tiers, "Source: test")
    bars = next(t for t in fig.data if t.type == "bar")
    ys = dict(zip(bars.x, bars.y, strict=True))
    assert ys[2021] == 7678 and math.isnan(ys[2018])
    assert "≈11,000" in bars.text and "≈11,300" in bars.text and ">7,500" in bars.text
    shapes = dict(zip(bars.x, bars.marker.pattern.shape, strict=True))
    assert shapes[2019] == "/" and shapes[2024] == "" and shapes[2021] == ""  # bound hatched
    strip = fig.data[0]
    assert list(strip.text)[-1] == "2WL"  # data year 2024 under the 2025 report
    assert list(strip.text)[0] == "–"  # no tier given for that year in this frame
    notes = [a.text for a in fig.layout.annotations]
    # One note for the run 2015–2018, centred on it (one a year overlapped on a phone).
    gaps = [a for a in fig.layout.annotations if "no screening" in a.text]
    assert [a.x for a in gaps] == [2016.5]
    assert tuple(fig.layout.xaxis2.range) == (2014.4, 2024.6)
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y < 0
    assert any(t.startswith("Source: test") for t in notes)


def test_rate_chart_marks_uncomputable_years(hk_wide: pd.DataFrame) -> None:
    fig = charts.hk_rate_chart(q.hk_rates(hk_wide), "Source: test")
    bar = fig.data[0]
    assert "≈0.27" in bar.text and "0.13" in bar.text and "0.43" in bar.text
    assert "≤0.40" in bar.text and "≈0.71" in bar.text  # 2019 lower bound, 2024 rounded
    gaps = [a for a in fig.layout.annotations if a.text == "not<br>computable"]
    assert [a.x for a in gaps] == [2016.5]  # one note for the run 2015–2018
    assert fig.layout.yaxis.title.text == "Victims per<br>1,000 screened"


def test_compare_chart_skips_censored_values() -> None:
    frame = pd.DataFrame({
        "series": ["Singapore — detected"] * 3, "area_code": ["SGP"] * 3,
        "indicator": ["glotip_detected_victims"] * 3, "dataset": ["unodc-glotip"] * 3,
        "year": [2017, 2018, 2020],
        "value": [16.0, None, 20.0], "qualifier": [None, "suppressed (<5)", None],
        "source_publisher": ["UNODC"] * 3, "source_title": ["t"] * 3, "retrieved": ["d"] * 3,
        "source_address": ["a"] * 3, "cited_url": [None] * 3})
    fig = charts.compare_absolute_chart(frame, "Source: test", log_scale=True)
    line = fig.data[0]
    assert list(line.x) == [2017, 2018, 2019, 2020]
    assert line.y[0] == 16 and math.isnan(line.y[1]) and math.isnan(line.y[2])
    assert fig.layout.yaxis.type == "log"


def test_empty_inputs_say_so() -> None:
    fig = charts.compare_rate_chart(pd.DataFrame(columns=["area_name", "year", "rate"]), "S")
    assert not fig.data
    assert "No chosen jurisdiction publishes screening counts" in fig.layout.annotations[0].text


def test_worldwide_chart_to_2024_with_revisions_on_hover(built_db: Path,
                                                         monkeypatch_module) -> None:
    world = q.worldwide()
    fig = charts.worldwide_chart(world, "Source: test")
    totals = [t for t in fig.data if t.name == "All trafficking"]
    pros = dict(zip(totals[0].x, totals[0].y, strict=True))
    assert max(pros) == 2024 and pros[2024] == 15791 and pros[2016] == 14894
    vic = dict(zip(totals[2].x, totals[2].y, strict=True))
    assert vic[2019] == 111932  # latest edition (2025) charted, not the 2024 edition's 118,932
    hover = dict(zip(totals[2].x, (c[1] for c in totals[2].customdata), strict=True))
    assert "2024 TIP report: 118,932" in hover[2019]
    stars = [a for a in fig.layout.annotations if a.text == "*"]
    assert [(a.x, a.y) for a in stars] == [(2019, 111932)]
    assert stars[0].yref == "y3"  # the victims panel, third from the top
    # One panel under the other on one year axis; a '–' for each year the table lacks.
    assert (totals[0].xaxis, totals[2].xaxis, totals[2].yaxis) == ("x", "x3", "y3")
    dashes = sorted(a.x for a in fig.layout.annotations if a.text == "–" and a.yref == "y3")
    assert dashes == [2003, 2004, 2005, 2006, 2007, 2015, 2016]
    assert not preference.edition_year(None)


def test_worldwide_chart_splits_labour(shared_raw: Path) -> None:
    world = _parse(tip_global_law_enforcement, shared_raw)
    fig = charts.worldwide_chart(world, "Source: test")
    labour = [t for t in fig.data if t.name == "of which labour trafficking"]
    assert len(labour) == 3
    vic_labour = dict(zip(labour[2].x, labour[2].y, strict=True))
    assert vic_labour[2012] == 17368 and math.isnan(vic_labour[2009])
    totals = [t for t in fig.data if t.name == "All trafficking"]
    assert dict(zip(totals[0].x, totals[0].y, strict=True))[2015] == 18930
