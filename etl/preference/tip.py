"""TIP report figures: which statement of a figure a chart draws (see ``etl.preference``).

Some figures are stated more than once: by several editions of the TIP report (later reports
revise earlier years), by two pages quoting one edition, or by the TIP report and the Hong Kong
government. Every statement stays in ``observations``; this step writes ``preferred`` (the one
value a chart draws) and ``preferred_reason`` on each of them, and records every pair of
statements that cannot both be true in ``observation_conflicts``. It runs over the whole
database, so one rule covers statements from different sources (and rows carried over by a
partial refresh).

Rules, per (indicator, area, year, breakdown):

* worldwide law-enforcement totals (``WORLD``): the latest TIP report edition that gives the
  year; within one edition, the page that states most of that edition's figures; every
  different value is a conflict (a revision or a misprint; not resolved here).
* Hong Kong screening figures (``HONG_KONG``): an exact figure beats a rounded or bounded one;
  between exact figures, the US TIP report (a row with an ``edition``) beats a government
  statement; a year with only rounded figures charts one (qualifier 'approximately'), a year
  with only lower bounds charts the highest bound (the strongest true statement), marked by
  its qualifier. Exact figures that differ, or an exact figure outside a bound, are conflicts.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import duckdb
import pandas as pd

from etl.errors import EtlError

WORLD = ("tip_global_prosecutions", "tip_global_convictions", "tip_global_victims_identified",
         "tip_global_new_legislation")
HONG_KONG = ("hk_initial_screenings", "hk_victims_identified_screening",
             "hk_victims_identified_total", "hk_victims_identified_share_screened",
             "hk_trafficking_cases_reported")
KEY = ["indicator", "area_code", "year", "breakdown_dim", "breakdown"]
_EDITION = re.compile(r"^(?P<year>(?:19|20)\d{2}) TIP report$")
# A rounded figure this far from an exact one for the same year is not a rounding of it.
ROUNDING_TOLERANCE = 0.05


def tip_edition(report_year: int) -> str:
    """The ``edition`` text every source writes for a TIP report, e.g. '2024 TIP report'."""
    return f"{int(report_year)} TIP report"


def edition_year(edition: str | None) -> int | None:
    if edition is None or (isinstance(edition, float) and pd.isna(edition)):
        return None
    match = _EDITION.match(str(edition))
    return int(match["year"]) if match else None


def _fmt(value: float | None, qualifier: str | None = None) -> str:
    if value is None or pd.isna(value):
        return "no number"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"
    return f"{qualifier} {text}" if isinstance(qualifier, str) and qualifier else text


def _page(row: pd.Series | dict) -> str:
    return str(row["cited_url"]) if isinstance(row["cited_url"], str) else str(row["source_id"])


def _site(row: pd.Series | dict) -> str:
    """The page's host, short enough for a hover ('news.gov.hk'); the file without a page."""
    url = row["cited_url"]
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        host = urlsplit(url).hostname or url
        return host.removeprefix("www.")
    return str(row["source_id"])


def _conflict(loser: pd.Series | dict, winner: pd.Series | dict, reason: str) -> dict:
    return {**{k: loser[k] for k in KEY}, "source_id": loser["source_id"],
            "edition": loser["edition"], "value": loser["value"],
            "chosen_source_id": winner["source_id"], "chosen_edition": winner["edition"],
            "chosen_value": winner["value"], "reason": reason}


def _world(frame: pd.DataFrame) -> tuple[dict[int, tuple[bool, str]], list[dict]]:
    years = frame["edition"].map(edition_year)
    bad = frame[years.isna()]
    if not bad.empty:
        row = bad.iloc[0]
        raise EtlError(f"worldwide figure without a TIP report edition: {row['source_id']} "
                       f"{row['indicator']} {row['year']} edition={row['edition']!r}")
    frame = frame.assign(_ed=years.astype(int))
    # How much of its edition's table a page states: the fuller copy wins a tie.
    weight = frame.groupby(["_ed", "source_id", "cited_url"], dropna=False)["value"].transform(
        "size")
    # Plain records per figure, in the frame's order: a pandas group per figure (sorted,
    # filtered and iterated) cost a fifth of a second for 150 figures.
    groups: dict[tuple, list[dict]] = {}
    for record in frame.assign(_w=weight).to_dict("records"):
        record["_page"] = _page(record)
        groups.setdefault(tuple(record[k] for k in KEY), []).append(record)
    out: dict[int, tuple[bool, str]] = {}
    conflicts: list[dict] = []
    for rows in groups.values():
        # Latest edition, then the fuller page, then the page's address; ties keep their order.
        group = sorted(rows, key=lambda r: (-r["_ed"], -r["_w"], r["_page"]))
        win = group[0]
        others = group[1:]
        same_ed = [r for r in others if r["_ed"] == win["_ed"]]
        older = [r for r in others if r["_ed"] != win["_ed"]]
        parts = [f"only TIP report edition in the data stating this year ({win['edition']})"
                 if not older else
                 f"latest TIP report edition stating this year ({win['edition']})"]
        if same_ed:
            parts.append(f"also quoted by {', '.join(dict.fromkeys(_site(r) for r in same_ed))}"
                         f"; {_site(win)} is charted (it states more of the table)")
        revised = [r for r in older if r["value"] != win["value"]]
        agree = [r for r in older if r["value"] == win["value"]]
        if agree:
            parts.append("earlier editions agree (" + ", ".join(
                dict.fromkeys(r["edition"] for r in agree)) + ")")
        if revised:
            parts.append("earlier editions differ: " + "; ".join(
                f"{r['edition']} {_fmt(r['value'])}" for r in revised)
                + " (see observation_conflicts)")
        out[win["_rowid"]] = (True, "; ".join(parts) + ".")
        for row in others:
            if row["value"] == win["value"]:
                why = (f"same value as the {win['edition']}, which is charted"
                       if row["_ed"] != win["_ed"] else
                       f"same value on another page quoting the {win['edition']} ({_site(win)}), "
                       "which is charted")
            else:
                if row["_ed"] == win["_ed"]:
                    reason = (f"two pages quoting the {win['edition']} disagree: {_site(row)} "
                              f"gives {_fmt(row['value'])}, {_site(win)} gives "
                              f"{_fmt(win['value'])}; the page stating more of the table is "
                              "charted; not resolved")
                else:
                    reason = (f"the {row['edition']} ({_site(row)}) gives {_fmt(row['value'])}, "
                              f"the later {win['edition']} ({_site(win)}) gives "
                              f"{_fmt(win['value'])}: a revision or a misprint, not resolved; "
                              "the chart uses the latest edition")
                conflicts.append(_conflict(row, win, reason))
                why = (f"{row['edition']} gives {_fmt(row['value'])}; the chart uses "
                       f"{_fmt(win['value'])} from the {win['edition']} (latest edition); "
                       "recorded as a conflict")
            out[row["_rowid"]] = (False, "not charted: " + why + ".")
    return out, conflicts


_KIND = {None: 0, "approximately": 1, "more than": 2, "less than": 2}


def _kind(qualifier: object) -> int:
    if qualifier is None or (isinstance(qualifier, float) and pd.isna(qualifier)):
        return 0
    if qualifier not in _KIND:
        raise EtlError(f"Hong Kong figure with a qualifier the preference rule does not know: "
                       f"{qualifier!r}")
    return _KIND[qualifier]


def _describe(row: pd.Series) -> str:
    who = (f"the {row['edition']}" if isinstance(row["edition"], str) else "a government "
           "or press statement")
    return f"{_fmt(row['value'], row['qualifier'])} ({who}, {_site(row)})"


def _incompatible(exact: pd.Series, other: pd.Series) -> bool:
    q = other["qualifier"]
    v, w = float(exact["value"]), float(other["value"])
    if _kind(q) == 0:
        return v != w
    if q == "approximately":
        return abs(v - w) > ROUNDING_TOLERANCE * v
    if q == "more than":
        return v <= w
    return v >= w  # less than


def _hong_kong(frame: pd.DataFrame) -> tuple[dict[int, tuple[bool, str]], list[dict]]:
    frame = frame.assign(
        _kind=frame["qualifier"].map(_kind),
        _tip=frame["edition"].map(lambda e: 0 if edition_year(e) else 1),
        # Lower bounds: the highest first; upper bounds: the lowest first.
        _bound=[(-v if q == "more than" else v if q == "less than" else 0.0)
                for v, q in zip(frame["value"], frame["qualifier"], strict=True)],
        _page=frame.apply(_page, axis=1))
    out: dict[int, tuple[bool, str]] = {}
    conflicts: list[dict] = []
    for _, group in frame.groupby(KEY, dropna=False, sort=False):
        group = group.sort_values(["_kind", "_bound", "_tip", "source_id", "_page"])
        win = group.iloc[0]
        others = group.iloc[1:]
        if others.empty:
            why = "only statement of this figure"
        elif win["_kind"] == 0 and (others["_kind"] > 0).any():
            why = "exact figure preferred over rounded or bounded statements"
        elif win["_kind"] == 0 and win["_tip"] == 0 and (others["_tip"] == 1).any():
            why = (f"exact figure stated by the US TIP report ({win['edition']}), preferred "
                   "over a government statement")
        elif win["_kind"] == 0:
            why = "exact figure; stated the same way by another source, this one listed first"
        elif win["qualifier"] == "approximately":
            why = "no exact figure for this year: the rounded figure is charted, marked approximate"
        else:
            why = (f"no exact or rounded figure for this year: the strongest bound "
                   f"('{_fmt(win['value'], win['qualifier'])}') is charted, marked as a bound")
        if others.empty and win["_kind"] == 1:
            why += "; a rounded figure, marked approximate"
        elif others.empty and win["_kind"] == 2:
            why += f"; a bound ('{win['qualifier']}'), marked as such"
        if len(others):
            why += "; also stated: " + "; ".join(_describe(r) for _, r in others.iterrows())
        out[win["_rowid"]] = (True, why + ".")
        for _, row in others.iterrows():
            out[row["_rowid"]] = (False, f"not charted: {_describe(row)}; the chart uses "
                                         f"{_describe(win)}.")
        exact = group[group["_kind"] == 0]
        for _, row in group.iterrows():
            against = exact[exact["_rowid"] != row["_rowid"]]
            if row["_rowid"] == win["_rowid"] or against.empty:
                continue
            ref = against.iloc[0]
            if _incompatible(ref, row):
                conflicts.append(_conflict(row, win, (
                    f"{_describe(row)} cannot both be true with {_describe(ref)}; the chart "
                    f"uses {_describe(win)}; not resolved")))
    return out, conflicts


def apply(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Write ``preferred``/``preferred_reason`` for the figures these rules cover and replace
    their rows in ``observation_conflicts``. Returns counts for the run summary."""
    managed = list(WORLD + HONG_KONG)
    frame = con.execute(
        "SELECT rowid AS _rowid, indicator, area_code, year, breakdown_dim, breakdown, value, "
        "qualifier, source_id, cited_url, edition FROM observations WHERE indicator = ANY(?)",
        [managed]).df()
    decided: dict[int, tuple[bool, str]] = {}
    conflicts: list[dict] = []
    for codes, rule in ((WORLD, _world), (HONG_KONG, _hong_kong)):
        part = frame[frame["indicator"].isin(codes)]
        if part.empty:
            continue
        got, found = rule(part)
        decided.update(got)
        conflicts.extend(found)
    if decided:
        # One UPDATE joined to a frame, not ``executemany``: that runs one statement per row.
        table = pd.DataFrame([(int(rowid), flag, reason) for rowid, (flag, reason)
                              in decided.items()], columns=["rid", "flag", "reason"])
        con.register("decided", table)
        try:
            con.execute("UPDATE observations SET preferred = d.flag::BOOLEAN, "
                        "preferred_reason = d.reason::VARCHAR FROM decided d "
                        "WHERE observations.rowid = d.rid")
        finally:
            con.unregister("decided")
    # Conflicts of these figures are recomputed every build (a partial refresh carried the
    # old ones over).
    con.execute("DELETE FROM observation_conflicts WHERE indicator = ANY(?)", [managed])
    if conflicts:
        table = pd.DataFrame(conflicts)
        con.register("incoming_conflicts", table)
        try:
            con.execute(
                "INSERT INTO observation_conflicts (indicator, area_code, year, breakdown_dim, "
                "breakdown, source_id, edition, value, chosen_source_id, chosen_edition, "
                "chosen_value, reason) SELECT indicator, area_code, year::INTEGER, "
                "breakdown_dim, breakdown, source_id, edition::VARCHAR, value::DOUBLE, "
                "chosen_source_id, chosen_edition::VARCHAR, chosen_value::DOUBLE, reason "
                "FROM incoming_conflicts")
        finally:
            con.unregister("incoming_conflicts")
    return {"rows_decided": len(decided),
            "not_preferred": sum(1 for flag, _ in decided.values() if not flag),
            "conflicts": len(conflicts)}
