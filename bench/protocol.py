"""Streamlit sessions without a browser: what the server must do for N visitors at once.

Each session does what a browser tab does on the wire: GET the page (which, through nginx, sets
the affinity cookie), optionally the host config and health check the frontend fetches, open the
websocket ``/_stcore/stream`` with that cookie, send the ``rerun_script`` message Chromium sends
(``browser_message``: captured from a real tab and rebuilt field by field), and read messages
until ``script_finished``. The time is from the GET to ``script_finished``: the server's share of
a first visit (no drawing). A browser would cost the server no more than this, and the client's
own CPU stays small, so many sessions on 2 cores measure the server, not the load generator.

A session can also capture what the page sent (every chart's figure JSON, the chart images) and
rerun the script in the same session (a warm rerun, as a widget change does).
"""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

# A run that ends early for a rerun (st.rerun, a query-string change) is not the end of the page.
_DONE = {ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
         ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class Outcome:
    seconds: float | None           # GET → script_finished of the first run (None: failed)
    error: str = ""
    deltas: int = 0
    reruns: list[float] = field(default_factory=list)  # warm reruns in the same session
    figures: list[dict] = field(default_factory=list)  # the page's charts as sent, in order
    images: int = 0                 # st.image elements in the page as sent
    stills: int = 0                 # st.html elements holding an <img> (a chart's still image)
    bytes: int = 0                  # websocket bytes received in the first run


def browser_message(page: str, query: str = "", base_url: str = "") -> bytes:
    """The ``rerun_script`` BackMsg headless Chromium sends when it opens ``/<page>?<query>``.

    Captured from a real tab (Streamlit 1.67, bench/browser.py checks it again on every run):
    query string, empty widget states, page name and the browser's context (time zone, locale,
    the address without the query, not embedded, light scheme).
    """
    back = BackMsg()
    rs = back.rerun_script
    rs.query_string = query
    rs.widget_states.SetInParent()
    rs.page_name = page
    ci = rs.context_info
    ci.timezone, ci.timezone_offset, ci.locale = "UTC", 0, "en-US"
    ci.url = f"{base_url}/{page}"
    ci.is_embedded, ci.color_scheme = False, "light"
    return back.SerializeToString()


def same_message(sent: bytes, mine: bytes) -> bool:
    """Whether two BackMsg payloads say the same (protobuf bytes need not be identical)."""
    a, b = BackMsg(), BackMsg()
    a.ParseFromString(sent)
    b.ParseFromString(mine)
    return a == b


def describe(raw: bytes | None) -> str:
    if raw is None:
        return "no frame captured"
    msg = BackMsg()
    msg.ParseFromString(raw)
    return " ".join(str(msg).split())[:200]


def _exception_text(msg: ForwardMsg) -> str | None:
    if (msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element"
            and msg.delta.new_element.WhichOneof("type") == "exception"):
        return msg.delta.new_element.exception.message[:200] or "exception"
    return None


class _Page:
    """The element tree as sent: a later element at the same delta path replaces the earlier."""

    def __init__(self) -> None:
        self.elements: dict[tuple[int, ...], object] = {}

    def add(self, msg: ForwardMsg) -> None:
        if msg.delta.WhichOneof("type") == "new_element":
            self.elements[tuple(msg.metadata.delta_path)] = msg.delta.new_element
        elif msg.delta.WhichOneof("type") == "add_block":
            path = tuple(msg.metadata.delta_path)
            # A new block at a path drops whatever was drawn under it before.
            for old in [p for p in self.elements if p[:len(path)] == path]:
                del self.elements[old]

    def charts(self) -> tuple[list[dict], int, int]:
        figures, images, stills = [], 0, 0
        for path in sorted(self.elements):
            el = self.elements[path]
            kind = el.WhichOneof("type")
            if kind == "plotly_chart":
                p = el.plotly_chart
                figures.append({"spec": json.loads(p.spec),
                                "config": json.loads(p.config) if p.config else {},
                                "theme": p.theme, "bytes": len(p.spec)})
            elif kind == "imgs":
                images += len(el.imgs.imgs)
            elif kind == "html" and "<img" in el.html.body:
                stills += 1
        return figures, images, stills


async def _run_once(ws, message: bytes, deadline: float,  # noqa: ANN001 - websockets client
                    page: _Page | None) -> tuple[int, int, str]:
    """Send one rerun; read until the script has finished. (deltas, bytes, error)"""
    await ws.send(message)
    deltas = nbytes = 0
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return deltas, nbytes, "no script_finished in time"
        raw = await asyncio.wait_for(ws.recv(), left)
        nbytes += len(raw)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta":
            deltas += 1
            problem = _exception_text(msg)
            if problem:
                return deltas, nbytes, f"the page raised an exception: {problem}"
            if page is not None:
                page.add(msg)
        elif kind == "script_finished" and msg.script_finished in _DONE:
            return deltas, nbytes, ""


async def session(url: str, page: str, timeout_s: float = 60.0, *, query: str = "",
                  reruns: int = 0, capture: bool = False, fetch_static: bool = False) -> Outcome:
    """One fresh session opening ``page`` (its url path, '' for the landing page) at ``url``."""
    t0 = time.perf_counter()
    parts = urlsplit(url)
    deadline = t0 + timeout_s
    address = f"{url}/{page}" + (f"?{query}" if query else "")
    try:
        # The page GET is tiny next to the script run; a thread keeps the event loop free.
        resp = await asyncio.to_thread(requests.get, address, timeout=timeout_s)
        if resp.status_code != 200:
            return Outcome(None, f"GET /{page}: HTTP {resp.status_code}")
        if fetch_static:  # what the frontend asks for before it opens the websocket
            for extra in ("_stcore/health", "_stcore/host-config"):
                await asyncio.to_thread(requests.get, f"{url}/{extra}", timeout=timeout_s)
        cookie = "; ".join(f"{k}={v}" for k, v in resp.cookies.items())
        ws = await asyncio.wait_for(connect(
            f"ws://{parts.netloc}/_stcore/stream", subprotocols=["streamlit"],
            additional_headers={"Cookie": cookie} if cookie else None, max_size=None,
            open_timeout=timeout_s), timeout_s)
    except Exception as exc:  # noqa: BLE001 - a failed session is a measured outcome
        return Outcome(None, f"connect: {exc.__class__.__name__}: {exc}")
    message = browser_message(page, query, f"{parts.scheme}://{parts.netloc}")
    tree = _Page() if capture else None
    try:
        deltas, nbytes, error = await _run_once(ws, message, deadline, tree)
        if error:
            return Outcome(None, error, deltas)
        out = Outcome(time.perf_counter() - t0, "", deltas, bytes=nbytes)
        if tree is not None:
            out.figures, out.images, out.stills = tree.charts()
        for _ in range(reruns):
            t1 = time.perf_counter()
            _, _, error = await _run_once(ws, message, t1 + timeout_s, None)
            if error:
                out.error = f"rerun: {error}"
                break
            out.reruns.append(time.perf_counter() - t1)
        return out
    except Exception as exc:  # noqa: BLE001
        return Outcome(None, f"{exc.__class__.__name__}: {exc}")
    finally:
        await ws.close()


async def many(url: str, page: str, n: int, timeout_s: float, stagger_s: float = 0.0,
               query: str = "") -> list[Outcome]:
    """``n`` fresh sessions, all at once or arriving one every ``stagger_s`` seconds."""
    async def arrive(i: int) -> Outcome:
        await asyncio.sleep(i * stagger_s)
        return await session(url, page, timeout_s, query=query, fetch_static=True)

    return list(await asyncio.gather(*(arrive(i) for i in range(n))))


def run(coro):  # noqa: ANN001, ANN201 - any coroutine, its result
    """``asyncio.run`` that also works from inside a running loop (Playwright's sync API keeps
    one in its thread): the coroutine then gets a thread and a loop of its own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def concurrent(url: str, page: str, n: int, timeout_s: float = 120.0,
               stagger_s: float = 0.0) -> tuple[list[Outcome], float]:
    """``n`` sessions opened at the same moment (or one every ``stagger_s`` seconds); their
    outcomes and the wall time."""
    t0 = time.perf_counter()
    outcomes = run(many(url, page, n, timeout_s, stagger_s))
    return outcomes, time.perf_counter() - t0


def one(url: str, page: str, timeout_s: float = 120.0, **kwargs: object) -> Outcome:
    """A single session (see ``session`` for ``reruns``, ``capture``, ``query``)."""
    return run(session(url, page, timeout_s, **kwargs))


async def _interleaved(targets: list[tuple[str, str, str]], runs: int,
                       timeout_s: float) -> list[Outcome]:
    """One session per (url, page, query), then ``runs`` rounds of one warm rerun each, in turn."""
    opened, messages = [], []
    try:
        for url, page, query in targets:
            parts = urlsplit(url)
            resp = await asyncio.to_thread(requests.get, f"{url}/{page}", timeout=timeout_s)
            resp.raise_for_status()
            ws = await connect(f"ws://{parts.netloc}/_stcore/stream", subprotocols=["streamlit"],
                               max_size=None, open_timeout=timeout_s)
            opened.append(ws)
            messages.append(browser_message(page, query, f"{parts.scheme}://{parts.netloc}"))
        outcomes = []
        for ws, message in zip(opened, messages, strict=True):  # the session's own first run
            t0 = time.perf_counter()
            _, _, error = await _run_once(ws, message, t0 + timeout_s, None)
            outcomes.append(Outcome(time.perf_counter() - t0, error))
        for _ in range(runs):
            for ws, message, out in zip(opened, messages, outcomes, strict=True):
                if out.error:
                    continue
                t0 = time.perf_counter()
                _, _, error = await _run_once(ws, message, t0 + timeout_s, None)
                if error:
                    out.error = f"rerun: {error}"
                else:
                    out.reruns.append(time.perf_counter() - t0)
        return outcomes
    finally:
        for ws in opened:
            await ws.close()


def interleaved_reruns(targets: list[tuple[str, str, str]], runs: int,
                       timeout_s: float = 120.0) -> list[Outcome]:
    """Warm reruns of several sessions taken in turn (page, floor, page, floor, ...), so that
    every series sees the same machine load; ``Outcome.reruns`` holds each one's seconds."""
    return run(_interleaved(targets, runs, timeout_s))
