"""Bad-input suite, fetch half: hostile servers and broken snapshot folders get a clear error that
names source and file, within a bound, and leave no half-downloaded file behind."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Response

from etl import config, fetch
from etl.errors import EtlError, FetchError
from etl.fetch import Fetcher
from etl.source import Parsed, Source, SourceFile


def _source(name: str = "data.csv") -> Source:
    return Source(id="demo", publisher="P", title="T", licence="L", homepage="h",
                  files=(SourceFile(name, None),), parse=lambda f: Parsed())


def _download(tmp_path: Path, server: HTTPServer, name: str = "data.csv"):
    spec = SourceFile(name, server.url_for(f"/{name}"))
    return Fetcher(cache_dir=tmp_path).fetch(_source(name), spec)


def _leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.rglob("*.part"))


@pytest.fixture(autouse=True)
def bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "RETRIES", 0)
    monkeypatch.setattr(fetch, "BACKOFF", 0.0)
    monkeypatch.setattr(fetch, "READ_TIMEOUT", 5.0)


def _drip(n: int, pause: float) -> Iterator[bytes]:
    for _ in range(n):  # bounded: the server thread ends on its own within n * pause
        yield b"x"
        time.sleep(pause)


def test_a_server_dripping_bytes_is_cut_at_the_deadline(httpserver: HTTPServer, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Each byte arrives well inside the read timeout, so only a whole-file deadline ends it.
    monkeypatch.setattr(fetch, "DEADLINE", 1.0)
    httpserver.expect_request("/data.csv").respond_with_response(
        Response(_drip(40, 0.2), headers={"Content-Length": "40"}))
    t0 = time.monotonic()
    with pytest.raises(FetchError) as err:
        _download(tmp_path, httpserver)
    assert time.monotonic() - t0 < 4.0
    assert "[demo]" in str(err.value) and "data.csv" in str(err.value)
    assert "not finished after 1 s" in str(err.value)
    assert _leftovers(tmp_path) == [] and not (tmp_path / "demo" / "data.csv").exists()


def test_an_announced_size_above_the_cap_is_refused_before_reading(
        httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    httpserver.expect_request("/data.csv").respond_with_data(b"a,b\n" * 2000)
    with pytest.raises(FetchError, match=r"announces 8,000 bytes, above the 1,000-byte cap"):
        _download(tmp_path, httpserver)
    assert _leftovers(tmp_path) == []


def test_an_unannounced_body_is_stopped_at_the_cap(httpserver: HTTPServer, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "MAX_BYTES", 100_000)

    def endless() -> Iterator[bytes]:
        for _ in range(200):  # 12.8 MB at most, far past the cap
            yield b"0" * 65536

    httpserver.expect_request("/data.csv").respond_with_response(Response(endless()))
    with pytest.raises(FetchError, match=r"more than 100,000 bytes, the download cap"):
        _download(tmp_path, httpserver)
    assert _leftovers(tmp_path) == []


def test_a_truncated_body_is_not_kept(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/data.csv").respond_with_response(
        Response(iter([b"a,b\n1,2\n"]), headers={"Content-Length": "500"}))
    with pytest.raises(FetchError, match="truncated|interrupted"):
        _download(tmp_path, httpserver)
    assert _leftovers(tmp_path) == [] and not (tmp_path / "demo" / "data.csv").exists()


def test_ctrl_c_mid_download_leaves_no_part_file(httpserver: HTTPServer, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request("/data.csv").respond_with_data(b"a,b\n1,2\n")

    class Interrupted:
        def update(self, _chunk: bytes) -> None:
            raise KeyboardInterrupt

    monkeypatch.setattr(fetch.hashlib, "sha256", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        _download(tmp_path, httpserver)
    assert _leftovers(tmp_path) == []


def test_a_symlink_loop_in_the_snapshots_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "data.csv").symlink_to(folder / "other.csv")
    (folder / "other.csv").symlink_to(folder / "data.csv")
    with pytest.raises(FetchError) as err:
        Fetcher(mirror=str(tmp_path)).fetch_source(_source())
    assert "[demo] could not get data.csv" in str(err.value)
    assert "loop of symbolic links" in str(err.value)


def test_a_folder_where_the_snapshot_should_be(tmp_path: Path) -> None:
    (tmp_path / "demo" / "data.csv").mkdir(parents=True)
    with pytest.raises(FetchError, match="not a file in the snapshot folder"):
        Fetcher(mirror=str(tmp_path)).fetch_source(_source())


def test_a_dangling_symlink_is_a_missing_snapshot(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "data.csv").symlink_to(tmp_path / "gone.csv")
    with pytest.raises(FetchError, match="file not found in the snapshot folder"):
        Fetcher(mirror=str(tmp_path)).fetch_source(_source())


@pytest.mark.parametrize("value", ["abc", "-5", "nan", "inf", "0"])
def test_a_bad_timeout_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch,
                                                  value: str) -> None:
    monkeypatch.setattr(fetch, "READ_TIMEOUT", None)
    monkeypatch.setenv("TRAFFICKING_HTTP_TIMEOUT", value)
    with pytest.raises(EtlError, match=f"TRAFFICKING_HTTP_TIMEOUT must be a number above 0, "
                                       f"got '{value}'"):
        Fetcher()


def test_a_bad_setting_fails_the_refresh_without_a_traceback(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from etl.cli import main

    monkeypatch.setenv("TRAFFICKING_MAX_DOWNLOAD_MB", "lots")
    code = main(["--db", str(tmp_path / "t.duckdb"), "refresh", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "TRAFFICKING_MAX_DOWNLOAD_MB" in err and "Traceback" not in err
    assert not (tmp_path / "t.duckdb").exists()


def test_an_empty_database_variable_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_DB", "")
    monkeypatch.setenv("TRAFFICKING_RAW_CACHE", "  ")
    assert config.db_path() == config.DATA_DIR / "trafficking.duckdb"
    assert config.raw_cache_dir() == config.DATA_DIR / "raw"


def test_the_dashboard_reads_an_empty_database_variable_as_the_ETL_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from trafficking import db

    monkeypatch.setenv("TRAFFICKING_DB", "")
    assert db.db_path() == config.db_path()


# The same bounds on the pinned path, where pooch owns the temporary file and the retries.

def _download_pinned(tmp_path: Path, server: HTTPServer, name: str = "data.csv"):
    spec = SourceFile(name, server.url_for(f"/{name}"), sha256="0" * 64)
    return Fetcher(cache_dir=tmp_path).fetch(_source(name), spec)


def _any_file(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.rglob("*") if p.is_file())


def test_a_dripping_server_is_cut_at_the_deadline_for_a_pinned_file_too(
        httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "DEADLINE", 1.0)
    monkeypatch.setattr(fetch, "RETRIES", 2)  # a deadline is final: never retried
    httpserver.expect_request("/data.csv").respond_with_response(
        Response(_drip(40, 0.2), headers={"Content-Length": "40"}))
    t0 = time.monotonic()
    with pytest.raises(FetchError, match=r"\[demo\] could not get data.csv .*not finished after 1 s"):
        _download_pinned(tmp_path, httpserver)
    assert time.monotonic() - t0 < 4.0 and _any_file(tmp_path) == []


def test_the_size_cap_holds_for_a_pinned_file(httpserver: HTTPServer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    httpserver.expect_request("/data.csv").respond_with_data(b"a,b\n" * 2000)
    with pytest.raises(FetchError, match=r"announces 8,000 bytes, above the 1,000-byte cap"):
        _download_pinned(tmp_path, httpserver)
    assert _any_file(tmp_path) == []


def test_a_truncated_pinned_file_is_retried_then_named(httpserver: HTTPServer, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "RETRIES", 1)
    httpserver.expect_request("/data.csv").respond_with_response(
        Response(iter([b"a,b\n1,2\n"]), headers={"Content-Length": "500"}))
    with pytest.raises(FetchError, match=r"\[demo\] could not get data.csv .*(truncated|interrupted)"):
        _download_pinned(tmp_path, httpserver)
    assert len(httpserver.log) == 2 and _any_file(tmp_path) == []


def test_ctrl_c_mid_pinned_download_leaves_no_file(httpserver: HTTPServer, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request("/data.csv").respond_with_data(b"a,b\n1,2\n")

    class Interrupted:
        def update(self, _chunk: bytes) -> None:
            raise KeyboardInterrupt

    monkeypatch.setattr(fetch.hashlib, "sha256", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        _download_pinned(tmp_path, httpserver)
    assert _any_file(tmp_path) == []


def test_an_unwritable_cache_is_named(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/data.csv").respond_with_data(b"a,b\n1,2\n")
    (tmp_path / "demo").write_text("a file where the cache folder should be")
    with pytest.raises(FetchError, match=r"\[demo\] could not get data.csv .*cannot write the raw cache"):
        _download_pinned(tmp_path, httpserver)
