"""Command line for presenters and analysts: regenerate exactly the figures the dashboard
shows, after a refresh, without opening a browser window.

    python -m trafficking export --chart tiers-map --year 2024 --format svg --out fig.svg
    python -m trafficking export --chart tier-timeline --jurisdictions HKG,SGP --out t.png
    python -m trafficking export --pack "tiers-map:year=2024;tier-counts:" --out pack.html
    python -m trafficking export --chart ge-headlines --lang zh-Hant --out ge.png
    python -m trafficking export --list

Chart parameters are given as ``--<name> <value>`` with the same names and checks as the
page addresses; a value the database does not hold is an error here, not a silent default.
``--lang`` (as ``?lang=`` in an address) writes titles, labels, summaries, source lines, CSV
headers and the pack in that language; the permalinks keep it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

FORMATS = ("png", "svg", "csv", "html")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m trafficking")
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export", help="write a chart (or a briefing pack) to a file",
                        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    what = ex.add_mutually_exclusive_group(required=True)
    what.add_argument("--chart", help="chart id (see --list)")
    what.add_argument("--pack", help="several charts, as in the briefing page's address: "
                                     "'id:name=value&name=value;id2:…'")
    what.add_argument("--list", action="store_true", help="list chart ids and their parameters")
    ex.add_argument("--format", choices=FORMATS, help="default: from the --out suffix")
    ex.add_argument("--out", type=Path, help="output file")
    ex.add_argument("--preset", choices=("wide", "square"), default="wide",
                    help="PNG/SVG size: wide = 1920×1080 (16:9), square = 1080×1080")
    ex.add_argument("--lang", choices=("en", "zh-Hant"), default="en",
                    help="language of the export (as ?lang= in an address; default: en)")
    ex.add_argument("--base-url", default=None,
                    help="address of the live dashboard for permalinks "
                         "(default: $TRAFFICKING_PUBLIC_URL or http://localhost:8501)")
    return p


def _chart_values(spec, extra: list[str]) -> dict:
    """Checked values for ``spec`` from ``--name value`` pairs; errors on anything unknown."""
    from trafficking.present.validate import resolve

    raw: dict[str, list[str]] = {}
    i = 0
    while i < len(extra):
        arg = extra[i]
        if not arg.startswith("--"):
            raise SystemExit(f"error: unexpected argument {arg!r}")
        name, eq, value = arg[2:].partition("=")
        if not eq:
            if i + 1 >= len(extra):
                raise SystemExit(f"error: --{name} needs a value")
            value = extra[i + 1]
            i += 1
        raw.setdefault(name, []).append(value)
        i += 1
    known = {p.name for p in spec.params}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SystemExit(f"error: chart {spec.id!r} takes no --{unknown[0]} "
                         f"(it takes: {', '.join('--' + k for k in sorted(known)) or 'nothing'})")
    values, notices = resolve(spec.params, raw)
    if notices:
        raise SystemExit("error: " + " ".join(n.replace("\\", "") for n in notices))
    return values


def _list() -> int:
    from trafficking.i18n import _
    from trafficking.present import registry

    for spec in registry.CHARTS.values():
        params = " ".join(f"--{p.name} <{_(p.label)}>" for p in spec.params)
        print(f"{spec.id:<18} {_(spec.title)}  {params}".rstrip())
    return 0


def export(args: argparse.Namespace, extra: list[str]) -> int:
    from trafficking import i18n

    with i18n.using(args.lang):
        return _export(args, extra)


def _export(args: argparse.Namespace, extra: list[str]) -> int:
    from trafficking import db
    from trafficking.present import briefing, export, links, pack, registry, sources

    if args.list:
        return _list()
    if args.out is None:
        raise SystemExit("error: --out is required")
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise SystemExit(f"error: cannot tell the format from {args.out.name!r}; "
                         f"use --format {{{','.join(FORMATS)}}}")
    problem = db.database_problem()
    if problem:
        raise SystemExit(f"error: {problem} Build it with `make data`.")
    base = links.base_url(args.base_url)
    built = sources.built_at()
    if args.pack:
        if extra:
            raise SystemExit("error: with --pack, put chart parameters inside the pack text")
        entries, notices = pack.parse([args.pack])
        if notices or not entries:
            raise SystemExit("error: " + (" ".join(n.replace("\\", "") for n in notices)
                                          or "the pack names no chart"))
        items = pack.build(entries, base)
    else:
        spec = registry.get(args.chart)
        if spec is None:
            raise SystemExit(f"error: no chart {args.chart!r}; see --list")
        values = _chart_values(spec, extra)
        items = [briefing.PackItem(spec.id, registry.view(spec.id, values),
                                   links.permalink(spec, values, base))]
    started = time.perf_counter()
    if fmt == "html":
        data = briefing.html_pack(items, built).encode("utf-8")
    elif fmt == "csv":
        if len(items) != 1:
            raise SystemExit("error: CSV holds one chart; use --format png for a pack (zip)")
        data = export.csv_bytes(items[0].view, built, items[0].permalink)
    elif len(items) == 1:
        item = items[0]
        try:
            data = export.image(item.view, fmt, args.preset, built, item.permalink)
        except export.ExportUnavailable as exc:
            raise SystemExit(f"error: {exc}") from None
    else:
        if fmt != "png":
            raise SystemExit("error: a pack exports as html or png (a zip of PNGs)")
        data = briefing.png_zip(items, built, args.preset)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    took = time.perf_counter() - started
    print(f"wrote {args.out} ({len(data):,} bytes, {fmt}, {took:.1f} s)", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args, extra = _parser().parse_known_args(argv)
    if args.command == "export":
        return export(args, extra)
    return 2


def export_main(argv: list[str] | None = None) -> int:
    """``trafficking-export …`` (the installed command): ``python -m trafficking export …``."""
    return main(["export", *(sys.argv[1:] if argv is None else argv)])
