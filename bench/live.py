"""The live phases: one dashboard server started as ``make run`` starts it, its two floors, and
what a visitor and the server see.

* **cold first visitor** — the first session on each page of the freshly started (and, if
  ``make run`` warms up, warmed) server, protocol client; floor: the first session on the floor
  server (a Streamlit page without charts).
* **warm rerun** — the same session rerun (as a widget change does), page and floor app drawing
  the page's own figures taken in turn.
* **capacity** — N = 1, 5, 10, 25 sessions opened at once and 25 arriving one every
  ``stagger`` seconds, ``reps`` times; median, p95, errors, and server CPU seconds per session
  (utime + stime of the server's process tree from /proc, before and after each batch). Floor:
  the floor app drawing the same figures, at the same N, in turn.
* **chart visible** — headless Chromium (bench/browser.py): first chart and all charts, fresh
  and returning visitors, against a Streamlit page without charts and the bare-HTML page
  (bench/bare.py) with the same figure JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from bench import bare, pages, protocol, server
from bench.report import Row

FLOOR_NONE = "__no_charts__"  # floor_app with no saved figures: Streamlit's bootstrap floor


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _med(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def p95(xs: list[float]) -> float | None:
    xs = sorted(x for x in xs if x is not None)
    return xs[max(0, -(-95 * len(xs) // 100) - 1)] if xs else None  # nearest rank


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "—"


def _errs(errors: list[str]) -> str:
    return f"ERRORS {len(errors)}: {errors[0][:100]}" if errors else ""


class Live:
    """The servers for one run: ``with Live(env, floor_dir, tmp) as live:``."""

    def __init__(self, env: dict[str, str], tmp: Path) -> None:
        self.figures_dir = tmp / "figures"
        self.figures_dir.mkdir(exist_ok=True)
        self.bare_dir = tmp / "bare"
        self.app = server.production(env)
        script = server.floor_site(tmp / "floor_site")
        self.floor = server.floor_server(script, {**env, "BENCH_FLOOR_DIR": str(self.figures_dir)})
        self.site = bare.BareSite(self.bare_dir)
        self.command = " ".join(self.app.command[2:])[len("exec "):]

    def __enter__(self) -> Live:
        self.app_url = self.app.__enter__()
        try:
            self.floor_url = self.floor.__enter__()
            self.bare_url = self.site.__enter__()
        except BaseException:
            self.app.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.site.__exit__(*exc)
        self.floor.__exit__(*exc)
        self.app.__exit__(*exc)


def cold(live: Live, plist: list[pages.PageInfo], rows: list[Row], out: dict,
         timeout_s: float) -> dict[str, protocol.Outcome]:
    """First session on every page of the fresh server; saves each page's figures for the floors."""
    shown = [p for p in plist if p.in_nav]
    # The landing page first: that is where the server's very first visitor arrives.
    shown.sort(key=lambda p: p.url_path != "")
    floor_first = protocol.one(live.floor_url, "", timeout_s, query=f"page={FLOOR_NONE}")
    seen: dict[str, protocol.Outcome] = {}
    rows.append(Row("server start", "make run → health check", 1, live.app.started_s,
                    live.floor.started_s, "", None,
                    f"`{live.command}`; the floor is `streamlit run` with the same flags "
                    "and config.toml"))
    for i, p in enumerate(shown):
        c0 = live.app.cpu_seconds()
        o = protocol.one(live.app_url, p.url_path, timeout_s, capture=True)
        cpu = live.app.cpu_seconds() - c0
        seen[p.slug] = o
        (live.figures_dir / f"{p.slug}.json").write_text(json.dumps(
            [{k: f[k] for k in ("spec", "config", "theme")} for f in o.figures]), "utf-8")
        bare.write_page(live.bare_dir, p.slug, o.figures)
        out.setdefault("cold", {})[p.slug] = {
            "seconds": o.seconds, "cpu": cpu, "figures": len(o.figures), "images": o.images,
            "stills": o.stills,
            "figure_kb": sum(f["bytes"] for f in o.figures) / 1024, "ws_kb": o.bytes / 1024,
            "error": o.error}
        first = " (the server's first session)" if i == 0 else ""
        desc = (f"{len(o.figures)} charts, {o.images} images, {o.stills} stills sent, "
                f"{sum(f['bytes'] for f in o.figures) / 1024:.0f} KB figure JSON, "
                f"{o.bytes / 1024:.0f} KB over the websocket; server CPU {cpu:.2f} s")
        rows.append(Row("cold first visitor", p.slug + first, 1, o.seconds, floor_first.seconds,
                        "≤ 0.5 s", None if o.seconds is None else o.seconds <= 0.5,
                        _errs([o.error] if o.error else []) or desc))
    return seen


def warm_reruns(live: Live, plist: list[pages.PageInfo], runs: int, rows: list[Row],
                out: dict, timeout_s: float) -> None:
    """Each page's warm rerun against the floor app drawing the page's figures, in turn."""
    for p in (p for p in plist if p.in_nav):
        res = protocol.interleaved_reruns(
            [(live.app_url, p.url_path, ""), (live.floor_url, "", f"page={p.slug}")],
            runs, timeout_s)
        page, floor = res
        out.setdefault("warm", {})[p.slug] = {"page": page.reruns, "floor": floor.reruns}
        value, fval = _med(page.reruns), _med(floor.reruns)
        charts = out.get("cold", {}).get(p.slug, {}).get("figures", 0)
        rows.append(Row("warm rerun", p.slug, runs, value, fval, "≤ 1.2× floor",
                        None if value is None or not fval or not charts else value / fval <= 1.2,
                        _errs([e for e in (page.error, floor.error) if e]) or (
                            f"{charts} charts; floor: the floor app drawing them" if charts else
                            "no charts: the floor draws nothing, so only the seconds count")))


def capacity(live: Live, page: pages.PageInfo, sizes: list[int], stagger: tuple[int, float],
             reps: int, rows: list[Row], out: dict, timeout_s: float) -> None:
    """N sessions at once (and staggered) on the page and on its floor, ``reps`` times."""
    batches = [(n, 0.0) for n in sizes] + ([stagger] if stagger[0] else [])
    got: dict[tuple[int, float], dict[str, dict]] = {
        b: {"page": {"t": [], "err": [], "cpu": []}, "floor": {"t": [], "err": [], "cpu": []}}
        for b in batches}
    targets = {"page": (live.app, live.app_url, page.url_path, ""),
               "floor": (live.floor, live.floor_url, "", f"page={page.slug}")}
    for _, url, path, query in targets.values():  # unmeasured: both caches warm for this view
        protocol.one(url, path, timeout_s, query=query)
    for rep in range(reps):
        for n, gap in batches:
            _log(f"capacity rep {rep + 1}/{reps}: {n} sessions"
                 + (f", one every {gap:g} s" if gap else " at once"))
            for which, (srv, url, path, query) in targets.items():
                c0 = srv.cpu_seconds()
                outcomes = protocol.run(protocol.many(url, path, n, timeout_s, gap, query))
                cell = got[(n, gap)][which]
                cell["cpu"].append((srv.cpu_seconds() - c0) / n)
                cell["t"] += [o.seconds for o in outcomes if o.seconds is not None]
                cell["err"] += [o.error for o in outcomes if o.error]
    total_cpu = {"page": [], "floor": []}
    for (n, gap), cells in got.items():
        pg, fl = cells["page"], cells["floor"]
        total_cpu["page"] += pg["cpu"]
        total_cpu["floor"] += fl["cpu"]
        out.setdefault("capacity", {})[f"{n}" + (f"@{gap:g}s" if gap else "")] = cells
        label = f"{n} at once" if not gap else f"{n} staggered, one every {gap:g} s"
        p_95, f_95 = p95(pg["t"]), p95(fl["t"])
        target = "p95 ≤ 1.5 s, 0 errors" if n == 25 and not gap else ""
        ok = None if not target or p_95 is None else (p_95 <= 1.5 and not pg["err"])
        rows.append(Row(f"capacity {label}", page.slug, f"{n}×{reps}", p_95, f_95, target, ok,
                        _errs(pg["err"]) or (
                            f"p95 (median {_med(pg['t']):.2f} s, floor {_med(fl['t']):.2f} s); "
                            f"errors 0, floor {len(fl['err'])}; CPU/session "
                            f"{_med(pg['cpu']):.3f} s, floor {_med(fl['cpu']):.3f} s")))
    cpu, fcpu = _med(total_cpu["page"]), _med(total_cpu["floor"])
    rows.append(Row("server CPU per session", page.slug, len(total_cpu["page"]), cpu, fcpu,
                    "≤ 0.06 s", None if cpu is None else cpu <= 0.06,
                    "median over every capacity batch of (server tree CPU after − before) / N"))
    out["server_peak_rss_mb"] = live.app.peak_rss_mb()


def chart_visible(live: Live, plist: list[pages.PageInfo], runs: int, returning: int,
                  rows: list[Row], out: dict, timeout_s: float, every_page: bool = False,
                  deadline: float | None = None) -> None:
    """Headless Chromium: the pages, the Streamlit floor and each page's bare floor, in turn.

    Pages without charts only with ``every_page``: the targets are about charts, and on this
    machine each browser sample costs seconds.
    """
    from bench import browser

    cold_info = out.get("cold", {})
    shown = [p for p in plist if p.in_nav and p.slug in cold_info and (
        every_page or cold_info[p.slug]["figures"] or cold_info[p.slug]["images"])]
    st_floor = browser.Target("streamlit floor", f"{live.floor_url}/?page={FLOOR_NONE}")
    targets = [st_floor]
    for p in shown:
        info = cold_info[p.slug]
        targets.append(browser.Target(p.slug, f"{live.app_url}/{p.url_path}",
                                      info["figures"], info["images"]))
        if info["figures"]:
            targets.append(browser.Target(f"bare {p.slug}", f"{live.bare_url}/{p.slug}.html",
                                          info["figures"], 0, streamlit=False))
    _log(f"chart visible: {len(targets)} targets × {runs} fresh, {returning} returning")
    results = dict(zip([t.name for t in targets],
                       browser.chart_visible(targets, runs, timeout_s, returning, deadline),
                       strict=True))
    done = len(results[st_floor.name].fresh.samples)
    if done < runs:
        rows.append(Row("visible budget", f"{done} of {runs} rounds", "", None,
                        note="the run's time budget (--budget) ended the browser rounds early"))
    # The protocol client's message is only honest if it is the one Chromium sends.
    first_page = next((t for t in targets[1:] if t.streamlit), None)
    if first_page is not None:
        sent = results[first_page.name].sent
        slug = first_page.name
        page = next(p for p in shown if p.slug == slug)
        mine = protocol.browser_message(page.url_path, "", live.app_url)
        same = sent is not None and protocol.same_message(sent, mine)
        out["protocol_message_matches_browser"] = same
        rows.append(Row("protocol check", f"rerun message = Chromium's ({slug})", 1, None,
                        note="same" if same else "DIFFERENT: " + protocol.describe(sent)))
    floor = results[st_floor.name]
    for kind in ("fresh", "returning"):
        runs = len(getattr(floor, kind).samples)
        if not runs:
            continue
        fl_first = getattr(floor, kind).median("first")
        out.setdefault("visible", {}).setdefault(kind, {})[st_floor.name] = {
            "first": getattr(floor, kind).ok("first"), "all": getattr(floor, kind).ok("all")}
        rows.append(Row(f"visible {kind}", "floor: Streamlit page without charts", runs, fl_first,
                        None, "", None, _errs(getattr(floor, kind).errors)))
        for p in shown:
            res = getattr(results[p.slug], kind)
            bare_res = results.get(f"bare {p.slug}")
            b = getattr(bare_res, kind) if bare_res else None
            out["visible"][kind][p.slug] = {"first": res.ok("first"), "all": res.ok("all"),
                                            "bare_first": b.ok("first") if b else None,
                                            "bare_all": b.ok("all") if b else None}
            first, all_ = res.median("first"), res.median("all")
            b_first, b_all = (b.median("first"), b.median("all")) if b else (None, None)
            charts = cold_info[p.slug]["figures"] + cold_info[p.slug]["images"]
            errors = _errs(res.errors) + (("; bare " + _errs(b.errors)) if b and b.errors else "")
            spread = ", ".join(f"{x:.1f}" for x in res.ok("first"))
            if charts:
                rows.append(Row(f"visible {kind}: first chart", p.slug, runs, first, fl_first,
                                "≤ 1.5 s" if kind == "fresh" else "",
                                None if kind != "fresh" or first is None else first <= 1.5,
                                errors or f"÷ bare first chart {_ratio(first, b_first)} "
                                f"(bare {b_first or 0:.2f} s); runs {spread} s"))
                rows.append(Row(f"visible {kind}: all charts", p.slug, runs, all_, b_all,
                                "≤ 1.3× bare" if kind == "fresh" else "",
                                None if kind != "fresh" or all_ is None or not b_all
                                else all_ / b_all <= 1.3,
                                errors or f"{charts} charts; ÷ Streamlit floor "
                                f"{_ratio(all_, fl_first)}"))
            else:
                rows.append(Row(f"visible {kind}: page shown", p.slug, runs, all_, fl_first, "",
                                None, errors or "no charts: floor is the Streamlit page "
                                "without charts"))


def browser_concurrency(live: Live, page: pages.PageInfo, sizes: list[int], rows: list[Row],
                        out: dict, timeout_s: float) -> None:
    """A few real browsers at once (small N only: on 2 cores more measure Chromium)."""
    from bench import browser

    info = out.get("cold", {}).get(page.slug, {})
    target = browser.Target(page.slug, f"{live.app_url}/{page.url_path}",
                            info.get("figures", 0), info.get("images", 0))
    for n in sizes:
        _log(f"browser concurrency: {n} Chromium sessions on {page.slug}")
        series, wall = browser.concurrent(target, n, timeout_s)
        out.setdefault("browser_concurrency", {})[n] = series.ok("all")
        rows.append(Row(f"browsers at once {n}", page.slug, n, series.median("all"), None, "",
                        None, _errs(series.errors) or
                        f"p95 {series.p95('all') or 0:.2f} s; first chart median "
                        f"{series.median('first') or 0:.2f} s; wall {wall:.1f} s"))
