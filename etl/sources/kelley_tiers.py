"""US TIP report tiers 2001–2015 from Kelley & Heiss, *Scorecard Diplomacy* (replication data).

Codes in the Stata file: 1, 2, 2.5 (Tier 2 Watch List), 3, 555 (not in that year's report),
666 (special case). 555 yields no row: the provenance notes show it is sometimes wrong
(South Korea 2001–2009 was in every report), so "not in report" is never published as a fact.
"""

from __future__ import annotations

import pandas as pd

from etl import tables, validate
from etl.errors import SourceError
from etl.source import TIER_OBS_COLUMNS, FetchedFile, Parsed, Source, SourceFile

ID = "scorecard-diplomacy-tiers"
RAW = "https://raw.githubusercontent.com/andrewheiss/scorecard-diplomacy/f8c06be83c75c34c97bc3992e24fedc8d275c83b"
DTA = "criminalization-cho-tiers_jk_2015-08-10.dta"
CSV_2015 = "tiers_2015.csv"
CODES = {1.0: "Tier 1", 2.0: "Tier 2", 2.5: "Tier 2 Watch List", 3.0: "Tier 3", 666.0: "Special Case"}
NOT_IN_REPORT = 555.0
FIRST_REPORT = 2001
DTA_SCHEMA = tables.input_schema(["name", "year", "tierupdated"])
CSV_SCHEMA = tables.input_schema(["countryname", "tier"])


def _rows(frame: pd.DataFrame, name_col: str, tier_col: str, file: str,
          first_row: int) -> pd.DataFrame:
    """Tier rows of one file; ``first_row`` is the number of the file's first record (a CSV's
    line 2, a Stata file's observation 1), so errors name the row an analyst can find."""
    frame = frame.copy()
    if "row" not in frame.columns:  # a CSV read by read_table has its true lines already
        frame["row"] = frame.index + first_row
    frame[name_col] = frame[name_col].astype(str).str.strip()
    bad = frame[frame[tier_col].notna() & ~frame[tier_col].isin([*CODES, NOT_IN_REPORT])]
    if not bad.empty:
        r = bad.iloc[0]
        raise SourceError(ID, file, "unknown tier code", column=tier_col, value=r[tier_col],
                          row=int(r["row"]))
    kept = frame[frame[tier_col].isin(list(CODES))]
    iso = validate.resolve_names(ID, file, kept, name_col)
    return pd.DataFrame({
        "iso3": kept[name_col].map(iso),
        "report_year": kept["year"].astype(int),
        "tier": kept[tier_col].map(CODES),
        "name_as_published": kept[name_col],
        "file": file,
        "list_complete": False,
        "note": None,
        "cited_url": None,
        "row": kept["row"],
    })


def parse(files: dict[str, FetchedFile]) -> Parsed:
    validate.text_files(ID, files)
    try:
        dta = pd.read_stata(files[DTA].path, convert_categoricals=False)
    except Exception as exc:
        raise SourceError(ID, DTA, f"not a readable Stata file: {exc}") from exc
    tables.validated(DTA_SCHEMA, dta, ID, DTA)
    # The panel runs 1999–2014; the first TIP report is 2001, and 2015 comes from its own CSV.
    dta = dta[(dta["year"] >= FIRST_REPORT) & (dta["year"] <= 2014)]
    csv = tables.read_table(ID, files[CSV_2015], CSV_SCHEMA, name=CSV_2015).assign(year=2015)
    csv["tier"] = pd.to_numeric(csv["tier"], errors="coerce")
    out = pd.concat(
        [_rows(dta, "name", "tierupdated", DTA, 1), _rows(csv, "countryname", "tier", CSV_2015, 2)],
        ignore_index=True,
    )[[*TIER_OBS_COLUMNS, "row"]]
    return Parsed(
        tier_observations=out,
        rows_per_file={DTA: int((out["file"] == DTA).sum()), CSV_2015: int((out["file"] == CSV_2015).sum())},
    )


SOURCE = Source(
    id=ID,
    publisher="Judith G. Kelley and Andrew Heiss (Scorecard Diplomacy replication data)",
    title="US TIP report tier placements 2001–2015 (Kelley & Heiss panel)",
    licence="MIT (repository licence); underlying facts: US Department of State TIP reports",
    homepage="https://github.com/andrewheiss/scorecard-diplomacy",
    files=(
        SourceFile(DTA, f"{RAW}/data/original/{DTA}",
                   sha256="62c4c4bcb3ee84de08345afdb924086c515462cfc065e9e571ee69fd757b5f59"),
        SourceFile(CSV_2015, f"{RAW}/data/original/{CSV_2015}",
                   sha256="33da1f8aa2b90a97472c5be80dfdce421b3e851b2fbaf4c6e99e8a4931e58c62"),
    ),
    parse=parse,
    description="Tier per country and report year, 2001–2015, coded from the TIP reports.",
)
