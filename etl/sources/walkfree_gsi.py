"""Walk Free's Global Slavery Index 2023: country estimates for reference year 2021.

The sheet 'GSI 2023 summary data' has one row per country (180). Each value becomes one
jurisdiction observation for 2021: prevalence per 1,000, estimated number, the population Walk
Free used, the vulnerability score (total and five dimensions) and the government-response
rating (total and five milestones). A blank cell means Walk Free gives no value: that country
gets **no row** for it (never a zero) — 20 small states have no prevalence estimate, four
conflict-affected countries no government-response rating. A population of 0 is the workbook's
"-" (missing) and is left out too.

Government-response scores can be negative (indicators for harmful policies subtract; North
Korea's total is −2.6 %), so those rows are marked as signed for the validator.
"""

from __future__ import annotations

import math

import pandas as pd

from etl import tables
from etl.countries import resolve_many
from etl.errors import SourceError
from etl.source import (
    AREA_GROUP_COLUMNS,
    OBSERVATION_COLUMNS,
    FetchedFile,
    Parsed,
    Source,
    SourceFile,
    indicator_frame,
)

ID = "walkfree-gsi-2023"
FILE = "2023-Global-Slavery-Index-Data.xlsx"
URL = (
    "https://raw.githubusercontent.com/modern-slavery-open-lib/make-labour-satellite/"
    "057bd735562d66f6e1110bd6b82f34e7e6a4103a/objects/raw/2023-Global-Slavery-Index-Data.xlsx"
)
SHA256 = "36862bf1e2ee857f828eba30f9f587f8855ed97e825e8dbd3de93669f745098f"
SHEET = "GSI 2023 summary data"
HEADER_ROW = 2  # row 3 in Excel: row 2 holds the source line and group headers
YEAR = 2021  # the reference year of the GSI 2023 estimates
CITED = "https://www.walkfree.org/global-slavery-index/downloads/"
CITATION = ("Walk Free 2023, The Global Slavery Index 2023, Minderoo Foundation, available from "
            "https://www.walkfree.org/global-slavery-index/downloads/")

COUNTRY, REGION, POPULATION = "Country", "Region", "Population"
PREVALENCE = "Estimated prevalence of modern slavery per 1,000 population"
NUMBER = "Estimated number of people in modern slavery"
VULN_TOTAL = "Total Vulnerability score (%)"
VULN_DIMS = ["Governance issues", "Lack of basic needs", "Inequality", "Disenfranchised groups",
             "Effects of conflict"]
RESPONSE_TOTAL = "Government response total (%)"
MILESTONES = [
    "Survivors of slavery are identified and supported to exit and remain out of modern slavery (%)",
    "Criminal justice mechanisms function effectively to prevent modern slavery (%)",
    "Coordination occurs at the national and regional level and across borders, and governments "
    "are held to account for their response (%)",
    "Risk factors, such as attitudes, social systems, and institutions that enable modern slavery "
    "are addressed (%)",
    "Government and business stop sourcing goods and services produced by forced labour (%)",
]
COLUMNS = [COUNTRY, POPULATION, REGION, PREVALENCE, NUMBER, *VULN_DIMS, VULN_TOTAL, *MILESTONES,
           RESPONSE_TOTAL]
SCHEMA = tables.input_schema(COLUMNS, where=f"sheet {SHEET!r}")
REGIONS = {"Africa", "Americas", "Arab States", "Asia and the Pacific", "Europe and Central Asia"}
# The area_groups scheme these regions are stored under (the read side asks for it by name).
REGION_SCHEME = "Walk Free region"

PUBLISHER = "Walk Free (Minderoo Foundation)"
SAME_MODEL = (
    "Walk Free's country estimates for 2021, made with the same model as the 2022 edition of "
    "the Global Estimates of Modern Slavery (its 160 country numbers sum to the 49.6 million "
    "global headline). Not comparable with the Global Slavery Index 2018 (2016 estimates), "
    "whose method differed. 20 small states have no estimate: no value, not zero."
)
INDICATORS = pd.DataFrame([
    ("gsi2023_prevalence", "Estimated prevalence of modern slavery (GSI 2023)",
     "per 1,000 population",
     "Estimated people in modern slavery (forced labour and forced marriage) per 1,000 "
     "population on any given day in 2021. Stored unrounded as in the workbook; Walk Free's "
     "website shows one decimal.", SAME_MODEL, "total"),
    ("gsi2023_number", "Estimated number of people in modern slavery (GSI 2023)", "persons",
     "Estimated people in modern slavery on any given day in 2021, rounded to thousands by "
     "Walk Free.", SAME_MODEL, "total"),
    ("gsi2023_population", "Population used by the GSI 2023", "persons",
     "The population Walk Free used for its 2021 estimates: UN World Population Prospects 2019 "
     "(Rev. 1), rounded to thousands. Stored under the GSI's reference year 2021.",
     "A population of 0 (shown as '-' by Walk Free: Cape Verde, Kosovo, Liechtenstein, Palau) is "
     "missing and not loaded.", "total"),
    ("gsi2023_vulnerability", "Vulnerability to modern slavery (GSI 2023)", "score (0–100)",
     "Walk Free's vulnerability score, total and five dimensions (governance issues, lack of "
     "basic needs, inequality, disenfranchised groups, effects of conflict); higher = more "
     "vulnerable. See the workbook's 'Vulnerability codebook'.",
     "An index, not a count: compare countries within the GSI 2023 only.", "total,dimension"),
    ("gsi2023_government_response", "Government response to modern slavery (GSI 2023)",
     "percent of the maximum score",
     "Walk Free's rating of government action against modern slavery: 144 indicators in 42 "
     "activities and five milestones (survivors supported, criminal justice, coordination, risk "
     "factors, supply chains); total and milestone scores as a percentage of the maximum.",
     "Can be negative: indicators for harmful policies subtract (North Korea −2.6 %). Not "
     "assessed for Afghanistan, South Sudan, Syria and Yemen (conflict): no value. Kosovo and "
     "Taiwan cannot ratify conventions, so some activities are recoded (workbook note 3).",
     "total,milestone"),
], columns=["code", "name", "unit", "definition", "what_counts", "breakdowns"])
EDITION, EDITION_YEAR = "GSI 2023", 2023
# What each figure is. Series outlive the edition: a GSI 2018 or later edition of a measure
# continues its line, broken at the change of edition.
FACTS: dict[str, dict[str, object]] = {
    "gsi2023_prevalence": {
        "series": "gsi_prevalence", "measure": "modern_slavery_prevalence", "kind": "rate",
        "rate_base": 1000.0, "label": "Estimated prevalence of modern slavery"},
    "gsi2023_number": {
        "series": "gsi_number", "measure": "modern_slavery", "kind": "count",
        "label": "Estimated number of people in modern slavery"},
    "gsi2023_population": {
        "series": "gsi_population", "measure": "population", "kind": "count",
        "role": "population", "label": "Population used by the Global Slavery Index"},
    "gsi2023_vulnerability": {
        "series": "gsi_vulnerability", "measure": "vulnerability", "kind": "score",
        "label": "Vulnerability to modern slavery"},
    "gsi2023_government_response": {
        "series": "gsi_government_response", "measure": "government_response", "kind": "score",
        "label": "Government response to modern slavery"},
}
INDICATORS = indicator_frame(
    [{**spec, **FACTS[spec["code"]], "edition": EDITION, "edition_year": EDITION_YEAR}
     for spec in INDICATORS.to_dict("records")], publisher=PUBLISHER)


def _read(f: FetchedFile) -> pd.DataFrame:
    try:
        sheets = pd.ExcelFile(f.path, engine="calamine")
    except Exception as exc:
        raise SourceError(ID, f.name, f"not a readable xlsx workbook: {exc}") from exc
    if SHEET not in sheets.sheet_names:
        raise SourceError(ID, f.name, "sheet missing", column="(sheet)",
                          value=f"{SHEET!r} not in {sheets.sheet_names}")
    # na_filter=False: a text cell such as 'n/a' must be reported, not read as a gap. Cells
    # keep their types (not dtype=str, as for GLOTIP): a number goes from the workbook's double
    # straight to the value, because pandas' text-to-number parser is not exact to the last
    # bit (it differs from float() for about a third of random doubles).
    try:
        frame = sheets.parse(SHEET, header=HEADER_ROW, na_filter=False)
    finally:
        sheets.close()
    frame = frame.replace("", None)
    tables.validated(SCHEMA, frame, ID, f.name)
    frame = frame.dropna(how="all")
    frame = frame[frame[COUNTRY].notna()].copy()
    frame[COUNTRY] = frame[COUNTRY].astype(str).str.strip()
    if frame.empty:
        raise SourceError(ID, f.name, f"no country rows in sheet {SHEET!r}")
    return frame


def _numbers(frame: pd.DataFrame, f: FetchedFile) -> None:
    """Every value cell must be blank or a number; a stray text cell is an error, not a gap."""
    for col in COLUMNS[3:] + [POPULATION]:
        parsed = pd.to_numeric(frame[col], errors="coerce")
        bad = frame[frame[col].notna() & parsed.isna()]
        if not bad.empty:
            i = bad.index[0]
            raise SourceError(ID, f.name, f"not a number ({bad.at[i, COUNTRY]})", column=col,
                              value=bad.at[i, col], row=int(i) + HEADER_ROW + 2)
        # 'inf' text (or a 1e400 cell) reads as infinity: a number, but no figure.
        odd = frame[parsed.map(lambda v: not pd.isna(v) and not math.isfinite(v))]
        if not odd.empty:
            i = odd.index[0]
            raise SourceError(ID, f.name, f"value is not a finite number ({odd.at[i, COUNTRY]})",
                              column=col, value=odd.at[i, col], row=int(i) + HEADER_ROW + 2)
        frame[col] = parsed


def parse(files: dict[str, FetchedFile]) -> Parsed:
    f = files[FILE]
    frame = _read(f)
    _numbers(frame, f)
    dup = frame[frame[COUNTRY].duplicated()]
    if not dup.empty:
        raise SourceError(ID, f.name, "country listed twice", column=COUNTRY,
                          value=dup[COUNTRY].iloc[0])
    odd = frame[~frame[REGION].isin(REGIONS)]
    if not odd.empty:
        raise SourceError(ID, f.name, f"unknown region for {odd[COUNTRY].iloc[0]}", column=REGION,
                          value=odd[REGION].iloc[0])
    iso = resolve_many(frame[COUNTRY].tolist())
    codes = pd.Series(iso)
    clash = codes[codes.duplicated(keep=False)]
    if not clash.empty:
        raise SourceError(ID, f.name, "two countries resolve to one ISO code", column=COUNTRY,
                          value=", ".join(clash.index))

    rows: list[dict] = []

    def add(r: pd.Series, indicator: str, column: str, dim: str = "total", breakdown: str = "",
            signed: bool = False) -> None:
        value = r[column]
        if pd.isna(value):
            return  # no value published: no row (a gap, never a zero)
        rows.append({
            "indicator": indicator, "area_code": iso[r[COUNTRY]], "area_kind": "jurisdiction",
            "year": YEAR, "breakdown_dim": dim, "breakdown": breakdown, "value": float(value),
            "qualifier": None, "file": f.name, "quote": None, "cited_url": CITED,
            "note": f"{r[COUNTRY]} (Walk Free region: {r[REGION]}); sheet '{SHEET}', column "
                    f"'{column}'.",
            "may_be_negative": signed, "row": int(r.name) + HEADER_ROW + 2,
            "area_as_published": r[COUNTRY],
        })

    for _, r in frame.iterrows():
        if pd.isna(r[PREVALENCE]) != pd.isna(r[NUMBER]):
            raise SourceError(ID, f.name, f"prevalence and number must both be given or both "
                              f"blank ({r[COUNTRY]})", column=PREVALENCE, value=r[PREVALENCE])
        if r[POPULATION] and r[POPULATION] > 0:  # 0 is Walk Free's '-': missing
            add(r, "gsi2023_population", POPULATION)
        add(r, "gsi2023_prevalence", PREVALENCE)
        add(r, "gsi2023_number", NUMBER)
        add(r, "gsi2023_vulnerability", VULN_TOTAL)
        for col in VULN_DIMS:
            add(r, "gsi2023_vulnerability", col, "dimension", col)
        add(r, "gsi2023_government_response", RESPONSE_TOTAL, signed=True)
        for col in MILESTONES:
            add(r, "gsi2023_government_response", col, "milestone", col.removesuffix(" (%)"),
                signed=True)
    obs = pd.DataFrame(rows, columns=[*OBSERVATION_COLUMNS, "may_be_negative", "row",
                                      "area_as_published"])
    groups = pd.DataFrame({"scheme": REGION_SCHEME, "code": [iso[c] for c in frame[COUNTRY]],
                           "group_name": frame[REGION].tolist(), "file": f.name},
                          columns=AREA_GROUP_COLUMNS)
    return Parsed(indicators=INDICATORS.copy(), observations=obs, area_groups=groups,
                  rows_per_file={FILE: len(frame)})


SOURCE = Source(
    id=ID,
    publisher=PUBLISHER,
    title="Global Slavery Index 2023 — country data workbook (estimates for 2021)",
    licence="© 2023 Minderoo Foundation Limited, all rights reserved; Walk Free's published "
    "data, shown with attribution as Walk Free asks: " + CITATION + ". The workbook itself is "
    "not redistributed by this dashboard.",
    homepage="https://www.walkfree.org/global-slavery-index/",
    files=(SourceFile(FILE, URL, sha256=SHA256),),
    parse=parse,
    description=(
        "Walk Free's own workbook (copy unmodified in modern-slavery-open-lib/make-labour-"
        "satellite, commit 057bd73; the official download is a zip at an ephemeral address on "
        "the downloads page). Rows = countries (180). Prevalence per 1,000 and estimated number "
        "for 160 countries (sum 49,630,000), vulnerability and government response scores."
    ),
)
