"""The Compare page's words: its fixed prose, the notices and notes it builds from a choice,
and the charts' captions and summaries.

Fixed prose is marked for the catalogue with ``N_`` (the page shows it with ``_()``, in the
reader's language); notes built from data are translated here. Every string from the database
inside a note goes through ``md_plain``. Kept apart from the page so the page reads as its
layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from trafficking.i18n import N_, _, ngettext
from trafficking.present import datatable
from trafficking.present.validate import listed
from trafficking.text import md_plain

if TYPE_CHECKING:
    from trafficking.present.specs_compare import Comparison

INTRO = N_(
    "Put jurisdictions side by side on any indicator in the database. Every value comes from a "
    "named source; open **Values and sources** under the charts for the file, the quoted "
    "sentence and the page it was read from. Missing years are gaps, never zeros.")
NO_INDICATORS = N_(
    "The database holds no indicator values yet, only tier placements. Build the indicator "
    "sources with `make data` to compare jurisdictions on them.")
BREAKDOWN_HELP = N_(
    "Breakdowns the chosen indicators have values for (sex, age, form of exploitation ...). "
    "One line per place and category.")
LOG_HELP = N_("Useful when places differ by orders of magnitude. Zero values cannot be drawn "
              "on a log scale.")
NO_POPULATION = N_("Per-capita figures for counts are not available: the database holds no "
                   "sourced population series.")
ONE_PLACE = N_("Choose at least two jurisdictions to compare (for one jurisdiction, open its "
               "profile page).")
ALL_TIERS = N_("Tier markers for every report year (not only the years with indicator values)")
CHARTED = N_(
    "'Charted' is unticked for a second statement of the same figure (e.g. a rounded one, or "
    "an earlier report edition) that the charts do not draw; 'Why charted or not' gives the "
    "database's reason.")
LINES_CAPTION = N_(
    "One panel per unit. Open markers: figures with a qualifier (e.g. 'approximately'). Lines "
    "break at missing years and at every change of edition or definition (dotted line, ⟂ "
    "label; hover it for the note). A ◇ mark at the foot of a panel is a value published "
    "without a number (e.g. suppressed). Tier squares: the TIP report of that year, which "
    "covers the year before.")


# The database's breakdown dimensions (observations.breakdown_dim): a combined one such as
# 'sex_age' reads 'sex × age'. The breakdown values themselves are the publishers' words.
DIMENSIONS = {
    "age": N_("age"), "sex": N_("sex"), "form": N_("form"), "citizenship": N_("citizenship"),
    "dimension": N_("dimension"), "milestone": N_("milestone"), "movement": N_("movement"),
    "sector": N_("sector"), "region": N_("region"), "income_group": N_("income group"),
    "share_of_world": N_("share of the world")}


def breakdown_name(dim: str) -> str:
    """'sex × age' for 'sex_age', in the reader's language."""
    if dim in DIMENSIONS:
        return _(DIMENSIONS[dim])
    return " × ".join(_(DIMENSIONS[p]) if p in DIMENSIONS else p for p in dim.split("_"))


def places_label(regions: bool) -> str:
    """The place picker's label (regions and the World are offered for some indicators)."""
    return (_("Jurisdictions (2–10; type to search; regions and World are listed first)")
            if regions else _("Jurisdictions (2–10; type to search)"))


def breakdown_option(dim: str) -> str:
    return _("Total (no breakdown)") if dim == "total" else _("By {breakdown}").format(
        breakdown=breakdown_name(dim))


def gap_option(n: int) -> str:
    return _("0 years (same year only)") if n == 0 else ngettext("{n} year", "{n} years",
                                                                  n).format(n=n)


def gap_help(population_code: str) -> str:
    return _("Population: indicator '{code}'. Only the years that source states are used; with "
             "0, a count is converted only where the population of the same year is sourced."
             ).format(code=population_code)


def ignored_breakdown(dim: str) -> str:
    return _("Ignored breakdown “{breakdown}”: the chosen indicators have no values by it."
             ).format(breakdown=md_plain(dim))


def dropped_indicators(values: Sequence[str]) -> str:
    """The notice for indicator codes in the address the database does not hold, each quoted
    in the reader's quotation marks and made safe, the first five named."""
    return ngettext(
        "Ignored an indicator in the address that the database does not hold: {values}.",
        "Ignored {n} indicators in the address that the database does not hold: {values}.",
        len(values)).format(values=listed(values), n=len(values))


def what_counts(text: str) -> str:
    return _("What counts: {text}").format(text=text)


def break_note(name: str, year: int, text: str) -> str:
    """A series break under the chart: '⟂ name, year: what changed' (all plain text)."""
    return f"⟂ {md_plain(name)}, {year}: {md_plain(text)}"


def rows_caption(n: int) -> str:
    return ngettext("{n} row.", "{n} rows.", n).format(n=n) + " " + _(CHARTED)


def source_line(publishers: Sequence[str]) -> str:
    """The charts' source note: every publisher a plotted value comes from."""
    if not publishers:
        return ""
    return _("Sources: {publishers}. Tiers: US State Dept. TIP reports. Details: table below "
             "and Data & sources.").format(publishers=_("; ").join(publishers))


def missing_note(c: Comparison) -> str:
    """Markdown (every name as plain text): which chosen places have no row of which series;
    '' when every pair has one."""
    if not c.missing:
        return ""
    lines = []
    for s, names in c.missing.items():
        line = _("no values for {places}").format(places=md_plain(_(", ").join(names)))
        if c.dim == "total" and c.series_dims.get(s):
            line = _("{missing} (the indicator has values by {breakdowns}: choose a breakdown)"
                     ).format(missing=line, breakdowns=_(", ").join(
                         breakdown_name(d) for d in c.series_dims[s]))
        lines.append(f"- **{md_plain(c.series_names[s])}**: {line}")
    head = (_("What the database does not hold for this choice:") if c.dim == "total" else
            _("What the database does not hold for this choice (by {breakdown}):").format(
                breakdown=breakdown_name(c.dim)))
    return head + "\n" + "\n".join(lines)


def per_capita_notes(c: Comparison) -> list[str]:
    """Markdown notes on what per 100,000 leaves out: series without a per-capita form, and
    counts no sourced population reaches within the year gap."""
    notes = []
    if c.no_per_capita:
        notes.append(_("Not shown per 100,000 (a share, score or index has no per-capita form): "
                       "{indicators}").format(indicators=md_plain(_(", ").join(c.no_per_capita))))
    if c.lost:
        lost = ngettext("{n} value could not be converted", "{n} values could not be converted",
                        c.lost).format(n=c.lost)
        within = ngettext("within {gap} year of the value's year",
                          "within {gap} years of the value's year", c.gap).format(gap=c.gap)
        held = ngettext("the population series {code} has the year {years}",
                        "the population series {code} has the years {years}",
                        len(c.population_years)).format(
            code=md_plain(str(c.population_code)),
            years=_(", ").join(map(str, c.population_years)))
        notes.append(_(
            "{lost}: no sourced population for that place {within} ({held}). They are left "
            "out of the charts and stay in the table with their original number; widen the "
            "population-year slider to convert values of nearby years.").format(
                lost=lost, within=within, held=held))
    return notes


def ranking_caption(name: str, years: Sequence[int]) -> str:
    if len(years) > 1:
        return _("{indicator}: the latest value of each place (the latest year differs between "
                 "places: {years}; compare with care).").format(
            indicator=name, years=_(", ").join(map(str, years)))
    return _("{indicator}: the latest value of each place.").format(indicator=name)


def lines_summary(points: pd.DataFrame) -> str:
    """One sentence per indicator: each place's first and latest figure drawn."""
    sentences = []
    figures = points[points["series"] != ""]
    for name, part in figures.groupby("indicator_name", sort=False):
        clauses = []
        for place, line in part.groupby("place", sort=False):
            first, last = line.iloc[0], line.iloc[-1]
            clauses.append(
                _("{place} {value} ({year})").format(place=place, value=last["shown"],
                                                     year=last["year"]) if len(line) == 1 else
                _("{place} {first} ({first_year}) to {last} ({last_year})").format(
                    place=place, first=first["shown"], first_year=first["year"],
                    last=last["shown"], last_year=last["year"]))
        sentences.append(_("{indicator}: {places}").format(
            indicator=name, places=datatable.joined(clauses)))
    return " ".join(sentences)


def ranking_summary(name: str, points: pd.DataFrame) -> str:
    """The highest and lowest latest value of the places ranked."""
    ranked = points[points["value"].notna()]
    if ranked.empty:
        return _("{indicator}: no place has a number to rank.").format(indicator=name)
    top, low = ranked.iloc[0], ranked.iloc[-1]
    if len(ranked) == 1:
        return _("{indicator}: {place} {value} ({year}).").format(
            indicator=name, place=top["place"], value=top["shown"], year=top["year"])
    return _("{indicator}, latest value of {n} places: highest {top} {top_value} ({top_year}), "
             "lowest {low} {low_value} ({low_year}).").format(
        indicator=name, n=len(ranked), top=top["place"], top_value=top["shown"],
        top_year=top["year"], low=low["place"], low_value=low["shown"], low_year=low["year"])
