"""The ``areas`` table: every place with a tier or a value, its one display name, and where the
map draws it when its outline is missing or too small (from ``map_shapes``).

Filled after every source (and every carried-over row) has loaded, beside ``jurisdictions``.
"""

from __future__ import annotations

import duckdb

# Places the observations name by a code only: their one display name and kind. Regions whose
# rows carry their name (ILO's, under breakdown_dim 'region') are named by the data.
NAMED: dict[str, tuple[str, str]] = {
    "WLD": ("world", "World"),
    "EU27_2020": ("union", "European Union (27 members, 2020 composition)"),
}
UNPLACED = "no outline or position in the map geometry: not on the map"


def fill(con: duckdb.DuckDBPyConnection) -> None:
    """Write ``areas`` from ``jurisdictions``, the observations' other area codes and
    ``map_shapes``. Without map geometry in the build the marker columns stay NULL."""
    con.execute("CREATE TEMP TABLE named_areas (code VARCHAR, kind VARCHAR, name VARCHAR)")
    try:
        con.executemany("INSERT INTO named_areas VALUES (?, ?, ?)",
                        [(code, kind, name) for code, (kind, name) in NAMED.items()])
        has_geometry = con.execute("SELECT count(*) FROM map_shapes").fetchone()[0] > 0
        con.execute(
            """
            INSERT INTO areas
            SELECT j.iso3, 'jurisdiction', j.name, j.region, m.marker_lon, m.marker_lat,
                   CASE WHEN m.code IS NULL AND ? THEN ? ELSE m.marker_reason END
            FROM jurisdictions j LEFT JOIN map_shapes m ON m.code = j.iso3
            """,
            [has_geometry, UNPLACED],
        )
        con.execute(
            """
            INSERT INTO areas (code, kind, name)
            SELECT o.area_code,
                   coalesce(any_value(n.kind), any_value(o.area_kind)),
                   coalesce(any_value(n.name),
                            any_value(o.breakdown) FILTER (WHERE o.breakdown_dim = 'region'
                                                          AND o.area_kind = 'region'),
                            o.area_code)
            FROM observations o LEFT JOIN named_areas n ON n.code = o.area_code
            WHERE o.area_kind IN ('region', 'world')
            GROUP BY o.area_code
            """
        )
    finally:
        con.execute("DROP TABLE named_areas")
