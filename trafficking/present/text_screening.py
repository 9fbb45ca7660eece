"""The Screening page's words: its fixed prose, and the notes it builds from the data.

Fixed prose is Markdown written here, marked for the catalogue with ``N_`` (the page shows it
with ``_()``, in the reader's language); the notes built from data are translated here. Every
string from the database inside a note goes through ``md_plain``. Kept apart from the page so
the page reads as its layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from trafficking.i18n import N_, _, ngettext
from trafficking.queries import responses
from trafficking.queries import screening as q
from trafficking.text import md_plain

INTRO = N_(
    "How many people do authorities check for signs of trafficking, and how many do they "
    "recognise as victims? Hong Kong's figures (below) put thousands of screenings beside a "
    "handful of victims each year. Read as proof that trafficking is rare, or as proof that "
    "screening does not find victims, the pair only makes sense beside other years and other "
    "places — shown here with every figure's source and definition.")
NO_HK = N_("The database holds no Hong Kong screening figures (source `hk_screening`). "
         "Run `make data` to load them.")
OTHER_KINDS = N_(
    "Two Hong Kong figures of other kinds are kept apart from these counts (and listed in the "
    "table at the foot of the page): the share of persons screened in 2017 who were identified "
    "as victims, stated only as 'less than 0.2 percent' (its own indicator, a share with the "
    "qualifier 'less than'; no count is derived from it), and human trafficking cases reported "
    "2005–2008 (cases, not persons, before the screening mechanism).")
TWO_SOURCES_RULE = N_(
    "Where several sources state one year's figure (the HKSAR government rounded, the TIP "
    "report exact, press copies of either), all are kept. **Rule** (decided in the database, "
    "across sources): the chart uses the exact figure; between exact figures, the TIP "
    "report's; a year with only rounded figures charts one (marked ≈), a year with only lower "
    "bounds the highest bound (marked >).")


def stated_twice(hk: pd.DataFrame) -> str:
    """The label of the collapsed list of figures stated by more than one source."""
    return _("Years stated by two sources ({n} figures not charted)").format(
        n=int((~q.is_charted(hk)).sum()))


COMPARE_TABS = [N_("Per 1,000 screened"), N_("Absolute numbers"), N_("Per million inhabitants")]
COMPARE_HELP = N_("Only jurisdictions with at least one victim count are listed.")
LOG_HELP = N_("Counts range from 1 to over 10,000; a log scale keeps small series readable.")
WORLD_CONFLICTS = N_("Where editions disagree (kept, not resolved; the chart uses the latest "
                   "edition):")
FIGURES = N_(
    "One row per figure with the sentence or source row it comes from, the page that states it "
    "and the file it was loaded from. 'Charted' is false for a figure kept beside a preferred "
    "one for the same year. A qualifier 'suppressed (<5)' means the publisher gives no number.")
NOT_IN_DATABASE = (
    N_("**IOM Counter-Trafficking Data Collaborative (CTDC)** victim-case datasets: not mirrored "
       "(every file is larger than the snapshots allow), so CTDC's assisted-victim counts are "
       "not shown. They count cases reported by contributing organisations, not a census."),
    N_("**Eurostat crim_thb tables**: only the figures quoted on public pages are loaded."),
    N_("**Human Trafficking Indicators (HTI)** codes whether formal victim-identification "
       "procedures exist (yes/no), not how many victims were identified, so it is not a series "
       "here."),
    N_("**Hong Kong** screening counts for 2016, 2017 and 2018 (no stored statement gives "
       "them; 2017 has only a share, 'less than 0.2 percent' identified), victims identified "
       "through screening for 2016, and UNODC figures for Hong Kong (its GLOTIP rows are only "
       "repatriation breakdowns)."),
    N_("**Worldwide:** the 2025 TIP report's own Global Law Enforcement table (data year 2024 "
       "comes from one blog summary) and the first-published figures of the 2018–2023 "
       "editions."),
)


def not_in_database() -> str:
    """What the page's sources lack, as a Markdown list."""
    return "\n".join("- " + _(item) for item in NOT_IN_DATABASE)


def every_funnel_figure(rows: pd.DataFrame) -> str:
    """The label of the collapsed table of every referral-funnel statement."""
    return ngettext("Every figure in this section ({n} statement)",
                    "Every figure in this section ({n} statements)", len(rows)).format(n=len(rows))


def _years(years: Iterable[int]) -> str:
    return _(", ").join(str(y) for y in years) or "—"


def gaps(wide: pd.DataFrame) -> str:
    """The years Hong Kong's two series lack, and why a relative statement fills none."""
    screenings, victims = q.gap_years(wide)
    return _("**Gaps.** No screening count in the sources for {screenings}; no count of victims "
             "identified through screening for {victims}. Relative statements are not figures "
             "and fill no gap: 2021's screenings were 'a three-fold increase over the number "
             "conducted in 2016', which gives no 2016 count.").format(
        screenings=_years(screenings), victims=_years(victims))


NO_RESPONSES = N_("No published Hong Kong government response to a TIP report is in the database.")


def responses_label(said: pd.DataFrame) -> str:
    """The collapsed statements' label: how many, which years (fixed for a database)."""
    return ngettext("The {n} published statement, {first}–{last}, with its source",
                    "The {n} published statements, {first}–{last}, with their sources",
                    len(said)).format(n=len(said), first=int(said["report_year"].min()),
                                      last=int(said["report_year"].max()))


def responses_caption(said: pd.DataFrame) -> str:
    if said.empty:
        return ""
    return _("{n} published statements answering the TIP report, {first}–{last}; several give "
             "the screening figures charted above.").format(
        n=len(said), first=int(said["report_year"].min()),
        last=int(said["report_year"].max())) + " " + _(responses.STANCE_NOTE)


def no_screening(names: Sequence[str]) -> str:
    """Why the jurisdictions ``names`` are missing from the per-1,000-screened chart."""
    return _("**No screening counts for {places}.** No source in the database publishes how "
             "many people these jurisdictions screened, so no identification rate per 1,000 "
             "screened can be computed for them; they are left out of that chart rather than "
             "drawn as zero. Their victim counts are in the 'Absolute numbers' tab.").format(
        places=_(", ").join(md_plain(n) for n in names))


def suppressed(listed: Mapping[str, Sequence[int]]) -> str:
    return _("Not plotted — UNODC publishes these counts only as '<5' (suppressed), which is "
             "neither 0 nor 5: {listed}").format(listed=_("; ").join(
                 f"{md_plain(area)} {_years(years)}" for area, years in listed.items()))


def definitions(defs: pd.DataFrame) -> str:
    """One bullet per series: name, publisher, unit, definition and what it counts."""
    return "\n".join(
        f"- **{md_plain(d.name)}** — "
        + _("{publisher}; unit: {unit}.").format(publisher=md_plain(d.publisher),
                                                 unit=md_plain(d.unit))
        + f"  \n  {md_plain(d.definition)}  \n  *"
        + _("What counts:") + f"* {md_plain(d.what_counts)}"
        for d in defs.itertuples(index=False))


def misleads(spans: Mapping[str, tuple[int, int] | None]) -> str:
    """Why the compared counts are not one measure; ``spans``: label → (first, last) year."""
    return _(
        "**Where the comparison misleads.** Screened, referred, identified, detected and "
        "registered victims are different counts. Hong Kong's 'identified' victims passed a "
        "second-tier assessment; UNODC's 'detected' victims are whatever each government "
        "reports to the UN questionnaire; Eurostat's 'registered' victims include presumed "
        "victims not formally identified (Austria 2020: 43 per million in Eurostat, 129 "
        "detected victims in UNODC). A low count can mean little trafficking or weak "
        "detection; neither publisher claims its figures measure prevalence. Years differ "
        "too: {spans}.").format(spans=_("; ").join(
            _(label).format(first=span[0], last=span[1]) for label, span in spans.items()
            if span))


def compare_spans() -> dict[str, tuple[int, int] | None]:
    """Label (with {first} and {last}, marked for the catalogue) → the years it covers."""
    return {N_("UNODC's release covers {first}–{last}"): q.year_span("glotip_detected_victims"),
            N_("Hong Kong's figures cover {first}–{last}"): q.year_span(q.VICTIMS_SCREENED)}


def world(gaps: Mapping) -> str:
    """What the worldwide chart's last year rests on, and which years lack which figure."""
    return _(
        "**Data year {year}** rests on one weak page: {editions} figures as summarised by a "
        "blog (its tier counts on the same page contradict the official lists), not the "
        "report's own table; treat them as provisional. **Missing:** victims identified for "
        "{no_victims}; the labour part of victims is given only for {labour}; the "
        "first-published figures of the 2018–2023 editions (only the 2024 edition's revised "
        "series is in the data).").format(
        year=gaps["last"], editions=_(", ").join(md_plain(e) for e in gaps["last_editions"]),
        no_victims=_years(gaps["no_victims"]), labour=q.year_runs(gaps["labour_victims"]))


# --- Referral funnels -----------------------------------------------------------------------
FUNNELS = N_(
    "Hong Kong **screens** people for signs of trafficking and **identifies** a few of them as "
    "victims. The UK **refers** potential victims into its National Referral Mechanism (NRM) "
    "and then **decides**: first on 'reasonable grounds', finally on 'conclusive grounds'. "
    "The stages are not equivalent — a referral is not an identification, and Hong Kong's "
    "identified victims (after the second-tier assessment) are nearer a UK *positive "
    "conclusive-grounds decision* than a UK referral. Each stage is drawn in its own panel "
    "with its own axis and unit; nothing is added up, divided or converted.")
REVISIONS = N_(
    "NRM figures are revised in later releases ('data should be considered provisional until "
    "all cases are concluded', NCA). Every statement is kept with the publication that states "
    "it; the chart draws the one marked preferred — the latest official release — and shows "
    "the others as hollow diamonds.")
NO_REVISIONS = N_("No year of UK referrals is stated more than once in the database.")
ELSEWHERE = N_(
    "Counts of victims only: neither government publishes how many people it screened or "
    "referred, so no funnel or rate can be drawn. Japan has two official counts — the police's "
    "and the immigration authority's — that overlap and are never added.")
ALSO_LOADED_LABEL = N_("Also loaded, not charted here: UK Duty to Notify, UK backlog, US T visas")
ALSO_LOADED = N_(
    "These are in the Compare page's indicator list. Duty to Notify reports are adults who did "
    "not consent to an NRM referral (outside the referral count); US T-visa applications are "
    "self-initiated applications, not referrals.")
FUNNELS_MISSING = N_(
    "Not in the stored sources: counts of positive conclusive-grounds decisions (only their "
    "share), UK decisions before 2021 (except the 2009 reasonable-grounds outcomes), and any "
    "victim-identification count for Taiwan or Macau. Years without a figure are listed in "
    "each chart panel.")


def funnel_conflicts(n: int) -> str:
    return ngettext(
        "{n} statement disagrees with the official figure without being an official revision "
        "(the US TIP report, a page quoting unnamed 'government statistics'); it is recorded "
        "as a conflict and not charted:",
        "{n} statements disagree with the official figure without being an official revision "
        "(the US TIP report, a page quoting unnamed 'government statistics'); they are "
        "recorded as conflicts and not charted:", n).format(n=n)


def funnel_definitions(defs: pd.DataFrame) -> str:
    """One paragraph per series of a funnel panel: name, unit, definition, what counts."""
    counts = _("What counts:")
    return "\n\n".join(
        f"**{md_plain(d.name)}** ({md_plain(d.unit)}). {md_plain(d.definition)} "
        + (f"*{counts}* {md_plain(d.what_counts)}" if d.what_counts else "")
        for d in defs.itertuples(index=False))


def unsettled(ambiguous: pd.DataFrame) -> str | None:
    """Which figures are not drawn because no statement of them is marked preferred."""
    if ambiguous.empty:
        return None
    listed = sorted({f"{r.indicator_name} {int(r.year)}"
                     for r in ambiguous.itertuples(index=False)})
    return _("Not drawn: the database marks no single preferred figure for {figures}. Every "
             "statement is in the table below.").format(
        figures=_("; ").join(md_plain(x) for x in listed))

# Labels of the sections built only when opened (issue 14: a first visit sends the top view).
COMPARE_LABEL = N_("Hong Kong beside other jurisdictions: victims per 1,000 screened, absolute "
                   "numbers, per million inhabitants")
WORLDWIDE_LABEL = N_("Victims identified worldwide by TIP report year, and where editions disagree")
FIGURES_LABEL = N_("Every figure on this page, with its source")
FUNNELS_LABEL = N_("Referral funnels: the UK beside Hong Kong, Japan and Singapore (4 charts)")
