"""Shareable charts of the Screening page: Hong Kong's screenings and identification rate, the
comparison of jurisdictions (per 1,000 screened, absolute, per million) and worldwide totals;
and the page's address parameters and tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from trafficking import db, formatting, places, style
from trafficking.charts import screening as charts
from trafficking.i18n import N_, _
from trafficking.present import datatable, sources
from trafficking.present.validate import choice_param, codes_param
from trafficking.present.view import ChartSpec, ChartView, Param
from trafficking.queries import responses
from trafficking.queries import screening as q

PAGE = "screening"


def _hk_frames():
    hk = q.hk_observations()
    return hk, q.hk_wide(hk), q.source_line(hk)


HK_TABLE = {"year": N_("Data year"), q.SCREENINGS: N_("People screened"),
            q.SCREENINGS + "_qualifier": N_("Qualifier"),
            q.VICTIMS_SCREENED: N_("Victims identified through screening"),
            q.VICTIMS_ALL: N_("All victims identified"), "tier": N_("TIP tier (next year's report)")}


def hk_screening_table(wide: pd.DataFrame, tiers: pd.DataFrame) -> pd.DataFrame:
    """The Hong Kong chart's plotted values: one row per data year of the chart (a year
    without a figure keeps an empty cell), with the tier drawn above it."""
    tier = dict(zip(tiers["data_year"], tiers["tier"], strict=True)) if not tiers.empty else {}
    frame = wide.assign(tier=wide["year"].map(
        lambda y: _(style.tier_label(tier[y])) if y in tier else ""))
    return datatable.headed(frame, HK_TABLE)


def hk_screening_summary(wide: pd.DataFrame) -> str:
    """'In 2024, Hong Kong screened ≈11,300 people … and identified 8 of them as victims.'"""
    counted = wide.dropna(subset=[q.SCREENINGS])
    if counted.empty:
        return ""
    latest = counted.iloc[-1]
    victims = latest[q.VICTIMS_SCREENED]
    text = (_("In {year}, Hong Kong screened {screened} people for trafficking indicators and "
              "identified {victims} of them as victims.") if pd.notna(victims) else
            _("In {year}, Hong Kong screened {screened} people for trafficking indicators; no "
              "count of victims identified through screening is published for that year."))
    text = text.format(year=int(latest["year"]), victims=formatting.count(victims),
                       screened=formatting.count(latest[q.SCREENINGS], latest[q.SCREENINGS + "_qualifier"]))
    return text + " " + _("Screening counts are published for {years}.").format(
        years=q.year_runs(counted["year"]))


def _hk_screening(v: Mapping[str, Any]) -> ChartView:
    del v
    hk, wide, line = _hk_frames()
    tiers = q.tiers_for(q.HK)
    caption = _(
        "Bars: people put through the first-tier screening for trafficking indicators by Hong "
        "Kong's law-enforcement departments (the mechanism started in 2016). Lines: victims "
        "identified through that mechanism (solid) and all victims identified (dotted). Pale "
        "bars are rounded government figures ('around 11,300'); hatched bars are lower bounds "
        "('more than 7,500'), drawn at the bound. Years without a figure are left empty and "
        "labelled — never drawn as zero. The coloured squares on top show Hong Kong's TIP tier "
        "in the report of the following year: the TIP report of year N covers calendar year "
        "N−1, so data year 2023 sits under the 2024 report's tier.")
    ids = list(hk["source_id"]) + list(tiers["source_id"])
    return ChartView(charts.hk_screening_chart(wide, tiers, line), wide, caption, line,
                     sources.rows(ids), title=_(HK_SCREENING),
                     summary=hk_screening_summary(wide), table=hk_screening_table(wide, tiers))


RATE_TABLE = {"year": N_("Data year"), "shown": N_("Victims per 1,000 screened"),
              "victims": N_("Victims identified through screening"),
              "screenings": N_("People screened"), "screenings_qualifier": N_("Qualifier")}


def _rate_text(rate: float, mark: str) -> str:
    return f"{mark}{rate:.2f}"


def hk_rate_table(rates: pd.DataFrame) -> pd.DataFrame:
    """The rate chart's bars: years with both figures, the rate as labelled on its bar."""
    drawn = rates[rates["rate"].notna()]
    return datatable.headed(drawn.assign(shown=[_rate_text(r, m) for r, m in zip(
        drawn["rate"], drawn["mark"], strict=True)]), RATE_TABLE)


def hk_rate_summary(rates: pd.DataFrame) -> str:
    """The latest rate and the range over the years with both figures."""
    drawn = rates[rates["rate"].notna()]
    if drawn.empty:
        return ""
    latest = drawn.iloc[-1]
    low, high = drawn.loc[drawn["rate"].idxmin()], drawn.loc[drawn["rate"].idxmax()]
    return _("Hong Kong identified {rate} victims per 1,000 people screened in {year}; over "
             "{n} years with both figures the rate ranged from {low} ({low_year}) to {high} "
             "({high_year}).").format(
        rate=_rate_text(latest["rate"], latest["mark"]), year=int(latest["year"]),
        n=len(drawn), low=_rate_text(low["rate"], low["mark"]), low_year=int(low["year"]),
        high=_rate_text(high["rate"], high["mark"]), high_year=int(high["year"]))


def _hk_rate(v: Mapping[str, Any]) -> ChartView:
    del v
    hk, wide, line = _hk_frames()
    rates = q.hk_rates(wide)
    caption = _(
        "Identification rate = victims identified through screening ÷ people screened × 1,000. "
        "Computed only for years with both figures; '≈' marks a rate whose screening count is "
        "rounded by its source, '≤' one whose screening count is a lower bound (more people "
        "were screened, so the rate is at most that).")
    return ChartView(charts.hk_rate_chart(rates, line), rates, caption, line,
                     sources.rows(hk["source_id"]), title=_(HK_RATE),
                     summary=hk_rate_summary(rates), table=hk_rate_table(rates))


def _choices() -> list[str]:
    return q.compare_choices()["iso3"].tolist()


DEFAULT_PLACES = ("HKG", "SGP", "JPN", "MYS", "THA")
PLACES_MAX = 10
# The comparison's jurisdictions (address parameter ``compare``, as the page always used).
PLACES = codes_param(
    _choices, lambda: [c for c in DEFAULT_PLACES if c in set(_choices())],
    name="compare", max_n=PLACES_MAX)
# The absolute chart's y axis; a log scale keeps small series readable beside 10,000s.
SCALE = choice_param("scale", N_("scale"), lambda: ["log", "linear"], default=lambda: "log")


def scale(log: bool) -> str:
    """The ``scale`` value of the page's 'Logarithmic scale' toggle."""
    return "log" if log else "linear"


COMPARE_RATE_TABLE = {"area_name": N_("Place"), "year": N_("Data year"),
                      "shown": N_("Victims per 1,000 screened"),
                      "rounded": N_("A figure is rounded")}


def compare_rate_table(rates: pd.DataFrame) -> pd.DataFrame:
    return datatable.headed(rates.assign(
        shown=rates["rate"].map(lambda r: f"{r:.2f}"),
        rounded=rates["approximate"].map(lambda a: _("yes") if a else _("no"))),
        COMPARE_RATE_TABLE)


def latest_clauses(frame: pd.DataFrame, by: str, value: str, text: str,
                   shown=formatting.count) -> list[str]:
    """One clause per ``by`` group from its latest row with a number: ``text`` (translated,
    with {name}, {value} and {year}) filled in."""
    data = frame[frame[value].notna()].sort_values("year")
    return [text.format(name=name, value=shown(part[value].iloc[-1]),
                        year=int(part["year"].iloc[-1]))
            for name, part in data.groupby(by, sort=True)]


def compare_frame(chosen: list[str]) -> pd.DataFrame:
    """The chosen jurisdictions' victim and screening counts, places named in the reader's
    language (and so the series labels, 'Place — indicator')."""
    frame = places.localise(q.compare_series(chosen), "area_code", "area_name")
    return frame.assign(series=frame["area_name"] + " — " + frame["indicator_name"])


def _compare_rate(v: Mapping[str, Any]) -> ChartView:
    frame = compare_frame(list(v["compare"]))
    rates = q.rates_per_screened(frame)
    used = frame[frame["indicator"].isin(q.HK_CODES)]
    line = q.source_line(used)
    caption = _(
        "Victims identified through screening per 1,000 people screened. Hong Kong is the only "
        "jurisdiction in the database with a published screening count; others publish victims "
        "only, so the denominator is missing for them.")
    summary = datatable.joined(latest_clauses(
        rates, "area_name", "rate", _("{name}: {value} victims per 1,000 screened in {year}"),
        lambda r: f"{r:.2f}")) or _("No chosen jurisdiction publishes screening counts.")
    return ChartView(charts.compare_rate_chart(rates, line), rates, caption, line,
                     sources.rows(used["source_id"]), title=_(SCREENING_RATE), summary=summary,
                     table=compare_rate_table(rates))


VICTIMS_TABLE = {"series": N_("Series"), "year": N_("Year"), "value": N_("Victims"),
                 "indicator_publisher": N_("Publisher")}


def _compare_victims(v: Mapping[str, Any]) -> ChartView:
    frame = compare_frame(list(v["compare"]))
    part = frame[frame["indicator"].isin(q.VICTIM_SERIES)]
    line = q.source_line(frame)
    log = v.get("scale", "log") == "log"
    caption = (_("Victims per year as each publisher counts them: Hong Kong's identified "
                 "victims (TIP report / HKSAR), UNODC's detected victims, Eurostat's registered "
                 "victims. Lines break where a year has no figure. Hover for the source and its "
                 "address.") + (" " + _("Log scale.") if log else ""))
    drawn = part[part["value"].notna()].sort_values(["series", "year"])
    summary = datatable.joined(latest_clauses(drawn, "series", "value",
                                              _("{name}: {value} in {year}")))
    return ChartView(charts.compare_absolute_chart(part, line, log_scale=log), part, caption,
                     line, sources.rows(part["source_id"]), title=_(SCREENING_VICTIMS),
                     summary=summary or _("No victim counts for the chosen jurisdictions."),
                     table=datatable.headed(drawn, VICTIMS_TABLE))


PER_MILLION_TABLE = {"area_name": N_("Place"), "year": N_("Year"),
                     "value": N_("Registered victims per million inhabitants")}


def per_million_summary(pm: pd.DataFrame) -> str:
    drawn = pm[pm["value"].notna()]
    if drawn.empty:
        return ""
    high, low = drawn.loc[drawn["value"].idxmax()], drawn.loc[drawn["value"].idxmin()]
    return _("{n} figures for {places} places: highest {high_place} with {high} per million "
             "({high_year}), lowest {low_place} with {low} ({low_year}).").format(
        n=len(drawn), places=drawn["area_code"].nunique(), high_place=high["area_name"],
        high=f"{high['value']:g}", high_year=int(high["year"]), low_place=low["area_name"],
        low=f"{low['value']:g}", low_year=int(low["year"]))


def _per_million(v: Mapping[str, Any]) -> ChartView:
    del v
    pm = places.localise(q.rates_per_million(), "area_code", "area_name")
    line = q.source_line(pm)
    caption = _(
        "A different denominator: Eurostat's registered victims per million inhabitants, as "
        "quoted by public pages (2019–2020). Hong Kong is not in Eurostat's data; no population "
        "figures are in the database to compute a rate for it.")
    drawn = pm[pm["value"].notna()].sort_values(["year", "value"])
    return ChartView(charts.per_million_chart(pm, line), pm, caption, line,
                     sources.rows(pm["source_id"]), title=_(PER_MILLION),
                     summary=per_million_summary(pm),
                     table=datatable.headed(drawn, PER_MILLION_TABLE))


WORLD_TABLE = {"series": N_("Series"), "year": N_("Data year"), "part": N_("Part"),
               "value": N_("Value"), "edition": N_("As given by")}


def world_table(world: pd.DataFrame) -> pd.DataFrame:
    """The worldwide chart's bars: the preferred statement of each figure."""
    drawn = world[q.is_charted(world) & world["value"].notna()]
    drawn = drawn.assign(
        series=drawn["indicator"].map(lambda c: _(charts.WORLD_TITLES.get(c, c))),
        part=drawn["breakdown"].map(lambda b: _("of which labour trafficking") if b
                                    else _("All trafficking")))
    order = {c: i for i, c in enumerate(charts.WORLD_TITLES)}
    drawn = drawn.sort_values(["indicator", "breakdown", "year"],
                              key=lambda s: s.map(order) if s.name == "indicator" else s)
    return datatable.headed(drawn, WORLD_TABLE)


def world_summary(world: pd.DataFrame) -> str:
    """'In data year 2024, the TIP report counts 15,791 prosecutions, … worldwide.'"""
    totals = world[q.is_charted(world) & world["value"].notna() & (world["breakdown"] == "")]
    if totals.empty:
        return ""
    last = int(totals["year"].max())
    at = totals[totals["year"] == last].set_index("indicator")["value"]
    shown = {k: formatting.count(at[c]) if c in at.index else _("no figure")
             for k, c in zip(("prosecutions", "convictions", "victims"), q.WORLD_CODES,
                             strict=True)}
    return _("In data year {year}, the TIP report counts {prosecutions} prosecutions, "
             "{convictions} convictions and {victims} victims identified worldwide; the "
             "series start in {first}.").format(year=last, first=int(totals["year"].min()),
                                                **shown)


def _worldwide(v: Mapping[str, Any]) -> ChartView:
    del v
    world = q.worldwide()
    line = q.source_line(q.by_dataset(world))
    caption = _(
        "Prosecutions, convictions and victims identified worldwide per data year, from the TIP "
        "report's 'Global Law Enforcement Data' table (orange: the labour-trafficking part, "
        "where the report prints it). The data year is the year before the report year. '–' "
        "marks a year the table does not give; the State Department calls the figures "
        "estimates. Later reports revise earlier years: each year shows the latest edition in "
        "the data that gives it, and '*' marks a year another edition or page gives differently "
        "— hover for every edition's value; all of them are in the table below.")
    return ChartView(charts.worldwide_chart(world, line), world, caption, line,
                     sources.rows(world["source_id"]), title=_(WORLDWIDE),
                     summary=world_summary(world), table=world_table(world))


HK_SCREENING = N_("Hong Kong: people screened and victims identified")
HK_RATE = N_("Hong Kong: victims identified per 1,000 screened")
SCREENING_RATE = N_("Victims identified per 1,000 people screened, by jurisdiction")
SCREENING_VICTIMS = N_("Victims identified, detected or registered, by jurisdiction")
PER_MILLION = N_("Registered victims per million inhabitants (Eurostat)")
WORLDWIDE = N_("Worldwide prosecutions, convictions and victims identified (TIP report)")
SPECS = [
    ChartSpec("hk-screening", HK_SCREENING, PAGE, (), _hk_screening),
    ChartSpec("hk-identification-rate", HK_RATE, PAGE, (), _hk_rate),
    ChartSpec("screening-rate", SCREENING_RATE, PAGE, (PLACES,), _compare_rate),
    ChartSpec("screening-victims", SCREENING_VICTIMS, PAGE, (PLACES, SCALE), _compare_victims),
    ChartSpec("screening-per-million", PER_MILLION, PAGE, (), _per_million),
    ChartSpec("tip-worldwide", WORLDWIDE, PAGE, (), _worldwide),
]


def hk_metrics(wide: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) of the three headline figures for the latest year with a screening count:
    people screened, victims identified through screening, and the rate per 1,000."""
    latest = wide.dropna(subset=[q.SCREENINGS]).iloc[-1]
    year = int(latest["year"])
    rates = q.hk_rates(wide).set_index("year")
    rate, mark = rates["rate"].get(year), rates["mark"].get(year, "")
    victims = latest[q.VICTIMS_SCREENED]
    return [
        (_("People screened, {year}").format(year=year),
         formatting.count(latest[q.SCREENINGS], latest[q.SCREENINGS + "_qualifier"])),
        (_("Victims identified through screening, {year}").format(year=year),
         _("no figure") if pd.isna(victims) else f"{victims:,.0f}"),
        (_("Per 1,000 screened, {year}").format(year=year),
         _("not computable") if rate is None or pd.isna(rate) else f"{mark}{rate:.2f}"),
    ]


# Built once per database file (and language): a rerun only draws them (issue 14).
@db.per_file(maxsize=4)
def hk_wide() -> pd.DataFrame:
    """``queries.screening.hk_wide`` of every Hong Kong screening and victim count."""
    return q.hk_wide(q.hk_observations())


@db.per_file(maxsize=4, by_language=True)
def hk_headline() -> list[tuple[str, str]]:
    """``hk_metrics`` of ``hk_wide``."""
    return hk_metrics(hk_wide())


@db.per_file(maxsize=4, by_language=True)
def hk_responses() -> pd.DataFrame:
    """Hong Kong's published answers to the TIP report, each with its date as text."""
    said = responses.for_jurisdiction(q.HK)
    # The stance is this project's word (responses.STANCES), shown in the reader's language.
    return said.assign(date=said["statement_date"].map(responses.date_text),
                       stance=said["stance"].map(_))


def place_names() -> dict[str, str]:
    """iso3 → name of the jurisdictions the comparison offers (those with a victim count)."""
    named = places.localise(q.compare_choices(), "iso3", "name")
    return dict(named[["iso3", "name"]].itertuples(index=False))


def definitions(frame: pd.DataFrame) -> pd.DataFrame:
    """The definitions of every series the comparison draws, and of the per-million rate."""
    return q.definitions([*sorted(set(frame["indicator"])), q.RATE_PER_MILLION])


def address(chosen: list[str], log: bool) -> dict[Param, Any]:
    """The comparison's address values. The scale is written only when it is not the default
    (log), as addresses were before the scale could be chosen."""
    return {PLACES: chosen, SCALE: None if log else "linear"}


def every_figure(frames: list[pd.DataFrame | None]) -> pd.DataFrame:
    """The page's table of every figure it shows, places named in the reader's language."""
    return places.localise(q.table(frames), "area_code", "area_name")
