"""trafficking.preload: which frontend files the index page preloads, and the middleware."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from trafficking import preload

INDEX = ('<html><head><link rel="modulepreload" crossorigin href="./static/js/shared.1.js">'
         '<script type="module" crossorigin src="./static/js/index.abc.js"></script>'
         '</head><body></body></html>')
ENTRY = ('const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./Html.h1.js",'
         '"./shared.1.js","./purify.p2.js","./Html.s3.css","./Metric.m4.js"])))=>i.map(i=>d[i]);'
         'a=lazy(()=>H(()=>import(`./Html.h1.js`),__vite__mapDeps([0,1,2,3]),import.meta.url)),'
         'b=lazy(()=>H(()=>import(`./Metric.m4.js`),__vite__mapDeps([4,1]),import.meta.url))')


def _frontend(tmp_path: Path, index: str = INDEX, entry: str = ENTRY) -> Path:
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "index.html").write_text(index)
    (tmp_path / "static" / "js" / "index.abc.js").write_text(entry)
    return tmp_path


def test_the_files_of_an_element_less_those_the_index_page_already_preloads(tmp_path) -> None:
    static = _frontend(tmp_path)
    assert preload.element_files(["Html"], static) == ["Html.h1.js", "purify.p2.js"]
    assert preload.element_files(["Html", "Metric"], static) == [
        "Html.h1.js", "purify.p2.js", "Metric.m4.js"]


def test_an_unexpected_frontend_is_a_clear_error(tmp_path) -> None:
    static = _frontend(tmp_path)
    with pytest.raises(preload.FrontendChanged, match="'Chart' is not loaded lazily"):
        preload.element_files(["Chart"], static)
    other = _frontend(tmp_path / "b", entry="console.log(1)")
    with pytest.raises(preload.FrontendChanged, match="no dependency table"):
        preload.element_files(["Html"], other)


def test_the_installed_streamlit_frontend_has_the_html_element() -> None:
    files = preload.element_files(preload.ELEMENTS)
    assert files[0].startswith("Html.") and all((preload.STATIC / "static/js" / f).is_file()
                                                for f in files)
    assert preload.links().count(b'rel="modulepreload"') == len(files)


def _call(path: str, content_type: bytes, body: bytes, method: str = "GET") -> tuple[list, dict]:
    seen: dict = {}

    async def app(scope, receive, send):
        seen["headers"] = dict(scope["headers"])
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
            (b"etag", b'"e1"')]})
        await send({"type": "http.response.body", "body": body[:5], "more_body": True})
        await send({"type": "http.response.body", "body": body[5:]})

    sent: list = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": path,
             "headers": [(b"accept-encoding", b"gzip"), (b"host", b"x")]}
    asyncio.run(preload.Preload(app)(scope, receive, send))
    return sent, seen


def test_the_index_page_gets_the_links_and_nothing_else_changes() -> None:
    sent, seen = _call("/compare", b"text/html; charset=utf-8", b"<html><head></head></html>")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert body == b"<html><head>" + preload.links() + b"</head></html>"
    headers = dict(sent[0]["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"etag"] == b'"e1-preload"' and b"accept-encoding" not in seen["headers"]
    # Streamlit's own files (and any other kind of answer) pass through as they were.
    for path, kind in (("/static/js/index.abc.js", b"text/javascript"),
                       ("/_stcore/host-config", b"application/json"),
                       ("/favicon.png", b"image/png")):
        sent, seen = _call(path, kind, b"<head></head>0123")
        assert b"".join(m.get("body", b"") for m in sent[1:]) == b"<head></head>0123"
        assert dict(sent[0]["headers"])[b"etag"] == b'"e1"'
    sent, _ = _call("/", b"text/html", b"<head></head>", method="HEAD")
    assert dict(sent[0]["headers"])[b"content-length"] == b"13"


def test_another_frontend_gets_its_index_page_unchanged(monkeypatch, caplog) -> None:
    def changed(*_args: object) -> bytes:
        raise preload.FrontendChanged("no entry module in index.html")

    monkeypatch.setattr(preload, "links", changed)
    sent, seen = _call("/", b"text/html", b"<head></head>")
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b"<head></head>"
    assert b"accept-encoding" in seen["headers"]  # passed through as the browser sent it
    assert "no preload hints in the index page: no entry module" in caplog.text
