"""AppTest of the Global estimates page on the database built from the HTTP mirror."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "global_estimates.py")


@pytest.fixture()
def app(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _table_with(at: AppTest, column: str, value: str):
    """The first data table whose ``column`` holds ``value`` (AppTest does not expose keys)."""
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
    assert set(africa["shown"]) == {"3.8 million", "2.9 per 1,000"}
    assert "5.3 per 1,000" in set(table["shown"])
    assert table["source_id"].str.startswith("global-estimates-figures/").all()


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
