"""Publishing under hostile conditions: each test is one bad input or situation, and checks the
analyst's message and (where nothing may be published) that the published file is byte-identical."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl import build, config
from etl.errors import EtlError
from tests.conftest import symlink_mirror

ROOT = Path(__file__).resolve().parent.parent
GEO = "world-geometry"
SMALL = "hk-screening-more"  # a compiled CSV with no pinned checksum: a test may rewrite it
SMALL_FILE = "hk-screening-more/figures.csv"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _runs(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM etl_runs WHERE status = 'ok'").fetchone()[0]


@pytest.fixture
def published(built_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "pub" / "trafficking.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    return db


@pytest.fixture
def static_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The map geometry goes to a folder of the test's own, never the repository's static/."""
    folder = tmp_path / "static"
    monkeypatch.setattr(config, "STATIC_DIR", folder)
    return folder


def _cli(db: Path, *args: str) -> int:
    from etl.cli import main

    return main(["--db", str(db), "refresh", *args, "--quiet"])


# --- 1. honest publishing: the map geometry is staged before the database is swapped ---------

def test_static_dir_is_a_file_publishes_nothing(shared_raw: Path, published: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    blocker = tmp_path / "static-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(config, "STATIC_DIR", blocker)
    before = _sha(published)
    assert _cli(published, GEO, "--mirror", str(shared_raw)) == 1
    err = capsys.readouterr().err
    assert "REFRESH FAILED" in err and str(blocker) in err and "unchanged" in err
    assert _sha(published) == before
    assert [p.name for p in published.parent.iterdir() if "building" in p.name] == []


def test_static_rename_fails_after_swap_says_what_was_published(
        shared_raw: Path, published: Path, static_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys) -> None:
    real_replace = os.replace

    def replace(src, dst):  # the map files cannot be renamed in, the database can
        if Path(dst).parent == static_dir:
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    runs = _runs(published)
    assert _cli(published, GEO, "--mirror", str(shared_raw)) == 1
    err = capsys.readouterr().err
    assert "the new database WAS published (run " in err
    assert "map geometry" in err and str(static_dir) in err and "was not updated" in err
    assert "unchanged" not in err
    assert _runs(published) == runs + 1  # the swap did happen, and the message says so
    assert not [p for p in static_dir.iterdir() if "staging" in p.name]


def test_database_rename_fails_publishes_nothing(shared_raw: Path, published: Path,
                                                static_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys) -> None:
    real_replace = os.replace

    def replace(src, dst):  # e.g. the folder turned read-only between build and swap
        if Path(dst) == published:
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    before = _sha(published)
    assert _cli(published, GEO, "--mirror", str(shared_raw)) == 1
    err = capsys.readouterr().err
    assert f"swapping the new database in at {published} failed" in err and "unchanged" in err
    assert _sha(published) == before
    assert [p.name for p in published.parent.iterdir() if "building" in p.name] == []
    assert not static_dir.exists() or not [p for p in static_dir.iterdir() if "staging" in p.name]


# --- 2. one refresh at a time -------------------------------------------------------------

HOLDER = """
import sys, time
from pathlib import Path
from etl import build
with build.lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.readline()  # hold until the test says so (or closes stdin)
"""


def test_second_refresh_refuses_while_one_holds_the_lock(shared_raw: Path, published: Path,
                                                         static_dir: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(published)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"  # bounded: the child exits on error
        before = _sha(published)
        t0 = time.monotonic()
        with pytest.raises(EtlError) as err:
            build.refresh([GEO], mirror=str(shared_raw), db_path=published)
        assert time.monotonic() - t0 < 5  # refuses at once, never waits
        msg = str(err.value)
        assert f"another refresh (pid {holder.pid}, started " in msg
        assert f"is running on {published}" in msg and f"remove {published}.lock" in msg
        assert _sha(published) == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    # Once the holder is gone the next refresh runs, and each run is kept in the history.
    runs = _runs(published)
    build.refresh([GEO], mirror=str(shared_raw), db_path=published)
    build.refresh([GEO], mirror=str(shared_raw), db_path=published)
    assert _runs(published) == runs + 2


# --- 3. files left by killed runs --------------------------------------------------------

def test_stale_files_of_killed_runs_are_removed(shared_raw: Path, published: Path,
                                                static_dir: Path, capsys) -> None:
    stale = [published.with_name(published.name + s)
             for s in (".building-99999-deadbeef0000", ".building-99999-deadbeef0000.wal", ".wal")]
    for p in stale:
        p.write_bytes(b"\x00left by a killed writer\x00")
    assert _cli(published, GEO, "--mirror", str(shared_raw)) == 0
    out = capsys.readouterr().out
    assert "Removed 3 stale files left by killed refreshes" in out
    assert not any(p.exists() for p in stale)


# --- 4. a corrupt published file ---------------------------------------------------------

def test_garbage_published_file_is_rebuilt_and_says_history_lost(
        shared_raw: Path, published: Path, static_dir: Path, capsys) -> None:
    published.write_bytes(b"this is not a database\n" * 100)
    # A partial refresh over a corrupt file becomes a full rebuild.
    assert _cli(published, SMALL, "--mirror", str(shared_raw)) == 0
    out = capsys.readouterr().out
    assert f"the published database at {published} is unreadable" in out
    assert "rebuilding it from all sources" in out and "history lost" in out
    with duckdb.connect(str(published), read_only=True) as con:
        datasets = {r[0] for r in con.execute("SELECT DISTINCT dataset FROM sources").fetchall()}
        assert con.execute("SELECT count(*) FROM etl_runs").fetchone()[0] == 1
    assert "scorecard-diplomacy-tiers" in datasets and SMALL in datasets


def test_database_of_another_project_is_rebuilt(shared_raw: Path, published: Path,
                                                static_dir: Path) -> None:
    published.unlink()
    with duckdb.connect(str(published)) as con:
        con.execute("CREATE TABLE x(i INT)")
    result = build.refresh([SMALL], mirror=str(shared_raw), db_path=published)
    assert result.summary["history_lost"] is True
    assert "no table meta" in result.summary["published_unreadable"]
    assert len(result.sources) > 10  # every source, not the one asked for


def test_read_error_on_old_file_is_not_called_a_full_disk(
        shared_raw: Path, published: Path, static_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from etl import diff

    def broken(con, old, limit=200):
        raise duckdb.IOException(f"Could not read from file \"{old}\": Input/output error")

    monkeypatch.setattr(diff, "compare", broken)
    before = _sha(published)
    with pytest.raises(EtlError) as err:
        build.refresh([SMALL], mirror=str(shared_raw), db_path=published)
    msg = str(err.value)
    assert f"reading the published database {published} failed" in msg and "IOException" in msg
    assert "disk may be full" not in msg and "unchanged" in msg
    assert _sha(published) == before


# --- 5. the change guard -----------------------------------------------------------------

def _one_row_mirror(shared_raw: Path, tmp_path: Path) -> Path:
    mirror = symlink_mirror(shared_raw, tmp_path / "m")
    rows = list(csv.reader(io.StringIO((shared_raw / SMALL_FILE).read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows[:2])
    (mirror / SMALL_FILE).unlink()
    (mirror / SMALL_FILE).write_text(out.getvalue(), encoding="utf-8")
    return mirror


def test_source_losing_most_rows_is_refused_then_accepted(shared_raw: Path, published: Path,
                                                          tmp_path: Path, static_dir: Path,
                                                          capsys) -> None:
    mirror = _one_row_mirror(shared_raw, tmp_path)
    before = _sha(published)
    assert _cli(published, SMALL, "--mirror", str(mirror)) == 1
    err = capsys.readouterr().err
    assert f"[{SMALL}] would go from 11 to 1 rows (−90.9%); nothing was published" in err
    assert f"--accept-change {SMALL}" in err
    assert _sha(published) == before
    assert _cli(published, SMALL, "--mirror", str(mirror), "--accept-change", SMALL) == 0
    out = capsys.readouterr().out
    assert f"Accepted changes: {SMALL} 11 -> 1 rows" in out
    result = build.refresh([SMALL], mirror=str(shared_raw), db_path=published,
                           accept_change=[SMALL])  # back to 11: a 11x growth, also accepted
    assert result.summary["accepted_changes"] == {SMALL: {"before": 1, "after": 11}}


@pytest.mark.parametrize(("before", "after", "refused"), [
    (100, 0, "from 100 to 0 rows (−100.0%)"),
    (100, 49, "from 100 to 49 rows (−51.0%)"),
    (100, 50, None),
    (100, 1000, None),
    (100, 1001, "from 100 to 1,001 rows (+901.0%)"),
    (0, 5000, None),  # new to the database
])
def test_change_guard_thresholds(before: int, after: int, refused: str | None) -> None:
    changes = {"source_rows_before": {"s": before}, "source_rows_after": {"s": after}}
    if refused is None:
        assert build._guard_changes(changes, ["s"], ()) == {}
        return
    with pytest.raises(EtlError, match="would go " + refused.replace("(", r"\(").replace(
            ")", r"\)").replace("+", r"\+")):
        build._guard_changes(changes, ["s"], ())
    assert build._guard_changes(changes, ["s"], ["s"]) == {"s": {"before": before, "after": after}}


def test_accept_change_of_unknown_source_is_named(published: Path, capsys) -> None:
    assert _cli(published, SMALL, "--accept-change", "no-such-source") == 2
    assert "no-such-source" in capsys.readouterr().err


# --- 6. no traceback reaches an analyst --------------------------------------------------

def test_unexpected_error_is_one_paragraph_and_a_log(shared_raw: Path, published: Path,
                                                     static_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from etl import tiers

    def boom(con):
        raise ValueError("a bug in the merge")

    monkeypatch.setattr(tiers, "merge", boom)
    before = _sha(published)
    assert _cli(published, SMALL, "--mirror", str(shared_raw)) == 1
    err = capsys.readouterr().err
    assert "REFRESH FAILED: unexpected error (ValueError: a bug in the merge). " \
           "The published database is unchanged. Details for a bug report: " in err
    assert "Traceback" not in err
    log = Path(err.split("Details for a bug report: ")[1].split()[0])
    assert log.parent == published.parent / "logs"
    assert "Traceback" in log.read_text() and "a bug in the merge" in log.read_text()
    assert _sha(published) == before


def test_unexpected_error_after_publishing_does_not_claim_unchanged(
        shared_raw: Path, published: Path, static_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys) -> None:
    from etl import cli

    def boom(summary, db_path):
        raise ValueError("cannot render")

    monkeypatch.setattr(cli, "render_summary", boom)
    assert _cli(published, GEO, "--mirror", str(shared_raw)) == 1
    err = capsys.readouterr().err
    assert "unexpected error (ValueError: cannot render)" in err
    assert "the new database WAS published (run " in err and "unchanged" not in err


def test_interrupt_publishes_nothing(shared_raw: Path, published: Path, static_dir: Path,
                                     monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from etl import tiers

    def interrupted(con):
        raise KeyboardInterrupt

    monkeypatch.setattr(tiers, "merge", interrupted)
    before = _sha(published)
    assert _cli(published, SMALL, "--mirror", str(shared_raw)) == 130
    assert "interrupted; nothing was published" in capsys.readouterr().err
    assert _sha(published) == before
    assert [p.name for p in published.parent.iterdir() if "building" in p.name] == []


def test_log_falls_back_to_a_temp_file(published: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from etl import build as b

    def boom(*a, **k):
        raise RuntimeError("early")

    monkeypatch.setattr(b, "refresh", boom)
    blocked = tmp_path / "ro" / "trafficking.duckdb"
    blocked.parent.mkdir()
    (blocked.parent / "logs").write_text("a file where the logs folder would go")
    assert _cli(blocked, SMALL) == 1
    err = capsys.readouterr().err
    log = Path(err.split("Details for a bug report: ")[1].split()[0])
    assert log.is_file() and "RuntimeError: early" in log.read_text()
