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
