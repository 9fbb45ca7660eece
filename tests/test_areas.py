"""etl/areas.py, the world-geometry source's map_shapes and the tiers table: what the ETL writes
about places and the tier vocabulary, checked on the real geometry files and the session
database."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from etl.sources import world_geometry
from tests.conftest import SHARED_DATA
from trafficking import geo, style, vocabulary
from trafficking.queries import catalogue

GEO = SHARED_DATA / "geo"
NOT_AT_110M = "not drawn at 110m: dot at the centroid of its 50m outline"
TOO_SMALL = "too small to see at 110m: dot at the centroid of its outline"
EU_NAME = "European Union (27 members, 2020 composition)"


@pytest.fixture(scope="module")
def db(built_db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def shapes():
    topo = {n: json.loads((GEO / n).read_text(encoding="utf-8"))
            for n in (world_geometry.DRAWN, world_geometry.DETAILED)}
    return world_geometry.map_shapes(topo[world_geometry.DRAWN],
                                     topo[world_geometry.DETAILED]).set_index("code")


def test_map_shapes_from_the_real_geometry(shapes) -> None:
    # PROVENANCE.md counts 177 countries at 110m and 241 at 50m: 174 and 235 with an ISO-3 id,
    # 3 and 6 without; 168 drawn, 6 too small, 61 only at 50m plus Kosovo.
    assert shapes.loc["HKG"].tolist() == ["missing", 114.14, 22.44, NOT_AT_110M,
                                          world_geometry.DETAILED]
    assert shapes.loc["SGP", "outline"] == "missing"
    assert shapes.loc["LUX"].tolist()[:2] == ["too small", 5.97]
    assert shapes.loc["LUX", "marker_reason"] == TOO_SMALL
    assert shapes.loc["FRA", "outline"] == "drawn" and shapes.loc["FRA", "marker_reason"] is None
    kosovo = shapes.loc["XKX"]
    assert kosovo["outline"] == "missing" and kosovo["file"] == world_geometry.DRAWN
    assert 19.5 < kosovo["marker_lon"] < 22.0 and 41.8 < kosovo["marker_lat"] < 43.4
    assert kosovo["marker_reason"].endswith("outline bordering SRB, MNE, ALB, MKD")
    assert shapes["outline"].value_counts().to_dict() == {"drawn": 168, "missing": 62,
                                                          "too small": 6}


def test_areas_rows_for_jurisdictions_with_a_dot(db) -> None:
    hkg = db.execute("SELECT kind, name, parent_region, marker_lon, marker_lat, marker_reason "
                     "FROM areas WHERE code = 'HKG'").fetchone()
    assert hkg == ("jurisdiction", "Hong Kong", "Eastern Asia", 114.14, 22.44, NOT_AT_110M)
    drawn = db.execute("SELECT marker_lon, marker_reason FROM areas WHERE code = 'FRA'").fetchone()
    assert drawn == (None, None)
    dots = dict(db.execute(
        "SELECT marker_reason, count(*) FROM areas WHERE marker_lon IS NOT NULL "
        "AND code IN (SELECT iso3 FROM tip_tiers) GROUP BY ALL").fetchall())
    # 22 places the 110m outlines lack plus Kosovo; Cyprus, Luxembourg, Qatar, Trinidad and
    # Tobago drawn too small.
    assert dots.pop(NOT_AT_110M) == 22 and dots.pop(TOO_SMALL) == 4
    assert list(dots.values()) == [1]  # Kosovo, by its neighbours
    unplaced = db.execute("SELECT count(*) FROM areas WHERE kind = 'jurisdiction' "
                          "AND marker_reason IS NOT NULL AND marker_lon IS NULL").fetchone()
    assert unplaced == (0,)


def test_markers_for_reads_the_areas_table(built_db: Path) -> None:
    markers = geo.markers_for(["HKG", "MAC", "FRA", "TON"]).set_index("iso3")
    assert markers.index.tolist() == ["HKG", "MAC", "TON"]
    assert markers.loc["TON", "reason"] == NOT_AT_110M
    assert (markers.loc["MAC", "lon"], markers.loc["MAC", "lat"]) == (113.51, 22.22)


def test_one_name_per_place(db, built_db: Path) -> None:
    rows = dict(db.execute("SELECT code, (kind, name) FROM areas WHERE kind <> 'jurisdiction'")
                .fetchall())
    assert rows["EU27_2020"] == ("union", EU_NAME)
    assert rows["WLD"] == ("world", "World")
    assert rows["ILO12-DEV"] == ("region", "Developed Economies and European Union")
    places = catalogue.areas().set_index("area_code")
    # The compare page still offers the EU-27 among the regions.
    assert places.loc["EU27_2020", ["area_kind", "kind", "name"]].tolist() == [
        "region", "union", EU_NAME]
    from trafficking.queries import screening
    eu = screening.observations(["eurostat_registered_victims"], ["EU27_2020"])
    assert set(eu["area_name"]) == {EU_NAME}


def test_tiers_table_is_the_vocabulary(db) -> None:
    rows = db.execute("SELECT tier, label, short_label, color, rank_best, rank_worst, "
                      "axis_position, legend_order, stack_order FROM tiers "
                      "ORDER BY legend_order").fetchall()
    assert rows == [(t.name, t.label, t.short, t.color, t.rank_best, t.rank_worst, t.position,
                     t.legend_order, t.stack_order) for t in vocabulary.TIERS]
    assert rows[5][:4] == ("Tier 1 or 2", "Tier 1 or 2 (unresolved)", "1/2?", "#A9B8C8")
    held = {r[0] for r in db.execute("SELECT DISTINCT tier FROM tip_tiers").fetchall()}
    assert held <= set(vocabulary.NAMES)
    checks = [e for (e,) in db.execute(
        "SELECT expression FROM duckdb_constraints() WHERE table_name = 'tip_tiers' "
        "AND constraint_type = 'CHECK' AND expression LIKE '%tier%IN%'").fetchall()]
    assert len(checks) == 1 and all(f"'{t}'" in checks[0] for t in vocabulary.NAMES)


def test_vocabulary_orders() -> None:
    assert style.TIER_ORDER == ("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3",
                                "Special Case", "Tier 1 or 2", "Not ranked")
    assert vocabulary.STACK_ORDER == ("Tier 1", "Tier 2", "Tier 1 or 2", "Tier 2 Watch List",
                                      "Tier 3", "Special Case")
    assert vocabulary.AXIS_ORDER == ("Tier 1", "Tier 1 or 2", "Tier 2", "Tier 2 Watch List",
                                     "Tier 3", "Special Case")
    assert vocabulary.RANK_RANGE["Tier 1 or 2"] == (1, 2)
    assert "Special Case" not in vocabulary.RANK_RANGE
    assert style.tier_label(None) == "Not ranked / no data"
    assert style.tier_color("Tier 2 Watch List") == "#E69F00"
    assert style.tier_color("no such tier") == "#E4E4E4"
    assert style.TIER_SHORT["Tier 2 Watch List"] == "2WL"
