"""What every source module declares, and what its parser hands back to the loader."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class SourceFile:
    """One raw file a source needs.

    ``url`` is the official public address; ``None`` marks a file compiled by this project's
    researchers (quotes gathered from public pages) that exists only in the shared snapshots,
    so it can be read only through a mirror.
    """

    name: str
    url: str | None
    sha256: str | None = None  # pinned only where the address is immutable (a commit, a release)


@dataclass(frozen=True)
class FetchedFile:
    """A raw file on local disk, with the facts recorded in the ``sources`` table."""

    source: str
    name: str
    path: Path
    url: str | None
    fetched_from: str
    via: str
    sha256: str
    bytes: int
    retrieved_at: str

    @property
    def source_id(self) -> str:
        return f"{self.source}/{self.name}"


# Column sets each parser output must carry; the loader checks them before inserting.
TIER_OBS_COLUMNS = [
    "iso3", "report_year", "tier", "name_as_published", "file", "list_complete", "note", "cited_url",
]
INDICATOR_COLUMNS = [
    "code", "name", "unit", "definition", "what_counts", "publisher", "breakdowns",
    "series", "edition", "edition_year", "programme", "measure", "kind", "rate_base", "role",
    "label",
]
AREA_GROUP_COLUMNS = ["scheme", "code", "group_name", "file"]

OBSERVATION_COLUMNS = [
    "indicator", "area_code", "area_kind", "year", "breakdown_dim", "breakdown", "value",
    "qualifier", "file", "quote", "cited_url", "note",
]
# Optional parser columns, with the value the loader uses when a parser leaves them out.
TIER_OBS_OPTIONAL = {"secondary": False}
OBSERVATION_OPTIONAL = {"edition": None, "preferred": True, "preferred_reason": None,
                        "series_break": False}
OBS_CONFLICT_COLUMNS = [
    "indicator", "area_code", "year", "breakdown_dim", "breakdown", "file", "edition", "value",
    "chosen_file", "chosen_edition", "chosen_value", "reason",
]
RESPONSE_COLUMNS = [
    "iso3", "report_year", "statement_date", "publisher", "title", "cited_url", "stance",
    "stance_quote", "figures_cited", "language", "file", "note",
]


def indicator_frame(specs: Iterable[Mapping[str, object]], **common: object) -> pd.DataFrame:
    """Indicator rows as the loader takes them, from a source's own declarations.

    Each spec states at least code, name, unit, definition, what_counts, breakdowns, measure
    and kind (``common`` adds what all share, e.g. the publisher); keys that are not indicator
    columns are ignored. An indicator that states no series is a series of its own (series =
    code) and one that states no label is labelled by its name; edition, edition_year,
    programme, rate_base and role are NULL unless stated. The validator rejects a missing kind
    or measure.
    """
    rows = []
    for spec in specs:
        row = {**common, **{k: v for k, v in spec.items() if k in INDICATOR_COLUMNS}}
        row.setdefault("series", row.get("code"))
        row.setdefault("label", row.get("name"))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS).astype(object)
    return frame.where(frame.notna(), None)


def with_observation_facts(frame: pd.DataFrame) -> pd.DataFrame:
    """Parser output with ``is_total`` stated: a row is its area's total when it has no
    breakdown, or when it is a region's own row (breakdown_dim 'region' on a region area, the
    region's name in ``breakdown``). A parser may state it itself."""
    if "is_total" in frame.columns:
        return frame
    total = (frame["breakdown"] == "") | ((frame["breakdown_dim"] == "region")
                                          & (frame["area_kind"] == "region"))
    return frame.assign(is_total=total.astype(bool))


@dataclass
class Parsed:
    """What a source's parser returns: any of these kinds of rows, as DataFrames.

    ``file`` columns name one of the source's own files; the loader turns them into source ids.
    ``observation_conflicts`` are disagreements the parser found between its own rows.
    """

    tier_observations: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    observations: pd.DataFrame | None = None
    observation_conflicts: pd.DataFrame | None = None
    government_responses: pd.DataFrame | None = None
    map_shapes: pd.DataFrame | None = None  # the map geometry's outlines and dots (world-geometry)
    area_groups: pd.DataFrame | None = None  # a publisher's own regions (AREA_GROUP_COLUMNS)
    rows_per_file: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """A publisher's dataset: who made it, where it lives, and how to read it."""

    id: str
    publisher: str
    title: str
    licence: str
    homepage: str
    files: tuple[SourceFile, ...]
    parse: Callable[[dict[str, FetchedFile]], Parsed]
    description: str = ""
    # A source whose values may only be used for cross-checks (e.g. "all rights reserved").
    publish: bool = True
    # Folder under the mirror root holding this source's files (default: the source id);
    # e.g. "../geo" for the map geometry kept beside the raw snapshots.
    mirror_subdir: str | None = None
    # Files copied as they are into ``static/`` once the database is published (map geometry).
    static_files: tuple[str, ...] = ()

    @property
    def mirror_only(self) -> bool:
        return all(f.url is None for f in self.files)
