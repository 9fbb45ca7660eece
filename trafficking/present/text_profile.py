"""The Jurisdiction profile page's words: its fixed prose and the sentences it builds from the
data, in the reader's language (marked with ``N_`` here, shown with ``_``). Names, indicator
names, units and source ids are data and stay as the database has them; the page shows these
texts through ``md_plain``/``st.caption``, never as markup from the data."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trafficking import formatting
from trafficking.i18n import N_, _, ngettext
from trafficking.present.text_tiers import some

TITLE = N_("Jurisdiction profile")
NO_PLACES = N_("The database holds no jurisdictions yet. Run `make data`.")
PICK = N_("Jurisdiction")
PICK_HELP = N_("Type to search.")
LATEST_TIER = N_("Latest TIP tier")
INDICATORS_HELD = N_("Indicators with values")
FILES_USED = N_("Source files used")
TIERS = N_("TIP report tiers")
SAID = N_("What the government said")
INDICATORS = N_("Indicators")
VALUES = N_("All values and their sources")
SOURCES = N_("Sources used")
NO_SOURCES = N_("No source in the database mentions this jurisdiction.")
BLANK_ADDRESS = N_("A blank address: a file compiled by this project from quoted public pages "
                   "(each quote's page is in the values table).")
OPEN_COMPARE = N_("Open these indicators on the compare page")


def place_line(iso3: str, region: str | None) -> str:
    return _("ISO code {code} · region: {region}").format(
        code=iso3, region=region if region is not None else _("unknown"))


def tier_metric(year: int) -> str:
    return _("TIP tier, {year} report").format(year=year)


def no_tier(name: str) -> str:
    return _("No source in the database gives a TIP tier for {place}.").format(place=name)


def no_response(name: str) -> str:
    return _("No published government response to a TIP report is in the database for "
             "{place}.").format(place=name)


def responses_caption(n: int, report_years: Sequence[int], stance_note: str) -> str:
    return ngettext(
        "{n} published statement answering the TIP report of {years}. {stance_note} Figures "
        "cited: the numbers the statement itself gives, as far as the stored copy reaches.",
        "{n} published statements answering the TIP report of {years}. {stance_note} Figures "
        "cited: the numbers the statement itself gives, as far as the stored copy reaches.",
        n).format(n=n, years=_(", ").join(str(y) for y in report_years),
                  stance_note=stance_note)


def no_values(name: str) -> str:
    return _("The database holds no indicator values for {place}: only what the tier sources "
             "say. The list below names the indicators other jurisdictions have.").format(
                 place=name)


def rank_caption(min_peers: int) -> str:
    return _("Rank: among all jurisdictions with a value that year (1 = highest), shown where at "
             "least {n} have one.").format(n=min_peers)


def compare_with(names: Sequence[str]) -> str:
    return _("Compare with {places} on these indicators").format(places=_(", ").join(names))


def not_held(name: str, n: int) -> str:
    return ngettext("Not held for {place}: {n} indicator that other jurisdictions have",
                    "Not held for {place}: {n} indicators that other jurisdictions have",
                    n).format(place=name, n=n)


# --- Chart summaries --------------------------------------------------------------------------
def indicators_summary(name: str, summary: pd.DataFrame) -> str:
    """How many indicators are held, and the latest value of the first few."""
    if summary.empty:
        return ""
    items = [_("{indicator}: {value} ({year})").format(
        indicator=s["name"], value=formatting.number(s["value"], s["qualifier"]),
        year=int(s["year"])) for _row, s in summary.iterrows()]
    return _("{n} indicators held for {place}; latest values: {items}.").format(
        n=len(summary), place=name, items=some(items, 3))


def coverage_summary(name: str, used: pd.DataFrame) -> str:
    """How many source files, over which years, and what they give."""
    if used.empty:
        return ""
    tiers = used[used["kind"] == "tiers"]
    return _("{n} source files cover {place} from {first} to {last}: {tiers} give its TIP tier "
             "placements, {values} its indicator values.").format(
                 n=len(used), place=name, first=int(used["first"].min()),
                 last=int(used["last"].max()), tiers=len(tiers), values=len(used) - len(tiers))
