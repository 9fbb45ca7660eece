"""What the database holds and where it came from: sources, tier conflicts, ETL runs."""

from __future__ import annotations

import json

import pandas as pd

from trafficking.db import query


def holdings() -> dict[str, object]:
    """Headline counts for the overview: places, years, datasets, files, indicators, values."""
    row = query("""
        SELECT
          (SELECT count(DISTINCT iso3) FROM tip_tiers) AS tier_places,
          (SELECT min(report_year) FROM tip_tiers) AS first_report,
          (SELECT max(report_year) FROM tip_tiers) AS last_report,
          (SELECT count(DISTINCT dataset) FROM sources) AS datasets,
          (SELECT count(*) FROM sources) AS files,
          (SELECT count(*) FROM indicators) AS indicators,
          (SELECT count(value) FROM observations) AS values,
          (SELECT count(DISTINCT area_code) FROM observations
             WHERE area_kind = 'jurisdiction') AS value_places,
          (SELECT value FROM meta WHERE key = 'built_at') AS built_at
    """).iloc[0]
    return row.to_dict()


def run_id() -> str:
    """The run id of the refresh that built the database ('' for a database without one)."""
    frame = query("SELECT value FROM meta WHERE key = 'run_id'")
    return "" if frame.empty else str(frame.iloc[0, 0])


def sources_table() -> pd.DataFrame:
    """One row per raw file, newest information first within each dataset."""
    return query("""
        SELECT dataset, file, publisher, title, address, homepage, licence,
               retrieved_at, sha256, bytes, rows, published, source_id
        FROM sources ORDER BY dataset, file
    """)


def datasets() -> pd.DataFrame:
    """One row per dataset: publisher, title, files, rows, what it supplies."""
    return query("""
        SELECT s.dataset, any_value(s.publisher) AS publisher, any_value(s.title) AS title,
               any_value(s.licence) AS licence, any_value(s.homepage) AS homepage,
               count(*) AS files, sum(s.rows) AS rows, bool_and(s.published) AS published,
               max(s.retrieved_at) AS retrieved_at,
               (SELECT count(*) FROM tip_tiers t
                  WHERE t.source_id IN (SELECT source_id FROM sources x
                                        WHERE x.dataset = s.dataset)) AS tiers_published,
               (SELECT count(*) FROM indicators i WHERE i.dataset = s.dataset) AS indicators
        FROM sources s GROUP BY s.dataset ORDER BY s.dataset
    """)


def conflicts() -> pd.DataFrame:
    """Every tier statement that lost to a preferred source, with the reason."""
    return query("""
        SELECT c.report_year, j.name, c.iso3, c.tier, c.source_id, c.chosen_tier,
               c.chosen_source_id, c.reason
        FROM tier_conflicts c LEFT JOIN jurisdictions j USING (iso3)
        ORDER BY c.report_year, j.name
    """)


def figure_conflicts() -> pd.DataFrame:
    """Every statement of a figure that disagrees with the charted one, with the reason."""
    return query("""
        SELECT i.name AS indicator_name, c.indicator, c.area_code,
               coalesce(a.name, c.area_code) AS area, c.year,
               CASE WHEN c.breakdown = '' THEN '' ELSE c.breakdown END AS breakdown,
               c.value, c.edition, c.source_id, c.chosen_value, c.chosen_edition,
               c.chosen_source_id, c.reason
        FROM observation_conflicts c
        LEFT JOIN indicators i ON i.code = c.indicator
        LEFT JOIN areas a ON a.code = c.area_code
        ORDER BY i.name, area, c.year, c.breakdown, c.source_id
    """)


def indicator_summary() -> pd.DataFrame:
    """Indicators per dataset with the number of values and the years they cover."""
    return query("""
        SELECT i.dataset, i.publisher, count(DISTINCT i.code) AS indicators,
               count(o.value) AS values, min(o.year) AS first_year, max(o.year) AS last_year
        FROM indicators i LEFT JOIN observations o ON o.indicator = i.code
        GROUP BY i.dataset, i.publisher ORDER BY i.dataset, i.publisher
    """)


def runs() -> pd.DataFrame:
    """ETL run history, newest first, with the row counts and timings from each summary."""
    frame = query("""
        SELECT run_id, started_at, finished_at, status, sources, mirror, summary
        FROM etl_runs ORDER BY started_at DESC
    """)
    parsed = [summarise_run(s) for s in frame["summary"]]
    # Which kind of store a run read, never its path or host (a server detail).
    out = frame.drop(columns=["summary", "mirror"])
    out["read_from"] = ["project snapshots" if m else "publishers' addresses"
                        for m in frame["mirror"]]
    out["seconds"] = [p["seconds"] for p in parsed]
    out["tip_tiers"] = [p["tip_tiers"] for p in parsed]
    out["observations"] = [p["observations"] for p in parsed]
    out["conflicts"] = [p["conflicts"] for p in parsed]
    return out  # ``sources`` stays 'a,b,c': the page words it (present/text_sources.py)


def summarise_run(summary: str | None) -> dict[str, object]:
    """Seconds, tip_tiers / observations rows and tier conflicts from a run's JSON summary."""
    empty: dict[str, object] = {"seconds": None, "tip_tiers": None, "observations": None,
                                "conflicts": None}
    if not summary:
        return empty
    try:
        data = json.loads(summary)
    except (TypeError, ValueError):
        return empty
    if not isinstance(data, dict):
        return empty
    rows = data.get("rows") if isinstance(data.get("rows"), dict) else {}
    return {"seconds": data.get("seconds"), "tip_tiers": rows.get("tip_tiers"),
            "observations": rows.get("observations"), "conflicts": rows.get("tier_conflicts")}
