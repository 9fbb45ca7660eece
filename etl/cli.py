"""Command line for analysts: ``python -m etl refresh|status|diff|sources``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from tqdm import tqdm

from etl import config, registry
from etl.errors import EtlError
from trafficking import vocabulary

STAGES = ("fetch", "parse", "load")


def _cmd_refresh(args: argparse.Namespace) -> int:
    from etl import build

    # The snapshot store is the default; fetching from publishers is the analyst's explicit act.
    mirror = None if args.live else (args.mirror or config.snapshots())
    bars: dict[str, tqdm] = {}

    def progress(source_id: str, stage: str) -> None:
        bar = bars.get(source_id)
        if bar is None:
            bar = bars[source_id] = tqdm(
                total=len(STAGES), desc=f"{source_id:<44}", unit="step", leave=True,
                disable=args.quiet, file=sys.stderr,
                bar_format="{desc} {bar:20} {n_fmt}/{total_fmt} {postfix}",
            )
        bar.set_postfix_str(stage)
        bar.update(1)

    try:
        result = build.refresh(args.sources or None, mirror=mirror, db_path=args.db,
                               progress=progress, accept_change=args.accept_change)
    except EtlError as exc:
        label = ("REFRESH INCOMPLETE" if isinstance(exc, build.PublishedWithErrors)
                 else "REFRESH FAILED")
        print(f"\n{label}: {exc}", file=sys.stderr)
        return 1
    finally:
        for bar in bars.values():
            bar.close()
    # From here on the new database is in place: an error must not say "unchanged".
    args.published_run = (result.run_id, result.db_path)
    print(render_summary(result.summary, result.db_path))
    return 0


def render_summary(summary: dict, db_path: Path) -> str:
    lines = [f"Published {db_path} in {summary['seconds']} s"]
    if summary.get("package"):
        lines.append(f"Data package: {summary['package']} (and its zip beside it)")
    for notice in summary.get("notices", []):
        lines.append(f"Note: {notice}.")
    if summary.get("history_lost"):
        lines.append("Run history: history lost (the earlier runs could not be kept; this run "
                     "is the first recorded)")
    if summary.get("stale_removed"):
        lines.append(f"Removed {len(summary['stale_removed'])} stale files left by killed "
                     f"refreshes: {', '.join(summary['stale_removed'])}")
    if summary.get("accepted_changes"):
        lines.append("Accepted changes: " + "; ".join(
            f"{sid} {c['before']} -> {c['after']} rows (--accept-change)"
            for sid, c in summary["accepted_changes"].items()))
    lines += ["", "Rows per table:"]
    for table, n in summary["rows"].items():
        lines.append(f"  {table:<18} {n:>7}")
    t = summary.get("tiers", {})
    if t:
        lines += ["", f"Tier report years: {t.get('first_year')}–{t.get('last_year')}; "
                  f"conflicts between sources: {t.get('conflicts')}"]
        lines.append("  year    T1   T2  T2WL   T3  Spec  T1or2  total  by elimination  "
                     "unresolved  secondary  roster from")
        for year, row in sorted(t.get("per_year", {}).items()):
            t1, t2, wl, t3, sc, unres = (row.get("tiers", {}).get(t, 0) for t in vocabulary.NAMES)
            lines.append(
                f"  {year}  {t1:>4} {t2:>4}  {wl:>4} {t3:>4}  {sc:>4}  {unres:>5}  {row['rows']:>5}  "
                f"{row.get('elimination', 0):>14}  {row['unresolved']:>10}  "
                f"{row.get('secondary', 0):>9}  {row.get('roster_year') or ''}"
            )
    if summary.get("skipped_mirror_only"):
        lines += ["", "Not refreshed (compiled snapshots with no publisher download; "
                  "build from the snapshots to refresh them): "
                  + ", ".join(summary["skipped_mirror_only"])]
    ch = summary.get("changes", {})
    if ch.get("previous"):
        lines += ["", "Changes against the previous database:"]
        for table, after in ch["rows_after"].items():
            before = ch["rows_before"].get(table, 0)
            if before != after:
                lines.append(f"  {table}: {before} -> {after} rows")
        for f in ch.get("files_changed", []):
            lines.append(f"  file changed: {f['source_id']} sha256 {f['old_sha256'][:12]}… -> "
                         f"{f['new_sha256'][:12]}…")
        lines.append(f"  tier changes: {ch.get('tier_changes_total', 0)}; "
                     f"new report years: {ch.get('new_report_years') or 'none'}; "
                     f"revised figures: {len(ch.get('revised_figures', []))}")
    return "\n".join(lines)


def _connect(db: Path) -> duckdb.DuckDBPyConnection:
    if not Path(db).exists():
        raise SystemExit(f"No database at {db}. Build it with: make data "
                         "(from the snapshots at ../shared/data/raw or TRAFFICKING_SNAPSHOTS)")
    return duckdb.connect(str(db), read_only=True)


def _cmd_status(args: argparse.Namespace) -> int:
    con = _connect(args.db)
    built = con.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()
    from etl import publish

    target = publish.current(args.db)
    print(f"Database {args.db} built {built[0] if built else '?'} UTC"
          + (f" (published version {target.name}; `rollback --list` shows the others)"
             if target else "") + "\n")
    print("Sources (one row per raw file):")
    for r in con.execute(
        "SELECT source_id, via, retrieved_at, left(sha256, 12), rows, coalesce(address, "
        "'(compiled snapshot, mirror only)') FROM sources ORDER BY source_id"
    ).fetchall():
        print(f"  {r[0]:<62} {r[4]:>6} rows  {r[1]:<11} {r[2]}  sha256 {r[3]}…\n      {r[5]}")
    print("\nTIP tiers per report year:")
    # 'elim.' = Tier 2 (or another tier) by elimination from the other tiers' complete lists;
    # 'unres.' = 'Tier 1 or 2', where a year truly lacks the lists; 'sec.' = chosen from a
    # secondary compilation.
    print("  year  T1   T2  T2WL   T3  Spec  T1or2  total  elim.  unres.  sec.  sources")
    rows = con.execute(
        """
        SELECT report_year,
               count(*) FILTER (tier = ?), count(*) FILTER (tier = ?),
               count(*) FILTER (tier = ?), count(*) FILTER (tier = ?),
               count(*) FILTER (tier = ?), count(*) FILTER (tier = ?),
               count(*), count(*) FILTER (method = 'elimination'),
               count(*) FILTER (NOT resolved), count(*) FILTER (secondary),
               string_agg(DISTINCT split_part(source_id, '/', 1), ', ')
        FROM tip_tiers GROUP BY report_year ORDER BY report_year
        """, list(vocabulary.NAMES)  # the header's column order
    ).fetchall()
    for r in rows:
        print(f"  {r[0]}  {r[1]:>3}  {r[2]:>3}  {r[3]:>4}  {r[4]:>3}  {r[5]:>4}  {r[6]:>5}  "
              f"{r[7]:>5}  {r[8]:>5}  {r[9]:>6}  {r[10]:>4}  {r[11]}")
    n_conf = con.execute("SELECT count(*) FROM tier_conflicts").fetchone()[0]
    print(f"\nTier conflicts recorded: {n_conf}")
    print("\nIndicators:")
    for r in con.execute(
        "SELECT i.code, i.unit, count(o.value), min(o.year), max(o.year) FROM indicators i "
        "LEFT JOIN observations o ON o.indicator = i.code GROUP BY ALL ORDER BY 1"
    ).fetchall():
        print(f"  {r[0]:<40} {r[1]:<22} {r[2]:>6} values  {r[3]}–{r[4]}")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    con = _connect(args.db)
    row = con.execute(
        "SELECT run_id, finished_at, sources, summary FROM etl_runs WHERE status = 'ok' "
        "ORDER BY finished_at DESC LIMIT 1"
    ).fetchone()
    if row is None:
        print("No refresh recorded.")
        return 0
    changes = json.loads(row[3]).get("changes", {})
    print(f"Run {row[0]} at {row[1]} (sources: {row[2]})")
    if not changes.get("previous"):
        print("First build: nothing to compare against.")
        return 0
    for table, after in changes["rows_after"].items():
        print(f"  {table:<16} {changes['rows_before'].get(table, 0):>6} -> {after:>6}")
    print(f"Tier changes ({changes.get('tier_changes_total', 0)}):")
    for c in changes.get("tier_changes", []):
        print(f"  {c['year']} {c['iso3']}: {c['old']} -> {c['new']}  [{c['source_id']}]")
    print(f"New report years: {changes.get('new_report_years') or 'none'}")
    print(f"Files changed ({len(changes.get('files_changed', []))}):")
    for f in changes.get("files_changed", []):
        print(f"  {f['source_id']}: sha256 {f['old_sha256']} -> {f['new_sha256']}")
    print(f"Revised figures ({len(changes.get('revised_figures', []))}):")
    for c in changes.get("revised_figures", []):
        print(f"  {c['indicator']} {c['area']} {c['year']} {c['breakdown']}: "
              f"{c['old']} -> {c['new']}  [{c['source_id']}]")
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    from etl import build, publish

    kept = publish.versions(args.db)
    if args.list:
        if not kept:
            print(f"No versioned databases in {publish.folder(args.db)}.")
        for v in kept:
            print(f"  {'*' if v.current else ' '} {v.when}  run {v.run_id:<14} {v.path.name}")
        return 0
    try:
        with build.lock(args.db):  # never re-point while a refresh is about to publish
            was, now = publish.rollback(args.db, args.to)
    except EtlError as exc:
        print(f"ROLLBACK FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"{args.db} now points at run {now.run_id} (published {now.when} UTC, "
          f"{now.path.name}).")
    if was is not None:
        print(f"It was run {was.run_id}; `python -m etl rollback --to {was.run_id}` undoes this.")
    return _cmd_package(argparse.Namespace(db=args.db, out=None))  # the package follows the data


def _cmd_package(args: argparse.Namespace) -> int:
    from etl import package

    try:
        out = package.write(args.db, args.out)
    except EtlError as exc:
        print(f"PACKAGE FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote the data package {out} and {out.parent / package.ZIP_NAME}")
    return 0


def _cmd_sources(args: argparse.Namespace) -> int:
    for s in registry.all_sources().values():
        print(f"{s.id}\n  {s.publisher}: {s.title}\n  licence: {s.licence}\n  {s.homepage}")
        for f in s.files:
            print(f"    {f.name:<40} {f.url or '(compiled snapshot: mirror only)'}")
    return 0


def _main(argv: list[str] | None, args: argparse.Namespace) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("--db", type=Path, default=config.db_path(),
                        help="database file (default: data/trafficking.duckdb or TRAFFICKING_DB)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("refresh", help="download, validate and publish (all or named sources)")
    p.add_argument("sources", nargs="*", help="source ids (default: all)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--mirror", help="snapshot folder or http(s) base laid out as "
                       "<source>/<file>; no network is used beyond it (default: "
                       "TRAFFICKING_SNAPSHOTS, TRAFFICKING_MIRROR, or ../shared/data/raw)")
    where.add_argument("--live", action="store_true",
                       help="fetch from the publishers' official addresses instead of the "
                       "snapshots (compiled sources, which have none, keep their published rows)")
    p.add_argument("--accept-change", action="append", default=[], metavar="SOURCE",
                   help="publish even though SOURCE lost more than half its rows or grew more "
                   "than tenfold (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=_cmd_refresh)
    sub.add_parser("status", help="what the published database holds").set_defaults(
        func=_cmd_status)
    sub.add_parser("diff", help="what the last refresh changed").set_defaults(func=_cmd_diff)
    sub.add_parser("sources", help="list the registered sources").set_defaults(
        func=_cmd_sources)
    k = sub.add_parser("package", help="write the open data package (Parquet, CSV, "
                       "datapackage.json, README) and its zip")
    k.add_argument("--out", type=Path, default=None,
                   help="package folder (default: package/ beside the database)")
    k.set_defaults(func=_cmd_package)
    r = sub.add_parser("rollback", help="publish the previous database again (or run --to RUN)")
    r.add_argument("--to", metavar="RUN", help="the run id (or file name) to publish again")
    r.add_argument("--list", action="store_true", help="list the kept versions (* = published)")
    r.set_defaults(func=_cmd_rollback)
    parser.parse_args(argv, namespace=args)
    try:
        return args.func(args)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    """The command line, with no traceback ever reaching the analyst: an unexpected error is one
    paragraph naming a log file that holds the traceback for a bug report."""
    # Filled by the parser; left bare so argparse still applies its defaults.
    args = argparse.Namespace()
    try:
        return _main(argv, args)
    except KeyboardInterrupt:
        published = _published_note(args)
        print(f"\ninterrupted; {published or 'nothing was published'}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``... | head``): not a failure of the refresh.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the analyst
        log = _write_log(exc, getattr(args, "db", None) or config.db_path(),
                         sys.argv[1:] if argv is None else argv)
        label = f"{(getattr(args, 'command', None) or 'etl').upper()} FAILED"
        what = f"{exc.__class__.__name__}: {' '.join(str(exc).split())[:500]}"
        published = _published_note(args)
        state = (f" after publishing: {published}." if published
                 else ". The published database is unchanged.")
        print(f"\n{label}: unexpected error ({what}){state} Details for a bug report: {log}",
              file=sys.stderr)
        return 1


def _published_note(args: argparse.Namespace) -> str | None:
    run = getattr(args, "published_run", None)
    return f"the new database WAS published (run {run[0]}) at {run[1]}" if run else None


def _write_log(exc: BaseException, db: Path, argv: list[str]) -> Path:
    """The traceback in ``<db dir>/logs/``, else in a temp file (the folder may be read-only)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = (f"python -m etl {' '.join(map(str, argv))}\n{datetime.now(UTC).isoformat()}\n\n"
            + "".join(traceback.format_exception(exc)))
    try:
        folder = Path(db).parent / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"etl-{stamp}-{os.getpid()}.log"
        path.write_text(text, encoding="utf-8")
        return path
    except OSError:
        fd, name = tempfile.mkstemp(prefix=f"etl-{stamp}-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        return Path(name)
