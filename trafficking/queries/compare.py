"""Values of chosen indicators for chosen places, with their sources; and the pure steps the
compare page needs between the database and a chart: one charted value per point (the ETL's
``preferred`` statement), latest values, and where a series changes definition."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trafficking.db import query
from trafficking.i18n import _

_OBS_SQL = """
SELECT o.indicator, o.area_code, o.area_kind, o.year, o.breakdown_dim, o.breakdown, o.value,
       o.qualifier, o.source_id, o.quote, o.cited_url, o.note, o.preferred, o.preferred_reason,
       o.edition AS stated_in, o.is_total, o.series_break, o.source_publisher,
       o.source_title, o.source_address, o.retrieved_at, o.sha256
FROM published o
WHERE o.indicator = ANY(?) AND o.area_code = ANY(?)
"""
OBS_COLUMNS = [
    "indicator", "area_code", "area_kind", "year", "breakdown_dim", "breakdown", "value",
    "qualifier", "source_id", "quote", "cited_url", "note", "preferred", "preferred_reason",
    "stated_in", "is_total", "series_break", "source_publisher",
    "source_title", "source_address", "retrieved_at", "sha256",
]


def observations(codes: Sequence[str], area_codes: Sequence[str],
                 totals_only: bool = True) -> pd.DataFrame:
    """Every published row for these indicators and places, with its source file's facts."""
    if not codes or not area_codes:
        return pd.DataFrame(columns=OBS_COLUMNS)
    sql = _OBS_SQL + (" AND o.is_total" if totals_only else "")
    sql += " ORDER BY o.indicator, o.area_code, o.year, o.source_id"
    return query(sql, [list(codes), list(area_codes)])


def population(code: str | None, area_codes: Sequence[str]) -> pd.DataFrame:
    """area_code, year, value of the population indicator (total rows), for per-capita."""
    if code is None or not area_codes:
        return pd.DataFrame(columns=["area_code", "year", "value", "source_id"])
    return query(
        "SELECT o.area_code, o.year, o.value, o.source_id FROM published o "
        "WHERE o.indicator = ? AND o.area_code = ANY(?) AND o.is_total "
        "AND o.value IS NOT NULL ORDER BY o.area_code, o.year",
        [code, list(area_codes)],
    )


def pick_charted(frame: pd.DataFrame) -> pd.DataFrame:
    """Mark one row per (indicator, area, year, breakdown) as the charted one.

    Some figures are stated more than once (a rounded government figure and an exact report
    figure; several report editions). The ETL's ``preferred`` column says which one to draw;
    for a frame without it (or rows the ETL left all preferred), a figure without a qualifier
    beats an approximate one, then a row with a number beats one without, then source order.
    Adds ``charted`` and ``n_alternatives``.
    """
    out = frame.copy()
    if out.empty:
        out["charted"] = pd.Series(dtype=bool)
        out["n_alternatives"] = pd.Series(dtype=int)
        return out
    preferred = (out["preferred"].fillna(True).astype(bool) if "preferred" in out
                 else pd.Series(True, index=out.index))
    out["_k1"] = (~preferred).astype(int)
    out["_k2"] = out["qualifier"].notna().astype(int)
    out["_k3"] = out["value"].isna().astype(int)
    keys = ["indicator", "area_code", "year", "breakdown_dim", "breakdown"]
    out = out.sort_values(keys + ["_k1", "_k2", "_k3", "source_id"], kind="stable")
    out["charted"] = ~out.duplicated(keys, keep="first")
    out["n_alternatives"] = out.groupby(keys)["indicator"].transform("size") - 1
    return out.drop(columns=["_k1", "_k2", "_k3"]).reset_index(drop=True)


def with_series(frame: pd.DataFrame, cat: pd.DataFrame) -> pd.DataFrame:
    """Join series, edition, name, unit, kind and rate base from the catalogue onto
    observation rows."""
    info = cat[["code", "series", "edition", "edition_year", "name", "unit", "kind",
                "rate_base"]].rename(columns={"code": "indicator"})
    return frame.merge(info, on="indicator", how="left")


def latest(frame: pd.DataFrame) -> pd.DataFrame:
    """The charted row of the latest year per (series, area) — a number or a suppressed
    value, whichever is latest (a suppressed latest value is shown as suppressed)."""
    charted = frame[frame["charted"]] if "charted" in frame else frame
    if charted.empty:
        return charted
    return (charted.sort_values(["series", "area_code", "year"])
            .groupby(["series", "area_code"], as_index=False).tail(1).reset_index(drop=True))


def definition_breaks(frame: pd.DataFrame) -> pd.DataFrame:
    """Where each series changes definition: series, year, kind ('edition' or 'definition'),
    label, text (label and text in the reader's language).

    A new edition (a different indicator code within the series) breaks the series at its
    first year; so does a row the ETL marks ``series_break`` (its source says the definition
    changed there; the row's note says how).
    """
    cols = ["series", "year", "kind", "label", "text"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for series, part in frame.groupby("series"):
        firsts = (part.groupby(["indicator", "edition"], dropna=False)["year"].min()
                  .reset_index().sort_values(["year", "indicator"]))
        prev = None
        for _i, r in firsts.iterrows():
            if prev is not None:
                edition = r["edition"] or r["indicator"]
                rows.append({
                    "series": series, "year": int(r["year"]), "kind": "edition",
                    "label": _("New edition: {edition}").format(edition=edition),
                    "text": _("{edition} uses a different method or coverage from {previous}: "
                              "values before and after this line are not comparable.").format(
                        edition=edition, previous=prev),
                })
            prev = r["edition"] or r["indicator"]
        flagged = (part["series_break"].fillna(False).astype(bool) if "series_break" in part
                   else pd.Series(False, index=part.index))
        for _i, r in part[flagged].drop_duplicates(["indicator", "year"]).iterrows():
            rows.append({"series": series, "year": int(r["year"]), "kind": "definition",
                         "label": _("Definition changes"),
                         "text": str(r["note"]) if pd.notna(r["note"]) else
                         _("The source says the definition or method changed here.")})
    return pd.DataFrame(rows, columns=cols).drop_duplicates(["series", "year", "kind", "label"])


def segment(frame: pd.DataFrame, breaks: pd.DataFrame) -> pd.Series:
    """A segment number per row: a new segment starts at each edition (indicator code) and at
    each definition break, so a line is never drawn across one."""
    if frame.empty:
        return pd.Series(dtype=int)
    seg = pd.Series(0, index=frame.index)
    for series, part in frame.groupby("series"):
        cuts = sorted(breaks.loc[(breaks["series"] == series)
                                 & (breaks["kind"] == "definition"), "year"])
        codes = {c: i for i, c in enumerate(
            part.groupby("indicator")["year"].min().sort_values().index)}
        for idx, code, year in zip(part.index, part["indicator"], part["year"], strict=True):
            seg[idx] = codes[code] * 100 + sum(1 for c in cuts if year >= c)
    return seg


def missing_pairs(frame: pd.DataFrame, series: Sequence[str],
                  areas: Sequence[str]) -> list[tuple[str, str]]:
    """(series, area) pairs chosen on the page that have no row at all in the database."""
    have = set(zip(frame["series"], frame["area_code"], strict=True)) if len(frame) else set()
    return [(s, a) for s in series for a in areas if (s, a) not in have]


def areas_holding(codes: Sequence[str], area_codes: Sequence[str]) -> pd.DataFrame:
    """indicator, n_areas: how many of these places have any row of each indicator."""
    if not codes or not area_codes:
        return pd.DataFrame(columns=["indicator", "n_areas"])
    return query(
        "SELECT o.indicator, count(DISTINCT o.area_code) AS n_areas FROM published o "
        "WHERE o.indicator = ANY(?) AND o.area_code = ANY(?) "
        "GROUP BY o.indicator", [list(codes), list(area_codes)])


def default_series(series_tab: pd.DataFrame, cat: pd.DataFrame, area_codes: Sequence[str],
                   exclude: str | None = None) -> str:
    """The series held for most of these places, then for most jurisdictions overall (never
    the population series when another exists)."""
    pool = series_tab[series_tab["series"] != exclude]
    pool = series_tab if pool.empty else pool
    held = areas_holding(cat["code"].tolist(), area_codes)
    series_of = dict(zip(cat["code"], cat["series"], strict=True))
    n_areas = held.assign(series=held["indicator"].map(series_of)).groupby("series")[
        "n_areas"].max()
    ranked = pool.assign(n_areas=pool["series"].map(n_areas).fillna(0)).sort_values(
        ["n_areas", "n_jurisdictions", "series"], ascending=[False, False, True])
    return str(ranked["series"].iloc[0])


def split_by_breakdown(frame: pd.DataFrame, names: dict[str, str]) -> tuple[pd.DataFrame,
                                                                          dict[str, str]]:
    """One line per place and breakdown value: area_code becomes 'HKG|female' and the name
    'Hong Kong — female' (the real code stays in ``place_code``)."""
    out = frame.copy()
    out["place_code"] = out["area_code"]
    out["area_code"] = out["area_code"] + "|" + out["breakdown"].astype(str)
    labels = {f"{a}|{b}": f"{names.get(a, a)} — {b}"
              for a, b in zip(out["place_code"], out["breakdown"], strict=True)}
    order = {a: i for i, a in enumerate(names)}
    labels = dict(sorted(labels.items(), key=lambda kv: (order.get(kv[0].split("|")[0], 99),
                                                         kv[1])))
    return out, labels
