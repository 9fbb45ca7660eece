"""Global estimates of modern slavery (quoted figures, by edition) and Walk Free's country
prevalence (Global Slavery Index 2023).

Each figure's programme, edition, measure and kind are facts the ETL states on its indicator
(``etl/sources/global_estimates_figures.py``: ``programme``, ``edition_year``, ``measure``,
``kind``); ``with_facts`` gives them the names the page uses, so nothing here or on the page
reads meaning out of an indicator code.
"""

from __future__ import annotations

import pandas as pd

from trafficking.db import query
from trafficking.i18n import N_

QUOTED_DATASETS = ("global-estimates-figures", "gems-ilo-estimates-quoted",
                   "global-estimates-figures-more")
GSI_DATASET = "walkfree-gsi-2023"
GSI_REGION_SCHEME = "Walk Free region"  # area_groups.scheme (etl/sources/walkfree_gsi.py)
# The schema's kinds as this page names them: a rate of the estimates is a prevalence.
KIND_NAMES = {"count": "count", "rate": "prevalence", "share": "share"}
MEASURE_LABELS = {
    "modern_slavery": N_("Modern slavery"),
    "forced_labour": N_("Forced labour"),
    "forced_labour_private": N_("Privately imposed forced labour"),
    "forced_marriage": N_("Forced marriage"),
}
EDITION_LABELS = {
    2005: N_("ILO 2005 (forced labour, 1995–2004)"),
    2012: N_("ILO 2012 (forced labour, 2002–2011)"),
    2017: N_("Global Estimates 2017 edition (2016)"),
    2022: N_("Global Estimates 2022 edition (2021)"),
}
KEY = ["indicator", "area_code", "year", "breakdown_dim", "breakdown"]
FACT_COLUMNS = ["programme", "edition_year", "measure", "indicator_kind"]

_QUOTED_SQL = """
SELECT o.indicator, o.indicator_name, o.unit, o.what_counts, o.area_code, o.area_kind,
       o.year, o.breakdown_dim, o.breakdown, o.value, o.qualifier, o.source_id, o.dataset,
       o.quote, o.cited_url, o.note, o.edition AS edition_title, o.preferred, o.preferred_reason,
       o.programme, o.edition_year, o.measure, o.kind AS indicator_kind
FROM published o
WHERE o.dataset = ANY(?) AND o.edition_year IS NOT NULL
ORDER BY o.indicator, o.year, o.breakdown_dim, o.breakdown, o.source_id
"""


def edition_label(edition: int) -> str:
    return EDITION_LABELS.get(int(edition), f"{edition} edition")


def with_facts(frame: pd.DataFrame, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """The page's columns from the indicator facts: series (the programme, 'ilo' | 'gems'),
    edition (its year), measure, kind ('count' | 'share' | 'prevalence') and their labels.

    ``frame`` carries the facts already (``FACT_COLUMNS``, as the query selects them) or takes
    them from ``indicators`` (the ETL's indicator rows: parser output in tests)."""
    out = frame.copy()
    if indicators is not None:
        facts = indicators.rename(columns={"code": "indicator", "kind": "indicator_kind"})
        out = out.drop(columns=[c for c in FACT_COLUMNS if c in out.columns]).merge(
            facts[["indicator", *FACT_COLUMNS]], on="indicator", how="left")
    out["series"] = out["programme"]
    out["edition"] = pd.to_numeric(out["edition_year"]).astype("Int64")
    out["kind"] = out["indicator_kind"].map(KIND_NAMES)
    out["measure_label"] = out["measure"].map(MEASURE_LABELS).fillna(out["measure"])
    out["edition_label"] = out["edition"].map(lambda e: edition_label(e) if pd.notna(e) else "")
    return out


def quoted_figures() -> pd.DataFrame:
    """Every quoted global / regional figure of an edition, with its facts named for the page."""
    return with_facts(query(_QUOTED_SQL, [list(QUOTED_DATASETS)])).reset_index(drop=True)


def _significant_digits(value: float) -> int:
    text = f"{value:.6g}".replace(".", "").lstrip("0")
    return len(text.rstrip("0")) if text else 0


def preferred(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per figure: where several pages quote it, the one the ETL marked ``preferred``
    (``etl/preference/estimates.py``: exact, then most precise, then the publisher's page).

    The others stay available in ``also_quoted`` ('29,000,000 — source id'), so a reader sees
    that a second page rounds differently. A frame without the column (parser output, before
    the ETL's step has run) falls back to the same order, exact and most precise first.
    """
    if frame.empty:
        return frame.assign(also_quoted=pd.Series(dtype=str))
    charted = (frame["preferred"].fillna(True).astype(bool) if "preferred" in frame.columns
               else pd.Series(True, index=frame.index))
    ranked = frame.assign(
        _charted=charted,
        _exact=frame["qualifier"].isna(),
        _digits=frame["value"].map(_significant_digits),
    ).sort_values(["_charted", "_exact", "_digits", "source_id"],
                  ascending=[False, False, False, True])
    keep = ranked.drop_duplicates(KEY, keep="first")
    others = ranked[~ranked.index.isin(keep.index)]
    also = (
        others.assign(_text=others.apply(
            lambda r: f"{r['value']:,.10g}"
            + (f" ({r['qualifier']})" if isinstance(r["qualifier"], str) else "")
            + f" — {r['source_id']}", axis=1))
        .groupby(KEY)["_text"].agg("; ".join)
    )
    keep = keep.drop(columns=["_charted", "_exact", "_digits"]).set_index(KEY)
    keep["also_quoted"] = also.reindex(keep.index).fillna("")
    return keep.reset_index()[[*frame.columns, "also_quoted"]]


def headlines(frame: pd.DataFrame) -> pd.DataFrame:
    """World totals (counts) per edition and measure, at each edition's own reference year."""
    own_year = frame.groupby("edition")["year"].max()
    rows = frame[
        (frame["area_kind"] == "world") & (frame["breakdown_dim"] == "total")
        & (frame["kind"] == "count") & (frame["year"] == frame["edition"].map(own_year))
    ]
    return preferred(rows).sort_values(["edition", "measure"]).reset_index(drop=True)


def changes(heads: pd.DataFrame, series: str = "gems") -> pd.DataFrame:
    """Difference between consecutive editions of one series, per measure (computed here)."""
    part = heads[heads["series"] == series].sort_values("edition")
    rows = []
    for measure, grp in part.groupby("measure"):
        grp = grp.reset_index(drop=True)
        for i in range(1, len(grp)):
            old, new = grp.iloc[i - 1], grp.iloc[i]
            rows.append({
                "measure": measure, "from_edition": int(old["edition"]),
                "to_edition": int(new["edition"]), "from_value": old["value"],
                "to_value": new["value"], "change": new["value"] - old["value"],
                "approximate": isinstance(old["qualifier"], str)
                or isinstance(new["qualifier"], str),
            })
    return pd.DataFrame(rows, columns=["measure", "from_edition", "to_edition", "from_value",
                                       "to_value", "change", "approximate"])


def breakdown(frame: pd.DataFrame, edition: int, dims: list[str]) -> pd.DataFrame:
    """Preferred world figures of one edition for the given breakdown dimensions (all kinds).

    Groups within a region (e.g. debt bondage in Asia and the Pacific) are not world figures:
    ``region_details`` lists them."""
    part = frame[(frame["edition"] == edition) & (frame["area_kind"] == "world")
                 & frame["breakdown_dim"].isin(dims)]
    return preferred(part).sort_values(["kind", "measure", "breakdown_dim", "value"],
                                       ascending=[True, True, True, False])


def _whole_regions(frame: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Rows about a whole region (``breakdown_dim = 'region'``, as the ETL writes them)."""
    return frame[(frame["edition"] == edition) & (frame["area_kind"] == "region")
                 & (frame["breakdown_dim"] == "region")]


def region_names(frame: pd.DataFrame, edition: int) -> list[str]:
    """The regions of one edition's scheme: every region any figure of that edition names."""
    return sorted(_whole_regions(frame, edition)["breakdown"].unique().tolist())


def region_measures(frame: pd.DataFrame, edition: int) -> list[str]:
    """Measures with a regional count or rate in this edition, in the page's order."""
    part = _whole_regions(frame, edition)
    have = set(part.loc[part["kind"].isin(["count", "prevalence"]), "measure"])
    return [m for m in MEASURE_LABELS if m in have]


def regions(frame: pd.DataFrame, edition: int, measure: str) -> pd.DataFrame:
    """Counts and prevalences of one measure and edition for whole regions (preferred figures)."""
    part = _whole_regions(frame, edition)
    part = part[(part["measure"] == measure) & part["kind"].isin(["count", "prevalence"])]
    return preferred(part)


def region_details(frame: pd.DataFrame, edition: int) -> pd.DataFrame:
    """Other regional figures of one edition: groups within a region (by sex, debt bondage) and
    a region's share of a world total (``share_of_world``), with the region's name added."""
    names = (_whole_regions(frame, edition).drop_duplicates("area_code")
             .set_index("area_code")["breakdown"])
    part = frame[(frame["edition"] == edition) & (frame["area_kind"] == "region")
                 & (frame["breakdown_dim"] != "region")]
    out = preferred(part)
    out["region"] = out["area_code"].map(names).fillna(out["area_code"])
    return out.sort_values(["region", "measure", "breakdown"]).reset_index(drop=True)


GAP_COLUMNS = ["edition", "edition_label", "measure", "measure_label", "kind", "what",
               "regions", "n_missing", "n_regions"]


def regional_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Per edition and measure: the regions of that edition's scheme whose count or rate per
    1,000 no stored page states (the chart's 'not quoted' rows), as a list (the page joins it
    in the reader's language)."""
    rows = []
    for edition in sorted(frame["edition"].dropna().astype(int).unique(), reverse=True):
        names = region_names(frame, edition)
        if not names:
            continue
        part = _whole_regions(frame, edition)
        for measure in region_measures(frame, edition):
            for kind, what in (("count", N_("number of people")),
                               ("prevalence", N_("per 1,000"))):
                have = set(part.loc[(part["measure"] == measure) & (part["kind"] == kind),
                                    "breakdown"])
                missing = [n for n in names if n not in have]
                if missing:
                    rows.append({
                        "edition": edition, "edition_label": edition_label(edition),
                        "measure": measure, "measure_label": MEASURE_LABELS[measure],
                        "kind": kind, "what": what, "regions": missing,
                        "n_missing": len(missing), "n_regions": len(names)})
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


# --- Global Slavery Index 2023 ------------------------------------------------------------------

_GSI_SQL = """
SELECT o.area_code AS iso3, j.name, o.series, o.value, g.group_name AS gsi_region, o.source_id,
       o.year, o.cited_url
FROM published o
JOIN jurisdictions j ON j.iso3 = o.area_code
LEFT JOIN area_groups g ON g.code = o.area_code AND g.scheme = ?
WHERE o.dataset = ? AND o.area_kind = 'jurisdiction'
  AND o.breakdown_dim = 'total'
"""
# Indicator series of the GSI → the page's column.
GSI_COLUMNS = {
    "gsi_prevalence": "prevalence",
    "gsi_number": "number",
    "gsi_population": "population",
    "gsi_vulnerability": "vulnerability",
    "gsi_government_response": "government_response",
}


def gsi_countries() -> pd.DataFrame:
    """One row per country in the GSI 2023 (180): iso3, name, gsi_region, prevalence, number,
    population, vulnerability, government_response, year, source_id, cited_url.

    A country assessed by Walk Free but with no estimate keeps its row with NaN prevalence and
    number; pages must show that as "no estimate", never as zero.
    """
    long = query(_GSI_SQL, [GSI_REGION_SCHEME, GSI_DATASET])
    cols = ["iso3", "name", "gsi_region", *GSI_COLUMNS.values(), "year", "source_id", "cited_url"]
    if long.empty:
        return pd.DataFrame(columns=cols)
    wide = long.pivot_table(index="iso3", columns="series", values="value", aggfunc="first")
    wide = wide.rename(columns=GSI_COLUMNS).reindex(columns=list(GSI_COLUMNS.values()))
    first = long.sort_values("series").groupby("iso3").agg(
        name=("name", "first"), gsi_region=("gsi_region", "first"), year=("year", "first"),
        source_id=("source_id", "first"), cited_url=("cited_url", "first"))
    out = first.join(wide).reset_index()
    return out[cols].sort_values("name").reset_index(drop=True)


def ranked(countries: pd.DataFrame) -> pd.DataFrame:
    """Countries by prevalence, highest first; those with no estimate last, unranked."""
    has = countries["prevalence"].notna()
    est = countries[has].sort_values("prevalence", ascending=False).copy()
    est["rank"] = range(1, len(est) + 1)
    none = countries[~has].sort_values("name").copy()
    none["rank"] = pd.NA
    out = pd.concat([est, none], ignore_index=True)
    out["rank"] = out["rank"].astype("Int64")
    out["prevalence_text"] = out["prevalence"].map(
        lambda v: N_("no estimate") if pd.isna(v) else f"{v:.1f}")
    out["number_text"] = out["number"].map(
        lambda v: N_("no estimate") if pd.isna(v) else f"{v:,.0f}")
    out["vulnerability_text"] = out["vulnerability"].map(
        lambda v: N_("no score") if pd.isna(v) else f"{v:.1f}")
    out["response_text"] = out["government_response"].map(
        lambda v: N_("not assessed") if pd.isna(v) else f"{v:.1f}")
    return out


def missing_data_notes() -> list[str]:
    """What the mirror does not hold, from the snapshots' own 'Known gaps' (shown on the page,
    translated there: the sentences are marked for the catalogue)."""
    return [
        N_("Regional figures no stored page states are listed in the table below (the region "
           "charts show them as 'not quoted')."),
        N_("2017 edition (2016): forced commercial sexual exploitation by sex and age."),
        N_("2022 edition (2021): forced labour by sector (agriculture, construction, domestic "
           "work …)."),
        N_("Global Slavery Index 2018 (country estimates for 2016): no machine-readable copy in "
           "the mirror, so country prevalence is shown for 2021 only."),
    ]
