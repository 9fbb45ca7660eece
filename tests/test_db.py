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
