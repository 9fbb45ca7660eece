"""Shared fixtures: the shared snapshots, a loopback HTTP mirror of them, and one built database.

The HTTP mirror is a real server (pytest-httpserver) serving the files byte for byte, so the
ETL's real ``requests`` code path is what the tests exercise.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRAFFICKING_SHARED", ROOT.parent / "shared")).resolve()
SHARED_DATA = SHARED / "data"


def serve_folder(server: HTTPServer, folder: Path, prefix: str = "") -> None:
    """Serve every file under ``folder`` at ``<prefix>/<relative path>`` (GET only)."""

    def handler(request: Request) -> Response:
        rel = request.path[len(prefix):].lstrip("/")
        target = (folder / rel).resolve()
        if folder not in target.parents or not target.is_file():
            return Response("not found", status=404)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return Response(target.read_bytes(), status=200, content_type=kind)

    import re

    server.expect_request(re.compile(f"^{re.escape(prefix)}/.*")).respond_with_handler(handler)


def local_file(source_id: str, name: str, path: Path, url: str | None = None):
    """A file on disk as the fetch layer would hand it to a parser."""
    from etl.fetch import sha256_of
    from etl.source import FetchedFile

    return FetchedFile(source=source_id, name=name, path=path, url=url, fetched_from=str(path),
                       via="mirror-dir", sha256=sha256_of(path), bytes=path.stat().st_size,
                       retrieved_at="")


def symlink_mirror(shared_raw: Path, dest: Path) -> Path:
    """A mirror folder of symlinks to the snapshots, so a test can replace one file with a bad one."""
    for src in shared_raw.rglob("*"):
        if src.is_file():
            target = dest / "raw" / src.relative_to(shared_raw)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(src)
    (dest / "geo").mkdir(parents=True, exist_ok=True)
    for src in (shared_raw.parent / "geo").glob("*"):
        (dest / "geo" / src.name).symlink_to(src)
    return dest / "raw"


@pytest.fixture(scope="session")
def shared_raw() -> Path:
    path = SHARED_DATA / "raw"
    if not path.is_dir():
        pytest.fail(f"shared snapshots not found at {path}; clone beside ../shared as CI does")
    return path


@pytest.fixture(scope="session")
def http_mirror(shared_raw: Path) -> Iterator[str]:
    """Base URL of a loopback server serving ../shared/data; pass f'{base}/raw' as the mirror."""
    server = HTTPServer(host="127.0.0.1", port=0)
    serve_folder(server, SHARED_DATA)
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.clear()
        if server.is_running():
            server.stop()


@pytest.fixture(scope="session")
def built_db(http_mirror: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database built once per test session by a full refresh from the HTTP mirror; the
    session's ``TRAFFICKING_DB`` names it until the session ends."""
    from etl import build

    db = tmp_path_factory.mktemp("db") / "trafficking.duckdb"
    cache = tmp_path_factory.mktemp("rawcache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAFFICKING_RAW_CACHE", str(cache))
        build.refresh(mirror=f"{http_mirror}/raw", db_path=db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAFFICKING_DB", str(db))
        yield db
