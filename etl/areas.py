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
# Areas named by the data whose name is exactly a CLDR region's (UN M49), so the name in other
# languages can come from CLDR. The rest (ILO's "Arab States", "Asia and the Pacific", the EU-27
# with its composition…) have no CLDR equivalent: the read side's alias table names them.
CLDR_REGIONS: dict[str, str] = {
    "WLD": "001", "ILO-AFR": "002", "ILO12-AFR": "002", "ILO-AMR": "019", "ILO05-ASI": "142",
    "ILO05-SSA": "202", "ILO12-LAC": "419",
}


def fill(con: duckdb.DuckDBPyConnection) -> None:
    """Write ``areas`` from ``jurisdictions``, the observations' other area codes and
    ``map_shapes``. Without map geometry in the build the marker columns stay NULL."""
    con.execute("CREATE TEMP TABLE named_areas (code VARCHAR, kind VARCHAR, name VARCHAR)")
    con.execute("CREATE TEMP TABLE cldr_regions (code VARCHAR, cldr_code VARCHAR)")
    try:
        # One statement per table (``executemany`` runs one per row).
        con.execute("INSERT INTO cldr_regions VALUES "
                    + ", ".join(["(?, ?)"] * len(CLDR_REGIONS)),
                    [v for pair in CLDR_REGIONS.items() for v in pair])
        con.execute("INSERT INTO named_areas VALUES " + ", ".join(["(?, ?, ?)"] * len(NAMED)),
                    [v for code, (kind, name) in NAMED.items() for v in (code, kind, name)])
        has_geometry = con.execute("SELECT count(*) FROM map_shapes").fetchone()[0] > 0
        con.execute(
            """
            INSERT INTO areas
            SELECT j.iso3, 'jurisdiction', j.name, j.region, m.marker_lon, m.marker_lat,
                   CASE WHEN m.code IS NULL AND ? THEN ? ELSE m.marker_reason END, j.iso2
            FROM jurisdictions j LEFT JOIN map_shapes m ON m.code = j.iso3
            """,
            [has_geometry, UNPLACED],
        )
        con.execute(
            """
            INSERT INTO areas (code, kind, name, cldr_code)
            SELECT o.area_code,
                   coalesce(any_value(n.kind), any_value(o.area_kind)),
                   coalesce(any_value(n.name),
                            any_value(o.breakdown) FILTER (WHERE o.breakdown_dim = 'region'
                                                          AND o.area_kind = 'region'),
                            o.area_code),
                   any_value(c.cldr_code)
            FROM observations o LEFT JOIN named_areas n ON n.code = o.area_code
            LEFT JOIN cldr_regions c ON c.code = o.area_code
            WHERE o.area_kind IN ('region', 'world')
            GROUP BY o.area_code
            """
        )
    finally:
        con.execute("DROP TABLE named_areas")
        con.execute("DROP TABLE cldr_regions")
