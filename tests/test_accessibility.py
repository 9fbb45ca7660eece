"""axe-core (the copy bundled by axe-playwright-python, pinned) on every page in headless
Chromium: no serious or critical violation. Where Streamlit's or Plotly's own markup fails a
rule we cannot fix, it goes in ``UPSTREAM`` by rule and element, and the README's
accessibility section lists it too."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.test_browser import ARGS, CHROMIUM, WAIT_MS, app_url  # noqa: F401 (fixture)

# (page address, its h1, plotly charts drawn on first view)
PAGES = [
    ("/", "Human trafficking statistics", 0),
    ("/tiers", "TIP report tiers", 1),
    ("/screening", "Screening and identification", 1),
    ("/global_estimates", "Global estimates of modern slavery", 1),
    ("/compare", "Compare jurisdictions", 1),
    ("/profile?country=HKG", "Hong Kong", 1),
    ("/data_sources", "Data & sources", 0),
    ("/briefing_pack", "Briefing pack", 0),
]
# (rule id, a substring of the failing element's HTML): markup of Streamlit or Plotly that
# fails a rule and that no setting of ours reaches. Empty today.
UPSTREAM: list[tuple[str, str]] = []
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def audit(app_url: str) -> dict[str, list[dict]]:  # noqa: F811 (the imported fixture)
    """Violations per page, each {'id', 'impact', 'nodes': [html, ...]}."""
    axe = Axe()
    found: dict[str, list[dict]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            context.route(lambda u: not u.startswith(app_url + "/"), lambda r: r.abort())
            page = context.new_page()
            for address, heading, charts in PAGES:
                page.goto(app_url + address)
                page.get_by_role("heading", name=heading, level=1).wait_for(timeout=WAIT_MS)
                page.wait_for_function(
                    "n => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                    ".filter(e => e.querySelector('.main-svg')).length >= n", arg=charts,
                    timeout=WAIT_MS)
                # Streamlit finishes a run with the status widget gone: audit the whole page.
                page.wait_for_function(
                    "!document.querySelector('[data-testid=stStatusWidget]')", timeout=WAIT_MS)
                result = axe.run(page).response
                found[address] = [
                    {"id": v["id"], "impact": v["impact"],
                     "nodes": [n["html"][:200] for n in v["nodes"]]}
                    for v in result["violations"]]
        finally:
            browser.close()
    return found


def _ours(violation: dict) -> list[str]:
    return [html for html in violation["nodes"]
            if not any(violation["id"] == rule and part in html for rule, part in UPSTREAM)]


@pytest.mark.parametrize("address", [p[0] for p in PAGES])
def test_no_serious_violation_in_our_content(audit: dict, address: str) -> None:
    serious = {v["id"]: _ours(v) for v in audit[address] if v["impact"] in SERIOUS}
    assert {rule: nodes for rule, nodes in serious.items() if nodes} == {}, address
