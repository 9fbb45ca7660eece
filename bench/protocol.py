"""Streamlit sessions without a browser: what the server must do for N visitors at once.

Each session does what a browser tab does on the wire: GET the page (which, through nginx, sets
the affinity cookie), open the websocket ``/_stcore/stream`` with that cookie, send one
``rerun_script`` message for the page, and read messages until ``script_finished``. The time
is from the GET to ``script_finished``: the server's share of a first visit (no drawing). A
browser would cost the server no more than this, and the client's own CPU stays small, so 100
sessions on 2 cores measure the server, not the load generator.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect


@dataclass
class Outcome:
    seconds: float | None
    error: str = ""
    deltas: int = 0


def _has_exception(msg: ForwardMsg) -> bool:
    return (msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element"
            and msg.delta.new_element.WhichOneof("type") == "exception")


async def session(url: str, page: str, timeout_s: float = 60.0) -> Outcome:
    """One fresh session opening ``page`` (its url path, '' for the landing page) at ``url``."""
    t0 = time.perf_counter()
    parts = urlsplit(url)
    try:
        # The page GET is tiny next to the script run; a thread keeps the event loop free.
        resp = await asyncio.to_thread(requests.get, f"{url}/{page}", timeout=timeout_s)
        if resp.status_code != 200:
            return Outcome(None, f"GET /{page}: HTTP {resp.status_code}")
        cookie = "; ".join(f"{k}={v}" for k, v in resp.cookies.items())
        ws = await asyncio.wait_for(connect(
            f"ws://{parts.netloc}/_stcore/stream", subprotocols=["streamlit"],
            additional_headers={"Cookie": cookie} if cookie else None, max_size=None,
            open_timeout=timeout_s), timeout_s)
    except Exception as exc:  # noqa: BLE001 - a failed session is a measured outcome
        return Outcome(None, f"connect: {exc.__class__.__name__}: {exc}")
    try:
        back = BackMsg()
        back.rerun_script.page_name = page
        back.rerun_script.query_string = ""
        await ws.send(back.SerializeToString())
        deltas = 0
        deadline = t0 + timeout_s
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return Outcome(None, f"no script_finished within {timeout_s:g} s", deltas)
            raw = await asyncio.wait_for(ws.recv(), left)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta":
                deltas += 1
                if _has_exception(msg):
                    return Outcome(None, "the page raised an exception", deltas)
            elif kind == "script_finished":
                return Outcome(time.perf_counter() - t0, "", deltas)
    except Exception as exc:  # noqa: BLE001
        return Outcome(None, f"{exc.__class__.__name__}: {exc}")
    finally:
        await ws.close()


async def _many(url: str, page: str, n: int, timeout_s: float) -> list[Outcome]:
    return list(await asyncio.gather(*(session(url, page, timeout_s) for _ in range(n))))


def concurrent(url: str, page: str, n: int, timeout_s: float = 120.0) -> tuple[list[Outcome], float]:
    """``n`` sessions opened at the same moment; their outcomes and the wall time."""
    t0 = time.perf_counter()
    # A caller inside a running event loop (Playwright's sync API keeps one in its thread)
    # cannot asyncio.run(): the sessions then get a thread and a loop of their own.
    with ThreadPoolExecutor(1) as pool:
        outcomes = pool.submit(asyncio.run, _many(url, page, n, timeout_s)).result()
    return outcomes, time.perf_counter() - t0
