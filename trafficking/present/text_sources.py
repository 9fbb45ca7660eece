"""The words of the Data & sources page, in the reader's language: its prose, captions and
notices, and the refresh history's shown values. No Streamlit."""

from __future__ import annotations

import pandas as pd

from trafficking import formatting, places, style
from trafficking.i18n import N_, _, ngettext

TITLE = N_("Data & sources")
INTRO = N_(
    "Every value on this dashboard comes from one of the files below: who published it, the "
    "official address it was downloaded from (none for files our researchers compiled from "
    "quoted public pages — those are kept with the project's snapshots), when it was "
    "retrieved, and its SHA-256 checksum. Re-running `make data` rebuilds everything from them.")
NO_PACKAGE = N_("The complete data package (every table as CSV and Parquet) is not available "
                "on this server yet.")
DOWNLOAD_ALL = N_("Download all data (zip)")
DOWNLOAD_HELP = N_("Every published table as CSV and Parquet, a Frictionless datapackage.json "
                   "(columns, licences, checksums) and a README")
DATASETS = N_("Datasets")
FILES = N_("Files")
DATASET = N_("Dataset")
ALL_DATASETS = N_("All datasets")
TIER_CONFLICTS = N_("Where tier sources disagree")
TIER_RULES = N_(
    "Several datasets state TIP tiers for the same year. One value is published per "
    "jurisdiction and year, by a fixed order of trust decided from each dataset's provenance "
    "notes (CIA Factbook lists, then the Kelley & Heiss panel, then stored pages, then the "
    "Wikipedia table, and last the secondary compilation behind the 2025 Tier 1 and Tier 2 "
    "lists), with documented exceptions. Where every other tier's list is complete for a year "
    "(2022, 2024), a ranked jurisdiction on none of them is Tier 2 by elimination. Each "
    "statement that lost, and disagreed, is listed here with the reason.")
REPORT_YEARS = N_("Report years")
ALL_YEARS = N_("All years")
FIGURE_CONFLICTS = N_("Where figures disagree")
FIGURE_RULES = N_(
    "Some figures are stated more than once: by several editions of a report (later TIP reports "
    "revise earlier years), by two pages quoting one edition, or by a government and the TIP "
    "report. Every statement is kept; the charts draw one, chosen by a written rule (the latest "
    "edition; an exact figure over a rounded one; an official publication over a secondary "
    "page). Each statement that disagrees with the charted one is listed here — a revision or "
    "a misprint, not resolved.")
NO_FIGURE_CONFLICTS = N_("No two statements of one figure disagree in this database.")
RUNS = N_("Refresh history")
# Param labels of the page's address values.
DATASET_LABEL = N_("dataset")
YEAR_LABEL = N_("report year")
# How queries.sources.runs says which kind of store a run read.
_READ_FROM = (N_("project snapshots"), N_("publishers' addresses"))
# ``etl_runs.status`` (the ETL's closed vocabulary), as the refresh history words it.
STATUS = {"ok": N_("completed"), "failed": N_("failed")}


def package_caption(megabytes: float, stale: bool) -> str:
    text = _("{size} MB. Every table of this database as CSV and Parquet, described in a "
             "Frictionless Data Package with each dataset's licence.").format(
                 size=formatting.decimal(megabytes, "0.0"))
    if stale:
        text += " " + _("Note: this package was written from an earlier build than the one "
                        "shown here.")
    return text


def datasets_caption(n: int) -> str:
    return ngettext(
        "{n} dataset. 'Tier rows' counts the published tier placements a dataset supplies after "
        "the precedence rules below; 'Indicators' the statistics it defines.",
        "{n} datasets. 'Tier rows' counts the published tier placements a dataset supplies "
        "after the precedence rules below; 'Indicators' the statistics it defines.", n
    ).format(n=n)


def files_caption(shown: int, total: int) -> str:
    return _("{shown} of {total} files. 'Address' is the official public address (blank: a file "
             "our researchers compiled, kept with the project's snapshots). The checksum lets "
             "anyone confirm they have the same bytes.").format(shown=shown, total=total)


def conflicts_caption(shown: int, total: int) -> str:
    return _("{shown} of {total} disagreements.").format(shown=shown, total=total)


def figure_conflicts_caption(n: int) -> str:
    if not n:
        return _(NO_FIGURE_CONFLICTS)
    return ngettext("{n} disagreement.", "{n} disagreements.", n).format(n=n)


def runs_caption(n: int) -> str:
    return ngettext(
        "{n} run recorded, newest first. A failed run leaves the published database untouched, "
        "so only completed runs appear in it.",
        "{n} runs recorded, newest first. A failed run leaves the published database untouched, "
        "so only completed runs appear in it.", n).format(n=n)


def conflicts_shown(conf: pd.DataFrame) -> pd.DataFrame:
    """The tier conflicts with jurisdictions and tiers in the reader's language (the reason
    and the file names are the ETL's record, as it wrote them)."""
    def tier(value: object) -> object:
        return style.tier_label(value) if isinstance(value, str) else value
    return places.localise(conf, "iso3", "name").assign(
        tier=conf["tier"].map(tier), chosen_tier=conf["chosen_tier"].map(tier))


def figure_conflicts_shown(figs: pd.DataFrame) -> pd.DataFrame:
    """The figure conflicts with each place in the reader's language."""
    return places.localise(figs, "area_code", "area")


def runs_shown(runs: pd.DataFrame) -> pd.DataFrame:
    """The refresh history with its words in the reader's language."""
    def sources(text: str) -> str:
        names = [s for s in str(text).split(",") if s]
        return ngettext("{n} source: {names}", "{n} sources: {names}", len(names)).format(
            n=len(names), names=_(", ").join(names))
    return runs.assign(read_from=runs["read_from"].map(_), sources=runs["sources"].map(sources),
                       status=runs["status"].map(lambda v: _(STATUS.get(v, v))))
