"""Referral and identification funnels beside Hong Kong's screening (compiled quotes).

``funnels.csv`` was compiled by this project's researchers: one row per figure as a stored
public page states it — the UK National Referral Mechanism (referrals 2009–2024, reasonable-
and conclusive-grounds decisions and their positive shares, Duty to Notify reports), Japan's
two official counts (National Police Agency, Immigration Services Agency), Singapore's
identified victims as the US TIP report relays them, and US T-visa applications. It exists
only in the shared snapshots (address ``None``); each row's own page goes into ``cited_url``.

Each stage of a funnel is its own indicator with its own definition: a referral is not an
identification, a decision count is not a victim count, a share is not a count, and Japan's
police and immigration counts overlap and must never be added.

The UK statistics are revised in later releases ("data should be considered provisional until
all cases are concluded"), so a year's referrals are often stated by several publications.
Every statement is kept, with the publication that states it in ``edition``. One per year is
``preferred`` (the one a chart draws), by this rule:

1. an official UK publication (Home Office, National Crime Agency, a parliamentary answer —
   also when read through a page that quotes it verbatim) beats any other statement (the US
   TIP report, a page quoting unnamed "government statistics");
2. among official publications, the latest release: the statistics are published once a year
   after the year ends, so a publication that states a later data year is a later release
   (its ``vintage``, the latest year it states); ties go to the later ``source_date``.

An earlier official figure that differs is a revision (``preferred_reason`` says so). A
non-official statement that differs from the preferred figure is a disagreement, not a
revision, and also goes to ``observation_conflicts``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl import tables, validate
from etl.errors import SourceError
from etl.source import (
    OBS_CONFLICT_COLUMNS,
    OBSERVATION_COLUMNS,
    OBSERVATION_OPTIONAL,
    FetchedFile,
    Parsed,
    Source,
    SourceFile,
    indicator_frame,
)

ID = "referral-funnels"
FILE = "funnels.csv"
COLUMNS = [
    "jurisdiction", "year", "indicator", "value", "unit", "source_title", "source_publisher",
    "source_date", "source_url", "quote",
]
SCHEMA = tables.input_schema(COLUMNS)


@dataclass(frozen=True)
class Publication:
    """A UK publication stating NRM figures: the edition name and whether it is official."""

    edition: str
    official: bool


_HO = "Home Office NRM and DtN statistics"
# Every UK page in the file, classified by hand from its PROVENANCE entry; a page not listed
# here fails the source, so a new page is never ranked without someone deciding what it is.
UK_PUBLICATIONS: dict[str, Publication] = {
    "https://hansard.parliament.uk/Commons/2010-01-14/debates/10011462000100/HumanTrafficking":
        Publication("Hansard written answer, 14 January 2010", True),
    "https://www.parallelparliament.co.uk/question/107708/slavery":
        Publication("Written answer 107708, 20 November 2017 (table 2009–2016)", True),
    "http://www.wired-gov.net/wg/wg-news-1.nsf/0/E01BD8C9EA7E632D80257C8300416B3D?OpenDocument":
        Publication("NCA 2013 NRM data release", True),
    "http://antislavery.ac.uk/items/browse?tags=food+outlet":
        Publication("antislavery.ac.uk item quoting unnamed government statistics", False),
    "https://www.state.gov/reports/2017-trafficking-in-persons-report/united-kingdom/":
        Publication("2017 TIP report (US Department of State)", False),
    "https://www.state.gov/reports/2018-trafficking-in-persons-report/united-kingdom/":
        Publication("2018 TIP report (US Department of State)", False),
    "http://www.russellwebster.com/ncanrm18/":
        Publication("NCA NRM end-of-year summary 2017 (as quoted by Russell Webster)", True),
    "https://docslib.org/doc/4579793/national-referral-mechanism-statistics":
        Publication("NCA NRM end-of-year summary 2018", True),
    "https://humantraffickingexperts.com/blog/?p=626":
        Publication(f"{_HO}, end-of-year summary 2020 (as quoted by humantraffickingexperts.com)",
                    True),
    "http://www.gov.uk/government/statistics/modern-slavery-national-referral-mechanism-and-"
    "duty-to-notify-statistics-uk-end-of-year-summary-2021/modern-slavery-national-referral-"
    "mechanism-and-duty-to-notify-statistics-uk-end-of-year-summary-2021":
        Publication(f"{_HO}, end-of-year summary 2021", True),
    "https://www.gov.uk/government/statistics/modern-slavery-national-referral-mechanism-and-"
    "duty-to-notify-statistics-uk-end-of-year-summary-2022/modern-slavery-national-referral-"
    "mechanism-and-duty-to-notify-statistics-uk-end-of-year-summary-2022":
        Publication(f"{_HO}, end-of-year summary 2022", True),
    "https://www.gov.uk/government/statistics/modern-slavery-nrm-and-dtn-statistics-end-of-"
    "year-summary-2023/modern-slavery-national-referral-mechanism-and-duty-to-notify-"
    "statistics-uk-end-of-year-summary-2023":
        Publication(f"{_HO}, end-of-year summary 2023", True),
    "https://southwellandpartners.com/?p=884":
        Publication(f"{_HO}, end-of-year summary 2023 (as quoted by Southwell and Partners)",
                    True),
    "https://gov.uk/government/statistics/modern-slavery-nrm-and-dtn-statistics-end-of-year-"
    "summary-2024/annex-an-analysis-of-nrm-referrals-and-dtn-reports-for-potential-victims-of-"
    "modern-slavery-2023-to-2024":
        Publication(f"{_HO}, 2024: annex on referrals and DtN reports 2023 to 2024", True),
    "https://www.dandybooksellers.com/acatalog/Modern-Slavery-NRM-and-DtN-annual-statistics.html":
        Publication(f"{_HO}, annual bulletin 2024 (key results as reproduced by Dandy "
                    "Booksellers)", True),
}
# Outside the UK, the government's own page beats a report of it where both state one figure.
OFFICIAL_ELSEWHERE = frozenset({
    "https://www.gender.go.jp/about_danjo/whitepaper/h20/zentai/html/honpen/b1_s04_04.html",
})
# Approximate figures as the bulletin words them ("almost 17,000", "just over 6,000").
QUALIFIERS = {"almost ": "almost", "just over ": "more than"}

_NRM_REFERRAL = (
    "Potential victims referred into the UK National Referral Mechanism (NRM) by an authorised "
    "first responder (\"local authorities, specified non-governmental organisations (NGOs), "
    "police forces and specified government agencies\"), by year of referral. Recent bulletins "
    "count potential victims of modern slavery (\"any form of human trafficking, slavery, "
    "servitude or forced labour, as set out in the Modern Slavery Act 2015\"); the 2009–2013 "
    "sources speak of potential victims of human trafficking. \"Adults (aged 18 or above) must "
    "consent to being referred to the NRM, whilst children under the age of 18 need not.\"")
_RG = ("Reasonable-grounds (RG) decisions, the NRM's first decision, made in the year whatever "
       "the year of referral; the TIP 2018 UK chapter calls it \"a preliminary review for "
       "'reasonable grounds' of trafficking\", after which \"the victim started a 45-day "
       "reflection period\".")
_CG = ("Conclusive-grounds (CG) decisions, the NRM's final decision, made in the year whatever "
       "the year of referral: \"a final determination of 'conclusive grounds' that triggered an "
       "extension of victim protection measures\" (TIP 2018 UK chapter).")
_NOT_IDENTIFIED = ("A referral is not a finding that the person is a victim: it is the entry "
                   "to the funnel.")

# (indicator in the file) -> jurisdiction it belongs to and the indicator spec. Codes carry the
# jurisdiction and agency so they cannot collide with other publishers' indicators.
INDICATORS: dict[str, dict[str, str]] = {
    "nrm_referrals": {
        "jurisdiction": "GBR", "stage": "entry",
        "measure": "nrm_referrals", "kind": "count",
        "code": "uk_nrm_referrals", "name": "Potential victims referred to the NRM (UK)",
        "unit": "potential victims referred",
        "definition": _NRM_REFERRAL,
        "what_counts": (
            _NOT_IDENTIFIED + " Figures are revised in later releases; every statement is "
            "kept, the chart draws the latest official one. The NRM began on 1 April 2009, so "
            "2009 may be a part year. Adults who do not consent are outside this count (see "
            "Duty to Notify reports)."),
    },
    "nrm_rg_decisions": {
        "jurisdiction": "GBR", "stage": "first decision",
        "measure": "nrm_rg_decisions", "kind": "count",
        "code": "uk_nrm_rg_decisions", "name": "Reasonable-grounds decisions made (UK NRM)",
        "unit": "decisions", "definition": _RG,
        "what_counts": ("Decisions, not people referred that year: a decision made in 2024 may "
                        "concern a 2023 referral. Positive and negative decisions together."),
    },
    "nrm_rg_positive": {
        "jurisdiction": "GBR", "stage": "first decision",
        "measure": "nrm_rg_positive", "kind": "count",
        "code": "uk_nrm_rg_positive", "name": "Positive reasonable-grounds decisions (UK NRM)",
        "unit": "positive decisions",
        "definition": ("Positive reasonable-grounds decisions; stated only for the referrals "
                       "of 1 April–31 December 2009 (Hansard, 14 January 2010)."),
        "what_counts": ("Outcomes of that period's 527 referrals (131 negative, 7 suspended, 18 "
                        "withdrawn, 70 no decision recorded), not all decisions made in a year."),
    },
    "nrm_rg_positive_share": {
        "jurisdiction": "GBR", "stage": "first decision",
        "measure": "nrm_rg_positive_share", "kind": "share",
        "code": "uk_nrm_rg_positive_share",
        "name": "Share of reasonable-grounds decisions that were positive (UK NRM)",
        "unit": "percent of decisions",
        "definition": _RG + " Share of the year's RG decisions that were positive, in percent.",
        "what_counts": "A share of decisions, not a count of people; no count is computed.",
    },
    "nrm_cg_decisions": {
        "jurisdiction": "GBR", "stage": "final decision",
        "measure": "nrm_cg_decisions", "kind": "count",
        "code": "uk_nrm_cg_decisions", "name": "Conclusive-grounds decisions made (UK NRM)",
        "unit": "decisions", "definition": _CG,
        "what_counts": ("Decisions, positive and negative together, made in the year. The "
                        "stored pages give no count of positive CG decisions, only the share."),
    },
    "nrm_cg_positive_share": {
        "jurisdiction": "GBR", "stage": "final decision",
        "measure": "nrm_cg_positive_share", "kind": "share",
        "code": "uk_nrm_cg_positive_share",
        "name": "Share of conclusive-grounds decisions that were positive (UK NRM)",
        "unit": "percent of decisions",
        "definition": _CG + " Share of the year's CG decisions that were positive, in percent.",
        "what_counts": ("A positive CG is the UK's closest equivalent of an 'identified "
                        "victim'; this is a share of decisions, not a count of victims."),
    },
    "nrm_awaiting_cg_end_of_year": {
        "jurisdiction": "GBR", "stage": "backlog",
        "measure": "nrm_awaiting_cg_end_of_year", "kind": "count",
        "code": "uk_nrm_awaiting_cg", "name": "Cases awaiting a conclusive-grounds decision at "
        "year end (UK NRM)",
        "unit": "cases (stock at year end)",
        "definition": ("Cases with a positive reasonable-grounds decision still awaiting a "
                       "conclusive-grounds decision at the end of the year."),
        "what_counts": "A stock on one date, not a flow over the year.",
    },
    "dtn_reports": {
        "jurisdiction": "GBR", "stage": "parallel to entry",
        "measure": "dtn_reports", "kind": "count",
        "code": "uk_dtn_reports", "name": "Duty to Notify reports (England and Wales)",
        "unit": "reports",
        "definition": ("Reports to the Home Office under the Duty to Notify (\"section 52 of the "
                       "Modern Slavery Act 2015\", on public authorities in England and Wales): "
                       "\"notifying the Home Office via the DtN process if an adult victim does "
                       "not consent to enter the NRM\"."),
        "what_counts": ("Adults who did not consent to a referral; outside the NRM referral "
                        "count, not to be added to it without checking overlaps."),
    },
    "npa_victims_identified": {
        "jurisdiction": "JPN", "stage": "identification (police)",
        "measure": "npa_victims_identified", "kind": "count",
        "code": "jp_npa_victims_identified",
        "name": "Trafficking victims recognised by the police (Japan, NPA)",
        "unit": "persons",
        "definition": ("Trafficking victims the National Police Agency reports as recognised or "
                       "confirmed (認知/確認した被害者; 'protected' in the 2007 English summary) in "
                       "police-handled trafficking cases, by calendar year."),
        "what_counts": ("A police count. It overlaps with the Immigration Services Agency's "
                        "count of victims protected; the two must never be added."),
    },
    "isa_victims_protected": {
        "jurisdiction": "JPN", "stage": "protection (immigration)",
        "measure": "isa_victims_protected", "kind": "count",
        "code": "jp_isa_victims_protected",
        "name": "Trafficking victims protected by the immigration authority (Japan, ISA)",
        "unit": "persons",
        "definition": ("Victims for whom the Immigration Services Agency (出入国在留管理庁) took "
                       "protection procedures (保護の手続を執った人身取引被害者), by calendar year; "
                       "foreign nationals in the stored releases."),
        "what_counts": ("An immigration count, different from and overlapping with the National "
                        "Police Agency's count of victims recognised; never add the two."),
    },
    "victims_identified": {
        "jurisdiction": "SGP", "stage": "identification",
        "measure": "victims_identified", "kind": "count",
        "code": "sg_victims_identified",
        "name": "Potential trafficking victims identified (Singapore, as in the TIP report)",
        "unit": "persons",
        "definition": ("Potential ('alleged' in the 2018 chapter) trafficking victims the "
                       "Singapore government reported identifying, as relayed by the US TIP "
                       "report's Singapore chapter."),
        "what_counts": ("The government's count as the State Department reports it; "
                        "'potential' victims, not necessarily confirmed after investigation."),
    },
    "t1_applications_received": {
        "jurisdiction": "USA", "stage": "application",
        "measure": "t1_applications_received", "kind": "count",
        "code": "us_t1_applications_received",
        "name": "T-1 visa applications received (US, fiscal year)",
        "unit": "applications",
        "definition": ("Applications for T-1 (principal victim) nonimmigrant status received by "
                       "USCIS in the US fiscal year, as CAST reports them."),
        "what_counts": ("Self-initiated applications, not referrals or identifications; "
                        "principal applicants only (family members' applications excluded)."),
    },
    "t_applications_approved": {
        "jurisdiction": "USA", "stage": "decision",
        "measure": "t_applications_approved", "kind": "count",
        "code": "us_t_applications_approved", "name": "T visa applications approved (US)",
        "unit": "applications",
        "definition": "T visa applications USCIS approved 'In 2023', as a law-firm blog states.",
        "what_counts": ("Whether principal applicants only, and whether fiscal or calendar "
                        "year, is not stated."),
    },
    "t_applications_denied": {
        "jurisdiction": "USA", "stage": "decision",
        "measure": "t_applications_denied", "kind": "count",
        "code": "us_t_applications_denied", "name": "T visa applications denied (US)",
        "unit": "applications",
        "definition": "T visa applications USCIS denied 'In 2023', as a law-firm blog states.",
        "what_counts": ("Whether principal applicants only, and whether fiscal or calendar "
                        "year, is not stated."),
    },
}
PUBLISHERS = {
    "GBR": "UK Home Office / National Crime Agency (quoted)",
    "JPN": "Government of Japan (quoted)",
    "SGP": "Government of Singapore via the US TIP report (quoted)",
    "USA": "USCIS figures as reported by CAST and a law firm (quoted)",
}


def _read(fetched: FetchedFile) -> pd.DataFrame:
    return tables.read_table(ID, fetched, SCHEMA, name=FILE, empty="no rows")


def _checked(frame: pd.DataFrame) -> pd.DataFrame:
    """Every row's fields as the parser needs them, or an error naming the row and column."""
    out = frame.copy()
    iso = validate.resolve_names(ID, FILE, out, "jurisdiction", out["jurisdiction"].str.strip())
    for _, row in out.iterrows():
        line = int(row["row"])
        spec = INDICATORS.get(row["indicator"].strip())
        if spec is None:
            raise SourceError(ID, FILE, "unknown indicator", column="indicator",
                              value=row["indicator"], row=line)
        if iso[row["jurisdiction"].strip()] != spec["jurisdiction"]:
            raise SourceError(ID, FILE, f"indicator {row['indicator']!r} is defined for "
                              f"{spec['jurisdiction']} only", column="jurisdiction",
                              value=row["jurisdiction"], row=line)
        for col in ("year", "value"):
            if not row[col].strip().isdigit():
                raise SourceError(ID, FILE, "not a whole number", column=col, value=row[col],
                                  row=line)
        if spec["kind"] == "share" and int(row["value"]) > 100:
            raise SourceError(ID, FILE, "a share above 100 percent", column="value",
                              value=row["value"], row=line)
        quote = row["quote"].strip()
        if not quote:
            raise SourceError(ID, FILE, "figure without its quote", column="quote", row=line)
        if row["value"].strip() not in quote.replace(",", ""):
            raise SourceError(ID, FILE, "the quote does not contain the figure", column="quote",
                              value=quote, row=line)
        url = validate.http_url(ID, FILE, line, "source_url", row["source_url"])
        if spec["jurisdiction"] == "GBR" and url not in UK_PUBLICATIONS:
            raise SourceError(ID, FILE, "UK page not classified (official or not) in "
                              "UK_PUBLICATIONS", column="source_url", value=url, row=line)
    out["area_code"] = out["jurisdiction"].str.strip().map(iso)
    out["code"] = out["indicator"].str.strip().map(lambda k: INDICATORS[k]["code"])
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    out["source_url"] = out["source_url"].str.strip()
    out["quote"] = out["quote"].str.strip()
    out["line"] = out["row"]
    pub = out["source_url"].map(UK_PUBLICATIONS)
    out["edition"] = [p.edition if isinstance(p, Publication) else t.strip()
                      for p, t in zip(pub, out["source_title"], strict=True)]
    out["official"] = [p.official if isinstance(p, Publication) else u in OFFICIAL_ELSEWHERE
                       for p, u in zip(pub, out["source_url"], strict=True)]
    # The latest data year a page states: a later one means a later annual release.
    out["vintage"] = out.groupby("source_url")["year"].transform("max")
    out["qualifier"] = [next((q for word, q in QUALIFIERS.items() if word in quote.lower()),
                             None) for quote in out["quote"]]
    return out


def _fmt(value: float) -> str:
    return f"{value:,.0f}"


def _choose(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mark one row per figure preferred (rule in the module docstring); list disagreements."""
    preferred = pd.Series(True, index=frame.index)
    reasons = pd.Series(None, index=frame.index, dtype=object)
    conflicts: list[dict] = []
    keys = ["code", "area_code", "year"]
    for _, group in frame.groupby(keys, sort=False):
        if len(group) == 1:
            continue
        ranked = group.sort_values(["official", "vintage", "source_date", "line"],
                                   ascending=[False, False, False, True], kind="stable")
        best = ranked.iloc[0]
        others = ranked.iloc[1:]
        revised = others[others["official"] & (others["value"] != best["value"])]
        rivals = others["official"].any()
        why = ("latest official statement" if best["official"] and rivals else
               "official statement, preferred over reports of it" if best["official"] else
               "no official statement; the first of the file's statements")
        why += f" ({best['edition']})"
        if not revised.empty:
            why += "; revises " + ", ".join(
                f"{_fmt(r['value'])} in {r['edition']}" for _, r in revised.iterrows())
        reasons[best.name] = why + "."
        for idx, row in others.iterrows():
            preferred[idx] = False
            same = row["value"] == best["value"]
            if same:
                text = f"same figure as the preferred statement in {best['edition']}"
            elif row["official"]:
                text = (f"earlier official release, revised to {_fmt(best['value'])} in "
                        f"{best['edition']}")
            else:
                text = (f"not an official UK release; differs from the official "
                        f"{_fmt(best['value'])} in {best['edition']}" if row["area_code"] ==
                        "GBR" else f"differs from {_fmt(best['value'])} in {best['edition']}")
                conflicts.append({
                    "indicator": row["code"], "area_code": row["area_code"],
                    "year": int(row["year"]), "breakdown_dim": "total", "breakdown": "",
                    "file": FILE, "edition": row["edition"], "value": row["value"],
                    "chosen_file": FILE, "chosen_edition": best["edition"],
                    "chosen_value": best["value"],
                    "reason": (f"{row['edition']} states {_fmt(row['value'])}, the official "
                               f"{best['edition']} {_fmt(best['value'])}; a disagreement, not "
                               "an official revision: the official figure is preferred."
                               if best["official"] else
                               f"{row['edition']} states {_fmt(row['value'])}, "
                               f"{best['edition']} {_fmt(best['value'])}."),
                })
            reasons[idx] = f"Not charted: {text}."
    reasons = reasons.fillna("only statement of this figure")
    return (frame.assign(preferred=preferred, preferred_reason=reasons),
            pd.DataFrame(conflicts, columns=OBS_CONFLICT_COLUMNS))


def _note(row: pd.Series) -> str:
    date = row["source_date"].strip()
    return (f"As stated: {row['unit'].strip()}. Source: {row['source_publisher'].strip()}, "
            f"'{row['source_title'].strip()}'" + (f" ({date})" if date else " (no date given)")
            + ".")


def parse(files: dict[str, FetchedFile]) -> Parsed:
    frame, conflicts = _choose(_checked(_read(files[FILE])))
    obs = pd.DataFrame({
        "indicator": frame["code"],
        "area_code": frame["area_code"],
        "area_kind": "jurisdiction",
        "year": frame["year"],
        "breakdown_dim": "total",
        "breakdown": "",
        "value": frame["value"],
        "qualifier": frame["qualifier"],
        "file": FILE,
        "quote": frame["quote"],
        "cited_url": frame["source_url"],
        "note": frame.apply(_note, axis=1),
        "edition": frame["edition"],
        "preferred": frame["preferred"].astype(bool),
        "preferred_reason": frame["preferred_reason"],
        "series_break": False,  # revisions change figures, not what the series counts
        "row": frame["row"],
        "area_as_published": frame["jurisdiction"],
    })[[*OBSERVATION_COLUMNS, *OBSERVATION_OPTIONAL, "row", "area_as_published"]]
    indicators = pd.concat([
        indicator_frame([spec], publisher=PUBLISHERS[spec["jurisdiction"]], breakdowns="total")
        for spec in INDICATORS.values()], ignore_index=True)
    return Parsed(indicators=indicators, observations=obs.reset_index(drop=True),
                  observation_conflicts=conflicts, rows_per_file={FILE: len(obs)})


SOURCE = Source(
    id=ID,
    publisher="Compiled by this project from UK Home Office / NCA statistics, Japanese "
              "government releases, the US TIP report and US T-visa figures (quoted)",
    title="Referral and identification funnels: UK NRM, Japan, Singapore, US T-visas",
    licence="Quotations of public statements (UK Crown / Parliamentary copyright; Japanese "
            "government pages; US government work); short excerpts for provenance",
    homepage=("https://gov.uk/government/statistics/modern-slavery-nrm-and-dtn-statistics-end-of-"
              "year-summary-2024/annex-an-analysis-of-nrm-referrals-and-dtn-reports-for-"
              "potential-victims-of-modern-slavery-2023-to-2024"),
    files=(SourceFile(FILE, None),),
    parse=parse,
    description=(
        "One row per published figure with its page and sentence. UK NRM figures revised in "
        "later releases are all kept with their edition; charts draw the latest official one. "
        "Referrals, decisions, shares and identified victims are separate indicators."),
)
