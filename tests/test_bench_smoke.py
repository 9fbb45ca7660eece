"""Smoke test for bench/: the modules import, the floor app draws saved figures, one quick
measurement runs, the server is started with `make run`'s command, the protocol client captures
and reruns a page, the bare floor serves its figures, and the synthetic growth database is marked
and refused for real data.

No timing is asserted anywhere: the numbers belong in bench/RESULTS.md, not in CI.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
from pathlib import Path

import plotly.graph_objects as go
import pytest

BENCH_MODULES = ["bench", "bench.pages", "bench.floor_app", "bench.server_side", "bench.server",
                 "bench.browser", "bench.refresh", "bench.growth", "bench.report", "bench.__main__",
                 "bench.protocol", "bench.cluster", "bench.live", "bench.bare"]


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


def test_server_starts_with_make_runs_command() -> None:
    from bench import server

    cmd = server.run_command(54321)
    assert cmd[:2] == ["/bin/sh", "-c"] and cmd[2].startswith("exec ")
    assert "--server.port 54321" in cmd[2]
    dry = subprocess.run(["make", "-s", "-n", "-o", "data", "run", "PORT=54321"],
                         cwd=server.ROOT, capture_output=True, text=True, check=True).stdout
    # The same program and options as the Makefile's recipe, only the interpreter's folder differs.
    assert cmd[2].split(None, 2)[2] == dry.strip().splitlines()[-1].split(None, 1)[1]
    flags = server.production_flags(cmd)
    assert "--server.port" not in flags and "54321" not in flags


def test_process_tree_cpu_and_memory() -> None:
    from bench import server

    me = dict((pid, (cpu, hwm)) for pid, cpu, hwm in server._tree(os.getpid()))
    assert me[os.getpid()][0] > 0 and me[os.getpid()][1] > 0


def test_protocol_message_is_the_browsers() -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    from bench import protocol

    raw = protocol.browser_message("tiers", "year=2024", "http://localhost:1")
    msg = BackMsg()
    msg.ParseFromString(raw)
    rs = msg.rerun_script
    assert (rs.page_name, rs.query_string, rs.context_info.url) == (
        "tiers", "year=2024", "http://localhost:1/tiers")
    assert rs.HasField("widget_states") and rs.context_info.locale == "en-US"
    assert protocol.same_message(raw, protocol.browser_message("tiers", "year=2024",
                                                               "http://localhost:1"))
    assert not protocol.same_message(raw, protocol.browser_message("tiers", "",
                                                                   "http://localhost:1"))


def _saved(folder: Path, name: str, n: int) -> list[dict]:
    fig = go.Figure(go.Bar(x=[1, 2, 3], y=[4, 5, 6]))
    saved = [{"spec": json.loads(fig.to_json()), "config": {"displaylogo": False}, "theme": ""}] * n
    (folder / f"{name}.json").write_text(json.dumps(saved), encoding="utf-8")
    return saved


def test_protocol_captures_the_charts_and_reruns(tmp_path: Path) -> None:
    from bench import protocol, server

    _saved(tmp_path, "demo", 2)
    script = server.floor_site(tmp_path / "site")
    floor = server.floor_server(script, {"BENCH_FLOOR_DIR": str(tmp_path)})
    with floor as url:
        got = protocol.one(url, "", 60, query="page=demo", capture=True, reruns=2)
        assert got.error == "" and got.seconds is not None
        assert len(got.figures) == 2 and got.figures[0]["spec"]["data"][0]["type"] == "bar"
        assert len(got.reruns) == 2
        outcomes, _ = protocol.concurrent(url, "", 3, 60)
        assert [o.error for o in outcomes] == ["", "", ""]
        both = protocol.interleaved_reruns([(url, "", "page=demo"), (url, "", "page=none")], 2)
        assert [len(o.reruns) for o in both] == [2, 2]
        assert floor.cpu_seconds() > 0


def test_bare_floor_serves_the_figures_and_plotly(tmp_path: Path) -> None:
    import requests

    from bench import bare

    figures = _saved(tmp_path, "demo", 1)
    figures[0]["spec"]["layout"]["title"] = {"text": "</script><b>x"}
    site = bare.BareSite(tmp_path / "bare")
    bare.write_page(site.folder, "demo", figures)
    with site as url:
        page = requests.get(f"{url}/demo.html", timeout=10).text
        assert '<script src="/plotly.min.js">' in page and "<\\/script>" in page
        assert "</script><b>" not in page
        assert requests.head(f"{url}/plotly.min.js", timeout=10).status_code == 200
        assert requests.head(f"{url}/app/static/world_110m.json", timeout=10).status_code == 200


def test_targets_name_every_target() -> None:
    from bench import report
    from bench.__main__ import parse_args, targets

    rows = [report.Row("visible fresh: first chart", "tiers", 5, 1.2, 1.0, "≤ 1.5 s", True),
            report.Row("warm rerun", "compare", 7, 1.0, 0.1, "≤ 1.2× floor", False)]
    text = "\n".join(targets(rows))
    assert "first chart visible, median ≤ 1.5 s on every page with charts: met" in text
    assert "warm rerun ≤ 1.2× floor on every page: NOT met (compare); worst compare 10.00×" in text
    assert text.count("not measured") == 5
    quick = parse_args(["--quick"])
    assert (quick.runs, quick.returning, quick.reps) == (1, 0, 1)
    full = parse_args([])
    assert full.runs >= 5 and full.returning >= 3 and full.reps == 3
    assert full.sessions == [1, 5, 10, 25] and full.stagger == (25, 0.2)
