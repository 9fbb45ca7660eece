"""Screening counts, identified/detected victims and worldwide law-enforcement totals.

Hong Kong's figures come from three compiled sources (``hk_screening``, ``hk-screening-more``,
``hk-government-figures``); where several statements give one year's figure, the ETL marks one
``preferred`` (exact TIP figure over a rounded government figure, and so on; the reason is in
``preferred_reason``) and the charts use only those rows. Worldwide totals are stated by several
TIP report editions; the ETL prefers the latest edition and the charts show the others on
hover. The TIP report of year N covers calendar year N-1, so the tier shown beside data year Y
is the placement in report Y+1 (``REPORT_LAG``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trafficking.db import query
from trafficking.i18n import _

HK = "HKG"
REPORT_LAG = 1  # data year Y is assessed in the TIP report of year Y + 1
FIRST_SCREENING_YEAR = 2016  # Hong Kong's two-tier screening mechanism started in 2016
SCREENINGS = "hk_initial_screenings"
VICTIMS_SCREENED = "hk_victims_identified_screening"
VICTIMS_ALL = "hk_victims_identified_total"
HK_CODES = (SCREENINGS, VICTIMS_SCREENED, VICTIMS_ALL)
SHARE_SCREENED = "hk_victims_identified_share_screened"
CASES_REPORTED = "hk_trafficking_cases_reported"
# Hong Kong figures of other kinds: a share and case counts, never drawn with the counts.
HK_OTHER_CODES = (SHARE_SCREENED, CASES_REPORTED)
# How a qualifier moves a rate computed from it: a lower-bound denominator bounds it above.
RATE_MARK = {"approximately": "≈", "more than": "≤", "less than": "≥"}
# Victim-count series that can be set side by side (each keeps its own definition).
VICTIM_SERIES = (VICTIMS_SCREENED, VICTIMS_ALL, "glotip_detected_victims",
                 "eurostat_registered_victims")
SCREENING_SERIES = (SCREENINGS,)  # the only screening counts in the mirror
WORLD_CODES = ("tip_global_prosecutions", "tip_global_convictions",
               "tip_global_victims_identified")
RATE_PER_MILLION = "eurostat_registered_victims_per_million"

# Every value row with what a reader needs to trace it: indicator, source file and its address.
_OBS_SQL = """
SELECT o.indicator, o.indicator_name, o.unit, o.indicator_publisher, o.dataset,
       o.area_code, o.area_kind, COALESCE(a.name, o.area_code) AS area_name, o.year,
       o.breakdown_dim, o.breakdown, o.value, o.qualifier, o.quote, o.cited_url, o.note,
       o.edition, o.preferred, o.preferred_reason, o.source_id,
       o.source_publisher, o.source_title, o.source_address, s.fetched_from, o.sha256,
       strftime(o.retrieved_at, '%Y-%m-%d') AS retrieved
FROM published o
JOIN sources s ON s.source_id = o.source_id
LEFT JOIN areas a ON a.code = o.area_code
"""


def observations(codes: Sequence[str], areas: Sequence[str] | None = None,
                 totals_only: bool = True) -> pd.DataFrame:
    """Value rows of the given indicators (optionally some areas), totals unless told otherwise."""
    sql = _OBS_SQL + "WHERE o.indicator = ANY(?)"
    params: list = [list(codes)]
    if areas is not None:
        sql += " AND o.area_code = ANY(?)"
        params.append(list(areas))
    if totals_only:
        sql += " AND o.breakdown_dim = 'total'"
    return query(sql + " ORDER BY o.indicator, o.area_code, o.year", params)


def definitions(codes: Sequence[str]) -> pd.DataFrame:
    """code, name, unit, publisher, definition, what_counts for the given indicators."""
    return query(
        "SELECT code, name, unit, publisher, definition, what_counts, dataset FROM indicators "
        "WHERE code = ANY(?) ORDER BY code", [list(codes)])


def is_charted(frame: pd.DataFrame) -> pd.Series:
    """Rows a chart draws: the ETL's ``preferred`` statement of each figure."""
    return frame["preferred"].fillna(True).astype(bool)


def hk_observations() -> pd.DataFrame:
    """All Hong Kong screening and victim counts (charted and not), each with its source."""
    return observations(HK_CODES, [HK])


def hk_other_observations() -> pd.DataFrame:
    """Hong Kong's share identified of those screened, and trafficking cases reported."""
    return observations(HK_OTHER_CODES, [HK])


def hk_years(frame: pd.DataFrame) -> list[int]:
    """Every year from the start of the screening mechanism to the latest figure (gaps kept)."""
    if frame.empty:
        return []
    return list(range(min(FIRST_SCREENING_YEAR, int(frame["year"].min())),
                      int(frame["year"].max()) + 1))


def hk_wide(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per year (missing years included, as NaN) with the charted value of each series.

    Columns: year, then per series code ``<code>``, ``<code>_qualifier``, ``<code>_source``
    (the note, which names the publisher and title), ``<code>_url``, ``<code>_quote`` and
    ``<code>_reason`` (why this statement is the charted one).
    """
    out = pd.DataFrame({"year": hk_years(frame)})
    charted = frame[is_charted(frame)]
    for code in HK_CODES:
        part = charted[charted["indicator"] == code].set_index("year")
        if part.index.has_duplicates:
            raise ValueError(f"two charted rows for {code} in one year")
        out[code] = out["year"].map(part["value"]).astype(float)
        out[code + "_qualifier"] = out["year"].map(part["qualifier"])
        out[code + "_source"] = out["year"].map(part["note"])
        out[code + "_url"] = out["year"].map(part["cited_url"])
        out[code + "_quote"] = out["year"].map(part["quote"])
        out[code + "_reason"] = out["year"].map(part["preferred_reason"])
    return out


def identification_rate(victims: pd.Series, screenings: pd.Series) -> pd.Series:
    """Victims per 1,000 screenings; NaN where either figure is missing or screenings is 0."""
    v = pd.to_numeric(victims, errors="coerce").astype(float)
    s = pd.to_numeric(screenings, errors="coerce").astype(float)
    rate = v / s.where(s > 0) * 1000.0
    return rate.replace([np.inf, -np.inf], np.nan)


def rate_mark(victims_qualifier: object, screenings_qualifier: object) -> str:
    """'' for a rate from two exact figures; '≈' (a rounded figure), '≤' (screenings a lower
    bound: the rate is at most this), '≥' (the reverse)."""
    def q(v: object) -> str | None:
        return v if isinstance(v, str) and v else None
    vq, sq = q(victims_qualifier), q(screenings_qualifier)
    marks = set()
    if sq:
        marks.add(RATE_MARK.get(sq, "≈"))
    if vq:  # a bound on the numerator moves the rate the same way
        marks.add({"more than": "≥", "less than": "≤"}.get(vq, "≈"))
    if not marks:
        return ""
    return marks.pop() if len(marks) == 1 else "≈"


def hk_rates(wide: pd.DataFrame) -> pd.DataFrame:
    """year, rate, approximate (a rounded or bounded figure went into it), mark ('', '≈', '≤',
    '≥'), victims, screenings, screenings_qualifier."""
    rate = identification_rate(wide[VICTIMS_SCREENED], wide[SCREENINGS])
    marks = [rate_mark(v, s) if pd.notna(r) else "" for v, s, r in zip(
        wide[VICTIMS_SCREENED + "_qualifier"], wide[SCREENINGS + "_qualifier"], rate,
        strict=True)]
    return pd.DataFrame({
        "year": wide["year"], "rate": rate,
        "approximate": pd.Series([m != "" for m in marks], index=wide.index) & rate.notna(),
        "mark": marks,
        "victims": wide[VICTIMS_SCREENED], "screenings": wide[SCREENINGS],
        "screenings_qualifier": wide[SCREENINGS + "_qualifier"],
    })


def tiers_for(iso3: str) -> pd.DataFrame:
    """report_year, data_year (= report_year - 1), tier, source_id for one jurisdiction."""
    frame = query(
        "SELECT t.report_year, t.tier, t.source_id, t.note, s.title AS source_title "
        "FROM tip_tiers t JOIN sources s USING (source_id) WHERE t.iso3 = ? "
        "ORDER BY t.report_year", [iso3])
    return frame.assign(data_year=frame["report_year"] - REPORT_LAG)


def compare_choices() -> pd.DataFrame:
    """Jurisdictions with at least one victim-count value: iso3, name, series (comma list)."""
    return query(
        "SELECT o.area_code AS iso3, j.name, "
        "string_agg(DISTINCT o.indicator, ',' ORDER BY o.indicator) AS series "
        "FROM published o JOIN jurisdictions j ON j.iso3 = o.area_code "
        "WHERE o.indicator = ANY(?) AND o.breakdown_dim = 'total' AND o.value IS NOT NULL "
        "GROUP BY ALL ORDER BY j.name", [list(VICTIM_SERIES + SCREENING_SERIES)])


def compare_series(areas: Sequence[str]) -> pd.DataFrame:
    """Victim counts and screening counts of the chosen jurisdictions, charted rows only.

    Keeps censored rows (value NULL with a qualifier) so the page can list them; a label column
    names each series by jurisdiction and definition.
    """
    frame = observations(VICTIM_SERIES + SCREENING_SERIES, list(areas))
    frame = frame[is_charted(frame)].copy()
    frame["series"] = frame["area_name"] + " — " + frame["indicator_name"]
    return frame.reset_index(drop=True)


def screening_coverage(areas: Sequence[str], frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(with, without): which chosen jurisdictions have a screening count in the data."""
    has = set(frame.loc[frame["indicator"].isin(SCREENING_SERIES) & frame["value"].notna(),
                        "area_code"])
    return [a for a in areas if a in has], [a for a in areas if a not in has]


def rates_per_screened(frame: pd.DataFrame) -> pd.DataFrame:
    """area_code, area_name, year, rate for every jurisdiction-year with both figures."""
    rows = []
    for area, part in frame.groupby("area_code"):
        scr_rows = part[part["indicator"].isin(SCREENING_SERIES)].set_index("year")
        vic_rows = part[part["indicator"] == VICTIMS_SCREENED].set_index("year")
        scr, vic = scr_rows["value"], vic_rows["value"]
        years = sorted(set(scr.dropna().index) & set(vic.dropna().index))
        for y in years:
            rows.append({"area_code": area, "area_name": part["area_name"].iloc[0], "year": y,
                         "rate": float(identification_rate(pd.Series([vic[y]]),
                                                           pd.Series([scr[y]])).iloc[0]),
                         "approximate": bool(pd.notna(scr_rows.loc[y, "qualifier"])
                                             or pd.notna(vic_rows.loc[y, "qualifier"]))})
    return pd.DataFrame(rows, columns=["area_code", "area_name", "year", "rate", "approximate"])


def rates_per_million() -> pd.DataFrame:
    """Eurostat registered victims per million inhabitants (quoted figures), all areas."""
    return observations([RATE_PER_MILLION])


def worldwide() -> pd.DataFrame:
    """TIP report worldwide prosecutions, convictions, victims: totals and labour subsets, every
    edition's statement (``preferred`` marks the charted one), with ``other_editions``."""
    return with_other_editions(observations(WORLD_CODES, ["WLD"], totals_only=False))


def by_dataset(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``source_id`` shortened to its dataset and file count, so a source note
    names each source once ('tip-global-…-latest, 7 files') rather than every page excerpt
    (``dataset`` is the query's column: a source id is never taken apart)."""
    if frame is None or frame.empty:
        return frame
    dataset = frame["dataset"]
    n_files = frame.groupby(dataset)["source_id"].transform("nunique")
    label = dataset.where(n_files == 1, dataset + ", " + n_files.astype(str) + " files")
    return frame.assign(source_id=frame["source_id"].where(n_files == 1, label))


def world_conflicts() -> pd.DataFrame:
    """Worldwide figures two statements give differently: one row per losing statement."""
    return query(
        "SELECT i.name AS indicator_name, c.year, c.breakdown, c.edition, c.value, "
        "c.chosen_edition, c.chosen_value, c.reason, c.source_id, c.chosen_source_id "
        "FROM observation_conflicts c JOIN indicators i ON i.code = c.indicator "
        "WHERE c.indicator = ANY(?) AND c.area_code = 'WLD' ORDER BY c.indicator, c.year",
        [list(WORLD_CODES)])


def with_other_editions(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``other_editions``: on each row, what the other statements of the same figure say
    ('2024 TIP report: 118,932 (greenlightoperation.org)'), '' when there are none; and
    ``differs``: another statement gives a different value (a revision or a misprint)."""
    out = frame.copy()
    if out.empty:
        out["other_editions"] = pd.Series(dtype=object)
        out["differs"] = pd.Series(dtype=bool)
        return out
    keys = ["indicator", "area_code", "year", "breakdown_dim", "breakdown"]

    def said(row: pd.Series) -> str:
        where = row["cited_url"] if isinstance(row["cited_url"], str) else row["source_id"]
        host = str(where).split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
        value = _("no number") if pd.isna(row["value"]) else f"{row['value']:,.0f}"
        return _("{edition}: {value} ({host})").format(
            edition=row["edition"] or _("edition not stated"), value=value, host=host)

    labels = out.apply(said, axis=1)
    others = pd.Series("", index=out.index, dtype=object)
    differs = pd.Series(False, index=out.index)
    for _key, idx in out.groupby(keys, dropna=False).groups.items():
        for i in idx:
            others[i] = _("; ").join(labels[j] for j in idx if j != i)
            differs[i] = any(out.at[j, "value"] != out.at[i, "value"] for j in idx if j != i)
    out["differs"] = differs
    out["other_editions"] = others
    return out


def table(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Every figure shown on the page, one row each, with quote and addresses."""
    parts = [f for f in frames if f is not None and not f.empty]
    if not parts:
        return pd.DataFrame()
    frame = pd.concat(parts, ignore_index=True).drop_duplicates(
        ["indicator", "area_code", "year", "breakdown_dim", "breakdown", "source_id", "quote",
         "cited_url"])
    frame = frame.assign(charted=is_charted(frame))
    return frame.sort_values(["area_name", "indicator_name", "year"]).reset_index(drop=True)


def source_line(frame: pd.DataFrame) -> str:
    """'Source: publisher — title (file, retrieved date); …' for the rows a chart draws
    (one line: the chart's source note wraps it to its own width)."""
    if frame is None or frame.empty:
        return _("Source: none (no figures in the database)")
    cols = ["indicator_publisher", "source_title", "source_id", "retrieved"]
    parts = [_("{publisher} — {title} ({file}, retrieved {date})").format(
        publisher=p, title=t, file=s, date=r)
        for p, t, s, r in frame[cols].drop_duplicates().itertuples(index=False)]
    return _("Source: {sources}").format(sources=_("; ").join(parts))


def year_span(code: str) -> tuple[int, int] | None:
    """(first, last) year with any row of an indicator, or None."""
    frame = query("SELECT min(year) AS lo, max(year) AS hi FROM published WHERE indicator = ?",
                  [code])
    if frame.empty or pd.isna(frame["lo"].iloc[0]):
        return None
    return int(frame["lo"].iloc[0]), int(frame["hi"].iloc[0])


def stated_twice(frame: pd.DataFrame) -> pd.DataFrame:
    """Every statement of a figure (indicator and year) that more than one statement gives,
    with ``charted``: the figures a reader sees side by side in 'Years stated by two sources'."""
    if frame.empty:
        return frame.assign(charted=pd.Series(dtype=bool))
    out = frame.assign(charted=is_charted(frame))
    uncharted = out.loc[~out["charted"], ["indicator", "year"]].drop_duplicates()
    return out.merge(uncharted, on=["indicator", "year"]).reset_index(drop=True)


def gap_years(wide: pd.DataFrame) -> tuple[list[int], list[int]]:
    """(years without a screening count, years without victims identified through screening)."""
    return ([int(y) for y in wide.loc[wide[SCREENINGS].isna(), "year"]],
            [int(y) for y in wide.loc[wide[VICTIMS_SCREENED].isna(), "year"]])


def suppressed(frame: pd.DataFrame) -> dict[str, list[int]]:
    """Area name → years whose count the publisher gives only as a qualifier ('<5'), no value."""
    if frame.empty:
        return {}
    censored = frame[frame["value"].isna() & frame["qualifier"].notna()]
    return {str(area): sorted(int(y) for y in part["year"])
            for area, part in censored.groupby("area_name")}


def year_runs(years: Sequence[int]) -> str:
    """'2003–2010, 2013' for a set of years; 'no year' when empty."""
    ordered = sorted({int(y) for y in years})
    if not ordered:
        return _("no year")
    runs: list[str] = []
    start = prev = ordered[0]
    for y in [*ordered[1:], None]:
        if y is None or y != prev + 1:
            runs.append(f"{start}–{prev}" if prev > start else str(start))
            start = y if y is not None else start
        prev = y if y is not None else prev
    return _(", ").join(runs)


def world_gaps(world: pd.DataFrame) -> dict:
    """What the worldwide series lack: ``last`` data year, the ``last_editions`` its charted
    figures come from, ``no_victims`` (years without a victims total) and ``labour_victims``
    (years whose victims figure has a labour part)."""
    victims = world[world["indicator"] == "tip_global_victims_identified"]
    totals = set(victims.loc[victims["breakdown"] == "", "year"].astype(int))
    last = int(world["year"].max())
    charted = world[(world["year"] == last) & is_charted(world)]
    return {"last": last,
            "last_editions": sorted(set(charted["edition"].dropna())),
            "no_victims": [y for y in range(int(world["year"].min()), last + 1)
                           if y not in totals],
            "labour_victims": sorted(set(victims.loc[victims["breakdown"] != "", "year"]
                                         .astype(int)))}
