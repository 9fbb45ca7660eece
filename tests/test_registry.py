"""trafficking/present/registry.py on the session database: which values are a chart's default
view (the ones with a still image, present/firstview.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apptest import sql


@pytest.fixture()
def registry(built_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    from trafficking.present import registry

    return registry


def test_the_default_view_follows_the_database(registry, built_db: Path) -> None:
    latest = int(sql(built_db, "SELECT max(report_year) FROM tip_tiers")[0][0])
    assert latest == 2025
    assert registry.is_default("tiers-map", {"year": latest})
    assert registry.is_default("tiers-map", {})  # nothing given: the defaults
    assert not registry.is_default("tiers-map", {"year": 2019})
    assert registry.is_default("profile-tiers", {"iso3": ["HKG"]})
    assert not registry.is_default("profile-tiers", {"iso3": ["SGP"]})
    assert registry.is_default("hk-screening", {})
    assert not registry.is_default("no-such-chart", {})
