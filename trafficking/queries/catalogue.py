"""The indicator catalogue and the places that have values, read from the database.

Nothing here lists indicators by name: every page that uses this module works with whatever
the ETL loaded. Two conventions of the ETL are relied on:

* **editions** — a code like ``gems2022_forced_labour`` is edition 2022 of the ILO/Walk Free
  "forced labour" measure; ``ilo2012_forced_labour`` an earlier edition by another method.
  Codes sharing the part after ``<prefix><year>_`` and the unit form one *series*, drawn
  together but broken at every change of edition;
* **totals** — a value with breakdown '' is a total; for a region row the ETL stores the
  region's total under breakdown_dim 'region' with the region's name as the breakdown.

Only values from sources marked ``published`` are read (others are cross-checks only).
"""

from __future__ import annotations

import re

import pandas as pd

from trafficking.db import query

EDITION = re.compile(r"^(?P<prefix>[a-z]+?)(?P<year>(?:19|20)\d{2})_(?P<rest>[a-z0-9_]+)$")
# Region codes whose rows carry no region name; labels for readers (not figures).
REGION_LABELS = {"EU27_2020": "European Union (27 members, 2020 composition)", "WLD": "World"}

# SQL fragment: a row that is the total for its area (see the module docstring).
TOTAL_ROW = "(o.breakdown = '' OR (o.breakdown_dim = 'region' AND o.area_kind = 'region'))"
PUBLISHED = "o.source_id IN (SELECT source_id FROM sources WHERE published)"

_CATALOGUE_SQL = f"""
WITH o AS (
    SELECT o.*, {TOTAL_ROW} AS is_total FROM observations o WHERE {PUBLISHED}
)
SELECT i.code, i.name, i.unit, i.definition, i.what_counts, i.publisher, i.breakdowns,
       i.dataset,
       count(o.indicator) AS n_rows,
       count(o.value) AS n_values,
       count(o.indicator) FILTER (WHERE o.value IS NULL) AS n_without_value,
       count(DISTINCT o.area_code) FILTER (WHERE o.area_kind = 'jurisdiction') AS n_jurisdictions,
       count(DISTINCT o.area_code) FILTER (WHERE o.area_kind = 'region') AS n_regions,
       coalesce(bool_or(o.area_kind = 'world'), false) AS has_world,
       min(o.year) AS first_year,
       max(o.year) AS last_year,
       count(DISTINCT o.year) AS n_years,
       coalesce(string_agg(DISTINCT o.breakdown_dim, ', ' ORDER BY o.breakdown_dim)
                FILTER (WHERE NOT o.is_total), '') AS breakdowns_present,
       coalesce(string_agg(DISTINCT o.source_id, ', ' ORDER BY o.source_id), '') AS source_ids
FROM indicators i
LEFT JOIN o ON o.indicator = i.code
GROUP BY ALL
ORDER BY i.publisher, i.code
"""


def edition_of(code: str) -> tuple[str, int] | None:
    """('GEMS 2022', 2022) for an edition-stamped code, None for an unversioned one."""
    match = EDITION.match(code)
    if not match:
        return None
    return f"{match['prefix'].upper()} {match['year']}", int(match["year"])


def family_key(code: str, unit: str) -> str:
    """Codes with the same key are editions of one measure (same stem after the edition,
    same unit); an unversioned code is its own family."""
    match = EDITION.match(code)
    return f"{match['rest']}|{unit}" if match else f"{code}|{unit}"


def add_series(cat: pd.DataFrame) -> pd.DataFrame:
    """Add ``edition``, ``edition_year``, ``series`` (the code of the family's latest edition,
    used as the series id) and ``n_editions``. Pure: works on any frame with code and unit."""
    out = cat.copy()
    eds = [edition_of(c) for c in out["code"]]
    out["edition"] = [e[0] if e else "" for e in eds]
    out["edition_year"] = pd.array([e[1] if e else pd.NA for e in eds], dtype="Int64")
    out["family"] = [family_key(c, u) for c, u in zip(out["code"], out["unit"], strict=True)]
    latest = (out.assign(_y=out["edition_year"].fillna(0))
              .sort_values(["family", "_y", "code"]).groupby("family")["code"].last())
    out["series"] = out["family"].map(latest)
    out["n_editions"] = out.groupby("family")["code"].transform("count")
    return out


def catalogue() -> pd.DataFrame:
    """Every registered indicator with coverage: one row per code.

    Columns: code, name, unit, definition, what_counts, publisher, breakdowns, dataset,
    n_rows, n_values, n_without_value (suppressed or stated without a number),
    n_jurisdictions, n_regions, has_world, first_year, last_year, n_years,
    breakdowns_present, source_ids, source_titles, edition, edition_year, family, series,
    n_editions.
    """
    cat = query(_CATALOGUE_SQL)
    titles = query("SELECT source_id, publisher AS src_publisher, title FROM sources")
    title_of = dict(zip(titles["source_id"], titles["title"], strict=True))
    cat["source_titles"] = [
        "; ".join(sorted({title_of.get(s.strip(), s.strip()) for s in ids.split(",") if s}))
        for ids in cat["source_ids"]
    ]
    return add_series(cat)


def series_table(cat: pd.DataFrame) -> pd.DataFrame:
    """One row per series (family of editions) that has values: series, name, unit, codes
    (oldest edition first), editions, coverage. The compare page's indicator picker."""
    held = cat[cat["n_rows"] > 0]
    rows = []
    for series, part in held.groupby("series", sort=False):
        part = part.assign(_y=part["edition_year"].fillna(0)).sort_values(["_y", "code"])
        head = cat[cat["code"] == series].iloc[0]
        # Several editions: the measure's name without the latest edition's title.
        name = str(head["name"])
        if len(part) > 1 and " — " in name:
            name = name.split(" — ")[0]
        rows.append({
            "series": series, "name": name, "unit": head["unit"],
            "publisher": ", ".join(dict.fromkeys(part["publisher"])),
            "codes": part["code"].tolist(),
            "editions": [e for e in part["edition"] if e],
            "n_jurisdictions": int(part["n_jurisdictions"].max()),
            "has_regions": bool((part["n_regions"] > 0).any()),
            "has_world": bool(part["has_world"].any()),
            # Breakdown dimensions with values ('region' rows are regions' totals).
            "dims": sorted({d.strip() for b in part["breakdowns_present"] for d in
                            str(b).split(",") if d.strip() and d.strip() != "region"}),
            "first_year": int(part["first_year"].min()), "last_year": int(part["last_year"].max()),
        })
    out = pd.DataFrame(rows, columns=[
        "series", "name", "unit", "publisher", "codes", "editions", "n_jurisdictions",
        "has_regions", "has_world", "dims", "first_year", "last_year"])
    return out.sort_values(["publisher", "name"]).reset_index(drop=True)


def series_label(row: pd.Series) -> str:
    """'Name (unit) — editions A, B' for a picker."""
    label = f"{row['name']} ({row['unit']})"
    if len(row["editions"]) > 1:
        label += " — editions " + ", ".join(row["editions"])
    return label


def population_code(cat: pd.DataFrame) -> str | None:
    """The indicator holding a sourced population series (unit 'persons', 'population' in the
    code), the one with most jurisdictions if several; None when the database has none."""
    cands = cat[cat["code"].str.contains("population", case=False)
                & cat["unit"].str.strip().str.lower().isin(["persons", "people"])
                & (cat["n_values"] > 0)]
    if cands.empty:
        return None
    return str(cands.sort_values(["n_jurisdictions", "code"], ascending=[False, True])
               ["code"].iloc[0])


def areas() -> pd.DataFrame:
    """Every place with a tier or an observation: area_code, area_kind, name, region.

    Jurisdictions come from the jurisdictions table; a region's name is the region name the
    ETL stored as its breakdown; the world is 'World'.
    """
    places = query(
        f"""
        WITH o AS (SELECT * FROM observations o WHERE {PUBLISHED})
        SELECT j.iso3 AS area_code, 'jurisdiction' AS area_kind, j.name, j.region
        FROM jurisdictions j
        WHERE j.iso3 IN (SELECT iso3 FROM tip_tiers)
           OR j.iso3 IN (SELECT area_code FROM o WHERE area_kind = 'jurisdiction')
        UNION ALL
        SELECT area_code, any_value(area_kind) AS area_kind,
               coalesce(any_value(breakdown) FILTER (WHERE breakdown_dim = 'region'
                                                     AND area_kind = 'region'),
                        any_value(area_code)) AS name,
               '' AS region
        FROM o WHERE area_kind IN ('region', 'world')
        GROUP BY area_code
        """
    )
    places["name"] = [REGION_LABELS.get(c, n) if k != "jurisdiction" else n
                      for c, k, n in zip(places["area_code"], places["area_kind"], places["name"],
                                         strict=True)]
    kind_order = {"world": 0, "region": 1, "jurisdiction": 2}
    return (places.assign(_k=places["area_kind"].map(kind_order))
            .sort_values(["_k", "name"]).drop(columns="_k").reset_index(drop=True))


def area_label(row: pd.Series) -> str:
    """How a place reads in a picker: regions are marked as such."""
    if row["area_kind"] == "region":
        return f"{row['name']} (region, {row['area_code']})"
    return str(row["name"])
