"""A refresh with no mirror downloads each file from its address (here rewritten to loopback)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest

from etl import build, registry


@pytest.fixture
def loopback_sources(http_mirror: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Every source's official address, rewritten to the loopback server's copy of that file."""
    real = registry.all_sources()
    rewritten = {}
    for sid, src in real.items():
        sub = src.mirror_subdir or sid
        files = tuple(
            dataclasses.replace(f, url=None if f.url is None else f"{http_mirror}/raw/{sub}/{f.name}")
            for f in src.files
        )
        rewritten[sid] = dataclasses.replace(src, files=files)
    monkeypatch.setattr(registry, "all_sources", lambda: rewritten)
    return rewritten


def test_online_refresh_keeps_compiled_sources_from_the_published_db(
    loopback_sources: dict, built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAFFICKING_RAW_CACHE", str(tmp_path / "cache"))
    db = tmp_path / "online.duckdb"
    shutil.copyfile(built_db, db)
    result = build.refresh(mirror=None, db_path=db)
    mirror_only = sorted(sid for sid, s in loopback_sources.items() if s.mirror_only)
    assert sorted(result.summary["skipped_mirror_only"]) == mirror_only
    con = duckdb.connect(str(db), read_only=True)
    via = dict(con.execute("SELECT dataset, any_value(via) FROM sources GROUP BY 1").fetchall())
    for sid, src in loopback_sources.items():
        assert via[sid] == ("mirror-http" if src.mirror_only else "http"), sid
    addresses = [r[0] for r in con.execute("SELECT fetched_from FROM sources WHERE via = 'http'").fetchall()]
    assert all(urlparse(a).hostname == "127.0.0.1" for a in addresses)
    # every downloaded file is pinned: pooch keeps it in the cache by its hash, no .part left
    cached = {p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    assert "data_glotip.xlsx" in cached and not any(n.endswith(".part") for n in cached)
    hk = dict(con.execute("SELECT report_year, tier FROM tip_tiers WHERE iso3 = 'HKG'").fetchall())
    assert hk[2023] == "Tier 2"  # a year that needs the carried-over compiled pages


def test_first_online_build_without_mirror_only_sources(
    loopback_sources: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAFFICKING_RAW_CACHE", str(tmp_path / "cache"))
    db = tmp_path / "fresh.duckdb"
    result = build.refresh(mirror=None, db_path=db)
    assert "tip-tier-pages" in result.summary["skipped_mirror_only"]
    con = duckdb.connect(str(db), read_only=True)
    years = [r[0] for r in con.execute("SELECT DISTINCT report_year FROM tip_tiers ORDER BY 1").fetchall()]
    assert years[0] == 2001 and years[-1] == 2025
