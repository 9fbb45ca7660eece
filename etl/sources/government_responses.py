"""Governments' published answers to their placement in a US TIP report (compiled quotes).

``responses.csv`` was compiled by this project's researchers from stored copies of public pages:
one row per statement (Hong Kong 2009 and 2014–2025, Singapore, Macau, Thailand, Taiwan,
Malaysia). It has no publisher download, so the source is mirror only. Each row's ``stance`` is the
researchers' reading of the statement; the phrase that supports it is not in the CSV but in the
folder's PROVENANCE.md ("Row ↔ excerpt ↔ stance evidence"), together with the excerpt file(s) it
was read from. The parser joins the two and checks every phrase against the stored excerpt, so a
quote shown in the dashboard is known to be the statement's own words.

Three Hong Kong phrases (2020, 2023, 2025) live in excerpts stored with the ``hk-screening-more``
snapshot; they are declared here under their relative path (``../hk-screening-more/…``) so the
check reads exactly the file the PROVENANCE names, and the ``sources`` table records its hash.
``hk_figures.csv`` in the same folder belongs to another source module.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import pandas as pd

from etl import tables, validate
from etl.countries import resolve
from etl.errors import SourceError
from etl.schema import STANCES
from etl.source import RESPONSE_COLUMNS, FetchedFile, Parsed, Source, SourceFile

ID = "government-responses"
CSV = "responses.csv"
PROV = "PROVENANCE.md"
COLUMNS = ["jurisdiction", "report_year", "date", "publisher", "title", "address", "stance",
           "figures_cited"]
# Exactly these columns; every statement names its report year, stance, publisher and title.
SCHEMA = tables.input_schema(COLUMNS, strict=True, rules={
    "report_year": [tables.digits("report year is not a number", key=f"{ID}: report year")],
    "stance": [tables.one_of(f"unknown stance (expected one of {', '.join(STANCES)})", STANCES,
                             key=f"{ID}: stance")],
    **{col: [tables.not_blank(f"{col} is empty", key=f"{ID}: {col}", show_value=False)]
       for col in ("publisher", "title")},
})
OTHER = "../hk-screening-more/"

# The excerpts the evidence table names. Listed here because a source declares its files before
# parsing; ``parse`` fails when the table and this list stop agreeing.
EXCERPTS = (
    "HK_2009_info-gov-hk_P200906170276.txt", "HK_2009_info-gov-hk_P200908210259.txt",
    "HK_2014_info-gov-hk_P201406201050.txt", "HK_2015_hongkongfp_20150728.txt",
    "HK_2016_info-gov-hk_P201606301004.txt", "HK_2017_fmcoprc-gov-hk_t1474518.txt",
    "HK_2017_sunwebhk_hk-retains-downgrade.txt", "HK_2018_government-world_hksar-2018.txt",
    "HK_2018_xinhuanet_c_137289769.txt", "HK_2019_government-world_hksar-2019.txt",
    "HK_2020_indianeconomicobserver_20200626.txt", "HK_2021_chinadailyhk_226531.txt",
    "HK_2021_info-gov-hk_P2021070200007.txt", "HK_2021_news-gov-hk_20210702.txt",
    "HK_2022_news-gov-hk_20220720.txt", "HK_2024_news-gov-hk_20240625.txt",
    "HK_2024_rthk_1758874-20240625.txt", "HK_2025_hk01_60281106.txt",
    "MO_2017_gov-mo_65097.txt", "MO_2018_anti-tip-gov-mo_156.txt",
    "MO_2020_anti-tip-gov-mo_161.txt", "MO_2021_anti-tip-gov-mo_163.txt",
    "MO_2022_ecns_20220721.txt", "MO_2023_einpresswire_664586127.txt",
    "MO_2024_macaupostdaily_21897.txt", "MO_2025_einpresswire_853913494.txt",
    "MY_2016_theborneopost_20160701.txt", "MY_2022_malaysianow_20220805.txt",
    "MY_2023_theborneopost_20230626.txt",
    "SG_2011_mfa-gov-sg_20110628.txt", "SG_2012_mom-gov-sg_20120620.txt",
    "SG_2013_mom-gov-sg_20130624.txt", "SG_2014_singaporenewstribe_pq-reply-20140707.txt",
    "SG_2014_todayonline_taskforce-responds.txt",
    "SG_2015_straitstimes_not-accurate-representation.txt",
    "SG_2018_mha-gov-sg_written-reply-20181002.txt",
    "TH_2016_thaiembdc_press-release.txt", "TH_2018_panow_20180629.txt",
    "TH_2022_pattayamail_404422.txt", "TH_2022_thailandnews-co_202207.txt",
    "TW_2016_cn-bg3_ettoday.txt", "TW_2016_lotmg_ettoday.txt", "TW_2021_setn_962192.txt",
    "TW_2021_tw-bg3_moi.txt", "TW_2025_taiwantoday-jp_275708.txt",
    OTHER + "2019_chinadailyhk_134960.txt", OTHER + "2022_news-gov-hk_20230616.txt",
    OTHER + "2024_info-gov-hk_P2025093000096.txt",
)

EVIDENCE_HEADING = "## Row ↔ excerpt ↔ stance evidence"
EXCERPT_HEADING = "## Excerpt files and addresses"
# | `HK_2009_….txt` | <http://…> (mirror) | `21218967cb620530` |
EXCERPT_ROW = re.compile(r"^\|\s*`([^`]+\.txt)`\s*\|(.*?)\|\s*`([0-9a-f]{16})`\s*\|\s*$", re.M)
ADDRESS = re.compile(r"<(https?://[^>]+)>")
# Chinese is written in traditional characters in Taiwan, Hong Kong and Macau.
TRADITIONAL = {"TWN", "HKG", "MAC"}


@dataclass(frozen=True)
class Evidence:
    jurisdiction: str
    report_year: int
    files: tuple[str, ...]
    phrase: str | None
    line: int  # line of PROVENANCE.md, for error messages


def _section(text: str, heading: str) -> tuple[str, int]:
    start = text.find(heading)
    if start < 0:
        raise SourceError(ID, PROV, "section missing", value=heading)
    end = text.find("\n## ", start + len(heading))
    body = text[start:end if end >= 0 else len(text)]
    return body, text.count("\n", 0, start) + 1


def evidence_table(text: str) -> list[Evidence]:
    """The rows of the PROVENANCE's stance-evidence table."""
    body, first_line = _section(text, EVIDENCE_HEADING)
    rows: list[Evidence] = []
    for offset, line in enumerate(body.splitlines()):
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("jurisdiction", "") or set(cells[0]) <= {"-", ":"}:
            continue
        where = first_line + offset
        if len(cells) != 4 or not cells[1].isdigit():
            raise SourceError(ID, PROV, "evidence table row not understood", row=where,
                              value=line)
        files = tuple(re.findall(r"`([^`]+)`", cells[2]))
        if not files:
            raise SourceError(ID, PROV, "evidence row names no excerpt file", row=where,
                              column="excerpt file(s)", value=cells[2])
        quoted = cells[3]
        if quoted in ("", "—", "-"):
            phrase = None
        elif len(quoted) >= 2 and quoted[0] == quoted[-1] == '"':
            phrase = quoted[1:-1]
        else:
            raise SourceError(ID, PROV, "phrase is not in double quotes", row=where,
                              column="phrase supporting the stance (verbatim)", value=quoted)
        rows.append(Evidence(cells[0], int(cells[1]), files, phrase, where))
    if not rows:
        raise SourceError(ID, PROV, "the stance-evidence table has no rows")
    return rows


def excerpt_table(text: str) -> dict[str, tuple[str | None, str]]:
    """excerpt file -> (address read, or None where the table gives none; sha256 prefix)."""
    body, _ = _section(text, EXCERPT_HEADING)
    out: dict[str, tuple[str | None, str]] = {}
    for name, cell, sha16 in EXCERPT_ROW.findall(body):
        found = ADDRESS.search(cell)
        out[name] = (found.group(1) if found else None, sha16)
    if not out:
        raise SourceError(ID, PROV, "the excerpt-file table has no rows")
    return out


def language(phrase: str, iso3: str, line: int) -> str:
    """BCP 47 tag of a phrase, from the script it is written in."""
    scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in phrase if ch.isalpha()}
    if scripts & {"HIRAGANA", "KATAKANA"}:
        return "ja"
    if "CJK" in scripts:
        if iso3 in TRADITIONAL:
            return "zh-Hant"
        raise SourceError(ID, PROV, "Chinese phrase from a jurisdiction whose script "
                          "(traditional or simplified) the parser does not know", row=line,
                          value=phrase)
    if scripts <= {"LATIN"}:
        return "en"  # every Latin-script statement in this folder is in English
    raise SourceError(ID, PROV, "phrase in a script the parser does not know", row=line,
                      value=phrase)


def _statement_date(text: str, year: int, line: int) -> date | None:
    if not text.strip():
        return None
    try:
        when = date.fromisoformat(text.strip())
    except ValueError:
        raise SourceError(ID, CSV, "date is not YYYY-MM-DD", column="date", value=text,
                          row=line) from None
    # A report is answered the year it comes out, or (a parliamentary question) soon after.
    if not year <= when.year <= year + 1:
        raise SourceError(ID, CSV, f"date is not in {year} or {year + 1}, the years a "
                          f"statement on the {year} report can be made", column="date",
                          value=text, row=line)
    return when


def _pick(candidates: list[Evidence], address: str, by_address: dict[str, str],
          line: int) -> Evidence:
    """The evidence row for a statement: same jurisdiction and report year, and where a year
    has several statements, the one whose excerpt file was read at the row's address."""
    if not candidates:
        raise SourceError(ID, CSV, "no stance evidence in PROVENANCE.md for this jurisdiction "
                          "and report year", column="address", value=address, row=line)
    own = by_address.get(address)
    if own is not None:
        matching = [e for e in candidates if own in e.files]
        if len(candidates) == 1 and not matching:
            raise SourceError(ID, CSV, f"the address is that of {own}, which the stance "
                              "evidence for this year does not name", column="address",
                              value=address, row=line)
        candidates = matching or candidates
    if len(candidates) != 1:
        raise SourceError(ID, CSV, "several statements that year and the address does not say "
                          "which stance evidence is this row's", column="address",
                          value=address, row=line)
    return candidates[0]


def _text(fetched: FetchedFile) -> str:
    # The PROVENANCE warns that non-breaking spaces may have become ordinary ones.
    return fetched.path.read_text(encoding="utf-8").replace("\u00a0", " ")


def parse(files: dict[str, FetchedFile]) -> Parsed:
    validate.text_files(ID, files)
    frame = tables.read_table(ID, files[CSV], SCHEMA, name=CSV)
    prov = files[PROV].path.read_text(encoding="utf-8")
    evidence = evidence_table(prov)
    excerpts = excerpt_table(prov)
    named = {f.removeprefix("../government-responses/") for e in evidence for f in e.files}
    if named != set(EXCERPTS):
        raise SourceError(ID, PROV, "the evidence table and this module's list of excerpt "
                          "files disagree; update EXCERPTS", column="excerpt file(s)",
                          value=sorted(named ^ set(EXCERPTS)))
    for name, (_, sha16) in excerpts.items():
        if name in files and files[name].sha256[:16] != sha16:
            raise SourceError(ID, name, "excerpt differs from the one PROVENANCE.md describes",
                              column="sha256/16", value=files[name].sha256[:16])
    by_address = {addr: name for name, (addr, _) in excerpts.items() if addr}

    used: dict[int, int] = {}
    rows = []
    for _, row in frame.iterrows():
        line = int(row["row"])
        iso3 = resolve(row["jurisdiction"])
        if iso3 is None:
            raise SourceError(ID, CSV, "jurisdiction not resolved to an ISO code",
                              column="jurisdiction", value=row["jurisdiction"], row=line)
        year = int(row["report_year"])  # digits, a known stance, publisher and title: SCHEMA
        address = validate.http_url(ID, CSV, line, "address", row["address"])
        when = _statement_date(row["date"], year, line)
        ev = _pick([e for e in evidence if resolve(e.jurisdiction) == iso3
                    and e.report_year == year], address, by_address, line)
        if ev.line in used:
            raise SourceError(ID, CSV, f"the same stance evidence (PROVENANCE.md line {ev.line}) "
                              f"also matches CSV row {used[ev.line]}", column="address",
                              value=address, row=line)
        used[ev.line] = line
        found_in = None
        if ev.phrase is not None:
            found_in = next((f for f in ev.files if ev.phrase in _text(files[f])), None)
            if found_in is None:
                raise SourceError(ID, PROV, "the phrase supporting the stance does not occur "
                                  f"in {' or '.join(ev.files)}", row=ev.line,
                                  column="phrase supporting the stance (verbatim)",
                                  value=ev.phrase)
        note = ("Stance: the project's reading of the statement. "
                + (f"Quote checked against the stored excerpt {found_in}"
                   if found_in else "No supporting phrase recorded")
                + (f"; excerpts: {', '.join(ev.files)}." if len(ev.files) > 1 else "."))
        rows.append({
            "iso3": iso3, "report_year": year, "statement_date": when,
            "publisher": row["publisher"].strip(), "title": row["title"].strip(),
            "cited_url": address, "stance": row["stance"],
            "stance_quote": ev.phrase,
            "figures_cited": row["figures_cited"].strip() or None,
            "language": language(ev.phrase, iso3, ev.line) if ev.phrase else None,
            "file": CSV, "note": note, "row": line,
        })
    unused = [e for e in evidence if e.line not in used]
    if unused:
        e = unused[0]
        raise SourceError(ID, PROV, "stance evidence with no statement in responses.csv",
                          row=e.line, value=f"{e.jurisdiction} {e.report_year}")
    out = pd.DataFrame(rows, columns=[*RESPONSE_COLUMNS, "row"])
    # build.run_parser checks tier and observation rows; statements are checked here.
    validate.government_responses(ID, out)
    counts = {CSV: len(out), PROV: len(evidence)}
    for e in evidence:
        for f in e.files:
            counts[f] = counts.get(f, 0) + 1
    return Parsed(government_responses=out, rows_per_file=counts)


SOURCE = Source(
    id=ID,
    publisher="Compiled by this project from government statements and press reports "
              "(HKSAR, Macao SAR, Singapore, Thailand, Taiwan, Malaysia)",
    title="Government responses to US TIP report placements",
    licence="Short quotations of public statements for provenance (government copyright; press "
            "pages belong to their publishers)",
    homepage="https://www.state.gov/trafficking-in-persons-report/",
    files=(SourceFile(CSV, None), SourceFile(PROV, None),
           *(SourceFile(name, None) for name in EXCERPTS)),
    parse=parse,
    description=(
        "One row per published statement answering a TIP placement: date, publisher, "
        "address, the stance (the project's reading: rejects, welcomes or notes), the "
        "statement's own words supporting it, and the figures it cites."),
)
