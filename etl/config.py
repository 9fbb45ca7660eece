"""Where the ETL reads and writes. Environment variables override the defaults."""

from __future__ import annotations

import math
import os
from pathlib import Path

from etl.errors import EtlError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
STATIC_DIR = ROOT / "static"
USER_AGENT = "trafficking-dashboard-etl/0.1 (+https://github.com/; open-source public-data dashboard)"


def _env(name: str) -> str:
    # An empty variable (``TRAFFICKING_DB=``) means unset, as a shell user expects; Path('')
    # would otherwise be the current folder.
    return os.environ.get(name, "").strip()


def db_path() -> Path:
    """The published database file (``TRAFFICKING_DB`` overrides)."""
    return Path(_env("TRAFFICKING_DB") or DATA_DIR / "trafficking.duckdb")


def raw_cache_dir() -> Path:
    """Where downloaded raw files are kept (``TRAFFICKING_RAW_CACHE`` overrides)."""
    return Path(_env("TRAFFICKING_RAW_CACHE") or DATA_DIR / "raw")


def number(name: str, default: float, *, minimum: float = 0.0) -> float:
    """A numeric setting from the environment; a value that is not a finite number above
    ``minimum`` is an error naming the variable, never a traceback at import."""
    raw = _env(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= minimum:
        raise EtlError(f"the environment variable {name} must be a number above {minimum:g}, "
                       f"got {raw!r}; unset it to use the default ({default:g})")
    return value


# The project's snapshot store as CI and a fresh clone lay it out: ../shared beside the clone.
SHARED_SNAPSHOTS = ROOT.parent / "shared" / "data" / "raw"


def snapshots() -> str | None:
    """Where a build reads its files by default: ``TRAFFICKING_SNAPSHOTS`` (a folder or an
    http(s) base laid out as <source>/<file>), ``TRAFFICKING_MIRROR`` (its older name), else
    ``../shared/data/raw`` when that folder exists. None: only the publishers' addresses."""
    for name in ("TRAFFICKING_SNAPSHOTS", "TRAFFICKING_MIRROR"):
        value = _env(name)
        if value:
            return value
    return str(SHARED_SNAPSHOTS) if SHARED_SNAPSHOTS.is_dir() else None
