"""A chart's text alternative (issue 18): its summary goes under the chart, into exported
images (SVG <title>/<desc>, PNG text chunks) and into the data download's metadata."""

from __future__ import annotations

import struct
import zlib

import pandas as pd
import plotly.graph_objects as go

from trafficking.present import export
from trafficking.present.view import ChartView

SUMMARY = "Hong Kong: Tier 1 in 2001–2008, 第二級 in 2009–2015 & <b>not</b> markup."
PLAIN = "Hong Kong: Tier 1 in 2001–2008, 第二級 in 2009–2015 & not markup."


def _view() -> ChartView:
    return ChartView(figure=go.Figure(), data=pd.DataFrame({"a": [1]}), caption="c",
                     source_line="s", title="Tier A <br>& B", summary=SUMMARY)


def _png_chunks(data: bytes) -> dict[str, str]:
    out, pos = {}, 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        if kind == b"iTXt":
            keyword, rest = body.split(b"\0", 1)
            out[keyword.decode()] = rest[4:].decode("utf-8")
        pos += 12 + length
    return out


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    raw = zlib.compress(b"\0\xff\xff\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def test_png_carries_title_and_summary_in_utf8_text_chunks() -> None:
    out = export.described(_png(), "png", _view())
    # As plain text: Plotly's markup (<br>, <b>) is taken out, as in every export's text.
    assert _png_chunks(out) == {"Title": "Tier A & B", "Description": PLAIN}
    assert out.endswith(b"IEND\xaeB`\x82")  # IEND stays the last chunk


def test_svg_carries_title_and_summary_as_escaped_text() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10"><g/></svg>'
    out = export.described(svg, "svg", _view()).decode("utf-8")
    assert out == ('<svg xmlns="http://www.w3.org/2000/svg" width="10"><title>Tier A &amp; B'
                   "</title><desc>Hong Kong: Tier 1 in 2001–2008, 第二級 in 2009–2015 &amp; not "
                   "markup.</desc><g/></svg>")


def test_metadata_has_the_summary() -> None:
    assert export.metadata(_view(), "2026-12-02")["summary"] == PLAIN
