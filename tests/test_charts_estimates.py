"""Chart builders for the global estimates: pure functions on small frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.sources import global_estimates_figures
from trafficking.charts import estimates as charts
from trafficking.queries import estimates as q

SOURCE = "Source: test"


def _fig_rows(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["indicator", "area_code", "area_kind", "year",
                                        "breakdown_dim", "breakdown", "value", "qualifier"])
    frame["source_id"] = "global-estimates-figures/figures.csv"
    frame["quote"] = "Forced labour accounts for 27.6 million <b>of those</b>"
    frame["cited_url"] = "https://example.org/page"
    frame["dataset"] = "global-estimates-figures"
    return q.with_facts(frame, global_estimates_figures.catalogue()).assign(also_quoted="")


def test_hover_shows_source_year_and_escaped_quote() -> None:
    rows = _fig_rows([("gems2022_forced_labour", "WLD", "world", 2021, "total", "", 27.6e6, None)])
    text = charts.hover_text(rows.iloc[0])
    assert "Reference year: 2021" in text and "edition 2022" in text
    assert "global-estimates-figures/figures.csv" in text and "https://example.org/page" in text
    assert "&lt;b&gt;of those&lt;/b&gt;" in text  # quoted text is data, never markup


def test_bar_chart_refuses_mixed_kinds() -> None:
    rows = _fig_rows([
        ("gems2022_modern_slavery", "WLD", "world", 2021, "sex", "women and girls", 1e6, None),
        ("gems2022_modern_slavery_share", "WLD", "world", 2021, "sex", "women (share)", 54, None),
    ])
    with pytest.raises(ValueError, match="one kind"):
        charts.bar_chart(rows, "t", SOURCE)
    fig = charts.bar_chart(rows[rows["kind"] == "share"], "t", SOURCE)
    assert fig.layout.xaxis.title.text == "Per cent" and list(fig.layout.xaxis.range) == [0, 104]
    assert fig.data[0].text == ("54 %",)


def test_bar_labels_stand_above_their_bars_over_the_full_width() -> None:
    rows = _fig_rows([
        ("gems2022_forced_labour", "WLD", "world", 2021, "form",
         "privately imposed forced labour exploitation", 17.3e6, None),
        ("gems2022_forced_labour", "WLD", "world", 2021, "form", "state-imposed forced labour",
         3.9e6, None),
    ])
    fig = charts.bar_chart(rows, "t", SOURCE)
    bar = fig.data[0]
    # No tick labels beside the bars: each label is a note from the plot's left edge, wrapped
    # to a phone's width, standing on its bar's top edge (y in pixels of the plot).
    assert fig.layout.yaxis.showticklabels is False
    notes = [a for a in fig.layout.annotations if a.name != "source-note"]
    assert [(a.text, a.xref, a.x, a.xanchor, a.yanchor) for a in notes] == [
        ("Forced labour: state-imposed forced<br>labour", "paper", 0, "left", "bottom"),
        ("Forced labour: privately imposed forced<br>labour exploitation", "paper", 0, "left",
         "bottom")]
    assert [a.y for a in notes] == [y + bar.width / 2 + 3 for y in bar.y]
    # From the first bar's top to the second bar's foot: the first label's two lines (17 px
    # each) and a 12 px gap.
    assert bar.y[1] - bar.width / 2 - notes[0].y == pytest.approx(2 * 17 + 12)
    assert fig.layout.yaxis.range[1] == pytest.approx(notes[1].y + 2 * 17)
    assert bar.textposition == "auto" and list(bar.text) == ["3.9 million", "17.3 million"]
    assert fig.layout.xaxis.range[1] == pytest.approx(17.3 * 1.08)


def test_region_chart_keeps_counts_and_rates_apart_and_flags_gaps() -> None:
    rows = _fig_rows([
        ("gems2022_forced_marriage", "ILO-ASP", "region", 2021, "region", "Asia and the Pacific",
         14.2e6, None),
        ("gems2022_forced_marriage_prevalence", "ILO-ARB", "region", 2021, "region",
         "Arab States", 4.8, None),
    ])
    fig = charts.region_chart(rows, ["Arab States", "Asia and the Pacific"], "t", SOURCE)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [(b.xaxis, list(b.y)) for b in bars] == [
        ("x", ["Asia and the Pacific"]), ("x2", ["Arab States"])]
    assert bars[0].x[0] == pytest.approx(14.2)  # millions on the count panel
    assert bars[1].x[0] == pytest.approx(4.8)  # per 1,000 on its own axis
    gaps = [t for t in fig.data if t.type == "scatter"]
    assert {(g.xaxis, tuple(g.y)) for g in gaps} == {("x", ("Arab States",)),
                                                     ("x2", ("Asia and the Pacific",))}
    assert all(set(g.text) == {"not quoted"} for g in gaps)


def test_region_chart_marks_qualifiers_and_an_empty_panel() -> None:
    rows = _fig_rows([
        ("gems2022_modern_slavery", "ILO-AFR", "region", 2021, "region", "Africa", 7e6,
         "approximately"),
        ("gems2022_modern_slavery", "ILO-ECA", "region", 2021, "region",
         "Europe and Central Asia", 6.4e6, "approximately"),
        ("gems2017_forced_labour_prevalence", "ILO-AMR", "region", 2016, "region", "Americas",
         1.3, None),
    ])
    fig = charts.region_chart(rows.iloc[:2], ["Africa", "Americas", "Europe and Central Asia"],
                              "t", SOURCE)
    bar = next(t for t in fig.data if t.type == "bar" and t.xaxis == "x")
    # Plotly draws the first category at the bottom, so the order is reversed.
    assert list(bar.y) == ["Europe and Central Asia", "Africa"]
    assert list(bar.text) == ["≈ 6.4 million", "≈ 7 million"]
    assert "approximately as stated" in bar.customdata[0][0]
    gaps = {g.xaxis: list(g.y) for g in fig.data if g.type == "scatter"}
    assert gaps["x"] == ["Americas"]
    # No count at all (the 2017 edition's regional forced labour): every row 'not quoted'.
    fig = charts.region_chart(rows.iloc[2:], ["Africa", "Americas"], "t", SOURCE)
    gaps = {g.xaxis: sorted(g.y) for g in fig.data if g.type == "scatter"}
    assert gaps == {"x": ["Africa", "Americas"], "x2": ["Africa"]}
    assert list(fig.layout.xaxis.range) == [0, 1.1]  # a default range, not NaN


def test_preferred_reads_the_etl_column() -> None:
    rows = _fig_rows([
        ("gems2022_forced_labour", "ILO-ASP", "region", 2021, "region", "Asia and the Pacific",
         15.1e6, None),
        ("gems2022_forced_labour", "ILO-ASP", "region", 2021, "region", "Asia and the Pacific",
         15.1e6, None),
        ("gems2022_forced_labour", "ILO-ASP", "region", 2021, "region", "Asia and the Pacific",
         15e6, "rounded"),
    ]).drop(columns="also_quoted")
    rows["source_id"] = ["a/figures.csv", "b/figures.csv", "b/figures.csv"]
    rows["preferred"] = [False, True, False]  # the ETL chose b (the publisher's page)
    best = q.preferred(rows)
    assert best["source_id"].tolist() == ["b/figures.csv"]
    assert best["also_quoted"].iloc[0] == ("15,100,000 — a/figures.csv; "
                                           "15,000,000 (rounded) — b/figures.csv")
    # Without the column (parser output), the same order applies: exact and precise first.
    assert q.preferred(rows.drop(columns="preferred"))["value"].tolist() == [15.1e6]


def test_regional_gaps_name_missing_regions() -> None:
    rows = _fig_rows([
        ("gems2022_modern_slavery", "ILO-AFR", "region", 2021, "region", "Africa", 7e6, None),
        ("gems2022_modern_slavery_prevalence", "ILO-AFR", "region", 2021, "region", "Africa",
         5.2, None),
        ("gems2022_modern_slavery_prevalence", "ILO-AMR", "region", 2021, "region", "Americas",
         5.0, None),
        ("gems2022_forced_marriage_prevalence", "ILO-ASP", "region", 2021, "sex", "females",
         4.5, None),
    ])
    assert q.region_names(rows, 2022) == ["Africa", "Americas"]  # 'females' is not a region
    gaps = q.regional_gaps(rows)
    assert gaps[["measure", "kind", "regions"]].values.tolist() == [
        ["modern_slavery", "count", ["Americas"]]]
    assert q.regions(rows, 2022, "modern_slavery")["breakdown"].tolist().count("Africa") == 2


def test_headline_chart_orders_editions_and_marks_qualifiers() -> None:
    rows = _fig_rows([
        ("gems2022_modern_slavery", "WLD", "world", 2021, "total", "", 49.6e6, None),
        ("gems2017_modern_slavery", "WLD", "world", 2016, "total", "", 40.3e6, None),
        ("ilo2005_forced_labour", "WLD", "world", 2004, "total", "", 12.3e6, "at least"),
    ])
    fig = charts.headline_chart(rows, SOURCE)
    ms = next(t for t in fig.data if t.name == "Modern slavery")
    assert list(ms.text) == ["40.3 million", "49.6 million"]
    fl = next(t for t in fig.data if t.name == "Forced labour")
    assert list(fl.text) == ["≥ 12.3 million"]
    assert list(fig.layout.xaxis.categoryarray)[0].startswith("ILO 2005")


def _countries() -> pd.DataFrame:
    return pd.DataFrame({
        "iso3": ["PRK", "HKG", "ISL"], "name": ["North Korea", "Hong Kong", "Iceland"],
        "gsi_region": ["Asia and the Pacific"] * 2 + ["Europe and Central Asia"],
        "prevalence": [104.6, 2.76, np.nan], "number": [2_696_000, 21_000, np.nan],
        "population": [25_779_000, 7_497_000, 341_000],
        "vulnerability": [67.0, 28.2, np.nan], "government_response": [-2.6, 32.1, 60.0],
        "year": [2021] * 3, "source_id": ["walkfree-gsi-2023/x.xlsx"] * 3,
        "cited_url": ["https://www.walkfree.org"] * 3,
    })


def test_gsi_map_shows_no_estimate_never_zero() -> None:
    markers = pd.DataFrame({"iso3": ["HKG"], "lon": [114.1], "lat": [22.3],
                            "reason": ["too small to see"]})
    fig = charts.gsi_map(_countries(), markers, SOURCE)
    by_name = {t.name: t for t in fig.data if t.type == "choropleth"}
    assert list(by_name["no estimate"].locations) == ["ISL"]
    assert "No estimate" in by_name["no estimate"].customdata[0][0]
    assert list(by_name["20 and over"].locations) == ["PRK"]
    assert list(by_name["2 – 4"].locations) == ["HKG"]
    dots = [t for t in fig.data if t.type == "scattergeo"]
    assert len(dots) == 1 and "Hong Kong" in dots[0].customdata[0][0]
    assert fig.layout.geo.resolution == 110  # the light geometry; small places are dots


def test_ranked_table_lists_no_estimate_last_and_unranked() -> None:
    table = q.ranked(_countries())
    assert table["iso3"].tolist() == ["PRK", "HKG", "ISL"]
    assert table["rank"].tolist()[:2] == [1, 2] and pd.isna(table["rank"].iloc[2])
    iceland = table.iloc[2]
    assert iceland["prevalence_text"] == "no estimate" and iceland["number_text"] == "no estimate"
    assert table.iloc[0]["prevalence_text"] == "104.6"
    assert table.iloc[1]["number_text"] == "21,000"
