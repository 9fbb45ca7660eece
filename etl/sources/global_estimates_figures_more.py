"""Global Estimates of Modern Slavery (2017 and 2022 editions): more regional figures, read from
the publishers' own pages (Walk Free regional findings, GSI 2018 regional analysis, ILO).

Same columns as ``global-estimates-figures`` and read by the same code, so the indicator codes
(``gems2022_modern_slavery``, ``gems2017_forced_labour_share`` …) and region codes (``ILO-AFR``
…) are the ones the other quoted files use; the catalogue is registered by
``gems-ilo-estimates-quoted``. What this module adds:

* The stored page excerpts are declared as files, so each one's sha256 is recorded, and every
  row's quote must be a verbatim substring of the excerpt of the page in its ``quoted_at``:
  a figure whose sentence is not on the stored page fails the parse.
* Several figures here are also stated by the other two files (the 2021 world totals, Asia and
  the Pacific forced labour, Africa's forced labour and forced marriage). All rows are kept;
  which one a chart draws is decided across sources by ``etl.preference.estimates`` after every
  source is loaded (``preferred`` / ``preferred_reason``, disagreements in
  ``observation_conflicts``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl import validate
from etl.errors import SourceError
from etl.source import FetchedFile, Parsed, Source, SourceFile
from etl.sources.global_estimates_figures import parse_quoted

ID = "global-estimates-figures-more"
FILE = "figures.csv"
# The page each excerpt was read from (PROVENANCE.md, "Excerpt files"). The ILO excerpt was
# stored under an address with a spam search string appended; the CSV cites the clean address.
EXCERPTS: dict[str, str] = {
    "https://walkfree.org/global-slavery-index/findings/regional-findings/africa":
        "2022ed_walkfree_regional-africa.txt",
    "https://walkfree.org/global-slavery-index/findings/regional-findings/europe-and-central-asia":
        "2022ed_walkfree_regional-europe-and-central-asia.txt",
    "https://walkfree.org/global-slavery-index/findings/regional-findings/asia-and-the-pacific":
        "2022ed_walkfree_regional-asia-and-the-pacific.txt",
    "https://www.ilo.org/global/topics/forced-labour/lang--en/index.htm":
        "2022ed_ilo-org_forced-labour-topic-page.txt",
    "https://www.globalslaveryindex.org/2018/findings/regional-analysis/asia-and-the-pacific/":
        "2017ed_gsi2018_regional-asia-and-the-pacific.txt",
    "https://www.globalslaveryindex.org/2018/findings/regional-analysis/europe-and-central-asia/":
        "2017ed_gsi2018_regional-europe-and-central-asia.txt",
    "https://www.globalslaveryindex.org/2018/findings/regional-analysis/americas/":
        "2017ed_gsi2018_regional-americas.txt",
}


def _excerpt_text(f: FetchedFile) -> str:
    try:
        return Path(f.path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(ID, f.name, f"excerpt is not UTF-8 text: {exc}") from exc


def check_quotes(obs: pd.DataFrame, files: dict[str, FetchedFile]) -> None:
    """Every quote must appear, word for word, in the stored excerpt of its page."""
    texts = {name: _excerpt_text(files[name]) for name in EXCERPTS.values()}
    for _, r in obs.iterrows():
        row = int(r["row"])
        url = r["cited_url"]
        if url not in EXCERPTS:
            raise SourceError(ID, FILE, "page address has no stored excerpt (known: "
                              f"{sorted(EXCERPTS)})", column="quoted_at", value=url, row=row)
        if r["quote"] not in texts[EXCERPTS[url]]:
            raise SourceError(ID, FILE, f"quote is not in the stored excerpt {EXCERPTS[url]}",
                              column="quote", value=r["quote"], row=row)


def parse(files: dict[str, FetchedFile]) -> Parsed:
    validate.text_files(ID, files)
    obs = parse_quoted(ID, files[FILE])
    check_quotes(obs, files)
    obs = obs.assign(note=obs["note"] + " Page: publisher's own page (stored excerpt "
                     + obs["cited_url"].map(EXCERPTS) + ").")
    rows = {FILE: len(obs)}
    for name in EXCERPTS.values():
        rows[name] = int((obs["cited_url"].map(EXCERPTS) == name).sum())
    return Parsed(observations=obs, rows_per_file=rows)


SOURCE = Source(
    id=ID,
    publisher="ILO; Walk Free (figures as stated on the publishers' pages; compiled by this "
    "project)",
    title="Global Estimates of Modern Slavery (2017 and 2022 editions): regional figures from "
    "the publishers' pages, as quoted",
    licence="Figures and short quotations from public pages, cited with their addresses; Walk "
    "Free pages © Minderoo Foundation, ILO pages © ILO",
    homepage="https://walkfree.org/global-slavery-index/findings/regional-findings/",
    files=(SourceFile(FILE, None), *(SourceFile(name, None) for name in EXCERPTS.values())),
    parse=parse,
    description=(
        "One row per figure exactly as a Walk Free or ILO page states it, with the sentence and "
        "address; the stored page excerpts are kept beside it and every quote is checked against "
        "them. Rows = figures (the excerpt files' rows = figures quoted from each). 2021 regional "
        "counts (Africa, Europe and Central Asia modern slavery; Africa forced labour and forced "
        "marriage; Asia and the Pacific forced labour), 2016 regional modern-slavery counts (Asia "
        "and the Pacific, Europe and Central Asia, Americas), regional shares of world totals and "
        "of debt bondage, and the ILO's confirmation of the 2021 totals and forms."
    ),
)
