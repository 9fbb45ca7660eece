"""``python -m bench [--quick]``: build a database from the mirror in a temporary folder,
time every page, its floor, the browser, the refresh, the GLOTIP parse, growth and
concurrency, print one table.

Nothing here touches data/trafficking.duckdb. ``--write-results`` also puts the table and the
machine into bench/RESULTS.md (between the 'latest run' markers).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import growth, pages, parse, refresh, report
from bench.report import Row

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START, END = "<!-- bench:latest:start -->", "<!-- bench:latest:end -->"


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _mirror(arg: str | None) -> Path:
    value = arg or os.environ.get("TRAFFICKING_MIRROR") or str(ROOT.parent / "shared/data/raw")
    path = Path(value).resolve()
    if not path.is_dir():
        raise SystemExit(f"bench: mirror folder {path} not found; pass --mirror or set "
                         "TRAFFICKING_MIRROR to the shared snapshots (../shared/data/raw)")
    return path


def server_side(page: pages.PageInfo | None, floor: str | None, runs: int, env: dict[str, str],
                save: Path | None = None) -> dict:
    """One fresh child process: cold run plus ``runs`` warm reruns of a page or a floor."""
    cmd = [sys.executable, "-m", "bench.server_side", "--runs", str(runs)]
    if floor is not None:
        cmd += ["--floor", floor]
    else:
        cmd += ["--page", page.path] + ([] if page.in_nav else ["--not-in-nav"])
    if save is not None:
        cmd += ["--save-figures", str(save)]
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=900)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT "):])
    return {"cold": None, "warm": [], "figures": 0, "figure_bytes": [],
            "errors": [(proc.stderr or proc.stdout).strip()[-400:] or f"exit {proc.returncode}"]}


def _med(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def _ok(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def _errs(errors: list[str]) -> str:
    return f"ERRORS {len(errors)}: {errors[0][:120]}" if errors else ""


def bench_refresh(args: argparse.Namespace, mirror: Path, tmp: Path, env: dict[str, str],
                  rows: list[Row], out: dict) -> Path:
    """Build the run's database (a measured full refresh) and time each source alone."""
    db = tmp / "bench.duckdb"
    _log("full refresh from the mirror (builds this run's database)")
    full = refresh.run(mirror, db, env=env)
    if "error" in full:
        raise SystemExit(f"bench: the full refresh failed:\n{full['error']}")
    floor = refresh.run(mirror, db, floor=True, env=env)
    out["refresh_full"], out["refresh_floor"] = full, floor
    note = (f"peak RSS {full['peak_rss_mb']:.0f} MB (process after imports "
            f"{full['base_rss_mb']:.0f} MB); {sum(full['rows'].values())} rows")
    if args.tracemalloc:
        traced = refresh.run(mirror, tmp / "traced.duckdb", trace=True, env=env)
        if "py_peak_mb" in traced:
            note += f"; Python heap peak {traced['py_peak_mb']:.0f} MB (tracemalloc run)"
    rows.append(Row("refresh", "full, from mirror folder", 1, full["seconds"],
                    floor.get("seconds"), "≤ 20 s", _ok(full["seconds"], 20), note))
    ids = refresh.source_ids()
    chosen = ids if not args.quick else ids[:1]
    for sid in chosen:
        _log(f"refresh one source: {sid}")
        one = refresh.run(mirror, db, sources=[sid], env=env)
        fl = refresh.run(mirror, db, sources=[sid], floor=True, env=env)
        out.setdefault("refresh_sources", {})[sid] = one
        if "error" in one:
            rows.append(Row("refresh", f"source {sid}", 1, None, fl.get("seconds"),
                            note=_errs([one["error"]])))
            continue
        rows.append(Row("refresh", f"source {sid}", 1, one["seconds"], fl.get("seconds"),
                        note=f"peak RSS {one['peak_rss_mb']:.0f} MB"))
    return db


def bench_server(args: argparse.Namespace, plist: list[pages.PageInfo], env: dict[str, str],
                 floor_dir: Path, rows: list[Row], out: dict) -> dict[str, int]:
    """AppTest cold and warm per page, next to its floor; saves each page's figures."""
    charts: dict[str, int] = {}
    for page in plist:
        _log(f"server side: {page.path}")
        res = server_side(page, None, args.runs, env, save=floor_dir / f"{page.slug}.json")
        flo = server_side(None, page.slug, 0, {**env, "BENCH_FLOOR_DIR": str(floor_dir)})
        if res.get("floor_figures") not in (None, res["figures"]):
            res["errors"] = res["errors"] + [
                f"floor drew {res['floor_figures']} charts, page {res['figures']}"]
        out.setdefault("server", {})[page.slug] = {"page": res, "floor": flo}
        charts[page.slug] = res["figures"]
        warm, fwarm = _med(res["warm"]), _med(res.get("floor_warm") or [])
        kb = sum(res["figure_bytes"]) / 1024
        desc = (f"{res['figures']} charts, {kb:.0f} KB of figure JSON" if res["figures"] else
                "no charts: the floor is an empty script, so only seconds mean anything")
        nav = "" if page.in_nav else " (not in navigation)"
        rows.append(Row("server warm", page.slug + nav, args.runs, warm, fwarm, "≤ 1.5× floor",
                        None if warm is None or not fwarm or not res["figures"]
                        else warm / fwarm <= 1.5,
                        _errs(res["errors"]) or desc))
        rows.append(Row("server cold", page.slug + nav, 1, res["cold"], flo["cold"], "≤ 1.5 s",
                        _ok(res["cold"], 1.5), _errs(res["errors"])))
    return charts


def bench_browser(args: argparse.Namespace, plist: list[pages.PageInfo], charts: dict[str, int],
                  env: dict[str, str], floor_dir: Path, tmp: Path, rows: list[Row],
                  out: dict, label: str = "browser", with_floor: bool = True) -> None:
    """Time to chart per page (and its floor) in headless Chromium, one session at a time."""
    from bench import browser
    from bench.server import StreamlitServer, floor_site

    shown = [p for p in plist if p.in_nav]
    if not shown:
        return
    script = floor_site(tmp / "floor_site")
    fenv = {**env, "BENCH_FLOOR_DIR": str(floor_dir)}
    _log(f"{label}: time to chart for {len(shown)} pages × {args.browser_runs}")
    with StreamlitServer(ROOT / "dashboard.py", env=env) as app_url, \
            StreamlitServer(script, env=fenv, cwd=script.parent) as floor_url:
        targets = []
        for p in shown:
            targets.append((f"{app_url}/{p.url_path}", charts.get(p.slug, 0)))
            if with_floor:
                targets.append((f"{floor_url}/?page={p.slug}", charts.get(p.slug, 0)))
        series = browser.time_to_chart(targets, args.browser_runs, timeout_s=args.timeout)
    step = 2 if with_floor else 1
    for i, p in enumerate(shown):
        s = series[i * step]
        f = series[i * step + 1] if with_floor else None
        out.setdefault(label, {})[p.slug] = {
            "page": [x.seconds for x in s.samples],
            "floor": [x.seconds for x in f.samples] if f else None}
        spread = ", ".join(f"{x:.1f}" for x in s.ok)
        note = _errs(s.errors) or f"{charts.get(p.slug, 0)} charts; runs {spread} s"
        if f is not None and f.errors:
            note += "; floor " + _errs(f.errors)
        rows.append(Row(label, p.slug, args.browser_runs, s.median(), f.median() if f else None,
                        "≤ 1.5 s", _ok(s.median(), 1.5), note))


def bench_growth(args: argparse.Namespace, plist: list[pages.PageInfo], base_db: Path,
                 env: dict[str, str], tmp: Path, rows: list[Row], out: dict) -> None:
    """Page timings with the tier and observation rows scaled ×10 and ×100 (synthetic)."""
    base = out.get("server", {})
    for factor in args.growth:
        target = tmp / f"synthetic-x{factor}.duckdb"
        counts = growth.make_synthetic(base_db, target, factor)
        out.setdefault("growth", {})[factor] = {"rows": counts}
        genv = {**env, "TRAFFICKING_DB": str(target)}
        gdir = tmp / f"figures-x{factor}"
        gdir.mkdir(exist_ok=True)
        _log(f"growth ×{factor}: {counts}")
        for page in plist:
            res = server_side(page, None, max(1, args.runs // 2), genv, save=gdir / f"{page.slug}.json")
            out["growth"][factor][page.slug] = res
            one = base.get(page.slug, {}).get("page", {})
            ref = _med(one.get("warm") or [])
            ref_ratio = (ref / _med(one["floor_warm"])) if ref and one.get("floor_warm") else None
            warm, fwarm = _med(res["warm"]), _med(res.get("floor_warm") or [])
            kb = sum(res["figure_bytes"]) / 1024
            note = (f"×1 ratio {ref_ratio:.2f}×; " if ref_ratio else "") + (
                f"×1 warm {ref:.2f} s; " if ref else "") + (
                f"cold {res['cold']:.2f} s; {kb:.0f} KB figures")
            rows.append(Row(f"growth ×{factor} warm", page.slug, max(1, args.runs // 2), warm,
                            fwarm, "", None, _errs(res["errors"]) or note))
        if args.browser_runs and "browser" not in args.skip and factor <= args.growth_browser_max:
            # In the browser only the slowest pages at ×1: the browser is the slow part of
            # this benchmark and these are the pages whose growth matters.
            at_one = out.get("browser", {})
            slow = sorted((p for p in plist if p.slug in at_one),
                          key=lambda p: -(_med(at_one[p.slug]["page"]) or 0))[:args.growth_browser]
            sub = argparse.Namespace(**{**vars(args), "browser_runs": 1})
            charts = {p.slug: out["growth"][factor][p.slug]["figures"] for p in plist}
            bench_browser(sub, slow, charts, genv, gdir, tmp, rows, out,
                          label=f"growth ×{factor} browser", with_floor=True)


def bench_concurrency(args: argparse.Namespace, plist: list[pages.PageInfo],
                      charts: dict[str, int], env: dict[str, str], rows: list[Row],
                      out: dict) -> None:
    """N simultaneous fresh sessions on one server, all opening the same page."""
    from bench import browser
    from bench.server import StreamlitServer

    shown = [p for p in plist if p.in_nav]
    if not shown:
        return
    page = next((p for p in shown if p.slug == args.concurrency_page), None) or next(
        (p for p in shown if p.url_path == ""), shown[0])
    with StreamlitServer(ROOT / "dashboard.py", env=env) as url:
        for n in args.sessions:
            _log(f"concurrency: {n} sessions on {page.slug}")
            series, wall = browser.concurrent(f"{url}/{page.url_path}", charts.get(page.slug, 0),
                                              n, timeout_s=args.timeout)
            out.setdefault("concurrency", {})[n] = [x.seconds for x in series.samples]
            p95 = series.p95()
            errors = series.errors
            rows.append(Row(f"concurrency {n}", page.slug, n, series.median(), None,
                            "p95 ≤ 3 s, 0 errors",
                            None if p95 is None else (p95 <= 3 and not errors),
                            f"p95 {p95:.2f} s; errors {len(errors)}; wall {wall:.1f} s"
                            if p95 is not None else _errs(errors)))


def bench_cluster(args: argparse.Namespace, env: dict[str, str], rows: list[Row],
                  out: dict) -> None:
    """N sessions at once through nginx: 1 replica (the floor) against 3."""
    from bench import cluster

    _log(f"cluster: {args.cluster_sessions} sessions on {args.cluster_page or 'overview'}, "
         "1 and 3 replicas behind nginx")
    results = cluster.measure({**os.environ, **env}, args.cluster_page, args.cluster_sessions,
                              [1, 3], timeout_s=max(args.timeout, 120))
    out["cluster"] = results
    rows.extend(cluster.rows(results, args.cluster_page))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true",
                    help="small N, one refresh source, ×10 only, 3 sessions: a couple of minutes")
    ap.add_argument("--mirror", help="snapshot folder (default ../shared/data/raw)")
    ap.add_argument("--pages", help="comma-separated page slugs (default: all discovered)")
    ap.add_argument("--skip", default="",
                    help="comma-separated: refresh-sources,parse,browser,growth,concurrency,cluster")
    ap.add_argument("--runs", type=int, help="warm AppTest reruns per page (default 5; quick 2)")
    ap.add_argument("--browser-runs", type=int, help="browser sessions per page (default 3)")
    ap.add_argument("--sessions", help="concurrent sessions, comma-separated (default 10,25)")
    ap.add_argument("--concurrency-page", help="page slug for concurrency (default: landing page)")
    ap.add_argument("--cluster-sessions",
                    help="sessions at once through nginx (default 25,50,100; quick 10)")
    ap.add_argument("--cluster-page", default="tiers",
                    help="page url path for the cluster phase ('' for the landing page)")
    ap.add_argument("--growth-browser-max", type=int, default=10,
                    help="largest growth factor also timed in the browser (×100 can take minutes "
                         "per page)")
    ap.add_argument("--growth-browser", type=int, default=1,
                    help="how many of the slowest pages to time in the browser at ×10/×100")
    ap.add_argument("--tracemalloc", action="store_true",
                    help="one more full refresh under tracemalloc for the Python heap peak")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per browser session")
    ap.add_argument("--json", type=Path, help="also write every raw number here")
    ap.add_argument("--write-results", action="store_true",
                    help="put the table into bench/RESULTS.md (latest run section)")
    args = ap.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    args.runs = args.runs or (2 if args.quick else 5)
    args.browser_runs = args.browser_runs if args.browser_runs is not None else (
        1 if args.quick else 2)
    args.sessions = [int(s) for s in (args.sessions or ("3" if args.quick else "10,25")).split(",")]
    args.growth = [10] if args.quick else [10, 100]
    args.cluster_sessions = [int(s) for s in (args.cluster_sessions or (
        "10" if args.quick else "25,50,100")).split(",")]
    return args


def write_results(text: str) -> None:
    body = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else (
        "# Benchmark results\n\n" + START + "\n" + END + "\n")
    if START not in body:
        body += "\n" + START + "\n" + END + "\n"
    head, rest = body.split(START, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    RESULTS.write_text(head + START + "\n" + text + "\n" + END + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    t_start = time.perf_counter()
    info = report.machine()
    mirror = _mirror(args.mirror)
    plist = pages.discover(only=args.pages.split(",") if args.pages else None)
    _log(f"pages: {', '.join(p.slug for p in plist)}; load average {info['load_avg']}")
    rows: list[Row] = []
    out: dict = {"machine": info, "args": {k: str(v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {"TRAFFICKING_RAW_CACHE": str(tmp / "raw"), "TRAFFICKING_DB": str(tmp / "bench.duckdb")}
        if "refresh-sources" in args.skip:
            args_r = argparse.Namespace(**{**vars(args), "quick": True})
        else:
            args_r = args
        db = bench_refresh(args_r, mirror, tmp, env, rows, out)
        floor_dir = tmp / "figures"
        floor_dir.mkdir()
        charts = bench_server(args, plist, env, floor_dir, rows, out)
        # A failing phase is reported in the table; the phases after it still run.
        phases = []
        if "parse" not in args.skip:
            phases.append(("parse", lambda: parse.phase(mirror, args.quick, rows, out)))
        if "browser" not in args.skip and args.browser_runs:
            phases.append(("browser", lambda: bench_browser(args, plist, charts, env, floor_dir,
                                                            tmp, rows, out)))
        if "growth" not in args.skip:
            phases.append(("growth", lambda: bench_growth(args, plist, db, env, tmp, rows, out)))
        if "concurrency" not in args.skip and "browser" not in args.skip:
            phases.append(("concurrency", lambda: bench_concurrency(args, plist, charts, env,
                                                                    rows, out)))
        if "cluster" not in args.skip:
            phases.append(("cluster", lambda: bench_cluster(args, env, rows, out)))
        for name, phase in phases:
            try:
                phase()
            except Exception as exc:  # noqa: BLE001 - reported, not hidden
                rows.append(Row(name, "phase failed", "", None,
                                note=f"{exc.__class__.__name__}: {str(exc)[:150]}"))
            if args.json:  # partial results survive a run that is stopped later
                out["rows"] = [vars(r) for r in rows]
                args.json.write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    info["load_avg_end"] = report.load()
    elapsed = time.perf_counter() - t_start
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join([
        f"Run {when}{' (--quick)' if args.quick else ''}, {elapsed:.0f} s in all.",
        f"Machine: {report.machine_line(info)}.",
        f"Load average (1, 5, 15 min) at start {info['load_avg']}, at end {info['load_avg_end']}.",
        "",
        report.table(rows),
    ])
    print(text)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    if args.write_results:
        write_results(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
