"""Where the ETL reads and writes. Environment variables override the defaults."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
STATIC_DIR = ROOT / "static"
USER_AGENT = "trafficking-dashboard-etl/0.1 (+https://github.com/; open-source public-data dashboard)"


def db_path() -> Path:
    """The published database file (``TRAFFICKING_DB`` overrides)."""
    return Path(os.environ.get("TRAFFICKING_DB", DATA_DIR / "trafficking.duckdb"))


def raw_cache_dir() -> Path:
    """Where downloaded raw files are kept (``TRAFFICKING_RAW_CACHE`` overrides)."""
    return Path(os.environ.get("TRAFFICKING_RAW_CACHE", DATA_DIR / "raw"))


# The project's snapshot store as CI and a fresh clone lay it out: ../shared beside the clone.
SHARED_SNAPSHOTS = ROOT.parent / "shared" / "data" / "raw"


def snapshots() -> str | None:
    """Where a build reads its files by default: ``TRAFFICKING_SNAPSHOTS`` (a folder or an
    http(s) base laid out as <source>/<file>), ``TRAFFICKING_MIRROR`` (its older name), else
    ``../shared/data/raw`` when that folder exists. None: only the publishers' addresses."""
    for name in ("TRAFFICKING_SNAPSHOTS", "TRAFFICKING_MIRROR"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return str(SHARED_SNAPSHOTS) if SHARED_SNAPSHOTS.is_dir() else None
