"""TIP Tier 2 Watch List and Tier 3 rosters as restated by the CIA World Factbook (2021–2025 editions).

Only the World entry's dated lists are used: the per-country paragraphs lag the reports.
The lists are complete for their report year, which is what lets the merge say "Tier 1 or 2"
for a ranked country that is on neither list.
"""

from __future__ import annotations

import gzip
import re
import zlib

import pandas as pd

from etl import tables, validate
from etl.countries import resolve_many
from etl.errors import SourceError
from etl.source import TIER_OBS_COLUMNS, FetchedFile, Parsed, Source, SourceFile

ID = "cia-factbook-archive-tip"
RAW = "https://raw.githubusercontent.com/MilkMp/CIA-World-Factbooks-Archive-1990-2025/b998f60a91d7de6fde80f3d4d216fa0e591a099e"
EDITIONS = {
    2021: "dcb6d75a5be7a234e4922fa0c48483408878b5977daf34394b451e19fff09a8a",
    2022: "2ff7d059803cc715f08527fb83f4a6781a3198164bea643f936aa432bb2c8051",
    2023: "fcb68732ec1a7f1e0242b5573c90d61b04ca3b1d77c2195dc14ee48be0a03a9b",
    2024: "9dc5bc75c48c4817740ceb613f50c0ea59cbd9ce0dc2bbe9ac16871d502277f7",
    2025: "5b733d9356b637fe944eb8b3f2467c0abfa8aaf0e72fe3b7cdad82b07f73ed05",
}
COUNTRIES = "countries.csv"
SCHEMA = tables.input_schema(["CountryID", "Year", "Code", "Name"])
ROW = re.compile(r"\((\d+), (\d+), (\d+), N'Trafficking in persons', N'((?:[^']|'')*)'\)")
LISTS = re.compile(
    r"Tier 2 Watch List:\s*(?:\((?P<n2>\d+) countries\))?\s*(?P<t2>.*?)\s*(?:\((?P<y2>\d{4})\))?\s*"
    r"Tier 3:\s*(?:\((?P<n3>\d+) countries\))?\s*(?P<t3>.*?)\s*(?:\((?P<y3>\d{4})\))?\s*"
    r"(?=trafficking profile|Tier 2 Watch List|$)",
    re.S,
)


def fields_file(edition: int) -> str:
    return f"country_fields_{edition}.sql.gz"


def _world_ids(files: dict[str, FetchedFile]) -> dict[int, int]:
    validate.text_files(ID, files)
    frame = tables.read_table(ID, files[COUNTRIES], SCHEMA, name=COUNTRIES)
    world = frame[(frame["Name"] == "World") & (frame["Code"].str.upper() == "XX")]
    ids = {int(y): int(c) for y, c in zip(world["Year"], world["CountryID"], strict=True)
           if y.isdigit() and int(y) in EDITIONS}
    missing = sorted(set(EDITIONS) - set(ids))
    if missing:
        raise SourceError(ID, COUNTRIES, "no World entry for editions", column="Year", value=missing)
    return ids


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _parse_edition(edition: int, fetched: FetchedFile, world_id: int) -> list[dict]:
    name = fetched.name
    try:
        text = gzip.decompress(fetched.path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(ID, name, f"not a valid gzip file: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(ID, name, f"not UTF-8 text: {exc}") from exc
    world = [m.group(4).replace("''", "'") for m in ROW.finditer(text) if int(m.group(3)) == world_id]
    if not world:
        raise SourceError(ID, name, "no 'Trafficking in persons' field for the World entry",
                          column="FieldName", value=f"CountryID {world_id}")
    rows: list[dict] = []
    for match in LISTS.finditer(world[0]):
        year = match.group("y2") or match.group("y3")
        # An undated list is the edition's own report (provenance: the 2022 edition's Tier 3
        # list matches the 22 countries counted for the 2022 report).
        report_year = int(year) if year else edition
        note = None if year else (
            f"undated list in the {edition} Factbook edition, taken to be the {edition} report"
        )
        for tier, key, count in (("Tier 2 Watch List", "t2", "n2"), ("Tier 3", "t3", "n3")):
            names = _names(match.group(key))
            stated = match.group(count)
            if stated and int(stated) != len(names):
                raise SourceError(ID, name, f"{tier} list states {stated} countries but names "
                                  f"{len(names)}", column="Content", value=match.group(key)[:120])
            rows += [dict(name=n, report_year=report_year, tier=tier, file=name, note=note)
                     for n in names]
    if not rows:
        raise SourceError(ID, name, "World entry has no tier lists", column="Content",
                          value=world[0][:160])
    return rows


def parse(files: dict[str, FetchedFile]) -> Parsed:
    ids = _world_ids(files)
    rows: list[dict] = []
    for edition in EDITIONS:
        rows += _parse_edition(edition, files[fields_file(edition)], ids[edition])
    frame = pd.DataFrame(rows)
    # Later editions repeat an earlier report's list (the 2022 edition restates 2020): keep the first.
    frame = frame.drop_duplicates(["name", "report_year", "tier"], keep="first")
    iso = resolve_many(sorted(frame["name"].unique()))
    out = pd.DataFrame({
        "iso3": frame["name"].map(iso),
        "report_year": frame["report_year"],
        "tier": frame["tier"],
        "name_as_published": frame["name"],
        "file": frame["file"],
        "list_complete": True,
        "note": frame["note"],
        "cited_url": "https://www.cia.gov/the-world-factbook/field/trafficking-in-persons",
    })[TIER_OBS_COLUMNS]
    counts = out["file"].value_counts().to_dict()
    return Parsed(tier_observations=out,
                  rows_per_file={f: int(counts.get(f, 0)) for f in files})


SOURCE = Source(
    id=ID,
    publisher="US Central Intelligence Agency, The World Factbook (archive by MilkMp)",
    title="The World Factbook: 'Trafficking in persons' field, World entry (2021–2025 editions)",
    licence="US government work, public domain in the US; archive compilation MIT",
    homepage="https://www.cia.gov/the-world-factbook/field/trafficking-in-persons",
    files=(
        *(SourceFile(fields_file(y), f"{RAW}/data/fields/{fields_file(y)}", sha256=h)
          for y, h in EDITIONS.items()),
        SourceFile(COUNTRIES, f"{RAW}/data/reference_tables/{COUNTRIES}",
                   sha256="fce8cc0267dc96365540a79f5985511f7f693bb8982414bc4da825467a746490"),
    ),
    parse=parse,
    description="Complete Tier 2 Watch List and Tier 3 lists for the 2020 and 2022–2025 reports.",
)
