"""Build a new database beside the published one, validate it, and swap it in atomically.

``refresh`` reads as its four steps: ``_plan`` (what to fetch and what to carry over, from the
published file), ``_build`` into a temporary file, ``_validate``, ``_publish``. Sources load in
two phases: every chosen source is fetched and parsed, every source registers its files and
indicators, then the values load, so a source may use indicators another source registers.

A failure anywhere (download, parse, validation, disk, a change guard) deletes the half-built file
and leaves the published database byte-identical. One refresh runs at a time per database (a lock
file beside it); everything that can fail for want of space or permission, including the static
map files, is written before the swap, and a failure after it says exactly what was published.
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import (
    areas,
    config,
    countries,
    diff,
    package,
    preference,
    publish,
    registry,
    schema,
    tiers,
    validate,
)
from etl.errors import EtlError, SourceError
from etl.fetch import Fetcher
from etl.source import (
    AREA_GROUP_COLUMNS,
    INDICATOR_COLUMNS,
    OBSERVATION_COLUMNS,
    OBSERVATION_OPTIONAL,
    RESPONSE_COLUMNS,
    TIER_OBS_COLUMNS,
    TIER_OBS_OPTIONAL,
    FetchedFile,
    Parsed,
    Source,
    with_observation_facts,
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
    """Insert one source's provenance rows, indicators and values (already checked by
    ``run_parser``). A refresh of several sources runs the two halves as separate phases."""
    return {**_register(con, source, files, parsed), **_load_values(con, source, parsed)}


def _register(
    con: duckdb.DuckDBPyConnection, source: Source, files: dict[str, FetchedFile], parsed: Parsed
) -> dict[str, int]:
    """What other rows reference: one source's provenance rows and the indicators it registers."""
    if files:
        # One statement for the source's files: each statement on the new file is its own
        # commit, and 91 of them (one per file) took a quarter of a second.
        rows = [[
            f.source_id, source.id, f.name, source.publisher, source.title, f.url,
            f.fetched_from, f.via, source.licence, source.homepage, f.retrieved_at, f.sha256,
            f.bytes, int(parsed.rows_per_file.get(f.name, 0)), source.publish,
            source.description or None,
        ] for f in files.values()]
        con.execute(
            "INSERT INTO sources VALUES "
            + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows)),
            [value for row in rows for value in row],
        )
    counts: dict[str, int] = {}
    if parsed.indicators is not None and len(parsed.indicators):
        _check_unregistered(con, source, parsed.indicators)
        frame = parsed.indicators.assign(dataset=source.id)
        _insert(con, "indicators", frame, {c: c for c in [*INDICATOR_COLUMNS, "dataset"]} | {
            "edition_year": "edition_year::INTEGER", "rate_base": "rate_base::DOUBLE"})
        counts["indicators"] = len(frame)
    return counts


def _load_values(con: duckdb.DuckDBPyConnection, source: Source, parsed: Parsed) -> dict[str, int]:
    """One source's tier statements, observations, conflicts and responses, once every source's
    indicators are registered."""
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
    if parsed.observations is not None and len(parsed.observations):
        _check_registered(con, source, parsed.observations)
        frame = _with_defaults(with_observation_facts(parsed.observations), OBSERVATION_OPTIONAL)
        frame = frame.assign(source_id=prefix + frame["file"])
        _insert(con, "observations", frame, {
            **{c: c for c in OBSERVATION_COLUMNS if c != "file"},
            "year": "year::INTEGER", "value": "value::DOUBLE", "source_id": "source_id",
            "edition": "edition::VARCHAR", "preferred": "preferred::BOOLEAN",
            "preferred_reason": "preferred_reason::VARCHAR", "is_total": "is_total::BOOLEAN",
            "series_break": "series_break::BOOLEAN",
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
    if parsed.map_shapes is not None and len(parsed.map_shapes):
        frame = parsed.map_shapes.assign(source_id=prefix + parsed.map_shapes["file"])
        _insert(con, "map_shapes", frame, {
            "code": "code", "outline": "outline", "marker_lon": "marker_lon::DOUBLE",
            "marker_lat": "marker_lat::DOUBLE", "marker_reason": "marker_reason::VARCHAR",
            "source_id": "source_id"})
        counts["map_shapes"] = len(frame)
    if parsed.area_groups is not None and len(parsed.area_groups):
        frame = parsed.area_groups.assign(source_id=prefix + parsed.area_groups["file"])
        _insert(con, "area_groups", frame, {c: c for c in [*AREA_GROUP_COLUMNS, "source_id"]
                                            if c != "file"})
        counts["area_groups"] = len(frame)
    return counts


def _check_unregistered(con: duckdb.DuckDBPyConnection, source: Source,
                        frame: pd.DataFrame) -> None:
    """Name the indicator another source already registers, rather than fail on the key: one
    code has one definition, and one source owns it."""
    codes = [str(c) for c in frame["code"]]
    taken = con.execute("SELECT code, dataset FROM indicators WHERE code = ANY(?) ORDER BY code",
                        [codes]).fetchall()
    if taken:
        code, owner = taken[0]
        raise SourceError(
            source.id, "(indicators)", f"indicator {code!r} is already registered by source "
            f"{owner!r}; one code has one definition: use that source's indicator or another "
            "code", column="code", value=code)


def _check_registered(con: duckdb.DuckDBPyConnection, source: Source, frame: pd.DataFrame) -> None:
    """Name the row whose indicator no source registers, rather than fail on the constraint."""
    known = {r[0] for r in con.execute("SELECT code FROM indicators").fetchall()}
    bad = frame[~frame["indicator"].isin(known)]
    if len(bad):
        first = bad.iloc[0]
        row = first.get("row")
        raise SourceError(
            source.id, str(first["file"]), "an observation of an indicator no source registers "
            f"(unknown: {', '.join(sorted(set(bad['indicator'].astype(str))))})",
            column="indicator", value=first["indicator"],
            row=int(row) if row is not None and pd.notna(row) else None)


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
        for table in ("observation_conflicts", "government_responses", "map_shapes",
                      "area_groups"):
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
        dropped = con.execute(
            "SELECT o.source_id, o.indicator, any_value(i.dataset) FROM old.observations o "
            "JOIN sources s USING (source_id) LEFT JOIN indicators n ON n.code = o.indicator "
            "LEFT JOIN old.indicators i ON i.code = o.indicator "
            f"WHERE s.dataset NOT IN ({placeholders}) AND n.code IS NULL "
            "GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1", keep_out).fetchone()
        if dropped is not None:
            source_id, code, registrar = dropped
            dataset, _, file = source_id.partition("/")
            raise SourceError(
                dataset, file, f"its published observations use an indicator that {registrar} "
                f"no longer registers; refresh {dataset} together with {registrar}, or restore "
                "the indicator", column="indicator", value=code)
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
        # One INSERT from a frame, not ``executemany``: that runs (and commits) one statement
        # per row.
        frame = pd.DataFrame([(j.iso3, j.name, j.region, j.iso2) for j in rows],
                             columns=["iso3", "name", "region", "iso2"], dtype=object)
        _insert(con, "jurisdictions", frame, {"iso3": "iso3", "name": "name",
                                              "region": "region", "iso2": "iso2::VARCHAR"})


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
        (parsed.indicators, INDICATOR_COLUMNS, validate.indicators),
    ):
        if frame is not None and len(frame):
            _check_columns(source, frame, cols, "parser output")
            if check is not None:
                check(source, frame)
    return parsed


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in schema.TABLES}


class PublishedWithErrors(EtlError):
    """The new database was swapped in, but a later step (the map geometry) failed."""


@dataclass
class _Published:
    """What the published file is, read before anything is built."""

    exists: bool
    version: int | None = None
    problem: str | None = None  # why it cannot be used: corrupt, or not this project's database
    history: bool = False  # its etl_runs can be copied row for row

    @property
    def current(self) -> bool:
        return self.exists and self.problem is None and self.version == schema.SCHEMA_VERSION


def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def lock(db_path: Path) -> Iterator[None]:
    """Hold ``<db>.lock`` for the whole refresh: a second refresh of the same file refuses at once.

    ``flock`` is dropped by the kernel when its holder dies, so a lock file left by a killed run
    never blocks the next one; the pid and start time written into it only name the holder."""
    lock_path = _lock_path(db_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise EtlError(
            f"cannot create the new database beside {db_path}: its lock file {lock_path} cannot be "
            f"created ({exc.__class__.__name__}: {exc}); check that the folder exists, is writable "
            "and has free space. The published database is unchanged."
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise EtlError(
                f"another refresh ({_lock_holder(fd)}) is running on {db_path}; wait for it to "
                f"finish, or remove {lock_path} if no refresh is running. Nothing was published "
                "by this run."
            ) from None
        except OSError as exc:  # e.g. a network filesystem without locks
            raise EtlError(f"cannot lock {lock_path} ({exc.__class__.__name__}: {exc}); "
                           "nothing was published") from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "started": _now().isoformat(
            timespec="seconds")}).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the flock


def _lock_holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        info = {}
    # The holder may not have written its line yet: say so rather than guess.
    return f"pid {info.get('pid', 'unknown')}, started {info.get('started', 'unknown')} UTC"


def _remove_stale(db_path: Path) -> list[str]:
    """Remove what killed refreshes left: half-built files with their WALs, and a WAL beside the
    published file. Only called while holding the lock, so no live refresh owns any of them; the
    published file is only ever opened read-only by readers, so a WAL beside it can only come
    from a killed writer (and would be replayed into the next reader's view)."""
    stale = sorted([*db_path.parent.glob(glob.escape(db_path.name) + ".building-*"),
                    *db_path.parent.glob(glob.escape(db_path.name) + ".link-*")])
    stale.append(db_path.with_name(db_path.name + ".wal"))
    removed = []
    for path in stale:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path.name)
    return removed


def _expected_columns() -> dict[str, list[tuple[str, str]]]:
    with duckdb.connect(":memory:") as con:
        schema.create(con)
        return _columns(con)


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() ORDER BY table_name, column_index"
    ).fetchall():
        out.setdefault(table, []).append((column, kind))
    return out


def _check_published(db_path: Path) -> _Published:
    """Open the published file read-only and check it is a database of this project: a corrupt
    or foreign file must lead to a rebuild, not to a refresh that fails on it forever."""
    if not db_path.exists():
        return _Published(exists=False)
    try:
        with duckdb.connect(str(db_path), read_only=True) as old:
            have = _columns(old)
            if "meta" not in have:
                return _Published(exists=True, problem="it has no table meta")
            row = old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if not row or not str(row[0]).isdigit():
                return _Published(exists=True, problem="it records no schema version")
            version = int(row[0])
            want = _expected_columns()
            if version == schema.SCHEMA_VERSION:
                missing = [t for t in schema.TABLES if t not in have]
                if missing:
                    return _Published(exists=True, version=version,
                                      problem=f"tables missing: {', '.join(missing)}")
                wrong = [t for t in schema.TABLES if have[t] != want[t]]
                if wrong:
                    return _Published(exists=True, version=version,
                                      problem=f"tables of another shape: {', '.join(wrong)}")
                for table in schema.TABLES:  # reads each table, not only the catalogue
                    old.execute(f"SELECT count(*) FROM {table}").fetchone()
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0] if str(exc) else ""
        return _Published(exists=True, problem=f"{exc.__class__.__name__}: {reason}"[:300])
    # An older schema is rebuilt from all sources; its history is kept when it fits row for row.
    return _Published(exists=True, version=version,
                      history=have.get("etl_runs") == want["etl_runs"])


def _reading_old(db_path: Path, step: Callable, *args):
    """Run a step that reads the published file; a database error there is about the OLD file
    (damaged, or changed behind our back), not about the disk we write to."""
    try:
        return step(*args)
    except duckdb.Error as exc:
        if ".building-" in str(exc) or isinstance(exc, duckdb.FatalException):
            raise  # the new file's write failed: reported as a write failure
        raise EtlError(
            f"reading the published database {db_path} failed ({exc.__class__.__name__}: "
            f"{' '.join(str(exc).split())[:300]}); it may be damaged or was changed by another "
            "program. Nothing was published; the published database is unchanged."
        ) from exc


def _guard_changes(changes: dict, refreshed: list[str],
                   accept_change: Collection[str]) -> dict[str, dict[str, int]]:
    """Refuse a source whose rows collapsed or exploded against the published database: far more
    often a broken download or parser than a real revision. Returns the changes accepted."""
    before_all = changes.get("source_rows_before", {})
    after_all = changes.get("source_rows_after", {})
    accepted: dict[str, dict[str, int]] = {}
    refused: list[str] = []
    for sid in refreshed:
        before, after = int(before_all.get(sid, 0)), int(after_all.get(sid, 0))
        if before == 0 or before / 2 <= after <= before * 10:
            continue  # new to the database, or within bounds
        if sid in accept_change:
            accepted[sid] = {"before": before, "after": after}
            continue
        pct = f"{(after - before) / before * 100:+.1f}%".replace("-", "−")
        refused.append(f"[{sid}] would go from {before:,} to {after:,} rows ({pct})")
    if refused:
        flags = " ".join(f"--accept-change {r.split(']')[0][1:]}" for r in refused)
        raise EtlError("; ".join(refused) + "; nothing was published. If this is right, run again "
                       f"with {flags}")
    return accepted


def _build_failure(exc: BaseException, db_path: Path) -> EtlError | None:
    """The analyst's message for a failure before the swap; None: re-raise as it is."""
    if isinstance(exc, EtlError):
        return None
    if isinstance(exc, OSError | duckdb.IOException | duckdb.FatalException):
        # Only a failed write means "disk full or read-only"; a FatalException is DuckDB
        # invalidating the new file after such a write.
        return EtlError(
            f"writing the new database beside {db_path} failed ({exc.__class__.__name__}: "
            f"{exc}); the disk may be full or the folder read-only. "
            "The published database is unchanged."
        )
    return None  # a bug: the command line logs its traceback


def refresh(
    source_ids: list[str] | None = None,
    mirror: str | None = None,
    db_path: Path | None = None,
    progress: Progress | None = None,
    accept_change: Collection[str] = (),
    write_package: bool = True,
) -> RefreshResult:
    """Refresh ``source_ids`` (all when empty) and publish; other sources are carried over.

    ``accept_change``: sources allowed to lose more than half their rows or grow tenfold.
    ``write_package``: rewrite the open data package beside the database after publishing."""
    db_path = Path(db_path or config.db_path())
    for sid in [*(source_ids or []), *accept_change]:
        registry.get(sid)  # an unknown id fails before anything is locked or built
    with lock(db_path):
        removed = _remove_stale(db_path)
        result = _refresh_locked(source_ids, mirror, db_path, progress, set(accept_change),
                                 removed)
        if write_package:
            _write_package(result)
        return result


def _write_package(result: RefreshResult) -> None:
    """The data package of the database just published: a failure here leaves the database
    published and the previous package in place, and says so."""
    try:
        result.summary["package"] = str(package.write(result.db_path))
    except EtlError as exc:
        result.summary["notices"].append(
            f"the database is published but the data package was not updated ({exc}); "
            "`python -m etl package` writes it again")


def _refresh_locked(source_ids: list[str] | None, mirror: str | None, db_path: Path,
                    progress: Progress | None, accept_change: set[str],
                    removed: list[str]) -> RefreshResult:
    """Plan, build into a temporary file, validate, publish. Until ``_publish`` the published
    file is never touched; any failure before it deletes the temporary file."""
    plan = _plan(source_ids, mirror, db_path, accept_change, removed)
    staged: list[tuple[Path, Path]] = []
    with _temporary_database(plan, staged) as con:
        built = _build(con, plan, progress)
        summary = _validate(con, plan, built)
        _seal(con, plan, summary)
        # Everything that can fail for want of space or permission happens before the swap.
        _stage_static(plan.chosen, built.fetched, plan.run_id, staged)
    _publish(plan, staged, summary)
    return RefreshResult(
        run_id=plan.run_id, db_path=db_path, sources=plan.refreshed,
        seconds=round(time.perf_counter() - plan.t0, 2), rows=summary["rows"],
        per_source=built.per_source, summary=summary,
    )


@dataclass
class _Plan:
    """What a refresh will do, decided from the published file before anything is fetched."""

    db_path: Path
    mirror: str | None
    published: _Published
    chosen: list[Source]
    partial: bool  # the sources not chosen are carried over from the published file
    skipped: list[str]  # mirror-only sources an online refresh keeps as published
    accept_change: set[str]
    removed: list[str]  # stale files of killed refreshes, already deleted
    notices: list[str]
    fetcher: Fetcher
    keep: int  # published versions kept for rollback
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    started: datetime = field(default_factory=_now)
    t0: float = field(default_factory=time.perf_counter)

    @property
    def refreshed(self) -> list[str]:
        return [s.id for s in self.chosen]

    @property
    def old(self) -> Path | None:
        """The published file to compare with, when it is readable."""
        return self.db_path if self.published.exists and not self.published.problem else None

    @property
    def history_lost(self) -> bool:
        return self.published.exists and not self.partial and not self.published.history

    @property
    def new_path(self) -> Path:
        return self.db_path.with_name(f"{self.db_path.name}.building-{os.getpid()}-{self.run_id}")


def _plan(source_ids: list[str] | None, mirror: str | None, db_path: Path,
          accept_change: set[str], removed: list[str]) -> _Plan:
    published = _check_published(db_path)
    available = registry.all_sources()
    partial = bool(source_ids)
    chosen = [registry.get(s) for s in source_ids] if partial else list(available.values())
    if partial and not published.current:
        # Rows of an older schema, or of an unreadable file, cannot be carried over column for
        # column: rebuild everything.
        partial, chosen = False, list(available.values())
    skipped: list[str] = []
    if mirror is None and not source_ids:
        # Files compiled by our researchers have no publisher download: a full online refresh
        # keeps what the published database already holds for them instead of failing.
        skipped = [s.id for s in chosen if s.mirror_only]
        chosen = [s for s in chosen if not s.mirror_only]
        partial = partial or (bool(skipped) and published.current)
    notices: list[str] = []
    if published.problem:
        notices.append(
            f"the published database at {db_path} is unreadable (corrupt or not a database of "
            f"this project): {published.problem}; rebuilding it from all sources — its run "
            "history is lost")
    return _Plan(
        db_path=db_path, mirror=mirror, published=published, chosen=chosen, partial=partial,
        skipped=skipped, accept_change=accept_change, removed=removed, notices=notices,
        fetcher=Fetcher(mirror=mirror),
        keep=int(config.number("TRAFFICKING_KEEP_PUBLISHED", publish.KEEP, minimum=0)),
    )


@contextmanager
def _temporary_database(plan: _Plan,
                        staged: list[tuple[Path, Path]]) -> Iterator[duckdb.DuckDBPyConnection]:
    """The new database beside the published one; any failure (even an interrupt) deletes it
    and what was staged, and says what went wrong in the analyst's words."""
    new_path = plan.new_path
    try:
        con = duckdb.connect(str(new_path))
    except (duckdb.Error, OSError) as exc:
        raise EtlError(
            f"cannot create the new database beside {plan.db_path} ({exc.__class__.__name__}: "
            f"{exc}); check that the folder exists, is writable and has free space. "
            "The published database is unchanged."
        ) from exc
    try:
        yield con
    except BaseException as exc:
        try:
            con.close()
        except Exception:
            pass
        new_path.unlink(missing_ok=True)
        Path(str(new_path) + ".wal").unlink(missing_ok=True)
        _unstage(staged)
        message = _build_failure(exc, plan.db_path)
        if message is None:
            raise
        raise message from exc


@dataclass
class _Built:
    """What building the new database produced, before it is validated."""

    fetched: dict[str, dict[str, FetchedFile]]
    per_source: dict[str, dict[str, float | int]]
    tiers: dict
    preference: dict


def _build(con: duckdb.DuckDBPyConnection, plan: _Plan, progress: Progress | None) -> _Built:
    with _one_commit(con):
        schema.create(con)
    if plan.partial:
        _reading_old(plan.db_path, _carry_over, con, plan.db_path, plan.refreshed)
    elif plan.old is not None and plan.published.history:
        _reading_old(plan.db_path, _copy_history, con, plan.db_path)
    with _one_commit(con):
        fetched, per_source = _load_chosen(con, plan, progress)
    if plan.partial:
        _reading_old(plan.db_path, _carry_over_observations, con, plan.db_path, plan.refreshed)
    with _one_commit(con):
        # An indicator no source gave a value for is not offered to readers.
        con.execute("DELETE FROM indicators WHERE code NOT IN "
                    "(SELECT DISTINCT indicator FROM observations)")
        _fill_jurisdictions(con)
        areas.fill(con)
        # After every source (and every carried-over row): the choice spans sources.
        preference_stats = preference.apply(con)
        merge_stats = tiers.merge(con)
    return _Built(fetched=fetched, per_source=per_source, tiers=merge_stats,
                  preference=preference_stats)


@contextmanager
def _one_commit(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run a step's statements as one transaction. Each statement on its own is a commit,
    and every commit syncs the file's write-ahead log to disk: the hundred or so inserts and
    updates of a build spent more time waiting for the disk than working. (Not around the
    steps that attach the published file: a database a transaction has read from cannot be
    detached before it ends.) A failure rolls back; the temporary file is deleted anyway."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the transaction is already gone (a failed write invalidates it)
        raise
    con.execute("COMMIT")


def _load_chosen(con: duckdb.DuckDBPyConnection, plan: _Plan, progress: Progress | None
                 ) -> tuple[dict[str, dict[str, FetchedFile]], dict[str, dict[str, float | int]]]:
    """Fetch and parse every chosen source, then register every source's files and indicators,
    then load the values: an observation may use an indicator any source registers, whatever
    the order of the source modules' names."""
    parts: list[tuple[Source, dict[str, FetchedFile], Parsed]] = []
    seconds: dict[str, float] = {}
    for source in plan.chosen:
        s0 = time.perf_counter()
        _tell(progress, source.id, "fetch")
        files = plan.fetcher.fetch_source(source)
        _tell(progress, source.id, "parse")
        parts.append((source, files, run_parser(source, files)))
        seconds[source.id] = time.perf_counter() - s0
    counts: dict[str, dict[str, int]] = {}
    for source, files, parsed in parts:
        s0 = time.perf_counter()
        _tell(progress, source.id, "load")
        counts[source.id] = _register(con, source, files, parsed)
        seconds[source.id] += time.perf_counter() - s0
    for source, _files, parsed in parts:
        s0 = time.perf_counter()
        counts[source.id].update(_load_values(con, source, parsed))
        seconds[source.id] += time.perf_counter() - s0
    fetched = {source.id: files for source, files, _parsed in parts}
    per_source = {sid: {**counts[sid], "seconds": round(seconds[sid], 2)} for sid in counts}
    return fetched, per_source


def _tell(progress: Progress | None, source_id: str, stage: str) -> None:
    if progress:
        progress(source_id, stage)


def _validate(con: duckdb.DuckDBPyConnection, plan: _Plan, built: _Built) -> dict:
    """Check the new database on its own and against the published one; returns the run's
    summary. Raises before anything is published."""
    validate.database(con)
    rows = table_counts(con)
    changes = _reading_old(plan.db_path, diff.compare, con, plan.old)
    # Against an older schema's file the counts are not comparable: it is rebuilt whole.
    accepted = (_guard_changes(changes, plan.refreshed, plan.accept_change)
                if plan.published.current else {})
    return {
        "rows": rows,
        "per_source": built.per_source,
        "tiers": built.tiers,
        "preference": built.preference,
        "skipped_mirror_only": plan.skipped,
        "changes": changes,
        "accepted_changes": accepted,
        "stale_removed": plan.removed,
        "published_unreadable": plan.published.problem,
        "history_lost": plan.history_lost,
        "notices": plan.notices,
        "seconds": round(time.perf_counter() - plan.t0, 2),
    }


def _seal(con: duckdb.DuckDBPyConnection, plan: _Plan, summary: dict) -> None:
    """Record the run in the new file, then close it and put it on disk."""
    with _one_commit(con):
        con.execute(
            "INSERT INTO etl_runs VALUES (?, ?, ?, 'ok', ?, ?, ?)",
            [plan.run_id, plan.started, _now(), ",".join(plan.refreshed), plan.mirror,
             json.dumps(summary, default=str)],
        )
        con.execute("INSERT OR REPLACE INTO meta VALUES ('built_at', ?)", [_now().isoformat()])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('run_id', ?)", [plan.run_id])
    con.execute("CHECKPOINT")
    con.close()
    _fsync(plan.new_path)


def _publish(plan: _Plan, staged: list[tuple[Path, Path]], summary: dict) -> None:
    """Swap the new file in, then the map geometry, then prune old versions; after the swap a
    failure says the database WAS published."""
    _swap(plan.new_path, plan.db_path, staged, plan.run_id)
    try:
        _install_static(staged)
    except BaseException as exc:  # even an interrupt: the database is already published
        _unstage(staged)
        raise PublishedWithErrors(
            f"the new database WAS published (run {plan.run_id}) at {plan.db_path}; the map "
            f"geometry in {staged[0][1].parent if staged else 'static/'} was not updated: "
            f"{exc.__class__.__name__}: {exc}. Maps show the previous outlines until "
            "`python -m etl refresh world-geometry` succeeds."
        ) from exc
    try:
        summary["pruned_versions"] = [p.name for p in publish.prune(plan.db_path, plan.keep)]
    except OSError as exc:  # an old version that cannot be removed costs disk, nothing else
        summary["notices"].append(f"could not remove old published versions: {exc}")


def _swap(new_path: Path, db_path: Path, staged: list[tuple[Path, Path]], run_id: str) -> None:
    try:
        # A versioned file, then the stable path re-pointed at it by one atomic rename: readers
        # see the old file or the new one (etl/publish.py).
        publish.publish(new_path, db_path, run_id)
    except BaseException as exc:
        now = publish.current(db_path)
        if now is not None and run_id in now.name:
            raise  # the pointer did move (an interrupt just after it): nothing to undo
        new_path.unlink(missing_ok=True)
        _unstage(staged)
        if isinstance(exc, OSError):
            raise EtlError(f"swapping the new database in at {db_path} failed "
                           f"({exc.__class__.__name__}: {exc}). The published database is "
                           "unchanged.") from exc
        raise


def _stage_static(chosen: list[Source], fetched: dict[str, dict[str, FetchedFile]], run_id: str,
                  staged: list[tuple[Path, Path]]) -> list[tuple[Path, Path]]:
    """Copy static files beside their targets under temporary names, so that after the database
    swap only renames on the same filesystem are left to do. Appends to ``staged`` as it goes,
    so a failure half-way can remove what was copied."""
    try:
        for source in chosen:
            for name in source.static_files:
                dest = config.STATIC_DIR / name
                tmp = dest.with_name(f".{dest.name}.staging-{run_id}")
                staged.append((tmp, dest))
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(fetched[source.id][name].path, tmp)
    except OSError as exc:
        raise EtlError(
            f"cannot copy the map geometry into {config.STATIC_DIR} ({exc.__class__.__name__}: "
            f"{exc}); check that it is a writable folder. Nothing was published; the published "
            "database is unchanged."
        ) from exc
    return staged


def _install_static(staged: list[tuple[Path, Path]]) -> None:
    for tmp, dest in staged:
        os.replace(tmp, dest)


def _unstage(staged: list[tuple[Path, Path]]) -> None:
    for tmp, _ in staged:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
