"""TIP placements 2021–2025 stated in words on stored copies of public pages.

Compiled by the project's researchers: one row per placement a page states; the page address
for each row comes from the folder's PROVENANCE.md table, so every value names its page.
"""

from __future__ import annotations

import re

import pandas as pd

from etl import tables, validate
from etl.errors import SourceError
from etl.source import TIER_OBS_COLUMNS, FetchedFile, Parsed, Source, SourceFile
from trafficking import vocabulary

ID = "tip-tier-pages"
CSV = "tiers_2021_2025.csv"
PROV = "PROVENANCE.md"
COLUMNS = ["report_year", "country_name_as_published", "tier", "source_file"]
# The placements file kind (also tip-tier-lists-2022-2025's): exactly these columns; a stated
# tier (a range is never stated), a report year in digits.
SCHEMA = tables.input_schema(COLUMNS, strict=True, rules={
    "tier": [tables.one_of("unknown tier", vocabulary.PLACEMENTS, key="placement tier")],
    "report_year": [tables.cell_rule("report year is not a number",
                                     lambda v: isinstance(v, str) and v.isdigit())],
})
# | `2021_discerning-islam.txt` | <https://...> | 2021 | ...
TABLE_ROW = re.compile(r"^\|\s*`([^`]+\.txt)`\s*\|\s*<([^>]+)>\s*\|", re.M)


def page_addresses(text: str, source_id: str = ID) -> dict[str, str]:
    """File -> page address from the PROVENANCE table; each address must be a clean http(s)."""
    found = {}
    for match in TABLE_ROW.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found[match[1]] = validate.http_url(source_id, PROV, line, "address", match[2])
    return found


def parse(files: dict[str, FetchedFile]) -> Parsed:
    validate.text_files(ID, files)
    frame = tables.read_table(ID, files[CSV], SCHEMA, name=CSV)
    addresses = page_addresses(files[PROV].path.read_text(encoding="utf-8"))
    for _, row in frame.iterrows():
        line = int(row["row"])
        if row["source_file"] not in addresses:
            raise SourceError(ID, CSV, "source page not listed in PROVENANCE.md",
                              column="source_file", value=row["source_file"], row=line)
    iso = validate.resolve_names(ID, CSV, frame, "country_name_as_published")
    out = pd.DataFrame({
        "iso3": frame["country_name_as_published"].map(iso),
        "report_year": frame["report_year"].astype(int),
        "tier": frame["tier"],
        "name_as_published": frame["country_name_as_published"],
        "file": CSV,
        "list_complete": False,
        "note": "stated on " + frame["source_file"],
        "cited_url": frame["source_file"].map(addresses),
        "row": frame["row"],
    })[[*TIER_OBS_COLUMNS, "row"]]
    return Parsed(tier_observations=out, rows_per_file={CSV: len(out), PROV: len(addresses)})


SOURCE = Source(
    id=ID,
    publisher="Project researchers, from stored copies of public pages (State Department, "
    "ecoi.net, press)",
    title="TIP report tier placements 2021–2025 stated on public pages",
    licence="Facts from US Department of State TIP reports (US government work); page excerpts "
    "belong to their publishers",
    homepage="https://www.state.gov/trafficking-in-persons-report/",
    files=(SourceFile(CSV, None), SourceFile(PROV, None)),
    parse=parse,
    description="Placements a page states in words; fills Tier 1 / Tier 2 where the Factbook "
    "lists are silent.",
)
