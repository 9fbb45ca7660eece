"""Refresh timings: a full refresh from the mirror folder and each source alone, with peak
memory, next to a floor that only reads and hashes the same files.

Each measurement runs in a child process (``python -m bench.refresh ...``) so its peak
resident memory (``ru_maxrss``) belongs to that one refresh. With ``--tracemalloc`` the
child also reports the peak of Python-level allocations (slower, so it is a separate run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(args: argparse.Namespace) -> dict:
    import duckdb  # noqa: F401 - imported before the baseline so it is not counted as work

    from etl import build, registry
    from etl.fetch import sha256_of

    base_rss = _rss_mb()
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    t0 = time.perf_counter()
    rows: dict = {}
    if args.floor:
        # The least any refresh must do: read and hash every file of the chosen sources.
        sources = [registry.get(s) for s in args.sources] if args.sources else list(
            registry.all_sources().values())
        n = 0
        for source in sources:
            folder = Path(args.mirror) / (source.mirror_subdir or source.id)
            for spec in source.files:
                path = folder / spec.name
                if path.is_file():
                    sha256_of(path)
                    n += path.stat().st_size
        rows = {"bytes_hashed": n}
    else:
        result = build.refresh(args.sources or None, mirror=args.mirror, db_path=Path(args.db))
        rows = result.rows
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "peak_rss_mb": _rss_mb(), "base_rss_mb": base_rss, "rows": rows}
    if args.tracemalloc:
        import tracemalloc

        out["py_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return out


def run(mirror: Path, db: Path, sources: list[str] | None = None, floor: bool = False,
        trace: bool = False, env: dict[str, str] | None = None) -> dict:
    """One refresh (or floor) in a fresh child process; returns its JSON report."""
    cmd = [sys.executable, "-m", "bench.refresh", "--mirror", str(mirror), "--db", str(db)]
    cmd += (["--floor"] if floor else []) + (["--tracemalloc"] if trace else [])
    cmd += list(sources or [])
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=600)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT "):])
    return {"error": (proc.stderr or proc.stdout).strip()[-600:] or f"exit {proc.returncode}"}


def source_ids() -> list[str]:
    from etl import registry

    return sorted(registry.all_sources())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mirror", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--floor", action="store_true")
    ap.add_argument("--tracemalloc", action="store_true")
    ap.add_argument("sources", nargs="*")
    args = ap.parse_args(argv)
    sys.stdout.write("BENCH-RESULT " + json.dumps(_child(args), default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
