"""The Screening page's data shaping, specs and words (trafficking/queries/screening.py,
trafficking/present/specs_screening.py, text_screening.py): small frames and the built database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from trafficking.present import links, registry
from trafficking.present import specs_screening as spec
from trafficking.present import text_screening as say
from trafficking.queries import screening as q


@pytest.fixture()
def db(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    return built_db


def test_year_runs() -> None:
    assert q.year_runs([2013, 2003, 2004, 2005, 2010, 2011, 2004]) == "2003–2005, 2010–2011, 2013"
    assert q.year_runs([2019]) == "2019"
    assert q.year_runs([]) == "no year"


def test_suppressed_lists_years_without_a_value_but_with_a_qualifier() -> None:
    frame = pd.DataFrame({"area_name": ["Singapore", "Singapore", "Austria", "Austria"],
                          "year": [2019, 2007, 2008, 2009], "value": [None, None, None, 12.0],
                          "qualifier": ["suppressed (<5)", "suppressed (<5)",
                                        "suppressed (<5)", None]})
    assert q.suppressed(frame) == {"Austria": [2008], "Singapore": [2007, 2019]}
    assert say.suppressed(q.suppressed(frame)).endswith(": Austria 2008; Singapore 2007, 2019")
    assert q.suppressed(frame.iloc[:0]) == {}


def test_stated_twice_keeps_every_statement_of_a_figure_stated_more_than_once() -> None:
    frame = pd.DataFrame({"indicator": ["a", "a", "a", "b"], "year": [2020, 2020, 2021, 2020],
                          "value": [7678.0, 7700.0, 9.0, 5.0],
                          "preferred": [True, False, True, True]})
    out = q.stated_twice(frame)
    assert out[["year", "value", "charted"]].values.tolist() == [[2020, 7678.0, True],
                                                                 [2020, 7700.0, False]]


def test_hong_kong_headlines_and_gaps(db: Path) -> None:
    wide = q.hk_wide(q.hk_observations())
    assert spec.hk_metrics(wide) == [
        ("People screened, 2024", "≈11,300"),
        ("Victims identified through screening, 2024", "8"),
        ("Per 1,000 screened, 2024", "≈0.71")]
    assert q.gap_years(wide) == ([2015, 2016, 2017, 2018], [2015, 2016])
    assert say.gaps(wide).startswith("**Gaps.** No screening count in the sources for 2015, "
                                     "2016, 2017, 2018; no count of victims identified through "
                                     "screening for 2015, 2016.")
    both = q.stated_twice(q.hk_observations())
    assert int((~both["charted"]).sum()) == 10 and len(both) == 17
    row = both[(both["year"] == 2021) & ~both["charted"]].iloc[0]
    assert row["value"] == 7700 and row["indicator"] == q.SCREENINGS


def test_world_gaps(db: Path) -> None:
    gaps = q.world_gaps(q.worldwide())
    assert gaps["last"] == 2024 and gaps["last_editions"] == ["2025 TIP report"]
    assert gaps["no_victims"] == [2003, 2004, 2005, 2006, 2007, 2015, 2016]
    assert q.year_runs(gaps["labour_victims"]) == "2011–2014, 2017–2024"
    text = say.world(gaps)
    assert text.startswith("**Data year 2024** rests on one weak page: 2025 TIP report figures")
    assert "given only for 2011–2014, 2017–2024" in text


def test_compare_charts_are_registered_with_the_page_parameters(db: Path) -> None:
    rate = registry.view("screening-rate", {"compare": ["HKG", "SGP"]})
    assert rate.data["area_code"].unique().tolist() == ["HKG"]  # only HK has screenings
    assert rate.data.set_index("year").loc[2020, "rate"] == pytest.approx(0.434028, abs=1e-6)
    assert sorted(rate.sources["source_id"]) == [  # Hong Kong's three sources, nothing else
        "hk-government-figures/hk_figures.csv", "hk-screening-more/figures.csv",
        "hk_screening/figures.csv"]
    linear = registry.view("screening-victims", {"compare": ["USA"], "scale": "linear"})
    assert linear.figure.layout.yaxis.type == "linear"
    assert registry.view("screening-victims", {"compare": ["USA"]}).figure.layout.yaxis.type \
        == "log"  # an old address without ?scale= draws what it drew
    pm = registry.view("screening-per-million", {})
    assert len(pm.data) == 9 and pm.data["value"].notna().all()
    spec_ = registry.CHARTS["screening-victims"]
    assert links.permalink(spec_, {"compare": ["HKG", "AUT"], "scale": "linear"},
                           "http://x") == "http://x/screening?compare=HKG%2CAUT&scale=linear"


def test_page_parameters_check_address_values(db: Path) -> None:
    checked = spec.PLACES.check(["hkg,XXX", "SGP"])
    assert checked.value == ["HKG", "SGP"] and "“XXX”" in checked.notices[0]
    assert spec.PLACES.default() == ["HKG", "SGP", "JPN", "MYS", "THA"]
    assert spec.SCALE.check(["LINEAR"]).value == "linear"
    assert spec.SCALE.check(["<b>"]).value is None and spec.SCALE.default() == "log"
    assert (spec.scale(True), spec.scale(False)) == ("log", "linear")


def test_notes_escape_names_from_the_data() -> None:
    assert say.no_screening(["United States", "<b>X</b>"]).startswith(
        "**No screening counts for United States, \\<b\\>X\\</b\\>.**")
    assert say.misleads({"UNODC's release covers {first}–{last}": (2003, 2021),
                         "none": None}).endswith(
        "Years differ too: UNODC's release covers 2003–2021.")
    ambiguous = pd.DataFrame({"indicator_name": ["Referrals [x](javascript:y)"], "year": [2020]})
    assert say.unsettled(ambiguous) == ("Not drawn: the database marks no single preferred "
                                        "figure for Referrals \\[x\\]\\(javascript\\:y\\) 2020. "
                                        "Every statement is in the table below.")
    assert say.unsettled(ambiguous.iloc[:0]) is None


def points(fig) -> int:
    """How many values a figure draws: every trace's non-empty y (x for horizontal bars)."""
    n = 0
    for trace in fig.data:
        values = trace.x if getattr(trace, "orientation", None) == "h" else trace.y
        n += sum(1 for v in (values if values is not None else ())
                 if v is not None and v == v)
    return n


def test_hong_kong_summaries_and_tables_are_the_plotted_values(db: Path) -> None:
    hk = registry.view("hk-screening", {})
    assert hk.summary == ("In 2024, Hong Kong screened ≈11,300 people for trafficking "
                          "indicators and identified 8 of them as victims. Screening counts are "
                          "published for 2019–2024.")
    table = hk.table.set_index("Data year")
    for trace in hk.figure.data[1:]:  # bars and lines under the tier strip
        column = {"People screened (left axis)": "People screened",
                  "Victims identified through screening (right axis)":
                      "Victims identified through screening",
                  "All victims identified (right axis)": "All victims identified"}[trace.name]
        drawn = {int(x): y for x, y in zip(trace.x, trace.y, strict=True) if y == y}
        assert drawn == table[column].dropna().to_dict(), column
    tier = table.loc[2023, "TIP tier (next year's report)"]
    assert tier == "Tier 2 Watch List"  # as the tier strip over the bars says
    assert any(h.startswith(f"Data year 2023 → 2024 TIP report: {tier}<br>")
               for h in hk.figure.data[0].hovertext)
    rate = registry.view("hk-identification-rate", {})
    assert rate.summary == ("Hong Kong identified ≈0.71 victims per 1,000 people screened in "
                            "2024; over 6 years with both figures the rate ranged from 0.13 "
                            "(2021) to ≈4.21 (2022).")
    assert len(rate.table) == points(rate.figure) == 6
    assert rate.table.iloc[0].tolist()[:2] == [2019, "≤0.40"]


def test_comparison_and_world_summaries_and_tables(db: Path) -> None:
    victims = registry.view("screening-victims", {"compare": ["HKG", "SGP", "AUT"]})
    assert "Austria — Detected trafficking victims (UNODC): 129 in 2020" in victims.summary
    assert "Victims identified through the screening mechanism (Hong Kong): 8 in 2024" in \
        victims.summary
    assert len(victims.table) == points(victims.figure)
    rate = registry.view("screening-rate", {"compare": ["HKG", "SGP"]})
    assert rate.summary == "Hong Kong: 0.71 victims per 1,000 screened in 2024."
    assert len(rate.table) == points(rate.figure) == 6
    pm = registry.view("screening-per-million", {})
    assert pm.summary == ("9 figures for 8 places: highest Netherlands with 57 per million "
                          "(2020), lowest Czechia with 2 (2020).")
    assert len(pm.table) == points(pm.figure) == 9
    world = registry.view("tip-worldwide", {})
    assert world.summary.startswith("In data year 2024, the TIP report counts 15,791 "
                                    "prosecutions, 7,975 convictions and 102,027 victims")
    assert len(world.table) == points(world.figure)
    first = world.table.iloc[0]
    assert (first["Series"], first["Data year"], first["Value"]) == ("Prosecutions", 2003, 7992)


def test_funnel_summaries_and_tables(db: Path) -> None:
    uk = registry.view("funnel-uk-nrm", {})
    assert uk.summary.startswith("Potential victims referred: 534 in 2009 to 19,125 in 2024; "
                                 "Reasonable grounds (first decision): 12,665 in 2021")
    assert "Conclusive grounds (final decision), share positive: 91% in 2021 to 56% in 2024" \
        in uk.summary
    for chart in ("funnel-hong-kong", "funnel-uk-nrm", "funnel-japan", "funnel-singapore"):
        view = registry.view(chart, {})
        assert len(view.table) == points(view.figure), chart
    referred = uk.table[(uk.table["Series"] == "Potential victims referred")
                        & (uk.table["Year"] == 2023)]
    assert sorted(referred["Drawn as"]) == ["charted figure", "other statement"]
    assert 16990 in set(referred["Value"])


def test_summaries_tables_and_places_in_chinese(db: Path) -> None:
    from trafficking import i18n

    with i18n.using("zh-Hant"):
        hk = registry.view("hk-screening", {})
        victims = registry.view("screening-victims", {"compare": ["HKG", "AUT"]})
        uk = registry.view("funnel-uk-nrm", {})
        assert spec.hk_metrics(q.hk_wide(q.hk_observations()))[0] == ("受甄別人數，2024",
                                                                      "≈11,300")
    assert hk.summary.startswith("2024 年，香港就人口販運指標甄別了 ≈11,300 人")
    assert hk.title == "香港：受甄別人數及已識別受害人"
    assert list(hk.table.columns)[:2] == ["數據年份", "受甄別人數"]
    assert hk.figure.layout.title.text.startswith("香港：")
    assert {t.name for t in victims.figure.data} >= {"奧地利 — Detected trafficking victims (UNODC)"}
    assert uk.table["地方"].iloc[0] == "英國" and "獲轉介的潛在受害人" in uk.summary
    assert victims.source_line.startswith("來源：")
