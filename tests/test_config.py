"""etl.config: every build reads the snapshot store unless told otherwise."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import config


def test_shared_snapshots_beside_the_clone_are_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAFFICKING_SNAPSHOTS", raising=False)
    monkeypatch.delenv("TRAFFICKING_MIRROR", raising=False)
    assert config.SHARED_SNAPSHOTS == config.ROOT.parent / "shared" / "data" / "raw"
    assert config.snapshots() == str(config.SHARED_SNAPSHOTS)  # CI clones beside ../shared


def test_environment_overrides_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAFFICKING_MIRROR", "/old/name")
    assert config.snapshots() == "/old/name"
    monkeypatch.setenv("TRAFFICKING_SNAPSHOTS", "http://127.0.0.1:9/raw")
    assert config.snapshots() == "http://127.0.0.1:9/raw"


def test_no_store_means_publishers_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TRAFFICKING_SNAPSHOTS", raising=False)
    monkeypatch.delenv("TRAFFICKING_MIRROR", raising=False)
    monkeypatch.setattr(config, "SHARED_SNAPSHOTS", tmp_path / "absent")
    assert config.snapshots() is None


def test_refresh_with_no_flags_builds_from_the_snapshots(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path, capsys) -> None:
    from etl.cli import main

    monkeypatch.delenv("TRAFFICKING_SNAPSHOTS", raising=False)
    monkeypatch.delenv("TRAFFICKING_MIRROR", raising=False)
    monkeypatch.setenv("TRAFFICKING_RAW_CACHE", str(tmp_path / "cache"))
    db = tmp_path / "t.duckdb"
    assert main(["--db", str(db), "refresh", "--quiet"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        via = {r[0] for r in con.execute("SELECT DISTINCT via FROM sources").fetchall()}
        unresolved = con.execute("SELECT count(*) FROM tip_tiers WHERE NOT resolved").fetchone()[0]
    finally:
        con.close()
    assert via == {"mirror-dir"} and unresolved == 0


def test_live_and_mirror_cannot_be_combined(capsys) -> None:
    from etl.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["refresh", "--live", "--mirror", "/x"])
    assert exit_.value.code == 2 and "not allowed with" in capsys.readouterr().err
