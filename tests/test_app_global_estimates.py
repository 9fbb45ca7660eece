"""AppTest of the Global estimates page on the database built from the HTTP mirror."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "global_estimates.py")


@pytest.fixture()
def app(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["section"] = "breakdowns"
    at.run()
    assert not at.exception, at.exception
    return at


def test_breakdowns_are_built_only_when_opened(built_db: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    # The headline figures' table too: sent only once opened.
    assert not any("also_quoted" in d.value.columns for d in at.dataframe)
    [box] = [e for e in at.expander if e.proto.label.startswith("Breakdowns by form")]
    assert not box.proto.expanded and not at.radio  # no edition picker: nothing built
    assert "section" not in at.query_params and "edition" not in at.query_params
    closed = len(at.get("plotly_chart"))
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["edition"] = "2017"  # an address from before sections opens it
    at.run()
    assert at.radio(key="ge_edition").value == 2017
    assert len(at.get("plotly_chart")) > closed
    assert at.query_params["section"] in ("breakdowns", ["breakdowns"])


# The "Figures and sources" expanders under the charts (widgets.figure_table), each built
# only once opened.
FIGURE_TABLES = ("ge_headline_table", "ge_forms_table", "ge_regions_table", "ge_region_details",
                 "ge_sexage_table", "ge_other_table")


def _table_with(at: AppTest, column: str, value: str):
    """The first data table whose ``column`` holds ``value`` (AppTest does not expose keys),
    with every figure table opened."""
    if not all(at.session_state[f"{k}-open"] for k in FIGURE_TABLES
               if f"{k}-open" in at.session_state):
        for k in FIGURE_TABLES:
            at.session_state[f"{k}-open"] = True
        at.run()
    for frame in at.dataframe:
        data = frame.value
        if column in data.columns and (data[column] == value).any():
            return data
    raise AssertionError(f"no table with {column}={value!r}")


def _metrics(at: AppTest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in at.metric:
        out.setdefault(m.label, []).append(m.value)
    return out


def test_headlines_with_change_and_method_note(app: AppTest) -> None:
    metrics = _metrics(app)
    assert metrics["Modern slavery"] == ["40.3 million", "49.6 million"]
    assert metrics["Forced labour"][:2] == ["24.9 million", "27.6 million"]
    assert metrics["Forced marriage"] == ["15.4 million", "22 million"]
    assert "≥ 12.3 million" in metrics["Forced labour"]  # ILO 2005 minimum estimate
    deltas = [m.delta for m in app.metric if m.delta]
    assert "+9.3 million vs 2017 edition" in deltas
    assert "+6.6 million vs 2017 edition" in deltas
    warning = " ".join(w.value for w in app.warning)
    assert "not a time series" in warning and "revised their methods" in warning


def test_every_edition_renders_its_breakdowns(app: AppTest) -> None:
    radio = app.radio(key="ge_edition")
    assert radio.options == [
        "Global Estimates 2022 edition (2021)", "Global Estimates 2017 edition (2016)",
        "ILO 2012 (forced labour, 2002–2011)", "ILO 2005 (forced labour, 1995–2004)"]
    for edition in (2022, 2017, 2012, 2005):
        radio.set_value(edition).run()
        assert not app.exception, (edition, app.exception)
        assert len(app.get("plotly_chart")) >= 6
        radio = app.radio(key="ge_edition")


def test_region_measure_switch(app: AppTest) -> None:
    box = app.selectbox(key="ge_region_measure")
    assert set(box.options) >= {"Modern slavery", "Forced labour", "Forced marriage"}
    box.set_value("forced_labour").run()
    assert not app.exception
    table = _table_with(app, "shown", "15.1 million")
    africa = table[table["breakdown"] == "Africa"]
    # The exact 3.8 million is charted; Walk Free's 'more than 3.8 million' is listed beside it.
    assert set(africa["shown"]) == {"3.8 million", "2.9 per 1,000"}
    count = africa[africa["shown"] == "3.8 million"].iloc[0]
    assert "3,800,000 (more than) — global-estimates-figures-more/figures.csv" in count["also_quoted"]
    assert "5.3 per 1,000" in set(table["shown"])
    apac = table[(table["breakdown"] == "Asia and the Pacific") & (table["shown"] == "15.1 million")]
    assert apac["cited_url"].tolist() == [
        "https://www.ilo.org/global/topics/forced-labour/lang--en/index.htm"]
    assert "publisher's own page" in apac["preferred_reason"].iloc[0]
    assert set(table["source_id"].str.split("/").str[0]) == {
        "global-estimates-figures", "global-estimates-figures-more"}
    # Every region has a number and a rate for forced labour in 2021.
    assert any("Every region has both" in c.value for c in app.caption)


def _region_chart(at: AppTest) -> dict:
    for el in at.get("plotly_chart"):
        fig = json.loads(el.proto.spec)
        if "by region" in fig["layout"]["title"]["text"]:
            return fig
    raise AssertionError("no region chart")


def _bars_and_gaps(fig: dict) -> tuple[dict, dict]:
    """{panel axis: {region: label}} for bars, {panel axis: [regions]} for 'not quoted'."""
    bars: dict = {}
    gaps: dict = {}
    for trace in fig["data"]:
        axis = trace.get("xaxis", "x")
        if trace["type"] == "bar":
            bars[axis] = dict(zip(trace["y"], trace["text"], strict=True))
        else:
            gaps[axis] = sorted(trace["y"])
    return bars, gaps


def test_region_chart_2022_modern_slavery_fills_from_publisher_pages(app: AppTest) -> None:
    app.selectbox(key="ge_region_measure").set_value("modern_slavery").run()
    bars, gaps = _bars_and_gaps(_region_chart(app))
    assert bars["x"] == {"Europe and Central Asia": "≈ 6.4 million", "Africa": "≈ 7 million",
                         "Asia and the Pacific": "29.3 million"}
    assert gaps["x"] == ["Americas", "Arab States"]  # no stored page states them
    assert len(bars["x2"]) == 5 and "x2" not in gaps
    said = " ".join(c.value for c in app.caption)
    assert "Not quoted for this edition and measure — number of people: Americas, Arab States" \
        in said.replace("\\", "")


def test_region_chart_2017_edition(app: AppTest) -> None:
    app.radio(key="ge_edition").set_value(2017).run()
    app.selectbox(key="ge_region_measure").set_value("modern_slavery").run()
    assert not app.exception
    bars, gaps = _bars_and_gaps(_region_chart(app))
    assert bars["x"] == {"Europe and Central Asia": "≈ 3.6 million", "Americas": "≈ 1.9 million",
                         "Africa": "≈ 9.2 million", "Asia and the Pacific": "≈ 24.9 million"}
    assert gaps["x"] == ["Arab States"]
    # Forced labour by region in 2016: rates only; every count is 'not quoted', never zero.
    app.selectbox(key="ge_region_measure").set_value("forced_labour").run()
    bars, gaps = _bars_and_gaps(_region_chart(app))
    assert len(gaps["x"]) == 5 and bars.get("x") == {} and len(bars["x2"]) == 5
    details = _table_with(app, "breakdown", "share of the world's forced sexual exploitation")
    apac = details[details["region"] == "Asia and the Pacific"]
    assert set(apac["shown"]) >= {"73 %", "68 %", "64 %", "42 %", "55 %"}
    assert set(details.loc[details["region"] == "Americas", "shown"]) == {"4 %", "37.9 %"}


def test_missing_section_lists_regional_gaps(app: AppTest) -> None:
    gaps = _table_with(app, "regions", "Americas, Arab States")
    by = {(r["edition_label"], r["measure_label"], r["what"]): r["regions"]
          for _, r in gaps.iterrows()}
    assert by[("Global Estimates 2022 edition (2021)", "Modern slavery", "number of people")] \
        == "Americas, Arab States"
    assert by[("Global Estimates 2022 edition (2021)", "Forced marriage", "number of people")] \
        == "Americas, Arab States"
    assert by[("Global Estimates 2022 edition (2021)", "Forced marriage", "per 1,000")] \
        == "Africa, Europe and Central Asia"
    assert by[("Global Estimates 2017 edition (2016)", "Modern slavery", "number of people")] \
        == "Arab States"
    assert by[("Global Estimates 2017 edition (2016)", "Forced labour", "number of people")] \
        == "Africa, Americas, Arab States, Asia and the Pacific, Europe and Central Asia"
    assert ("Global Estimates 2022 edition (2021)", "Forced labour", "number of people") not in by


def test_country_lookup_and_no_estimate(app: AppTest) -> None:
    shown = {m.label: m.value for m in app.metric}
    assert shown["Estimated number"] == "21,000"  # Hong Kong by default
    assert shown["Prevalence per 1,000"] == "2.8"
    app.selectbox(key="ge_country").set_value("ISL").run()
    shown = {m.label: m.value for m in app.metric}
    assert shown["Prevalence per 1,000"] == "no estimate"
    assert shown["Estimated number"] == "no estimate"
    app.selectbox(key="ge_country").set_value("PRK").run()
    shown = {m.label: m.value for m in app.metric}
    assert shown["Prevalence per 1,000"] == "104.6" and shown["Rank (of estimates)"] == "1 of 160"


def test_ranked_table(app: AppTest) -> None:
    table = _table_with(app, "name", "North Korea")
    assert len(table) == 180
    assert table.iloc[0]["name"] == "North Korea" and table.iloc[0]["prevalence_text"] == "104.6"
    iceland = table[table["name"] == "Iceland"].iloc[0]
    assert iceland["prevalence_text"] == "no estimate" and iceland["number_text"] == "no estimate"
    assert (table["prevalence_text"] == "no estimate").sum() == 20
    assert not (table["prevalence_text"] == "0.0").any()


def test_missing_database_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Database missing"


def test_regional_groups_stay_out_of_world_breakdowns(app: AppTest) -> None:
    app.radio(key="ge_edition").set_value(2017).run()
    # Debt bondage: the world's 51 % is a world form share; the regions' 55 / 36 / 37.9 % are
    # listed with their region, never drawn as world bars.
    for el in app.get("plotly_chart"):
        fig = json.loads(el.proto.spec)
        # The edition is in the title, so an exported image says which one it shows.
        if fig["layout"]["title"]["text"] == ("Shares by form (%)<br>Global Estimates 2017 "
                                              "edition (2016)"):
            assert [t["text"] for t in fig["data"]] == [["51 %"]]
            break
    else:
        raise AssertionError("no form-share chart")
    app.radio(key="ge_edition").set_value(2022).run()
    sexage = _table_with(app, "shown", "11.8 million")
    assert "females" not in set(sexage["breakdown"])
    details = _table_with(app, "breakdown", "females")
    assert details[["region", "shown"]].values.tolist()[:2] == [
        ["Asia and the Pacific", "≈ 4.5 per 1,000"], ["Asia and the Pacific", "≈ 2.1 per 1,000"]]


def test_breakdown_charts_have_the_presenter_tools(app: AppTest) -> None:
    # Under every breakdown chart: PNG 16:9, PNG square, SVG, data, add to pack, link, embed.
    keys = ("ge_forms", "ge_form_shares", "ge_regions", "ge_sexage", "ge_sexage_shares",
            "ge_other_share")
    for key in keys:
        assert app.button(key=f"{key}-pack"), key
    # 2022 quotes no count by movement or income group: that chart is left out, not empty.
    assert len(app.get("download_button")) == 4 * (len(keys) + 2)  # + headlines, GSI map
    app.selectbox(key="ge_region_measure").set_value("forced_labour").run()
    assert app.query_params["measure"] in ("forced_labour", ["forced_labour"])
    app.button(key="ge_regions-pack").click().run()
    app.button(key="ge_form_shares-pack").click().run()
    assert app.session_state["briefing_pack"] == [
        {"chart": "ge-regions", "params": {"edition": "2022", "measure": "forced_labour"}},
        {"chart": "ge-form-shares", "params": {"edition": "2022"}}]
    app.session_state["ge_regions-share"] = True
    app.run()
    codes = [c.value for c in app.code]
    assert any(c.endswith("/global_estimates?edition=2022&measure=forced_labour"
                          "&section=breakdowns") for c in codes), codes
    assert any("chart=ge-regions&amp;edition=2022&amp;measure=forced_labour" in c for c in codes)


def test_an_address_with_a_measure_opens_the_breakdowns(built_db: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["edition"] = "2012"
    at.query_params["measure"] = "forced_marriage"  # not quoted by region in 2012
    at.run()
    assert not at.exception
    assert at.radio(key="ge_edition").value == 2012
    assert at.selectbox(key="ge_region_measure").value == "forced_labour"
    assert at.query_params["measure"] in ("forced_labour", ["forced_labour"])
    assert _region_chart(at)["layout"]["title"]["text"].startswith("Forced labour by region")


def test_the_page_in_chinese(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.apptest import figures, open_page

    at = open_page("app_pages/global_estimates.py", built_db, monkeypatch, lang="zh-Hant",
                   section="breakdowns")
    assert at.title[0].value == "現代奴役全球估算"
    shown = _metrics(at)
    assert shown["現代奴役"] == ["4030萬", "4960萬"] and shown["估算人數"] == ["21,000"]
    assert at.radio(key="ge_edition").options[0] == "全球估算 2022 年版本（2021 年）"
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert "各版本的全球估算（人數，百萬）" in titles
    assert "按形式劃分的人數（百萬）<br>全球估算 2022 年版本（2021 年）" in titles
    said = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "全球估算 2022 年版本（2021 年）：現代奴役 4960萬" in said  # the headline summary
    assert at.query_params["lang"] in ("zh-Hant", ["zh-Hant"])
    # The regions not quoted, in Chinese and joined as Chinese lists are (、, not ', ').
    gaps = next(d.value for d in at.dataframe if "regions" in d.value.columns)
    assert "美洲、阿拉伯國家" in set(gaps["regions"])
    assert not gaps["regions"].str.contains(", ").any()
