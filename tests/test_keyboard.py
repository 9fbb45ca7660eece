"""The keyboard alone, in headless Chromium on loopback: Tab reaches every control on each page
(sidebar links, the language switch, widgets, the chart tools' button, expanders), the focused
control shows a focus indicator, and Enter, Space and the arrow keys work them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.test_browser import ARGS, CHROMIUM, WAIT_MS, app_url  # noqa: F401 (fixture)
from tests.test_phone import PAGES, _load
from trafficking import i18n
from trafficking.i18n import _

# Every control a reader can reach with Tab, marked with its group: the radio buttons of one
# group and the tabs of one tab list are one stop each (arrow keys move inside them).
_CONTROLS = """() => {
  const sel = 'a[href], button, input, select, textarea, summary, [role=slider], [role=tab], '
            + '[tabindex]:not([tabindex="-1"])';
  const lists = Array.from(document.querySelectorAll('[role=tablist]'));
  return Array.from(document.querySelectorAll(sel))
    .filter(e => !e.disabled && e.getAttribute('tabindex') !== '-1'
                 && e.checkVisibility({visibilityProperty: true})
                 && !e.closest('[aria-hidden=true], [inert]'))
    .map((e, i) => {
      e.dataset.kbd = String(i);
      const group = e.type === 'radio' ? 'radio ' + e.name
        : e.getAttribute('role') === 'tab' ? 'tabs ' + lists.indexOf(e.closest('[role=tablist]'))
        : 'control ' + i;
      const label = (e.getAttribute('aria-label') || e.textContent || e.value || '').trim();
      return {id: String(i), group, what: e.tagName + ' ' + label.slice(0, 40)};
    });
}"""

# The focused element and whether it (or the box that stands for it: its label, a parent, its
# select box or table)
# draws a focus indicator: an outline or a box shadow on a box big enough to see.
_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const chain = [e, e.parentElement, e.parentElement && e.parentElement.parentElement,
                 e.closest('label'), e.closest('[data-baseweb=select]'),
                 e.closest('[data-testid=stDataFrame]')].filter(Boolean);
  const shows = chain.some(x => {
    const s = getComputedStyle(x), r = x.getBoundingClientRect();
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return r.width >= 8 && r.height >= 8 && (outline || s.boxShadow !== 'none');
  });
  return {id: e.dataset.kbd || null, shows,
          what: e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40)};
}"""


@pytest.fixture(scope="module")
def page(app_url: str) -> Iterator[Page]:  # noqa: F811 (the imported fixture)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            context.route(lambda u: not u.startswith(app_url + "/"), lambda r: r.abort())
            yield context.new_page()
        finally:
            browser.close()


def _tab_to(page: Page, test: str, limit: int = 80) -> dict:
    """Press Tab until the focused element passes ``test`` (JS, given the element)."""
    for _i in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return {test}; }})()"):
            return page.evaluate(_FOCUSED)
    pytest.fail(f"Tab never reached {test}")


@pytest.mark.parametrize(("address", "charts"), PAGES, ids=[p[0].split("?")[0] for p in PAGES])
def test_tab_reaches_every_control_and_shows_focus(page: Page, app_url: str,  # noqa: F811
                                                  address: str, charts: int) -> None:
    _load(page, app_url + address, charts)
    controls = page.evaluate(_CONTROLS)
    groups = {c["id"]: c["group"] for c in controls}
    reached: set[str] = set()
    unseen_focus: list[str] = []
    page.locator("body").focus()
    for _i in range(3 * len(controls) + 20):  # bounded: every stop, plus a margin
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        if not focused["shows"]:
            unseen_focus.append(focused["what"])
        if focused["id"] in groups:
            reached.add(groups[focused["id"]])
        if reached == set(groups.values()):
            break
    missed = sorted({c["what"] for c in controls if c["group"] not in reached})
    assert missed == [], address
    assert sorted(set(unseen_focus)) == [], address
    # The kinds of control the page must offer the keyboard.
    kinds = " ".join(c["what"] for c in controls)
    assert "Language" in kinds or page.locator("[data-testid=stSidebar] input[type=radio]").count()
    assert page.locator("[data-testid=stSidebarNavLink]").count() >= 8
    if charts:
        assert page.locator("[data-testid=stPopoverButton]").count() >= 1, address


def test_enter_opens_the_tools_space_an_expander_arrows_switch_language(
        page: Page, app_url: str) -> None:  # noqa: F811
    _load(page, app_url + "/tiers", 1)
    page.locator("body").focus()
    label = _("Share and download")
    _tab_to(page, f"e.tagName === 'BUTTON' && e.textContent.includes({label!r})")
    page.keyboard.press("Enter")
    tools = page.locator("[data-testid=stPopoverBody]")
    tools.wait_for(timeout=WAIT_MS)  # the tools, opened
    tools.get_by_text("SVG").first.wait_for(timeout=WAIT_MS)  # its buttons drawn (bounded)
    page.keyboard.press("Escape")
    tools.wait_for(state="hidden", timeout=WAIT_MS)

    _tab_to(page, "e.tagName === 'SUMMARY'")
    page.keyboard.press("Space")
    page.wait_for_function("document.activeElement.closest('details').open", timeout=WAIT_MS)

    page.locator("body").focus()
    _tab_to(page, "e.type === 'radio'")
    page.keyboard.press("ArrowRight")  # the next language: 繁體中文
    page.wait_for_url("**lang=zh-Hant**", timeout=WAIT_MS)
    with i18n.using("zh-Hant"):
        chinese = _("Share and download")
    page.get_by_role("button", name=chinese).first.wait_for(timeout=WAIT_MS)
