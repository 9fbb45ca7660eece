"""TIP placements 2021–2025 stated in words on stored copies of public pages.

Compiled by the project's researchers: one row per placement a page states; the page address
for each row comes from the folder's PROVENANCE.md table, so every value names its page.
"""

from __future__ import annotations

import re

import pandas as pd

from etl.countries import resolve_many
from etl.errors import SourceError
from etl.schema import TIERS
from etl.source import TIER_OBS_COLUMNS, FetchedFile, Parsed, Source, SourceFile

ID = "tip-tier-pages"
CSV = "tiers_2021_2025.csv"
PROV = "PROVENANCE.md"
COLUMNS = ["report_year", "country_name_as_published", "tier", "source_file"]
# | `2021_discerning-islam.txt` | <https://...> | 2021 | ...
TABLE_ROW = re.compile(r"^\|\s*`([^`]+\.txt)`\s*\|\s*<([^>]+)>\s*\|", re.M)


def page_addresses(text: str) -> dict[str, str]:
    return dict(TABLE_ROW.findall(text))


def parse(files: dict[str, FetchedFile]) -> Parsed:
    try:
        frame = pd.read_csv(files[CSV].path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(ID, CSV, f"not UTF-8 text: {exc}") from exc
    except Exception as exc:
        raise SourceError(ID, CSV, f"not a readable CSV: {exc}") from exc
    for col in COLUMNS:
        if col not in frame.columns:
            raise SourceError(ID, CSV, "expected column missing", column=col)
    extra = [c for c in frame.columns if c not in COLUMNS]
    if extra:
        raise SourceError(ID, CSV, "unexpected columns: the file's shape changed, so the parser "
                          "must be reviewed before it is trusted", column=", ".join(extra))
    addresses = page_addresses(files[PROV].path.read_text(encoding="utf-8"))
    for i, row in frame.iterrows():
        if row["tier"] not in TIERS[:5]:
            raise SourceError(ID, CSV, "unknown tier", column="tier", value=row["tier"], row=i + 2)
        if not row["report_year"].isdigit():
            raise SourceError(ID, CSV, "report year is not a number", column="report_year",
                              value=row["report_year"], row=i + 2)
        if row["source_file"] not in addresses:
            raise SourceError(ID, CSV, "source page not listed in PROVENANCE.md",
                              column="source_file", value=row["source_file"], row=i + 2)
    iso = resolve_many(sorted(frame["country_name_as_published"].unique()))
    out = pd.DataFrame({
        "iso3": frame["country_name_as_published"].map(iso),
        "report_year": frame["report_year"].astype(int),
        "tier": frame["tier"],
        "name_as_published": frame["country_name_as_published"],
        "file": CSV,
        "list_complete": False,
        "note": "stated on " + frame["source_file"],
        "cited_url": frame["source_file"].map(addresses),
    })[TIER_OBS_COLUMNS]
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
