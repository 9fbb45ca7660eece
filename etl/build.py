"""Build a new database beside the published one, validate it, and swap it in atomically.

A failure anywhere (download, parse, validation, disk) deletes the half-built file and leaves
the published database byte-identical.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import countries, preference, registry, schema, tiers, validate
from etl.errors import EtlError, SourceError
from etl.fetch import Fetcher
from etl.source import (
    INDICATOR_COLUMNS,
    OBSERVATION_COLUMNS,
    OBSERVATION_OPTIONAL,
    RESPONSE_COLUMNS,
    TIER_OBS_COLUMNS,
    TIER_OBS_OPTIONAL,
    FetchedFile,
    Parsed,
    Source,
)

Progress = Callable[[str, str], None]  # (source id, stage)


@dataclass
class RefreshResult:
    run_id: str
    db_path: Path
    sources: list[str]
    seconds: float
    rows: dict[str, int]
    per_source: dict[str, dict[str, float | int]] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _check_columns(source: Source, frame: pd.DataFrame, needed: list[str], what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise SourceError(source.id, "(parser output)", f"{what} lacks columns {missing}")


def _load_parsed(
    con: duckdb.DuckDBPyConnection, source: Source, files: dict[str, FetchedFile], parsed: Parsed
) -> dict[str, int]:
    """Insert one source's provenance rows and values (already checked by ``run_parser``)."""
    for f in files.values():
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                f.source_id, source.id, f.name, source.publisher, source.title, f.url,
                f.fetched_from, f.via, source.licence, source.homepage, f.retrieved_at, f.sha256,
                f.bytes, int(parsed.rows_per_file.get(f.name, 0)), source.publish,
            ],
        )
    counts: dict[str, int] = {}
    prefix = source.id + "/"
    if parsed.tier_observations is not None and len(parsed.tier_observations):
        frame = _with_defaults(parsed.tier_observations, TIER_OBS_OPTIONAL)
        frame = frame.assign(source_id=prefix + frame["file"])
        _insert(con, "tier_observations", frame, {
            "iso3": "iso3", "report_year": "report_year::INTEGER", "tier": "tier",
            "name_as_published": "name_as_published", "source_id": "source_id",
            "list_complete": "list_complete", "cited_url": "cited_url", "note": "note",
            "secondary": "secondary::BOOLEAN",
        })
        counts["tier_observations"] = len(frame)
    if parsed.indicators is not None and len(parsed.indicators):
        frame = parsed.indicators.assign(dataset=source.id)
        _insert(con, "indicators", frame, {c: c for c in [*INDICATOR_COLUMNS, "dataset"]})
        counts["indicators"] = len(frame)
    if parsed.observations is not None and len(parsed.observations):
        frame = _with_defaults(parsed.observations, OBSERVATION_OPTIONAL)
        frame = frame.assign(source_id=prefix + frame["file"])
        _insert(con, "observations", frame, {
            **{c: c for c in OBSERVATION_COLUMNS if c != "file"},
            "year": "year::INTEGER", "value": "value::DOUBLE", "source_id": "source_id",
            "edition": "edition::VARCHAR", "preferred": "preferred::BOOLEAN",
            "preferred_reason": "preferred_reason::VARCHAR",
        })
        counts["observations"] = len(frame)
    if parsed.observation_conflicts is not None and len(parsed.observation_conflicts):
        frame = parsed.observation_conflicts.assign(
            source_id=prefix + parsed.observation_conflicts["file"],
            chosen_source_id=prefix + parsed.observation_conflicts["chosen_file"])
        _insert(con, "observation_conflicts", frame, {
            "indicator": "indicator", "area_code": "area_code", "year": "year::INTEGER",
            "breakdown_dim": "breakdown_dim", "breakdown": "breakdown", "source_id": "source_id",
            "edition": "edition::VARCHAR", "value": "value::DOUBLE",
            "chosen_source_id": "chosen_source_id", "chosen_edition": "chosen_edition::VARCHAR",
            "chosen_value": "chosen_value::DOUBLE", "reason": "reason",
        })
        counts["observation_conflicts"] = len(frame)
    if parsed.government_responses is not None and len(parsed.government_responses):
        frame = parsed.government_responses.assign(
            source_id=prefix + parsed.government_responses["file"])
        _insert(con, "government_responses", frame, {
            **{c: c for c in RESPONSE_COLUMNS if c != "file"},
            "report_year": "report_year::INTEGER", "statement_date": "statement_date::DATE",
            "source_id": "source_id",
        })
        counts["government_responses"] = len(frame)
    return counts


def _with_defaults(frame: pd.DataFrame, optional: dict[str, object]) -> pd.DataFrame:
    missing = {c: v for c, v in optional.items() if c not in frame.columns}
    return frame.assign(**missing) if missing else frame


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame,
            columns: dict[str, str]) -> None:
    """Insert ``frame`` into ``table``: target column -> SQL expression over the frame."""
    con.register("incoming", frame)
    try:
        con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(columns.values())} FROM incoming"
        )
    finally:
        con.unregister("incoming")


def _schema_version(path: Path) -> int | None:
    """The schema version of a published file, or None when it cannot be read."""
    try:
        with duckdb.connect(str(path), read_only=True) as old:
            row = old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        return None
    return int(row[0]) if row and str(row[0]).isdigit() else None


def _carry_over(con: duckdb.DuckDBPyConnection, old: Path, keep_out: list[str]) -> None:
    """Copy every other source's provenance, tier rows, indicators and the run history."""
    con.execute("ATTACH ? AS old (READ_ONLY)", [str(old)])
    try:
        placeholders = ", ".join("?" for _ in keep_out) or "''"
        con.execute(
            f"INSERT INTO sources SELECT * FROM old.sources WHERE dataset NOT IN ({placeholders})",
            keep_out,
        )
        con.execute(
            "INSERT INTO tier_observations SELECT o.* FROM old.tier_observations o "
            "JOIN sources s USING (source_id)"
        )
        con.execute(
            f"INSERT INTO indicators SELECT * FROM old.indicators "
            f"WHERE dataset NOT IN ({placeholders})",
            keep_out,
        )
        for table in ("observation_conflicts", "government_responses"):
            con.execute(f"INSERT INTO {table} SELECT o.* FROM old.{table} o "
                        "JOIN sources s USING (source_id)")
        con.execute("INSERT INTO etl_runs SELECT * FROM old.etl_runs")
    finally:
        con.execute("DETACH old")


def _carry_over_observations(con: duckdb.DuckDBPyConnection, old: Path, keep_out: list[str]) -> None:
    """Copy other sources' values, after the refreshed sources have registered their indicators
    (one source may use indicators another registers)."""
    con.execute("ATTACH ? AS old (READ_ONLY)", [str(old)])
    try:
        placeholders = ", ".join("?" for _ in keep_out) or "''"
        con.execute(
            "INSERT INTO observations SELECT o.* FROM old.observations o "
            f"JOIN sources s USING (source_id) WHERE s.dataset NOT IN ({placeholders})",
            keep_out,
        )
    finally:
        con.execute("DETACH old")


def _copy_history(con: duckdb.DuckDBPyConnection, old: Path) -> None:
    con.execute("ATTACH ? AS old (READ_ONLY)", [str(old)])
    try:
        con.execute("INSERT INTO etl_runs SELECT * FROM old.etl_runs")
    finally:
        con.execute("DETACH old")


def _fill_jurisdictions(con: duckdb.DuckDBPyConnection) -> None:
    codes = [
        r[0]
        for r in con.execute(
            "SELECT iso3 FROM tier_observations UNION "
            "SELECT area_code FROM observations WHERE area_kind = 'jurisdiction'"
        ).fetchall()
    ]
    rows = [countries.describe(c) for c in sorted(set(codes))]
    if rows:
        con.executemany(
            "INSERT INTO jurisdictions VALUES (?, ?, ?)", [(j.iso3, j.name, j.region) for j in rows]
        )


def run_parser(source: Source, files: dict[str, FetchedFile]) -> Parsed:
    """Parse and validate one source; any failure becomes an ``EtlError`` naming the source."""
    try:
        parsed = source.parse(files)
    except EtlError:
        raise
    except countries.UnresolvedNames as exc:
        raise SourceError(source.id, ", ".join(files), str(exc)) from exc
    except Exception as exc:  # a shape the parser did not foresee: report it, never crash
        raise SourceError(
            source.id, ", ".join(files), f"could not parse: {exc.__class__.__name__}: {exc}"
        ) from exc
    frames = (parsed.tier_observations, parsed.observations, parsed.government_responses)
    if not source.static_files and not any(f is not None and len(f) for f in frames):
        # An emptied file must never publish as "this source now has nothing". (A source of
        # static files only, the map geometry, has no rows by design.)
        raise SourceError(source.id, ", ".join(files), "no rows: the file holds no figures or "
                          "placements (empty, or a header only)")
    for frame, cols, check in (
        (parsed.tier_observations, TIER_OBS_COLUMNS, validate.tier_observations),
        (parsed.observations, OBSERVATION_COLUMNS, validate.observations),
        (parsed.indicators, INDICATOR_COLUMNS, None),
    ):
        if frame is not None and len(frame):
            _check_columns(source, frame, cols, "parser output")
            if check is not None:
                check(source, frame)
    return parsed


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in schema.TABLES}


def refresh(
    source_ids: list[str] | None = None,
    mirror: str | None = None,
    db_path: Path | None = None,
    progress: Progress | None = None,
) -> RefreshResult:
    """Refresh ``source_ids`` (all when empty) and publish; other sources are carried over."""
    from etl import config, diff

    db_path = Path(db_path or config.db_path())
    available = registry.all_sources()
    partial = bool(source_ids)
    chosen = [registry.get(s) for s in source_ids] if partial else list(available.values())
    if partial and (not db_path.exists() or _schema_version(db_path) != schema.SCHEMA_VERSION):
        # Rows of an older schema cannot be carried over column for column: rebuild everything.
        partial, chosen = False, list(available.values())
    skipped: list[str] = []
    if mirror is None and not source_ids:
        # Files compiled by our researchers have no publisher download: a full online refresh
        # keeps what the published database already holds for them instead of failing.
        skipped = [s.id for s in chosen if s.mirror_only]
        chosen = [s for s in chosen if not s.mirror_only]
        partial = partial or (bool(skipped) and db_path.exists()
                              and _schema_version(db_path) == schema.SCHEMA_VERSION)
    fetcher = Fetcher(mirror=mirror)
    run_id = uuid.uuid4().hex[:12]
    started = _now()
    t0 = time.perf_counter()
    new_path = db_path.with_name(f"{db_path.name}.building-{os.getpid()}-{run_id}")
    per_source: dict[str, dict[str, float | int]] = {}
    fetched_by_source: dict[str, dict[str, FetchedFile]] = {}
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(new_path))
    except (duckdb.Error, OSError) as exc:
        raise EtlError(
            f"cannot create the new database beside {db_path} ({exc.__class__.__name__}: {exc}); "
            "check that the folder exists, is writable and has free space. "
            "The published database is unchanged."
        ) from exc
    try:
        schema.create(con)
        if partial:
            _carry_over(con, db_path, [s.id for s in chosen])
        elif db_path.exists():
            _copy_history(con, db_path)
        for source in chosen:
            s0 = time.perf_counter()
            if progress:
                progress(source.id, "fetch")
            files = fetcher.fetch_source(source)
            fetched_by_source[source.id] = files
            if progress:
                progress(source.id, "parse")
            parsed = run_parser(source, files)
            if progress:
                progress(source.id, "load")
            counts = _load_parsed(con, source, files, parsed)
            per_source[source.id] = {**counts, "seconds": round(time.perf_counter() - s0, 2)}
        if partial:
            _carry_over_observations(con, db_path, [s.id for s in chosen])
        # An indicator no source gave a value for is not offered to readers.
        con.execute("DELETE FROM indicators WHERE code NOT IN (SELECT DISTINCT indicator FROM observations)")
        _fill_jurisdictions(con)
        # After every source (and every carried-over row): the choice spans sources.
        preference_stats = preference.apply(con)
        merge_stats = tiers.merge(con)
        validate.database(con)
        rows = table_counts(con)
        changes = diff.compare(con, db_path if db_path.exists() else None)
        summary = {
            "rows": rows,
            "per_source": per_source,
            "tiers": merge_stats,
            "preference": preference_stats,
            "skipped_mirror_only": skipped,
            "changes": changes,
            "seconds": round(time.perf_counter() - t0, 2),
        }
        con.execute(
            "INSERT INTO etl_runs VALUES (?, ?, ?, 'ok', ?, ?, ?)",
            [run_id, started, _now(), ",".join(s.id for s in chosen), mirror,
             json.dumps(summary, default=str)],
        )
        con.execute("INSERT OR REPLACE INTO meta VALUES ('built_at', ?)", [_now().isoformat()])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('run_id', ?)", [run_id])
        con.execute("CHECKPOINT")
        con.close()
        _fsync(new_path)
        os.replace(new_path, db_path)  # atomic on one filesystem: readers see old or new
        _publish_static(chosen, fetched_by_source)
    except BaseException as exc:
        try:
            con.close()
        except Exception:
            pass
        new_path.unlink(missing_ok=True)
        Path(str(new_path) + ".wal").unlink(missing_ok=True)
        if isinstance(exc, duckdb.Error | OSError):
            raise EtlError(
                f"writing the new database beside {db_path} failed ({exc.__class__.__name__}: "
                f"{exc}); the disk may be full or the folder read-only. "
                "The published database is unchanged."
            ) from exc
        raise
    return RefreshResult(
        run_id=run_id, db_path=db_path, sources=[s.id for s in chosen],
        seconds=round(time.perf_counter() - t0, 2), rows=rows, per_source=per_source,
        summary=summary,
    )


def _publish_static(chosen: list[Source], fetched: dict[str, dict[str, FetchedFile]]) -> None:
    from etl import config
    from etl.fetch import copy_into

    for source in chosen:
        for name in source.static_files:
            copy_into(fetched[source.id][name], config.STATIC_DIR / name)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
