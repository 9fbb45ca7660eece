"""TIP tiers 2011–2021 (and a partial, unreliable 2023) from the Wikipedia tier table."""

from __future__ import annotations

import re

import pandas as pd

from etl import tables, validate
from etl.errors import SourceError
from etl.source import TIER_OBS_COLUMNS, FetchedFile, Parsed, Source, SourceFile

ID = "wikipedia-tip-tier-table"
FILE = "TIP_Tiers_overyears.csv"
URL = (
    "https://raw.githubusercontent.com/viviluccioli/portfolio/5343236516f16cef94e6ab605c20b64fbfe2d613"
    "/_site/projects/dsan-5000/_site/data/raw-data/TIP_Tiers_overyears.csv"
)
CODES = {"1": "Tier 1", "2": "Tier 2", "2w": "Tier 2 Watch List", "3": "Tier 3"}
NOT_RATED = {"-", ""}  # '-' not rated, '' not in the table that year
YEAR_COL = re.compile(r"^(\d{4})\b")
# One column per report year ('2011 [4]' …), found by name after reading.
SCHEMA = tables.input_schema(["Country"])


def parse(files: dict[str, FetchedFile]) -> Parsed:
    frame = tables.read_table(ID, files[FILE], SCHEMA, name=FILE)
    year_cols = {c: int(m.group(1)) for c in frame.columns if (m := YEAR_COL.match(c))}
    if len(year_cols) < 5:
        raise SourceError(ID, FILE, "expected one column per report year (e.g. '2011 [4]')",
                          column=", ".join(c for c in frame.columns if c != "row"))
    long = frame.melt(id_vars=["Country", "row"], value_vars=list(year_cols), var_name="col",
                      value_name="code")
    long["code"] = long["code"].str.strip()
    unknown = long[~long["code"].isin([*CODES, *NOT_RATED])]
    if not unknown.empty:
        r = unknown.iloc[0]
        raise SourceError(ID, FILE, f"unknown tier code for {r['Country']}", column=r["col"],
                          value=r["code"], row=int(r["row"]))
    long = long[long["code"].isin(list(CODES))]
    iso = validate.resolve_names(ID, FILE, long, "Country")
    out = pd.DataFrame({
        "iso3": long["Country"].map(iso),
        "report_year": long["col"].map(year_cols),
        "tier": long["code"].map(CODES),
        "name_as_published": long["Country"],
        "file": FILE,
        "list_complete": False,
        "note": None,
        "cited_url": "https://en.wikipedia.org/wiki/Trafficking_in_Persons_Report",
        "row": long["row"],
    })[[*TIER_OBS_COLUMNS, "row"]]
    return Parsed(tier_observations=out, rows_per_file={FILE: len(out)})


SOURCE = Source(
    id=ID,
    publisher="Wikipedia contributors (scraped by V. Luccioli, DSAN 5000 project)",
    title="Trafficking in Persons Report — country tier table (English Wikipedia)",
    licence="CC BY-SA 4.0 (Wikipedia content)",
    homepage="https://en.wikipedia.org/wiki/Trafficking_in_Persons_Report",
    files=(SourceFile(FILE, URL, sha256="7ce511c564d056c4fb964bf354459bdf800a66a19d495435b387e949c0206048"),),
    parse=parse,
    description="Tier per country for report years 2011–2021; the 2023 column is incomplete and "
    "partly wrong, so it ranks last.",
)
