"""The fetch layer against a real loopback HTTP server and real files."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Response

from etl import fetch
from etl.errors import FetchError
from etl.fetch import Fetcher
from etl.source import Parsed, Source, SourceFile

BODY = b"a,b\n1,2\n"


def _source(url: str | None, sha: str | None = None, name: str = "data.csv") -> Source:
    return Source(id="demo", publisher="P", title="T", licence="L", homepage="h",
                  files=(SourceFile(name, url, sha256=sha),), parse=lambda f: Parsed())


def _get(tmp_path: Path, server: HTTPServer, name: str):
    return Fetcher(cache_dir=tmp_path).fetch(_source(None), SourceFile(name, server.url_for(f"/{name}")))


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "BACKOFF", 0.0)
    monkeypatch.setattr(fetch, "RETRIES", 1)


def test_mirror_folder_is_read_without_network(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "data.csv").write_bytes(BODY)
    src = _source("http://198.51.100.1/never-used.csv")  # TEST-NET address: would fail if used
    got = Fetcher(mirror=str(tmp_path)).fetch_source(src)["data.csv"]
    assert got.via == "mirror-dir"
    assert got.sha256 == hashlib.sha256(BODY).hexdigest()
    assert got.url == "http://198.51.100.1/never-used.csv"


def test_download_records_checksum_and_user_agent(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/data.csv", headers={"User-Agent": fetch.config.USER_AGENT}) \
        .respond_with_data(BODY, content_type="text/csv")
    got = _get(tmp_path, httpserver, "data.csv")
    assert got.via == "http" and got.bytes == len(BODY)
    assert got.path.read_bytes() == BODY


def test_conditional_get_reuses_the_cache(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_ordered_request("/data.csv").respond_with_response(
        Response(BODY, headers={"ETag": '"v1"'}))
    httpserver.expect_ordered_request("/data.csv", headers={"If-None-Match": '"v1"'}) \
        .respond_with_response(Response(status=304))
    spec = SourceFile("data.csv", httpserver.url_for("/data.csv"))
    f = Fetcher(cache_dir=tmp_path)
    first = f.fetch(_source(None), spec)
    second = f.fetch(_source(None), spec)
    assert "not modified" in second.via and second.sha256 == first.sha256


@pytest.mark.parametrize("status", [404, 500])
def test_http_errors_name_source_file_and_status(httpserver: HTTPServer, tmp_path: Path,
                                                 status: int) -> None:
    httpserver.expect_request("/data.csv").respond_with_data("nope", status=status)
    with pytest.raises(FetchError) as err:
        _get(tmp_path, httpserver, "data.csv")
    assert "[demo]" in str(err.value) and "data.csv" in str(err.value) and str(status) in str(err.value)
    assert not (tmp_path / "demo" / "data.csv").exists()


def test_timeout_is_reported(httpserver: HTTPServer, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fetch, "READ_TIMEOUT", 0.3)
    monkeypatch.setattr(fetch, "RETRIES", 0)

    def slow(_request):
        time.sleep(1.0)
        return Response(BODY)

    httpserver.expect_request("/slow.csv").respond_with_handler(slow)
    with pytest.raises(FetchError, match="timed out|connection failed"):
        _get(tmp_path, httpserver, "slow.csv")


def test_connection_refused(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="connection failed"):
        Fetcher(cache_dir=tmp_path).fetch(_source(None), SourceFile("x.csv", "http://127.0.0.1:9/x.csv"))


def test_checksum_mismatch(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "data.csv").write_bytes(BODY)
    src = _source("http://example.invalid/data.csv", sha="0" * 64)
    with pytest.raises(FetchError, match="checksum mismatch"):
        Fetcher(mirror=str(tmp_path)).fetch_source(src)


def test_html_error_page_instead_of_data(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/data.csv").respond_with_data(
        "<!DOCTYPE html><html><body>Service unavailable</body></html>", content_type="text/html")
    with pytest.raises(FetchError, match="HTML page"):
        _get(tmp_path, httpserver, "data.csv")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "data.csv").write_bytes(b"")
    with pytest.raises(FetchError, match="empty"):
        Fetcher(mirror=str(tmp_path)).fetch_source(_source(None))


def test_compiled_file_without_mirror_says_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="--mirror"):
        Fetcher(cache_dir=tmp_path).fetch_source(_source(None))


def test_http_mirror_layout(http_mirror: str, tmp_path: Path) -> None:
    from etl import registry

    src = registry.get("wikipedia-tip-tier-table")
    got = Fetcher(mirror=f"{http_mirror}/raw", cache_dir=tmp_path).fetch_source(src)
    f = got["TIP_Tiers_overyears.csv"]
    assert f.via == "mirror-http"
    assert f.sha256 == "7ce511c564d056c4fb964bf354459bdf800a66a19d495435b387e949c0206048"


# --- pinned files: pooch's registry, cache by hash and retries ---------------------------------

SHA = hashlib.sha256(BODY).hexdigest()


def _pinned(server: HTTPServer, name: str = "data.csv", sha: str = SHA) -> SourceFile:
    return SourceFile(name, server.url_for(f"/{name}"), sha256=sha)


def _hits(server: HTTPServer, path: str = "/data.csv") -> int:
    return sum(1 for request, _ in server.log if request.path == path)


def test_a_pinned_file_in_the_cache_is_used_without_a_request(httpserver: HTTPServer,
                                                              tmp_path: Path) -> None:
    httpserver.expect_request("/data.csv").respond_with_data(BODY)
    spec = _pinned(httpserver)
    first = Fetcher(cache_dir=tmp_path).fetch(_source(None), spec)
    second = Fetcher(cache_dir=tmp_path).fetch(_source(None), spec)
    assert (first.via, second.via) == ("http", "http (cached)")
    assert first.sha256 == second.sha256 == SHA and second.path.read_bytes() == BODY
    assert _hits(httpserver) == 1  # the cached copy's hash matched: no conditional GET either
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["data.csv"]


def test_a_corrupted_cached_copy_is_downloaded_again(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/data.csv").respond_with_data(BODY)
    spec = _pinned(httpserver)
    Fetcher(cache_dir=tmp_path).fetch(_source(None), spec)
    cached = tmp_path / "demo" / "data.csv"
    cached.write_bytes(b"a,b\n1,3\n")  # a disk error or a hand edit
    again = Fetcher(cache_dir=tmp_path).fetch(_source(None), spec)
    assert again.via == "http" and again.sha256 == SHA and cached.read_bytes() == BODY
    assert _hits(httpserver) == 2


def test_a_pinned_download_with_another_hash_names_both(httpserver: HTTPServer, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "RETRIES", 0)
    other = b"a,b\n1,99\n"
    httpserver.expect_request("/data.csv").respond_with_data(other)
    spec = _pinned(httpserver)
    with pytest.raises(FetchError) as err:
        Fetcher(cache_dir=tmp_path).fetch(_source(None), spec)
    assert str(err.value) == (
        f"[demo] could not get data.csv from {spec.url}: checksum mismatch: expected sha256 {SHA}, "
        f"got {hashlib.sha256(other).hexdigest()} (a damaged copy, or a new release: check the "
        "file, then re-pin its sha256 in tests/test_fetch.py). "
        "Nothing was published; the previous database is unchanged.")
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []  # pooch deleted it


def test_a_transfer_with_the_wrong_hash_is_retried(httpserver: HTTPServer, tmp_path: Path) -> None:
    # RETRIES is 1 here (the autouse fixture): pooch's retry_if_failed tries once more.
    httpserver.expect_ordered_request("/data.csv").respond_with_data(b"a,b\n1,2")  # another body
    httpserver.expect_ordered_request("/data.csv").respond_with_data(BODY)
    got = Fetcher(cache_dir=tmp_path).fetch(_source(None), _pinned(httpserver))
    assert got.sha256 == SHA and _hits(httpserver) == 2


def test_http_errors_on_a_pinned_file_are_not_retried(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/data.csv").respond_with_data("gone", status=404)
    with pytest.raises(FetchError, match=r"\[demo\] could not get data.csv from .*: HTTP 404 NOT FOUND"):
        Fetcher(cache_dir=tmp_path).fetch(_source(None), _pinned(httpserver))
    assert _hits(httpserver) == 1 and [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_every_publisher_address_is_pinned() -> None:
    from etl import registry

    unpinned = [f"{s.id}/{f.name}" for s in registry.all_sources().values()
                for f in s.files if f.url is not None and not f.sha256]
    assert unpinned == []


def test_the_unodc_workbook_is_pinned_to_the_snapshot_release(shared_raw: Path, tmp_path: Path) -> None:
    import re

    from etl.sources import unodc_glotip as glotip

    provenance = (shared_raw / "unodc-glotip" / "PROVENANCE.md").read_text()
    assert "release stamped 30/05/2023" in provenance and glotip.RELEASE == "2023-05-30"
    assert re.search(r"sha256 `([0-9a-f]{64})`", provenance).group(1) == glotip.SHA256
    spec = glotip.SOURCE.files[0]
    assert spec.sha256 == glotip.SHA256 and spec.url == glotip.URL
    got = Fetcher(mirror=str(shared_raw)).fetch(glotip.SOURCE, spec)  # the snapshot passes its pin
    assert got.sha256 == glotip.SHA256 and got.bytes == 2_311_753


def test_a_new_unodc_release_is_a_re_pin(httpserver: HTTPServer, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from etl.sources import unodc_glotip as glotip

    monkeypatch.setattr(fetch, "RETRIES", 0)
    httpserver.expect_request("/data_glotip.xlsx").respond_with_data(b"PK\x03\x04 a newer workbook")
    spec = dataclasses.replace(glotip.SOURCE.files[0], url=httpserver.url_for("/data_glotip.xlsx"))
    with pytest.raises(FetchError) as err:
        Fetcher(cache_dir=tmp_path).fetch(glotip.SOURCE, spec)
    assert f"expected sha256 {glotip.SHA256}" in str(err.value)
    assert "re-pin its sha256 in etl/sources/unodc_glotip.py" in str(err.value)
