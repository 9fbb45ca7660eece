"""Hong Kong: initial screenings and victims identified, figure by figure (compiled quotes).

``figures.csv`` was compiled by this project's researchers: one row per figure as a public page
states it (US TIP report chapters on Hong Kong, HKSAR government statements), with the sentence.
It exists only in the shared snapshots, so its address is ``None`` (mirror only); each row's own
page goes into ``cited_url``. Two more folders add figures in the same columns
(``hk_screening_more``, ``hk_screening_gov``); they read through ``read_figures`` here.

Two sources sometimes give one year's figure twice: the HKSAR government rounds ("around
7,700") where the TIP report prints the exact count (7,678). Every row is loaded. Which one a
chart draws is decided across all three sources after loading (``etl/preference.py``), from
the columns written here:

* ``qualifier``: 'approximately' for a unit marked "rounded", 'more than' for a "lower bound",
  'less than' for an "upper bound" (the unit column says which, e.g. "persons (rounded: around)");
* ``edition``: the TIP report edition when the row's text is a TIP report chapter (or a press
  page citing one), e.g. '2022 TIP report'; empty for a government statement.

``note`` says who states the figure, in words; it decides nothing (earlier builds wrote the
chart choice there as 'Charted:' / 'Not charted:'; that now lives in ``preferred``).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from etl import tables, validate
from etl.errors import SourceError
from etl.preference import tip_edition
from etl.source import OBSERVATION_COLUMNS, FetchedFile, Parsed, Source, SourceFile, indicator_frame

ID = "hk_screening"
FILE = "figures.csv"
COLUMNS = [
    "jurisdiction", "year", "indicator", "value", "unit", "source_title", "source_publisher",
    "source_date", "source_url", "quote",
]
# The Hong Kong figures file kind (also hk-screening-more's and hk-government-figures').
SCHEMA = tables.input_schema(COLUMNS)
TIP_PUBLISHER = "US Department of State"
# "persons", "persons (rounded)", "persons (lower bound: more than)", "percent (upper bound: less than)"
UNIT = re.compile(r"^(?P<base>[a-z]+)(?: \((?P<kind>rounded|lower bound|upper bound)(?:: [^)]+)?\))?$")
QUALIFIER = {None: None, "rounded": "approximately", "lower bound": "more than",
             "upper bound": "less than"}
# "2022 Trafficking in Persons Report: Hong Kong"; "Hong Kong Free Press (citing the 2017 TIP report)"
TIP_TITLE = re.compile(r"\b((?:19|20)\d{2}) Trafficking in Persons Report\b")
TIP_CITED = re.compile(r"\bciting the ((?:19|20)\d{2}) TIP report\b")

# Codes are prefixed so they cannot collide with other publishers' indicators.
INDICATORS: dict[str, dict[str, str]] = {
    "initial_screenings": {
        "code": "hk_initial_screenings", "measure": "initial_screenings", "kind": "count",
        "row_unit": "persons",  # the unit word the figures file uses
        "name": "Initial screenings for trafficking indicators (Hong Kong)",
        "unit": "persons screened",
        "definition": (
            "Persons screened for trafficking indicators by Hong Kong law-enforcement departments "
            "(Police, Immigration, Customs, Labour) under the two-tier identification mechanism "
            "introduced in 2016: a first-tier 'initial screening' of people deemed vulnerable "
            "(e.g. foreign domestic workers, sex workers, arrested illegal workers); those showing "
            "indicators pass to a second-tier detailed assessment."),
        "what_counts": (
            "A screening, not a referral or an identification: every person put through the "
            "first-tier checklist counts, whatever the outcome. No other jurisdiction in this "
            "database publishes a comparable screening count."),
    },
    "victims_identified_screening": {
        "code": "hk_victims_identified_screening", "measure": "victims_identified_screening", "kind": "count",
        "row_unit": "persons",
        "name": "Victims identified through the screening mechanism (Hong Kong)",
        "unit": "persons",
        "definition": (
            "Persons the Hong Kong authorities identified as trafficking victims through the "
            "two-tier screening mechanism, as stated by the US TIP report or the HKSAR government."),
        "what_counts": (
            "Identified victims, i.e. persons formally recognised after the second-tier "
            "assessment; it is the numerator of Hong Kong's identification rate. It excludes "
            "victims the authorities identified outside the mechanism."),
    },
    "victims_identified_total": {
        "code": "hk_victims_identified_total", "measure": "victims_identified_total", "kind": "count",
        "row_unit": "persons",
        "name": "All trafficking victims identified (Hong Kong)",
        "unit": "persons",
        "definition": (
            "All trafficking victims the Hong Kong authorities reported identifying in the year, "
            "through the screening mechanism or otherwise, as the US TIP report states it."),
        "what_counts": (
            "Identified victims from every route; larger than the screening-mechanism count "
            "(e.g. 29 against 18 in 2018)."),
    },
}


def _read(source_id: str, name: str, fetched: FetchedFile) -> pd.DataFrame:
    return tables.read_table(source_id, fetched, SCHEMA, name=name)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _is_non_finite(text: str) -> bool:
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return False


def _edition(row: pd.Series) -> str | None:
    """The TIP report edition whose text states the figure; None for a government statement."""
    publisher = row["source_publisher"].strip()
    cited = TIP_CITED.search(publisher)
    if cited:
        return tip_edition(int(cited.group(1)))
    if publisher.startswith(TIP_PUBLISHER):
        title = TIP_TITLE.search(row["source_title"])
        return tip_edition(int(title.group(1))) if title else None
    return None


def _checked(source_id: str, name: str, frame: pd.DataFrame,
             indicators: dict[str, dict[str, str]]) -> pd.DataFrame:
    out = frame.copy()
    qualifiers, editions = [], []
    for _, row in out.iterrows():
        line = int(row["row"])
        if row["indicator"] not in indicators:
            raise SourceError(source_id, name, "unknown indicator", column="indicator",
                              value=row["indicator"], row=line)
        if not row["year"].strip().isdigit():
            raise SourceError(source_id, name, "not a whole number", column="year",
                              value=row["year"], row=line)
        spec = indicators[row["indicator"]]
        value = _number(row["value"].strip())
        if value is None and _is_non_finite(row["value"]):
            raise SourceError(source_id, name, "value is not a finite number", column="value",
                              value=row["value"], row=line)
        if value is None or (spec.get("whole", True) and not value.is_integer()):
            raise SourceError(source_id, name, "not a whole number" if spec.get("whole", True)
                              else "not a non-negative number", column="value",
                              value=row["value"], row=line)
        unit = UNIT.match(row["unit"].strip())
        if unit is None:
            raise SourceError(source_id, name, "unit not understood (expected e.g. 'persons', "
                              "'persons (rounded: around)', 'persons (lower bound: more than)')",
                              column="unit", value=row["unit"], row=line)
        if unit["base"] != spec["row_unit"]:
            raise SourceError(source_id, name, f"unit does not fit the indicator "
                              f"(expected '{spec['row_unit']}')", column="unit",
                              value=row["unit"], row=line)
        if not row["quote"].strip():
            raise SourceError(source_id, name, "figure without its quote", column="quote",
                              row=line)
        validate.http_url(source_id, name, line, "source_url", row["source_url"])
        edition = _edition(row)
        if row["source_publisher"].strip().startswith(TIP_PUBLISHER) and edition is None:
            raise SourceError(source_id, name, "a TIP report row whose title names no report "
                              "year", column="source_title", value=row["source_title"], row=line)
        qualifiers.append(QUALIFIER[unit["kind"]])
        editions.append(edition)
    out["value"] = out["value"].astype(float)
    out["year"] = out["year"].astype(int)
    out["qualifier"] = qualifiers
    out["edition"] = editions
    return out


def _note(row: pd.Series) -> str:
    date = row["source_date"].strip() or "date not in the excerpt"
    kind = {"approximately": ", a rounded figure", "more than": ", a lower bound",
            "less than": ", an upper bound"}.get(row["qualifier"], "")
    return f"Stated by {row['source_publisher']}, '{row['source_title']}' ({date}){kind}."


def read_figures(source_id: str, name: str, fetched: FetchedFile,
                 indicators: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """Observation rows of one Hong Kong figures file (the columns of ``COLUMNS``)."""
    known = indicators or INDICATORS
    frame = _checked(source_id, name, _read(source_id, name, fetched), known)
    if frame.empty:
        return pd.DataFrame(columns=[*OBSERVATION_COLUMNS, "edition"])
    iso = validate.resolve_names(source_id, name, frame, "jurisdiction")
    return pd.DataFrame({
        "indicator": frame["indicator"].map(lambda k: known[k]["code"]),
        "area_code": frame["jurisdiction"].map(iso),
        "area_kind": "jurisdiction",
        "year": frame["year"],
        "breakdown_dim": "total",
        "breakdown": "",
        "value": frame["value"],
        "qualifier": frame["qualifier"],
        "file": name,
        "quote": frame["quote"].str.strip(),
        "cited_url": frame["source_url"],
        "note": frame.apply(_note, axis=1),
        "edition": frame["edition"],
        "row": frame["row"],
        "area_as_published": frame["jurisdiction"],
    })[[*OBSERVATION_COLUMNS, "edition", "row", "area_as_published"]]


def indicator_rows(indicators: dict[str, dict[str, str]]) -> pd.DataFrame:
    return indicator_frame(indicators.values(), breakdowns="total",
                           publisher="US Department of State (TIP report); HKSAR Government")


def parse(files: dict[str, FetchedFile]) -> Parsed:
    obs = read_figures(ID, FILE, files[FILE])
    return Parsed(indicators=indicator_rows(INDICATORS), observations=obs,
                  rows_per_file={FILE: len(obs)})


SOURCE = Source(
    id=ID,
    publisher="Compiled by this project from the US TIP report and HKSAR Government statements",
    title="Hong Kong: trafficking screenings and victims identified, figure by figure",
    licence="Quotations of public statements (US government work: public domain; HKSAR "
            "Government news releases)",
    homepage="https://www.state.gov/trafficking-in-persons-report/",
    files=(SourceFile(FILE, None),),
    parse=parse,
    description=(
        "One row per published figure with its source and sentence. Where the government's "
        "rounded figure and the TIP report's exact figure cover the same year both are kept; "
        "charts use the exact figure, the TIP report's between exact figures (rule in "
        "etl/preference.py, reason in each row's preferred_reason)."),
)
