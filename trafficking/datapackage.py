"""The open data package's zip, as the ETL leaves it beside the published database.

``etl/package.py`` writes ``trafficking-data.zip`` next to the database at every refresh; the read
side only finds it and reads the version it states, so the page can say when the zip belongs to
another build than the database it shows (a package that failed to update, or a rollback).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trafficking import db

ZIP_NAME = "trafficking-data.zip"  # etl.package.ZIP_NAME; tests/test_package.py checks both agree
MEMBER = "trafficking-data/datapackage.json"


@dataclass(frozen=True)
class Zip:
    path: Path
    bytes: int
    version: str  # the run id of the database the package was written from
    created: str


def find() -> Zip | None:
    """The package zip beside the published database, or None when there is none to offer."""
    path = db.db_path().parent / ZIP_NAME
    try:
        st = path.stat()
    except OSError:
        return None
    return _read(path, st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=4)
def _read(path: Path, size: int, mtime_ns: int) -> Zip | None:
    del mtime_ns  # part of the key: a rewritten zip is read again
    try:
        with zipfile.ZipFile(path) as zf:
            meta = json.loads(zf.read(MEMBER))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None  # half-written or foreign: offer nothing rather than a broken file
    return Zip(path=path, bytes=size, version=str(meta.get("version", "")),
               created=str(meta.get("created", "")))
