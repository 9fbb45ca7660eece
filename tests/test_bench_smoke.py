"""Smoke test for bench/: the modules import, the floor app draws saved figures, one quick
measurement runs, and the synthetic growth database is marked and refused for real data.

No timing is asserted anywhere: the numbers belong in bench/RESULTS.md, not in CI.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import plotly.graph_objects as go
import pytest

BENCH_MODULES = ["bench", "bench.pages", "bench.floor_app", "bench.server_side", "bench.server",
                 "bench.browser", "bench.refresh", "bench.growth", "bench.report", "bench.__main__",
                 "bench.protocol", "bench.cluster"]


@pytest.mark.parametrize("name", [m for m in BENCH_MODULES if m != "bench.floor_app"])
def test_modules_import(name: str) -> None:
    importlib.import_module(name)


def test_pages_are_discovered_from_the_navigation() -> None:
    from bench import pages

    found = pages.discover()
    paths = [p.path for p in found]
    assert any(p.endswith("/tiers.py") for p in paths)
    assert all((pages.ROOT / p).is_file() for p in paths)
    assert sum(1 for p in found if p.in_nav and p.url_path == "") == 1  # one landing page


def test_floor_app_draws_the_saved_figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import server_side

    fig = go.Figure(go.Bar(x=[1, 2, 3], y=[4, 5, 6]))
    saved = [{"spec": json.loads(fig.to_json()), "config": {"displaylogo": False}, "theme": ""}] * 2
    (tmp_path / "demo.json").write_text(json.dumps(saved), encoding="utf-8")
    monkeypatch.setenv("BENCH_FLOOR_DIR", str(tmp_path))
    result = server_side.measure(None, "demo", runs=1)
    assert result["errors"] == []
    assert result["figures"] == 2
    assert len(result["warm"]) == 1 and result["cold"] is not None


def test_one_page_measurement_saves_its_figures(built_db: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import pages, server_side

    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    out = tmp_path / "tiers.json"
    tiers = next(p for p in pages.discover() if p.slug == "tiers")
    result = server_side.measure(tiers.path, None, runs=1, save_figures=out)
    assert result["errors"] == []
    assert result["figures"] >= 1
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert len(saved) == result["figures"]
    assert all("data" in f["spec"] for f in saved)


def test_synthetic_copy_is_marked_and_scaled(built_db: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb
    from streamlit.testing.v1 import AppTest

    from bench import growth, pages

    target = tmp_path / "synthetic.duckdb"
    counts = growth.make_synthetic(built_db, target, 3)
    with duckdb.connect(str(built_db), read_only=True) as con:
        base_tiers = con.execute("SELECT count(*) FROM tip_tiers").fetchone()[0]
        assert con.execute("SELECT count(*) FROM meta WHERE key = 'synthetic'").fetchone()[0] == 0
    assert counts["tip_tiers"] == 3 * base_tiers
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'synthetic'").fetchone()[0] == "true"
        publisher = con.execute("SELECT DISTINCT s.publisher FROM tip_tiers t JOIN sources s "
                                "USING (source_id) WHERE t.note = 'synthetic row'").fetchall()
        assert publisher == [("SYNTHETIC (benchmark only, not data)",)]
    monkeypatch.setenv("TRAFFICKING_DB", str(target))
    sources_page = next(p for p in pages.discover() if p.slug == "data_sources")
    at = AppTest.from_file(str(growth.ROOT / sources_page.path), default_timeout=120)
    at.run()
    assert any("SYNTHETIC DATABASE" in e.value for e in at.error)


def test_synthetic_rows_never_go_into_the_published_database(tmp_path: Path) -> None:
    from bench import growth

    with pytest.raises(ValueError, match="refusing"):
        growth.make_synthetic(tmp_path / "x.duckdb", growth.PUBLISHED, 10)


def test_table_and_machine_render() -> None:
    from bench import report

    rows = [report.Row("server warm", "tiers", 5, 1.0, 0.5, "≤ 1.5× floor", False, "note"),
            report.Row("refresh", "full", 1, None)]
    text = report.table(rows)
    assert "2.00×" in text and "—" in text and text.count("\n") == 3
    assert report.machine()["cpus"]
