"""Governments' published answers to their TIP placements (table ``government_responses``).

The stance ('rejects', 'welcomes', 'notes') is the project's reading of each statement; pages
show it next to the statement's own words (``stance_quote``) and say so (``STANCE_NOTE``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trafficking.db import query
from trafficking.i18n import N_, _

# Marked for the catalogue, shown with ``_`` (the pages' language).
STANCE_NOTE = N_("The stance (rejects, welcomes or notes) is this project's reading of the "
                 "statement, not the government's word; the quote beside it is the "
                 "statement's own words, checked against the stored copy of the page.")
NO_DATE = N_("date not stated")
LANGUAGES = {"en": N_("English"), "zh-Hant": N_("Chinese (traditional)"), "ja": N_("Japanese")}
# The stances are this project's own words (the statement's are in ``stance_quote``), so they
# are translated where shown: ``_(stance)``.
STANCES = (N_("rejects"), N_("welcomes"), N_("notes"))

COLUMNS = ["iso3", "name", "report_year", "statement_date", "publisher", "title", "cited_url",
           "stance", "stance_quote", "language", "figures_cited", "source_id", "note"]
# Columns ``per_placement`` adds to a placement frame.
PLACEMENT_COLUMNS = ["response_n", "response_date", "response_stance", "response_publisher",
                     "response_quote", "response_figures", "response_url", "response_others"]

_SQL = """
SELECT r.iso3, coalesce(j.name, r.iso3) AS name, r.report_year, r.statement_date, r.publisher,
       r.title, r.cited_url, r.stance, r.stance_quote, r.language, r.figures_cited,
       r.source_id, r.note
FROM government_responses r
LEFT JOIN jurisdictions j USING (iso3)
"""
# Within a report year: dated statements first, then by publisher, so the first is the
# government's own dated release where there is one.
_ORDER = " ORDER BY r.report_year, r.statement_date NULLS LAST, r.publisher, r.cited_url"


def safe_url(address: object) -> str | None:
    """The address when it is http(s), else None (nothing else becomes a link)."""
    text = str(address).strip() if isinstance(address, str) else ""
    return text if text.lower().startswith(("https://", "http://")) else None


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(cited_url=frame["cited_url"].map(safe_url))


def for_jurisdiction(iso3: str) -> pd.DataFrame:
    """Every response of one jurisdiction, by report year (columns ``COLUMNS``)."""
    return _clean(query(_SQL + "WHERE r.iso3 = ?" + _ORDER, [iso3]))


def for_jurisdictions(iso3s: Sequence[str]) -> pd.DataFrame:
    """Every response of the given jurisdictions, by report year."""
    if not iso3s:
        return _clean(query(_SQL + "WHERE false"))
    return _clean(query(_SQL + "WHERE r.iso3 = ANY(?)" + _ORDER, [list(iso3s)]))


def date_text(value: object) -> str:
    """A statement date as YYYY-MM-DD, or 'date not stated' (in the reader's language)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return _(NO_DATE)
    return pd.Timestamp(value).date().isoformat()


def per_placement(responses: pd.DataFrame) -> pd.DataFrame:
    """One row per (iso3, report_year) answered, to join onto placements.

    The fields are the first statement's (the government's own dated release where there is
    one, see ``_ORDER``); ``response_n`` counts the year's statements and ``response_others``
    names the rest (date · publisher · stance), so none is hidden.
    """
    if responses.empty:
        return pd.DataFrame(columns=["iso3", "report_year", *PLACEMENT_COLUMNS])
    rows = []
    for (iso3, year), part in responses.groupby(["iso3", "report_year"], sort=True):
        first, rest = part.iloc[0], part.iloc[1:]
        rows.append({
            "iso3": iso3, "report_year": int(year), "response_n": len(part),
            "response_date": date_text(first["statement_date"]),
            "response_stance": first["stance"],
            "response_publisher": first["publisher"],
            "response_quote": first["stance_quote"],
            "response_figures": first["figures_cited"],
            "response_url": first["cited_url"],
            "response_others": "; ".join(
                f"{date_text(r.statement_date)} · {r.publisher} · {_(r.stance)}"
                for r in rest.itertuples()) or None,
        })
    return pd.DataFrame(rows)


def with_responses(placements: pd.DataFrame) -> pd.DataFrame:
    """``placements`` (iso3, report_year, ...) with the ``PLACEMENT_COLUMNS`` of the year's
    response(s); placements nobody answered get ``response_n`` 0 and empty fields."""
    codes = sorted(placements["iso3"].unique()) if len(placements) else []
    answered = per_placement(for_jurisdictions(codes))
    out = placements.drop(columns=[c for c in PLACEMENT_COLUMNS if c in placements.columns])
    out = out.merge(answered, on=["iso3", "report_year"], how="left")
    out["response_n"] = pd.to_numeric(out["response_n"]).fillna(0).astype(int)
    return out
