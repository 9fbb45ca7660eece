"""Get raw files from a mirror (folder or base address) or from the publisher's own address.

Every file is hashed as it lands; downloads are cached under ``data/raw/<source>/`` with the
validators needed for a conditional GET next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from etl import config
from etl.errors import FetchError
from etl.source import FetchedFile, Source, SourceFile

CONNECT_TIMEOUT = 10.0
# None: read from the environment when a Fetcher starts (tests set the module values).
READ_TIMEOUT: float | None = None  # seconds of silence between two reads
DEADLINE: float | None = None  # seconds for one whole file: a server dripping a byte a second
MAX_BYTES: int | None = None  # never resets the read timeout but never ends either
RETRIES: int | None = None
BACKOFF: float | None = None
HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<?xml")


def _settings() -> dict[str, float]:
    return {
        "read_timeout": READ_TIMEOUT or config.number("TRAFFICKING_HTTP_TIMEOUT", 60.0),
        "deadline": DEADLINE or config.number("TRAFFICKING_HTTP_DEADLINE", 600.0),
        # The largest snapshot is 3 MB; a publisher's file 100 times that is not a data file.
        "max_bytes": MAX_BYTES or config.number("TRAFFICKING_MAX_DOWNLOAD_MB", 300.0) * 2**20,
        "retries": RETRIES if RETRIES is not None
        else config.number("TRAFFICKING_HTTP_RETRIES", 3, minimum=-1),
        "backoff": BACKOFF if BACKOFF is not None
        else config.number("TRAFFICKING_HTTP_BACKOFF", 1.0, minimum=-1),
    }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _subdir(source: Source) -> str:
    return source.mirror_subdir or source.id


def make_session(retries: int = 3, backoff: float = 1.0) -> requests.Session:
    """A session with back-off retries on transient failures and our User-Agent."""
    session = requests.Session()
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = config.USER_AGENT
    return session


class Fetcher:
    """Fetches a source's files from ``mirror`` when given, else from their official addresses."""

    def __init__(self, mirror: str | None = None, cache_dir: Path | None = None) -> None:
        self.mirror = mirror
        self.cache_dir = cache_dir or config.raw_cache_dir()
        self.settings = _settings()
        self._session: requests.Session | None = None

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            self._session = make_session(int(self.settings["retries"]), self.settings["backoff"])
        return self._session

    def fetch_source(self, source: Source) -> dict[str, FetchedFile]:
        return {f.name: self.fetch(source, f) for f in source.files}

    def fetch(self, source: Source, spec: SourceFile) -> FetchedFile:
        if self.mirror and not self.mirror.startswith(("http://", "https://")):
            fetched = self._from_folder(source, spec)
        elif self.mirror:
            url = urljoin(self.mirror.rstrip("/") + "/", f"{_subdir(source)}/{spec.name}")
            fetched = self._download(source, spec, url, via="mirror-http")
        elif spec.url is None:
            raise FetchError(
                source.id, spec.name, "(no public address)",
                "this file was compiled from quoted public pages and is distributed only with the "
                "project's shared snapshots; put them at ../shared/data/raw beside the clone, "
                "or point TRAFFICKING_SNAPSHOTS (or --mirror) at a copy",
            )
        else:
            fetched = self._download(source, spec, spec.url, via="http")
        self._check(source, spec, fetched)
        return fetched

    def _from_folder(self, source: Source, spec: SourceFile) -> FetchedFile:
        path = Path(self.mirror) / _subdir(source) / spec.name  # type: ignore[arg-type]
        try:
            path = path.resolve(strict=True)
            if not path.is_file():
                raise FetchError(source.id, spec.name, str(path),
                                 "not a file in the snapshot folder (a folder or a device?)")
            return FetchedFile(
                source=source.id, name=spec.name, path=path, url=spec.url, fetched_from=str(path),
                via="mirror-dir", sha256=sha256_of(path), bytes=path.stat().st_size,
                retrieved_at=_now(),
            )
        except FileNotFoundError as exc:
            raise FetchError(source.id, spec.name, str(path),
                             "file not found in the snapshot folder") from exc
        except RuntimeError as exc:  # Path.resolve's "Symlink loop from …" before Python 3.13
            raise FetchError(source.id, spec.name, str(path),
                             "the snapshot path is a loop of symbolic links") from exc
        except OSError as exc:
            raise FetchError(source.id, spec.name, str(path),
                             f"cannot read the snapshot ({exc.strerror or exc})") from exc

    def _download(self, source: Source, spec: SourceFile, url: str, via: str) -> FetchedFile:
        target = self.cache_dir / source.id / spec.name
        meta_path = target.with_name(target.name + ".meta.json")
        headers: dict[str, str] = {}
        meta: dict[str, str] = {}
        if target.is_file() and meta_path.is_file():
            meta = json.loads(meta_path.read_text())
            if meta.get("url") == url:
                if meta.get("etag"):
                    headers["If-None-Match"] = meta["etag"]
                if meta.get("last_modified"):
                    headers["If-Modified-Since"] = meta["last_modified"]
        try:
            resp = self.session.get(
                url, headers=headers, stream=True,
                timeout=(CONNECT_TIMEOUT, self.settings["read_timeout"]),
            )
        except requests.exceptions.Timeout as exc:
            raise FetchError(source.id, spec.name, url, f"timed out ({exc.__class__.__name__})") from exc
        except requests.exceptions.ConnectionError as exc:
            raise FetchError(
                source.id, spec.name, url,
                "connection failed (no network, refused, or name not found); to build offline, "
                "build from the snapshots: drop --live, with the snapshot store at "
                "../shared/data/raw beside the clone or named by TRAFFICKING_SNAPSHOTS",
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise FetchError(source.id, spec.name, url, str(exc)) from exc
        with resp:
            if resp.status_code == 304 and target.is_file():
                return FetchedFile(
                    source=source.id, name=spec.name, path=target, url=spec.url, fetched_from=url,
                    via=via + " (not modified)", sha256=sha256_of(target),
                    bytes=target.stat().st_size, retrieved_at=_now(),
                )
            if resp.status_code != 200:
                raise FetchError(source.id, spec.name, url, f"HTTP {resp.status_code} {resp.reason}")
            sha, size = self._save(source, spec, url, resp, target)
        meta_path.write_text(json.dumps({
            "url": url,
            "etag": resp.headers.get("ETag", ""),
            "last_modified": resp.headers.get("Last-Modified", ""),
        }))
        return FetchedFile(
            source=source.id, name=spec.name, path=target, url=spec.url, fetched_from=url, via=via,
            sha256=sha, bytes=size, retrieved_at=_now(),
        )

    def _save(self, source: Source, spec: SourceFile, url: str, resp: requests.Response,
              target: Path) -> tuple[str, int]:
        """Stream the body to ``target`` through a ``.part`` file that never outlives the call,
        within the size cap and the whole-file deadline; returns (sha256, bytes)."""
        cap, deadline = int(self.settings["max_bytes"]), self.settings["deadline"]
        expected = resp.headers.get("Content-Length", "")
        if expected.isdigit() and int(expected) > cap:
            raise FetchError(source.id, spec.name, url,
                             f"the server announces {int(expected):,} bytes, above the "
                             f"{cap:,}-byte cap (TRAFFICKING_MAX_DOWNLOAD_MB)")
        partial = target.with_name(target.name + ".part")
        digest = hashlib.sha256()
        size = 0
        stop_at = time.monotonic() + deadline
        # A server dripping a byte a second never trips the read timeout, and a read blocks
        # until its chunk is full: only a watchdog that shuts the socket ends such a download.
        watchdog = threading.Timer(deadline, resp.raw.shutdown)
        watchdog.daemon = True
        watchdog.start()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as out:
                for chunk in resp.iter_content(chunk_size=1 << 16):
                    digest.update(chunk)
                    size += len(chunk)
                    if size > cap:
                        raise FetchError(source.id, spec.name, url,
                                         f"more than {cap:,} bytes, the download cap "
                                         "(TRAFFICKING_MAX_DOWNLOAD_MB); stopped")
                    out.write(chunk)
            if time.monotonic() > stop_at:
                raise FetchError(source.id, spec.name, url,
                                 f"not finished after {deadline:g} s ({size:,} bytes so far; "
                                 "TRAFFICKING_HTTP_DEADLINE)")
            if expected.isdigit() and int(expected) != size:
                raise FetchError(source.id, spec.name, url,
                                 f"truncated download: {size} of {expected} bytes")
            os.replace(partial, target)
        except (requests.exceptions.RequestException, OSError) as exc:
            if time.monotonic() > stop_at:
                raise FetchError(source.id, spec.name, url,
                                 f"not finished after {deadline:g} s ({size:,} bytes so far; "
                                 "TRAFFICKING_HTTP_DEADLINE)") from exc
            if isinstance(exc, requests.exceptions.RequestException):
                raise FetchError(source.id, spec.name, url, f"download interrupted: {exc}") from exc
            raise FetchError(source.id, spec.name, url, f"cannot write the raw cache: {exc}") from exc
        finally:
            watchdog.cancel()
            # Every way out (an error above, Ctrl-C, a kill the interpreter survives) leaves
            # no half file for the next run to mistake for data.
            partial.unlink(missing_ok=True)
        return digest.hexdigest(), size

    def _check(self, source: Source, spec: SourceFile, fetched: FetchedFile) -> None:
        if fetched.bytes == 0:
            raise FetchError(source.id, spec.name, fetched.fetched_from, "the file is empty")
        if spec.sha256 and fetched.sha256 != spec.sha256:
            raise FetchError(
                source.id, spec.name, fetched.fetched_from,
                f"checksum mismatch: expected sha256 {spec.sha256}, got {fetched.sha256}",
            )
        with fetched.path.open("rb") as fh:
            head = fh.read(512).lstrip().lower()
        if not spec.name.endswith((".htm", ".html", ".txt")) and head.startswith(HTML_SNIFF):
            raise FetchError(
                source.id, spec.name, fetched.fetched_from,
                "received an HTML page instead of the data file (an error or login page?)",
            )


def copy_into(fetched: FetchedFile, dest: Path) -> None:
    """Copy a fetched file to ``dest`` atomically (used for files served as they are)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.copyfile(fetched.path, tmp)
    os.replace(tmp, dest)
