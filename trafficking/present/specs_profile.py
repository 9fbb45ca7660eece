"""Shareable charts of the Jurisdiction profile page (tier history, every indicator held as
small multiples, the years each source covers), its one address parameter, and the table of
latest values and ranks the page shows under the indicators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from trafficking import db, formatting
from trafficking.charts import profile as charts
from trafficking.charts import tiers as tier_charts
from trafficking.i18n import N_, _, ngettext
from trafficking.places import localise
from trafficking.present import sources
from trafficking.present import text_profile as say
from trafficking.present import text_tiers as tier_say
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
    places = localise(places[places["area_kind"] == "jurisdiction"], code="area_code")
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
    hist = localise(tq.history([iso3]))
    line = tier_charts.sources_line(sorted(hist["dataset"].unique()))
    answered = int((hist["response_n"] > 0).sum()) if len(hist) else 0
    if answered:
        line = tier_say.sentences([line, _("Government responses: government-responses.")])
    span = (tier_say.years(int(hist["report_year"].min()), int(hist["report_year"].max()))
            if len(hist) else _("none"))
    caption = tier_say.sentences([
        _("{place}: TIP report tier in {n} report years ({span}). Years without a placement in "
          "any source are gaps.").format(place=_name(iso3), n=hist["report_year"].nunique(),
                                         span=span)]
        + ([ngettext("{n} placement has a published government response: hover for it. "
                     "{stance_note}",
                     "{n} placements have a published government response: hover for them. "
                     "{stance_note}", answered).format(
                         n=answered, stance_note=_(responses.STANCE_NOTE))]
           if answered else []))
    fig = tier_charts.timeline(hist, line)
    fig.update_layout(height=360)
    ids = pd.concat([hist["source_id"], pd.Series(
        responses.for_jurisdiction(iso3)["source_id"].unique(), dtype=object)])
    cols = ["iso3", "name", "region", "report_year", "tier", "resolved", "method",
            "derived_from", "secondary", "source_id", "note", *responses.PLACEMENT_COLUMNS]
    return ChartView(fig, hist[[c for c in cols if c in hist]].reset_index(drop=True), caption,
                     line, sources.rows(ids),
                     title=_("{place}: TIP tier placement over time").format(place=_name(iso3)),
                     summary=tier_say.timeline_summary(hist),
                     table=tier_say.tier_table(hist, ["report_year", "tier", "source_id"]))


def held(iso3: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows, summary): every total row held for ``iso3`` with the charted one marked, and
    one row per series (latest value, years) in name order."""
    rows = q.held(iso3, cq.catalogue())
    return rows, q.summary(rows)


def _source_line(rows: pd.DataFrame) -> str:
    used = sorted(set(rows["source_publisher"].dropna()))
    return _("Sources: {publishers}. Details: the profile's values table and Data & "
             "sources.").format(publishers="; ".join(used)) if used else ""


def _indicators(v: Mapping[str, Any]) -> ChartView:
    iso3 = _iso3(v)
    rows, summary = held(iso3)
    charted = rows[rows["charted"]]
    line = _source_line(charted)
    caption = _("Every indicator the database holds for {place}, one panel each on one year "
                "axis (each with its own scale). Breaks are missing years or a new edition; a "
                "hollow mark at the foot of a panel is a value published without a "
                "number.").format(place=_name(iso3))
    cols = ["series", "indicator", "name", "unit", "year", "value", "qualifier", "edition",
            "source_id", "quote", "cited_url", "note"]
    data = charted[[c for c in cols if c in charted]].sort_values(["name", "year"])
    # The plotted points: each value held (a hollow mark where it has no number), in panel
    # order, as the page states them.
    order = {s: i for i, s in enumerate(summary["series"])} if len(summary) else {}
    points = charted[charted["series"].isin(order)].assign(
        k=lambda f: f["series"].map(order)).sort_values(["k", "year"])
    table = pd.DataFrame({
        _("Indicator"): points["name"], _("Unit"): points["unit"],
        _("Year"): points["year"].astype(int),
        _("Value"): [formatting.number(x, qq) for x, qq in
                     zip(points["value"], points["qualifier"], strict=True)],
        _("Source file"): points["source_id"]}).reset_index(drop=True)
    return ChartView(charts.small_multiples(charted, summary, line), data, caption, line,
                     sources.rows(charted["source_id"]),
                     title=_("{place}: indicators held").format(place=_name(iso3)),
                     summary=say.indicators_summary(_name(iso3), summary), table=table)


def _coverage(v: Mapping[str, Any]) -> ChartView:
    iso3 = _iso3(v)
    used = q.sources_for(iso3)
    line = _("Sources: the files listed, from the database's sources table (publisher, "
             "address, retrieval date, sha256 on the Data & sources page).")
    caption = _("The years each source file covers for {place}: indicator values (blue) and "
                "tier placements after precedence (sky blue); each bar says which.").format(
                    place=_name(iso3))
    fig = charts.coverage(used)
    plotted = used.sort_values(["first", "source_id"])
    table = pd.DataFrame({
        _("Source file"): plotted["source_id"], _("Used for"): plotted["what"],
        _("Rows"): plotted["n"].astype(int), _("From"): plotted["first"].astype(int),
        _("To"): plotted["last"].astype(int)}).reset_index(drop=True)
    return ChartView(fig, used.reset_index(drop=True), caption, line,
                     sources.rows(used["source_id"]),
                     title=_("{place}: years each source covers").format(place=_name(iso3)),
                     summary=say.coverage_summary(_name(iso3), plotted), table=table)


def indicator_table(summary: pd.DataFrame, iso3: str, population_code: str | None
                    ) -> pd.DataFrame:
    """One row per series held: indicator, unit, years, latest value (as text), its year,
    source file, and the rank among jurisdictions with a number that year ('12 of 160'), in
    its region too, or why there is none."""
    out = []
    for _row, s in summary.iterrows():
        rank = region = ""
        if s["series"] == population_code:  # a population is not a ranking of anything
            rank = _("not ranked")
        elif pd.isna(s["value"]):
            rank = _("no rank (no number for that year)")
        elif (r := q.rank(s["indicator"], int(s["year"]), iso3)) is None:
            rank = _("no rank (fewer than {n} jurisdictions have a value)").format(
                n=q.MIN_PEERS)
        else:
            rank = _("{rank} of {of}").format(rank=r["rank"], of=r["of"])
            region = _("{rank} of {of} in {region}").format(
                rank=r["region_rank"], of=r["region_of"], region=r["region"])
        out.append({"name": s["name"], "unit": s["unit"], "n_years": int(s["n_years"]),
                    "span": f"{int(s['first_year'])}–{int(s['last_year'])}",
                    "latest": formatting.number(s["value"], s["qualifier"]), "year": int(s["year"]),
                    "source_id": s["source_id"], "rank": rank, "region_rank": region,
                    "indicator": s["indicator"]})
    return pd.DataFrame(out, columns=["name", "unit", "n_years", "span", "latest", "year",
                                      "source_id", "rank", "region_rank", "indicator"])


SPECS = [
    ChartSpec("profile-tiers", N_("TIP tier placement of one jurisdiction over time"), PAGE,
              (ISO3,), _tiers),
    ChartSpec("profile-indicators", N_("Every indicator held for one jurisdiction"), PAGE,
              (ISO3,), _indicators),
    ChartSpec("profile-coverage", N_("Years each source covers for one jurisdiction"), PAGE,
              (ISO3,), _coverage),
]


@dataclass(frozen=True)
class Profile:
    """Everything the profile page shows for one jurisdiction besides its charts (which come
    from the view cache). Read-only: the page shapes copies."""

    place: pd.Series | None  # the jurisdiction's row (region), None if it has none
    rows: pd.DataFrame  # every total row held (``held``)
    summary: pd.DataFrame  # one row per series held
    history: pd.DataFrame  # tier placements, named in the reader's language
    said: pd.DataFrame  # the government's responses to its placements
    latest: pd.DataFrame  # ``indicator_table``
    peers: list[str]  # jurisdictions to compare with
    missing: pd.DataFrame  # indicators in the catalogue it does not hold
    sources: pd.DataFrame  # the source files used
    population_code: str | None


def _stances(said: pd.DataFrame) -> pd.DataFrame:
    """The stance is this project's word (responses.STANCES), shown in the reader's language."""
    return said.assign(stance=said["stance"].map(_)) if "stance" in said else said


@db.per_file(maxsize=64, by_language=True)
def profile(iso3: str) -> Profile:
    """The page's frames for ``iso3``, built once per database file and language: a rerun (a
    widget change, a section opened) only draws them (issue 14)."""
    cat = cq.catalogue()
    pop_code = cq.population_code(cat)
    rows, summary = held(iso3)
    hist = localise(tq.history([iso3]))
    series = summary["series"].tolist() if len(summary) else []
    return Profile(
        place=q.jurisdiction(iso3), rows=rows, summary=summary, history=hist,
        said=_stances(q.government_responses(iso3, hist)),
        latest=indicator_table(summary, iso3, pop_code) if len(summary) else summary,
        peers=q.peers(iso3, summary["indicator"].tolist()) if len(summary) else [],
        missing=q.not_held(iso3, cat, series), sources=q.sources_for(iso3),
        population_code=pop_code)
