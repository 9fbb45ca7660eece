"""Get raw files from a mirror (folder or base address) or from the publisher's own address.

Downloads are cached under ``data/raw/<source>/``. A file pinned to a sha256 goes through pooch:
its registry (file -> hash, from the source declarations) keeps the cached copy while its hash
matches, downloads it again when it does not, and retries a transfer that broke off or arrived
with another hash. An unpinned file (a compiled snapshot served over http) has no hash to keep
it by, so each fetch revalidates it with a conditional GET. Both use one downloader on our
``requests`` session: timeouts, back-off, User-Agent, a whole-file deadline and a size cap.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import pooch
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
# pooch logs every download to stderr at INFO; the CLI reports progress itself.
pooch.get_logger().setLevel(logging.WARNING)


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
    return pooch.file_hash(str(path), alg="sha256")


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


class _NotModified(Exception):
    """The server answered a conditional GET with 304: the cached copy is current."""


class _BrokenOff(FetchError, ValueError):
    """A transfer that broke off: pooch retries a ValueError, and it reaches the user as ours."""


class _Download:
    """pooch's downloader protocol on our session; remembers the sha256 and validators of what
    it wrote, and fails with a FetchError naming source, file and address."""

    def __init__(self, fetcher: Fetcher, source: Source, spec: SourceFile,
                 headers: dict[str, str] | None = None) -> None:
        self.fetcher, self.source, self.spec = fetcher, source, spec
        self.headers = headers or {}
        self.sha256: str | None = None  # None: pooch never called us (its cached copy matched)
        self.validators: dict[str, str] = {}

    def _error(self, url: str, reason: str) -> FetchError:
        return FetchError(self.source.id, self.spec.name, url, reason)

    def __call__(self, url: str, output_file: str | Path, _pooch: pooch.Pooch | None) -> None:
        try:
            resp = self.fetcher.session.get(
                url, headers=self.headers, stream=True,
                timeout=(CONNECT_TIMEOUT, self.fetcher.settings["read_timeout"]),
            )
        except requests.exceptions.Timeout as exc:
            raise self._error(url, f"timed out ({exc.__class__.__name__})") from exc
        except requests.exceptions.ConnectionError as exc:
            raise self._error(
                url, "connection failed (no network, refused, or name not found); to build "
                "offline, build from the snapshots: drop --live, with the snapshot store at "
                "../shared/data/raw beside the clone or named by TRAFFICKING_SNAPSHOTS",
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise self._error(url, str(exc)) from exc
        with resp:
            if resp.status_code == 304 and self.headers:
                raise _NotModified
            if resp.status_code != 200:
                raise self._error(url, f"HTTP {resp.status_code} {resp.reason}")
            self._save(url, resp, Path(output_file))
            self.validators = {"etag": resp.headers.get("ETag", ""),
                               "last_modified": resp.headers.get("Last-Modified", "")}

    def _save(self, url: str, resp: requests.Response, out_path: Path) -> None:
        """Stream the body to ``out_path`` (the caller's temporary file, which the caller
        removes on every way out) within the size cap and the whole-file deadline."""
        settings = self.fetcher.settings
        cap, deadline = int(settings["max_bytes"]), settings["deadline"]
        expected = resp.headers.get("Content-Length", "")
        if expected.isdigit() and int(expected) > cap:
            raise self._error(url, f"the server announces {int(expected):,} bytes, above the "
                                   f"{cap:,}-byte cap (TRAFFICKING_MAX_DOWNLOAD_MB)")
        digest = hashlib.sha256()
        size = 0
        stop_at = time.monotonic() + deadline
        late = (f"not finished after {deadline:g} s ({{:,}} bytes so far; "
                "TRAFFICKING_HTTP_DEADLINE)")
        # A server dripping a byte a second never trips the read timeout, and a read blocks
        # until its chunk is full: only a watchdog that shuts the socket ends such a download.
        watchdog = threading.Timer(deadline, resp.raw.shutdown)
        watchdog.daemon = True
        watchdog.start()
        try:
            with out_path.open("wb") as out:
                for chunk in resp.iter_content(chunk_size=1 << 16):
                    digest.update(chunk)
                    size += len(chunk)
                    if size > cap:
                        raise self._error(url, f"more than {cap:,} bytes, the download cap "
                                               "(TRAFFICKING_MAX_DOWNLOAD_MB); stopped")
                    out.write(chunk)
            if time.monotonic() > stop_at:
                raise self._error(url, late.format(size))
            if expected.isdigit() and int(expected) != size:
                raise _BrokenOff(self.source.id, self.spec.name, url,
                                 f"truncated download: {size} of {expected} bytes")
        except (requests.exceptions.RequestException, OSError) as exc:
            if time.monotonic() > stop_at:
                raise self._error(url, late.format(size)) from exc
            if isinstance(exc, requests.exceptions.RequestException):
                raise _BrokenOff(self.source.id, self.spec.name, url,
                                 f"download interrupted: {exc}") from exc
            raise self._error(url, f"cannot write the raw cache: {exc}") from exc
        finally:
            watchdog.cancel()
        self.sha256 = digest.hexdigest()


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
        try:
            if spec.sha256:
                target, got = self._pinned(source, spec, url)
                if got is None:
                    via += " (cached)"
            else:
                got = self._revalidated(source, spec, url, target)
                if got is None:
                    via += " (not modified)"
        except OSError as exc:  # the cache folder or its temporary file, never the network
            raise FetchError(source.id, spec.name, url, f"cannot write the raw cache: {exc}") from exc
        return FetchedFile(
            source=source.id, name=spec.name, path=target, url=spec.url, fetched_from=url,
            via=via, sha256=got or sha256_of(target), bytes=target.stat().st_size,
            retrieved_at=_now(),
        )

    def _pinned(self, source: Source, spec: SourceFile, url: str) -> tuple[Path, str | None]:
        """The cached copy if its hash is the pinned one, else a download checked against it;
        returns the path and the downloaded file's sha256 (None: the cached copy served)."""
        registry = {f.name: f"sha256:{f.sha256}" if f.sha256 else None for f in (*source.files, spec)}
        pup = pooch.create(self.cache_dir / source.id, base_url="", registry=registry,
                           urls={spec.name: url}, retry_if_failed=int(self.settings["retries"]))
        download = _Download(self, source, spec)
        try:
            path = Path(pup.fetch(spec.name, downloader=download))
        except FetchError:
            raise
        except ValueError as exc:  # pooch: the last attempt's hash is not the pinned one
            reason = _mismatch(source, spec, download.sha256) if download.sha256 else str(exc)
            raise FetchError(source.id, spec.name, url, reason) from exc
        return path, download.sha256

    def _revalidated(self, source: Source, spec: SourceFile, url: str,
                     target: Path) -> str | None:
        """A conditional GET against the cached copy's validators; returns the new file's
        sha256, or None when the server says the cached copy is current."""
        meta_path = target.with_name(target.name + ".meta.json")
        headers: dict[str, str] = {}
        if target.is_file() and meta_path.is_file():
            try:
                meta = json.loads(meta_path.read_text())
            except ValueError:  # cut short by a killed run: ask for the whole file
                meta = {}
            if meta.get("url") == url:
                for header, key in (("If-None-Match", "etag"), ("If-Modified-Since", "last_modified")):
                    if meta.get(key):
                        headers[header] = meta[key]
        download = _Download(self, source, spec, headers)
        partial = target.with_name(target.name + ".part")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            download(url, partial, None)
            os.replace(partial, target)
        except _NotModified:
            return None
        finally:
            # Every way out (an error, Ctrl-C, a kill the interpreter survives) leaves no half
            # file for the next run to mistake for data.
            partial.unlink(missing_ok=True)
        meta_path.write_text(json.dumps({"url": url, **download.validators}))
        return download.sha256

    def _check(self, source: Source, spec: SourceFile, fetched: FetchedFile) -> None:
        if fetched.bytes == 0:
            raise FetchError(source.id, spec.name, fetched.fetched_from, "the file is empty")
        if spec.sha256 and fetched.sha256 != spec.sha256:
            raise FetchError(source.id, spec.name, fetched.fetched_from,
                             _mismatch(source, spec, fetched.sha256))
        with fetched.path.open("rb") as fh:
            head = fh.read(512).lstrip().lower()
        if not spec.name.endswith((".htm", ".html", ".txt")) and head.startswith(HTML_SNIFF):
            raise FetchError(
                source.id, spec.name, fetched.fetched_from,
                "received an HTML page instead of the data file (an error or login page?)",
            )


def _mismatch(source: Source, spec: SourceFile, got: str) -> str:
    # A pinned file that changed is either damaged or a new release; adopting a release must
    # be a reviewed edit of the declaration, so the message says where that edit goes.
    module = source.parse.__module__.replace(".", "/") + ".py"
    return (f"checksum mismatch: expected sha256 {spec.sha256}, got {got} (a damaged copy, or a "
            f"new release: check the file, then re-pin its sha256 in {module})")
