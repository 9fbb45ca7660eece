"""Hong Kong: more screening and victim figures (2015, 2016, 2019, 2022, 2024), compiled quotes.

``figures.csv`` in ``hk-screening-more/`` has the columns and indicator names of
``hk_screening/figures.csv`` and is read the same way (``hk_screening.read_figures``): one row
per figure as a public page states it, the page address in ``cited_url``. Rows repeating a
figure another source states are kept; ``etl/preference.py`` picks the charted one.
"""

from __future__ import annotations

from etl.source import FetchedFile, Parsed, Source, SourceFile
from etl.sources import hk_screening

ID = "hk-screening-more"
FILE = "figures.csv"


def parse(files: dict[str, FetchedFile]) -> Parsed:
    obs = hk_screening.read_figures(ID, FILE, files[FILE])
    return Parsed(observations=obs, rows_per_file={FILE: len(obs)})


SOURCE = Source(
    id=ID,
    publisher="Compiled by this project from HKSAR Government statements, the US TIP report "
              "and press reports of both",
    title="Hong Kong: more trafficking screenings and victims identified (2015–2024)",
    licence="Quotations of public statements (HKSAR Government press releases; US government "
            "work; press excerpts for provenance)",
    homepage="https://www.info.gov.hk/gia/general/today.htm",
    files=(SourceFile(FILE, None),),
    parse=parse,
    description=(
        "Screenings for 2019, 2022 and 2024 (lower bounds and rounded figures, marked), victims "
        "identified through screening for 2019, 2022 and 2024, and all victims identified in "
        "2015 and 2016 (press summary of the 2017 TIP report)."),
)
