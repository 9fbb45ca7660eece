"""Funnel chart builder and queries on the built database: preferred rows drawn, other
statements as diamonds, one y axis per stage, units never mixed, data strings escaped."""

from __future__ import annotations

import base64
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from trafficking import style
from trafficking.charts import funnels as charts
from trafficking.charts.funnels import Panel, Trace
from trafficking.present import registry, specs_funnels
from trafficking.queries import funnels as q


@pytest.fixture(scope="module")
def db(built_db: Path):
    mp = pytest.MonkeyPatch()
    mp.setenv("TRAFFICKING_DB", str(built_db))
    yield built_db
    mp.undo()


def _arr(value) -> list:
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return [None if isinstance(v, float) and math.isnan(v) else v for v in data.tolist()]
    return list(value) if value is not None else []


def _xy(trace) -> dict:
    return dict(zip(_arr(trace.x), _arr(trace.y), strict=True))


def test_uk_funnel_draws_latest_revision_and_keeps_the_others(db) -> None:
    charted, others, ambiguous = q.funnel(q.UK_FUNNEL)
    assert ambiguous.empty
    fig = charts.funnel_chart(charted, others, specs_funnels.UK_PANELS, "UK", "Source: test")
    referred = next(t for t in fig.data if t.name == "Potential victims referred")
    ys = _xy(referred)
    assert ys[2023] == 16990 and ys[2022] == 16921 and ys[2009] == 534 and ys[2024] == 19125
    assert len(ys) == 16
    diamonds = [t for t in fig.data if t.name.startswith("Other statements")]
    assert len(diamonds) == 1 and diamonds[0].yaxis == "y"
    alt = set(zip(_arr(diamonds[0].x), _arr(diamonds[0].y), strict=True))
    assert {(2023, 17004), (2009, 527), (2017, 5146), (2014, 2340)} <= alt
    # One y axis per stage: referrals, decisions, shares.
    rg = next(t for t in fig.data if t.name == specs_funnels.RG and t.type == "bar")
    share = next(t for t in fig.data if t.name == specs_funnels.RG and t.type == "scatter")
    assert (referred.yaxis, rg.yaxis, share.yaxis) == ("y", "y2", "y3")
    assert share.showlegend is False  # one legend entry for both RG traces
    assert fig.layout.yaxis3.ticksuffix == "%" and tuple(fig.layout.yaxis3.range) == (0, 115)
    assert fig.layout.yaxis.title.text.replace("<br>", " ") == "potential victims referred"
    assert fig.layout.yaxis2.title.text == "decisions"
    assert _xy(share)[2024] == 53 and _xy(rg)[2021] == 12665
    heads = [a.text for a in fig.layout.annotations]
    assert any("Decisions made in the year" in h and "No figure: 2009–2020" in h for h in heads)
    # Shares of neighbouring years met: a line is labelled at its first and latest figure.
    assert [t for t in share.text if t] == ["90%", "53%"]
    assert fig.layout.xaxis3.dtick == 4  # 2009–2024: four level year labels fit a phone


def test_hong_kong_funnel_reads_preferred_rows(db) -> None:
    charted, others, _ = q.funnel(q.HK_FUNNEL)
    fig = charts.funnel_chart(charted, others, specs_funnels.HK_PANELS, "HK", "Source: test")
    screened = _xy(next(t for t in fig.data if t.name == "People screened"))
    identified = _xy(next(t for t in fig.data if t.name == "Victims identified"))
    assert screened[2020] == 6912 and screened[2021] == 7678 and screened[2023] == 11000
    assert identified[2023] == 3 and identified[2017] == 9
    assert 2018 not in screened  # no screening count: a gap, never a zero
    bars = next(t for t in fig.data if t.name == "People screened")
    assert "≈11,000" in bars.text and "6,912" in bars.text


def test_japan_counts_are_two_panels_never_one_series(db) -> None:
    charted, others, _ = q.funnel(q.JP_COUNTS)
    fig = charts.funnel_chart(charted, others, specs_funnels.JP_PANELS, "JP", "Source: test")
    npa = next(t for t in fig.data if "NPA" in t.name)
    isa = next(t for t in fig.data if "ISA" in t.name)
    assert npa.yaxis != isa.yaxis
    assert _xy(npa)[2021] == 42 and _xy(isa)[2021] == 11 and _xy(isa)[2005] == 115
    assert len([t for t in fig.data if t.type == "bar"]) == 2


def test_a_panel_mixing_units_is_refused(db) -> None:
    charted, others, _ = q.funnel(q.UK_FUNNEL)
    mixed = (Panel("mixed", (Trace("GBR", q.UK_REFERRALS, "a", "#000000"),
                             Trace("GBR", q.UK_CG_SHARE, "b", "#111111"))),)
    with pytest.raises(ValueError, match="mixes units"):
        charts.funnel_chart(charted, others, mixed, "x", "Source: test")


def test_hover_and_source_strings_are_escaped(db) -> None:
    charted, others, _ = q.funnel(q.SG_COUNTS)
    charted = charted.copy()
    charted.loc[charted.index[0], "quote"] = "<a href='javascript:x'>click</a>"
    fig = charts.funnel_chart(charted, others, specs_funnels.SG_PANELS, "SG",
                              "Source: <b>bold</b>")
    hover = " ".join(fig.data[0].hovertext)
    assert "<a href" not in hover and "&lt;a href=" in hover
    note = next(a for a in fig.layout.annotations if a.name == "source-note")
    assert "<b>" not in note.text and "&lt;b&gt;" in note.text


def test_split_preferred_leaves_out_figures_without_one_preferred_row() -> None:
    frame = pd.DataFrame({
        "indicator": ["x", "x", "x", "y"], "area_code": ["A", "A", "A", "A"],
        "year": [2020, 2020, 2021, 2020], "value": [1.0, 2.0, 3.0, 4.0],
        "preferred": [True, True, True, False]})
    charted, ambiguous = q.split_preferred(frame)
    assert charted[["indicator", "year"]].values.tolist() == [["x", 2021]]
    assert sorted(map(tuple, ambiguous[["indicator", "year", "value"]].values.tolist())) == [
        ("x", 2020, 1.0), ("x", 2020, 2.0), ("y", 2020, 4.0)]


def test_registered_charts_build_with_sources(db) -> None:
    for chart_id in ("funnel-hong-kong", "funnel-uk-nrm", "funnel-japan", "funnel-singapore"):
        view = registry.view(chart_id)
        assert view.figure.data and not view.data.empty
        assert registry.CHARTS[chart_id].page == "screening"
        assert view.sources["source_id"].str.len().min() > 0
    uk = registry.view("funnel-uk-nrm")
    assert set(uk.sources["source_id"]) == {"referral-funnels/funnels.csv"}
    assert uk.data["preferred"].sum() == 16 + 4 + 4 + 4 + 4
    assert q.revision_history()["year"].nunique() == 11  # years stated more than once


def test_panel_headings_wrap_to_a_phone(db) -> None:
    charted, others, _ = q.funnel(q.JP_COUNTS)
    fig = charts.funnel_chart(charted, others, specs_funnels.JP_PANELS, "JP", "Source: test")
    head = fig.layout.annotations[0].text.split("<br>")
    # The title in two lines, the long list of years without a figure in two more.
    assert head[:2] == ["National Police Agency: victims", "recognised"]
    assert "No figure: 2005, 2008–2010" in head[2] and "2022" in head[3]
    plain = [re.sub(r"<[^>]+>", "", line) for line in head]
    assert max(style.units(line) for line in plain) <= charts.HEAD_NOTE_UNITS
