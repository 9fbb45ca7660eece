"""Referral and identification funnels: Hong Kong's screening beside the UK NRM, Japan and
Singapore, stage by stage.

Every stage is its own indicator with its own unit; nothing here adds, divides or converts
them. Where a figure is stated more than once (UK revisions, two sources for one Hong Kong
year) the ETL marks the one a chart draws with ``preferred``; this module reads that column
and nothing else to choose.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import pandas as pd

from trafficking.db import query
from trafficking.queries import screening

# Hong Kong (hk_screening and the sources beside it)
HK = "HKG"
HK_SCREENED = "hk_initial_screenings"
HK_IDENTIFIED = "hk_victims_identified_screening"
# United Kingdom, National Referral Mechanism (referral-funnels)
UK = "GBR"
UK_REFERRALS = "uk_nrm_referrals"
UK_RG = "uk_nrm_rg_decisions"
UK_CG = "uk_nrm_cg_decisions"
UK_RG_SHARE = "uk_nrm_rg_positive_share"
UK_CG_SHARE = "uk_nrm_cg_positive_share"
UK_RG_POSITIVE = "uk_nrm_rg_positive"
UK_AWAITING = "uk_nrm_awaiting_cg"
UK_DTN = "uk_dtn_reports"
# Japan: two different official counts, never added
JP = "JPN"
JP_NPA = "jp_npa_victims_identified"
JP_ISA = "jp_isa_victims_protected"
# Singapore
SG = "SGP"
SG_IDENTIFIED = "sg_victims_identified"
# United States (T visas: applications, not referrals)
US = "USA"
US_T1_RECEIVED = "us_t1_applications_received"
US_APPROVED = "us_t_applications_approved"
US_DENIED = "us_t_applications_denied"

# (area, indicator) pairs each funnel chart draws, in stage order.
HK_FUNNEL = ((HK, HK_SCREENED), (HK, HK_IDENTIFIED))
UK_FUNNEL = ((UK, UK_REFERRALS), (UK, UK_RG), (UK, UK_CG), (UK, UK_RG_SHARE),
             (UK, UK_CG_SHARE))
JP_COUNTS = ((JP, JP_NPA), (JP, JP_ISA))
SG_COUNTS = ((SG, SG_IDENTIFIED),)
# Loaded and in Compare, listed in the section's definitions but not charted there.
UK_OTHER = ((UK, UK_RG_POSITIVE), (UK, UK_AWAITING), (UK, UK_DTN))
US_COUNTS = ((US, US_T1_RECEIVED), (US, US_APPROVED), (US, US_DENIED))
ALL_PAIRS = HK_FUNNEL + UK_FUNNEL + JP_COUNTS + SG_COUNTS + UK_OTHER + US_COUNTS
KEY = ["indicator", "area_code", "year"]

_OBS_SQL = """
SELECT o.indicator, o.indicator_name, o.unit, o.kind, o.indicator_publisher,
       o.area_code, coalesce(j.name, o.area_code) AS area_name, o.year, o.value, o.qualifier,
       o.edition, o.preferred, o.preferred_reason, o.quote, o.cited_url, o.note, o.source_id,
       o.source_publisher, o.source_title, o.source_address,
       strftime(o.retrieved_at, '%Y-%m-%d') AS retrieved
FROM published o
LEFT JOIN jurisdictions j ON j.iso3 = o.area_code
WHERE o.breakdown_dim = 'total'
  AND list_contains(?, o.area_code || '|' || o.indicator)
ORDER BY o.area_code, o.indicator, o.year, o.preferred DESC, o.source_id
"""
COLUMNS = [
    "indicator", "indicator_name", "unit", "kind", "indicator_publisher", "area_code", "area_name",
    "year", "value", "qualifier", "edition", "preferred", "preferred_reason", "quote",
    "cited_url", "note", "source_id", "source_publisher", "source_title", "source_address",
    "retrieved",
]


def observations(pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Every statement (preferred or not) of these (area, indicator) pairs, with its source."""
    if not pairs:
        return pd.DataFrame(columns=COLUMNS)
    return query(_OBS_SQL, [[f"{a}|{c}" for a, c in pairs]])


def split_preferred(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(charted, ambiguous): the one preferred row per figure, and the figures whose preferred
    row is not unique (the database marks two statements preferred, or none), which a chart
    must leave out rather than pick from."""
    if frame.empty:
        return frame.copy(), frame.copy()
    pref = frame[frame["preferred"].astype(bool)]
    n_pref = pref.groupby(KEY)["indicator"].transform("size")
    charted = pref[n_pref == 1]
    figures = frame[KEY].drop_duplicates()
    settled = charted[KEY].drop_duplicates()
    open_ = figures.merge(settled, on=KEY, how="left", indicator=True)
    open_ = open_[open_["_merge"] == "left_only"].drop(columns="_merge")
    ambiguous = frame.merge(open_, on=KEY)
    return charted.reset_index(drop=True), ambiguous.reset_index(drop=True)


def funnel(pairs: Sequence[tuple[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(charted, others, ambiguous) for one funnel chart: the preferred rows; every other
    statement (revisions, other publications), for the chart's hollow markers; and figures
    without a single preferred row."""
    rows = observations(pairs)
    charted, ambiguous = split_preferred(rows)
    others = rows[~rows["preferred"].astype(bool)] if not rows.empty else rows
    others = others.merge(ambiguous[KEY].drop_duplicates(), on=KEY, how="left", indicator=True)
    others = others[others["_merge"] == "left_only"].drop(columns="_merge")
    return charted, others.reset_index(drop=True), ambiguous


def revision_history(indicator: str = UK_REFERRALS, area: str = UK) -> pd.DataFrame:
    """Every statement of one indicator, years with more than one statement only."""
    rows = observations([(area, indicator)])
    if rows.empty:
        return rows
    n = rows.groupby("year")["indicator"].transform("size")
    return rows[n > 1].sort_values(["year", "preferred"], ascending=[True, False]).reset_index(
        drop=True)


def conflicts(codes: Sequence[str]) -> pd.DataFrame:
    """Statements that disagree with the preferred one and are not official revisions."""
    return query(
        "SELECT c.indicator, i.name AS indicator_name, c.area_code, c.year, c.edition, c.value, "
        "c.chosen_edition, c.chosen_value, c.reason, c.source_id "
        "FROM observation_conflicts c JOIN indicators i ON i.code = c.indicator "
        "WHERE c.indicator = ANY(?) ORDER BY c.indicator, c.area_code, c.year",
        [list(codes)])


def definitions(pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """code, name, unit, publisher, definition, what_counts, in the order of ``pairs``."""
    codes = list(dict.fromkeys(c for _, c in pairs))
    frame = query(
        "SELECT code, name, unit, publisher, definition, what_counts FROM indicators "
        "WHERE code = ANY(?)", [codes])
    order = {c: i for i, c in enumerate(codes)}
    return frame.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)


def source_line(frame: pd.DataFrame, width: int = 110) -> str:
    """'Source: publisher — title (file, retrieved date); …', wrapped with <br> for a figure."""
    return "<br>".join(textwrap.wrap(screening.source_line(frame), width=width))


def linkable(frame: pd.DataFrame, column: str = "cited_url") -> pd.DataFrame:
    """A copy whose ``column`` keeps only http(s) addresses (anything else becomes empty), so
    a link column never carries another scheme."""
    out = frame.copy()
    if column in out:
        out[column] = [u if isinstance(u, str) and u.startswith(("http://", "https://")) else None
                       for u in out[column]]
    return out
