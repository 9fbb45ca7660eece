"""The bare-HTML floor: a static page per dashboard page holding the same figure JSON (as the
page sent it over the websocket) and plotly.js, and nothing else — no Streamlit, no server work.

"Page ÷ bare floor" is then what Streamlit and the dashboard add on top of drawing the same
charts in the same browser. plotly.js comes from the plotly Python package
(``package_data/plotly.min.js``, plotly.js v4 like Streamlit's own chunk); the map geometry is
served at ``/app/static/`` as Streamlit serves it, so the figures' ``topojsonURL`` works
unchanged, and everything stays on loopback.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parent.parent
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

# The main column of the wide layout at the benchmark's 1400 px viewport, about.
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare floor: {slug}</title>
<script src="/plotly.min.js"></script>
<style>body{{margin:0;font-family:sans-serif}} main{{max-width:1040px;margin:2rem auto}}</style>
</head><body><main><h1>Bare floor</h1><div id="charts"></div></main>
<script type="application/json" id="figures">{figures}</script>
<script>
const figures = JSON.parse(document.getElementById("figures").textContent);
const box = document.getElementById("charts");
for (const f of figures) {{
  const div = document.createElement("div");
  box.appendChild(div);
  Plotly.newPlot(div, f.spec.data || [], f.spec.layout || {{}}, f.config || {{}});
}}
</script></body></html>
"""


def write_page(folder: Path, slug: str, figures: list[dict]) -> Path:
    """``<folder>/<slug>.html`` drawing ``figures`` (spec and config as the page sent them)."""
    data = json.dumps([{"spec": f["spec"], "config": f.get("config") or {}} for f in figures])
    # Inside <script> only "</" can end the element early.
    target = folder / f"{slug}.html"
    target.write_text(PAGE.format(slug=slug, figures=data.replace("</", "<\\/")),
                      encoding="utf-8")
    return target


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that has what it needs closes its other connections mid-answer (a broken
        # pipe): not an error of the floor, and its traceback buried the benchmark's log.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class BareSite:
    """``with BareSite(folder) as url:`` — serves ``folder`` (pages from ``write_page``),
    plotly.min.js and the map geometry on a loopback port, from a thread."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        links = {folder / "plotly.min.js": PLOTLY_JS, folder / "app" / "static": ROOT / "static"}
        for link, target in links.items():
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists():
                link.symlink_to(target)
        handler = functools.partial(_Quiet, directory=str(folder))
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
