"""Eurostat trafficking in human beings (crim_thb): figures as public pages quote them.

``figures.csv`` was compiled by this project's researchers (no Eurostat extract could be
mirrored), so its address is ``None``; each figure's page goes into ``cited_url``. Shares and
rates are separate indicators from counts so that no chart mixes units. Form breakdowns are
loaded as published and are never forced to add up to the total (victims with an unknown form
are in the total only).
"""

from __future__ import annotations

import math

import pandas as pd

from etl import tables, validate
from etl.errors import SourceError
from etl.source import OBSERVATION_COLUMNS, FetchedFile, Parsed, Source, SourceFile, indicator_frame

ID = "eurostat-thb-quoted"
FILE = "figures.csv"
COLUMNS = ["geo", "year", "indicator", "breakdown", "value", "unit", "source_dataset",
           "quoted_at", "quote", "note"]
EU = "EU27_2020"


def _float(text: object) -> float | None:
    try:
        return float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# Every value a number and finite, every year in digits: all bad cells are named at once.
SCHEMA = tables.input_schema(COLUMNS, rules={
    "value": [
        tables.cell_rule("value is not a number", lambda v: _float(v) is not None,
                         key=f"{ID}: value"),
        tables.cell_rule("value is not a finite number",
                         lambda v: _float(v) is None or math.isfinite(_float(v)),
                         key=f"{ID}: finite value"),
    ],
    "year": [tables.digits("year is not a number", key=f"{ID}: year")],
})

_REGISTERED = (
    "Eurostat 'registered victims': identified and presumed victims of trafficking registered "
    "by any national authority (police, prosecution, NGOs or other bodies, depending on the "
    "country) in the year. ")
_WHAT_VICTIMS = (
    "Includes presumed victims not (yet) formally identified, so it runs higher than counts of "
    "formally identified victims: Austria 2020 was 43 per million inhabitants in Eurostat "
    "(several hundred persons) against 129 detected victims in UNODC GLOTIP.")
# (indicator in the file, unit in the file) -> indicator spec
INDICATORS: dict[tuple[str, str], dict[str, object]] = {
    ("registered_victims", "persons"): {
        "code": "eurostat_registered_victims",
        "measure": "registered_victims", "kind": "count",
        "name": "Registered victims of trafficking "
        "(Eurostat)", "unit": "persons", "definition": _REGISTERED,
        "what_counts": _WHAT_VICTIMS, "breakdowns": "total,form"},
    ("registered_victims", "percent"): {
        "code": "eurostat_registered_victims_share",
        "measure": "registered_victims", "kind": "share",
        "name": "Registered victims: share in a "
        "group (Eurostat)", "unit": "percent of registered victims",
        "definition": _REGISTERED + "Share of them in the named group.",
        "what_counts": "Percentages of registered victims (women and girls; citizenship).",
        "breakdowns": "sex,citizenship"},
    ("registered_victims_rate", "per million inhabitants"): {
        "code": "eurostat_registered_victims_per_million",
        "measure": "registered_victims", "kind": "rate", "rate_base": 1_000_000.0,
        "name": "Registered victims per "
        "million inhabitants (Eurostat)", "unit": "per million inhabitants",
        "definition": _REGISTERED + "Divided by the resident population, per million.",
        "what_counts": _WHAT_VICTIMS, "breakdowns": "total"},
    ("suspected_traffickers", "persons"): {
        "code": "eurostat_suspected_traffickers",
        "measure": "suspected_traffickers", "kind": "count",
        "name": "Suspected traffickers (Eurostat)",
        "unit": "persons", "definition": "Persons suspected of trafficking in human beings, "
        "registered by the police or other authorities in the year (Eurostat crim_thb).",
        "what_counts": "Suspects, not prosecutions: closer to UNODC's 'persons brought into "
        "formal contact' than to the TIP report's prosecutions.", "breakdowns": "total"},
    ("suspected_traffickers", "percent"): {
        "code": "eurostat_suspected_traffickers_share",
        "measure": "suspected_traffickers", "kind": "share",
        "name": "Suspected traffickers: share "
        "of women (Eurostat)", "unit": "percent of suspected traffickers",
        "definition": "Share of women among persons suspected of trafficking (Eurostat).",
        "what_counts": "Percent.", "breakdowns": "sex"},
    ("convicted_traffickers", "persons"): {
        "code": "eurostat_convicted_traffickers",
        "measure": "convicted_traffickers", "kind": "count",
        "name": "Convicted traffickers (Eurostat)",
        "unit": "persons", "definition": "Persons convicted of trafficking in human beings in "
        "the year (Eurostat crim_thb).",
        "what_counts": "Convicted persons, by the year of conviction.", "breakdowns": "total"},
    ("convicted_traffickers", "percent"): {
        "code": "eurostat_convicted_traffickers_share",
        "measure": "convicted_traffickers", "kind": "share",
        "name": "Convicted traffickers: share "
        "of women (Eurostat)", "unit": "percent of convicted traffickers",
        "definition": "Share of women among persons convicted of trafficking (Eurostat).",
        "what_counts": "Percent.", "breakdowns": "sex"},
}


def _dimension(breakdown: str, unit: str) -> tuple[str, str]:
    """(breakdown_dim, breakdown) for a row's ``breakdown`` text."""
    text = breakdown.strip()
    if text == "total":
        return "total", ""
    if unit == "percent":
        if "women" in text:
            return "sex", text
        if "citizen" in text:
            return "citizenship", text
        raise ValueError(text)
    return "form", text


def parse(files: dict[str, FetchedFile]) -> Parsed:
    frame = tables.read_table(ID, files[FILE], SCHEMA, name=FILE)
    iso = validate.resolve_names(ID, FILE, frame[frame["geo"] != EU], "geo")
    rows = []
    for _, rec in frame.iterrows():
        line = int(rec["row"])
        spec = INDICATORS.get((rec["indicator"], rec["unit"]))
        if spec is None:
            raise SourceError(ID, FILE, "unknown indicator/unit pair", column="indicator",
                              value=f"{rec['indicator']} / {rec['unit']}", row=line)
        value = float(rec["value"])  # a finite number: checked by SCHEMA
        try:
            dim, breakdown = _dimension(rec["breakdown"], rec["unit"])
        except ValueError:
            raise SourceError(ID, FILE, "breakdown not understood", column="breakdown",
                              value=rec["breakdown"], row=line) from None
        is_eu = rec["geo"] == EU
        note = "; ".join(p for p in (f"Eurostat dataset {rec['source_dataset']}",
                                     rec["note"].strip()) if p)
        rows.append({
            "indicator": spec["code"], "area_code": EU if is_eu else iso[rec["geo"]],
            "area_kind": "region" if is_eu else "jurisdiction", "year": int(rec["year"]),
            "breakdown_dim": dim, "breakdown": breakdown, "value": value, "qualifier": None,
            "file": FILE, "quote": rec["quote"].strip(),
            "cited_url": validate.http_url(ID, FILE, line, "quoted_at", rec["quoted_at"]),
            "note": note, "row": line, "area_as_published": rec["geo"],
        })
    obs = pd.DataFrame(rows, columns=[*OBSERVATION_COLUMNS, "row", "area_as_published"])
    indicators = indicator_frame(INDICATORS.values(), publisher="Eurostat")
    return Parsed(indicators=indicators, observations=obs, rows_per_file={FILE: len(obs)})


SOURCE = Source(
    id=ID,
    publisher="Eurostat (figures quoted by public pages, compiled by this project)",
    title="Trafficking in human beings statistics (crim_thb), quoted figures",
    licence="Eurostat: reuse with acknowledgement (Commission Decision 2011/833/EU)",
    homepage="https://ec.europa.eu/eurostat/statistics-explained/index.php?title="
             "Trafficking_in_human_beings_statistics",
    files=(SourceFile(FILE, None),),
    parse=parse,
    description=(
        "29 figures (EU 2019–2022 and seven member states in 2020), each with the sentence and "
        "page that states it. The Eurostat tables themselves (crim_thb_*) are not mirrored."),
)
