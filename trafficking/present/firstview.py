"""First views: a still image of each page's top chart, shown while plotly.js loads.

A browser needs 1–2 s after Streamlit's own start-up to fetch, compile and run plotly.js before
it can draw any chart (issue 14). A WebP of exactly the same view, drawn by kaleido like the
exports, paints as soon as the page's message arrives; the interactive chart is drawn under it
and the image hides itself once the chart is on screen (CSS in ``render``), so hover and click
work from the moment plotly.js is ready.

Which views: the first chart each page draws, at its default values, in each language;
recorded when ``trafficking.serve`` warms the server up (``collecting``). Images are made there,
before the server listens, and by one background thread for a default view without one (after a
refresh: a new database file, where the defaults may have moved, e.g. to a new report year): a
visitor's run never waits for Chromium, it draws the interactive chart alone until the image
exists. Plain Python, no Streamlit (the data layer rule): ``render`` does the drawing.
"""

from __future__ import annotations

import base64
import logging
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from trafficking.present import export
from trafficking.present.view import ChartView, plain

log = logging.getLogger("trafficking.firstview")

# Laid out at the chart's own height and about the width the chart gets in the wide layout
# at a 1400 px window; the browser scales it to the column (object-fit: contain).
WIDTH = 1000
DEFAULT_HEIGHT = 450  # plotly.js's own default when a figure sets none
FORMAT = "webp"  # a quarter of the PNG's bytes for a map (39 vs 168 KB); text stays legible
MAX_IMAGES = 64
ENV_SWITCH = "TRAFFICKING_FIRST_VIEW"  # "0": no images (the interactive chart alone)

Key = tuple[str, str, object]  # chart id, its values as frozen JSON, database file key


@dataclass(frozen=True)
class Still:
    """A pre-rendered first view: the image as a data URI, its layout size, its alt text."""

    uri: str
    height: int
    alt: str
    is_map: bool


_lock = threading.Lock()
_images: OrderedDict[Key, Still] = OrderedDict()
_top_ids: set[str] = set()  # each page's top chart
_pending: set[Key] = set()
_queue: queue.Queue[tuple[Key, ChartView]] = queue.Queue()
_worker: threading.Thread | None = None
_recording: list[tuple[Key, ChartView]] | None = None


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1") != "0" and export.chromium_path() is not None


def is_map(view: ChartView) -> bool:
    """Maps are drawn in two steps (frame, then geometry): the image waits for the second."""
    return any(t.type in ("choropleth", "scattergeo") for t in view.figure.data)


def is_top(chart_id: str) -> bool:
    """Whether the chart is some page's top view (its image may exist for some values)."""
    return chart_id in _top_ids


@contextmanager
def collecting() -> Iterator[list[tuple[Key, ChartView]]]:
    """Record the charts drawn (``offer``), in order, while active: the warm-up runs one page
    inside it and takes the first as that page's top view. Process-wide, not per thread
    (AppTest runs the script in a thread of its own); only the warm-up uses it, before the
    server takes visitors."""
    found: list[tuple[Key, ChartView]] = []
    global _recording
    _recording = found
    try:
        yield found
    finally:
        _recording = None


def offer(key: Key, view: ChartView, default: bool = False) -> Still | None:
    """The still for ``key`` if it exists. A top chart at its ``default`` values without one (a
    refreshed database file) is queued for the background renderer; meanwhile the caller
    draws the chart alone."""
    if _recording is not None:
        _recording.append((key, view))
    with _lock:
        still = _images.get(key)
        if still is not None:
            _images.move_to_end(key)
            return still
        wanted = default and key[0] in _top_ids and key not in _pending and enabled()
        if wanted:
            _pending.add(key)
    if wanted:
        _queue.put((key, view))
        _start_worker()
    return None


def mark_top(chart_id: str) -> None:
    with _lock:
        _top_ids.add(chart_id)


def _jobs(items: list[tuple[Key, ChartView]]) -> list[tuple[dict, str, export.Preset]]:
    out = []
    for _, view in items:
        height = int(view.figure.layout.height or DEFAULT_HEIGHT)
        # A dict, not the figure: kaleido must not touch the cached view's figure.
        out.append((view.figure.to_dict(), FORMAT, export.Preset("first view", WIDTH, height, 1)))
    return out


def render(items: list[tuple[Key, ChartView]]) -> int:
    """Draw the stills for ``items`` with one Chromium; returns how many were stored. A
    failure (no Chromium, kaleido error) is logged, never raised: pages work without them."""
    items = [(k, v) for k, v in items if k not in _images]
    if not items or not enabled():
        return 0
    jobs = _jobs(items)
    try:
        images = export.render(jobs)  # type: ignore[arg-type]  # kaleido takes dicts too
    except Exception:
        log.exception("first-view images failed; pages draw their charts alone")
        return 0
    with _lock:
        for (key, view), (_, _, preset), data in zip(items, jobs, images, strict=True):
            alt = plain(view.summary) or plain(view.title) or plain(view.caption)
            uri = f"data:image/{FORMAT};base64," + base64.b64encode(data).decode("ascii")
            _images[key] = Still(uri, preset.height, alt, is_map(view))
            _pending.discard(key)
        while len(_images) > MAX_IMAGES:
            _images.popitem(last=False)
    return len(items)


def _drain() -> None:
    while True:
        batch = [_queue.get()]
        while not _queue.empty():
            batch.append(_queue.get_nowait())
        # A failed batch stays pending: no Chromium start per visit while export is broken.
        render(batch)


def _start_worker() -> None:
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_drain, daemon=True, name="first-view-images")
            _worker.start()


def stored() -> dict[Key, Still]:
    """A copy of the stored stills (tests, the warm-up's report)."""
    with _lock:
        return dict(_images)


def clear() -> None:
    with _lock:
        _images.clear()
        _top_ids.clear()
        _pending.clear()
