"""Server-side rerun time of one page (or its floor) with Streamlit's AppTest.

Run as a child process so that "cold" really is the first run in a fresh process::

    python -m bench.server_side --page pages/tiers.py --runs 5 --save-figures out.json
    python -m bench.server_side --floor tiers --runs 5

and print one JSON object: cold seconds, warm seconds (one per rerun), figures drawn, their
sizes, and any exception the script raised.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = Path(__file__).resolve().parent / "floor_app.py"
TIMEOUT = 120.0


def _figures(at) -> list[dict]:  # noqa: ANN001 - AppTest is imported lazily
    out = []
    for el in at.get("plotly_chart"):
        proto = el.proto
        out.append({"spec": json.loads(proto.spec),
                    "config": json.loads(proto.config) if proto.config else {},
                    "theme": proto.theme, "bytes": len(proto.spec)})
    return out


def _problems(at) -> list[str]:  # noqa: ANN001
    return [str(getattr(e, "message", e))[:300] for e in at.exception]


def _app(page: str | None, floor: str | None, in_nav: bool):  # noqa: ANN202
    from streamlit.testing.v1 import AppTest

    if floor is not None:
        at = AppTest.from_file(str(FLOOR), default_timeout=TIMEOUT)
        at.query_params["page"] = floor
    elif in_nav:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
        at.switch_page(page)
    else:
        at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    return at


def _timed(at) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def measure(page: str | None, floor: str | None, runs: int, in_nav: bool = True,
            save_figures: Path | None = None) -> dict:
    """Time the first run (cold) and ``runs`` reruns (warm) of a page or a floor.

    With ``save_figures`` (pages only) the page's figures are written there and the floor
    drawing them is rerun in the same process, alternating with the page (page, floor,
    page, floor, ...), so both warm medians see the same machine load: on a shared machine
    that matters more than anything else about the ratio.
    """
    at = _app(page, floor, in_nav)
    cold = _timed(at)
    figures = _figures(at)
    problems = _problems(at)
    floor_at = None
    if save_figures is not None:
        save_figures.write_text(json.dumps(
            [{k: f[k] for k in ("spec", "config", "theme")} for f in figures]), encoding="utf-8")
        previous = os.environ.get("BENCH_FLOOR_DIR")
        os.environ["BENCH_FLOOR_DIR"] = str(save_figures.parent)
        floor_at = _app(None, save_figures.stem, True)
        floor_at.run()  # unmeasured: the floor's cold run is measured in its own process
    warm, floor_warm = [], []
    for _ in range(runs):
        warm.append(_timed(at))
        problems += [p for p in _problems(at) if p not in problems]
        if floor_at is not None:
            floor_warm.append(_timed(floor_at))
    floor_figures = None
    if floor_at is not None:
        floor_figures = len(_figures(floor_at))
        if previous is None:
            os.environ.pop("BENCH_FLOOR_DIR", None)
        else:
            os.environ["BENCH_FLOOR_DIR"] = previous
    return {"cold": cold, "warm": warm, "floor_warm": floor_warm, "figures": len(figures),
            "floor_figures": floor_figures,
            "figure_bytes": [f["bytes"] for f in figures], "errors": problems}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--page")
    ap.add_argument("--floor")
    ap.add_argument("--not-in-nav", action="store_true")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--save-figures", type=Path)
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    result = measure(args.page, args.floor, args.runs, not args.not_in_nav, args.save_figures)
    sys.stdout.write("BENCH-RESULT " + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
