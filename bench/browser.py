"""Time to chart in headless Chromium on loopback, one session at a time or many at once.

"Time to chart" is read inside the page: ``performance.now()`` (milliseconds since the
navigation started) at the first animation frame where the script has finished and every
Plotly chart the page should draw is on screen — for maps, once the geometry has been
drawn, not just the empty frame. Each measurement opens a fresh browser context, so each
is a new Streamlit session (the server's data cache stays warm between them, as it would
for a second visitor).
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from dataclasses import dataclass, field

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}

# True (well, the time) once the script is done and `n` charts are drawn.
DRAWN_JS = """
(n) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')];
  if (plots.length < n) return false;
  const drawn = plots.every(p => p._fullLayout && p.querySelector('.main-svg') &&
      (!p._fullLayout.geo || p.querySelector('.geo .layer path')));
  return drawn ? performance.now() : false;
}
"""
ERRORS_JS = """
() => [...document.querySelectorAll('[data-testid="stException"]')]
        .map(e => e.innerText.slice(0, 200))
"""


@dataclass
class Sample:
    seconds: float | None          # navigation start → last chart drawn (None: failed)
    charts: int = 0
    error: str | None = None


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)

    @property
    def ok(self) -> list[float]:
        return [s.seconds for s in self.samples if s.seconds is not None]

    @property
    def errors(self) -> list[str]:
        return [s.error for s in self.samples if s.error]

    def median(self) -> float | None:
        return statistics.median(self.ok) if self.ok else None

    def p95(self) -> float | None:
        ok = sorted(self.ok)
        if not ok:
            return None
        return ok[max(0, math.ceil(0.95 * len(ok)) - 1)]  # nearest rank


async def _one(browser, url: str, expected: int, timeout_s: float) -> Sample:  # noqa: ANN001
    # A renderer choking on a huge figure can ignore Playwright's own timeouts: bound it here.
    try:
        return await asyncio.wait_for(_one_inner(browser, url, expected, timeout_s),
                                      timeout_s + 20)
    except TimeoutError:
        return Sample(seconds=None, error=f"no answer from the browser in {timeout_s + 20:.0f} s")


async def _one_inner(browser, url: str, expected: int, timeout_s: float) -> Sample:  # noqa: ANN001
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        handle = await page.wait_for_function(DRAWN_JS, arg=expected, polling="raf",
                                              timeout=timeout_s * 1000)
        ms = await handle.json_value()
        charts = await page.locator('[data-testid="stPlotlyChart"]').count()
        problems = await page.evaluate(ERRORS_JS)
        return Sample(seconds=ms / 1000, charts=charts,
                      error=("exception on page: " + problems[0]) if problems else None)
    except Exception as exc:  # a timeout or a crashed page is a result, not a bench failure
        return Sample(seconds=None, error=f"{exc.__class__.__name__}: {str(exc)[:160]}")
    finally:
        await context.close()


SCRIPT_DONE_JS = """
() => document.querySelector('[data-testid="stApp"]')
        ?.getAttribute('data-test-script-state') === 'notRunning'
"""


async def _warm(browser, url: str, timeout_s: float) -> None:  # noqa: ANN001
    """Open ``url`` until the server has run the script once; do not wait for the browser."""
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        await page.wait_for_function(SCRIPT_DONE_JS, timeout=timeout_s * 1000)
    except Exception:  # noqa: S110 - a failed warm-up shows up in the measured runs
        pass
    finally:
        try:
            await asyncio.wait_for(context.close(), 20)
        except Exception:  # noqa: S110 - a hung renderer dies with the browser at the end
            pass


async def _launch(pw):  # noqa: ANN001, ANN202
    return await pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


async def _sequential(targets: list[tuple[str, int]], runs: int, timeout_s: float) -> list[Series]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await _launch(pw)
        try:
            for url, _ in targets:
                await _warm(browser, url, timeout_s)
            out = [Series() for _ in targets]
            # Round-robin (page, floor, page, floor, ...) so both see the same machine load.
            for _ in range(runs):
                for (url, expected), series in zip(targets, out, strict=True):
                    series.samples.append(await _one(browser, url, expected, timeout_s))
            return out
        finally:
            await browser.close()


async def _concurrent(url: str, expected: int, sessions: int, timeout_s: float) -> Series:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await _launch(pw)
        try:
            # Warm the browser itself (first renderer start) so it is not charted to the server.
            await _one(browser, url, expected, timeout_s)
            results = await asyncio.gather(
                *(_one(browser, url, expected, timeout_s) for _ in range(sessions)))
            return Series(samples=list(results))
        finally:
            await browser.close()


def time_to_chart(targets: list[tuple[str, int]], runs: int,
                  timeout_s: float = 60) -> list[Series]:
    """``runs`` fresh sessions per (url, expected charts), the targets taken in turn.

    Each target is opened once first, unmeasured, until the server has run its script: the
    first run in a fresh server process is the cold case, which ``server cold`` measures.
    """
    return asyncio.run(_sequential(targets, runs, timeout_s))


def concurrent(url: str, expected: int, sessions: int,
               timeout_s: float = 90) -> tuple[Series, float]:
    """``sessions`` fresh sessions opened at the same moment; also returns the wall time."""
    t0 = time.perf_counter()
    series = asyncio.run(_concurrent(url, expected, sessions, timeout_s))
    return series, time.perf_counter() - t0
