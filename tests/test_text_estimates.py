"""trafficking/present/text_estimates.py: the Global estimates page's words and tiles, in both
languages, on the session database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from trafficking import i18n
from trafficking.present import text_estimates as tx


@pytest.fixture()
def live(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))


def test_headline_tiles_carry_quote_and_change(live) -> None:
    from trafficking.queries import estimates as q

    heads = q.headlines(q.quoted_figures())
    gems = dict(tx.headline_tiles(heads, q.changes(heads), "gems"))
    assert list(gems) == [2017, 2022]
    assert [t.label for t in gems[2022]] == ["Modern slavery", "Forced labour", "Forced marriage"]
    assert [t.value for t in gems[2022]] == ["49.6 million", "27.6 million", "22 million"]
    assert gems[2022][0].delta == "+9.3 million vs 2017 edition"
    assert gems[2017][0].delta is None  # no earlier GEMS edition to compare with
    assert "Reference year 2021" in gems[2022][0].help and "Quote: “" in gems[2022][0].help
    ilo = dict(tx.headline_tiles(heads, q.changes(heads), "ilo"))
    assert ilo[2005][0].value == "≥ 12.3 million" and ilo[2005][0].delta is None


def test_gsi_tiles_never_show_zero_for_no_estimate(live) -> None:
    from trafficking.queries import estimates as q

    countries = q.gsi_countries()
    table = q.ranked(countries)
    assert tx.gsi_summary(countries).startswith(
        "Walk Free's estimates for 160 of the 180 countries it assessed")
    prk = tx.gsi_tiles(table, "PRK")
    assert [(t.label, t.value) for t in prk][:3] == [
        ("Prevalence per 1,000", "104.6"), ("Estimated number", "2,696,000"),
        ("Rank (of estimates)", "1 of 160")]
    isl = {t.label: t.value for t in tx.gsi_tiles(table, "ISL")}
    assert isl["Prevalence per 1,000"] == "no estimate" and isl["Rank (of estimates)"] == "—"




def test_headline_tiles_in_chinese(live) -> None:
    from trafficking.queries import estimates as q

    heads = q.headlines(q.quoted_figures())
    with i18n.using("zh-Hant"):
        gems = dict(tx.headline_tiles(heads, q.changes(heads), "gems"))
        countries = q.gsi_countries()
        prk = {t.label: t.value for t in tx.gsi_tiles(q.ranked(countries), "PRK")}
    assert [t.label for t in gems[2022]] == ["現代奴役", "強迫勞動", "強迫婚姻"]
    assert [t.value for t in gems[2022]] == ["4960萬", "2760萬", "2200萬"]
    assert gems[2022][0].delta == "+930萬（與 2017 年版本比較）"
    assert "參考年份 2021" in gems[2022][0].help
    assert prk == {"每千人普遍率": "104.6", "估算人數": "2,696,000",
                   "排名（在有估算的國家中）": "160 個中的第 1 位", "政府應對": "-2.6%"}


def test_every_estimates_chart_has_a_summary_and_its_plotted_values(live) -> None:
    from trafficking.present import registry

    heads = registry.view("ge-headlines")
    assert heads.summary.startswith(
        "Global Estimates 2022 edition (2021): Modern slavery 49.6 million, Forced labour 27.6 "
        "million, Forced marriage 22 million; Global Estimates 2017 edition (2016): Modern "
        "slavery 40.3 million")
    assert "ILO 2005 (forced labour, 1995–2004): Forced labour ≥ 12.3 million" in heads.summary
    row = heads.table[(heads.table["Edition"] == "Global Estimates 2022 edition (2021)")
                      & (heads.table["Measure"] == "Modern slavery")].iloc[0]
    assert row["People (millions)"] == pytest.approx(49.6) and row["Figure as quoted"] == \
        "49.6 million"
    gsi = registry.view("gsi-map")
    assert gsi.summary.startswith("Walk Free estimates prevalence for 160 of the 180 countries")
    assert "North Korea (104.6), Eritrea (90.3)" in gsi.summary
    assert len(gsi.table) == 180
    iceland = gsi.table[gsi.table["Country"] == "Iceland"].iloc[0]
    assert iceland["Class (per 1,000 people)"] == "no estimate"
    forms = registry.view("ge-form-shares", {"edition": 2017})
    assert forms.table["Figure as quoted"].tolist() == ["51 %"]
    assert "Shares by form of modern slavery, Global Estimates 2017 edition (2016)" in \
        forms.summary and "51 %" in forms.summary
    regions = registry.view("ge-regions", {"edition": 2022, "measure": "modern_slavery"})
    table = regions.table.set_index("Region")
    assert table.loc["Asia and the Pacific", "People (millions)"] == pytest.approx(29.3)
    assert pd.isna(table.loc["Americas", "People (millions)"])  # not quoted, never zero
    assert len(table) == 5 and table["Per 1,000 people"].notna().all()
    assert "most people: Asia and the Pacific (29.3 million)" in regions.summary
    assert "number of people: Americas, Arab States" in regions.summary
    for spec_id in ("ge-forms", "ge-sex-age", "ge-sex-age-shares", "ge-other-shares"):
        view = registry.view(spec_id)
        assert view.summary and view.table is not None and len(view.table), spec_id


def test_estimates_charts_in_chinese(live) -> None:
    from trafficking.present import registry

    with i18n.using("zh-Hant"):
        heads = registry.view("ge-headlines")
        regions = registry.view("ge-regions", {"edition": 2022, "measure": "modern_slavery"})
    assert heads.title == "現代奴役全球估算：各版本的主要數字"
    assert heads.summary.startswith("全球估算 2022 年版本（2021 年）：現代奴役 4960萬、強迫勞動 2760萬")
    assert list(heads.table.columns) == ["版本", "指標", "人數（百萬）", "引述的數字"]
    assert heads.figure.layout.yaxis.title.text == "人數（百萬）"
    assert heads.source_line.startswith("來源：")
    assert regions.figure.layout.title.text == "按地區劃分的現代奴役<br>全球估算 2022 年版本（2021 年）"
    # Places in the reader's language (trafficking/places.py): ILO's regions, CLDR's countries.
    assert "人數最多：亞洲及太平洋（2930萬）" in regions.summary
    assert list(regions.table.columns) == ["地區", "人數（百萬）", "每千人"]
    assert "美洲" in regions.table["地區"].tolist()
    with i18n.using("zh-Hant"):
        gsi = registry.view("gsi-map")
    assert "北韓（104.6）" in gsi.summary and "香港" in gsi.table["國家"].tolist()
