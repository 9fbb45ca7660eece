"""axe-core (the copy bundled by axe-playwright-python, pinned) on every page in headless
Chromium, in English and Chinese, on a desktop (1280 px) and a phone (390 px): no serious or
critical violation. Where Streamlit's or Plotly's own markup fails a
rule we cannot fix, it goes in ``UPSTREAM`` by rule and element, and the README's
accessibility section lists it too."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.test_browser import ARGS, CHROMIUM, WAIT_MS, app_url  # noqa: F401 (fixture)

# (page address, plotly charts drawn on first view)
PAGES = [
    ("/", 0),
    ("/tiers", 1),
    ("/screening", 1),
    ("/global_estimates", 1),
    ("/compare", 1),
    ("/profile?country=HKG", 1),
    ("/data_sources", 0),
    ("/briefing_pack", 0),
]
LANGS = ("en", "zh-Hant")
WIDTHS = {1280: 1000, 390: 844}  # viewport width: height
# (rule id, a substring of the failing element's HTML): markup of Streamlit or Plotly that
# fails a rule and that no setting of ours reaches. Empty today.
UPSTREAM: list[tuple[str, str]] = []
SERIOUS = ("serious", "critical")


def _address(address: str, lang: str) -> str:
    return address if lang == "en" else address + ("&" if "?" in address else "?") + "lang=" + lang


@pytest.fixture(scope="module")
def audit(app_url: str) -> dict[tuple[str, str, int], list[dict]]:  # noqa: F811 (the fixture)
    """Violations per (page, language, width), each {'id', 'impact', 'nodes': [html, ...]}."""
    axe = Axe()
    found: dict[tuple[str, str, int], list[dict]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                context.route(lambda u: not u.startswith(app_url + "/"), lambda r: r.abort())
                page = context.new_page()
                for lang in LANGS:
                    for address, charts in PAGES:
                        page.goto(app_url + _address(address, lang))
                        page.locator("h1").first.wait_for(timeout=WAIT_MS)
                        page.wait_for_function(
                            "n => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                            ".filter(e => e.querySelector('.main-svg')).length >= n",
                            arg=charts, timeout=WAIT_MS)
                        # Streamlit finishes a run with the status widget gone: audit the
                        # whole page.
                        page.wait_for_function(
                            "!document.querySelector('[data-testid=stStatusWidget]')",
                            timeout=WAIT_MS)
                        result = axe.run(page).response
                        found[address, lang, width] = [
                            {"id": v["id"], "impact": v["impact"],
                             "nodes": [n["html"][:200] for n in v["nodes"]]}
                            for v in result["violations"]]
                context.close()
        finally:
            browser.close()
    return found


def _ours(violation: dict) -> list[str]:
    return [html for html in violation["nodes"]
            if not any(violation["id"] == rule and part in html for rule, part in UPSTREAM)]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("address", [p[0] for p in PAGES])
def test_no_serious_violation_in_our_content(audit: dict, address: str, lang: str,
                                             width: int) -> None:
    found = audit[address, lang, width]
    serious = {v["id"]: _ours(v) for v in found if v["impact"] in SERIOUS}
    assert {rule: nodes for rule, nodes in serious.items() if nodes} == {}, (address, lang)
