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


def mirror_from_env() -> str | None:
    """A mirror folder or http(s) base address from ``TRAFFICKING_MIRROR``, if set."""
    value = os.environ.get("TRAFFICKING_MIRROR", "").strip()
    return value or None
