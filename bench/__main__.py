"""``python -m bench [--quick]``: build a database from the mirror in a temporary folder, start
the dashboard as ``make run`` does, and measure (issue 14 item 6) the refresh, the cold first
visitor, warm reruns, server capacity and CPU per session (protocol client), and chart visible in
headless Chromium, each next to its floor; print one table and which of the issue's targets are
met. ``--with`` adds the older phases (per-source refreshes, AppTest, GLOTIP parse, growth,
nginx cluster, a few browsers at once).

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

from bench import growth, live, pages, parse, refresh, report
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
                    floor.get("seconds"), "≤ 5 s", _ok(full["seconds"], 5), note))
    if "refresh-sources" not in args.with_:
        return db
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
    """AppTest cold and warm per page, next to its floor (``--with apptest``: the server-side
    figures without a server, e.g. for pages not in the navigation)."""
    charts: dict[str, int] = {}
    for page in plist:
        _log(f"server side: {page.path}")
        res = server_side(page, None, args.reruns, env, save=floor_dir / f"{page.slug}.json")
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
        rows.append(Row("apptest warm", page.slug + nav, args.reruns, warm, fwarm, "",
                        None,
                        _errs(res["errors"]) or desc))
        rows.append(Row("apptest cold", page.slug + nav, 1, res["cold"], flo["cold"], "", None,
                        _errs(res["errors"])))
    return charts


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
            res = server_side(page, None, max(1, args.reruns // 2), genv, save=gdir / f"{page.slug}.json")
            out["growth"][factor][page.slug] = res
            one = base.get(page.slug, {}).get("page", {})
            ref = _med(one.get("warm") or [])
            ref_ratio = (ref / _med(one["floor_warm"])) if ref and one.get("floor_warm") else None
            warm, fwarm = _med(res["warm"]), _med(res.get("floor_warm") or [])
            kb = sum(res["figure_bytes"]) / 1024
            note = (f"×1 ratio {ref_ratio:.2f}×; " if ref_ratio else "") + (
                f"×1 warm {ref:.2f} s; " if ref else "") + (
                f"cold {res['cold']:.2f} s; {kb:.0f} KB figures")
            rows.append(Row(f"growth ×{factor} warm", page.slug, max(1, args.reruns // 2), warm,
                            fwarm, "", None, _errs(res["errors"]) or note))


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



PHASES = ("warm", "capacity", "visible")  # the cold visits always run: they save the figures
EXTRAS = ("refresh-sources", "apptest", "parse", "growth", "cluster", "browsers")


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true",
                    help="fewer samples and one capacity repetition: under 3 minutes")
    ap.add_argument("--mirror", help="snapshot folder (default ../shared/data/raw)")
    ap.add_argument("--pages", help="comma-separated page slugs (default: every page)")
    ap.add_argument("--skip", default="", help="comma-separated phases: " + ",".join(PHASES))
    ap.add_argument("--with", dest="with_", default="",
                    help="comma-separated extra phases: " + ",".join(EXTRAS))
    ap.add_argument("--runs", type=int,
                    help="fresh-visitor samples per page and floor in the browser (default 5; "
                         "quick 1)")
    ap.add_argument("--returning", type=int,
                    help="returning-visitor samples per page and floor (default 3; quick 0)")
    ap.add_argument("--every-page", action="store_true",
                    help="chart visible also for pages without charts")
    ap.add_argument("--reruns", type=int, help="warm reruns per page (default 7; quick 3)")
    ap.add_argument("--sessions", default="1,5,10,25", help="sessions opened at once")
    ap.add_argument("--stagger", default="25:0.2",
                    help="N:seconds — N sessions arriving one every so many seconds ('' for none)")
    ap.add_argument("--reps", type=int, help="capacity repetitions (default 3; quick 1)")
    ap.add_argument("--capacity-page", default="tiers",
                    help="page slug for capacity (default tiers: advocates open it first)")
    ap.add_argument("--browsers", default="2,4", help="with `--with browsers`: Chromiums at once")
    ap.add_argument("--cluster-sessions", default="25,50",
                    help="with `--with cluster`: sessions at once through nginx")
    ap.add_argument("--cluster-page", default="tiers",
                    help="page url path for the cluster phase ('' for the landing page)")
    ap.add_argument("--growth", default="10,100", help="with `--with growth`: factors")
    ap.add_argument("--tracemalloc", action="store_true",
                    help="one more full refresh under tracemalloc for the Python heap peak")
    ap.add_argument("--budget", type=float,
                    help="seconds for the whole run (default 570; quick 170): browser rounds "
                         "that would end later are not started")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per session or sample")
    ap.add_argument("--json", type=Path, help="also write every raw number here")
    ap.add_argument("--write-results", action="store_true",
                    help="put the table into bench/RESULTS.md (latest run section)")
    args = ap.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    args.with_ = {s.strip() for s in args.with_.split(",") if s.strip()}
    unknown = (args.skip - set(PHASES)) | (args.with_ - set(EXTRAS))
    if unknown:
        ap.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
    args.runs = args.runs or (1 if args.quick else 5)
    if args.returning is None:
        # Each browser sample costs seconds on this machine; 3 returning visits per page keep
        # the default run under 10 minutes.
        args.returning = 0 if args.quick else 3
    args.reruns = args.reruns or (3 if args.quick else 7)
    args.reps = args.reps or (1 if args.quick else 3)
    args.budget = args.budget or (170.0 if args.quick else 570.0)
    args.sessions = _ints(args.sessions)
    n, _, gap = args.stagger.partition(":")
    args.stagger = (int(n), float(gap or 0.2)) if n.strip() else (0, 0.0)
    args.browsers = _ints(args.browsers)
    args.cluster_sessions = _ints(args.cluster_sessions)
    args.growth = _ints(args.growth)
    return args


def targets(rows: list[Row]) -> list[str]:
    """The issue's targets, each met or not, with the rows that decide it."""
    def judged(prefix: str) -> list[Row]:
        return [r for r in rows if r.section.startswith(prefix) and r.ok is not None]

    def line(name: str, found: list[Row], show: str = "value") -> str:
        if not found:
            return f"- {name}: not measured"
        bad = [r for r in found if not r.ok]
        if show == "ratio":
            worst = max(found, key=lambda r: r.ratio or 0)
            fig = f"worst {worst.item} {worst.ratio:.2f}×" if worst.ratio else ""
        else:
            worst = max(found, key=lambda r: r.value or 0)
            fig = f"worst {worst.item} {worst.value:.2f} s" if worst.value is not None else ""
        verdict = "met" if not bad else "NOT met (" + ", ".join(r.item for r in bad) + ")"
        return f"- {name}: {verdict}; {fig}"

    return [
        "Targets (issue 14):",
        line("first chart visible, median ≤ 1.5 s on every page with charts",
             judged("visible fresh: first chart")),
        line("all charts of the view ≤ 1.3× the bare-HTML floor",
             judged("visible fresh: all charts"), "ratio"),
        line("server ≤ 0.06 s CPU per session", judged("server CPU per session")),
        line("25 sessions at once, p95 ≤ 1.5 s, 0 errors", judged("capacity 25 at once")),
        line("cold first visitor ≤ 0.5 s after warm-up", judged("cold first visitor")),
        line("warm rerun ≤ 1.2× floor on every page", judged("warm rerun"), "ratio"),
        line("full refresh ≤ 5 s", judged("refresh")),
    ]


def write_results(text: str) -> None:
    body = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else (
        "# Benchmark results\n\n" + START + "\n" + END + "\n")
    if START not in body:
        body += "\n" + START + "\n" + END + "\n"
    head, rest = body.split(START, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    RESULTS.write_text(head + START + "\n" + text + "\n" + END + tail, encoding="utf-8")


def _live_phases(args: argparse.Namespace, plist: list[pages.PageInfo], env: dict[str, str],
                 tmp: Path, rows: list[Row], out: dict) -> None:
    wanted = [p for p in PHASES if p not in args.skip]
    if not wanted and "browsers" not in args.with_:
        return
    _log("starting the dashboard as `make run` does, and its floors")
    with live.Live(env, tmp) as servers:
        # The cold visits come first (a fresh server) and save the figures the floors draw.
        live.cold(servers, plist, rows, out, args.timeout)
        steps = {
            "warm": lambda: live.warm_reruns(servers, plist, args.reruns, rows, out, args.timeout),
            "capacity": lambda: live.capacity(
                servers, next(p for p in plist if p.slug == args.capacity_page), args.sessions,
                args.stagger, args.reps, rows, out, max(args.timeout, 120)),
            "visible": lambda: live.chart_visible(servers, plist, args.runs, args.returning,
                                                  rows, out, args.timeout, args.every_page,
                                                  args.deadline),
        }
        if "browsers" in args.with_:
            steps["browsers"] = lambda: live.browser_concurrency(
                servers, next(p for p in plist if p.slug == args.capacity_page), args.browsers,
                rows, out, args.timeout)
        for name, step in steps.items():
            if name in args.skip:
                continue
            _log(f"phase {name}; load average {report.load()}")
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - reported, not hidden
                rows.append(Row(name, "phase failed", "", None,
                                note=f"{exc.__class__.__name__}: {str(exc)[:150]}"))
        peak = servers.app.peak_rss_mb()
        rows.append(Row("server memory", "peak RSS of the dashboard server", 1, None, note=(
            f"{peak:.0f} MB (VmHWM, largest process of its tree), floor server "
            f"{servers.floor.peak_rss_mb():.0f} MB")))
        out["server_peak_rss_mb"] = peak


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    t_start = time.perf_counter()
    args.deadline = time.monotonic() + args.budget
    info = report.machine()
    mirror = _mirror(args.mirror)
    plist = pages.discover(only=args.pages.split(",") if args.pages else None)
    if "capacity" not in args.skip and args.capacity_page not in {p.slug for p in plist}:
        plist += pages.discover(only=[args.capacity_page])
    _log(f"pages: {', '.join(p.slug for p in plist)}; load average {info['load_avg']}")
    rows: list[Row] = []
    out: dict = {"machine": info, "args": {k: str(v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {"TRAFFICKING_RAW_CACHE": str(tmp / "raw"), "TRAFFICKING_DB": str(tmp / "bench.duckdb")}
        db = bench_refresh(args, mirror, tmp, env, rows, out)
        phases = [("live", lambda: _live_phases(args, plist, env, tmp, rows, out))]
        if "apptest" in args.with_:
            floor_dir = tmp / "apptest-figures"
            floor_dir.mkdir()
            phases.append(("apptest", lambda: bench_server(args, plist, env, floor_dir, rows, out)))
        if "parse" in args.with_:
            phases.append(("parse", lambda: parse.phase(mirror, args.quick, rows, out)))
        if "growth" in args.with_:
            phases.append(("growth", lambda: bench_growth(args, plist, db, env, tmp, rows, out)))
        if "cluster" in args.with_:
            phases.append(("cluster", lambda: bench_cluster(args, env, rows, out)))
        # A failing phase is reported in the table; the phases after it still run.
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
        "",
        *targets(rows),
    ])
    print(text)
    if args.json:
        out["rows"] = [vars(r) for r in rows]
        args.json.write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    if args.write_results:
        write_results(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
