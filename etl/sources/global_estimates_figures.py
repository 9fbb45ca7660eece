"""Global Estimates of Modern Slavery (ILO / Walk Free / IOM), figures as quoted on public pages.

Also the shared reader for ``gems-ilo-estimates-quoted``, which has the same columns plus
``note``. Both files are compiled by this project's researchers: one row = one figure exactly as
a public page states it, with the page address (``quoted_at``) and sentence (``quote``).

How editions are kept apart (decided here, used by the dashboard):

* The observation ``year`` is the **reference year** the estimate describes. A reference
  *period* ("1995-2004" for the ILO 2005 estimate) is stored as its last year, and the period
  is named in the indicator name and the row's note.
* The **edition** has its own indicator code: ``<series><edition>_<measure>[_share]``, e.g.
  ``gems2022_forced_labour`` or ``ilo2012_forced_labour_prevalence``. Editions used different
  definitions and methods, and the 2022 edition restates 2016 values, so (indicator, year) alone
  would mix a 2016 figure from the 2017 edition with the 2016 figure as revised in 2022. The
  indicator states its ``series`` (``forced_labour``: every edition's code of it), ``edition``
  ('GEMS 2022'), ``edition_year``, ``measure`` and ``kind`` as columns; nothing reads them
  back out of the code.
* A figure given as a share (unit ``percent``) gets its own ``..._share`` indicator, so every
  indicator has one unit and counts, shares and rates are never summed or plotted together.
* "approximately", "more than", "at least" (a minimum estimate) and "rounded" (the page rounds
  a more precise report figure) are kept as the row's ``qualifier``.
* Regional rows get ``area_kind='region'`` and a region code per regional scheme (the ILO's
  five regions used since 2017, and the different groupings of 2012 and 2005, which are never
  mixed with them); the region's name as published stays in ``breakdown``.
* A regional row compiled as ``Region (detail)`` (a group within the region, or the region's
  share of a world total) keeps the region in ``area_code`` and gets the breakdown dimension
  that says what it is (``sex``, ``form``, ``share_of_world``; see ``REGION_DETAILS``), so
  ``breakdown_dim = 'region'`` always means "the whole region" and charts need no string
  matching. An unknown detail fails the parse.
* The ``edition`` column names the report edition (``EDITIONS[...].label``).

The indicator catalogue for both quoted files is defined here and registered once, by
``gems-ilo-estimates-quoted``: observations reference indicators by foreign key, and the
builder loads sources in module-name order (``gems_ilo_estimates`` before this module), so the
catalogue must come with the source loaded first. A figure whose edition, measure or unit the
catalogue lacks fails the parse with the row, column and value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from etl import tables, validate
from etl.errors import SourceError
from etl.source import OBSERVATION_COLUMNS, FetchedFile, Parsed, Source, SourceFile, indicator_frame

ID = "global-estimates-figures"
FILE = "figures.csv"
WORLD = "WLD"
COLUMNS = [
    "edition", "reference_year", "indicator", "breakdown_dim", "breakdown", "value", "unit",
    "report_title", "report_publisher", "report_date", "quoted_at", "quote",
]
# The quoted-figures file kind; gems-ilo-estimates-quoted's adds a ``note`` column.
SCHEMA = tables.input_schema(COLUMNS)
BREAKDOWN_DIMS = {"total", "form", "region", "sex", "age", "sector", "movement", "income_group"}


@dataclass(frozen=True)
class Edition:
    series: str  # 'ilo' (forced labour only) or 'gems' (modern slavery = forced labour + marriage)
    label: str
    publisher: str
    period: str  # the reference period as the publishers state it
    what_counts: str
    short: str  # the edition as readers see it beside a chart: 'GEMS 2022'


GEMS_NOTE = (
    "Editions are not a time series: the ILO 2005 and 2012 estimates cover forced labour only, "
    "each with its own method; the Global Estimates of Modern Slavery (2017 and 2022 editions) "
    "add forced marriage and use a new method, and the 2022 edition revised its method again and "
    "restated 2016 values (e.g. forced-labour prevalence 3.4 and forced-marriage prevalence 2.1 "
    "per 1,000 for 2016). Compare editions only with this in mind."
)
EDITIONS: dict[int, Edition] = {
    2005: Edition(
        "ilo", "ILO 2005 minimum estimate of forced labour", "ILO", "1995–2004",
        "A minimum estimate of people in forced labour at any point in time in 1995–2004, "
        "published in 'A Global Alliance against Forced Labour' (2005). Forced labour only; no "
        "forced marriage. Its regions (Asia, Latin America and the Caribbean, sub-Saharan Africa, "
        "industrialised countries) are not those of later editions. " + GEMS_NOTE,
        short="ILO 2005",
    ),
    2012: Edition(
        "ilo", "ILO 2012 global estimate of forced labour", "ILO", "2002–2011",
        "People in forced labour at any given point in time over the reference period 2002–2011 "
        "(ILO Global Estimate of Forced Labour 2012: results and methodology). Forced labour "
        "only, including forced sexual exploitation and state-imposed forced labour; no forced "
        "marriage. Six ILO regions of that time (e.g. 'Developed Economies and European Union', "
        "'Middle East'), not the five regions used from 2017. " + GEMS_NOTE,
        short="ILO 2012",
    ),
    2017: Edition(
        "gems", "Global Estimates of Modern Slavery, 2017 edition", "ILO, Walk Free Foundation, IOM",
        "2016",
        "People in modern slavery at any given time in 2016: forced labour (private, forced "
        "commercial sexual exploitation, state-imposed) plus forced marriage. First edition to "
        "count forced marriage; five ILO regions (Africa, Americas, Arab States, Asia and the "
        "Pacific, Europe and Central Asia). " + GEMS_NOTE,
        short="GEMS 2017",
    ),
    2022: Edition(
        "gems", "Global Estimates of Modern Slavery, 2022 edition", "ILO, Walk Free, IOM", "2021",
        "People in modern slavery on any given day in 2021: forced labour (privately imposed "
        "forced labour exploitation, forced commercial sexual exploitation, state-imposed forced "
        "labour) plus forced marriage; same five ILO regions as 2017. Released 12 September "
        "2022. The method was revised since the 2017 edition, and the 2016 values it quotes for "
        "comparison are restated ones. " + GEMS_NOTE,
        short="GEMS 2022",
    ),
}

MEASURES: dict[str, tuple[str, str]] = {
    "modern_slavery": (
        "People in modern slavery",
        "Modern slavery as counted by the Global Estimates: forced labour plus forced marriage.",
    ),
    "forced_labour": (
        "People in forced labour",
        "Forced labour in the sense of the ILO Forced Labour Convention, 1930 (No. 29): work or "
        "service exacted under the menace of a penalty and not offered voluntarily; includes "
        "forced commercial sexual exploitation and state-imposed forced labour.",
    ),
    "forced_labour_private": (
        "People in privately imposed forced labour",
        "Forced labour imposed by private individuals or enterprises (excluding state-imposed).",
    ),
    "forced_marriage": (
        "People in forced marriage",
        "People married without their free and full consent, as counted by the Global "
        "Estimates of Modern Slavery.",
    ),
}
KINDS: dict[str, tuple[str, str]] = {
    # kind: (unit, how the name reads)
    "count": ("persons", "{name}"),
    "prevalence": ("per 1,000 population", "{name} per 1,000 population"),
    "share": ("percent", "{name}: share (%)"),
}
# kind -> what the database says the value is (etl.schema.INDICATOR_KINDS) and its rate base.
VALUE_KINDS: dict[str, tuple[str, float | None]] = {
    "count": ("count", None), "prevalence": ("rate", 1_000.0), "share": ("share", None),
}

# Region codes per regional scheme; the name as published is kept in ``breakdown``.
REGIONS: dict[str, dict[str, str]] = {
    "gems": {
        "Africa": "ILO-AFR", "Americas": "ILO-AMR", "Arab States": "ILO-ARB",
        "Asia and the Pacific": "ILO-ASP", "Europe and Central Asia": "ILO-ECA",
    },
    "ilo2012": {
        "Asia-Pacific": "ILO12-ASP", "Africa": "ILO12-AFR", "Latin America": "ILO12-LAC",
        "Developed Economies and European Union": "ILO12-DEV",
        "Central and South-eastern Europe (non-EU) and CIS": "ILO12-CIS",
        "Middle East": "ILO12-MEA",
    },
    "ilo2005": {
        "Asia": "ILO05-ASI", "Latin America and the Caribbean": "ILO05-LAC",
        "Sub-Saharan Africa": "ILO05-SSA", "Industrialised countries": "ILO05-IND",
    },
}

BASE_UNITS = {
    "persons": "count", "percent": "share", "percent of the global total": "share",
    "per 1,000 population": "prevalence", "per 1,000 inhabitants": "prevalence",
    "per 1,000": "prevalence",
}
# Details compiled in parentheses after a region name: (breakdown_dim, breakdown) as stored.
# A region's share of a world total is ``share_of_world``: the breakdown names the world total.
REGION_DETAILS: dict[str, tuple[str, str]] = {
    "females": ("sex", "females"),
    "males": ("sex", "males"),
    "share of global forced sexual exploitation":
        ("share_of_world", "share of the world's forced sexual exploitation"),
    "share of global state-imposed forced labour":
        ("share_of_world", "share of the world's state-imposed forced labour"),
    "share of global forced labour exploitation":
        ("share_of_world", "share of the world's forced labour exploitation"),
    "share of global forced marriage":
        ("share_of_world", "share of the world's forced marriage"),
    # Same wording as the world row of the 2017 edition ('in debt bondage (share)').
    "in debt bondage, share of forced labour exploitation": ("form", "in debt bondage (share)"),
}
REGION_DETAIL_RE = re.compile(r"^(?P<region>[^()]+?)\s*\((?P<detail>[^()]+)\)$")
UNIT_RE = re.compile(r"^(?P<base>[^()]+?)\s*(?:\((?P<detail>.*)\))?$")
PERIOD_RE = re.compile(r"^(?P<start>\d{4})\s*[-–]\s*(?P<end>\d{4})$")


def qualifier_of(detail: str) -> str | None | bool:
    """The qualifier stated in a unit's parenthesis; None for none, False if not understood."""
    text = detail.lower()
    if "more than" in text or "lower bound" in text:
        return "more than"
    if "minimum estimate" in text:
        return "at least"
    if "approximate" in text:
        return "approximately"
    if "rounded" in text:
        return "rounded"
    if "restated" in text or "stated as" in text:
        return None  # a plain figure (restated, or written in words); the note keeps the unit
    return False


def region_scheme(edition: int) -> str:
    return "gems" if EDITIONS[edition].series == "gems" else f"ilo{edition}"


def series_of(measure: str, kind: str) -> str:
    """The series every edition's code of this measure and kind belongs to: ILO and Global
    Estimates editions of forced labour are one line, broken at each edition."""
    return {"count": measure, "prevalence": f"{measure}_prevalence",
            "share": f"{measure}_share"}[kind]


def indicator_code(edition: int, measure: str, kind: str) -> str:
    """``gems2022_forced_labour``, ``gems2017_modern_slavery_prevalence``, ``..._share``."""
    return f"{EDITIONS[edition].series}{edition}_{series_of(measure, kind)}"


def catalogue() -> pd.DataFrame:
    """Every indicator the quoted files may use, each once, with its edition's caveats."""
    rows = []
    for edition, ed in EDITIONS.items():
        for measure, (name, definition) in MEASURES.items():
            if ed.series == "ilo" and measure in ("modern_slavery", "forced_marriage"):
                continue  # the ILO estimates did not measure these
            for kind, (unit, pattern) in KINDS.items():
                dims = ["total", "form", "region", "sex", "age"]
                if ed.series == "ilo":
                    dims.append("movement")
                if edition == 2017:
                    dims.append("sector")
                if edition == 2022:
                    dims.append("income_group")
                value_kind, rate_base = VALUE_KINDS[kind]
                rows.append({
                    "code": indicator_code(edition, measure, kind),
                    "series": series_of(measure, kind), "edition": ed.short, "programme": ed.series,
                    "edition_year": edition, "measure": measure, "kind": value_kind,
                    "rate_base": rate_base, "label": pattern.format(name=name),
                    "name": pattern.format(name=name) + f" — {ed.label} (reference {ed.period})",
                    "unit": unit,
                    "definition": definition + (
                        " Share: per cent of the group named in the breakdown." if kind == "share"
                        else " Rate per 1,000 people in the area's population."
                        if kind == "prevalence" else ""),
                    "what_counts": ed.what_counts,
                    "publisher": ed.publisher,
                    "breakdowns": ",".join(dims),
                })
    return indicator_frame(rows)


def _read(source_id: str, f: FetchedFile, columns: list[str]) -> pd.DataFrame:
    schema = SCHEMA if columns == COLUMNS else tables.input_schema(columns)
    return tables.read_table(source_id, f, schema, empty="the file has no figures")


def _row_obs(source_id: str, f: FetchedFile, i: int, r: pd.Series) -> dict:
    """One CSV row as one observation, or a SourceError naming what is wrong."""
    row = int(r["row"])  # the record's line in the file

    def bad(column: str, message: str) -> SourceError:
        return SourceError(source_id, f.name, message, column=column, value=r[column], row=row)

    edition = _edition(r, bad)
    ref = r["reference_year"].strip()
    year, period = _reference_year(ref, bad)
    kind, detail, qualifier = _unit(r, bad)
    measure = _measure(r, kind, edition, bad)
    dim = r["breakdown_dim"].strip()
    if dim not in BREAKDOWN_DIMS:
        raise bad("breakdown_dim", f"unknown breakdown dimension (known: {sorted(BREAKDOWN_DIMS)})")
    breakdown = r["breakdown"].strip()
    if (dim == "total") != (breakdown == ""):
        raise bad("breakdown", "a total has no breakdown, and every breakdown needs a value")
    value = _value(r, kind, bad)
    area_kind, area_code, dim, breakdown, compiled_as = _area(edition, dim, breakdown, bad)
    quoted_at = r["quoted_at"].strip()
    # A few rows cite a document by name ('IOM press release: …'); anything a reader would
    # take for a link must be a clean http(s) address.
    is_url = validate.looks_like_address(r["quoted_at"])
    if is_url:
        validate.http_url(source_id, f.name, row, "quoted_at", r["quoted_at"])
    if not r["quote"].strip():
        raise bad("quote", "every figure needs the sentence it is quoted from")
    notes = _notes(r, ref, year, bool(period), detail, compiled_as,
                   quoted_at if not is_url else "")
    return {
        "indicator": indicator_code(edition, measure, kind),
        "area_code": area_code,
        "area_kind": area_kind,
        "year": year,
        "breakdown_dim": dim,
        "breakdown": breakdown,
        "value": value,
        "qualifier": qualifier,
        "file": f.name,
        "quote": r["quote"].strip(),
        "cited_url": quoted_at if is_url else None,
        "note": notes,
        "edition": EDITIONS[edition].label,
        "row": row,
    }


Bad = Callable[[str, str], SourceError]


def _edition(r: pd.Series, bad: Bad) -> int:
    try:
        edition = int(r["edition"])
    except ValueError:
        raise bad("edition", "edition is not a year") from None
    if edition not in EDITIONS:
        raise bad("edition", f"unknown edition (known: {sorted(EDITIONS)}); add it to EDITIONS")
    return edition


def _reference_year(ref: str, bad: Bad) -> tuple[int, re.Match | None]:
    """A 'YYYY' year, or a 'YYYY-YYYY' period stored as its last year."""
    period = PERIOD_RE.match(ref)
    if period:
        return int(period["end"]), period
    if ref.isdigit() and len(ref) == 4:
        return int(ref), None
    raise bad("reference_year", "reference year is neither a year nor a 'YYYY-YYYY' period")


def _unit(r: pd.Series, bad: Bad) -> tuple[str, str, str | None]:
    """The unit's kind, its compiled detail ('approximate', …) and the qualifier it states."""
    unit = UNIT_RE.match(r["unit"].strip())
    if not unit or unit["base"] not in BASE_UNITS:
        raise bad("unit", f"unknown unit (known: {sorted(BASE_UNITS)})")
    detail = (unit["detail"] or "").strip()
    qualifier = qualifier_of(detail) if detail else None
    if qualifier is False:
        raise bad("unit", "unit qualifier not understood")
    return BASE_UNITS[unit["base"]], detail, qualifier


def _measure(r: pd.Series, kind: str, edition: int, bad: Bad) -> str:
    """The compiled indicator column as a measure of the catalogue, checked against the unit."""
    measure = r["indicator"].strip()
    if measure.endswith("_prevalence"):
        measure, stated = measure.removesuffix("_prevalence"), "prevalence"
    else:
        stated = "share" if kind == "share" else "count"
    if stated != kind:
        raise bad("unit", f"unit does not fit the indicator {r['indicator']!r}")
    if measure not in MEASURES or (
        EDITIONS[edition].series == "ilo" and measure in ("modern_slavery", "forced_marriage")
    ):
        raise bad("indicator", f"indicator not in the catalogue for the {edition} edition")
    return measure


def _value(r: pd.Series, kind: str, bad: Bad) -> float:
    try:
        value = float(r["value"].replace(",", ""))
    except ValueError:
        raise bad("value", "value is not a number") from None
    if not math.isfinite(value):
        raise bad("value", "value is not a finite number")
    if value < 0:
        raise bad("value", "negative value")
    if kind == "share" and value > 100:
        raise bad("value", "a share above 100 per cent")
    return value


def _area(edition: int, dim: str, breakdown: str, bad: Bad
          ) -> tuple[str, str, str, str, str | None]:
    """World, or the region of the edition's scheme a region breakdown names (a detail after
    the region's name — 'Asia and the Pacific: women' — becomes that region's own breakdown)."""
    if dim != "region":
        return "world", WORLD, dim, breakdown, None
    codes = REGIONS[region_scheme(edition)]
    if breakdown in codes:
        return "region", codes[breakdown], dim, breakdown, None
    detail_match = REGION_DETAIL_RE.match(breakdown)
    if not (detail_match and detail_match["region"] in codes):
        raise bad("breakdown", f"unknown region for the {edition} edition's regional scheme")
    if detail_match["detail"] not in REGION_DETAILS:
        raise bad("breakdown", "unknown detail after the region name (known: "
                  f"{sorted(REGION_DETAILS)}); add it to REGION_DETAILS")
    dim_as, part = REGION_DETAILS[detail_match["detail"]]
    return "region", codes[detail_match["region"]], dim_as, part, breakdown


def _notes(r: pd.Series, ref: str, year: int, period: bool, detail: str,
           compiled_as: str | None, quoted_in: str) -> str:
    """What a reader needs to know about the row: the report, the period, the compiled unit."""
    notes = [f"{r['report_title'].strip()} ({r['report_publisher'].strip()}"
             + (f", released {r['report_date'].strip()})." if r["report_date"].strip() else ").")]
    if period:
        notes.append(f"Reference period {ref}, stored as its last year {year}.")
    if detail:
        notes.append(f"Unit as compiled: {r['unit'].strip()}.")
    if compiled_as:
        notes.append(f"Compiled as region breakdown '{compiled_as}'.")
    if quoted_in:
        notes.append(f"Quoted in: {quoted_in} (no page address recorded).")
    if "note" in r.index and r["note"].strip():
        notes.append(f"Page: {r['note'].strip()}.")
    return " ".join(notes)


def parse_quoted(source_id: str, f: FetchedFile, columns: list[str] = COLUMNS) -> pd.DataFrame:
    """Every row of a quoted-figures CSV as observations (one per row, nothing dropped)."""
    frame = _read(source_id, f, columns)
    out = pd.DataFrame(
        [_row_obs(source_id, f, i, r) for i, r in frame.iterrows()],
        columns=[*OBSERVATION_COLUMNS, "edition", "row"],
    )
    # Two pages may state one figure (the ETL's preference step picks the charted one); the
    # same page stating it twice in one file is a compiling error.
    key = ["indicator", "area_code", "year", "breakdown_dim", "breakdown", "cited_url"]
    dup = out.duplicated(key, keep=False)
    if dup.any():
        first = out[dup].iloc[0]
        raise SourceError(
            source_id, f.name, "the same figure appears twice in one file",
            column="indicator", value=f"{first['indicator']} {first['breakdown']}",
            row=int(out[dup].iloc[0]["row"]),
        )
    return out


def parse(files: dict[str, FetchedFile]) -> Parsed:
    obs = parse_quoted(ID, files[FILE])
    # Indicators: registered by gems-ilo-estimates-quoted (see the module docstring).
    return Parsed(observations=obs, rows_per_file={FILE: len(obs)})


SOURCE = Source(
    id=ID,
    publisher="ILO, Walk Free, IOM (figures as quoted on public pages; compiled by this project)",
    title="Global Estimates of Modern Slavery (2017 and 2022 editions): headline and breakdown "
    "figures, as quoted",
    licence="Figures and short quotations from public pages, cited with their addresses; the "
    "reports are © ILO / Walk Free / IOM",
    homepage="https://www.ilo.org/global/topics/forced-labour/publications/WCMS_854733/",
    files=(SourceFile(FILE, None),),
    parse=parse,
    description=(
        "One row per figure exactly as a public page states it, with the sentence and address. "
        "Rows = figures. 2022 edition totals, forms, regions, sex and age; the 2017 edition's "
        "totals from an IOM press release."
    ),
)
