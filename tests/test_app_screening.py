"""AppTest of the screening page through dashboard.py's navigation on the session database:
Hong Kong's figures, a jurisdiction without screening data, address checks, the table."""

from __future__ import annotations

import base64
import math
import re
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


def address(at: AppTest) -> dict[str, str]:
    """What the page wrote to the address (the last value of each parameter)."""
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def _title(fig: dict) -> str:
    """The title as written, unwrapped (style.fit breaks long titles for a phone's width)."""
    title = fig["layout"].get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return re.sub(r"<br>(?=[\u3000-\u9fff\uff00-\uffef])|(?<=[\u3000-\u9fff\uff00-\uffef])<br>", "",
                  text).replace("<br>", " ")


def test_hong_kong_figures_and_sources(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["People screened, 2024"] == "≈11,300"  # 'around 11,300', rounded
    assert metrics["Victims identified through screening, 2024"] == "8"
    assert metrics["Per 1,000 screened, 2024"] == "≈0.71"
    figs = {_title(f): f for f in figures(at)}
    hk = next(f for t, f in figs.items() if t.startswith("Hong Kong: people screened"))
    bars = next(t for t in hk["data"] if t["type"] == "bar")
    ys = series(bars)
    assert ys[2021] == 7678 and ys[2020] == 6912 and ys[2023] == 11000
    assert ys[2019] == 7500 and ys[2022] == 7600 and ys[2024] == 11300  # 2019–2024 present
    assert ys[2018] is None and ys[2016] is None  # gaps, not zeros
    assert ">7,500" in bars["text"] and "≈11,300" in bars["text"]
    assert any("no screening" in a["text"] for a in hk["layout"]["annotations"])
    strip = hk["data"][0]["hovertext"]
    assert any("Data year 2023 → 2024 TIP report" in h for h in strip)
    rate = next(f for t, f in figs.items() if t.startswith("Hong Kong: victims identified per"))
    assert "≤0.40" in rate["data"][0]["text"]  # 2019: a lower-bound screening count
    # Every chart sourced: its source line printed under it (style.fit).
    assert sum(c.value.startswith("Source") for c in at.caption) == 2  # the charts first sent
    # Below the Hong Kong charts nothing is built until opened: the statements and the
    # comparison are collapsed sections, with what they hold in their labels.
    assert not at.multiselect and not any("stance_quote" in el.value.columns
                                          for el in at.dataframe)
    labels = [e.label for e in at.expander]
    assert "The 16 published statements, 2009–2025, with their sources" in labels
    assert any(x.startswith("Hong Kong beside other jurisdictions") for x in labels)
    assert "compare" not in address(at) and "section" not in address(at)
    body = texts(at, "markdown", "caption")
    assert "three-fold increase" in body and "are not figures" in body
    assert "less than 0.2 percent" in body and "cases, not persons" in body
    assert "covers calendar year N−1" in body


def test_worldwide_runs_to_2024_with_revisions(built_db: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, section="worldwide")
    world = next(f for f in figures(at) if _title(f).startswith("Worldwide"))
    totals = [t for t in world["data"] if t["name"] == "All trafficking"]
    pros = series(totals[0])
    assert max(pros) == 2024 and pros[2024] == 15791
    vic = series(totals[2])
    assert vic[2019] == 111932
    hover = [c[1] for c in totals[2]["customdata"]]
    assert any("2024 TIP report: 118,932" in h for h in hover)
    body = texts(at, "markdown")
    assert "Data year 2024** rests on one weak page" in body
    conflicts = next(d.value for d in at.dataframe if "chosen_edition" in d.value.columns)
    row = conflicts.iloc[0]
    assert (row["year"], row["value"], row["chosen_value"]) == (2019, 118932, 111932)


def test_jurisdiction_without_screening_data_says_so(built_db: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, compare="USA")
    info = texts(at, "info")
    assert "No screening counts for United States" in info
    rate = next(f for f in figures(at) if _title(f).startswith("Victims identified per 1,000"))
    assert not rate["data"]  # nothing plotted, certainly no zero
    assert any("No chosen jurisdiction publishes screening counts" in a["text"]
               for a in rate["layout"]["annotations"])
    # Only the selected tab is built; the reader's click on another tab reruns the page.
    assert not any(_title(f).startswith("Victims identified, detected") for f in figures(at))
    at.session_state["screening_compare_tab"] = "Absolute numbers"
    at.run()
    assert not any(_title(f).startswith("Victims identified per 1,000") for f in figures(at))
    absolute = next(f for f in figures(at) if _title(f).startswith("Victims identified, detected"))
    usa = next(t for t in absolute["data"] if t["name"].startswith("United States"))
    ys = series(usa)
    assert ys[2018] == 8913 and ys[2021] == 10070


def test_address_with_unknown_code_is_reported(built_db: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, compare="HKG,XXX")
    # the notice every page gives (trafficking/present/validate.py), the value quoted
    assert "Ignored an unknown jurisdiction code in the address: “XXX”." in texts(at, "warning")
    assert at.multiselect(key="screening_places").value == ["HKG"]
    assert address(at)["compare"] == "HKG"


def test_scale_in_the_address_and_every_chart_has_its_tools(
        built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, compare="HKG,AUT", scale="linear",
             section="worldwide,funnels")
    # A scale in the address opens the tab it belongs to.
    assert at.session_state["screening_compare_tab"] == "Absolute numbers"
    assert at.toggle(key="screening_log").value is False
    absolute = next(f for f in figures(at) if _title(f).startswith("Victims identified, detected"))
    assert absolute["layout"]["yaxis"]["type"] == "linear"
    for key in ("hk_chart", "hk_rate", "cmp_abs", "world", "funnel_hk", "funnel_uk",
                "funnel_jp", "funnel_sg"):
        assert at.button(key=f"{key}-pack"), key
    at.button(key="cmp_abs-pack").click().run()
    assert {"chart": "screening-victims", "params": {"compare": "HKG,AUT", "scale": "linear"}
            } in at.session_state["briefing_pack"]
    at.session_state["cmp_abs-share"] = True
    at.run()
    assert any(c.value.startswith("http://localhost:8501/screening?compare=HKG%2CAUT")
               for c in at.code)
    at.toggle(key="screening_log").set_value(True).run()
    assert "scale" not in address(at)  # the default scale leaves the address as it was
    assert address(at)["compare"] == "HKG,AUT"


def test_switching_jurisdictions_and_suppressed_values(built_db: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, section="compare")
    at.multiselect(key="screening_places").set_value(["HKG", "SGP"]).run()
    at.session_state["screening_compare_tab"] = "Absolute numbers"  # where the note is
    at.run()
    assert not at.exception
    body = texts(at, "caption")
    assert "'<5' (suppressed)" in body and "Singapore" in body
    info = texts(at, "info")
    assert "No screening counts for Singapore" in info


def test_table_lists_every_figure_with_quote_and_address(
        built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, section="figures")
    table = next(d.value for d in at.dataframe if "source_address" in d.value.columns)
    hk = table[(table["area_name"] == "Hong Kong")]
    assert len(hk) == 33  # every Hong Kong figure of the three sources, charted or not
    row = hk[(hk["year"] == 2021) & (hk["value"] == 7700)].iloc[0]
    assert not row["charted"] and "around 7,700" in row["quote"]
    assert row["cited_url"].startswith("https://www.news.gov.hk/")
    assert row["preferred_reason"].startswith("not charted:") and "7,678" in row["preferred_reason"]
    share = hk[hk["indicator_name"].str.startswith("Share of persons screened")].iloc[0]
    assert share["value"] == 0.2 and share["qualifier"] == "less than"
    world = table[table["area_name"] == "World"]
    kelley = world[world["source_id"].str.startswith("scorecard-diplomacy")]
    assert kelley["source_address"].str.contains("f8c06be83c75c34c97bc3992e24fedc8d275c83b").all()
    assert (world["value"] > 0).all()
    v2019 = world[(world["indicator_name"] == "Trafficking victims identified worldwide")
                  & (world["year"] == 2019) & (world["breakdown"] == "")]
    assert dict(zip(v2019["edition"], v2019["charted"], strict=True)) == {
        "2025 TIP report": True, "2024 TIP report": False}


def test_hong_kong_government_responses_block(built_db: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, section="said")
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


def test_referral_funnels_section(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    closed = run(built_db, monkeypatch)
    assert not any("retrieved" in el.value.columns and "preferred" in el.value.columns
                   for el in closed.dataframe)  # the section's full table: built when opened
    def stated_twice(page: AppTest) -> list:
        return [el.value for el in page.dataframe
                if list(el.value.columns)[:2] == ["year", "indicator_name"]]

    assert not stated_twice(closed)
    assert not any(_title(f).startswith("Japan") for f in figures(closed))
    at = run(built_db, monkeypatch, section="funnel_figures,stated_twice,funnels")
    assert address(at)["section"] == "funnel_figures,funnels,stated_twice"
    twice = stated_twice(at)[0]
    assert len(twice) == 17 and int((~twice["charted"]).sum()) == 10
    assert set(twice.loc[twice["year"] == 2021, "value"]) == {7678, 7700}
    assert "Referral funnels" in [h.value for h in at.header]
    assert [h.value for h in at.header][-1] == "Referral funnels"  # the page's last section
    figs = {_title(f): f for f in figures(at)}
    for title in ("Hong Kong: screened → identified",
                  "UK (NRM): referred → decided → % positive",
                  "Japan: two victim counts, never added",
                  "Singapore: potential victims identified"):
        assert title in figs, sorted(figs)
    uk = figs["UK (NRM): referred → decided → % positive"]
    referred = next(t for t in uk["data"] if t["name"] == "Potential victims referred")
    assert series(referred)[2023] == 16990  # the 2024 annex's revision, not 17,004
    axes = {t.get("yaxis", "y") for t in uk["data"]}
    assert axes == {"y", "y2", "y3"}  # referrals, decisions, shares: never one axis
    captions = texts(at, "caption")
    assert "A referral is not a finding that the person is a victim" in captions
    assert "never add the two" in captions  # Japan's ISA definition
    history = next(el.value for el in at.dataframe if "preferred_reason" in el.value.columns
                   and "edition" in el.value.columns and "area_name" not in el.value.columns)
    assert len(history) == 24 and history["preferred"].sum() == 11
    row = history[(history["year"] == 2023) & history["preferred"]].iloc[0]
    assert row["value"] == 16990 and "annex" in row["edition"]
    conflicts = next(el.value for el in at.dataframe if "chosen_value" in el.value.columns
                     and "indicator_name" in el.value.columns
                     and el.value["indicator_name"].str.contains("NRM").all())
    assert sorted(conflicts["year"]) == [2014, 2015, 2016, 2017]
    every = next(el.value for el in at.dataframe if "area_name" in el.value.columns
                 and "retrieved" in el.value.columns and "preferred" in el.value.columns)
    assert {"Japan", "Singapore", "United Kingdom", "United States", "Hong Kong"} <= set(
        every["area_name"])


def test_lang_zh_hant_opens_the_same_view_in_chinese(built_db: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(built_db, monkeypatch, compare="HKG,AUT", scale="linear", lang="zh-Hant")
    assert at.title[0].value == "甄別與識別"
    assert [h.value for h in at.header][:3] == ["香港", "比較司法管轄區", "全球"]
    assert {m.label: m.value for m in at.metric}["受甄別人數，2024"] == "≈11,300"
    assert at.multiselect(key="screening_places").value == ["HKG", "AUT"]  # the same view
    assert address(at)["compare"] == "HKG,AUT" and address(at)["scale"] == "linear"
    figs = {_title(f): f for f in figures(at)}
    assert "香港：就人口販運指標受甄別人數及已識別受害人" in figs
    absolute = figs["每年已識別、被發現或已登記的受害人——每個系列保留其發布者的定義"]
    assert absolute["layout"]["yaxis"]["type"] == "linear"
    assert any(t["name"].startswith("奧地利 — ") for t in absolute["data"])
    captions = texts(at, "caption")
    assert "2024 年，香港就人口販運指標甄別了 ≈11,300 人，其中 8 人被識別為受害人。" in captions
    assert "In 2024, Hong Kong" not in captions
    english = run(built_db, monkeypatch)
    assert "In 2024, Hong Kong screened ≈11,300 people" in texts(english, "caption")
