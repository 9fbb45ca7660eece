"""ILO forced-labour estimates (2005, 2012) and Global Estimates of Modern Slavery (2017, 2022):
further figures as quoted on public pages.

Same columns as ``global-estimates-figures`` plus ``note`` (what kind of page it is), read by the
same code. This source registers the indicator catalogue for both files (defined in
``global_estimates_figures``; it loads first, and observations reference indicators by foreign
key); a figure the catalogue does not know fails the parse. Where both files give the same
figure with different rounding (Asia and the Pacific 2021: 29 million there, 29.3 million here;
2016 forced labour: about 25 million there, 24.9 million here) both rows are kept with their own
quote and address; the dashboard shows the more precise one and lists the other.
"""

from __future__ import annotations

from etl.source import FetchedFile, Parsed, Source, SourceFile
from etl.sources.global_estimates_figures import COLUMNS, catalogue, parse_quoted

ID = "gems-ilo-estimates-quoted"
FILE = "figures.csv"


def parse(files: dict[str, FetchedFile]) -> Parsed:
    obs = parse_quoted(ID, files[FILE], [*COLUMNS, "note"])
    return Parsed(indicators=catalogue(), observations=obs, rows_per_file={FILE: len(obs)})


SOURCE = Source(
    id=ID,
    publisher="ILO; ILO, Walk Free, IOM (figures as quoted on public pages; compiled by this "
    "project)",
    title="Global estimates of forced labour and modern slavery — ILO 2005, ILO 2012, 2017 and "
    "2022 editions, as quoted",
    licence="Figures and short quotations from public pages, cited with their addresses; the "
    "reports are © ILO / Walk Free / IOM",
    homepage="https://www.ilo.org/global/topics/forced-labour/policy-areas/statistics/lang--en/index.htm",
    files=(SourceFile(FILE, None),),
    parse=parse,
    description=(
        "One row per figure exactly as a public page states it (official pages, copies of report "
        "text, news reports; the row's note says which). Rows = figures. Earlier ILO "
        "forced-labour estimates (reference periods 1995–2004 and 2002–2011, stored as their last "
        "year), the 2017 edition's breakdowns and 2016 regional prevalences, and 2022 regional "
        "prevalences and shares. Registers the indicator catalogue of both quoted-figure files."
    ),
)
