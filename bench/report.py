"""The machine the run happened on, and the one table ``make bench`` prints."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from dataclasses import dataclass


@dataclass
class Row:
    section: str
    item: str
    n: int | str
    value: float | None        # seconds (median where n > 1)
    floor: float | None = None  # the same-run reference it is divided by
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor


def machine() -> dict[str, str]:
    """CPU model, cores, memory and load average (now)."""
    info = {"cpus": str(os.cpu_count()), "python": platform.python_version(),
            "kernel": platform.release()}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        model = re.search(r"Model name:\s*(.+)", out)
        info["cpu"] = model.group(1).strip() if model else "?"
        threads = re.search(r"Thread\(s\) per core:\s*(\d+)", out)
        info["threads_per_core"] = threads.group(1) if threads else "?"
    except (OSError, subprocess.SubprocessError):
        info["cpu"] = "?"
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem = {ln.split(":")[0]: ln.split()[1] for ln in fh}
        info["memory_gb"] = f"{int(mem['MemTotal']) / 2**20:.1f}"
        info["available_gb"] = f"{int(mem['MemAvailable']) / 2**20:.1f}"
    except (OSError, KeyError):
        pass
    info["load_avg"] = load()
    return info


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def table(rows: list[Row]) -> str:
    """A Markdown table (readable as plain text too)."""
    head = ["section", "item", "n", "median s", "floor s", "ratio", "target", "ok", "note"]
    body = []
    for r in rows:
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        body.append([r.section, r.item, str(r.n), _s(r.value), _s(r.floor), ratio, r.target, ok,
                     r.note])
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h)
              for i, h in enumerate(head)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(b) for b in body]
    return "\n".join(out)


def machine_line(info: dict[str, str]) -> str:
    return (f"{info.get('cpu', '?')}; {info.get('cpus')} logical CPUs "
            f"({info.get('threads_per_core', '?')} thread(s)/core); "
            f"{info.get('memory_gb', '?')} GB RAM ({info.get('available_gb', '?')} GB available); "
            f"Python {info.get('python')}; Linux {info.get('kernel')}")
