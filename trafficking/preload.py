"""Preload hints in the index page, so a page's first view does not wait for Streamlit's code.

Streamlit's frontend fetches the code of most elements only when such an element first
appears, and while a fetch is outstanding the browser shows nothing new that arrived in the
same update. Each page's still image (present/firstview.py) is an ``st.html`` element, so on
Compare and Profile, whose pickers also load code, the still waited 0.6–1.6 s after the page's
heading (issue 14, measured in headless Chromium, two servers side by side). A
``<link rel="modulepreload">`` for the ``st.html`` code (30 KB beyond what the index page
already preloads) lets the browser fetch it during Streamlit's own start-up. Preloading the
widgets' and plotly.js's code as well was measured too: it delays Streamlit's start-up by
0.2–0.3 s and draws no chart sooner, so only ``Html`` is preloaded.

The names of Streamlit's code files carry a content hash, so they are read from the installed
frontend (its entry module lists each element's files) when the server starts. Plain ASGI
middleware (``dashboard_app.py`` installs it through ``st.App``): it changes the index page
only, and only by adding ``<link>`` elements to its ``<head>``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

import streamlit

log = logging.getLogger("trafficking.preload")

ELEMENTS = ("Html",)  # the frontend's element modules to preload
STATIC = Path(streamlit.__file__).parent / "static"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The entry module's dependency table (vite's __vite__mapDeps) and, for each lazily loaded
# element, its module and the indices of the files it needs.
_TABLE = re.compile(r"m\.f=(\[[^\]]*\])")
_LAZY = re.compile(r"import\(`\./([A-Za-z]+)\.[A-Za-z0-9_-]+\.js`\),__vite__mapDeps\(\[([0-9,]*)\]\)")
_PRELOADED = re.compile(r'<link rel="modulepreload"[^>]*href="\./static/js/([^"]+)"')


class FrontendChanged(RuntimeError):
    """The installed Streamlit frontend is not laid out as this module expects."""


def element_files(names: Iterable[str], static: Path = STATIC) -> list[str]:
    """The frontend files (relative to ``static/js``) that elements ``names`` need and the
    index page does not already preload, in load order."""
    index_html = (static / "index.html").read_text(encoding="utf-8")
    entry = re.search(r'<script type="module"[^>]*src="\./static/js/([^"]+)"', index_html)
    if entry is None:
        raise FrontendChanged(f"no entry module in {static / 'index.html'}")
    source = (static / "static" / "js" / entry.group(1)).read_text(encoding="utf-8")
    table = _TABLE.search(source)
    if table is None:
        raise FrontendChanged(f"no dependency table in {entry.group(1)}")
    files = json.loads(table.group(1))
    lazy = {m.group(1): [files[int(i)] for i in m.group(2).split(",") if i]
            for m in _LAZY.finditer(source)}
    already = set(_PRELOADED.findall(index_html))
    out: list[str] = []
    for name in names:
        if name not in lazy:
            raise FrontendChanged(f"element {name!r} is not loaded lazily by {entry.group(1)}")
        for f in lazy[name]:
            f = f.removeprefix("./")
            if f.endswith(".js") and f not in already and f not in out:
                out.append(f)
    return out


@cache
def links(names: tuple[str, ...] = ELEMENTS) -> bytes:
    """The ``<link>`` elements to add to the index page's ``<head>``."""
    return "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{f}">'
                   for f in element_files(names)).encode()


def add_links(page: bytes, extra: bytes) -> bytes:
    """``page`` with ``extra`` just before ``</head>`` (unchanged if it has none)."""
    return page.replace(b"</head>", extra + b"</head>", 1)


def _retag(etag: bytes) -> bytes:
    return etag[:-1] + b'-preload"' if etag.endswith(b'"') else etag + b"-preload"


class Preload:
    """ASGI middleware: the index page (any GET that answers ``text/html``) gets ``links()``.

    Streamlit answers every page address (``/``, ``/compare``, …) with the same index page;
    its own files, the websocket and the API are passed through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        try:
            self.extra = links()
        except (FrontendChanged, OSError) as exc:
            # A speed-up only: another Streamlit frontend gets its index page as it is
            # (tests/test_preload.py fails on the upgrade that causes this).
            log.warning("no preload hints in the index page: %s", exc)
            self.extra = b""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (not self.extra or scope["type"] != "http" or scope.get("method") != "GET"
                or "/static/" in path or "/_stcore/" in path or "/media/" in path):
            await self.app(scope, receive, send)
            return
        # Uncompressed from the app, so the page can be edited; 8 KB, once per visit.
        scope = dict(scope, headers=[(k, v) for k, v in scope["headers"]
                                     if k.lower() != b"accept-encoding"])
        start: Message = {}
        body: list[bytes] = []

        async def edited(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            data = b"".join(body)
            headers = [(k, v) for k, v in start.get("headers", [])]
            kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            if kind.startswith(b"text/html") and start.get("status") == 200:
                data = add_links(data, self.extra)
                # Another representation of the file: its own length and entity tag.
                headers = [(k, _retag(v) if k.lower() == b"etag" else v)
                           for k, v in headers if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(data)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": data})

        await self.app(scope, receive, edited)
