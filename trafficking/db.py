"""The dashboard's one read-only DuckDB connection, and cached, parameterised queries.

Plain Python, no Streamlit: the pages, the export CLI and the briefing pack share this layer.

The ETL publishes a refresh by atomically renaming a new file over the old one. Connections
and query results are cached per file identity (inode, mtime of the file the path resolves to),
so the first request after a refresh opens the new file and the old connection is released; no
restart is needed.

``pin()`` (called by dashboard.py at the start of every script run) fixes the file for the
whole run: a refresh landing mid-render cannot mix two databases on one page. A run without
a pin (the export CLI, tests) resolves the file on every query.

What a visitor is told never names a server path or a raw database error; those go to the
server log.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

import duckdb
import pandas as pd

from trafficking import i18n

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "trafficking.duckdb"

FileKey = tuple[int, int]
# The schema this code reads; equal to etl.schema.SCHEMA_VERSION (tests check they agree). Kept
# here so the read side never imports the ETL.
SCHEMA_VERSION = 4
# Every table the pages read; equal to etl.schema.TABLES (tests check), kept here for the same
# reason.
REQUIRED_TABLES = (
    "meta", "sources", "jurisdictions", "tiers", "areas", "area_groups", "map_shapes",
    "tier_observations", "tip_tiers", "tier_conflicts", "indicators", "observations",
    "observation_conflicts", "government_responses", "etl_runs",
)
UNREADABLE = ("The database file cannot be read (it may be damaged or from another project). "
              "An administrator can rebuild it with `make data`.")
NOT_BUILT = "No database has been built yet. An administrator can build it with `make data`."
# Results kept across reruns: a page makes ~35 queries per rerun, and the keys of every file
# but the current one age out.
MAX_RESULTS = 512

log = logging.getLogger(__name__)
# Streamlit runs each session's script run in its own thread: the pin is per thread.
_pin = threading.local()

_MISSING = object()  # a stored None is a value, not a miss
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A thread-safe least-recently-used map; ``on_evict`` sees each value pushed out."""

    def __init__(self, maxsize: int, on_evict: Callable[[V], None] | None = None) -> None:
        self.maxsize = maxsize
        self._on_evict = on_evict
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K, default: Any = None) -> Any:
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> V:
        """Store ``value`` unless another thread stored one first; returns the stored one."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            self._items[key] = value
            evicted = []
            while len(self._items) > self.maxsize:
                evicted.append(self._items.popitem(last=False)[1])
        for old in evicted:
            if self._on_evict is not None:
                self._on_evict(old)
        return value

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value for ``key``, made (outside the lock: a query may take a while) if absent;
        two threads missing at once both make it and the first stored wins."""
        value = self.get(key, _MISSING)
        return self.put(key, make()) if value is _MISSING else value

    def clear(self) -> None:
        with self._lock:
            old = list(self._items.values())
            self._items.clear()
        for value in old:
            if self._on_evict is not None:
                self._on_evict(value)


def db_path() -> Path:
    """The published database file (``TRAFFICKING_DB`` overrides, as in the ETL; empty means
    unset, as there)."""
    return Path(os.environ.get("TRAFFICKING_DB", "").strip() or DEFAULT_DB)


def _published_file() -> Path:
    """The file the stable path points at now: the ETL publishes versioned files and re-points
    a symbolic link, so the key and the connection must both come from this one target."""
    path = db_path()
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a link loop: reported as no database
        return path


def file_key(path: Path | None = None) -> FileKey | None:
    """(inode, mtime in ns) of the database file, or None when it does not exist.

    Without ``path``, inside a pinned run: the key of the file pinned for this run.
    """
    if path is None and getattr(_pin, "state", None) is not None:
        return _pin.state[1]
    try:
        info = (path or db_path()).stat()
    except OSError:  # missing, a dangling or looping link, unreadable: no usable database
        return None
    return (info.st_ino, info.st_mtime_ns)


def _close(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except Exception:  # already closed, or the file vanished: nothing left to release
        pass


# Two entries: the current file and, briefly, the one it replaced (a rerun still using it).
_connections: LRU[tuple[str, FileKey], duckdb.DuckDBPyConnection] = LRU(2, on_evict=_close)
# Opening is serialised so that two threads starting on a new file share one connection.
_opening = threading.Lock()
_results: LRU[tuple[str, tuple, FileKey], pd.DataFrame] = LRU(MAX_RESULTS)
_derived: list[LRU] = []  # the stores of ``per_file`` functions, for ``clear_cache``


def _open(path: str) -> duckdb.DuckDBPyConnection:
    # Not duckdb.connect(path): DuckDB caches one instance per path, so while the old
    # connection lives a second connect() to the same path would still see the replaced
    # file. ATTACH opens the file that is at the path now.
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS published (READ_ONLY)", [path])
        con.execute("USE published")
        # Nothing typed into a page can reach files or extensions through SQL.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def _connect(path: str, key: FileKey) -> duckdb.DuckDBPyConnection:
    """The connection to the file ``path`` while it has identity ``key`` (a new key: a new
    file, a new connection)."""
    con = _connections.get((path, key))
    if con is not None:
        return con
    with _opening:
        return _connections.get_or_make((path, key), lambda: _open(path))


class DatabaseMissing(RuntimeError):
    """The database file does not exist (or cannot be opened) at the configured path."""


def pin() -> FileKey | None:
    """Fix the database file (and open its connection) for the rest of this thread's run.

    Returns its key (None: no file). A file that cannot be opened pins no connection; the
    queries then fail as they would unpinned, and ``database_problem`` says why.
    """
    _pin.state = None
    path = _published_file()
    key = file_key(path)
    con = None
    if key is not None:
        try:
            con = _connect(str(path), key)
        except duckdb.Error:
            con = None
    _pin.state = (path, key, con)
    return key


def unpin() -> None:
    """Back to resolving the file on every query (the end of a run, or a test)."""
    _pin.state = None


def get_connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current database file (the pinned one, if any)."""
    state = getattr(_pin, "state", None)
    if state is not None and state[2] is not None:
        return state[2]
    path = _published_file()
    key = file_key(path)
    if key is None:
        raise DatabaseMissing("no database file")
    return _connect(str(path), key)


def _freeze(params: Sequence[Any] | None) -> tuple:
    """Hashable parameters: lists become tuples (bound again as lists, for IN/ANY)."""
    if not params:
        return ()
    return tuple(tuple(p) if isinstance(p, list | set | frozenset) else p for p in params)


def _run(sql: str, params: tuple) -> pd.DataFrame:
    # A cursor per query: DuckDB connections are not safe to share between threads mid-query.
    cur = get_connection().cursor()
    try:
        cur.execute("USE published")  # a cursor starts in the in-memory catalog
        args = [list(p) if isinstance(p, tuple) else p for p in params]
        return cur.execute(sql, args).df()
    finally:
        cur.close()


def query(sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run a parameterised SELECT and return a DataFrame (cached per database file).

    Never format values into ``sql``; pass them as ``?`` parameters. A tuple or list
    parameter binds as a DuckDB list, e.g. ``WHERE iso3 = ANY(?)``. Every caller gets its own
    copy (about 0.4 ms for the 4,000-row tier panel), so nobody can change the stored frame.
    """
    key = file_key()
    if key is None:
        raise DatabaseMissing("no database file")
    frozen = _freeze(params)
    return _results.get_or_make((sql, frozen, key), lambda: _run(sql, frozen)).copy()


F = TypeVar("F", bound=Callable[..., Any])


def per_file(maxsize: int = 256, by_language: bool = False) -> Callable[[F], F]:
    """Cache a function of hashable arguments that derives a frame from queries: one result
    per (arguments, database file), so a refresh recomputes. Frames are handed out as copies.
    ``by_language``: the result holds names or text in the reader's language (trafficking.i18n),
    so each language has its own."""
    def wrap(fn: F) -> F:
        store: LRU[tuple, Any] = LRU(maxsize)

        @functools.wraps(fn)
        def cached(*args: Any) -> Any:
            key = file_key()
            if key is None:
                raise DatabaseMissing("no database file")
            if by_language:
                key = (key, i18n.language())
            value = store.get_or_make((args, key), lambda: fn(*args))
            return value.copy() if isinstance(value, pd.DataFrame) else value

        _derived.append(store)
        return cached  # type: ignore[return-value]
    return wrap


def clear_cache() -> None:
    """Forget every stored result and close every connection (tests; a new run reopens)."""
    for store in (_results, *_derived):
        store.clear()
    _connections.clear()


def meta(name: str) -> str | None:
    """A value from the ``meta`` table ('built_at', 'run_id', ...), or None."""
    frame = query("SELECT value FROM meta WHERE key = ?", [name])
    return None if frame.empty else str(frame.iloc[0, 0])


def database_problem() -> str | None:
    """Why the database cannot be used, in words for a visitor (no path, no raw error), or
    None when it is fine. The details go to the server log."""
    path = db_path()
    if file_key(path) is None:
        log.warning("no database file at %s", path)
        return NOT_BUILT
    try:
        have = set(query("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                         "'published'")["table_name"])
    except DatabaseMissing:
        log.warning("no database file at %s", path)
        return NOT_BUILT
    except duckdb.Error as exc:
        log.warning("database %s cannot be read: %s: %s", path, type(exc).__name__, exc)
        return UNREADABLE
    missing = [t for t in REQUIRED_TABLES if t not in have]
    if missing:
        log.warning("database %s lacks tables %s", path, missing)
        return (f"The database file lacks the table(s) {', '.join(missing)} (it may be from "
                "another version of the project). An administrator can rebuild it with "
                "`make data`.")
    version = meta("schema_version")
    if version != str(SCHEMA_VERSION):
        return (f"The database was built by another version of the ETL (schema "
                f"{version or 'unknown'}; this dashboard reads schema {SCHEMA_VERSION}). "
                "An administrator can rebuild it with `make data`.")
    return None
