"""The briefing pack's HTML opens in headless Chromium with every request except file://
blocked, and every chart renders (maps included: their geometry is inside the file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
PACK = ("tiers-map:year=2024;tier-timeline:jurisdictions=HKG,SGP;tier-counts:;"
        "tier-movements:year=2024;watch-list:year=2024;tier-heatmap:regions=Eastern Asia")


@pytest.fixture()
def pack_file(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    from trafficking.present import briefing, pack, sources

    entries, notices = pack.parse([PACK])
    assert not notices and len(entries) == 6
    items = pack.build(entries, "http://localhost:8501")
    out = tmp_path / "briefing-pack.html"
    out.write_text(briefing.html_pack(items, sources.built_at()), encoding="utf-8")
    return out


def test_briefing_html_renders_offline(pack_file: Path, tmp_path: Path) -> None:
    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def gate(route) -> None:
                if route.request.url.startswith("file://"):
                    route.continue_()
                else:
                    blocked.append(route.request.url)
                    route.abort()

            page.route("**/*", gate)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(pack_file.as_uri())
            page.wait_for_function(
                "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 6",
                timeout=120_000)
            rendered = page.eval_on_selector_all(
                ".js-plotly-plot", "els => els.map(e => e.querySelectorAll('.main-svg').length)")
            assert len(rendered) == 6 and all(n > 0 for n in rendered)
            # The map drew its countries from the inlined geometry (no fetch possible).
            page.wait_for_selector("path.choroplethlocation", timeout=60_000)
            countries = page.locator("path.choroplethlocation").count()
            assert countries > 150
            filled = page.eval_on_selector_all(
                "path.choroplethlocation",
                "els => els.filter(e => (e.getAttribute('fill') || e.style.fill || '')"
                " .startsWith('rgb')).length")
            assert filled > 150
            # Captions, sources and permalinks are in the page.
            body = page.inner_text("body")
            assert body.count("Live view: http://localhost:8501/") == 6
            assert "Tier placements: US State Dept. TIP reports" in body
            assert page.locator("details table tbody tr").count() >= 6
            page.screenshot(path=str(tmp_path / "briefing.png"), full_page=False)
            # Printable: the print stylesheet hides the contents list, keeps every chart.
            page.emulate_media(media="print")
            assert not page.locator("ol.toc").is_visible()
            assert page.locator(".js-plotly-plot").count() == 6
        finally:
            browser.close()
    assert not errors, errors
    assert blocked == [], blocked  # nothing even tried to reach the network
    assert pack_file.stat().st_size > 4_000_000  # plotly.js and the geometry are inside
