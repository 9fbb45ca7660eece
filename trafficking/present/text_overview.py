"""The Overview page's words: its fixed prose and the sentences it builds from the data, in the
reader's language (marked with ``N_`` here, shown with ``_``)."""

from __future__ import annotations

from trafficking.i18n import N_, _

TITLE = N_("Human trafficking statistics")
INTRO = N_(
    "Public figures on trafficking in persons in one place: the US State Department's "
    "Trafficking in Persons (TIP) report tiers since 2001, global estimates, and screening "
    "and identification figures. Every number on every page names the file it comes from; "
    "where a figure cannot be sourced the page says so instead of filling the gap.")
EXPLORE = N_("Explore the tier map, movements and histories")
OTHER = N_("Other statistics in the database")
NO_OTHER = N_("No statistics besides the TIP tiers are loaded yet.")
OTHER_CAPTION = N_(
    "Indicators loaded from each dataset, the number of values and the years they cover. "
    "Definitions differ between publishers; each page explains what counts.")
SOURCES_LINK = N_("Every source file, checksum and refresh")


def glance(year: int) -> str:
    return _("The {year} TIP report at a glance").format(year=year)


def placements(sources_line: str, n: int, year: int) -> str:
    return _("{sources} {n} placements for {year}.").format(sources=sources_line, n=n,
                                                            year=year)
