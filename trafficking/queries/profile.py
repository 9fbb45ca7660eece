"""Everything the database holds about one jurisdiction: indicators with their latest value
and rank among peers, what is missing, the sources used and their coverage."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trafficking import vocabulary
from trafficking.db import per_file, query
from trafficking.i18n import N_, _
from trafficking.queries import compare as cmp
from trafficking.queries import responses

# A rank among fewer places than this says little; the page shows none.
MIN_PEERS = 10

_PEER_SQL = """
SELECT o.indicator, o.area_code, o.year, o.breakdown_dim, o.breakdown, o.value, o.qualifier,
       o.source_id, o.note, j.region
FROM published o JOIN jurisdictions j ON j.iso3 = o.area_code
WHERE o.is_total AND o.area_kind = 'jurisdiction'
  AND o.indicator = ? AND o.year = ?
"""


def jurisdiction(iso3: str) -> pd.Series | None:
    """iso3, name, region of one jurisdiction, or None."""
    frame = query("SELECT iso3, name, region FROM jurisdictions WHERE iso3 = ?", [iso3])
    return None if frame.empty else frame.iloc[0]


def held(iso3: str, cat: pd.DataFrame) -> pd.DataFrame:
    """Every total row for this jurisdiction, charted choice marked, with series info."""
    codes = cat.loc[cat["n_rows"] > 0, "code"].tolist()
    return cmp.with_series(cmp.pick_charted(cmp.observations(codes, [iso3])), cat)


def summary(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per series held: series, name, unit, edition, n_values, n_years, first_year,
    last_year, latest year/value/qualifier/source_id/indicator (the latest charted row)."""
    if rows.empty:
        return pd.DataFrame(columns=[
            "series", "indicator", "name", "unit", "edition", "n_values", "n_years",
            "first_year", "last_year", "year", "value", "qualifier", "source_id"])
    charted = rows[rows["charted"]]
    stats = charted.groupby("series").agg(
        n_values=("value", "count"), n_years=("year", "nunique"),
        first_year=("year", "min"), last_year=("year", "max")).reset_index()
    last = cmp.latest(charted)[["series", "indicator", "name", "unit", "edition", "year",
                                "value", "qualifier", "source_id"]]
    return last.merge(stats, on="series").sort_values("name").reset_index(drop=True)


def rank(indicator: str, year: int, iso3: str) -> dict | None:
    """Rank of ``iso3`` among jurisdictions with a number for ``indicator`` in ``year``
    (1 = highest value), worldwide and within its region; None when fewer than
    ``MIN_PEERS`` jurisdictions have one, or it has none itself.

    Returns {'rank', 'of', 'region', 'region_rank', 'region_of'}; ties share a rank.
    """
    peers = _ranked(indicator, int(year))
    if len(peers) < MIN_PEERS or iso3 not in set(peers["area_code"]):
        return None
    me = peers[peers["area_code"] == iso3].iloc[0]
    mates = peers[peers["region"] == me["region"]]
    return {"rank": int(me["rk"]), "of": len(peers), "region": str(me["region"]),
            "region_rank": int((mates["value"] > me["value"]).sum() + 1),
            "region_of": len(mates)}


@per_file(maxsize=256)
def _ranked(indicator: str, year: int) -> pd.DataFrame:
    """Jurisdictions with a charted number for the indicator and year, ranked."""
    peers = cmp.pick_charted(query(_PEER_SQL, [indicator, int(year)]))
    peers = peers[peers["charted"] & peers["value"].notna()]
    return peers.assign(rk=peers["value"].rank(method="min", ascending=False).astype(int))


def not_held(iso3: str, cat: pd.DataFrame, series_held: Sequence[str]) -> pd.DataFrame:
    """Series that other jurisdictions have values for and this one does not."""
    per_country = cat[cat["n_jurisdictions"] > 0]
    gaps = per_country[~per_country["series"].isin(set(series_held))]
    return (gaps.sort_values("n_jurisdictions", ascending=False)
            .drop_duplicates("series")[["series", "name", "unit", "publisher", "n_jurisdictions"]]
            .reset_index(drop=True))


# What a source file gives a jurisdiction (``sources_for``'s ``kind``), in words.
USED_FOR = {"values": N_("indicator values"), "tiers": N_("tier placements (after precedence)")}


def sources_for(iso3: str) -> pd.DataFrame:
    """The source files behind this jurisdiction's values and tiers, with coverage:
    source_id, dataset, publisher, title, address, retrieved_at, sha256, kind ('values' or
    'tiers'), what (``kind`` in the reader's words), n, first, last."""
    frame = query(
        """
        WITH used AS (
            SELECT source_id, 'values' AS kind, count(*) AS n,
                   min(year) AS first, max(year) AS last
            FROM published o
            WHERE area_code = ?
            GROUP BY source_id
            UNION ALL
            SELECT source_id, 'tiers' AS kind, count(*) AS n,
                   min(report_year) AS first, max(report_year) AS last
            FROM tip_tiers WHERE iso3 = ? GROUP BY source_id
        )
        SELECT u.source_id, s.dataset, s.publisher, s.title, s.address, s.retrieved_at,
               s.sha256, u.kind, u.n, u.first, u.last
        FROM used u JOIN sources s USING (source_id)
        ORDER BY u.kind DESC, u.first, u.source_id
        """,
        [iso3, iso3],
    )
    return frame.assign(what=[_(USED_FOR[k]) for k in frame["kind"]])


def government_responses(iso3: str, tiers: pd.DataFrame) -> pd.DataFrame:
    """Every published response of this government to a TIP report, by report year, with the
    tier that report gave (from ``tiers``: iso3, report_year, tier; its label in the reader's
    language) and the date as text."""
    said = responses.for_jurisdiction(iso3)
    placed = tiers[["report_year", "tier"]] if len(tiers) else pd.DataFrame(
        columns=["report_year", "tier"])
    out = said.merge(placed, on="report_year", how="left")
    return out.assign(tier=out["tier"].map(lambda t: _(vocabulary.label(t)) if isinstance(t, str)
                                           else t),
                      date=out["statement_date"].map(responses.date_text),
                      language=out["language"].map(lambda c: _(responses.LANGUAGES.get(c, c))),
                      stance=out["stance"].map(lambda s: _(s) if isinstance(s, str) else s))


def peers(iso3: str, series_codes: Sequence[str], k: int = 3) -> list[str]:
    """Up to ``k`` jurisdictions of the same region holding the most values of these
    indicators (used for the 'compare' link)."""
    if not series_codes:
        return []
    frame = query(
        """
        SELECT o.area_code, count(*) AS n
        FROM published o JOIN jurisdictions j ON j.iso3 = o.area_code
        WHERE o.area_kind = 'jurisdiction' AND o.indicator = ANY(?)
          AND o.area_code <> ?
          AND j.region = (SELECT region FROM jurisdictions WHERE iso3 = ?)
        GROUP BY o.area_code ORDER BY n DESC, o.area_code LIMIT ?
        """,
        [list(series_codes), iso3, iso3, int(k)],
    )
    return frame["area_code"].tolist()
