"""Versioned publishing (etl/publish.py): each refresh publishes an immutable file under
published/, the stable path is a link swapped atomically, old versions are pruned to a limit,
and ``python -m etl rollback`` re-points the link."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import build, publish
from etl.cli import main

SMALL = "hk_screening"  # one small source: a partial refresh takes a few seconds


def _run_id(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT value FROM meta WHERE key = 'run_id'").fetchone()[0]


@pytest.fixture
def stable(built_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "data" / "trafficking.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)  # a plain file, as databases were before versioning
    return db


def _refresh(db: Path, shared_raw: Path) -> str:
    return build.refresh([SMALL], mirror=str(shared_raw), db_path=db).run_id


def test_refresh_publishes_a_version_and_points_the_stable_path_at_it(
        stable: Path, shared_raw: Path) -> None:
    first = _run_id(stable)
    run = _refresh(stable, shared_raw)
    assert stable.is_symlink() and not os.readlink(stable).startswith("/")  # relative link
    assert publish.current(stable).name.endswith(f"-{run}.duckdb")
    assert _run_id(stable) == run
    kept = publish.versions(stable)
    # The plain file from before is kept as a version, so rollback can return to it.
    assert [v.run_id for v in kept] == ["unversioned", run]
    assert _run_id(kept[0].path) == first
    assert [v.current for v in kept] == [False, True]


def test_rollback_and_back(stable: Path, shared_raw: Path, capsys) -> None:
    a = _refresh(stable, shared_raw)
    b = _refresh(stable, shared_raw)
    assert main(["--db", str(stable), "rollback"]) == 0
    out = capsys.readouterr().out
    assert f"now points at run {a}" in out and f"rollback --to {b}" in out
    assert _run_id(stable) == a
    assert main(["--db", str(stable), "rollback", "--to", b]) == 0
    assert _run_id(stable) == b
    capsys.readouterr()
    assert main(["--db", str(stable), "rollback", "--list"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("run ") == 3  # the file from before versioning, a and b
    assert [ln.split()[0] for ln in listing.splitlines()].count("*") == 1 and f"run {b}" in [
        ln for ln in listing.splitlines() if ln.strip().startswith("*")][0]


def test_a_reader_of_the_previous_version_keeps_reading(stable: Path, shared_raw: Path) -> None:
    a = _refresh(stable, shared_raw)
    old = duckdb.connect(str(publish.current(stable)), read_only=True)
    try:
        _refresh(stable, shared_raw)
        assert old.execute("SELECT value FROM meta WHERE key = 'run_id'").fetchone()[0] == a
    finally:
        old.close()


def test_old_versions_are_pruned_to_the_limit(stable: Path, shared_raw: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_KEEP_PUBLISHED", "1")
    runs = [_refresh(stable, shared_raw) for _ in range(3)]
    assert [v.run_id for v in publish.versions(stable)] == runs[-2:]  # current + one to roll back to


def test_rollback_with_nothing_earlier_is_refused(tmp_path: Path, built_db: Path,
                                                  shared_raw: Path, capsys) -> None:
    db = tmp_path / "fresh" / "trafficking.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    _refresh(db, shared_raw)
    for v in publish.versions(db):
        if not v.current:
            v.path.unlink()
    before = os.readlink(db)
    assert main(["--db", str(db), "rollback"]) == 1
    assert "nothing to roll back to" in capsys.readouterr().err
    assert main(["--db", str(db), "rollback", "--to", "nosuchrun"]) == 1
    assert "no published version of run 'nosuchrun'" in capsys.readouterr().err
    assert os.readlink(db) == before


def test_rollback_waits_for_no_refresh(stable: Path, shared_raw: Path, capsys) -> None:
    _refresh(stable, shared_raw)
    before = os.readlink(stable)
    with build.lock(stable):
        assert main(["--db", str(stable), "rollback"]) == 1
    assert "another refresh" in capsys.readouterr().err
    assert os.readlink(stable) == before


def test_the_dashboard_follows_the_link(stable: Path, shared_raw: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from trafficking import db

    monkeypatch.setenv("TRAFFICKING_DB", str(stable))
    _refresh(stable, shared_raw)
    db.pin()
    try:
        assert db.meta("run_id") == _run_id(stable)
        key = db.file_key()
    finally:
        db.unpin()
    b = _refresh(stable, shared_raw)
    db.pin()
    try:
        assert db.file_key() != key and db.meta("run_id") == b
    finally:
        db.unpin()


def _package_version(db: Path) -> str:
    import json
    import zipfile

    with zipfile.ZipFile(db.parent / "trafficking-data.zip") as zf:
        return json.loads(zf.read("trafficking-data/datapackage.json"))["version"]


def test_refresh_and_rollback_rewrite_the_data_package(stable: Path, shared_raw: Path) -> None:
    first = _run_id(stable)
    run = _refresh(stable, shared_raw)
    assert _package_version(stable) == run
    assert (stable.parent / "package" / "datapackage.json").is_file()
    assert main(["--db", str(stable), "rollback"]) == 0
    assert _run_id(stable) == first and _package_version(stable) == first


def test_a_package_that_cannot_be_written_leaves_the_refresh_published(
        stable: Path, shared_raw: Path) -> None:
    # A file where the package's staging folder goes: the package fails, the database does not.
    (stable.parent / ".package.staging").write_text("in the way")
    result = build.refresh([SMALL], mirror=str(shared_raw), db_path=stable)
    assert _run_id(stable) == result.run_id
    assert "package" not in result.summary
    [notice] = [n for n in result.summary["notices"] if "data package" in n]
    assert "the database is published but the data package was not updated" in notice
    assert ".package.staging" in notice and "python -m etl package" in notice
    assert not (stable.parent / "trafficking-data.zip").exists()


def test_versions_published_within_one_second_keep_their_order(tmp_path: Path) -> None:
    # A small refresh now takes under a second: the copied plain file and two publishes after it
    # used to share one second in their names, and the order fell back to the run ids.
    db = tmp_path / "trafficking.duckdb"
    db.write_bytes(b"plain")
    for run in ("zz9", "aa1"):  # run ids that sort against publishing order
        new = tmp_path / f"{run}.new"
        new.write_bytes(run.encode())
        publish.publish(new, db, run)
    assert [v.run_id for v in publish.versions(db)] == ["unversioned", "zz9", "aa1"]
    assert publish.versions(db)[-1].current


def test_names_from_before_microseconds_still_parse_and_sort_first(tmp_path: Path) -> None:
    db = tmp_path / "trafficking.duckdb"
    old = publish.folder(db) / "trafficking-20261202T014701-abc123.duckdb"
    old.parent.mkdir()
    old.write_bytes(b"old")
    new = tmp_path / "x.new"
    new.write_bytes(b"new")
    publish.publish(new, db, "def456")
    kept = publish.versions(db)
    assert [v.run_id for v in kept] == ["abc123", "def456"]
    assert kept[0].when == "2026-12-02 01:47:01"
