"""trafficking.db: the read side refuses a database of another schema, in words."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import schema
from trafficking import db


def test_read_side_and_etl_agree_on_the_schema_version() -> None:
    assert db.SCHEMA_VERSION == schema.SCHEMA_VERSION


def test_an_older_schema_is_reported_with_the_fix(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    schema.create(con)
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    problem = db.database_problem()
    assert problem is not None
    assert "schema 1" in problem and "schema 2" in problem and "make data" in problem


def test_the_current_schema_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new.duckdb"
    con = duckdb.connect(str(path))
    schema.create(con)
    con.close()
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    assert db.database_problem() is None


def test_required_tables_are_the_etl_tables() -> None:
    assert db.REQUIRED_TABLES == schema.TABLES


def _published(path: Path, run_id: str) -> None:
    con = duckdb.connect(str(path))
    schema.create(con)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('run_id', ?)", [run_id])
    con.close()


def test_a_pinned_run_reads_one_file_while_another_is_swapped_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    path = tmp_path / "published.duckdb"
    _published(path, "old")
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    try:
        db.pin()
        assert db.meta("run_id") == "old"
        new = tmp_path / "published.duckdb.new"
        _published(new, "new")
        os.replace(new, path)  # as the ETL publishes
        # The rest of this run still reads the file it started with...
        assert db.meta("run_id") == "old"
        assert db.query("SELECT count(*) AS n FROM meta WHERE value = 'old'")["n"].iloc[0] == 1
        db.pin()  # ...and the next run reads the new one.
        assert db.meta("run_id") == "new"
    finally:
        db.unpin()
    assert db.meta("run_id") == "new"  # unpinned: today's per-query lookup


def test_an_unpinned_query_follows_the_swap(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    path = tmp_path / "published.duckdb"
    _published(path, "first")
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    assert db.meta("run_id") == "first"
    new = tmp_path / "next.duckdb"
    _published(new, "second")
    os.replace(new, path)
    assert db.meta("run_id") == "second"
