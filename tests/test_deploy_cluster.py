"""The deployment as it runs: Debian's nginx in front of 3 Streamlit replicas on loopback
(deploy/nginx.conf, deploy/cluster.py). Every page through nginx in headless Chromium, one
browser's requests staying on one replica, a replica killed (new sessions go to the others), and
a refresh published while sessions are open (each sees old or new data, never an error)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import requests
from playwright.sync_api import Browser, sync_playwright

from deploy import cluster as deploy

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
WAIT_MS = 120_000  # generous for a busy CI machine; nothing is asserted about time
PAGES = ["", "tiers", "screening", "global_estimates", "compare", "profile", "data_sources",
         "briefing_pack"]


@pytest.fixture(scope="module")
def db_copy(built_db: Path) -> Iterator[Path]:
    from etl import package

    # nginx's workers (nobody, when the tests run as root) read the package from this folder,
    # as from a deployment's data folder; pytest's own temp root is private to its user.
    public = Path(tempfile.mkdtemp(prefix="cluster-data-"))
    public.chmod(0o755)
    db = public / "trafficking.duckdb"
    shutil.copyfile(built_db, db)
    package.write(db)
    (public / "logs").mkdir()
    (public / "logs" / "etl-x.log").write_text("Traceback (most recent call last): secret\n")
    try:
        yield db
    finally:
        shutil.rmtree(public, ignore_errors=True)


@pytest.fixture(scope="module")
def running(db_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[deploy.Cluster]:
    run_dir = tmp_path_factory.mktemp("cluster")
    env = dict(os.environ, TRAFFICKING_DB=str(db_copy))
    c = deploy.start(3, deploy.free_port(), run_dir, env=env)
    try:
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _open(browser: Browser, url: str) -> tuple[str, list[str]]:
    """Load ``url`` in a fresh browser context; (the page's h1, exceptions seen)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="domcontentloaded", timeout=WAIT_MS)
        page.wait_for_selector("h1", timeout=WAIT_MS)
        exc = page.locator('[data-testid="stException"]')
        if exc.count():
            errors.append(exc.first.inner_text())
        return page.locator("h1").first.inner_text(), errors
    finally:
        context.close()


def _upstreams(c: deploy.Cluster) -> list[tuple[str, str]]:
    """(affinity, replica) of every request nginx passed to a replica so far."""
    text = (c.run_dir / "access.log").read_text()
    return [(a, u) for u, a in re.findall(r"upstream=(127\.0\.0\.1:\d+) affinity=(\S+)", text)]


def test_nginx_accepts_the_shipped_configuration(running: deploy.Cluster) -> None:
    assert (running.run_dir / "nginx.conf").read_text() == deploy.CONF.read_text()
    r = requests.get(f"{running.url}/_cluster/health", timeout=10)
    assert r.status_code == 200 and r.text == "ok\n"


def test_every_page_renders_through_nginx(running: deploy.Cluster, browser: Browser) -> None:
    titles = {}
    for path in PAGES:
        h1, errors = _open(browser, f"{running.url}/{path}")
        assert errors == [], (path, errors)
        titles[path] = h1
    assert titles["tiers"] == "TIP report tiers"
    assert len(set(titles.values())) == len(PAGES)


def test_static_geometry_is_served_by_nginx_itself(running: deploy.Cluster) -> None:
    r = requests.get(f"{running.url}/app/static/world_110m.json", timeout=10)
    assert r.status_code == 200 and r.json()["type"] == "Topology"
    assert "upstream=-" in (running.run_dir / "access.log").read_text().split(
        "/app/static/world_110m.json")[-1].splitlines()[0]


def test_the_data_package_is_served_by_nginx_and_nothing_else_of_its_folder(
        running: deploy.Cluster, db_copy: Path) -> None:
    r = requests.get(f"{running.url}/data/trafficking-data.zip", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/zip"
    assert r.content == (db_copy.parent / "trafficking-data.zip").read_bytes()
    assert "attachment" in r.headers["Content-Disposition"]
    meta = requests.get(f"{running.url}/data/package/datapackage.json", timeout=10)
    assert meta.status_code == 200 and meta.json()["name"] == "trafficking-statistics"
    csv = requests.get(f"{running.url}/data/package/tip_tiers.csv", timeout=10)
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("iso3,")
    log = (running.run_dir / "access.log").read_text()
    assert "upstream=-" in log.split("/data/package/tip_tiers.csv")[-1].splitlines()[0]
    # The folder's other files (database versions, ETL logs) are not reachable through /data/.
    for path in ("/data/trafficking.duckdb", "/data/logs/etl-x.log", "/data/package/../logs/",
                 "/data/package/..%2Ftrafficking.duckdb", "/data/"):
        got = requests.get(f"{running.url}{path}", timeout=10)
        assert b"secret" not in got.content and b"DUCK" not in got.content[:16], path
        assert got.status_code in (400, 404), path


def test_one_browser_stays_on_one_replica(running: deploy.Cluster) -> None:
    sessions = []
    for _ in range(12):
        s = requests.Session()
        assert s.get(f"{running.url}/", timeout=10).status_code == 200
        cookie = s.cookies.get("td_replica")
        assert cookie and re.fullmatch(r"[0-9a-f]{32}", cookie)
        for path in ("/_stcore/host-config", "/_stcore/health", "/"):
            assert s.get(f"{running.url}{path}", timeout=10).status_code == 200
        sessions.append(cookie)
    served: dict[str, set[str]] = {}
    for affinity, upstream in _upstreams(running):
        if affinity in sessions:
            served.setdefault(affinity, set()).add(upstream)
    assert set(served) == set(sessions)
    assert all(len(u) == 1 for u in served.values()), served
    # 12 random cookies over 3 replicas: all on one would be a broken hash (p ≈ 1e-5).
    assert len(set().union(*served.values())) >= 2


def test_a_killed_replica_sends_new_sessions_to_the_others(running: deploy.Cluster,
                                                           browser: Browser) -> None:
    victim = running.replica_ports[0]
    proc = running.replicas[victim]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    try:
        codes = []
        for _ in range(15):
            s = requests.Session()
            codes.append(s.get(f"{running.url}/", timeout=15).status_code)
            codes.append(s.get(f"{running.url}/_stcore/host-config", timeout=15).status_code)
        assert codes == [200] * 30
        h1, errors = _open(browser, f"{running.url}/tiers")
        assert h1 == "TIP report tiers" and errors == []
    finally:
        assert running.supervise_once() == [victim]
        running.wait([victim])


def test_a_refresh_published_under_open_sessions(running: deploy.Cluster, browser: Browser,
                                                 db_copy: Path, tmp_path: Path) -> None:
    contexts = [browser.new_context() for _ in range(3)]
    try:
        pages = [c.new_page() for c in contexts]
        errors: list[str] = []
        for p in pages:
            p.on("pageerror", lambda e: errors.append(str(e)))
            p.goto(f"{running.url}/data_sources", timeout=WAIT_MS)
            p.wait_for_selector("h1", timeout=WAIT_MS)
        # Publish as the ETL does: a new file beside the old, renamed over it.
        new = db_copy.with_name("next.duckdb")
        shutil.copyfile(db_copy, new)
        with duckdb.connect(str(new)) as con:
            con.execute("UPDATE meta SET value = 'cluster-test-run' WHERE key = 'run_id'")
        os.replace(new, db_copy)
        for p in pages:
            p.reload(timeout=WAIT_MS)
            p.wait_for_selector("h1", timeout=WAIT_MS)
            assert p.locator('[data-testid="stException"]').count() == 0
            assert p.locator("h1").first.inner_text() == "Data & sources"
        assert errors == []
    finally:
        for c in contexts:
            c.close()


def test_sessions_at_once_through_nginx_all_finish(running: deploy.Cluster) -> None:
    from bench import protocol

    outcomes, _wall = protocol.concurrent(running.url, "tiers", 6, timeout_s=WAIT_MS / 1000)
    assert [o.error for o in outcomes] == [""] * 6
    assert all(o.deltas > 15 for o in outcomes)  # the whole first view (map, tools, sections)
