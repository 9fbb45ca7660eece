"""AppTest of the screening page through dashboard.py's navigation on the session database:
Hong Kong's figures, a jurisdiction without screening data, address checks, the table."""

from __future__ import annotations

import base64
import math
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import figures, open_page

ROOT = Path(__file__).resolve().parent.parent
PAGE = "app_pages/screening.py"


def run(built_db: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    return open_page(PAGE, built_db, monkeypatch, **params)


def arr(value) -> list:
    """A Plotly JSON array: a list, or a typed array {'dtype', 'bdata'} (NaN → None)."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return [None if isinstance(v, float) and math.isnan(v) else v for v in data.tolist()]
    return list(value)


def series(trace: dict) -> dict:
    return dict(zip(arr(trace["x"]), arr(trace["y"]), strict=True))


def texts(at: AppTest, *kinds: str) -> str:
    return "\n".join(str(el.value) for kind in kinds for el in getattr(at, kind))


def _title(fig: dict) -> str:
    title = fig["layout"].get("title", {})
    return title.get("text", "") if isinstance(title, dict) else str(title)


def test_hong_kong_figures_and_sources(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["People screened, 2023"] == "≈11,000"
    assert metrics["Victims identified through screening, 2023"] == "3"
    assert metrics["Per 1,000 screened, 2023"] == "≈0.27"
    figs = {_title(f): f for f in figures(at)}
    hk = next(f for t, f in figs.items() if t.startswith("Hong Kong: people screened"))
    bars = next(t for t in hk["data"] if t["type"] == "bar")
    ys = series(bars)
    assert ys[2021] == 7678 and ys[2020] == 6912 and ys[2023] == 11000
    assert ys[2022] is None and ys[2019] is None  # gaps, not zeros
    strip = hk["data"][0]["hovertext"]
    assert any("Data year 2023 → 2024 TIP report" in h for h in strip)
    notes = [a["text"] for f in figs.values() for a in f["layout"].get("annotations", [])]
    assert sum(n.startswith("Source:") for n in notes) >= 5  # every chart sourced
    body = texts(at, "markdown", "caption")
    assert "2022" in body and "not a figure" in body
    assert "covers calendar year N−1" in body


def test_jurisdiction_without_screening_data_says_so(built_db: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, compare="USA")
    info = texts(at, "info")
    assert "No screening counts for United States" in info
    rate = next(f for f in figures(at) if _title(f).startswith("Victims identified per 1,000"))
    assert not rate["data"]  # nothing plotted, certainly no zero
    assert any("No chosen jurisdiction publishes screening counts" in a["text"]
               for a in rate["layout"]["annotations"])
    absolute = next(f for f in figures(at) if _title(f).startswith("Victims identified, detected"))
    usa = next(t for t in absolute["data"] if t["name"].startswith("United States"))
    ys = series(usa)
    assert ys[2018] == 8913 and ys[2021] == 10070


def test_address_with_unknown_code_is_reported(built_db: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, compare="HKG,XXX")
    assert "Ignored unknown jurisdiction code(s) in the address: XXX" in texts(at, "warning")
    assert at.multiselect(key="screening_places").value == ["HKG"]


def test_switching_jurisdictions_and_suppressed_values(built_db: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch)
    at.multiselect(key="screening_places").set_value(["HKG", "SGP"]).run()
    assert not at.exception
    body = texts(at, "caption")
    assert "'<5' (suppressed)" in body and "Singapore" in body
    info = texts(at, "info")
    assert "No screening counts for Singapore" in info


def test_table_lists_every_figure_with_quote_and_address(
        built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch)
    table = next(d.value for d in at.dataframe if "source_address" in d.value.columns)
    hk = table[(table["area_name"] == "Hong Kong")]
    assert len(hk) == 12  # every Hong Kong figure, charted or not
    row = hk[(hk["year"] == 2021) & (hk["value"] == 7700)].iloc[0]
    assert not row["charted"] and "around 7,700" in row["quote"]
    assert row["cited_url"].startswith("https://www.news.gov.hk/")
    world = table[table["area_name"] == "World"]
    assert world["source_address"].str.contains("f8c06be83c75c34c97bc3992e24fedc8d275c83b").all()
    assert (world["value"] > 0).all()


def test_hong_kong_government_responses_block(built_db: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch)
    assert any("What the Hong Kong government said" in s.value for s in at.subheader)
    table = next(el for el in at.dataframe if "stance_quote" in el.value.columns)
    frame = table.value
    assert len(frame) == 16
    row = frame[frame["report_year"] == 2024].iloc[0]
    assert row["stance"] == "rejects" and row["date"] == "2024-06-25"
    assert row["stance_quote"] == "it vehemently opposes and rejects unfounded and false remarks"
    assert "around 11,000 initial screenings" in row["figures_cited"]
    assert row["cited_url"].startswith("https://www.news.gov.hk/")
    import json

    assert json.loads(table.proto.columns)["cited_url"]["type_config"]["type"] == "link"
    assert "this project's reading of the statement" in texts(at, "caption")
