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
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")  # before v4
    con.close()
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    problem = db.database_problem()
    assert problem is not None
    assert "schema 3" in problem and "schema 4" in problem and "make data" in problem


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


# The data layer is plain Python: the export CLI and the briefing pack never load Streamlit.
DATA_LAYER = (
    "trafficking.cli", "trafficking.db", "trafficking.formatting", "trafficking.geo",
    "trafficking.percapita", "trafficking.style", "trafficking.datapackage", "trafficking.text",
    "trafficking.present.export", "trafficking.present.briefing", "trafficking.present.registry",
    "trafficking.present.pack", "trafficking.present.sources", "trafficking.present.view",
)


def test_the_data_layer_imports_no_streamlit() -> None:
    import pkgutil
    import subprocess
    import sys
    from types import ModuleType

    import trafficking.charts
    import trafficking.present
    import trafficking.queries

    def every(package: ModuleType, prefix: str = "") -> list[str]:
        return [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)
                if m.name.startswith(prefix)]

    modules = [*DATA_LAYER, *every(trafficking.queries), *every(trafficking.charts),
               *every(trafficking.present, "specs_")]
    assert {"trafficking.queries.profile", "trafficking.charts.tiers",
            "trafficking.present.specs_funnels"} <= set(modules)
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "    assert 'streamlit' not in sys.modules, name\n"
            "print('ok', len(sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok ")


def test_a_cached_result_is_a_copy_callers_cannot_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "published.duckdb"
    _published(path, "copy-run")
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    sql = "SELECT key, value FROM meta WHERE key = ?"
    first = db.query(sql, ["run_id"])
    first.loc[0, "value"] = "changed by a caller"
    first["extra"] = 1
    again = db.query(sql, ["run_id"])
    assert again.to_dict("records") == [{"key": "run_id", "value": "copy-run"}]
    assert again is not first


def test_list_parameters_bind_as_lists_and_share_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "published.duckdb"
    _published(path, "list-run")
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    sql = "SELECT value FROM meta WHERE key = ANY(?) ORDER BY value"
    want = [str(db.SCHEMA_VERSION), "list-run"]
    assert db.query(sql, [["run_id", "schema_version"]])["value"].tolist() == want
    assert db.query(sql, [("run_id", "schema_version")])["value"].tolist() == want


def test_the_replaced_files_connection_is_closed_after_the_next_refresh(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    path = tmp_path / "published.duckdb"
    _published(path, "one")
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    first = db.get_connection()
    for run in ("two", "three"):
        new = tmp_path / f"{run}.duckdb"
        _published(new, run)
        os.replace(new, path)
        assert db.meta("run_id") == run
    # Two connections are kept (the current file and the one a rerun may still use): the
    # first file's is released, so its file can be deleted for good.
    with pytest.raises(duckdb.ConnectionException):
        first.execute("SELECT 1")


def test_a_per_file_function_is_recomputed_for_a_new_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    calls: list[str] = []

    @db.per_file(maxsize=4)
    def run_id(prefix: str) -> str:
        calls.append(prefix)
        return prefix + str(db.meta("run_id"))

    path = tmp_path / "published.duckdb"
    _published(path, "a")
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    assert [run_id("x-"), run_id("x-")] == ["x-a", "x-a"]
    new = tmp_path / "b.duckdb"
    _published(new, "b")
    os.replace(new, path)
    assert run_id("x-") == "x-b"
    assert calls == ["x-", "x-"]


def test_a_per_file_function_by_language_keeps_one_result_per_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trafficking import i18n
    from trafficking.i18n import _

    @db.per_file(maxsize=4, by_language=True)
    def label() -> str:
        return _("Referral funnels")

    path = tmp_path / "published.duckdb"
    _published(path, "a")
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    assert label() == "Referral funnels"
    with i18n.using("zh-Hant"):
        assert label() == "轉介漏斗"
    assert label() == "Referral funnels"


def test_the_lru_drops_the_least_recently_used_and_reports_it() -> None:
    dropped: list[str] = []
    cache: db.LRU[str, str] = db.LRU(2, on_evict=dropped.append)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # now "b" is the oldest
    cache.put("c", "C")
    assert dropped == ["B"] and cache.get("b") is None and len(cache) == 2
    assert cache.put("a", "other") == "A"  # the first value stored wins
    assert cache.get_or_make("d", lambda: "D") == "D" and dropped == ["B", "C"]
    made: list[int] = []
    nothing: db.LRU[str, None] = db.LRU(2)
    assert [nothing.get_or_make("x", lambda: made.append(1)) for _ in range(3)] == [None] * 3
    assert made == [1]  # a stored None is a value, made once


def test_queries_from_many_threads_share_one_connection_and_agree(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "published.duckdb"
    _published(path, "threads")
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    db.clear_cache()

    def one(i: int) -> tuple[str, int]:
        frame = db.query("SELECT value, ? AS i FROM meta WHERE key = 'run_id'", [i % 7])
        return str(frame["value"].iloc[0]), id(db.get_connection())

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(one, range(200)))
    assert {v for v, _ in got} == {"threads"}
    assert len({c for _, c in got}) == 1
