"""What a refresh changed against the previously published database."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl import schema

VALUE_TABLES = ("tip_tiers", "observations", "sources", "tier_conflicts", "indicators",
                "observation_conflicts", "government_responses")
# The rows a source contributes, for the change guard in etl/build.py.
SOURCE_ROW_TABLES = ("observations", "tier_observations", "government_responses")


def source_rows(con: duckdb.DuckDBPyConnection, db: str = "",
                present: set[str] | None = None) -> dict[str, int]:
    """Rows per source (``sources.dataset``) in ``db`` (an attached name, or the main one)."""
    prefix = f"{db}." if db else ""
    tables = [t for t in SOURCE_ROW_TABLES if present is None or t in present]
    if not tables or (present is not None and "sources" not in present):
        return {}
    union = " UNION ALL ".join(f"SELECT source_id FROM {prefix}{t}" for t in tables)
    return dict(con.execute(
        f"SELECT s.dataset, count(*) FROM ({union}) r JOIN {prefix}sources s USING (source_id) "
        "GROUP BY 1").fetchall())


def compare(con: duckdb.DuckDBPyConnection, old: Path | None, limit: int = 200) -> dict:
    """Rows added/removed per table, tier changes, new report years, revised figures."""
    new_counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in VALUE_TABLES}
    if old is None or not Path(old).exists():
        return {"previous": None, "rows_before": {}, "rows_after": new_counts,
                "source_rows_before": {}, "source_rows_after": source_rows(con)}
    con.execute("ATTACH ? AS prev (READ_ONLY)", [str(old)])
    try:
        # A file of an older schema may lack newer tables: they count as empty.
        present = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'prev'").fetchall()}
        before = {
            t: con.execute(f"SELECT count(*) FROM prev.{t}").fetchone()[0] if t in present else 0
            for t in VALUE_TABLES
        }
        source_before = source_rows(con, "prev", present)
        tier_changes = con.execute(
            """
            SELECT coalesce(n.iso3, p.iso3) AS iso3, coalesce(n.report_year, p.report_year) AS year,
                   p.tier AS old_tier, n.tier AS new_tier, n.source_id
            FROM tip_tiers n FULL JOIN prev.tip_tiers p
              ON n.iso3 = p.iso3 AND n.report_year = p.report_year
            WHERE n.tier IS DISTINCT FROM p.tier
            ORDER BY year, iso3 LIMIT ?
            """,
            [limit],
        ).fetchall()
        n_tier_changes = con.execute(
            "SELECT count(*) FROM tip_tiers n FULL JOIN prev.tip_tiers p "
            "ON n.iso3 = p.iso3 AND n.report_year = p.report_year WHERE n.tier IS DISTINCT FROM p.tier"
        ).fetchone()[0]
        new_years = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT report_year FROM tip_tiers EXCEPT "
                "SELECT DISTINCT report_year FROM prev.tip_tiers ORDER BY 1"
            ).fetchall()
        ]
        key = "indicator, area_code, year, breakdown_dim, breakdown, source_id"
        revised = con.execute(
            f"""
            SELECT n.indicator, n.area_code, n.year, n.breakdown_dim, n.breakdown,
                   p.value AS old_value, n.value AS new_value, n.source_id
            FROM (SELECT {key}, any_value(value) AS value FROM observations GROUP BY ALL) n
            JOIN (SELECT {key}, any_value(value) AS value FROM prev.observations GROUP BY ALL) p
            USING ({key})
            WHERE n.value IS DISTINCT FROM p.value LIMIT ?
            """,
            [limit],
        ).fetchall()
        # A new release of a pinned file is a re-pin in its source module; this is where the
        # change report shows it (and a changed snapshot of a compiled file).
        files_changed = con.execute(
            "SELECT n.source_id, p.sha256, n.sha256 FROM sources n JOIN prev.sources p "
            "USING (source_id) WHERE n.sha256 IS DISTINCT FROM p.sha256 ORDER BY 1 LIMIT ?",
            [limit]).fetchall() if "sources" in present else []
    finally:
        con.execute("DETACH prev")
    return {
        "files_changed": [{"source_id": r[0], "old_sha256": r[1], "new_sha256": r[2]}
                          for r in files_changed],
        "previous": str(old),
        "rows_before": before,
        "rows_after": new_counts,
        "source_rows_before": source_before,
        "source_rows_after": source_rows(con),
        "tier_changes_total": n_tier_changes,
        "tier_changes": [
            {"iso3": r[0], "year": r[1], "old": r[2], "new": r[3], "source_id": r[4]}
            for r in tier_changes
        ],
        "new_report_years": new_years,
        "revised_figures": [
            {"indicator": r[0], "area": r[1], "year": r[2], "breakdown": f"{r[3]}:{r[4]}",
             "old": r[5], "new": r[6], "source_id": r[7]}
            for r in revised
        ],
    }


__all__ = ["compare", "schema"]
