"""TIP placements 2022, 2024, 2025: complete Tier 1 lists, and all four 2025 lists.

Compiled by the project's researchers (companion to ``tip-tier-pages``, same rules): one row
per placement a stored page, or one GitHub data file for 2025, states. Each page row cites its
page from the PROVENANCE.md table; each GitHub row cites the commit-pinned raw address the
PROVENANCE gives, is marked ``secondary`` (a third party's transcription, read but not copied
because of its licence) and is ranked below every primary page by the merge.

Rows of a tier whose list is complete that year carry ``list_complete``. The counts the
PROVENANCE states for those lists are checked here, so a changed file fails loudly instead of
silently shifting placements. The 2022 Tier 1 list is assembled with two rows that live in
``tip-tier-pages`` (Argentina, Austria); ``COMPLETE_LISTS`` declares that, and the merge
(``etl.tiers``) checks the union.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from etl import tables, validate
from etl.errors import SourceError
from etl.source import TIER_OBS_COLUMNS, FetchedFile, Parsed, Source, SourceFile
from etl.sources.tip_tier_pages import SCHEMA, page_addresses

ID = "tip-tier-lists-2022-2025"
CSV = "tiers_2022_2024_2025.csv"
PROV = "PROVENANCE.md"
COLUMNS = ["report_year", "country_name_as_published", "tier", "source_file"]
# `github:owner/repo@<40 hex>:path (not stored; see PROVENANCE)`
GITHUB = re.compile(r"^github:(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{40}):(?P<path>\S+)")
# The commit-pinned raw address the PROVENANCE names for the GitHub file ("Raw: <...>").
RAW_ADDRESS = re.compile(r"Raw:\s*<(https://raw\.githubusercontent\.com/[^>]+)>")
# | `file.txt` | <address> | year | what it states | rows | ...  -> file, what it states
CONTENT_ROW = re.compile(r"^\|\s*`([^`]+\.txt)`\s*\|\s*<[^>]+>\s*\|[^|]*\|\s*([^|]*?)\s*\|", re.M)


@dataclass(frozen=True)
class CompleteList:
    """A tier's complete list for one report year, with the count the PROVENANCE states."""

    count: int
    why: str
    # Members whose rows live in another source (dataset id -> ISO codes), per the PROVENANCE.
    elsewhere: tuple[tuple[str, tuple[str, ...]], ...] = ()


COMPLETE_LISTS: dict[tuple[int, str], CompleteList] = {
    (2022, "Tier 1"): CompleteList(
        30, "30 Tier 1 stated by 2022_1koreanpost.txt and endslaveryandtrafficking.org; "
        "assembled from 20 pages here and 2 rows in tip-tier-pages",
        elsewhere=(("tip-tier-pages", ("ARG", "AUT")),)),
    (2024, "Tier 1"): CompleteList(
        33, "knowyourcountry's list of 33, the count koreatimes and SBS Biz state"),
    (2025, "Tier 1"): CompleteList(
        33, "the 2025 compilation's list; tribune.net.ph states 33 Tier 1"),
    (2025, "Tier 2"): CompleteList(106, "the 2025 compilation's list (106)"),
    (2025, "Tier 2 Watch List"): CompleteList(25, "the 2025 compilation's list (25)"),
    (2025, "Tier 3"): CompleteList(20, "the 2025 compilation's list (20)"),
}
SECONDARY_NOTE = (
    "from a secondary compilation: the GitHub data file {repo}:{path} at commit {short} (a "
    "third party's transcription of the 2025 TIP report, all rights reserved, read but not "
    "copied); ranked below every primary page"
)


def page_contents(text: str) -> dict[str, str]:
    """File -> the PROVENANCE table's description of what the page states (markdown dropped)."""
    return {f: re.sub(r"\*\*|`", "", c) for f, c in CONTENT_ROW.findall(text)}


def _read(files: dict[str, FetchedFile]) -> pd.DataFrame:
    validate.text_files(ID, files)
    return tables.read_table(ID, files[CSV], SCHEMA, name=CSV)


def _github_address(source_file: str, prov_text: str, row: int) -> tuple[str, str]:
    """The raw commit-pinned address for a GitHub row, and its note; it must be the PROVENANCE's."""
    m = GITHUB.match(source_file)
    if m is None:
        raise SourceError(ID, CSV, "a github: source is not 'github:owner/repo@<commit>:path'",
                          column="source_file", value=source_file, row=row)
    url = f"https://raw.githubusercontent.com/{m['repo']}/{m['commit']}/{m['path']}"
    if url not in RAW_ADDRESS.findall(prov_text):
        raise SourceError(ID, CSV, "the GitHub file's commit-pinned address is not the one "
                          "PROVENANCE.md names ('Raw: <...>')", column="source_file",
                          value=source_file, row=row)
    note = SECONDARY_NOTE.format(repo=m["repo"], path=m["path"], short=m["commit"][:7])
    return url, note


def check_counts(out: pd.DataFrame) -> None:
    """Each complete list must name the PROVENANCE's count (with its members held elsewhere)."""
    for (year, tier), spec in COMPLETE_LISTS.items():
        rows = out[(out["report_year"] == year) & (out["tier"] == tier)]
        own = set(rows["iso3"])
        elsewhere = {c for _, codes in spec.elsewhere for c in codes}
        if own & elsewhere:
            raise SourceError(ID, CSV, f"the {year} {tier} list takes these members from another "
                              "source, yet this file states them too", column="tier",
                              value=sorted(own & elsewhere))
        found = len(own) + len(elsewhere)
        if found != spec.count:
            extra = f" + {len(elsewhere)} from {', '.join(d for d, _ in spec.elsewhere)}" \
                if elsewhere else ""
            raise SourceError(ID, CSV, f"the complete {year} {tier} list names {len(own)} "
                              f"jurisdictions{extra} = {found}, but the PROVENANCE states "
                              f"{spec.count} ({spec.why})", column="tier",
                              value=f"{year} {tier}: {found}")


def parse(files: dict[str, FetchedFile]) -> Parsed:
    frame = _read(files)
    prov_text = files[PROV].path.read_text(encoding="utf-8")
    addresses = page_addresses(prov_text, ID)
    contents = page_contents(prov_text)
    urls, notes, secondary = [], [], []
    for _, row in frame.iterrows():
        line = int(row["row"])
        src = row["source_file"]
        if src.startswith("github:"):
            url, note = _github_address(src, prov_text, line)
            secondary.append(True)
        elif src in addresses:
            url = addresses[src]
            # The table's own words for the page: this is where a quirk such as Cyprus 2022
            # (heading "Tier 2", narrative "upgraded to Tier 1") stays visible on the row.
            note = f"stated on {src}: {contents[src]}" if contents.get(src) else f"stated on {src}"
            secondary.append(False)
        else:
            raise SourceError(ID, CSV, "source page not listed in PROVENANCE.md",
                              column="source_file", value=src, row=line)
        urls.append(url)
        notes.append(note)
    iso = validate.resolve_names(ID, CSV, frame, "country_name_as_published")
    years = frame["report_year"].astype(int)
    out = pd.DataFrame({
        "iso3": frame["country_name_as_published"].map(iso),
        "report_year": years,
        "tier": frame["tier"],
        "name_as_published": frame["country_name_as_published"],
        "file": CSV,
        "list_complete": [(int(y), t) in COMPLETE_LISTS
                          for y, t in zip(years, frame["tier"], strict=True)],
        "note": notes,
        "cited_url": urls,
    })[TIER_OBS_COLUMNS].assign(secondary=secondary, row=frame["row"])
    check_counts(out)
    return Parsed(tier_observations=out, rows_per_file={CSV: len(out), PROV: len(addresses)})


SOURCE = Source(
    id=ID,
    publisher="Project researchers, from stored copies of public pages (State Department, "
    "ecoi.net, press) and one secondary GitHub compilation (2025)",
    title="TIP report Tier 1 lists 2022 and 2024, all four 2025 lists",
    licence="Facts from US Department of State TIP reports (US government work); page excerpts "
    "belong to their publishers; the 2025 compilation is not copied",
    homepage="https://www.state.gov/trafficking-in-persons-report/",
    files=(SourceFile(CSV, None), SourceFile(PROV, None)),
    parse=parse,
    description="Complete Tier 1 lists for 2022 and 2024 (Tier 2 then follows by elimination) "
    "and all four 2025 lists, the latter from a secondary compilation ranked below the pages.",
)
