"""N sessions at once through nginx, against 1 replica and against 3 (deploy/cluster.py).

The 1-replica figure is the floor each 3-replica figure is divided by, measured in the same run
with the same database, page and client (bench/protocol.py, no browsers).
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench import protocol
from bench.report import Row


def _p95(xs: list[float]) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def measure(env: dict[str, str], page: str, sessions: list[int], replicas: list[int],
            timeout_s: float = 120.0) -> dict[int, dict[int, dict]]:
    """{replicas: {sessions: {median, p95, errors, wall}}} for every combination."""
    from deploy import cluster as deploy

    out: dict[int, dict[int, dict]] = {}
    for r in replicas:
        with tempfile.TemporaryDirectory(prefix=f"bench-cluster-{r}-") as run_dir:
            try:
                c = deploy.start(r, deploy.free_port(), Path(run_dir), env=env)
            except RuntimeError as exc:  # the other replica count's figures are still kept
                out[r] = {n: {"median": None, "p95": None, "wall": 0.0, "failed": n,
                              "errors": [f"cluster did not start: {exc}"[:200]], "samples": []}
                          for n in sessions}
                continue
            try:
                # Warm every replica's caches (the hash spreads these over all of them).
                protocol.concurrent(c.url, page, 4 * r, timeout_s)
                for n in sessions:
                    outcomes, wall = protocol.concurrent(c.url, page, n, timeout_s)
                    times = [o.seconds for o in outcomes if o.seconds is not None]
                    out.setdefault(r, {})[n] = {
                        "median": statistics.median(times) if times else None,
                        "p95": _p95(times), "wall": wall,
                        "errors": sorted({o.error for o in outcomes if o.error}),
                        "failed": sum(1 for o in outcomes if o.error),
                        "samples": times,
                    }
            finally:
                c.stop()
    return out


def rows(results: dict[int, dict[int, dict]], page: str) -> list[Row]:
    """One row per (replicas, sessions); the p95 divided by the 1-replica p95 at the same N."""
    table = []
    base = results.get(1, {})
    for r, by_n in sorted(results.items()):
        for n, m in sorted(by_n.items()):
            floor = base.get(n, {}).get("p95") if r != 1 else None
            table.append(Row(
                f"cluster {r} replica{'s' if r > 1 else ''}", page or "overview", n, m["p95"],
                floor, "p95 ≤ 1.5 s, 0 errors",
                None if m["p95"] is None else (m["p95"] <= 1.5 and not m["failed"]),
                f"median {m['median']:.2f} s; errors {m['failed']}; wall {m['wall']:.1f} s"
                if m["median"] is not None else "; ".join(m["errors"])[:150]))
    return table
