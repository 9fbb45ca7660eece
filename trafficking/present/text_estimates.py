"""The words of the Global estimates page, in the reader's language: its prose, notices and
headings, and what it shows beside its charts (headline tiles, the GSI summary and a country's
tiles), shaped from query results. No Streamlit; strings from the data (quotes, source ids,
names) are escaped with ``md_plain`` because the page renders these as Markdown.
"""

from __future__ import annotations

import pandas as pd

from trafficking import formatting
from trafficking.i18n import N_, _
from trafficking.present.tiles import Tile
from trafficking.text import md_plain

TITLE = N_("Global estimates of modern slavery")
INTRO = N_(
    "How many people are in forced labour and forced marriage worldwide, as estimated by the "
    "ILO, Walk Free and IOM (Global Estimates of Modern Slavery, 2017 and 2022 editions) and, "
    "before them, by the ILO for forced labour alone (2005, 2012). Every figure is shown as a "
    "public page quotes it; hover over a bar or open 'Figures and sources' for the page, the "
    "sentence and the reference year.")
NOT_A_SERIES = N_(
    "Editions are not a time series. The publishers revised their methods between editions: "
    "the ILO 2005 and 2012 estimates count forced labour only; the 2017 edition added forced "
    "marriage with a new method, and the 2022 edition revised it again (it restates 2016 "
    "values). A change between editions mixes real change with changes of method.")
NO_FIGURES = N_(
    "The database holds no global estimates. Sources global-estimates-figures and "
    "gems-ilo-estimates-quoted load them; run `make data`.")
HEADLINES = N_("Headline figures by edition")
CHANGES_NOTE = N_(
    "Changes are the difference between the two editions' published headlines, computed here; "
    "they are not a trend. The 2022 edition itself compares 2021 with restated 2016 values.")
BREAKDOWNS = N_("Breakdowns by form, region, sex and age")
EDITION = N_("Edition")
BREAKDOWNS_NOTE = N_(
    "Counts, shares and rates are drawn in separate charts, never on one axis. Each bar is one "
    "figure as a page states it, not a slice of one total: two pages may name the same group "
    "in different words (hover to see each quote).")
BY_FORM = N_("By form")
BY_REGION = N_("By region")
BY_SEX_AGE = N_("By sex and age")
OTHER = N_("Other breakdowns")
MEASURE = N_("Measure")
NO_REGIONAL = N_("No regional figure is quoted for the {edition}.")
REGION_DETAILS = N_("Other regional figures (groups within a region, shares of world totals)")
FIGURES_AND_SOURCES = N_("Figures and sources")
COUNTRIES = N_("Country estimates: Global Slavery Index 2023")
NO_GSI = N_(
    "Country prevalence estimates are not yet available: the database holds no Walk Free "
    "Global Slavery Index data (source walkfree-gsi-2023).")
NO_GEOMETRY = N_(
    "Map geometry is missing (static/world_50m.json); `make data` installs it. The table below "
    "still works.")
NOT_ON_MAP = N_("Not drawn on the map (no shape and no known position): {places}")
LOOK_UP = N_("Look up a country")
RANKED = N_("Ranked by prevalence")
GSI_NOTE = N_(
    "Prevalence is shown with one decimal as on Walk Free's site (stored unrounded); numbers "
    "are rounded to thousands by Walk Free. Government response can be negative (harmful "
    "policies subtract); four conflict-affected countries were not assessed.")
MISSING = N_("Not in the database yet")

HEADLINE_SERIES = (
    ("gems", N_("Global Estimates of Modern Slavery (forced labour + forced marriage)")),
    ("ilo", N_("Earlier ILO estimates of forced labour (a different series and method)")),
)
_MEASURE_ORDER = {"modern_slavery": 0, "forced_labour": 1, "forced_marriage": 2}


def _change(c: pd.Series) -> str:
    text = _("{change} vs {edition} edition").format(
        change=formatting.change(c["change"]), edition=int(c["from_edition"]))
    return ("≈ " if c["approximate"] else "") + text


def headline_tiles(heads: pd.DataFrame, moves: pd.DataFrame, series: str
                   ) -> list[tuple[int, list[Tile]]]:
    """Per edition of ``series`` (oldest first), one tile per headline measure; the GEMS
    tiles carry the change from the previous edition (difference of two headlines)."""
    part = heads[heads["series"] == series]
    out = []
    for edition, grp in part.groupby("edition"):
        tiles = []
        for _i, r in grp.sort_values("measure", key=lambda s: s.map(_MEASURE_ORDER)).iterrows():
            change = moves[(moves["to_edition"] == edition) & (moves["measure"] == r["measure"])]
            delta = _change(change.iloc[0]) if series == "gems" and not change.empty else None
            about = _("Reference year {year}. Source: {source}. Quote: “{quote}”").format(
                year=int(r["year"]), source=md_plain(r["source_id"]), quote=md_plain(r["quote"]))
            if delta:
                about = _("Change: difference of the two editions' headlines, computed here; "
                          "methods were revised, so it is not a pure trend.") + " " + about
            if r["also_quoted"]:
                about += " " + _("Also quoted: {others}.").format(others=md_plain(r["also_quoted"]))
            tiles.append(Tile(_(r["measure_label"]),
                              formatting.estimate(r["value"], "count", r["qualifier"]),
                              delta, about))
        out.append((int(edition), tiles))
    return out


def gsi_summary(countries: pd.DataFrame) -> str:
    """What the GSI 2023 holds: how many countries have an estimate, and their sum."""
    n_est = int(countries["prevalence"].notna().sum())
    return _(
        "Walk Free's estimates for {n} of the {total} countries it assessed, for 2021, made with "
        "the same model as the 2022 Global Estimates (they sum to {people} people). {none} "
        "countries have no estimate: they are grey on the map and listed as 'no estimate' — "
        "not zero.").format(n=n_est, total=len(countries),
                            people=formatting.decimal(countries["number"].sum()),
                            none=len(countries) - n_est)


def _or(value: object, text: str, pattern: str) -> str:
    return text if pd.isna(value) else formatting.decimal(value, pattern)  # type: ignore[arg-type]


def gsi_tiles(ranked: pd.DataFrame, iso3: str) -> list[Tile]:
    """One country's GSI 2023 figures from ``queries.estimates.ranked``; 'no estimate' and
    'not assessed' are never zero."""
    n_estimates = int(ranked["prevalence"].notna().sum())
    row = ranked[ranked["iso3"] == iso3].iloc[0]
    no_estimate = _("no estimate")
    return [
        Tile(_("Prevalence per 1,000"), _or(row["prevalence"], no_estimate, "0.0")),
        Tile(_("Estimated number"), _or(row["number"], no_estimate, "#,##0")),
        Tile(_("Rank (of estimates)"), "—" if pd.isna(row["rank"]) else
             _("{rank} of {n}").format(rank=row["rank"], n=n_estimates)),
        Tile(_("Government response"), _("not assessed") if pd.isna(row["government_response"])
             else _("{value} %").format(value=formatting.decimal(row["government_response"],
                                                                   "0.0"))),
    ]


def edition_heading(name: str) -> str:
    """An edition's name in bold above its tiles (Markdown; the name is escaped)."""
    return f"**{md_plain(name)}**"
