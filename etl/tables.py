"""Pandera schemas for every input file kind and output table, and ``read_table()``.

Why pandera: validated with ``lazy=True`` it collects every failing cell of a table at once, so
an analyst fixing a compiled CSV sees all its bad rows in one message instead of one per run.
Its failure cases (column, check, failure value, index) are translated here into our
``SourceError``: the first failure fills the error's source, file, row (the true CSV line
where the frame carries the optional ``row`` column), column and value, exactly as the
hand-written checks did; the others, up to ``MAX_LISTED``, are listed in the message.

A ``Rule`` is one cell check with our wording. Rules report in the order they are created
(an input file: row by row, as the parsers' loops did; an output table: rule by rule, as
``etl/validate.py`` did), so a file with one bad cell fails with the same message as before.

Input files (compiled CSVs, a Stata panel) are opened with ``read_table``: the file's text
checked (``validate.text_files``), read as text cells (``dtype=str``, no NA guessing: 'N/A'
is what the file says), its records' editor lines in ``row``, and its schema applied.
Checks that need another table (a unit, a population) stay in ``validate.database`` as SQL.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from etl import validate
from etl.errors import SourceError
from etl.schema import INDICATOR_KINDS, INDICATOR_ROLES, STANCES, TIER_METHODS, TIERS
from etl.source import (
    INDICATOR_COLUMNS,
    OBS_CONFLICT_COLUMNS,
    OBSERVATION_COLUMNS,
    RESPONSE_COLUMNS,
    TIER_OBS_COLUMNS,
    FetchedFile,
)

# Failures named in one message: enough to see a pattern (a shifted column, a pasted block)
# without burying the first one.
MAX_LISTED = 10
MISSING = "expected column missing"
UNEXPECTED = ("unexpected columns: the file's shape changed, so the parser must be reviewed "
              "before it is trusted")

_order = itertools.count()


@dataclass(frozen=True)
class Rule:
    """One check with our wording: ``test`` gets a column (or, with ``column`` set, the whole
    frame) and returns True where the cell passes."""

    key: str  # unique: pandera reports it as the failure's ``check``
    test: Callable[[pd.Series | pd.DataFrame], pd.Series]
    message: str | Callable[[object], str]
    column: str | None = None  # a frame-wide rule: the column its error names
    shown: Callable[[object], object] | None = None  # the value the error names
    show_value: bool = True
    rank: int = 0

    def describe(self, value: object) -> str:
        return self.message(value) if callable(self.message) else self.message

    def check(self) -> pa.Check:
        # ignore_na=False: a missing cell is exactly what some rules are about.
        return pa.Check(self.test, error=self.key, ignore_na=False)


_RULES: dict[str, Rule] = {}


def rule(message: str | Callable[[object], str], test: Callable[..., pd.Series], *,
         key: str | None = None, column: str | None = None,
         shown: Callable[[object], object] | None = None, show_value: bool = True,
         rank_of: Rule | None = None) -> Rule:
    """A new rule, reported after every rule made before it (or with ``rank_of``)."""
    key = key or (message if isinstance(message, str) else f"rule {len(_RULES)}")
    if key in _RULES:
        raise ValueError(f"rule {key!r} defined twice")
    rank = rank_of.rank if rank_of is not None else next(_order)
    made = Rule(key, test, message, column, shown, show_value, rank)
    _RULES[key] = made
    return made


def _elementwise(ok: Callable[[object], bool]) -> Callable[[pd.Series], pd.Series]:
    """A column test from a per-cell predicate, evaluated once per distinct value."""
    def test(series: pd.Series) -> pd.Series:
        verdicts: dict[object, bool] = {}

        def verdict(value: object) -> bool:
            try:
                return verdicts[value]
            except KeyError:
                verdicts[value] = found = bool(ok(value))
                return found
            except TypeError:  # an unhashable cell
                return bool(ok(value))
        return series.astype(object).map(verdict).astype(bool)
    return test


def cell_rule(message: str | Callable[[object], str], ok: Callable[[object], bool],
              **kwargs: object) -> Rule:
    """A rule from a per-cell predicate (True: the cell passes)."""
    return rule(message, _elementwise(ok), **kwargs)  # type: ignore[arg-type]


def stripped(value: object) -> object:
    """The cell trimmed: for rules whose error names the cell as the parser's message did."""
    return value.strip() if isinstance(value, str) else value


def digits(message: str, **kwargs: object) -> Rule:
    """The cell, trimmed, is a whole number written in digits (a year, a count)."""
    return cell_rule(message, lambda v: isinstance(v, str) and v.strip().isdigit(), **kwargs)


def one_of(message: str, allowed: Iterable[str], **kwargs: object) -> Rule:
    allowed = frozenset(allowed)
    return rule(message, lambda s: s.isin(allowed), **kwargs)  # type: ignore[arg-type]


def not_blank(message: str, **kwargs: object) -> Rule:
    return cell_rule(message, lambda v: isinstance(v, str) and v.strip() != "", **kwargs)


# Rules every output table shares -------------------------------------------------------------

def _control(pattern: re.Pattern[str]) -> Callable[[object], str]:
    def message(value: object) -> str:
        found = pattern.search(value) if isinstance(value, str) else None
        char = found.group() if found else ""
        what = "a NUL byte" if char == "\x00" else f"a control character ({char!r})"
        return f"{what} in the text"
    return message


def _clean(pattern: re.Pattern[str]) -> Callable[[pd.Series], pd.Series]:
    def test(series: pd.Series) -> pd.Series:
        # The patterns are one-character classes, so no match can span two cells: one search
        # of the column's text joined clears a clean column (almost every one) at once, instead
        # of a regular expression per cell (a second of every refresh on GLOTIP's 46,000 rows).
        try:
            joined = "".join(series.tolist())
        except TypeError:  # a cell that is not text (None, a number): the rule skips it
            joined = "".join(v for v in series if isinstance(v, str))
        if not pattern.search(joined):
            return pd.Series(True, index=series.index, dtype=bool)
        texts = series.map(lambda v: v if isinstance(v, str) else "")
        return ~texts.str.contains(pattern)
    return test


def _text_checks(frame: pd.DataFrame) -> dict[str, list[Rule]]:
    """The text rule for every text column of ``frame`` (parser output has optional columns)."""
    return {c: [PROSE if c in validate.PROSE_COLUMNS else TEXT]
            for c in frame.columns if frame[c].dtype == object}


# Output tables -------------------------------------------------------------------------------

def _numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def _in_years(first: int) -> Callable[[pd.Series], pd.Series]:
    def test(series: pd.Series) -> pd.Series:
        years = _numbers(series)
        return years.notna() & (years >= first) & (years <= validate.last_year())
    return test


TIER_KNOWN = one_of("unknown tier", TIERS, key="tier known")
REPORT_YEAR = rule(lambda _: f"report year outside {validate.FIRST_YEAR}–{validate.last_year()}",
                   _in_years(validate.FIRST_YEAR), key="report year in range")
ISO3 = rule("bad ISO code", lambda s: s.astype(str).str.fullmatch(r"[A-Z]{3}"))
YEAR = rule("year out of range", _in_years(1990))
NUMBER = rule("value is not a number", lambda s: s.isna() | _numbers(s).notna())
FINITE = rule("value is not a finite number",
              lambda s: _numbers(s).map(lambda v: bool(pd.isna(v) or math.isfinite(v))))


def _stated(frame: pd.DataFrame) -> pd.Series:
    # A missing value is loaded only where the source states something that is not a number
    # ('<5') and the qualifier says what; a NaN parsed from 'nan' or a blank is not a figure.
    qualified = frame["qualifier"].map(lambda q: isinstance(q, str) and q.strip() != "")
    return _numbers(frame["value"]).notna() | qualified.astype(bool)


def _unsigned(frame: pd.DataFrame) -> pd.Series:
    # Some scores are signed (Walk Free's government response subtracts for harmful policies):
    # a parser marks those rows with an optional boolean column ``may_be_negative``.
    signed = (frame["may_be_negative"].fillna(False).astype(bool) if "may_be_negative" in frame
              else pd.Series(False, index=frame.index))
    return ~(_numbers(frame["value"]) < 0) | signed


QUALIFIED = rule("value missing without a qualifier saying why (a figure the source does not "
                 "state must be left out)", _stated, column="value")
SIGNED = rule("negative value", _unsigned, column="value")
# No indicator here (counts, rates, scores) comes near this; per-unit bounds (shares, rates,
# populations) need the indicators table and are in ``validate.database``.
WORLD = rule(f"value above the world population ({validate.WORLD_POPULATION:,.0f}): no source "
             "states such a figure", lambda s: ~(_numbers(s).abs() > validate.WORLD_POPULATION))


# Made after the value rules: text and addresses were checked last, and still report last.
# Names, codes and addresses hold no control character; quotes and notes may hold a tab or line
# break (a pasted paragraph).
TEXT = rule(_control(validate._CONTROL), _clean(validate._CONTROL), key="control character")
PROSE = rule(_control(validate._CONTROL_IN_PROSE), _clean(validate._CONTROL_IN_PROSE),
             key="control character in prose", rank_of=TEXT)


def _given(value: object) -> bool:
    return value != "" if isinstance(value, str) else not pd.isna(value)


URL = cell_rule(lambda v: validate.url_problem(v) or "", lambda v: not _given(v)
                or validate.url_problem(v) is None, key="http(s) address")


def _table(columns: Sequence[str], rules: Mapping[str, list[Rule]], frame: pd.DataFrame,
           wide: Sequence[Rule] = (), strict: bool = False) -> pa.DataFrameSchema:
    checks = _text_checks(frame)
    for column, extra in rules.items():
        checks[column] = [*extra, *checks.get(column, [])]
    cols = {c: pa.Column(nullable=True, required=c in columns,
                         checks=[r.check() for r in checks.get(c, [])])
            for c in dict.fromkeys([*columns, *checks])}
    return pa.DataFrameSchema(cols, checks=[r.check() for r in wide], strict=strict)


def tier_observations_schema(frame: pd.DataFrame) -> pa.DataFrameSchema:
    return _table(TIER_OBS_COLUMNS, {"tier": [TIER_KNOWN], "report_year": [REPORT_YEAR],
                                     "iso3": [ISO3], "cited_url": [URL]}, frame)


def observations_schema(frame: pd.DataFrame) -> pa.DataFrameSchema:
    return _table(OBSERVATION_COLUMNS, {"year": [YEAR], "value": [NUMBER, FINITE, WORLD],
                                        "cited_url": [URL]}, frame, wide=[QUALIFIED, SIGNED])


STANCE = one_of(f"unknown stance (expected one of {', '.join(STANCES)})", STANCES,
                key="stance known")


def government_responses_schema(frame: pd.DataFrame) -> pa.DataFrameSchema:
    return _table(RESPONSE_COLUMNS, {"stance": [STANCE], "cited_url": [URL]}, frame)


NAMED = not_blank("an indicator needs a name, a unit and a definition", key="indicator named")
STRUCTURED = not_blank("an indicator needs a series, a measure and a label (etl.source."
                       "indicator_frame)", key="indicator structured")
KIND = one_of(f"unknown indicator kind (expected one of {', '.join(INDICATOR_KINDS)})",
              INDICATOR_KINDS, key="indicator kind known")
ROLE = rule(f"unknown indicator role (expected none or one of {', '.join(INDICATOR_ROLES)})",
            lambda s: s.isna() | s.isin(INDICATOR_ROLES), key="indicator role known")


def _rate_based(frame: pd.DataFrame) -> pd.Series:
    base = _numbers(frame["rate_base"])
    return (frame["kind"] == "rate") == (base.notna() & (base > 0))


def _edition_dated(frame: pd.DataFrame) -> pd.Series:
    named = frame["edition"].map(lambda v: isinstance(v, str) and v.strip() != "")
    year = _numbers(frame["edition_year"])
    return (named == year.notna()) & (year.isna() | (year == year.round()))


RATE_BASE = rule("a rate needs its base (rate_base > 0, e.g. 1000 for per 1,000), and only a "
                 "rate has one", _rate_based, column="rate_base")
EDITION_YEAR = rule("an edition needs its year (edition_year), and only an edition has one",
                    _edition_dated, column="edition_year")


def indicators_schema(frame: pd.DataFrame) -> pa.DataFrameSchema:
    return _table(INDICATOR_COLUMNS, {
        **{c: [NAMED] for c in ("code", "name", "unit", "definition")},
        **{c: [STRUCTURED] for c in ("series", "measure", "label")},
        "kind": [KIND], "role": [ROLE]}, frame, wide=[RATE_BASE, EDITION_YEAR])


DISAGREES = rule("a conflict whose two values agree (not a disagreement)",
                 lambda f: ~(f["value"] == f["chosen_value"]), column="value")
REASONED = not_blank("a conflict without its reason", key="conflict reason")


def observation_conflicts_schema(frame: pd.DataFrame) -> pa.DataFrameSchema:
    columns = [c if c not in ("file", "chosen_file") else c.replace("file", "source_id")
               for c in OBS_CONFLICT_COLUMNS]
    return _table(columns, {"reason": [REASONED]}, frame, wide=[DISAGREES])


METHOD = one_of(f"unknown method (expected one of {', '.join(TIER_METHODS)})", TIER_METHODS,
                key="tier method known")
DERIVED = rule("a tier by elimination or range names no list it rests on",
               lambda f: (f["method"] == "stated") | f["derived_from"].map(
                   lambda v: isinstance(v, str) and v.strip() != ""), column="derived_from")


def tip_tiers_schema(frame: pd.DataFrame) -> pa.DataFrameSchema:
    return _table(["iso3", "report_year", "tier", "source_id", "method", "derived_from"],
                  {"tier": [TIER_KNOWN], "report_year": [REPORT_YEAR], "iso3": [ISO3],
                   "method": [METHOD]}, frame, wide=[DERIVED])


# Input files ---------------------------------------------------------------------------------

def input_schema(columns: Sequence[str], *, strict: bool = False,
                 rules: Mapping[str, list[Rule]] | None = None,
                 where: str | None = None) -> pa.DataFrameSchema:
    """A file kind's schema: its columns (``strict``: no others) and rules on their cells;
    ``where`` names the part of the file that holds them (a workbook's sheet)."""
    rules = rules or {}
    cols = {c: pa.Column(nullable=True, checks=[r.check() for r in rules.get(c, [])])
            for c in columns}
    cols["row"] = pa.Column(nullable=True, required=False)  # added by read_table
    return pa.DataFrameSchema(cols, strict=strict, name=where)


def read_table(source_id: str, fetched: FetchedFile, schema: pa.DataFrameSchema, *,
               name: str | None = None, empty: str | None = None) -> pd.DataFrame:
    """A compiled CSV as text cells with each record's editor line in ``row``, checked.

    ``empty``: the message for a file with a header and no records (``None``: the parser
    decides; ``build.run_parser`` refuses a source that yields no rows at all).
    """
    name = name or fetched.name
    validate.text_files(source_id, {name: fetched})
    try:
        frame = pd.read_csv(Path(fetched.path), dtype=str, keep_default_na=False,
                            encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(source_id, name, f"not UTF-8 text: {exc}") from exc
    except Exception as exc:
        raise SourceError(source_id, name, f"not a readable CSV: {exc}") from exc
    frame = validate.with_lines(frame, fetched.path)
    validated(schema, frame, source_id, name, by_row=True)
    if empty is not None and frame.empty:
        raise SourceError(source_id, name, empty)
    return frame


# Pandera's failure cases -> SourceError ------------------------------------------------------

@dataclass(frozen=True)
class _Failure:
    key: tuple
    rank: int
    message: str
    column: str | None
    value: object
    row: int | None
    file: str


def validated(schema: pa.DataFrameSchema, frame: pd.DataFrame, source_id: str,
              file: str = "(parser output)", *, by_row: bool = False,
              file_column: str = "file") -> None:
    """``frame`` against ``schema`` (every failure collected), or one SourceError naming them.

    ``by_row``: report the first failing row first (an input file, read top to bottom);
    otherwise the first failing rule first (parser output, rule by rule). A row's own file
    (``file_column``) wins over ``file``; ``file_column="source_id"`` (a database table)
    names the source and file of each row.
    """
    plain = frame.reset_index(drop=True)  # positions, so a repeated index label is no problem
    try:
        schema.validate(plain, lazy=True)
    except SchemaErrors as exc:
        raise _error(exc.failure_cases, schema, plain, source_id, file, by_row,
                     file_column) from None


def _error(cases: pd.DataFrame, schema: pa.DataFrameSchema, frame: pd.DataFrame,
           source_id: str, file: str, by_row: bool, file_column: str) -> SourceError:
    checks = cases["check"].astype(str)
    missing = set(cases.loc[checks == "column_in_dataframe", "failure_case"])
    if missing:  # a shape problem first: the cells of a misread file mean nothing
        names = [c for c in schema.columns if c in missing]
        where = f" in {schema.name}" if schema.name else ""  # e.g. a workbook's sheet
        return SourceError(source_id, file, MISSING + where, column=", ".join(names))
    extra = set(cases.loc[checks == "column_in_schema", "failure_case"])
    if extra:
        return SourceError(source_id, file, UNEXPECTED,
                           column=", ".join(c for c in frame.columns if c in extra))
    failures = _failures(cases, frame, file, by_row, file_column)
    if not failures:  # pandera failed in a way no rule describes: say what it said
        first = cases.iloc[0]
        return SourceError(source_id, file, f"table check failed: {first['check']}",
                           column=None if pd.isna(first["column"]) else str(first["column"]),
                           value=first["failure_case"])
    top = failures[0]
    message = top.message
    others = failures[1:]
    if others:
        listed = "; ".join(_listed(f, top) for f in others[:MAX_LISTED - 1])
        more = len(others) - (MAX_LISTED - 1)
        message += (f" — {len(others)} more failing cell{'s' if len(others) > 1 else ''}: "
                    f"{listed}" + (f"; and {more} more" if more > 0 else ""))
    if file_column == "source_id" and "/" in top.file:
        source_id, _, top_file = top.file.partition("/")
    else:
        top_file = top.file
    return SourceError(source_id, top_file, message, column=top.column, value=top.value,
                       row=top.row)


def _listed(f: _Failure, top: _Failure) -> str:
    where = [f"row {f.row}" if f.row is not None else None,
             f"column {f.column!r}" if f.column else None,
             f"value {_shown(f.value)}" if f.value is not None else None,
             f"in {f.file}" if f.file != top.file else None]
    said = f" ({f.message})" if f.message != top.message else ""
    return f"{', '.join(w for w in where if w)}{said}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _failures(cases: pd.DataFrame, frame: pd.DataFrame, file: str, by_row: bool,
              file_column: str) -> list[_Failure]:
    positions = {c: i for i, c in enumerate(frame.columns)}
    seen: dict[tuple, _Failure] = {}
    for case in cases.itertuples(index=False):
        found = _RULES.get(str(case.check))
        if found is None or pd.isna(case.index):
            continue
        at = int(case.index)
        column = found.column or (None if pd.isna(case.column) else str(case.column))
        if (at, column) in seen and seen[(at, column)].rank <= found.rank:
            continue  # one cell, one error: the first rule it breaks
        record = frame.iloc[at]
        value = record[column] if column in frame.columns else case.failure_case
        if hasattr(value, "item"):  # a numpy scalar reads as np.float64(...) in the message
            value = value.item()
        described = found.describe(value)
        if found.shown is not None:
            value = found.shown(value)
        if not found.show_value:
            value = None
        row = validate._row(record)
        position = positions.get(column, len(positions))
        key = (at, found.rank, position) if by_row else (found.rank, position, at)
        where = record.get(file_column) if file_column in frame.columns else None
        seen[(at, column)] = _Failure(key, found.rank, described, column, value, row,
                                      str(where) if isinstance(where, str) and where else file)
    return sorted(seen.values(), key=lambda f: f.key)
