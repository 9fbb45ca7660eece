"""Hong Kong figures cited in government responses to the TIP report (compiled quotes).

``government-responses/hk_figures.csv`` has the columns of the other Hong Kong figures files and
holds only figures they do not already have from the same page. Read with
``hk_screening.read_figures``. Two figures are of other kinds, so they get their own indicators
(registered here, the only source with values for them):

* 2017's "less than 0.2 percent" of persons screened identified as victims: a share, so its own
  indicator (unit percent) with the qualifier 'less than', never turned into a count;
* human trafficking *cases* reported 2005–2008: cases, not persons, and before the 2016
  screening mechanism, so not the victims series.

The folder's ``responses.csv`` (the statements themselves) is another source's file.
"""

from __future__ import annotations

from etl.source import FetchedFile, Parsed, Source, SourceFile
from etl.sources import hk_screening

ID = "hk-government-figures"
FILE = "hk_figures.csv"
SUBDIR = "government-responses"

OWN_INDICATORS: dict[str, dict[str, str | bool]] = {
    "victims_identified_share_of_screenings": {
        "code": "hk_victims_identified_share_screened",
        "measure": "victims_identified_share_of_screenings", "kind": "share",
        "row_unit": "percent",
        "whole": False,
        "name": "Share of persons screened identified as victims (Hong Kong)",
        "unit": "percent",
        "definition": (
            "Victims identified through the two-tier screening mechanism as a percentage of the "
            "persons screened under it in the year, as the HKSAR government stated it."),
        "what_counts": (
            "A share, not a count; stated only as a bound ('less than 0.2 percent' for 2017). "
            "The screening count it rests on is not published, so no number of persons is "
            "derived from it."),
    },
    "trafficking_cases_reported": {
        "code": "hk_trafficking_cases_reported", "measure": "trafficking_cases_reported",
        "kind": "count",
        "row_unit": "cases",
        "name": "Human trafficking cases reported (Hong Kong)",
        "unit": "cases",
        "definition": (
            "Human trafficking cases reported in Hong Kong in the year, as the Security Bureau "
            "stated them in 2009."),
        "what_counts": (
            "Cases, not persons (a case can involve several victims or none identified); "
            "before the 2016 screening mechanism, so not comparable with screenings or "
            "victims identified."),
    },
}
INDICATORS = {**hk_screening.INDICATORS, **OWN_INDICATORS}


def parse(files: dict[str, FetchedFile]) -> Parsed:
    obs = hk_screening.read_figures(ID, FILE, files[FILE], INDICATORS)
    return Parsed(indicators=hk_screening.indicator_rows(OWN_INDICATORS), observations=obs,
                  rows_per_file={FILE: len(obs)})


SOURCE = Source(
    id=ID,
    publisher="Compiled by this project from HKSAR Government statements answering the TIP "
              "report (and press reports of them)",
    title="Hong Kong: figures cited in government responses to the TIP report (2005–2020)",
    licence="Quotations of public statements (HKSAR Government; press excerpts for provenance)",
    homepage="https://www.info.gov.hk/gia/general/today.htm",
    files=(SourceFile(FILE, None),),
    parse=parse,
    description=(
        "Screenings and victims for 2019 and 2020 as the government stated them, the 2017 "
        "share identified (less than 0.2 percent) and cases reported 2005–2008."),
    mirror_subdir=SUBDIR,
)
