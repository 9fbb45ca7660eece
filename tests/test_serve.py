"""trafficking.serve (the warm start `make run` and deploy/cluster.py use) and the first views
it prepares (present/firstview.py, render.show): after the warm-up a first visitor's run builds
no figure, the top chart paints first as a still image whose alt text is the chart's summary,
and the image steps aside once plotly.js has drawn the interactive chart."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from trafficking.present import export, firstview, render
from trafficking.present.view import ChartView

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 180_000  # generous for a busy machine; nothing is asserted about time
needs_chromium = pytest.mark.skipif(export.chromium_path() is None, reason="needs Chromium")

# In a fresh process, as a server's would be: warm the Tiers page up, then run it as the first
# visitor with registry.view counting the figures built.
AFTER_WARM_UP = textwrap.dedent("""
    import json, sys, time
    from streamlit.testing.v1 import AppTest
    from trafficking import serve
    from trafficking.present import firstview, registry
    report = serve.warm_up(images=sys.argv[1] == "images", only={"tiers"})
    built = []
    real = registry.view
    registry.view = lambda chart_id, values=None: built.append(chart_id) or real(chart_id, values)
    at = AppTest.from_file("dashboard.py", default_timeout=240)
    at.switch_page("app_pages/tiers.py")
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    zh = AppTest.from_file("dashboard.py", default_timeout=240)
    zh.switch_page("app_pages/tiers.py")
    zh.query_params["lang"] = "zh-Hant"
    zh.run()
    print(json.dumps({
        "html_zh": [h.proto.body for h in zh.get("html")],
        "pages": report.pages, "failed": report.failed, "images": report.images,
        "frozen": report.frozen, "built": built, "seconds": seconds,
        "exceptions": [e.message for e in at.exception],
        "html": [h.proto.body for h in at.get("html")],
        "charts": [c.proto.id for c in at.get("plotly_chart")],
        "stored": [[k[0], s.alt] for k, s in firstview.stored().items()]}))
""")


def _after_warm_up(db: Path, images: bool) -> dict:
    env = dict(os.environ, TRAFFICKING_DB=str(db), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", AFTER_WARM_UP, "images" if images else "no"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_after_the_warm_up_a_first_visit_builds_no_figure(built_db: Path) -> None:
    seen = _after_warm_up(built_db, images=False)
    assert seen["failed"] == {} and seen["exceptions"] == []
    assert seen["pages"] == {"tiers": "tiers-map"}  # the page's top chart, recorded
    assert seen["built"] == []  # every figure of the first visit came from the view cache
    assert seen["charts"] and seen["frozen"] > 10_000  # gc.freeze() ran after the warm-up
    assert seen["images"] == 0 and not any("<img" in h for h in seen["html"])
    print(f"first visitor's run after the warm-up: {seen['seconds']:.3f} s")


@needs_chromium
def test_the_top_chart_paints_first_as_an_image_with_its_summary_as_alt_text(
        built_db: Path) -> None:
    seen = _after_warm_up(built_db, images=True)
    assert seen["exceptions"] == [] and seen["images"] == 2  # one per language
    (en_id, en_alt), (zh_id, zh_alt) = seen["stored"]
    assert en_id == zh_id == "tiers-map" and en_alt.isascii()
    assert any("\u4e00" <= c <= "\u9fff" for c in zh_alt)  # the Chinese view's own summary
    [still] = [h for h in seen["html"] if h.startswith("<img")]
    assert still.startswith('<img class="firstview-still" src="data:image/webp;base64,')
    assert f'alt="{html.escape(en_alt)}"' in still
    [zh_still] = [h for h in seen["html_zh"] if h.startswith("<img")]
    assert f'alt="{html.escape(zh_alt)}"' in zh_still and zh_still != still
    assert any("<style>" in h and ":has(" in h for h in seen["html"])  # hides it once drawn


def _view(summary: str) -> ChartView:
    import pandas as pd
    import plotly.graph_objects as go

    return ChartView(figure=go.Figure(go.Bar(x=[1], y=[2]), layout={"height": 300}),
                     data=pd.DataFrame(), caption="c", source_line="s", title="T",
                     summary=summary)


@pytest.fixture
def clean_firstview() -> Iterator[None]:
    firstview.clear()
    yield
    firstview.clear()


def test_the_alt_text_is_the_summary_escaped(clean_firstview, monkeypatch) -> None:
    hostile = '<b>Up</b> 3 & "quoted" <img src=x onerror=alert(1) and <script'
    monkeypatch.setattr(export, "render", lambda jobs: [b"RIFF....WEBP" for _ in jobs])
    monkeypatch.setattr(export, "chromium_path", lambda: "/bin/true")
    key = ("some-chart", '{"year": 2024}', (1, 2))
    assert firstview.render([(key, _view(hostile))]) == 1
    tag = render.still_html(firstview.stored()[key])
    assert tag.count("<") == 1 and tag.count(">") == 1  # one element: the image itself
    # Figure tags dropped (view.plain), then every special character escaped.
    assert ('alt="Up 3 &amp; &quot;quoted&quot; &lt;img src=x onerror=alert(1) and &lt;script"'
            in tag)
    assert 'style="height:300px"' in tag
    # No summary yet: the title is the alt text, never an empty one.
    other = ("some-chart", "{}", (1, 2))
    firstview.render([(other, _view(""))])
    assert firstview.stored()[other].alt == "T"


def test_a_top_view_without_its_image_is_drawn_in_the_background(clean_firstview,
                                                                  monkeypatch) -> None:
    """After a refresh (a new file key) the visitor gets the chart alone at once; the image is
    drawn by the background thread for the next visitor. Other views never get one."""
    calls: list[int] = []

    def fake(jobs):  # noqa: ANN001, ANN202
        calls.append(len(jobs))
        return [b"img" for _ in jobs]

    monkeypatch.setattr(export, "render", fake)
    monkeypatch.setattr(export, "chromium_path", lambda: "/bin/true")
    # The refreshed file has a new report year: its default view is 2026, not the warm-up's.
    new = ("tiers-map", '{"year": 2026}', (2, 2))
    firstview.mark_top("tiers-map")
    view = _view("s")
    assert firstview.offer(new, view, default=True) is None  # never waits for Chromium
    deadline = time.monotonic() + 30
    while new not in firstview.stored() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert firstview.offer(new, view, default=True) is not None and calls == [1]
    # A reader's own year, or a chart that is no page's top view: no image.
    assert firstview.offer(("tiers-map", '{"year": 2019}', (2, 2)), view) is None
    assert firstview.offer(("tier-heatmap", "{}", (2, 2)), view, default=True) is None
    time.sleep(0.2)
    assert calls == [1] and firstview.is_top("tiers-map") and not firstview.is_top("tier-heatmap")


@pytest.fixture(scope="module")
def served(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from deploy.cluster import free_port

    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = dict(os.environ, TRAFFICKING_DB=str(built_db))
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "trafficking.serve", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:  # the warm-up comes before the server listens
            try:
                if requests.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"trafficking.serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@needs_chromium
def test_the_launcher_serves_warm_and_the_image_gives_way_to_the_chart(served) -> None:
    from playwright.sync_api import sync_playwright

    url, log = served
    text = log.read_text(errors="replace")
    assert "warm-up:" in text and "tiers: tiers-map" in text and "FAILED" not in text
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            page.goto(url + "/tiers")
            still = page.locator("img.firstview-still")
            still.wait_for(state="attached", timeout=WAIT_MS)
            assert still.get_attribute("alt")
            page.wait_for_function(
                "() => document.querySelector('.js-plotly-plot .geo .layer path')",
                timeout=WAIT_MS)
            assert not still.is_visible()  # hidden once the map's geometry is drawn
            # The pointer reaches the map (hover, click to the profile): nothing lies over it.
            box = page.locator(".js-plotly-plot").first.bounding_box()
            assert box and box["width"] > 500
            hit = page.evaluate("([x, y]) => !!document.elementFromPoint(x, y)"
                                ".closest('.js-plotly-plot')",
                                [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
            assert hit
        finally:
            browser.close()


def test_the_served_index_page_preloads_the_code_of_the_first_view(served) -> None:
    from trafficking import preload

    url, _log = served
    files = preload.element_files(preload.ELEMENTS)
    assert files and files[0].startswith("Html.") and files[0].endswith(".js")
    for address in (url + "/", url + "/compare?areas=HKG,SGP"):
        page = requests.get(address, timeout=10)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        head = page.text.split("</head>", 1)[0]
        for f in files:  # each once, in the head, and the file it names is served
            assert head.count(f'href="./static/js/{f}"') == 1
        assert page.headers["etag"].endswith('-preload"')
        assert int(page.headers["content-length"]) == len(page.content)
    for f in files:
        code = requests.get(f"{url}/static/js/{f}", timeout=10)
        assert code.status_code == 200 and "javascript" in code.headers["content-type"]
    # Everything else passes through unchanged: the health check, the static map geometry.
    assert requests.get(url + "/_stcore/health", timeout=10).text == "ok"
    geometry = requests.get(url + "/app/static/world_110m.json", timeout=10)
    assert geometry.status_code == 200 and geometry.json()["type"] == "Topology"
