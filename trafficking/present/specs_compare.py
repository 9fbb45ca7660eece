"""Shareable charts of the Compare page (lines over time with tiers, the latest-value ranking),
the page's address parameters, and the one function that turns a choice (places, indicators,
breakdown, per-capita) into the frames the charts and the values table draw."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from trafficking import db, formatting, i18n, percapita, places, style
from trafficking.charts import compare as charts
from trafficking.i18n import N_, _
from trafficking.present import datatable, sources
from trafficking.present import text_compare as say
from trafficking.present.validate import (
    MAX_RAW,
    choice_param,
    codes_param,
    flag_param,
    split_values,
    year_param,
)
from trafficking.present.view import ChartSpec, ChartView, Checked, Param
from trafficking.queries import catalogue as cq
from trafficking.queries import compare as q
from trafficking.queries import tiers as tq
from trafficking.text import md_plain

PAGE = "compare"
MAX_PLACES = 10


def _place_codes() -> list[str]:
    return cq.areas()["area_code"].tolist()


def _default_places() -> list[str]:
    held = set(_place_codes())
    return [c for c in ("HKG", "SGP", "TWN", "GBR") if c in held]


def _series_table() -> pd.DataFrame:
    return cq.series_info().reset_index()


def default_indicators(areas: Sequence[str]) -> list[str]:
    """The series held for most of these places (never the population series if another
    exists): what the page shows when the address names no indicator."""
    cat = cq.catalogue()
    table = _series_table()  # the per-file copy: built afresh it cost a new session 0.1 s
    if table.empty:
        return []
    return [q.default_series(table, cat, list(areas), cq.population_code(cat))]


def parse_series(raw: Sequence[str], cat: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(series, dropped) from address values like 'gsi2023_prevalence,hk_x': a code of any
    edition stands for its whole series; unknown codes and series without values are
    dropped."""
    series_of = dict(zip(cat["code"], cat["series"], strict=True))
    held = set(cat.loc[cat["n_rows"] > 0, "series"])
    kept: list[str] = []
    dropped: list[str] = []
    for part in split_values(raw):
        series = series_of.get(part.lower())
        if series is not None and series in held:
            kept += [] if series in kept else [series]
        else:
            dropped.append(part)
    return kept, dropped


def _check_series(raw: Sequence[str]) -> Checked:
    if sum(len(str(r)) for r in raw) > MAX_RAW:
        return Checked(None, (_("Ignored the indicators in the address: too long."),))
    kept, dropped = parse_series(raw, cq.catalogue())
    notices = ()
    if dropped:
        notices = (say.dropped_indicators(dropped),)
    return Checked(kept or None, notices)


def _dims() -> list[str]:
    return ["total", *sorted({d for ds in _series_table()["dims"] for d in ds})]


# Address parameters (``?areas=HKG,SGP&indicators=gsi2023_prevalence&per100k=1&log=1``). A code
# of any edition in ``indicators`` stands for its whole series.
AREAS = codes_param(_place_codes, _default_places, name="areas", label=N_("place code"),
                    max_n=MAX_PLACES)
INDICATORS = Param("indicators", N_("indicator"), _check_series,
                   lambda: default_indicators(_default_places()), ",".join)
BREAKDOWN = choice_param("breakdown", N_("breakdown"), _dims, default=lambda: "total")
PER100K = flag_param("per100k", N_("per 100,000 setting"))
GAP = year_param(lambda: list(range(6)), name="gap", label=N_("population year gap"),
                 default=lambda: 0)
LOG = flag_param("log", N_("log scale setting"))
ALL_TIERS = flag_param("all_tiers", N_("tier markers setting"))
PAGE_PARAMS = (AREAS, INDICATORS, BREAKDOWN, PER100K, GAP, LOG, ALL_TIERS)


def _reach(series: Sequence[str]) -> dict[str, bool]:
    """Which kinds of place the series have values for (jurisdictions always offered)."""
    info = _series_table().set_index("series")
    held = [s for s in series if s in info.index]
    return {"jurisdiction": True, "region": any(info.loc[s, "has_regions"] for s in held),
            "world": any(info.loc[s, "has_world"] for s in held)}


def lists_regions(series: Sequence[str]) -> bool:
    """Whether the place picker offers regions or the World for these series."""
    reach = _reach(series)
    return reach["region"] or reach["world"]


def place_options(series: Sequence[str], chosen: Sequence[str]) -> dict[str, str]:
    """code → picker label of the places to offer: jurisdictions, and regions or the World
    when a chosen series has values for them (listed first); earlier picks stay selectable."""
    return dict(_place_options(tuple(series), tuple(chosen), i18n.language()))


@db.per_file(maxsize=64)
def _place_options(series: tuple[str, ...], chosen: tuple[str, ...], lang: str
                   ) -> dict[str, str]:
    del lang  # part of the cache key: the labels are in the reader's language
    reach = _reach(series)
    # In the order of the names shown (the world and regions first).
    named = cq.in_name_order(places.localise(cq.areas(), "area_code", "name"))
    out = {r.area_code: cq.area_label(r._asdict()) for r in named.itertuples(index=False)
           if reach.get(r.area_kind) or r.area_code in chosen}
    return out | {c: c for c in chosen if c not in out}


def definitions(series: Sequence[str]) -> list[tuple[str, str]]:
    """(markdown, what counts) per indicator code of the series, every field as plain text."""
    cat = cq.catalogue()
    info = cq.series_info()
    out = []
    for code in [code for s in series if s in info.index for code in info.loc[s, "codes"]]:
        row = cat[cat["code"] == code].iloc[0]
        out.append((f"**{md_plain(row['name'])}** ({md_plain(code)}, {md_plain(row['unit'])}; "
                    f"{md_plain(row['publisher'])})  \n{md_plain(row['definition'])}",
                    say.what_counts(md_plain(row["what_counts"])) if row["what_counts"] else ""))
    return out


@dataclass
class Comparison:
    """What the Compare page draws for one choice, and what it tells the reader about it."""

    areas: list[str]
    series: list[str]
    dim: str
    per100k: bool
    gap: int
    table: pd.DataFrame  # every row, charted or not (the values table)
    plotted: pd.DataFrame  # the rows the charts draw
    breaks: pd.DataFrame
    line_names: dict[str, str]
    series_names: dict[str, str]
    panel_units: dict[str, str]
    source_line: str
    missing: dict[str, list[str]] = field(default_factory=dict)  # series → places with no row
    no_per_capita: list[str] = field(default_factory=list)  # series names
    lost: int = 0  # counts with no population in reach
    population_years: list[int] = field(default_factory=list)
    population_code: str | None = None
    series_dims: dict[str, list[str]] = field(default_factory=dict)


def comparison(areas: Sequence[str], series: Sequence[str], dim: str = "total",
               per100k: bool = False, gap: int = 0) -> Comparison:
    """The values of ``series`` for ``areas`` (one charted statement per point, the ETL's
    preference), by ``dim`` or totals, per 100,000 population if asked, with the breaks
    between editions or definitions and what the database does not hold.

    Cached per database file, choice and language (the page asks on every run); each caller
    gets its own copy."""
    return copy.deepcopy(_comparison(tuple(areas), tuple(series), dim, bool(per100k),
                                     int(gap), i18n.language()))


@db.per_file(maxsize=64)
def _comparison(areas: tuple[str, ...], series: tuple[str, ...], dim: str, per100k: bool,
                gap: int, lang: str) -> Comparison:
    del lang  # part of the cache key: names and notes are in the reader's language
    cat = cq.catalogue()
    info = cq.series_info()
    series = [s for s in series if s in info.index]
    named = places.localise(cq.areas(), "area_code", "name")
    place_name = dict(zip(named["area_code"], named["name"], strict=True))
    pop_code = cq.population_code(cat)
    per100k = bool(per100k) and (pop_code is not None or any(
        percapita.conversion(info.loc[s, "kind"]) == "rate" for s in series))
    codes = [c for s in series for c in info.loc[s, "codes"]]
    obs = q.observations(codes, list(areas), totals_only=dim == "total")
    if dim != "total":
        obs = obs[obs["breakdown_dim"] == dim]
    raw = q.with_series(q.pick_charted(obs), cat)
    if per100k:
        raw = percapita.to_per_100k(raw, cat, q.population(pop_code, list(areas)),
                                    max_year_gap=gap)
    breaks = q.definition_breaks(raw)
    raw["segment"] = q.segment(raw, breaks)
    missing: dict[str, list[str]] = {}
    for s, a in q.missing_pairs(raw, series, list(areas)):
        missing.setdefault(s, []).append(place_name.get(a, a))
    raw["place"] = raw["area_code"].map(lambda a: place_name.get(a, a))
    line_names = {a: place_name.get(a, a) for a in areas}
    if dim != "total":
        raw, line_names = q.split_by_breakdown(raw, line_names)
    plotted = raw[raw["charted"]]
    panel_units = {s: info.loc[s, "unit"] for s in series}
    out = Comparison(list(areas), series, dim, per100k, int(gap), raw, plotted, breaks,
                     line_names, {s: info.loc[s, "name"] for s in series}, panel_units, "",
                     missing, population_code=pop_code,
                     series_dims={s: list(info.loc[s, "dims"]) for s in series})
    if per100k:
        _per_capita(out, info)
    used = sorted(set(out.plotted["source_publisher"].dropna()))
    out.source_line = say.source_line(used)
    return out


def _per_capita(c: Comparison, info: pd.DataFrame) -> None:
    """Keep what has a per-capita form, and count the counts no population reaches."""
    c.no_per_capita = [info.loc[s, "name"] for s in c.series
                       if percapita.conversion(info.loc[s, "kind"]) is None]
    charted = c.plotted
    lost = charted[(charted["per_capita"] == "count") & charted["value"].isna()
                   & charted["value_original"].notna()]
    c.lost = len(lost)
    if c.lost:
        c.population_years = sorted(
            int(y) for y in q.population(c.population_code, c.areas)["year"].unique())
    plotted = charted[charted["per_capita"].notna()].copy()
    # A value published without a number is shown where a number could have been converted
    # (a rate, or a count with a population in reach), not in years the chart leaves out.
    reachable = (plotted["per_capita"] == "rate") | plotted["population"].notna()
    c.plotted = plotted[plotted["value"].notna()
                        | (plotted["qualifier"].notna() & plotted["value_original"].isna()
                           & reachable)]
    c.panel_units = {s: _(percapita.PER_LABEL) for s in c.series
                     if percapita.conversion(info.loc[s, "kind"]) is not None}


def from_values(v: Mapping[str, Any]) -> Comparison:
    return comparison(list(v["areas"] or []), list(v["indicators"] or []),
                      v.get("breakdown") or "total", bool(v.get("per100k")),
                      int(v.get("gap") or 0))


_DATA_COLS = ["place", "area_code", "series", "indicator", "name", "year", "breakdown_dim",
              "breakdown", "value", "qualifier", "value_original", "population",
              "population_year", "stated_in", "source_id", "quote", "cited_url", "note"]


# The data tables: every drawn point (and tier square), under translated headings.
POINT_COLUMNS = {"place": N_("Place"), "indicator_name": N_("Indicator"), "year": N_("Year"),
                 "shown": N_("Value"), "unit": N_("Unit")}
RANKING_COLUMNS = {"place": N_("Place"), "year": N_("Year"), "shown": N_("Latest value")}


def line_points(c: Comparison, tiers: pd.DataFrame) -> pd.DataFrame:
    """What the lines chart draws, one row per point: each figure (a marker, or a ◇ mark for
    a value published without a number) in the chosen order, then each tier square."""
    order = {s: i for i, s in enumerate(c.series_names)}
    places = {a: i for i, a in enumerate(c.line_names)}
    drawn = c.plotted[c.plotted["series"].isin(c.panel_units)
                      & (c.plotted["value"].notna() | c.plotted["qualifier"].notna())]
    drawn = drawn.assign(_s=drawn["series"].map(order), _a=drawn["area_code"].map(places))
    drawn = drawn.sort_values(["_s", "_a", "year"], kind="stable")
    figures = pd.DataFrame({
        "place": drawn["area_code"].map(lambda a: c.line_names.get(a, a)),
        "indicator_name": drawn["series"].map(c.series_names), "year": drawn["year"].astype(int),
        "shown": [formatting.number(v, q) for v, q in zip(drawn["value"], drawn["qualifier"],
                                                          strict=True)],
        "unit": drawn["series"].map(c.panel_units), "series": drawn["series"]})
    squares = pd.DataFrame({
        "place": tiers["name"], "indicator_name": _("TIP report tier"),
        "year": tiers["report_year"].astype(int),
        "shown": tiers["tier"].map(lambda t: _(style.tier_label(t))), "unit": "",
        "series": ""}) if not tiers.empty else None
    return pd.concat([f for f in (figures, squares) if f is not None], ignore_index=True)


def ranking_points(part: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The ranking's bars (highest first) and the places listed without a number."""
    with_value = part[part["value"].notna()].sort_values("value", ascending=False)
    ordered = pd.concat([with_value, part[part["value"].isna()]])
    return pd.DataFrame({
        "place": ordered["area_code"].map(lambda a: names.get(a, a)),
        "year": ordered["year"].astype(int),
        "shown": [formatting.number(v, q) for v, q in zip(ordered["value"], ordered["qualifier"],
                                                          strict=True)],
        "value": ordered["value"]}).reset_index(drop=True)


def lines_view(c: Comparison, log: bool = False, all_tiers: bool = False) -> ChartView:
    """Lines over years, one panel per unit, with the jurisdictions' tiers below."""
    iso3s = [a for a in c.areas if a in set(tq.jurisdictions()["iso3"])]
    tiers = places.localise(tq.history(iso3s), "iso3", "name")
    if not tiers.empty and not all_tiers and not c.plotted.empty:
        lo, hi = int(c.plotted["year"].min()) - 1, int(c.plotted["year"].max()) + 1
        tiers = tiers[(tiers["report_year"] >= lo) & (tiers["report_year"] <= hi)]
    fig = charts.line_chart(
        c.plotted, area_names=c.line_names,
        series_names={s: n for s, n in c.series_names.items() if s in c.panel_units},
        panel_units=c.panel_units, breaks=c.breaks, tiers=tiers, log=log, source=c.source_line)
    title = _("{indicators}: {places}").format(
        indicators=_(", ").join(c.series_names.values())[:120],
        places=_(", ").join(c.line_names.values()))
    ids = pd.concat([c.plotted["source_id"], tiers["source_id"]])
    points = line_points(c, tiers)
    return ChartView(fig, c.plotted[[x for x in _DATA_COLS if x in c.plotted]].reset_index(
        drop=True), _(say.LINES_CAPTION), c.source_line, sources.rows(ids), title=title[:200],
        summary=say.lines_summary(points), table=datatable.headed(points, POINT_COLUMNS))


def ranking_view(c: Comparison, series: str) -> ChartView:
    """Each place's latest value of one series (the year may differ between places)."""
    part = q.latest(c.plotted)
    part = part[part["series"] == series] if len(part) else part
    name = c.series_names.get(series, series)
    unit = c.panel_units.get(series, "")
    years = sorted(int(y) for y in part["year"].unique()) if len(part) else []
    title = _("{indicator}: latest value").format(indicator=name)
    fig = charts.ranking_chart(part, area_names=c.line_names, title=title, unit=unit,
                               source=c.source_line)
    points = ranking_points(part, c.line_names)
    return ChartView(fig, part[[x for x in _DATA_COLS if x in part]].reset_index(drop=True),
                     say.ranking_caption(name, years), c.source_line,
                     sources.rows(part["source_id"]), title=title,
                     summary=say.ranking_summary(name, points),
                     table=datatable.headed(points, RANKING_COLUMNS))


def _lines(v: Mapping[str, Any]) -> ChartView:
    return lines_view(from_values(v), bool(v.get("log")), bool(v.get("all_tiers")))


def _ranking(v: Mapping[str, Any]) -> ChartView:
    c = from_values(v)
    shown_series = [s for s in c.series if s in set(q.latest(c.plotted)["series"])] \
        if len(c.plotted) else []
    return ranking_view(c, (shown_series or c.series or [""])[0])


SPECS = [
    ChartSpec("compare-lines", N_("Compare places on indicators over time"), PAGE, PAGE_PARAMS,
              _lines),
    ChartSpec("compare-ranking", N_("Compare places: latest value of an indicator"), PAGE,
              (AREAS, INDICATORS, BREAKDOWN, PER100K, GAP), _ranking),
]


def values_table(c: Comparison) -> pd.DataFrame:
    """Every row of the choice, charted or not, sorted by indicator, place and year; with
    per-capita figures ``value`` is the converted one's original and ``per_100k`` the result."""
    table = c.table
    if c.per100k:
        table = table.rename(columns={"value": "per_100k", "value_original": "value"})
    return table.sort_values(["name", "place", "year"]).reset_index(drop=True)


def breakdowns(info: pd.DataFrame, series: Sequence[str]) -> list[str]:
    """The breakdowns any of the chosen series has values by (``info``: the series table
    indexed by series)."""
    return sorted({d for s in series for d in info.loc[s, "dims"]})


def ranked_series(c: Comparison) -> list[str]:
    """The chosen series with a value to rank, in the chosen order."""
    drawn = set(c.plotted["series"])
    return [s for s in c.series if s in drawn]


def tab_label(info: pd.DataFrame, series: str) -> str:
    """A ranking tab's label: the indicator's name (data, plain text), clipped."""
    return md_plain(info.loc[series, "name"][:60])
