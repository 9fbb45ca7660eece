"""The app in headless Chromium on loopback, with every non-loopback request blocked:
each page renders, the tier map fetches its geometry from our static folder and fills the
countries with the tier palette. Screenshots are saved under the test's temp folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, sync_playwright

from trafficking import style

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
WAIT_MS = 240_000  # generous: CI machines may be busy; nothing is asserted about time


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rgb(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


@pytest.fixture(scope="module")
def app_url(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert (ROOT / "static" / "world_110m.json").is_file(), "the refresh did not publish geometry"
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = dict(os.environ, TRAFFICKING_DB=str(built_db))
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py",
             "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:  # wait for the server, not a timing assertion
            try:
                if requests.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser_page(app_url: str) -> Iterator[tuple[Page, dict]]:
    seen: dict = {"blocked": [], "errors": [], "geometry": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})

            def block(route) -> None:
                seen["blocked"].append(route.request.url)
                route.abort()

            context.route(lambda u: not u.startswith(app_url + "/"), block)
            page = context.new_page()
            page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
            page.on("response", lambda r: seen["geometry"].append((r.url, r.status))
                    if "world_" in r.url else None)
            yield page, seen
        finally:
            browser.close()


def _open(page: Page, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading, level=1).wait_for(timeout=WAIT_MS)


def _charts(page: Page, n: int) -> None:
    page.wait_for_function(
        "n => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".filter(e => e.querySelector('.main-svg')).length >= n", arg=n, timeout=WAIT_MS)


def test_overview(browser_page, app_url: str, tmp_path: Path) -> None:
    page, seen = browser_page
    _open(page, app_url + "/", "Human trafficking statistics")
    page.get_by_text("at a glance").first.wait_for(timeout=WAIT_MS)
    page.get_by_text("Database built").wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(tmp_path / "overview.png"))
    assert seen["blocked"] == [] and seen["errors"] == []


def test_tiers_map_is_filled_offline(browser_page, app_url: str, tmp_path: Path) -> None:
    page, seen = browser_page
    # One region keeps the heatmap short enough for its screenshot to show it whole.
    _open(page, app_url + "/tiers?year=2019&regions=Eastern%20Asia"
          "&section=movements,timeline,heatmap,counts", "TIP report tiers")
    _charts(page, 6)  # map, movements, Watch List, timeline, heatmap, counts: every section open
    page.wait_for_function(
        "document.querySelectorAll('path.choroplethlocation').length > 150", timeout=WAIT_MS)
    fills = page.eval_on_selector_all(
        "path.choroplethlocation", "els => els.map(e => e.style.fill || e.getAttribute('fill'))")
    palette = {_rgb(style.TIER_COLORS[t]) for t in ("Tier 1", "Tier 2", "Tier 2 Watch List",
                                                    "Tier 3")}
    filled = [f for f in fills if f in palette]
    assert len(filled) > 150, sorted(set(fills))[:10]
    assert palette <= set(fills)  # every ranked tier appears on the 2019 map
    # Small places (Hong Kong, Singapore, ...) and Kosovo are drawn as dots.
    assert page.locator(".scattergeo path.point").count() >= 15
    # The geometry came from our static folder on loopback, 110m resolution.
    assert (app_url + "/app/static/world_110m.json", 200) in seen["geometry"]
    page.screenshot(path=str(tmp_path / "tiers-top.png"))
    charts = page.locator("[data-testid=stPlotlyChart]")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        charts.nth(i).screenshot(path=str(tmp_path / f"tiers-chart-{i}.png"))
    assert seen["blocked"] == [] and seen["errors"] == []


def test_tiers_animation(browser_page, app_url: str, tmp_path: Path) -> None:
    page, seen = browser_page
    _open(page, app_url + "/tiers", "TIP report tiers")
    _charts(page, 1)  # the map only: the sections below it are built when opened
    page.get_by_text("Play through all years").click()
    page.locator(".slider-container").first.wait_for(timeout=WAIT_MS)  # the animation slider
    page.wait_for_function(
        "document.querySelectorAll('path.choroplethlocation').length > 150", timeout=WAIT_MS)
    page.locator("[data-testid=stPlotlyChart]").first.screenshot(
        path=str(tmp_path / "tiers-animated.png"))
    assert seen["blocked"] == [] and seen["errors"] == []


def test_data_sources(browser_page, app_url: str, tmp_path: Path) -> None:
    page, seen = browser_page
    _open(page, app_url + "/data_sources", "Data & sources")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=stDataFrame]').length >= 4", timeout=WAIT_MS)
    page.get_by_text("Where tier sources disagree").wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(tmp_path / "data-sources.png"))
    assert seen["blocked"] == [] and seen["errors"] == []
