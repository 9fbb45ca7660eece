"""Shareable charts of the Jurisdiction profile page (tier history, every indicator held as
small multiples, the years each source covers), its one address parameter, and the table of
latest values and ranks the page shows under the indicators."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from trafficking import formatting
from trafficking.charts import profile as charts
from trafficking.charts import tiers as tier_charts
from trafficking.present import sources
from trafficking.present.validate import codes_param
from trafficking.present.view import ChartSpec, ChartView
from trafficking.queries import catalogue as cq
from trafficking.queries import profile as q
from trafficking.queries import responses
from trafficking.queries import tiers as tq

PAGE = "profile"


def jurisdiction_names() -> dict[str, str]:
    """iso3 → name of every jurisdiction with a tier or a value (the page's picker)."""
    places = cq.areas()
    places = places[places["area_kind"] == "jurisdiction"]
    return dict(zip(places["area_code"], places["name"], strict=True))


def _default() -> list[str]:
    names = jurisdiction_names()
    return ["HKG"] if "HKG" in names else list(names)[:1]


# ``?iso3=HKG``: one jurisdiction (a list of one, as the other code parameters are).
ISO3 = codes_param(lambda: list(jurisdiction_names()), _default, name="iso3", max_n=1)


def _iso3(v: Mapping[str, Any]) -> str:
    return str(list(v["iso3"])[0])


def _name(iso3: str) -> str:
    return jurisdiction_names().get(iso3, iso3)


def _tiers(v: Mapping[str, Any]) -> ChartView:
    iso3 = _iso3(v)
    hist = tq.history([iso3])
    line = tier_charts.sources_line(sorted(hist["dataset"].unique()))
    answered = int((hist["response_n"] > 0).sum()) if len(hist) else 0
    if answered:
        line += " Government responses: government-responses."
    span = (f"{int(hist['report_year'].min())}–{int(hist['report_year'].max())}"
            if len(hist) else "none")
    caption = (f"{_name(iso3)}: TIP report tier in {hist['report_year'].nunique()} report years "
               f"({span}). Years without a placement in any source are gaps."
               + (f" {answered} placement(s) have a published government response: hover for "
                  "it. " + responses.STANCE_NOTE if answered else ""))
    fig = tier_charts.timeline(hist, line)
    fig.update_layout(height=360)
    ids = pd.concat([hist["source_id"], pd.Series(
        responses.for_jurisdiction(iso3)["source_id"].unique(), dtype=object)])
    cols = ["iso3", "name", "region", "report_year", "tier", "resolved", "method",
            "derived_from", "secondary", "source_id", "note", *responses.PLACEMENT_COLUMNS]
    return ChartView(fig, hist[[c for c in cols if c in hist]].reset_index(drop=True), caption,
                     line, sources.rows(ids), title=f"{_name(iso3)}: TIP tier placement over time")


def held(iso3: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows, summary): every total row held for ``iso3`` with the charted one marked, and
    one row per series (latest value, years) in name order."""
    rows = q.held(iso3, cq.catalogue())
    return rows, q.summary(rows)


def _source_line(rows: pd.DataFrame) -> str:
    used = sorted(set(rows["source_publisher"].dropna()))
    return ("Sources: " + "; ".join(used) + ". Details: the profile's values table and Data & "
            "sources.") if used else ""


def _indicators(v: Mapping[str, Any]) -> ChartView:
    iso3 = _iso3(v)
    rows, summary = held(iso3)
    charted = rows[rows["charted"]]
    line = _source_line(charted)
    caption = (f"Every indicator the database holds for {_name(iso3)}, one panel each on one "
               "year axis (each with its own scale). Breaks are missing years or a new edition; "
               "a hollow mark at the foot of a panel is a value published without a number.")
    cols = ["series", "indicator", "name", "unit", "year", "value", "qualifier", "edition",
            "source_id", "quote", "cited_url", "note"]
    data = charted[[c for c in cols if c in charted]].sort_values(["name", "year"])
    return ChartView(charts.small_multiples(charted, summary, line), data, caption, line,
                     sources.rows(charted["source_id"]), title=f"{_name(iso3)}: indicators held")


def _coverage(v: Mapping[str, Any]) -> ChartView:
    iso3 = _iso3(v)
    used = q.sources_for(iso3)
    line = ("Sources: the files listed, from the database's sources table (publisher, "
            "address, retrieval date, sha256 on the Data & sources page).")
    caption = (f"The years each source file covers for {_name(iso3)}: indicator values (blue) "
               "and tier placements after precedence.")
    fig = charts.coverage(used)
    return ChartView(fig, used.reset_index(drop=True), caption, line,
                     sources.rows(used["source_id"]),
                     title=f"{_name(iso3)}: years each source covers")


def indicator_table(summary: pd.DataFrame, iso3: str, population_code: str | None
                    ) -> pd.DataFrame:
    """One row per series held: indicator, unit, years, latest value (as text), its year,
    source file, and the rank among jurisdictions with a number that year ('12 of 160'), in
    its region too, or why there is none."""
    out = []
    for _, s in summary.iterrows():
        rank = region = ""
        if s["series"] == population_code:  # a population is not a ranking of anything
            rank = "not ranked"
        elif pd.isna(s["value"]):
            rank = "no rank (no number for that year)"
        elif (r := q.rank(s["indicator"], int(s["year"]), iso3)) is None:
            rank = f"no rank (fewer than {q.MIN_PEERS} jurisdictions have a value)"
        else:
            rank = f"{r['rank']} of {r['of']}"
            region = f"{r['region_rank']} of {r['region_of']} in {r['region']}"
        out.append({"name": s["name"], "unit": s["unit"], "n_years": int(s["n_years"]),
                    "span": f"{int(s['first_year'])}–{int(s['last_year'])}",
                    "latest": formatting.number(s["value"], s["qualifier"]), "year": int(s["year"]),
                    "source_id": s["source_id"], "rank": rank, "region_rank": region,
                    "indicator": s["indicator"]})
    return pd.DataFrame(out, columns=["name", "unit", "n_years", "span", "latest", "year",
                                      "source_id", "rank", "region_rank", "indicator"])


SPECS = [
    ChartSpec("profile-tiers", "TIP tier placement of one jurisdiction over time", PAGE,
              (ISO3,), _tiers),
    ChartSpec("profile-indicators", "Every indicator held for one jurisdiction", PAGE,
              (ISO3,), _indicators),
    ChartSpec("profile-coverage", "Years each source covers for one jurisdiction", PAGE,
              (ISO3,), _coverage),
]
