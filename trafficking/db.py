"""The dashboard's one read-only DuckDB connection, and cached, parameterised queries.

The ETL publishes a refresh by atomically renaming a new file over the old one. The
connection is cached per (inode, mtime) of the file, so the first request after a refresh
opens the new file and the old connection is released; no restart is needed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "trafficking.duckdb"

FileKey = tuple[int, int]
# The schema this code reads; equal to etl.schema.SCHEMA_VERSION (tests check they agree). Kept
# here so the read side never imports the ETL.
SCHEMA_VERSION = 2


def db_path() -> Path:
    """The published database file (``TRAFFICKING_DB`` overrides, as in the ETL)."""
    return Path(os.environ.get("TRAFFICKING_DB", DEFAULT_DB))


def file_key(path: Path | None = None) -> FileKey | None:
    """(inode, mtime in ns) of the database file, or None when it does not exist."""
    try:
        info = (path or db_path()).stat()
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_mtime_ns)


def _close(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except Exception:  # already closed, or the file vanished: nothing left to release
        pass


# Two entries: the current file and, briefly, the one it replaced (a rerun still using it).
@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _connect(path: str, key: FileKey) -> duckdb.DuckDBPyConnection:
    del key  # part of the cache key only: a new (inode, mtime) means a new file
    # Not duckdb.connect(path): DuckDB caches one instance per path, so while the old
    # connection lives a second connect() to the same path would still see the replaced
    # file. ATTACH opens the file that is at the path now.
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS published (READ_ONLY)", [path])
    con.execute("USE published")
    # Nothing typed into a page can reach files or extensions through SQL.
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


class DatabaseMissing(RuntimeError):
    """The database file does not exist (or cannot be opened) at the configured path."""


def get_connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current database file."""
    path = db_path()
    key = file_key(path)
    if key is None:
        raise DatabaseMissing(f"no database at {path}")
    return _connect(str(path), key)


def _freeze(params: Sequence[Any] | None) -> tuple:
    """Cache-friendly parameters: lists become tuples (DuckDB accepts lists for IN/ANY)."""
    if not params:
        return ()
    return tuple(tuple(p) if isinstance(p, list | set | frozenset) else p for p in params)


# cache_resource, not cache_data: a cache_data hit unpickles the whole frame (about 20 ms for
# the 4,000-row tier panel), and a page makes ~35 such calls per rerun. ``query`` hands every
# caller its own ``.copy()`` (about 2 ms), so nobody can change the stored frame.
@st.cache_resource(show_spinner=False, max_entries=512)
def _cached(sql: str, params: tuple, key: FileKey) -> pd.DataFrame:
    del key  # invalidates the cache when a refresh swaps the file in
    con = get_connection()
    # A cursor per query: DuckDB connections are not safe to share between threads mid-query.
    cur = con.cursor()
    try:
        cur.execute("USE published")  # a cursor starts in the in-memory catalog
        args = [list(p) if isinstance(p, tuple) else p for p in params]
        return cur.execute(sql, args).df()
    finally:
        cur.close()


def query(sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run a parameterised SELECT and return a DataFrame (cached per database file).

    Never format values into ``sql``; pass them as ``?`` parameters. A tuple or list
    parameter binds as a DuckDB list, e.g. ``WHERE iso3 = ANY(?)``.
    """
    key = file_key()
    if key is None:
        raise DatabaseMissing(f"no database at {db_path()}")
    return _cached(sql, _freeze(params), key).copy()


def meta(name: str) -> str | None:
    """A value from the ``meta`` table ('built_at', 'run_id', ...), or None."""
    frame = query("SELECT value FROM meta WHERE key = ?", [name])
    return None if frame.empty else str(frame.iloc[0, 0])


def database_problem() -> str | None:
    """Why the database cannot be used, or None when it is fine."""
    path = db_path()
    if file_key(path) is None:
        return f"No database file at `{path}`."
    try:
        query("SELECT count(*) FROM tip_tiers")
    except DatabaseMissing:
        return f"No database file at `{path}`."
    except duckdb.Error as exc:
        return f"The database at `{path}` cannot be read: {exc.__class__.__name__}: {exc}"
    version = meta("schema_version")
    if version != str(SCHEMA_VERSION):
        return (f"The database at `{path}` was built by another version of the ETL (schema "
                f"{version or 'unknown'}; this dashboard reads schema {SCHEMA_VERSION}). "
                "Rebuild it with `make data`.")
    return None


def require_database() -> None:
    """Render a 'database missing' page and stop the script when there is no usable database."""
    problem = database_problem()
    if problem is None:
        # bench/growth.py builds throwaway copies padded with made-up rows; never let one
        # pass for real figures.
        if meta("synthetic") == "true":
            st.error("**SYNTHETIC DATABASE — not real data.** This copy was padded with "
                     "made-up rows for a performance benchmark (bench/growth.py).",
                     icon=":material/science:")
        return
    st.title("Database missing")
    st.error(problem)
    st.markdown(
        "The dashboard reads a DuckDB file built from public sources. Build it from the "
        "project's snapshots (`../shared/data/raw` beside the clone, or the folder or address "
        "in `TRAFFICKING_SNAPSHOTS`) with:\n\n"
        "```bash\nmake data\n```\n\n"
        "Set `TRAFFICKING_DB` to read a database somewhere else. The page reloads the file "
        "automatically once it exists: refresh this browser tab."
    )
    st.stop()
