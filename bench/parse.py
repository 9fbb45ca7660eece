"""The GLOTIP workbook parse (issue 17): pandas' calamine engine against the readers it replaced,
timed side by side in one run on the snapshot ``unodc-glotip/data_glotip.xlsx``.

Floors (same file, same run, runs interleaved so drift in the machine's load hits all alike):
- the hand-written reader of the sheet's XML that the ETL used before (kept here, and only
  here, so the comparison can be repeated);
- openpyxl through ``pd.read_excel`` with the same text options (what that reader was written
  to avoid).

Each pair is also checked for equal output, so a faster reader that reads differently shows as
an error in the table, not as a win. ``python -m bench.parse [--runs N]`` runs it alone.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree.ElementTree import iterparse

import pandas as pd

from bench.report import Row

ROOT = Path(__file__).resolve().parent.parent
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# --- The reader before calamine (etl/sources/unodc_glotip.py at 8d3819a), as the floor --------

def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + (ord(ch.upper()) - 64)
    return n - 1


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    out: list[str] = []
    with book.open("xl/sharedStrings.xml") as fh:
        for _, elem in iterparse(fh):
            if elem.tag == _NS + "si":
                out.append("".join(t.text or "" for t in elem.iter(_NS + "t")))
                elem.clear()
    return out


def _xlsx_rows(path: str) -> Iterator[list[str | None]]:
    with zipfile.ZipFile(path) as book:
        strings = _shared_strings(book)
        sheet = sorted(n for n in book.namelist()
                       if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))[0]
        with book.open(sheet) as fh:
            for _, elem in iterparse(fh):
                if elem.tag != _NS + "row":
                    continue
                row: list[str | None] = []
                for cell in elem.iter(_NS + "c"):
                    idx = _col_index(cell.get("r", ""))
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        text = "".join(t.text or "" for t in cell.iter(_NS + "t"))
                    else:
                        v = cell.find(_NS + "v")
                        text = None if v is None else v.text
                        if kind == "s" and text is not None:
                            text = strings[int(text)]
                    while len(row) < idx:
                        row.append(None)
                    row.append(text)
                elem.clear()
                yield row


def hand_read_table(fetched) -> pd.DataFrame:  # noqa: ANN001 - an etl.source.FetchedFile
    """What ``unodc_glotip.read_table`` returned before calamine (the snapshot has a header)."""
    from etl.sources import unodc_glotip as src

    rows = _xlsx_rows(str(fetched.path))
    line = 0
    for row in rows:
        line += 1
        if row and row[0] == "Iso3_code":
            header = [str(c).strip() if c is not None else "" for c in row]
            break
    body = [r + [None] * (len(header) - len(r)) for r in rows if any(c for c in r)]
    frame = pd.DataFrame(body, columns=header)
    frame.attrs["first_data_line"] = line + 1
    return frame[src.NEEDED]


# --- Timing ------------------------------------------------------------------------------------

def _openpyxl_read_table(fetched) -> pd.DataFrame:  # noqa: ANN001
    from etl.sources import unodc_glotip as src

    cells = pd.read_excel(fetched.path, sheet_name=0, engine="openpyxl", dtype=str,
                          na_filter=False, header=None)
    at = int(cells.index[cells[0] == "Iso3_code"][0])
    body = cells.iloc[at + 1:]
    body = body[(body != "").any(axis=1)]
    frame = pd.DataFrame(body.to_numpy(), columns=[c.strip() for c in cells.iloc[at]])
    return frame[src.NEEDED]


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def _same_cells(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    # The hand reader gave None for an absent cell, calamine gives '' (the parser treats both
    # as an empty cell), so cells are compared as text.
    return a.shape == b.shape and a.fillna("").reset_index(drop=True).equals(
        b.fillna("").reset_index(drop=True))


def measure(mirror: Path, runs: int = 3) -> dict:
    """Seconds per run for each reader and for the whole parse, plus the equality checks."""
    from etl.build import run_parser
    from etl.fetch import sha256_of
    from etl.source import FetchedFile
    from etl.sources import unodc_glotip as src

    path = mirror / src.ID / src.FILE
    fetched = FetchedFile(source=src.ID, name=src.FILE, path=path, url=src.URL,
                          fetched_from=str(path), via="mirror-dir", sha256=sha256_of(path),
                          bytes=path.stat().st_size, retrieved_at="")
    files = {src.FILE: fetched}
    calamine_read = src.read_table

    def parse_with(reader: Callable) -> pd.DataFrame:
        calls = []

        def counted(f):  # noqa: ANN001, ANN202
            calls.append(1)
            return reader(f)

        src.read_table = counted  # parse() looks the reader up by name at each call
        try:
            result = run_parser(src.SOURCE, files).observations
        finally:
            src.read_table = calamine_read
        if not calls:  # else the 'before' figure would silently be calamine's again
            raise RuntimeError("unodc_glotip.parse no longer calls unodc_glotip.read_table: "
                               "update bench/parse.py")
        return result

    times: dict[str, list[float]] = {k: [] for k in
                                     ("calamine", "hand", "openpyxl", "parse", "parse_hand")}
    out: dict = {"rows": None, "observations": None}
    for _ in range(runs):
        t, cal = _timed(lambda: calamine_read(fetched))
        times["calamine"].append(t)
        t, hand = _timed(lambda: hand_read_table(fetched))
        times["hand"].append(t)
        t, opx = _timed(lambda: _openpyxl_read_table(fetched))
        times["openpyxl"].append(t)
        t, obs = _timed(lambda: parse_with(calamine_read))
        times["parse"].append(t)
        t, obs_hand = _timed(lambda: parse_with(hand_read_table))
        times["parse_hand"].append(t)
    out.update(times=times, rows=len(cal), observations=len(obs),
               same_as_hand=_same_cells(cal, hand), same_as_openpyxl=_same_cells(cal, opx),
               same_observations=obs.equals(obs_hand))
    return out


def rows(result: dict, runs: int) -> list[Row]:
    med = {k: statistics.median(v) for k, v in result["times"].items()}

    def check(same: bool, what: str) -> str:
        return f"{result['rows']:,} data rows; same {what}: " + ("yes" if same else "NO (bug)")

    fast = "< 1× (faster than its floor)"
    return [
        Row("parse", "GLOTIP read: calamine vs the old hand XML reader", runs, med["calamine"],
            med["hand"], fast, med["calamine"] < med["hand"] and result["same_as_hand"],
            check(result["same_as_hand"], "cells")),
        Row("parse", "GLOTIP read: calamine vs openpyxl read_excel", runs, med["calamine"],
            med["openpyxl"], fast, med["calamine"] < med["openpyxl"]
            and result["same_as_openpyxl"], check(result["same_as_openpyxl"], "cells")),
        Row("parse", "GLOTIP parse + validate: calamine vs the old hand reader", runs,
            med["parse"], med["parse_hand"], fast,
            med["parse"] < med["parse_hand"] and result["same_observations"],
            f"{result['observations']:,} observations; same observations: "
            + ("yes" if result["same_observations"] else "NO (bug)")),
    ]


def phase(mirror: Path, quick: bool, table: list[Row], out: dict) -> None:
    """The bench phase ``parse``: one run with --quick, three otherwise."""
    runs = 1 if quick else 3
    print(f"[bench {time.strftime('%H:%M:%S')}] parse: GLOTIP workbook × {runs}",
          file=sys.stderr, flush=True)
    result = measure(mirror, runs)
    out["parse"] = result
    table.extend(rows(result, runs))


def main(argv: list[str] | None = None) -> int:
    from bench import report

    ap = argparse.ArgumentParser(prog="python -m bench.parse", description=__doc__)
    ap.add_argument("--mirror", type=Path, default=ROOT.parent / "shared/data/raw")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    result = measure(args.mirror.resolve(), args.runs)
    print(report.table(rows(result, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
