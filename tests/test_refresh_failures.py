"""Refresh you can trust: each bad input gets a clear error and the published file is untouched."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import build, registry
from etl.errors import EtlError, SourceError
from etl.fetch import Fetcher
from etl.source import FetchedFile
from tests.conftest import symlink_mirror

ROOT = Path(__file__).resolve().parent.parent
TIP = "tip-tier-pages/tiers_2021_2025.csv"
HEADER = "report_year,country_name_as_published,tier,source_file\n"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(built_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "pub" / "trafficking.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    return db


def _replace(mirror: Path, rel: str, data: bytes) -> None:
    (mirror / rel).unlink()
    (mirror / rel).write_bytes(data)


@pytest.mark.parametrize(("data", "expect"), [
    ((HEADER + "2022,Côte d’Ivoire,Tier 2,2022_hrwf.txt\n").encode("utf-16"), "not UTF-8"),
    ((HEADER + "2022,Côte d’Ivoire,Tier 2,2022_hrwf.txt\n").encode("cp1252", "replace"), "not UTF-8"),
    ((HEADER + "2022,Chile,Tier 1,2022_hrwf.txt\n2022,Chile,Tier 1,2022_hrwf.txt\n").encode(),
     "duplicated row"),
    ((b"report_year,country_name_as_published,tier,source_file,extra\n"
      b"2022,Chile,Tier 1,2022_hrwf.txt,x\n"), "unexpected columns"),
    (b"report_year,country,tier,source_file\n2022,Chile,Tier 1,2022_hrwf.txt\n",
     "country_name_as_published"),
    ((HEADER + "2099,Chile,Tier 1,2022_hrwf.txt\n").encode(), "report year outside"),
])
def test_bad_compiled_file(shared_raw: Path, published: Path, tmp_path: Path, data: bytes,
                           expect: str) -> None:
    mirror = symlink_mirror(shared_raw, tmp_path / "m")
    _replace(mirror, TIP, data)
    before = _sha(published)
    with pytest.raises(EtlError) as err:
        build.refresh(mirror=str(mirror), db_path=published)
    assert expect in str(err.value) and "tip-tier-pages" in str(err.value)
    assert _sha(published) == before


def test_failed_partial_refresh_exits_nonzero_and_keeps_db(shared_raw: Path, published: Path,
                                                           tmp_path: Path, capsys) -> None:
    from etl.cli import main

    mirror = symlink_mirror(shared_raw, tmp_path / "m")
    _replace(mirror, TIP, b"")
    before = _sha(published)
    code = main(["--db", str(published), "refresh", "tip-tier-pages", "--mirror", str(mirror), "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    assert "REFRESH FAILED" in err and "tiers_2021_2025.csv" in err and "empty" in err
    assert _sha(published) == before


def test_unknown_source_is_named(published: Path, capsys) -> None:
    from etl.cli import main

    assert main(["--db", str(published), "refresh", "no-such-source", "--quiet"]) == 2
    assert "no-such-source" in capsys.readouterr().err


def test_read_only_target(shared_raw: Path) -> None:
    target = Path("/proc/trafficking-test/trafficking.duckdb")  # not writable even by root
    with pytest.raises(EtlError, match="cannot create the new database|writing the new database"):
        build.refresh(["tip-tier-pages"], mirror=str(shared_raw), db_path=target)


def test_disk_full_while_writing(shared_raw: Path, published: Path) -> None:
    """A file-size limit makes the database write fail part-way, as a full disk would."""
    before = _sha(published)
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))\n"
        "from etl.cli import main\n"
        f"sys.exit(main(['--db', {str(published)!r}, 'refresh', '--mirror', {str(shared_raw)!r},"
        " '--quiet']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "REFRESH FAILED" in proc.stderr and "unchanged" in proc.stderr
    assert _sha(published) == before
    assert not [p for p in published.parent.iterdir() if "building" in p.name]


def test_twenty_readers_during_refresh_see_old_or_new_never_an_error(
    shared_raw: Path, published: Path
) -> None:
    """Readers open the file the way the dashboard does (ATTACH read-only) while refreshes swap it."""
    con = duckdb.connect(str(published), read_only=True)
    versions = {con.execute("SELECT value FROM meta WHERE key = 'run_id'").fetchone()[0]}
    con.close()
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: set[tuple[str, int]] = set()
    lock = threading.Lock()

    def reader() -> None:
        inode, c = None, None
        while not stop.is_set():
            try:
                now = published.stat().st_ino
                if now != inode:  # as the dashboard does: reopen only when a new file is in place
                    if c is not None:
                        c.close()
                    c = duckdb.connect(":memory:")
                    c.execute("ATTACH ? AS published (READ_ONLY)", [str(published)])
                    inode = now
                row = c.execute(
                    "SELECT (SELECT value FROM published.meta WHERE key = 'run_id'), "
                    "(SELECT count(*) FROM published.tip_tiers)").fetchone()
                with lock:
                    seen.add((row[0], row[1]))
                stop.wait(0.01)  # a reader's pace, not a busy loop starving the refresh of the GIL
            except BaseException as exc:  # noqa: BLE001 - any error is a failure here
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for t in threads:
        t.start()
    try:
        for _ in range(2):
            result = build.refresh(["wikipedia-tip-tier-table"], mirror=str(shared_raw), db_path=published)
            versions.add(result.run_id)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert {run for run, _ in seen} <= versions
    assert len({n for _, n in seen}) == 1  # same tier rows in every version: no mixed reads
    assert len(seen) >= 1


# --- property test: any mutation of a source file parses correctly or fails clearly ----------

PARSED_SOURCES = ["tip-tier-pages", "wikipedia-tip-tier-table", "scorecard-diplomacy-tiers"]


def _mutate(data: bytes, kind: str, pos: float, junk: bytes) -> bytes:
    i = int(pos * len(data))
    lines = data.split(b"\n")
    j = int(pos * len(lines)) % max(len(lines), 1)
    if kind == "truncate":
        return data[:i]
    if kind == "insert":
        return data[:i] + junk + data[i:]
    if kind == "delete_line":
        return b"\n".join(lines[:j] + lines[j + 1:])
    if kind == "duplicate_line":
        return b"\n".join(lines[:j + 1] + lines[j:])
    if kind == "header_swap":
        first = lines[0].split(b",")
        return b"\n".join([b",".join(reversed(first))] + lines[1:])
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source_id=st.sampled_from(PARSED_SOURCES),
    kind=st.sampled_from(["truncate", "insert", "delete_line", "duplicate_line", "header_swap"]),
    pos=st.floats(0, 1),
    junk=st.binary(min_size=1, max_size=40),
)
def test_mutated_files_parse_or_fail_clearly(shared_raw: Path, tmp_path_factory, source_id: str,
                                             kind: str, pos: float, junk: bytes) -> None:
    source = registry.get(source_id)
    real = Fetcher(mirror=str(shared_raw)).fetch_source(source)
    tmp = tmp_path_factory.mktemp("mut")
    target_name = next(f.name for f in source.files if not f.name.endswith(".md"))
    files: dict[str, FetchedFile] = {}
    for name, f in real.items():
        data = f.path.read_bytes()
        if name == target_name:
            data = _mutate(data, kind, pos, junk)
        path = tmp / name
        path.write_bytes(data)
        files[name] = FetchedFile(source=source.id, name=name, path=path, url=f.url,
                                  fetched_from=str(path), via="test", sha256="", bytes=len(data),
                                  retrieved_at=f.retrieved_at)
    try:
        parsed = build.run_parser(source, files)
    except SourceError as exc:
        assert exc.source == source.id
        assert str(exc).startswith(f"[{source.id}]")
        return
    frame = parsed.tier_observations
    assert frame is not None
    assert frame["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert frame["tier"].isin(["Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3", "Special Case"]).all()


def _rows(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))  # quoted fields may span lines


def _csv(rows: list[list[str]]) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _header_only(text: str) -> str:
    return _csv(_rows(text)[:1])


def _first_rows_twice(text: str) -> str:
    rows = _rows(text)
    return _csv(rows + rows[1:3])


def _first_place_renamed(text: str) -> str:
    rows = _rows(text)
    rows[1][0] = "Not Chile at all"  # the first column names the jurisdiction
    return _csv(rows)


@pytest.mark.parametrize(("source_id", "rel", "change", "expect"), [
    ("hk-screening-more", "hk-screening-more/figures.csv", _header_only, "no rows"),
    ("tip-global-law-enforcement-2016-latest",
     "tip-global-law-enforcement-2016-latest/global_law_enforcement.csv", _header_only, "no rows"),
    ("hk-government-figures", "government-responses/hk_figures.csv", _first_rows_twice,
     "the same figure is stated twice by one page"),
    ("referral-funnels", "referral-funnels/funnels.csv", _first_rows_twice,
     "the same figure is stated twice by one page"),
    ("hk-screening-more", "hk-screening-more/figures.csv", _first_place_renamed,
     "'Not Chile at all'"),
    ("referral-funnels", "referral-funnels/funnels.csv", _first_place_renamed,
     "'Not Chile at all'"),
])
def test_emptied_duplicated_or_misnamed_figures_are_refused(
        shared_raw: Path, published: Path, tmp_path: Path, source_id: str, rel: str,
        change, expect: str) -> None:
    mirror = symlink_mirror(shared_raw, tmp_path / "m")
    text = (shared_raw / rel).read_text(encoding="utf-8")
    _replace(mirror, rel, change(text).encode("utf-8"))
    before = _sha(published)
    with pytest.raises(EtlError) as err:
        build.refresh([source_id], mirror=str(mirror), db_path=published)
    assert expect in str(err.value) and source_id in str(err.value)
    assert _sha(published) == before
