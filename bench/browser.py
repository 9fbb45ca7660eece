"""Chart visible, in headless Chromium on loopback: the first chart, and every chart of the view.

Both times are read inside the page: an init script runs a ``requestAnimationFrame`` loop from
the start of the navigation and notes ``performance.now()`` (milliseconds since navigation
start) at the first frame where

* **first**: one chart is on screen — a Plotly chart drawn (for maps: once the geometry's paths
  are drawn, not just the empty frame) or a chart image loaded and laid out at least
  ``CHART_IMAGE_PX`` wide (st.image, or a still image standing in for a chart);
* **all**: every chart the page sent is drawn (the expected numbers of Plotly charts and
  st.image images come from the protocol client's capture of the same view; a still counts
  only for *first*, since the interactive chart replaces it) and, on Streamlit pages, the
  script has finished and something is on the page.

A *fresh* sample opens a new browser context (a first-time visitor: empty HTTP cache, new
Streamlit session); a *returning* sample opens a new tab in a context kept per target (warm HTTP
cache, still a new Streamlit session). Every target is visited once, unmeasured, first (in its
returning context); the targets are then taken round-robin so pages and their floors see the same
machine load.
"""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import time
from dataclasses import dataclass, field

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}

# A chart image is any loaded <img> in the page's main column drawn at least this wide: st.image
# and a still standing in for a chart until plotly.js has drawn it (st.html), not icons.
CHART_IMAGE_PX = 200

INIT_JS = """
(() => {
  const cfg = __CFG__;
  const b = window.__bench = {first: null, all: null, plots: 0, images: 0};
  const drawn = p => p._fullLayout && p.querySelector('.main-svg') &&
      (!p._fullLayout.geo || p.querySelector('.geo .layer path'));
  function tick() {
    const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(drawn).length;
    const images = [...document.querySelectorAll(cfg.streamlit ? '[data-testid="stMain"] img' :
                                                 'img')]
        .filter(i => i.complete && i.naturalWidth > 0 &&
                i.getBoundingClientRect().width >= cfg.image_px).length;
    const now = performance.now();
    if (b.first === null && plots + images > 0) b.first = now;
    let done = true;
    if (cfg.streamlit) {
      const app = document.querySelector('[data-testid="stApp"]');
      done = !!app && app.getAttribute('data-test-script-state') === 'notRunning' &&
          !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]');
    }
    if (done && plots >= cfg.plots && images >= cfg.images) {
      b.all = now; b.plots = plots; b.images = images;
      if (b.first === null) b.first = now;  // a page without charts: its content shown
      return;
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""
ERRORS_JS = """
() => [...document.querySelectorAll('[data-testid="stException"]')]
        .map(e => e.innerText.slice(0, 200))
"""


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    plots: int = 0        # Plotly charts the view sends
    images: int = 0       # chart images the view sends
    streamlit: bool = True


@dataclass
class Sample:
    first: float | None           # navigation start → first chart visible (None: failed)
    all: float | None = None      # navigation start → every chart of the view drawn
    error: str | None = None

    @property
    def seconds(self) -> float | None:
        return self.all


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)

    def ok(self, which: str = "all") -> list[float]:
        return [getattr(s, which) for s in self.samples if getattr(s, which) is not None]

    @property
    def errors(self) -> list[str]:
        return [s.error for s in self.samples if s.error]

    def median(self, which: str = "all") -> float | None:
        xs = self.ok(which)
        return statistics.median(xs) if xs else None

    def p95(self, which: str = "all") -> float | None:
        xs = sorted(self.ok(which))
        return xs[max(0, math.ceil(0.95 * len(xs)) - 1)] if xs else None  # nearest rank


@dataclass
class Result:
    fresh: Series = field(default_factory=Series)
    returning: Series = field(default_factory=Series)
    sent: bytes | None = None     # the first websocket frame the tab sent (Streamlit targets)


def _init(target: Target) -> str:
    cfg = {"plots": target.plots, "images": target.images, "streamlit": target.streamlit,
           "image_px": CHART_IMAGE_PX}
    return INIT_JS.replace("__CFG__", json.dumps(cfg))


SCRIPT_DONE_JS = """
() => document.querySelector('[data-testid="stApp"]')
        ?.getAttribute('data-test-script-state') === 'notRunning' &&
      !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')
"""


async def _warm(context, target: Target, timeout_s: float, sent: list) -> None:  # noqa: ANN001
    """The unmeasured visit: until the server has run the script (Streamlit) or the page has
    loaded with its scripts (bare), which also fills the kept context's HTTP cache; not until
    every chart is drawn, which on a loaded machine costs seconds per target."""
    page = await context.new_page()
    try:
        page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f)))
        await page.goto(target.url, wait_until="load" if not target.streamlit else "commit",
                        timeout=timeout_s * 1000)
        if target.streamlit:
            await page.wait_for_function(SCRIPT_DONE_JS, polling=100, timeout=timeout_s * 1000)
            # The Plotly chunk is fetched once a chart arrives: let it land in the cache.
            await page.wait_for_load_state("networkidle", timeout=timeout_s * 1000)
    except Exception:  # noqa: S110 - a failed warm-up shows up in the measured samples
        pass
    finally:
        try:
            await asyncio.wait_for(page.close(), 20)
        except Exception:  # noqa: S110
            pass


async def _visit(context, target: Target, timeout_s: float,  # noqa: ANN001 - Playwright
                 sent: list | None = None) -> Sample:
    page = await context.new_page()
    try:
        await page.add_init_script(_init(target))
        if sent is not None:
            page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f)))
        await page.goto(target.url, wait_until="commit", timeout=timeout_s * 1000)
        await page.wait_for_function("() => window.__bench && window.__bench.all !== null",
                                     polling=100, timeout=timeout_s * 1000)
        got = await page.evaluate("() => window.__bench")
        problems = await page.evaluate(ERRORS_JS) if target.streamlit else []
        return Sample(first=got["first"] / 1000, all=got["all"] / 1000,
                      error=("exception on page: " + problems[0]) if problems else None)
    except Exception as exc:  # a timeout or a crashed page is a result, not a bench failure
        return Sample(first=None, error=f"{exc.__class__.__name__}: {str(exc)[:160]}")
    finally:
        try:
            await asyncio.wait_for(page.close(), 20)
        except Exception:  # noqa: S110 - a hung renderer dies with the browser at the end
            pass


async def _bounded(coro, timeout_s: float) -> Sample:  # noqa: ANN001
    # A renderer choking on a huge figure can ignore Playwright's own timeouts: bound it here.
    try:
        return await asyncio.wait_for(coro, timeout_s + 20)
    except TimeoutError:
        return Sample(first=None, error=f"no answer from the browser in {timeout_s + 20:.0f} s")


async def _fresh(browser, target: Target, timeout_s: float) -> Sample:  # noqa: ANN001
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        return await _bounded(_visit(context, target, timeout_s), timeout_s)
    finally:
        try:
            await asyncio.wait_for(context.close(), 20)
        except Exception:  # noqa: S110
            pass


async def _launch(pw):  # noqa: ANN001, ANN202
    return await pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


async def _series(targets: list[Target], runs: int, timeout_s: float,
                  returning: int, deadline: float | None) -> list[Result]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await _launch(pw)
        try:
            contexts = [await browser.new_context(viewport=VIEWPORT) for _ in targets]
            results = [Result() for _ in targets]
            for target, context, result in zip(targets, contexts, results, strict=True):
                if not returning and not target.streamlit:
                    continue  # a static page needs no server warm-up, and no warm cache here
                sent: list = []
                try:
                    await asyncio.wait_for(_warm(context, target, timeout_s, sent), timeout_s + 20)
                except TimeoutError:
                    pass
                frames = [f for f in sent if isinstance(f, bytes)]
                result.sent = frames[0] if frames else None
            last = 0.0
            for i in range(max(runs, returning)):
                # Whole rounds only, so every target keeps the same number of samples; the first
                # round always runs.
                if i and deadline is not None and time.monotonic() + last > deadline:
                    break
                t0 = time.monotonic()
                for target, context, result in zip(targets, contexts, results, strict=True):
                    if i < runs:
                        result.fresh.samples.append(await _fresh(browser, target, timeout_s))
                    if i < returning:
                        result.returning.samples.append(
                            await _bounded(_visit(context, target, timeout_s), timeout_s))
                last = time.monotonic() - t0
            return results
        finally:
            await browser.close()


def chart_visible(targets: list[Target], runs: int, timeout_s: float = 60,
                  returning: int = 0, deadline: float | None = None) -> list[Result]:
    """``runs`` fresh and ``returning`` returning samples per target, the targets in turn.

    No round starts that would, at the last round's pace, end after ``deadline``
    (``time.monotonic()``): on a loaded machine the run stays in its time budget with fewer
    samples, and the table's n says how many.
    """
    return asyncio.run(_series(targets, runs, timeout_s, returning, deadline))


async def _concurrent(target: Target, sessions: int, timeout_s: float) -> Series:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await _launch(pw)
        try:
            # Warm the browser itself (first renderer start) so it is not charted to the server.
            await _fresh(browser, target, timeout_s)
            results = await asyncio.gather(
                *(_fresh(browser, target, timeout_s) for _ in range(sessions)))
            return Series(samples=list(results))
        finally:
            await browser.close()


def concurrent(target: Target, sessions: int, timeout_s: float = 90) -> tuple[Series, float]:
    """``sessions`` fresh visitors opening ``target`` at the same moment; also the wall time.

    Only for small N: on 2 cores, 25 Chromium renderers measure Chromium, not the server.
    """
    t0 = time.perf_counter()
    series = asyncio.run(_concurrent(target, sessions, timeout_s))
    return series, time.perf_counter() - t0
