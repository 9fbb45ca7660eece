"""The briefing pack's HTML shell (trafficking/present/briefing.py + templates/briefing.html):
every data string is escaped text, the inlined scripts cannot be closed early, and a pack of
real charts holds their titles, sources and permalinks."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from trafficking.present import briefing
from trafficking.present.view import ChartView

SCRIPT = "<script>alert(1)</script>"
ATTR = '"><img src=x onerror=alert(2)>'
TEMPLATE = "{{ 7*7 }}{% if true %}yes{% endif %}"
# The only tags the shell writes (plotly's div adds div and script).
SHELL_TAGS = {"html", "head", "meta", "title", "style", "script", "body", "header", "h1", "p",
              "ol", "li", "a", "section", "h2", "div", "details", "summary", "table", "thead",
              "tr", "th", "tbody", "td"}


class _Doc(HTMLParser):
    """What a browser would make of the document: its tags, links, visible text, scripts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._raw: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.tags += [f"handler:{name}" for name, _ in attrs if name.startswith("on")]
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag in ("script", "style"):
            self._raw = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._raw is not None:
            self.scripts.append(self._raw)
        if tag in ("script", "style"):
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw += data
        elif data.strip():
            self.text.append(" ".join(data.split()))


def _figure() -> go.Figure:
    return go.Figure(go.Bar(x=["a"], y=[1]), layout={"title": {"text": "&lt;b&gt;x&lt;/b&gt;"}})


@pytest.fixture()
def hostile_items() -> list[briefing.PackItem]:
    sources = pd.DataFrame({
        "source_id": ["evil/a.csv", "evil/b.csv"],
        "publisher": [SCRIPT, "Publisher & Co"],
        "title": [ATTR, TEMPLATE],
        "address": ['https://example.org/?a=1&b="2"><img src=x onerror=alert(3)>',
                    "javascript:alert(4)"],
        "retrieved_at": [TEMPLATE, "2025-01-01"],
        "licence": ["MIT", "MIT"],
    })
    view = ChartView(figure=_figure(), data=pd.DataFrame(), caption=ATTR + " " + TEMPLATE,
                     source_line="Sources: <br>" + SCRIPT, sources=sources,
                     title=SCRIPT + " " + TEMPLATE)
    bare = ChartView(figure=_figure(), data=pd.DataFrame(), caption="c", source_line="s",
                     title="Plain")
    return [briefing.PackItem("tier-counts", view, "javascript:alert(5)"),
            briefing.PackItem("tier-counts", bare, 'http://localhost:8501/?a=1&b="><b>')]


def test_hostile_titles_captions_and_sources_are_escaped(hostile_items) -> None:
    html = briefing.html_pack(hostile_items, SCRIPT, title=ATTR)
    doc = _Doc(html)
    assert set(doc.tags) <= SHELL_TAGS, set(doc.tags) - SHELL_TAGS  # no <img>, no on… handler
    # Two inlined scripts (map geometry, plotly.js) and one per chart: none came from the data.
    assert len(doc.scripts) == 2 + len(hostile_items)
    text = " ".join(doc.text)
    for hostile in (SCRIPT, ATTR, TEMPLATE):
        assert hostile in text  # shown as the characters it is made of
    assert "49yes" not in text  # data is never run as a template
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&#34;&gt;&lt;img" in html
    assert f"1. {SCRIPT} {TEMPLATE}" in text and f"Database built {SCRIPT};" in text
    assert "Sources: alert(1) Live view" in text  # the source line is one plain line
    # Only http(s) addresses become links; the rest stay text (or "no official address").
    assert doc.links == ["#chart-1", "#chart-2", 'https://example.org/?a=1&b="2"><img src=x '
                         'onerror=alert(3)>', 'http://localhost:8501/?a=1&b="><b>']
    assert "Live view: javascript:alert(5)" in text and "no official address" in text
    assert "No source rows recorded for this chart." in text  # the chart without sources


def test_a_script_end_inside_inlined_code_does_not_end_the_script(
        hostile_items, monkeypatch: pytest.MonkeyPatch) -> None:
    js = "var a='</script><img src=x onerror=alert(6)>';var b='</SCRIPT >';"
    monkeypatch.setattr(briefing.plotly.offline, "get_plotlyjs", lambda: js)
    monkeypatch.setattr(briefing, "_geo_assets", lambda: "window.G='</Script><b>x</b>';")
    doc = _Doc(briefing.html_pack(hostile_items, "2026-01-01 00:00 UTC"))
    assert "img" not in doc.tags and "b" not in doc.tags
    assert doc.scripts[0] == "window.G='<\\/Script><b>x</b>';"
    assert doc.scripts[1] == "var a='<\\/script><img src=x onerror=alert(6)>';var b='<\\/SCRIPT >';"


def test_pack_of_real_charts(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    from trafficking.present import pack, sources

    entries, notices = pack.parse(["tiers-map:year=2024;tier-timeline:jurisdictions=HKG"])
    assert not notices
    items = pack.build(entries, "http://localhost:8501")
    html = briefing.html_pack(items, sources.built_at())
    doc = _Doc(html)
    text = " ".join(doc.text)
    assert "2 charts from the human-trafficking statistics dashboard." in text
    assert "1. TIP tier placements: world map" in text
    assert "2. TIP tier placement over time" in text
    assert f"Database built {sources.built_at()};" in text
    assert [link for link in doc.links if "localhost" in link] == [
        it.permalink for it in items]
    # Every source row of every chart is in a table, its address a link when it has one.
    for it in items:
        for r in it.view.sources.itertuples(index=False):
            assert str(r.source_id) in text and str(r.publisher) in text
            if str(r.address or "").startswith("https://"):
                assert r.address in doc.links
    assert len(doc.scripts) == 4 and len(doc.scripts[1]) > 3_000_000  # plotly.js is inside
    assert doc.scripts[0].startswith("window.PlotlyGeoAssets={")


def test_a_pack_in_chinese(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    from trafficking import i18n
    from trafficking.present import pack, sources

    with i18n.using("zh-Hant"):
        entries, _notices = pack.parse(["ge-headlines:;gsi-map:"])
        items = pack.build(entries, "http://localhost:8501")
        built = sources.built_at()
        html = briefing.html_pack(items, built)
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-Hant">')
    doc = _Doc(html)
    text = " ".join(doc.text)
    assert "簡報資料包" in doc.text and built.startswith("20") and "年" in built
    assert f"2 個來自人口販運統計儀表板的圖表。數據庫建立於 {built}；" in text
    assert "1. 現代奴役全球估算：各版本的主要數字" in text
    assert "全球估算 2022 年版本（2021 年）：現代奴役 4960萬" in text  # the summary
    assert "即時檢視：" in text and "發布者" in text and "擷取日期" in text
    assert all(link.endswith("lang=zh-Hant") for link in doc.links if "localhost" in link)
