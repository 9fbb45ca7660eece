"""Checks on parsed rows and on the finished database, before anything is published.

Every check names what an analyst needs to find the bad value: source, file, row (the 1-based
line or spreadsheet row, where the parser records it in the optional ``row`` column), column and
value. The rules (the README's "Reliability" section states them for readers):

* a value is a finite number; a row without one must say why in ``qualifier`` (e.g. UNODC's
  '<5'), otherwise the figure is not stated and the parser must leave the row out;
* no negative value unless the parser marks the row signed (``may_be_negative``);
* no magnitude no source could state (``database``): a count above the world population, a
  count of persons above the jurisdiction's population where the database holds one, a
  share or score outside 0–100, a rate above its base (``indicators.kind``, ``rate_base``);
* an indicator states its kind, measure, series and label, a rate its base and an edition its
  year, and the codes of one series share unit, kind and base (``indicators``);
* one file states a figure (indicator, place, year, breakdown, edition, page) once: a second row
  is a duplicate, or two spellings of one country, and fails; one file gives one tier per
  jurisdiction and report year;
* every address is ``http(s)://host…`` with no space or control character (``http_url``);
* text holds no NUL or other C0 control character (tab and line breaks only in quoted text),
  and a text file holds none at all (``text_files``).

The per-cell rules of parser output run as pandera schemas (``etl/tables.py``), which report
every failing cell at once; what needs several rows (duplicates, two tiers, two spellings)
or another table (units, populations: SQL in ``database``) stays here.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pandas as pd

from etl.errors import EtlError, SourceError
from etl.source import FetchedFile, Source

FIRST_YEAR = 2000
# UN World Population Prospects 2024 puts the 2025 world population at about 8.2 billion; no
# count in this database (persons, cases, decisions) can be larger than the world.
WORLD_POPULATION = 8.3e9
# Indicator units (the ``indicators.unit`` the parsers register) that count persons; a count of
# persons in a jurisdiction cannot exceed its population (an indicator with role 'population').
PERSON_UNITS = frozenset({"persons", "persons screened", "potential victims referred"})
# Control characters: none in names, codes or addresses; tab and line breaks only in quotes and
# notes (a pasted paragraph). DEL counts as one.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_PROSE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PROSE_COLUMNS = frozenset({"quote", "note", "stance_quote", "figures_cited"})
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".md", ".json", ".html", ".htm")


def last_year() -> int:
    return date.today().year + 1


def _first_bad(frame: pd.DataFrame, mask: pd.Series) -> pd.Series | None:
    bad = frame[mask]
    return None if bad.empty else bad.iloc[0]


def _row(record: pd.Series) -> int | None:
    """The source line a parser recorded for this row (optional ``row`` column)."""
    value = record.get("row") if hasattr(record, "get") else None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _error(source: Source | str, record: pd.Series, message: str, column: str,
           value: object) -> SourceError:
    source_id = source if isinstance(source, str) else source.id
    if hasattr(value, "item"):  # a numpy scalar reads as np.float64(...) in the message
        value = value.item()
    return SourceError(source_id, str(record.get("file", "(parser output)")), message,
                       column=column, value=value, row=_row(record))


def url_problem(value: object) -> str | None:
    """Why ``value`` is not an absolute http(s) address with a host, or ``None`` if it is."""
    if not isinstance(value, str) or not value:
        return "address missing"
    if _CONTROL.search(value) or any(ch.isspace() for ch in value):
        return "address holds a space, line break or control character"
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return "address is not a well-formed URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "address is not http:// or https://"
    if not host:
        return "address names no host"
    return None


def http_url(source: Source | str, file: str, row: int | None, column: str,
             value: object) -> str:
    """``value`` if it is an absolute http(s) address, else a SourceError naming the cell.

    The one rule for every link a source gives (cited pages, quoted-at addresses, page
    addresses read from a PROVENANCE.md): the dashboard turns these into links, so
    ``javascript:``, ``data:``, ``file:``, scheme-relative ``//host`` and addresses with spaces
    or line breaks never get that far.
    """
    problem = url_problem(value)
    if problem:
        source_id = source if isinstance(source, str) else source.id
        raise SourceError(source_id, file, problem, column=column, value=value, row=row)
    return value  # type: ignore[return-value]


def text_files(source: Source | str, files: Mapping[str, FetchedFile]) -> None:
    """No NUL byte or other C0 control character (tab, CR, LF aside) in a source's text files.

    A NUL cuts a quote short in some readers and is invisible in others; either way the file
    is not what its publisher wrote, so it fails with its line and (for a CSV) its column.
    """
    for name, fetched in files.items():
        if not name.lower().endswith(TEXT_SUFFIXES):
            continue
        data = Path(fetched.path).read_bytes()
        source_id = source if isinstance(source, str) else source.id
        try:  # a UTF-16 file is all NUL bytes to this check: say what it really is
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(source_id, name, f"not UTF-8 text: {exc.reason} at byte {exc.start}",
                              row=data.count(b"\n", 0, exc.start) + 1) from exc
        match = re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", data)
        if match is None:
            continue
        start = data.rfind(b"\n", 0, match.start()) + 1
        line = data.count(b"\n", 0, match.start()) + 1
        column = None
        if name.lower().endswith((".csv", ".tsv")):
            column = _csv_column(data, start, match.start(), "\t" if name.endswith(".tsv") else ",")
        char = data[match.start():match.start() + 1]
        what = "a NUL byte" if char == b"\x00" else f"a control character ({char!r})"
        # The bytes around it (not the whole line), so the message shows where it sits.
        shown = data[max(start, match.start() - 60):match.start() + 41].decode("utf-8", "replace")
        raise SourceError(source_id, name, f"{what} in a text file (the file is damaged or is "
                          "not the publisher's text)", column=column, value=shown, row=line)


def resolve_names(source: Source | str, file: str, frame: pd.DataFrame, column: str,
                  names: pd.Series | None = None) -> dict[str, str]:
    """Spelling -> ISO code for every name in ``frame[column]`` (or ``names``, the same rows
    after cleaning), or a SourceError naming the first row whose name does not resolve."""
    from etl.countries import UnresolvedNames, resolve_many

    spelled = frame[column] if names is None else names
    try:
        return resolve_many(sorted(spelled.unique()))
    except UnresolvedNames as exc:
        first = frame[spelled.isin(exc.names)].iloc[0]
        source_id = source if isinstance(source, str) else source.id
        others = f" (and {len(exc.names) - 1} more: {exc.names})" if len(exc.names) > 1 else ""
        raise SourceError(source_id, file, "country name not resolved: no alias or exact name "
                          f"matches it (add the spelling to etl/countries.py ALIASES){others}",
                          column=column, value=first[column], row=_row(first)) from exc


def csv_lines(path: Path | str, encoding: str = "utf-8") -> list[int]:
    """The 1-based line on which each data record of a CSV file starts (header excluded).

    ``index + 2`` is wrong once a quoted cell spans lines; error messages name the line an
    analyst sees in an editor.
    """
    starts: list[int] = []
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        previous = 0
        for record in reader:
            if previous and record:  # a blank line (no fields) is skipped, as pandas does
                starts.append(previous + 1)
            previous = reader.line_num
    return starts


def with_lines(frame: pd.DataFrame, path: Path | str) -> pd.DataFrame:
    """``frame`` (read by ``pandas.read_csv``) with its records' source lines in ``row``."""
    lines = csv_lines(path)
    if len(lines) != len(frame):  # a shape csv and pandas read differently: plain numbering
        lines = [int(i) + 2 for i in range(len(frame))]
    return frame.assign(row=lines)


def looks_like_address(text: str) -> bool:
    """True for text a reader would take for a link (a scheme, ``//host`` or ``www.``)."""
    return bool(re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*:|//|www\.)", text))


def _csv_column(data: bytes, line_start: int, at: int, delimiter: str) -> str | None:
    """Header name of the CSV field holding byte ``at`` (``None`` when it cannot be told)."""
    try:
        header = next(csv.reader([data[:data.find(b"\n")].decode("utf-8", "replace")],
                                 delimiter=delimiter))
        fields = next(csv.reader([data[line_start:at].decode("utf-8", "replace")],
                                 delimiter=delimiter), [""])
    except (csv.Error, StopIteration):
        return None
    index = max(len(fields) - 1, 0)
    return header[index].strip() if index < len(header) else None


def _source_id(source: Source | str) -> str:
    return source if isinstance(source, str) else source.id


def tier_observations(source: Source, frame: pd.DataFrame) -> None:
    """Cell rules (``etl.tables``: tier, year, ISO code, text, addresses), then rows together."""
    from etl import tables  # tables builds on this module's rules

    tables.validated(tables.tier_observations_schema(frame), frame, _source_id(source))
    dup = frame.duplicated(["iso3", "report_year", "file", "name_as_published", "tier", "cited_url"])
    row = _first_bad(frame, dup)
    if row is not None:
        raise _error(source, row, "duplicated row", "name_as_published",
                     f"{row['name_as_published']} {row['report_year']}")
    # Pages in one file may name a country in several spellings, but never two tiers for it.
    tiers = frame.groupby(["iso3", "report_year", "file"])["tier"].transform("nunique")
    row = _first_bad(frame, tiers > 1)
    if row is not None:
        same = frame[(frame["iso3"] == row["iso3"]) & (frame["report_year"] == row["report_year"])
                     & (frame["file"] == row["file"])]
        stated = "; ".join(f"{r['name_as_published']!s}: {r['tier']}"
                           + (f" (row {_row(r)})" if _row(r) else "")
                           for _, r in same.drop_duplicates(["name_as_published", "tier"]).iterrows())
        raise _error(source, same.iloc[-1], f"one file gives {row['iso3']} two tiers for "
                     f"{row['report_year']}", "tier", stated)


def indicators(source: Source, frame: pd.DataFrame) -> None:
    """Cell rules (``etl.tables``: names, kind, rate base, edition year), then one shape per
    series."""
    from etl import tables

    tables.validated(tables.indicators_schema(frame), frame, _source_id(source))
    problem = series_problem(frame)
    if problem:
        raise SourceError(_source_id(source), "(parser output)", problem[1], column="series",
                          value=problem[0])


def series_problem(frame: pd.DataFrame) -> tuple[str, str] | None:
    """(series, what is wrong) for the first series whose codes cannot be one line: all its
    codes must share unit, kind and rate base, each be an edition, and name distinct editions
    (an unversioned indicator is a series of its own)."""
    for series, part in frame.groupby("series", sort=True):
        for column in ("unit", "kind", "rate_base"):
            if part[column].astype(object).where(part[column].notna(), None).nunique(
                    dropna=False) > 1:
                return str(series), (f"codes {', '.join(sorted(part['code']))} of one series "
                                     f"differ in {column}")
        if len(part) > 1 and part["edition"].isna().any():
            return str(series), (f"codes {', '.join(sorted(part['code']))} share a series, so "
                                 "each needs its edition")
        if part["edition"].dropna().duplicated().any():
            return str(series), "two codes of one series name the same edition"
    return None


def observations(source: Source, frame: pd.DataFrame) -> None:
    """Cell rules (``etl.tables``: year, value, qualifier, text, addresses), then one figure
    once per file."""
    from etl import tables

    tables.validated(tables.observations_schema(frame), frame, _source_id(source))
    _once_per_file(source, frame)


def _once_per_file(source: Source, frame: pd.DataFrame) -> None:
    """One file states one figure once per page and edition.

    The key is everything that tells two statements apart (a revised edition, another page,
    a breakdown); a second row on the same key is a duplicate, or two spellings of one country
    that resolve to the same code. Parsers that keep the spelling put it in the optional column
    ``area_as_published``.
    """
    key = [c for c in ("indicator", "area_code", "year", "breakdown_dim", "breakdown", "file",
                       "cited_url", "edition") if c in frame.columns]
    keyed = frame[key].astype(str)  # None and NaN alike, so an empty edition is one key
    dup = keyed.duplicated(keep=False)
    if not dup.any():
        return
    first = keyed[dup].iloc[0]
    same = frame[dup & (keyed == first).all(axis=1)]
    a, b = same.iloc[0], same.iloc[1]
    figure = f"{a['indicator']} {a['area_code']} {a['year']} {a['breakdown']}".strip()
    spelled = "area_as_published" in frame.columns and a["area_as_published"] != b["area_as_published"]

    def shown(r: pd.Series) -> str:
        name = f"{r['area_as_published']!r} " if "area_as_published" in frame.columns else ""
        line = f" (row {_row(r)})" if _row(r) else ""
        return f"{name}{r['value']}{line}"

    if spelled:
        message = f"two spellings of one country in one file state {figure}"
    elif str(a["value"]) == str(b["value"]):
        message = f"the same figure is stated twice by one page: {figure}"
    else:
        message = f"one page states two values for {figure}"
    raise _error(source, b, message, "area_as_published" if spelled else "value",
                 f"{shown(a)} and {shown(b)}")


def government_responses(source: Source | str, frame: pd.DataFrame) -> None:
    """Statements: stance, addresses and text checked like every other row."""
    from etl import tables

    tables.validated(tables.government_responses_schema(frame), frame, _source_id(source))


def database(con: duckdb.DuckDBPyConnection) -> None:
    """Whole-database checks: every value must trace to a source row and be one a source
    could state."""
    orphans = con.execute(
        "SELECT count(*) FROM tip_tiers t LEFT JOIN sources s USING (source_id) "
        "WHERE s.source_id IS NULL"
    ).fetchone()[0]
    if orphans:
        raise EtlError(f"{orphans} tier rows have no source row")
    unknown = con.execute(
        "SELECT DISTINCT o.indicator FROM observations o LEFT JOIN indicators i "
        "ON i.code = o.indicator WHERE i.code IS NULL"
    ).fetchall()
    if unknown:
        raise EtlError(f"observations name unregistered indicators: {[u[0] for u in unknown]}")
    _tables(con)
    problem = series_problem(con.execute("SELECT * FROM indicators").df())
    if problem:
        raise EtlError(f"indicators: series {problem[0]!r}: {problem[1]}")
    _magnitudes(con)


def _tables(con: duckdb.DuckDBPyConnection) -> None:
    """The tables the loader and the merge write (not the parsers) against their schemas."""
    from etl import tables

    for table, schema_of, select in (
        ("tip_tiers", tables.tip_tiers_schema, "*"),
        # An indicator is registered by a parser, not read from a file.
        ("indicators", tables.indicators_schema, "*, dataset || '/(parser output)' AS source_id"),
        ("observation_conflicts", tables.observation_conflicts_schema, "*"),
        ("government_responses", tables.government_responses_schema, "*, source_id AS file"),
    ):
        frame = con.execute(f"SELECT {select} FROM {table}").df()
        tables.validated(schema_of(frame), frame, "database", table, file_column="source_id")


def _fail(con: duckdb.DuckDBPyConnection, sql: str, params: list, message: str) -> None:
    found = con.execute(sql, params).fetchone()
    if found is None:
        return
    source_id, indicator, area, year, value, detail = found
    source, _, file = source_id.partition("/")
    raise SourceError(source, file, f"{message}: {indicator} for {area} in {year}{detail}",
                      column="value", value=value)


_OBS = ("SELECT o.source_id, o.indicator, o.area_code, o.year, o.value, {detail} "
        "FROM observations o JOIN indicators i ON i.code = o.indicator ")


def _magnitudes(con: duckdb.DuckDBPyConnection) -> None:
    _fail(con, _OBS.format(detail="''") + "WHERE o.value IS NOT NULL AND NOT isfinite(o.value) "
          "LIMIT 1", [], "value is not a finite number")
    _fail(con, _OBS.format(detail="''") + "WHERE o.value IS NULL AND coalesce(trim(o.qualifier), "
          "'') = '' LIMIT 1", [], "value missing without a qualifier saying why")
    _fail(con, _OBS.format(detail="' (' || i.unit || ')'") + "WHERE i.kind = 'share' "
          "AND abs(o.value) > 100 LIMIT 1", [], "a percentage outside 0–100")
    _fail(con, _OBS.format(detail="' (' || i.unit || ')'") + "WHERE i.kind = 'score' "
          "AND abs(o.value) > 100 LIMIT 1", [], "a score outside 0–100")
    for (base,) in con.execute("SELECT DISTINCT rate_base FROM indicators WHERE kind = 'rate' "
                               "ORDER BY 1").fetchall():
        _fail(con, _OBS.format(detail="' (' || i.unit || ')'") + "WHERE i.kind = 'rate' AND "
              "i.rate_base = ? AND abs(o.value) > ? LIMIT 1", [base, base],
              f"a rate above {base:,.0f}")
    _fail(con, _OBS.format(detail="''") + "WHERE abs(o.value) > ? LIMIT 1", [WORLD_POPULATION],
          f"a value above the world population ({WORLD_POPULATION:,.0f})")
    _fail(con, _OBS.format(
        detail="', above its population ' || CAST(p.population AS BIGINT) || ' (' || p.src || ')'")
        + "JOIN (SELECT area_code, max(value) AS population, arg_max(source_id, value) AS src "
          "FROM observations WHERE indicator IN (SELECT code FROM indicators WHERE role = "
          "'population') AND value IS NOT NULL GROUP BY area_code) p ON p.area_code = o.area_code "
          "WHERE i.unit IN (SELECT unnest(?)) AND i.role IS DISTINCT FROM 'population' "
          "AND o.value > p.population ORDER BY o.value / p.population DESC LIMIT 1",
          [sorted(PERSON_UNITS)],
          "a count of persons above the population")
