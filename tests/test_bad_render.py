"""The read side given hostile input: address parameters, data strings, a broken database.

Each test is one hostile string, parameter or file, and asserts what the visitor is shown:
markdown gets the escaped text (so no link, image or tag is rendered), Plotly text gets
HTML-escaped text, downloads neutralise spreadsheet formulas, and errors name no server path.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from tests.apptest import ROOT, open_page
from trafficking import db, text
from trafficking.present import export
from trafficking.present.view import ChartView

EVIL_NAME = "[click](https://evil.example) <img src=x onerror=alert(1)> www.evil.example"
EVIL_PLACE = "<b>Hong Kong</b> www.evil.example"
EVIL_PUBLISHER = '=HYPERLINK("http://evil.example")'
EVIL_QUOTE = ' <a href="https://evil.example">x</a>'
# Any of these in a markdown body, label or tooltip would render as a link, image or tag.
MD_RAW = ("www.evil", "://evil", "<img", "<b>", "](", "<a ")
# Plotly renders these tags in hover text, legend names, tick labels and annotations.
FIG_RAW = ("<img", EVIL_PLACE, '<a href="https://evil')
# Streamlit elements whose strings are shown as plain text, not markdown.
# A backslash-escaped character is shown as itself (CommonMark).
_ESCAPED = re.compile(r"\\.")
PLAIN_ELEMENTS = {"Text", "Code", "Selectbox", "Multiselect", "Arrow", "DataFrame"}


@pytest.fixture(scope="module")
def hostile_db(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built database with markup, links and a formula in its data strings."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    shutil.copyfile(built_db, path)
    con = duckdb.connect(str(path))
    try:
        con.execute("UPDATE jurisdictions SET name = ? WHERE iso3 = 'HKG'", [EVIL_PLACE])
        con.execute("UPDATE areas SET name = ? WHERE code = 'HKG'", [EVIL_PLACE])  # display name
        con.execute("UPDATE indicators SET name = name || ' ' || ?, definition = ?",
                    [EVIL_NAME, EVIL_NAME])
        con.execute("UPDATE sources SET publisher = ?, title = title || ' <img src=x onerror=1>'",
                    [EVIL_PUBLISHER])
        con.execute("UPDATE observations SET quote = quote || ? WHERE quote IS NOT NULL",
                    [EVIL_QUOTE])
    finally:
        con.close()
    return path


def _strings(msg: Message, path: str = "") -> Iterator[tuple[str, str]]:
    for fd, val in msg.ListFields():
        vals = val if fd.is_repeated else [val]
        if fd.type == fd.TYPE_MESSAGE:
            for v in vals:
                if isinstance(v, Message):
                    yield from _strings(v, f"{path}.{fd.name}")
        elif fd.type == fd.TYPE_STRING:
            for v in vals:
                yield f"{path}.{fd.name}", v


def _nodes(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _fig_strings(obj: object) -> Iterator[str]:
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _fig_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _fig_strings(v)
    elif isinstance(obj, str):
        yield obj


def markup_leaks(at: AppTest) -> list[str]:
    """Every markdown string (body, label, tooltip) and figure string that would render markup."""
    leaks = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = type(proto).__name__
        for path, value in _strings(proto):
            if path.endswith(".spec"):  # a Plotly figure as JSON
                leaks += [f"figure: {s[:120]}" for s in _fig_strings(json.loads(value))
                          if any(t in s for t in FIG_RAW)]
            elif (kind not in PLAIN_ELEMENTS and not path.startswith(".code")
                  and path.rsplit(".", 1)[-1] in ("body", "label", "help")
                  and any(t in _ESCAPED.sub("", value) for t in MD_RAW)):
                leaks.append(f"{kind}{path}: {value[:120]}")
    return sorted(set(leaks))


# --- Hostile address parameters ----------------------------------------------------------------
@pytest.mark.parametrize(("page", "params"), [
    ("app_pages/profile.py", {"iso3": "www.evil.example"}),
    ("app_pages/compare.py", {"breakdown": "https://evil.example"}),
    ("app_pages/tiers.py", {"year": "www.evil.example", "jurisdictions": "https://evil.example"}),
    ("app_pages/screening.py", {"compare": "www.evil.example"}),
    ("app_pages/data_sources.py", {"dataset": "www.evil.example"}),
    (None, {"embed": "true", "chart": "www.evil.example"}),
])
def test_an_address_value_is_echoed_as_plain_text(page: str | None, params: dict[str, str],
                                                  built_db: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(page, built_db, monkeypatch, **params)
    echoed = [w.value for w in at.warning] + [i.value for i in at.info]
    assert any("evil" in e for e in echoed), echoed  # the value is quoted back...
    assert markup_leaks(at) == []  # ...escaped, so it is not a link


# --- Hostile strings in the database -----------------------------------------------------------
@pytest.mark.parametrize(("page", "params"), [
    ("app_pages/profile.py", {"iso3": "HKG"}),
    ("app_pages/tiers.py", {"jurisdictions": "HKG,SGP"}),
    ("app_pages/screening.py", {}),
    ("app_pages/global_estimates.py", {}),
    ("app_pages/compare.py", {}),
    ("app_pages/data_sources.py", {}),
    ("app_pages/overview.py", {}),
    ("app_pages/briefing_pack.py", {"pack": "tier-timeline:jurisdictions=HKG;screening-victims:;"
                                            "gsi-map:;tier-heatmap:"}),
    (None, {"embed": "true", "chart": "tier-timeline", "jurisdictions": "HKG,SGP"}),
    (None, {"embed": "true", "chart": "screening-victims"}),
])
def test_data_strings_never_render_as_markup(page: str | None, params: dict[str, str], hostile_db: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(page, hostile_db, monkeypatch, **params)
    assert markup_leaks(at) == []


def test_plotly_text_is_html_escaped() -> None:
    assert text.plotly_plain(EVIL_PLACE) == "&lt;b&gt;Hong Kong&lt;/b&gt; www.evil.example"
    assert text.plotly_plain(EVIL_QUOTE) == ' &lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;'
    assert text.plotly_plain(None) == ""


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# --- Downloads ---------------------------------------------------------------------------------
def test_csv_downloads_neutralise_formulas() -> None:
    data = pd.DataFrame({"publisher": [EVIL_PUBLISHER, "+1", "@SUM(A1)", "\tx", "-5", "ok"],
                         "value": [-5.0, 1.0, 2.0, 3.0, -1.5, 0.0], "source_id": ["s/a.csv"] * 6})
    sources = pd.DataFrame({"source_id": ["s/a.csv"], "publisher": [EVIL_PUBLISHER],
                            "title": ["-title"], "address": [None], "retrieved_at": ["2025"]})
    view = ChartView(figure=None, data=data, caption="c", source_line="s", sources=sources,
                     title="t")
    for raw in (export.csv_bytes(view, "2025-01-01"), export.sources_csv(view)):
        frame = pd.read_csv(io.BytesIO(raw), comment="#")
        assert frame["publisher"].iloc[0] == "'" + EVIL_PUBLISHER
        assert not frame.map(lambda v: isinstance(v, str) and v[:1] in "=+-@\t\r").any().any()
    frame = pd.read_csv(io.BytesIO(export.csv_bytes(view, "2025-01-01")), comment="#")
    assert frame["value"].tolist() == [-5.0, 1.0, 2.0, 3.0, -1.5, 0.0]  # numbers stay numbers
    assert frame["publisher"].tolist()[1:5] == ["'+1", "'@SUM(A1)", "'\tx", "'-5"]
    # A spreadsheet opens the '#' header lines as cells too: none may start a formula.
    for raw in (export.csv_bytes(view, "x"), export.csv_bytes(view.__class__(
            figure=None, data=data, caption="a, =1+1", source_line="s", sources=sources), "x")):
        for row in csv.reader(io.StringIO(raw.decode())):
            assert not [c for c in row if c.strip().startswith(("=", "+", "-", "@"))
                        and not _number(c)], row


# --- A broken database -------------------------------------------------------------------------
def test_an_unreadable_database_names_no_path_or_error(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret-dir" / "trafficking.duckdb"
    path.parent.mkdir()
    path.write_bytes(b"not a duckdb file " * 200)
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    problem = db.database_problem()
    assert problem is not None and "secret-dir" not in problem and "Error" not in problem
    assert "cannot be read" in problem and "make data" in problem
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception
    shown = " ".join(str(e.value) for e in [*at.error, *at.markdown, *at.caption])
    assert "secret-dir" not in shown and "cannot be read" in shown


def test_a_missing_table_is_reported(tmp_path: Path, built_db: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.duckdb"
    shutil.copyfile(built_db, path)
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE government_responses")
    con.close()
    monkeypatch.setenv("TRAFFICKING_DB", str(path))
    problem = db.database_problem()
    assert problem is not None and "government_responses" in problem and str(tmp_path) not in problem


def test_an_unexpected_error_shows_a_reference_not_a_traceback(
        built_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from trafficking.queries import sources

    def broken() -> None:
        raise RuntimeError("boom at /srv/secret/path.py")

    monkeypatch.setattr(sources, "holdings", broken)
    at = open_page(None, built_db, monkeypatch)  # fails on any exception shown to the visitor
    errors = " ".join(e.value for e in at.error)
    assert "Something went wrong" in errors and "reference" in errors
    assert "/srv/secret" not in errors and "boom" not in errors
    assert "boom at /srv/secret/path.py" in caplog.text  # the traceback is in the server log


# --- Production settings -----------------------------------------------------------------------
def test_production_settings() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["disableDataExport"] is True  # st.dataframe's unfiltered CSV export
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["runOnSave"] is False
    assert config["server"]["maxUploadSize"] == 1


# --- Server locations ----------------------------------------------------------------------------
def test_data_sources_shows_public_addresses_not_where_this_machine_read_files(
        built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.apptest import sql

    read_from = {r[0] for r in sql(built_db, "SELECT fetched_from FROM sources")}
    mirrors = {r[0] for r in sql(built_db, "SELECT mirror FROM etl_runs") if r[0]}
    at = open_page("app_pages/data_sources.py", built_db, monkeypatch)
    cells = set()
    for frame in at.dataframe:
        cells |= {str(v) for v in frame.value.astype(str).to_numpy().ravel()}
        assert not {"fetched_from", "via", "mirror"} & set(frame.value.columns)
    assert not cells & read_from and not cells & mirrors
    assert not [c for c in cells if c.startswith(("/", "http://127.0.0.1"))]
    files = next(f.value for f in at.dataframe if "sha256" in f.value.columns)
    n_public = sql(built_db, "SELECT count(address) FROM sources")[0][0]
    assert files["address"].notna().sum() == n_public  # every official address is listed
    runs = next(f.value for f in at.dataframe if "run_id" in f.value.columns)
    assert set(runs["read_from"]) <= {"project snapshots", "publishers' addresses"}


def test_a_link_column_only_gets_http_addresses(hostile_db: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "js.duckdb"
    shutil.copyfile(hostile_db, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE sources SET address = 'javascript:alert(1)', homepage = 'data:text/html,x'"
                " WHERE dataset = 'unodc-glotip'")
    con.close()
    at = open_page("app_pages/data_sources.py", path, monkeypatch)
    for frame in at.dataframe:
        for col in ("address", "homepage"):
            if col in frame.value.columns:
                values = frame.value[col].dropna().astype(str)
                assert values.str.match(r"https?://").all(), values[~values.str.match("https?://")]


# --- In a real browser ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_app(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on loopback, reading the hostile database."""
    import os
    import subprocess
    import sys
    import time

    import requests

    from tests.test_browser import WAIT_MS, _free_port

    port = _free_port()
    log = tmp_path_factory.mktemp("hostile-app") / "streamlit.log"
    env = dict(os.environ, TRAFFICKING_DB=str(hostile_db))
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless",
             "true", "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:  # waiting for the server, not timing it
            try:
                if requests.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_nothing_hostile_renders_in_chromium(hostile_app: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_browser import ARGS, CHROMIUM, WAIT_MS

    ran: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route(lambda u: not u.startswith(hostile_app + "/"), lambda r: r.abort())
            page = context.new_page()
            page.on("dialog", lambda d: (ran.append(d.message), d.dismiss()))
            page.on("pageerror", lambda exc: ran.append(str(exc)))
            for path, heading, marker in (
                    ("/profile?iso3=HKG", "<b>Hong Kong</b>", "Indicators"),
                    ("/tiers?jurisdictions=HKG,SGP", "TIP report tiers", "Tier placement of"),
                    ("/profile?iso3=www.evil.example", "<b>Hong Kong</b>",
                     "Ignored an unknown jurisdiction"),
                    ("/compare?breakdown=https://evil.example", None, "Ignored an unknown breakdown"),
                    ("/?embed=true&chart=www.evil.example", None, "No chart")):
                page.goto(hostile_app + path)
                if heading:  # the title shows the name's characters, tags and all
                    page.get_by_role("heading", name=heading, level=1).wait_for(timeout=WAIT_MS)
                page.get_by_text(marker).first.wait_for(timeout=WAIT_MS)
                page.wait_for_timeout(1500)  # let the charts draw
                page.screenshot(path=str(tmp_path / (path.strip("/?").replace("/", "_")[:40]
                                                     + ".png")), full_page=False)
                assert page.locator('a[href*="evil"]:not([href^="#"])').count() == 0, path
                assert page.locator('img[src="x"]').count() == 0, path
                assert page.locator(".js-plotly-plot b, .js-plotly-plot img").count() == 0, path
            # A legend entry shows the name as text, '<b>' included, not as bold markup.
            page.goto(hostile_app + "/tiers?jurisdictions=HKG,SGP")
            page.locator(".js-plotly-plot .legendtext", has_text="<b>Hong Kong</b>").first \
                .wait_for(timeout=WAIT_MS)
        finally:
            browser.close()
    assert ran == []  # no alert(), no script error
