"""Checks on parsed rows and on the finished database, before anything is published."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from etl.errors import EtlError, SourceError
from etl.schema import TIERS
from etl.source import Source

FIRST_YEAR = 2000


def last_year() -> int:
    return date.today().year + 1


def _first_bad(frame: pd.DataFrame, mask: pd.Series) -> pd.Series | None:
    bad = frame[mask]
    return None if bad.empty else bad.iloc[0]


def tier_observations(source: Source, frame: pd.DataFrame) -> None:
    row = _first_bad(frame, ~frame["tier"].isin(TIERS))
    if row is not None:
        raise SourceError(source.id, row["file"], "unknown tier", column="tier", value=row["tier"])
    years = pd.to_numeric(frame["report_year"], errors="coerce")
    row = _first_bad(frame, years.isna() | (years < FIRST_YEAR) | (years > last_year()))
    if row is not None:
        raise SourceError(
            source.id, row["file"], f"report year outside {FIRST_YEAR}–{last_year()}",
            column="report_year", value=row["report_year"],
        )
    row = _first_bad(frame, ~frame["iso3"].astype(str).str.fullmatch(r"[A-Z]{3}"))
    if row is not None:
        raise SourceError(source.id, row["file"], "bad ISO code", column="iso3", value=row["iso3"])
    dup = frame.duplicated(["iso3", "report_year", "file", "name_as_published", "tier", "cited_url"])
    row = _first_bad(frame, dup)
    if row is not None:
        raise SourceError(
            source.id, row["file"], "duplicated row", column="name_as_published",
            value=f"{row['name_as_published']} {row['report_year']}",
        )


def observations(source: Source, frame: pd.DataFrame) -> None:
    years = pd.to_numeric(frame["year"], errors="coerce")
    row = _first_bad(frame, years.isna() | (years < 1990) | (years > last_year()))
    if row is not None:
        raise SourceError(source.id, row["file"], "year out of range", column="year", value=row["year"])
    values = pd.to_numeric(frame["value"], errors="coerce")
    row = _first_bad(frame, frame["value"].notna() & values.isna())
    if row is not None:
        raise SourceError(source.id, row["file"], "value is not a number", column="value",
                          value=row["value"])
    # Some scores are signed (Walk Free's government response subtracts for harmful policies):
    # a parser marks those rows with an optional boolean column ``may_be_negative``.
    signed = (frame["may_be_negative"].fillna(False).astype(bool) if "may_be_negative" in frame
              else pd.Series(False, index=frame.index))
    row = _first_bad(frame, (values < 0) & ~signed)
    if row is not None:
        raise SourceError(source.id, row["file"], "negative value", column="value",
                          value=row["value"])
    # One page (or cell) stating one figure twice is a duplicated row, not a second source.
    key = [c for c in ("indicator", "area_code", "year", "breakdown_dim", "breakdown", "file",
                       "cited_url", "quote", "edition") if c in frame.columns]
    row = _first_bad(frame, frame.duplicated(key))
    if row is not None:
        raise SourceError(
            source.id, row["file"], "the same figure is stated twice by one page",
            column="indicator",
            value=f"{row['indicator']} {row['area_code']} {row['year']} {row['breakdown']}".strip())


def database(con: duckdb.DuckDBPyConnection) -> None:
    """Whole-database checks: every value must trace to a source row."""
    orphans = con.execute(
        "SELECT count(*) FROM tip_tiers t LEFT JOIN sources s USING (source_id) "
        "WHERE s.source_id IS NULL"
    ).fetchone()[0]
    if orphans:
        raise EtlError(f"{orphans} tier rows have no source row")
    unknown = con.execute(
        "SELECT DISTINCT o.indicator FROM observations o LEFT JOIN indicators i "
        "ON i.code = o.indicator WHERE i.code IS NULL"
    ).fetchall()
    if unknown:
        raise EtlError(f"observations name unregistered indicators: {[u[0] for u in unknown]}")
