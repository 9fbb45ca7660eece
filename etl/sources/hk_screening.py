"""Hong Kong: initial screenings and victims identified, figure by figure (compiled quotes).

``figures.csv`` was compiled by this project's researchers: one row per figure as a public page
states it (US TIP report chapters on Hong Kong, HKSAR government statements), with the sentence.
It exists only in the shared snapshots, so its address is ``None`` (mirror only); each row's own
page goes into ``cited_url``.

Two sources sometimes give one year's figure twice: the HKSAR government rounds ("around
7,700") where the TIP report prints the exact count (7,678). Both rows are loaded. The rule for
which one a chart draws, written into ``note`` as the prefix ``Charted:`` or ``Not charted:``:

1. an exact figure beats a rounded one (a row whose unit says "rounded" gets the qualifier
   'approximately');
2. between two exact figures, the US TIP report beats a government statement (the TIP report
   is the one source that states every year in the same way);
3. a year with only a rounded figure charts the rounded figure, marked 'approximately'.
"""

from __future__ import annotations

import pandas as pd

from etl.countries import resolve_many
from etl.errors import SourceError
from etl.source import INDICATOR_COLUMNS, OBSERVATION_COLUMNS, FetchedFile, Parsed, Source, SourceFile

ID = "hk_screening"
FILE = "figures.csv"
COLUMNS = [
    "jurisdiction", "year", "indicator", "value", "unit", "source_title", "source_publisher",
    "source_date", "source_url", "quote",
]
CHARTED = "Charted: "
NOT_CHARTED = "Not charted: "
TIP_PUBLISHER = "US Department of State"

# Codes are prefixed so they cannot collide with other publishers' indicators.
INDICATORS: dict[str, dict[str, str]] = {
    "initial_screenings": {
        "code": "hk_initial_screenings",
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
        "code": "hk_victims_identified_screening",
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
        "code": "hk_victims_identified_total",
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


def _read(fetched: FetchedFile) -> pd.DataFrame:
    try:
        frame = pd.read_csv(fetched.path, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise SourceError(ID, FILE, f"not a readable CSV: {exc}") from exc
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise SourceError(ID, FILE, "expected column missing", column=missing[0])
    return frame


def _checked(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for i, row in out.iterrows():
        line = int(i) + 2  # header is line 1
        if row["indicator"] not in INDICATORS:
            raise SourceError(ID, FILE, "unknown indicator", column="indicator",
                              value=row["indicator"], row=line)
        for col in ("value", "year"):
            text = row[col].strip()
            if not text.isdigit():
                raise SourceError(ID, FILE, "not a whole number", column=col, value=row[col],
                                  row=line)
        if not row["quote"].strip():
            raise SourceError(ID, FILE, "figure without its quote", column="quote", row=line)
    out["value"] = out["value"].astype(float)
    out["year"] = out["year"].astype(int)
    out["rounded"] = out["unit"].str.contains("rounded", case=False)
    out["is_tip"] = out["source_publisher"].str.strip() == TIP_PUBLISHER
    return out


def _describe(row: pd.Series) -> str:
    return (f"{row['source_publisher']}, '{row['source_title']}' ({row['source_date']})"
            + (", rounded figure" if row["rounded"] else ""))


def _notes(frame: pd.DataFrame) -> pd.Series:
    """Mark each row charted or not, by the rule in the module docstring."""
    notes = pd.Series("", index=frame.index, dtype=object)
    ranked = frame.assign(_r=frame["rounded"].astype(int) * 2 + (~frame["is_tip"]).astype(int))
    for _, group in ranked.groupby(["indicator", "year"]):
        group = group.sort_values("_r", kind="stable")
        best = group.iloc[0]
        for idx, row in group.iterrows():
            said = _describe(row)
            if idx == best.name:
                others = [r for j, r in group.iterrows() if j != idx]
                extra = "".join(
                    f" Also stated: {r['value']:,.0f} by {_describe(r)}." for r in others)
                why = ("only figure for this year" if not others else
                       "exact figure preferred over rounded" if others[0]["rounded"]
                       and not row["rounded"] else "US TIP report preferred")
                notes[idx] = f"{CHARTED}{why}; source: {said}.{extra}"
            else:
                notes[idx] = (f"{NOT_CHARTED}{said}; the chart uses {best['value']:,.0f} "
                              f"from {_describe(best)}.")
    return notes


def parse(files: dict[str, FetchedFile]) -> Parsed:
    frame = _checked(_read(files[FILE]))
    iso = resolve_many(sorted(frame["jurisdiction"].unique()))
    obs = pd.DataFrame({
        "indicator": frame["indicator"].map(lambda k: INDICATORS[k]["code"]),
        "area_code": frame["jurisdiction"].map(iso),
        "area_kind": "jurisdiction",
        "year": frame["year"],
        "breakdown_dim": "total",
        "breakdown": "",
        "value": frame["value"],
        "qualifier": frame["rounded"].map({True: "approximately", False: None}),
        "file": FILE,
        "quote": frame["quote"].str.strip(),
        "cited_url": frame["source_url"].str.strip(),
        "note": _notes(frame),
    })[OBSERVATION_COLUMNS]
    indicators = pd.DataFrame([
        {**spec, "publisher": "US Department of State (TIP report); HKSAR Government",
         "breakdowns": "total"}
        for spec in INDICATORS.values()
    ])[INDICATOR_COLUMNS]
    return Parsed(indicators=indicators, observations=obs, rows_per_file={FILE: len(obs)})


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
        "charts use the exact TIP figure (rule in the observation note)."),
)
