"""Worldwide law-enforcement totals, data years 2016–2024, as public pages quote the TIP reports.

Continues ``tip_global_law_enforcement`` (Kelley & Heiss, 2003–2015) with the same indicator
codes (registered there). No copy of a report's own table was available: each row of
``global_law_enforcement.csv`` is what one page says one TIP report edition (``report_year``)
prints for one data year; an empty cell is "not stated on that page" and yields no row.

Every value is traced to its page, not only to the compiled CSV:

* the page address comes from the folder's PROVENANCE.md file table (its first two columns,
  file and address); the row for ``../tip-tier-pages/2024_iawj.txt`` is written
  "(in `../tip-tier-pages/2024_iawj.txt`)" there and is read the same way;
* each page's stored excerpt is a declared file of this source (the IAWJ excerpt under its
  relative name in the snapshot layout, ``../tip-tier-pages/2024_iawj.txt``, since it is stored
  with the tier pages), so its sha256 is recorded and the row's ``quote`` is the excerpt's own
  sentence or table line holding the value. A value the excerpt does not print fails the source;
* the excerpt's sha256 must begin with the digest PROVENANCE.md lists for it (where it lists one).

Later editions revise earlier years; every edition's value is loaded (``edition`` =
'<report_year> TIP report') and ``etl/preference.py`` picks the charted one (the latest edition)
and records disagreements in ``observation_conflicts``. The observation's ``file`` is the page
excerpt the value was read from.
"""

from __future__ import annotations

import re

import pandas as pd

from etl import tables, validate
from etl.errors import SourceError
from etl.fetch import sha256_of
from etl.preference import tip_edition
from etl.source import OBSERVATION_COLUMNS, FetchedFile, Parsed, Source, SourceFile
from etl.sources.tip_global_law_enforcement import LABOUR

ID = "tip-global-law-enforcement-2016-latest"
CSV = "global_law_enforcement.csv"
PROV = "PROVENANCE.md"
# Every page excerpt the CSV's source_file column names.
PAGES = (
    "2017report_frockman232-blogspot.txt",
    "2017report_stopchildtraffic.txt",
    "2022report_databoks.txt",
    "2024report_greenlightoperation_overview.txt",
    "2025report_bahifazat.txt",
    "../tip-tier-pages/2024_iawj.txt",
)
# Only one secondary page gives data year 2024; the notes say so.
WEAK_PAGES = {"2025report_bahifazat.txt": (
    "only source for this edition's figures is a blog summary (bahifazat.com) whose tier counts "
    "on the same page contradict the 2025 lists; treat as provisional until the 2025 report's "
    "table is read directly")}
KEYS = ["report_year", "data_year"]
# CSV column -> (indicator code, breakdown)
COLUMNS: dict[str, tuple[str, str]] = {
    "prosecutions": ("tip_global_prosecutions", ""),
    "convictions": ("tip_global_convictions", ""),
    "victims_identified": ("tip_global_victims_identified", ""),
    "new_or_amended_legislation": ("tip_global_new_legislation", ""),
    "prosecutions_labor": ("tip_global_prosecutions", LABOUR),
    "convictions_labor": ("tip_global_convictions", LABOUR),
    "victims_identified_labor": ("tip_global_victims_identified", LABOUR),
}
EXPECTED = [*KEYS, *COLUMNS, "source_file"]
# Exactly these columns; the report and data years in digits.
SCHEMA = tables.input_schema(EXPECTED, strict=True, rules={
    k: [tables.digits("not a year", key=f"{ID}: {k}")] for k in KEYS})
# | `file.txt` | <https://…> | …   and   | (in `../tip-tier-pages/x.txt`) | <https://…> | …
TABLE_ROW = re.compile(
    r"^\|\s*(?:\(in\s+)?`(?P<file>[^`]+\.txt)`\)?\s*\|\s*<(?P<url>[^>]+)>\s*\|(?P<rest>.*)$",
    re.M)
SHA16 = re.compile(r"`([0-9a-f]{16})`\s*\|\s*$")
# A whole number as pages print it: 14,894 / 90.354 (Indonesian) / 5.
NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[,.]\d{3})+(?![\d,]|\.\d)|(?<![\d.,])\d+(?![\d,]|\.\d)")
NOTE = ("Data year {year}, as {page} quotes the {edition}'s Global Law Enforcement Data table "
        "(a secondary page; the report's own table was not available). The State Department "
        "calls these figures estimates and revises earlier years in later editions.")


def page_addresses(text: str) -> dict[str, tuple[str, str | None]]:
    """file -> (address, first 16 hex digits of its sha256 or None) from the file table."""
    found = {}
    for match in TABLE_ROW.finditer(text):
        digest = SHA16.search(match["rest"])
        line = text.count("\n", 0, match.start()) + 1
        url = validate.http_url(ID, PROV, line, "address", match["url"])
        found[match["file"]] = (url, digest.group(1) if digest else None)
    return found


def _numbers(text: str) -> set[int]:
    return {int(re.sub(r"[,.]", "", m)) for m in NUMBER.findall(text)}


def _pieces(text: str) -> list[str]:
    """Lines, split into sentences where a line holds several."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            out.extend(p.strip() for p in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", line) if p.strip())
    return out


def _quote(pieces: list[str], value: int, year: int) -> str | None:
    """The excerpt's sentence or table line printing ``value``; one naming the data year too
    when there are several."""
    holding = [p for p in pieces if value in _numbers(p)]
    with_year = [p for p in holding if year in _numbers(p)]
    chosen = (with_year or holding or [None])[0]
    return chosen


def parse(files: dict[str, FetchedFile]) -> Parsed:
    validate.text_files(ID, files)
    frame = tables.read_table(ID, files[CSV], SCHEMA, name=CSV)
    try:
        addresses = page_addresses(files[PROV].path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SourceError(ID, PROV, f"not UTF-8 text: {exc}") from exc
    pieces: dict[str, list[str]] = {}
    for name in PAGES:
        if name not in addresses:
            raise SourceError(ID, PROV, "page not listed in the file table", column="file",
                              value=name)
        digest = addresses[name][1]
        if digest and not sha256_of(files[name].path).startswith(digest):
            raise SourceError(ID, name, "excerpt differs from the one PROVENANCE.md describes",
                              column="sha256/16", value=digest)
        try:
            pieces[name] = _pieces(files[name].path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise SourceError(ID, name, f"not UTF-8 text: {exc}") from exc
    rows = []
    for _, rec in frame.iterrows():
        line = int(rec["row"])
        report, year = int(rec["report_year"]), int(rec["data_year"])
        if not 1 <= report - year <= 9:
            raise SourceError(ID, CSV, "a report describes earlier data years only",
                              column="data_year", value=rec["data_year"], row=line)
        page = rec["source_file"].strip()
        if page not in PAGES:
            raise SourceError(ID, CSV, "page not declared by this source (add it to PAGES and "
                              "check its address)", column="source_file", value=page, row=line)
        edition = tip_edition(report)
        note = NOTE.format(year=year, page=page.rsplit("/", 1)[-1], edition=edition)
        if page in WEAK_PAGES:
            note += f" Weak source: {WEAK_PAGES[page]}."
        for col, (code, breakdown) in COLUMNS.items():
            text = rec[col].strip()
            if text == "":
                continue  # not stated on that page: a gap
            if not text.isdigit():
                raise SourceError(ID, CSV, "not a whole number", column=col, value=text,
                                  row=line)
            quote = _quote(pieces[page], int(text), year)
            if quote is None:
                raise SourceError(ID, page, f"the page excerpt does not print this value "
                                  f"(CSV row {line}, data year {year})", column=col,
                                  value=text, row=line)
            rows.append({
                "indicator": code, "area_code": "WLD", "area_kind": "world", "year": year,
                "breakdown_dim": "form" if breakdown else "total", "breakdown": breakdown,
                "value": float(text), "qualifier": None, "file": page, "quote": quote,
                "cited_url": addresses[page][0], "note": note, "edition": edition,
                "row": line,
            })
    obs = pd.DataFrame(rows, columns=[*OBSERVATION_COLUMNS, "edition", "row"])
    dup = obs.duplicated(["indicator", "year", "breakdown", "file", "edition"])
    if dup.any():
        row = obs[dup].iloc[0]
        raise SourceError(ID, CSV, "one page gives one edition's figure twice",
                          column="source_file", value=f"{row['file']} {row['year']}",
                          row=int(row["row"]))
    per_file = {CSV: len(frame), PROV: len(addresses)}
    per_file |= {name: int((obs["file"] == name).sum()) for name in PAGES}
    return Parsed(observations=obs, rows_per_file=per_file)


SOURCE = Source(
    id=ID,
    publisher="US Department of State (TIP report), as quoted by public pages; compiled by "
              "this project",
    title="TIP report Global Law Enforcement Data, data years 2016–2024 (as quoted)",
    licence="Figures: US government work (TIP reports); page excerpts belong to their "
            "publishers, kept for provenance",
    homepage="https://www.state.gov/trafficking-in-persons-report/",
    files=(SourceFile(CSV, None), SourceFile(PROV, None),
           *(SourceFile(name, None) for name in PAGES)),
    parse=parse,
    description=(
        "Worldwide prosecutions, convictions, victims identified and new laws for data years "
        "2016–2024, each value from a page quoting one report edition (2017, 2022, 2024, 2025), "
        "with the labour-trafficking subset where printed. Earlier years as later editions "
        "revise them are kept beside the first figures; the latest edition is charted. Data "
        "year 2024 rests on one weak page (a blog summary of the 2025 report)."),
)
