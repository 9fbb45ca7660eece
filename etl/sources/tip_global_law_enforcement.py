"""Worldwide law-enforcement totals from the TIP report's "Global Law Enforcement Data" table.

Transcribed by Kelley & Heiss (Scorecard Diplomacy replication data, figure 3.2), data years
2003–2015. ``Year`` is the year the table labels the data with, not the report year (the 2009
row appeared in the 2010 report). The "(Labor)" columns are the labour-trafficking subset the
report prints in parentheses; they load as breakdown ``form = labour trafficking`` of the same
indicator. An empty cell is "not given" and yields no row (a gap, never a zero). Each row's
``edition`` is the report that first printed it (data year N: the N+1 TIP report). Data years
2016 onward come from ``tip_global_law_enforcement_2016`` under the same indicator codes.
"""

from __future__ import annotations

import pandas as pd

from etl import tables
from etl.preference import tip_edition
from etl.source import OBSERVATION_COLUMNS, FetchedFile, Parsed, Source, SourceFile, indicator_frame

ID = "scorecard-diplomacy-global-law-enforcement"
FILE = "data_figure3_2.csv"
COMMIT = "f8c06be83c75c34c97bc3992e24fedc8d275c83b"
URL = f"https://raw.githubusercontent.com/andrewheiss/scorecard-diplomacy/{COMMIT}/data/original/{FILE}"
SHA256 = "9e9c69a0d595cdb4482705f559f0fd03e1f4c5f3a723cde9b39959b43afae985"
LABOUR = "labour trafficking"
REPORT_NOTE = (
    "Data year {year}, published in the {report} TIP report's Global Law Enforcement Data table; "
    "the State Department calls these figures estimates (national reporting is not uniform) "
    "and revises earlier years in later editions.")

_COMMON = (
    "Worldwide totals the US State Department compiles from governments' reports and, for "
    "victims, non-government sources; the report calls them estimates.")
# column -> (indicator code, breakdown)
COLUMNS: dict[str, tuple[str, str]] = {
    "Prosecutions": ("tip_global_prosecutions", ""),
    "Prosecutions (Labor)": ("tip_global_prosecutions", LABOUR),
    "Convictions": ("tip_global_convictions", ""),
    "Convictions (Labor)": ("tip_global_convictions", LABOUR),
    "Victims identified": ("tip_global_victims_identified", ""),
    "Victims (Labor)": ("tip_global_victims_identified", LABOUR),
    "New or amended legislation": ("tip_global_new_legislation", ""),
}
# A year in digits; each count blank (not given) or a whole number, commas allowed.
_WHOLE = tables.cell_rule("not a whole number", lambda v: isinstance(v, str) and (
    v.strip() == "" or v.strip().replace(",", "").isdigit()), key=f"{ID}: count",
    shown=tables.stripped)
SCHEMA = tables.input_schema(["Year", *COLUMNS], rules={
    "Year": [tables.digits("year is not a number", key=f"{ID}: year", shown=tables.stripped)],
    **{col: [_WHOLE] for col in COLUMNS}})
INDICATORS = [
    {"code": "tip_global_prosecutions", "name": "Trafficking prosecutions worldwide",
     "unit": "prosecutions", "measure": "prosecutions", "kind": "count",
     "definition": "Trafficking prosecutions reported worldwide in the year. " + _COMMON,
     "what_counts": "Prosecutions (cases or defendants, as each government reports them); "
                    "labour-trafficking prosecutions are a subset, given from 2007.",
     "breakdowns": "total,form"},
    {"code": "tip_global_convictions", "name": "Trafficking convictions worldwide",
     "unit": "convictions", "measure": "convictions", "kind": "count",
     "definition": "Trafficking convictions reported worldwide in the year. " + _COMMON,
     "what_counts": "Convictions; labour-trafficking convictions are a subset, given from 2007.",
     "breakdowns": "total,form"},
    {"code": "tip_global_victims_identified", "name": "Trafficking victims identified worldwide",
     "unit": "persons", "measure": "victims_identified", "kind": "count",
     "definition": "Victims of trafficking identified worldwide in the year. " + _COMMON,
     "what_counts": "Identified victims, including counts from NGOs and international "
                    "organisations, not only governments; labour-trafficking victims are a "
                    "subset, given from 2011. Not comparable with UNODC's 'detected victims' "
                    "(government data only, different years and coverage).",
     "breakdowns": "total,form"},
    {"code": "tip_global_new_legislation", "name": "New or amended anti-trafficking laws worldwide",
     "unit": "laws", "measure": "new_legislation", "kind": "count",
     "definition": "New or amended trafficking legislation counted worldwide in the year. "
                   + _COMMON,
     "what_counts": "Laws passed or amended, as the table counts them.",
     "breakdowns": "total"},
]


def parse(files: dict[str, FetchedFile]) -> Parsed:
    frame = tables.read_table(ID, files[FILE], SCHEMA, name=FILE)
    rows = []
    for _, rec in frame.iterrows():
        line = int(rec["row"])
        year_text = rec["Year"].strip()
        year = int(year_text)
        for col, (code, breakdown) in COLUMNS.items():
            text = rec[col].strip()
            if text == "":
                continue  # not given in the table: a gap
            rows.append({
                "indicator": code, "area_code": "WLD", "area_kind": "world", "year": year,
                "breakdown_dim": "form" if breakdown else "total", "breakdown": breakdown,
                "value": float(text.replace(",", "")), "qualifier": None, "file": FILE,
                "quote": f"{col}: {text} (row {year_text})", "cited_url": None,
                "note": REPORT_NOTE.format(year=year, report=year + 1),
                # Kelley & Heiss transcribe each year as first published: report N+1.
                "edition": tip_edition(year + 1),
                "row": line,
            })
    obs = pd.DataFrame(rows, columns=[*OBSERVATION_COLUMNS, "edition", "row"])
    indicators = indicator_frame(
        INDICATORS, publisher="US Department of State (TIP report; 2003–2015 transcribed by "
                              "Kelley & Heiss, 2016 on as quoted by public pages)")
    return Parsed(indicators=indicators, observations=obs, rows_per_file={FILE: len(obs)})


SOURCE = Source(
    id=ID,
    publisher="US Department of State (TIP report), transcribed by Judith G. Kelley and "
              "Andrew Heiss (Scorecard Diplomacy replication data)",
    title="TIP report Global Law Enforcement Data, 2003–2015",
    licence="MIT (repository licence); figures: US government work (TIP reports)",
    homepage="https://github.com/andrewheiss/scorecard-diplomacy",
    files=(SourceFile(FILE, URL, sha256=SHA256),),
    parse=parse,
    description=(
        "Worldwide prosecutions, convictions, victims identified and new laws per data year, "
        "with the labour-trafficking subset where the report prints it (2007–2014 for "
        "prosecutions and convictions, 2011–2014 for victims). Data years 2016 onward are not "
        "in this file."),
)
