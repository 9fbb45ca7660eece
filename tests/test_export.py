"""Static exports: PNG/SVG drawn by kaleido in the system Chromium with no network, of the
right pixel size, carrying title, source line and build date; CSV with sources; the CLI."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
DEAD_PROXY = "http://127.0.0.1:9"  # nothing listens: any web request from Chromium fails


@pytest.fixture()
def present(built_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    # Chromium (via choreographer) sends every request through this proxy; exports must not
    # need one: map geometry, plotly.js and fonts are local, MathJax is off.
    monkeypatch.setenv("CHOREO_PROXY_SERVER", DEAD_PROXY)
    from trafficking.present import export, registry, sources

    if export.chromium_path() is None:
        pytest.fail("Chromium is required for image export tests (make chromium)")
    return registry, export, sources


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def test_png_presets_and_svg_carry_title_sources_and_build_date(present) -> None:
    registry, export, sources = present
    view = registry.view("tiers-map", {"year": 2024})
    built = sources.built_at()
    link = "http://localhost:8501/tiers?year=2024"
    wide, square = export.PRESETS["wide"], export.PRESETS["square"]
    png_wide, png_square, svg = export.render([
        (export.decorate(view, wide, built, link), "png", wide),
        (export.decorate(view, square, built, link), "png", square),
        (export.decorate(view, wide, built, link), "svg", wide),
    ])
    for data, size in ((png_wide, (1920, 1080)), (png_square, (1080, 1080))):
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        img = Image.open(io.BytesIO(data))
        img.verify()
        assert Image.open(io.BytesIO(data)).size == size
        # The map is drawn: many distinct colours, not a blank or error image.
        colours = Image.open(io.BytesIO(data)).convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("width") == "960" and root.get("height") == "540"
    text = _svg_text(svg)
    assert "TIP report 2024: tier placements" in text
    assert "Tier placements: US State Dept. TIP reports" in text
    assert f"Database built {built}" in text
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 20\d\d, \d\d:\d\d UTC", built)  # 2 Dec 2026, …
    # Every country shape is in the SVG (the geometry was found offline).
    assert svg.count(b'class="choroplethlocation"') > 150


def test_image_helper_and_long_footer_wraps(present) -> None:
    registry, export, sources = present
    view = registry.view("tier-timeline", {"jurisdictions": ["HKG", "SGP", "MYS", "THA"]})
    svg = export.image(view, "svg", "square", sources.built_at(), "http://localhost:8501/tiers")
    text = _svg_text(svg)
    assert "Tier placement over time" in text and "Hong Kong" in text
    assert "wikipedia-tip-tier-table" in text.replace(" ", "")  # last dataset, after wrapping
    fig = export.decorate(view, export.PRESETS["square"], "2026-01-01 00:00 UTC")
    footer = [a for a in fig.layout.annotations if "Database built" in a.text]
    assert len(footer) == 1 and footer[0].text.count("<br>") >= 2
    assert view.source_line not in [a.text for a in fig.layout.annotations]


def test_csv_has_data_rows_with_their_sources(present) -> None:
    registry, export, sources = present
    view = registry.view("tier-timeline", {"jurisdictions": ["HKG"]})
    raw = export.csv_bytes(view, sources.built_at(), "http://localhost:8501/tiers")
    header = [line for line in raw.decode().splitlines() if line.startswith("#")]
    assert any(line.startswith("# source line: Tier placements") for line in header)
    assert sum(line.startswith("# source: ") for line in header) == len(view.sources) > 0
    frame = pd.read_csv(io.BytesIO(raw), comment="#")
    assert len(frame) == len(view.data) == 25  # Hong Kong, 2001–2025
    hk_2024 = frame[frame["report_year"] == 2024].iloc[0]
    assert hk_2024["tier"] == "Tier 2 Watch List"
    assert isinstance(hk_2024["source_publisher"], str) and hk_2024["source_retrieved_at"]
    assert set(frame["source_id"]) <= set(view.sources["source_id"])


def test_data_zip_holds_csv_metadata_and_readme(present) -> None:
    import json

    registry, export, sources = present
    view = registry.view("tier-timeline", {"jurisdictions": ["HKG"]})
    raw = export.data_zip(view, sources.built_at(), "http://localhost:8501/tiers", "tl-HKG")
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert {"README.md", "metadata.json", "tl-HKG.csv"} <= set(zf.namelist())
        assert zf.read("tl-HKG.csv") == export.csv_bytes(
            view, sources.built_at(), "http://localhost:8501/tiers")
        meta = json.loads(zf.read("metadata.json"))
        readme = zf.read("README.md").decode()
    assert meta["title"] == "TIP tier placement over time" and meta["rows"] == 25
    assert meta["live_view"] == "http://localhost:8501/tiers"
    assert meta["database_built"] == sources.built_at()
    assert {s["source_id"] for s in meta["sources"]} == set(view.sources["source_id"])
    for s in meta["sources"]:
        assert s["licence"] and s["retrieved_at"].startswith("20") and s["publisher"]
        assert s["licence"] in meta["licence"]
    assert "source_licence" in meta["columns"] and any("'" in c for c in meta["caveats"])
    assert readme.startswith("# TIP tier placement over time") and "tl-HKG.csv" in readme
    assert all(s["publisher"] in readme for s in meta["sources"])


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trafficking", "export", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)


def test_cli_exports_and_rejects_bad_values(present, tmp_path: Path) -> None:
    env = dict(os.environ)
    out = tmp_path / "fig.svg"
    done = _cli("--chart", "tiers-map", "--year", "2024", "--format", "svg", "--out", str(out),
                env=env)
    assert done.returncode == 0, done.stderr
    assert "Tier placements: US State Dept." in _svg_text(out.read_bytes())
    csv = tmp_path / "counts.csv"
    assert _cli("--chart", "tier-counts", "--out", str(csv), env=env).returncode == 0
    counts = pd.read_csv(csv, comment="#")
    assert counts[counts["report_year"] == 2001]["n"].sum() == 79  # 11 + 47 + 21, Kelley table
    bad = _cli("--chart", "tiers-map", "--year", "1800", "--out", str(tmp_path / "x.png"),
               env=env)
    assert bad.returncode != 0 and "1800" in bad.stderr and not (tmp_path / "x.png").exists()
    bad = _cli("--chart", "tiers-map", "--iso3", "HKG", "--out", str(tmp_path / "x.png"), env=env)
    assert bad.returncode != 0 and "takes no --iso3" in bad.stderr
    listed = _cli("--list", env=env)
    assert listed.returncode == 0 and "tiers-map" in listed.stdout


def test_cli_png_pack_zip(present, tmp_path: Path) -> None:
    out = tmp_path / "pack.png"
    done = _cli("--pack", "tiers-map:year=2010;tier-counts:", "--preset", "square",
                "--out", str(out), env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
        assert [n.rsplit(".", 1)[1] for n in names] == ["csv", "png", "csv", "png"]
        pngs = [n for n in names if n.endswith(".png")]
        assert all(Image.open(io.BytesIO(zf.read(n))).size == (1080, 1080) for n in pngs)


def test_warm_server_reused_and_stopped(present) -> None:
    """The app's downloads go to kaleido's persistent server: one Chromium for many images."""
    registry, export, sources = present
    view = registry.view("tier-counts")
    built = sources.built_at()
    try:
        first = export.image(view, "png", "square", built, warm=True)
        assert export.warm_running()  # kept open for the next download
        second = export.image(view, "svg", "wide", built, warm=True)
        assert export.warm_running()
    finally:
        export.stop_warm()
    assert not export.warm_running()
    assert Image.open(io.BytesIO(first)).size == (1080, 1080)
    assert "Jurisdictions per tier, by report year" in _svg_text(second)
    # The same picture as a one-shot Chromium draws.
    assert Image.open(io.BytesIO(export.image(view, "png", "square", built))).size == (1080, 1080)


def test_warm_server_serialises_concurrent_callers(present) -> None:
    """Its results queue is shared: two downloads at once must each get their own image."""
    import threading

    registry, export, sources = present
    built = sources.built_at()
    views = {"png": registry.view("tier-counts"),
             "svg": registry.view("tier-timeline", {"jurisdictions": ["HKG"]})}
    got: dict[str, bytes] = {}

    def download(fmt: str) -> None:
        got[fmt] = export.image(views[fmt], fmt, "wide", built, warm=True)

    try:
        threads = [threading.Thread(target=download, args=(f,)) for f in ("png", "svg", "png")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert export.warm_running()
    finally:
        export.stop_warm()
    assert got["png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(got["png"])).size == (1920, 1080)
    assert "Tier placement over time" in _svg_text(got["svg"])


# kaleido's server thread dies of the missing browser; pytest would report that as a warning.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_warm_server_failure_falls_back_to_one_shot(present, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server whose Chromium cannot start is noticed at once (kaleido would wait for ever),
    stopped, and the image comes from a one-shot Chromium."""
    import time

    import kaleido

    registry, export, sources = present
    real = kaleido.start_sync_server
    monkeypatch.setattr(kaleido, "start_sync_server",
                        lambda *a, **kw: real(*a, **{**kw, "path": "/nonexistent/chromium"}))
    view = registry.view("tier-counts")
    started = time.monotonic()
    png = export.image(view, "png", "square", sources.built_at(), warm=True)
    assert time.monotonic() - started < 60
    assert Image.open(io.BytesIO(png)).size == (1080, 1080)
    assert not export.warm_running() and not kaleido._global_server.is_running()


def test_warm_server_timeout_falls_back_then_recovers(present,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An image slower than WARM_TIMEOUT: the caller gets a one-shot image, the stuck server is
    stopped once its call ends, and the next download starts a fresh one."""
    registry, export, sources = present
    view = registry.view("tier-counts")
    built = sources.built_at()
    monkeypatch.setattr(export, "WARM_TIMEOUT", 0.05)  # less than Chromium's start-up
    try:
        svg = export.image(view, "svg", "wide", built, warm=True)
        assert "Jurisdictions per tier, by report year" in _svg_text(svg)
        assert export._stopping is not None
        export._stopping.join(120)
        assert not export.warm_running()
        monkeypatch.setattr(export, "WARM_TIMEOUT", 120.0)
        again = export.image(view, "svg", "square", built, warm=True)
        assert export.warm_running()
        assert 'width="540"' in again.decode()[:2000]  # the new call's image, not the stuck one's
    finally:
        export.stop_warm()


def _itxt(png: bytes) -> dict[str, str]:
    from tests.test_summaries import _png_chunks

    return _png_chunks(png)


def test_a_chinese_png_export_is_drawn_in_chinese(present, tmp_path: Path) -> None:
    """A ?lang=zh-Hant chart exports with its Chinese title inside the PNG's text and its
    picture (CJK glyphs from fonts-noto-cjk, `make system-deps`); the English one differs."""
    import numpy as np

    from trafficking import i18n

    registry, export, sources = present
    values = {"edition": 2022, "measure": "modern_slavery"}
    images = {}
    for lang in ("en", "zh-Hant"):
        with i18n.using(lang):
            view = registry.view("ge-regions", values)
            images[lang] = export.image(view, "png", "wide", sources.built_at())
    zh = _itxt(images["zh-Hant"])
    assert zh["Title"] == "按地區劃分的全球估算：人數及每千人比率"
    assert zh["Description"].startswith("按地區劃分的現代奴役，全球估算 2022 年版本（2021 年）：")
    assert _itxt(images["en"])["Title"] == "Global estimates by region: people and rate per 1,000"
    en_px, zh_px = (np.asarray(Image.open(io.BytesIO(images[k])).convert("L"))
                    for k in ("en", "zh-Hant"))
    assert en_px.shape == zh_px.shape == (1080, 1920)
    # The title band (top 120 px) is drawn differently: Chinese glyphs, not empty boxes.
    assert (en_px[:120] != zh_px[:120]).mean() > 0.01
    (tmp_path / "zh.png").write_bytes(images["zh-Hant"])


def test_data_zip_in_chinese_holds_the_data_table(present) -> None:
    import json

    from trafficking import i18n

    registry, export, sources = present
    with i18n.using("zh-Hant"):
        view = registry.view("ge-headlines")
        raw = export.data_zip(view, sources.built_at(), "http://x/global_estimates?lang=zh-Hant",
                              "ge")
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert sorted(zf.namelist()) == ["README.md", "ge-table.csv", "ge.csv", "metadata.json"]
        table = pd.read_csv(io.BytesIO(zf.read("ge-table.csv")), encoding="utf-8-sig")
        header = [line for line in zf.read("ge.csv").decode().splitlines()
                  if line.startswith("#")]
        meta = json.loads(zf.read("metadata.json"))
        readme = zf.read("README.md").decode()
    assert list(table.columns) == ["版本", "指標", "人數（百萬）", "引述的數字"]
    row = table[(table["指標"] == "現代奴役") & (table["版本"] == "全球估算 2022 年版本（2021 年）")]
    assert row["引述的數字"].tolist() == ["4960萬"] and row["人數（百萬）"].tolist() == [49.6]
    assert header[0] == "# 標題：現代奴役全球估算：各版本的主要數字"
    assert any(line.startswith("# 來源：") and "擷取日期" in line for line in header)
    assert meta["summary"].startswith("全球估算 2022 年版本（2021 年）：現代奴役 4960萬")
    assert "## 來源" in readme and "ge-table.csv" in readme


def test_cli_exports_in_chinese(present, tmp_path: Path) -> None:
    out = tmp_path / "ge.svg"
    done = _cli("--chart", "ge-headlines", "--lang", "zh-Hant", "--out", str(out),
                env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    text = _svg_text(out.read_bytes())
    assert "各版本的全球估算（人數，百萬）" in text and "數據庫建立於" in text
    assert "lang=zh-Hant" in text  # the live view keeps the language
    listed = _cli("--list", "--lang", "zh-Hant", env=dict(os.environ))
    assert "現代奴役全球估算：各版本的主要數字" in listed.stdout


def test_an_image_title_is_wrapped_once_for_its_width(present) -> None:
    """The live figure's title is wrapped for a phone (style.fit); the image wraps the
    builder's own lines again for its width, not the phone's lines a second time."""
    registry, export, sources = present
    view = registry.view("hk-screening", {})
    assert view.figure.layout.title.text == (
        "Hong Kong: people screened for trafficking<br>indicators and victims identified")
    fig = export.decorate(view, export.PRESETS["square"], sources.built_at())
    assert fig.layout.title.text == (
        "Hong Kong: people screened for trafficking indicators<br>and victims identified")
