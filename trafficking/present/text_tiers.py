"""The TIP tiers page's words: its fixed prose, and the chart captions and summaries it writes
from the data, in the reader's language.

Fixed prose is marked with ``N_`` here and shown with ``_``; sentences built from the data are
whole translated sentences with placeholders, filled after translation. Place names, dataset
ids and sources stay as the data has them (place names arrive already localised). Pages show
these texts as Markdown through ``md_plain``, so nothing from the data renders as markup.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import pandas as pd
from babel import Locale
from babel.lists import format_list

from trafficking import i18n, style, vocabulary
from trafficking.i18n import N_, _

TITLE = N_("TIP report tiers")
INTRO = N_(
    "Each year the US State Department's Trafficking in Persons (TIP) report places "
    "governments on a tier by their efforts against trafficking: Tier 1 (meets the US law's "
    "minimum standards), Tier 2, Tier 2 Watch List, Tier 3 (does not meet them and is not "
    "making significant efforts), or Special Case.")
NO_TIERS = N_("The database holds no tier placements. Run `make data` to build them.")
MAP = N_("World map")
YEAR = N_("Report year")
NO_GEOMETRY = N_(
    "Map geometry is missing (static/world_50m.json). `make data` installs it from the "
    "world-geometry source; the other charts below still work.")
PLAY = N_("Play through all years")
PLAY_HELP = N_("Replace the map with an animation of every report since the first.")
CLICK = N_("Click a country (or its dot) to open its profile.")
WATCH_LIST = N_("Tier 2 Watch List, consecutive years")
PLACES = N_("Jurisdictions")
CHOOSE = N_("Choose one or more jurisdictions to see their tier history.")
VALUES = N_("Values, sources and government responses")
REGIONS = N_("Regions")
ALL_REGIONS = N_("All regions")
SORT = N_("Sort by")
# The page's sections (expander labels): fixed, so a section's identity does not change with
# the year.
SECTIONS = {"movements": N_("Movements and the Watch List"),
            "timeline": N_("Tier history of selected jurisdictions"),
            "heatmap": N_("All jurisdictions, all reports"),
            "counts": N_("Counts per tier")}
# Where the tier labels are spelt out for a reader who cannot tell the colours apart.
SHORT_KEY = N_("1, 2, 2WL (Watch List), 3, SC (Special Case) and 1/2? (Tier 1 or 2, "
               "unresolved)")


def unresolved_notice(n: int, year: int) -> str:
    return _("{n} placements in {year} are shown as 'Tier 1 or 2 (unresolved)'. The sources in "
             "this database list that year's Watch List and Tier 3 completely, but not which of "
             "the remaining jurisdictions were Tier 1 and which Tier 2. They are drawn in "
             "grey-blue and never as a guessed tier.").format(n=n, year=year)


def not_on_map(names: str) -> str:
    return _("Not drawn on the map (no shape and no known position): {names}").format(
        names=names)


def movements_heading(year: int) -> str:
    return _("Movements in {year}").format(year=year)


def first_report(year: int) -> str:
    return _("{year} is the first report in the database: there is nothing to compare "
             "with.").format(year=year)


def responses_caption(stance_note: str) -> str:
    return _("Response columns: the government's published statement answering that report, "
             "where the database holds one (the first statement of the year; 'Other "
             "statements' names the rest). {stance_note}").format(stance_note=stance_note)


def sort_label(key: str, sorts: dict[str, str], latest: int) -> str:
    return _("Tier in {year}").format(year=latest) if key == "latest" else _(sorts[key])


# --- Regions: the jurisdictions' UN M49 subregions, named by CLDR in the reader's language ----
# The database's region names are the UN's; where CLDR's English name differs, its code.
_M49_ALIASES = {"South-eastern Asia": "035", "Australia and New Zealand": "053",
                "Micronesia": "057"}


@functools.cache
def _m49_codes() -> dict[str, str]:
    english = Locale.parse("en").territories
    return {name: code for code, name in english.items() if code.isdigit()} | _M49_ALIASES


def region_name(english: object) -> str:
    """A jurisdiction's region (the UN M49 subregion the database names in English) in the
    reader's language; the English name where CLDR does not know it."""
    if not isinstance(english, str):
        return "" if english is None or pd.isna(english) else str(english)
    return i18n.territory_name(_m49_codes().get(english), english)


def with_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``region`` column in the reader's language (a copy)."""
    if "region" not in frame or i18n.language() == i18n.DEFAULT:
        return frame
    return frame.assign(region=frame["region"].map(region_name))


# --- Data tables: exactly the plotted rows, headings and tiers in the reader's language ---------
_HEADINGS = {"name": N_("Jurisdiction"), "iso3": N_("Code"), "report_year": N_("Report year"),
             "previous_tier": N_("Previous tier"), "tier": N_("Tier"),
             "movement": N_("Movement"), "consecutive_years": N_("Consecutive reports"),
             "since": N_("Since"), "n": N_("Jurisdictions"), "source_id": N_("Source file")}
_MOVES = {"upgrade": N_("Upgraded"), "downgrade": N_("Downgraded")}


def tier_table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The plotted rows of a tier chart as its data table: tiers by their label, moves in
    words, headings in the reader's language."""
    out = frame[columns].reset_index(drop=True)
    for col in ("tier", "previous_tier"):
        if col in out:
            out[col] = out[col].map(style.tier_label)
    if "movement" in out:
        out["movement"] = out["movement"].map(lambda m: _(_MOVES.get(m, m)))
    return out.rename(columns={c: _(_HEADINGS[c]) for c in columns})


# --- Pieces of the data sentences -------------------------------------------------------------
def sentences(parts: Iterable[str]) -> str:
    """Sentences one after another: a space between them in English, none in Chinese (the
    catalogue's "{sentence} {next}" says which)."""
    out = ""
    for part in parts:
        if part:
            out = _("{sentence} {next}").format(sentence=out, next=part) if out else part
    return out


def listed(items: Iterable[str]) -> str:
    """'A, B, and C' / 'A、B及C': a list in the reader's language (CLDR's patterns)."""
    items = list(items)
    return format_list(items, locale=i18n.babel_locale()) if items else _("none")


def some(names: Sequence[str], shown: int = 5) -> str:
    """The first ``shown`` names, then how many more."""
    names = list(names)
    if len(names) <= shown:
        return listed(names)
    return _("{names} and {n} more").format(names=_(", ").join(names[:shown]),
                                            n=len(names) - shown)


def years(first: int, last: int) -> str:
    return f"{first}–{last}" if first != last else str(first)


def tier_counts(tiers: pd.Series) -> str:
    """'Tier 1: 30, Tier 2: 98, …' in legend order, naming only the tiers present."""
    counts = tiers.value_counts()
    return listed(_("{tier}: {n}").format(tier=style.tier_label(t), n=int(counts[t]))
                  for t in style.TIER_ORDER if counts.get(t, 0))


def runs(hist: pd.DataFrame) -> list[tuple[str, int, int]]:
    """One jurisdiction's placements as runs of one tier in consecutive report years
    (a year with no placement, or a different tier, ends a run)."""
    out: list[tuple[str, int, int]] = []
    for year, tier in zip(hist["report_year"].astype(int), hist["tier"], strict=True):
        if out and out[-1][0] == tier and out[-1][2] == year - 1:
            out[-1] = (tier, out[-1][1], year)
        else:
            out.append((tier, year, year))
    return out


def history_sentence(name: str, hist: pd.DataFrame) -> str:
    """'Hong Kong: Tier 1 in 2001–2008, Tier 2 in 2009–2015, …' from its placements."""
    parts = [_("{tier} in {years}").format(tier=style.tier_label(t), years=years(a, b))
             for t, a, b in runs(hist.sort_values("report_year"))]
    return _("{place}: {history}.").format(place=name, history=listed(parts))


# --- Chart summaries: one or two sentences each, from the plotted data --------------------------
def map_summary(this: pd.DataFrame, year: int) -> str:
    worst = this[this["tier"] == vocabulary.TIER_3].sort_values("name")["name"]
    return sentences([
        _("The {year} TIP report places {n} jurisdictions: {counts}.").format(
            year=year, n=len(this), counts=tier_counts(this["tier"])),
        _("On Tier 3: {names}.").format(names=some(worst.tolist())) if len(worst) else
        _("No jurisdiction is on Tier 3."),
    ])


def animated_summary(panel: pd.DataFrame, report_years: Sequence[int], start: int) -> str:
    this = panel[panel["report_year"] == start]
    return sentences([
        _("An animation of every report from {first} to {last} ({n} placements), starting at "
          "{start}.").format(first=report_years[0], last=report_years[-1], n=len(panel),
                             start=start),
        map_summary(this, start)])


def movements_summary(moved: pd.DataFrame, year: int) -> str:
    if moved.empty:
        return _("No upgrades or downgrades in {year} against {previous}.").format(
            year=year, previous=year - 1)
    up = moved[moved["movement"] == "upgrade"].sort_values("name")["name"].tolist()
    down = moved[moved["movement"] == "downgrade"].sort_values("name")["name"].tolist()
    return sentences([
        _("Against the {previous} report, {n} jurisdictions moved up a tier: {names}.").format(
            previous=year - 1, n=len(up), names=some(up)),
        _("{n} moved down: {names}.").format(n=len(down), names=some(down))])


def watch_summary(streaks: pd.DataFrame, year: int) -> str:
    if streaks.empty:
        return _("No jurisdiction is on the Tier 2 Watch List in {year}.").format(year=year)
    longest = int(streaks["consecutive_years"].max())
    top = streaks[streaks["consecutive_years"] == longest].sort_values("name")
    return sentences([
        _("{n} jurisdictions are on the Tier 2 Watch List in {year}; {long} of them for two or "
          "more consecutive reports.").format(
            n=len(streaks), year=year, long=int((streaks["consecutive_years"] >= 2).sum())),
        _("Longest: {names} ({k} consecutive reports, since {since}).").format(
            names=some(top["name"].tolist(), 3), k=longest, since=int(top["since"].min()))])


def timeline_summary(hist: pd.DataFrame) -> str:
    if hist.empty:
        return ""
    return sentences(history_sentence(name, part) for name, part in
                    hist.groupby("name", sort=False))


def heatmap_summary(part: pd.DataFrame, n_rows: int) -> str:
    if part.empty:
        return ""
    first, last = int(part["report_year"].min()), int(part["report_year"].max())
    return sentences([
        _("{n} jurisdictions over the reports of {years}.").format(n=n_rows,
                                                                  years=years(first, last)),
        _("In {year}: {counts}.").format(
            year=last, counts=tier_counts(part.loc[part["report_year"] == last, "tier"]))])


def counts_summary(counts: pd.DataFrame) -> str:
    if counts.empty:
        return ""
    first, last = int(counts["report_year"].min()), int(counts["report_year"].max())

    def year_counts(year: int) -> str:
        part = counts[counts["report_year"] == year]
        return tier_counts(part["tier"].repeat(part["n"].astype(int)))

    return sentences([
        _("In the {year} report: {counts}.").format(year=last, counts=year_counts(last)),
        _("In the first report in the database ({year}): {counts}.").format(
            year=first, counts=year_counts(first))])
