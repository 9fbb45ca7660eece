"""UNODC GLOTIP country data (``data_glotip.xlsx``): detected victims, prosecutions, convictions.

The workbook is one long table (≈46,600 rows), read with pandas' calamine engine (a Rust
reader, several times faster than openpyxl on it) as text cells: ``txtVALUE`` and ``Year`` are
checked as the file writes them, not as a reader would convert them.

What is loaded (and why):
- Dimensions ``Total`` and ``by form of exploitation``, with their sex/age splits, for all five
  indicators. ``by citizenship`` and ``by country of repatriation`` (≈9,600 rows, categories
  are country names, mostly ``<5``) are not loaded; no page uses them yet.
- ``txtVALUE`` is text. ``<5`` is censored: value NULL, qualifier ``suppressed (<5)``; never 0
  or 5. Other values must be whole numbers, thousands separators allowed ("1,282").
- Rows with no country name and a code that is not ISO 3166 (``CAR CAS EEU MCA MCN SAF SAM``:
  the file does not say what they are) and the 26 ``Sark`` rows (no ISO code) are skipped.

Rows that share a key (country, indicator, dimension, category, sex, age, year) — 860 in the
May 2023 release — are settled so each key loads once:
1. several ``Other forms of exploitation`` rows: UNODC lists unnamed sub-forms separately.
   When every part is a number the sum loads, with the parts in ``note``; when any part is
   ``<5`` no sum is possible: value NULL, qualifier ``suppressed (<5) in part``.
2. any other repeated key with identical values: loaded once, ``note`` says how many rows.
3. any other repeated key with different values (e.g. Bolivia 2017 female victims 62 and 43):
   the file does not say which is right, so value NULL, qualifier ``conflicting rows``, and
   the published values in ``note``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype
from python_calamine import load_workbook

from etl import tables
from etl.countries import resolve
from etl.errors import SourceError
from etl.source import OBSERVATION_COLUMNS, FetchedFile, Parsed, Source, SourceFile, indicator_frame

ID = "unodc-glotip"
FILE = "data_glotip.xlsx"
URL = "https://dataunodc.un.org/sites/dataunodc.un.org/files/data_glotip.xlsx"
SUPPRESSED = "suppressed (<5)"
SUPPRESSED_PART = "suppressed (<5) in part"
CONFLICT = "conflicting rows"
OTHER_FORMS = "Other forms of exploitation"
TOTAL = "Total"
NEEDED = ["Iso3_code", "Country", "Indicator", "Dimension", "Category", "Sex", "Age", "Year",
          "txtVALUE"]
SCHEMA = tables.input_schema(NEEDED)
KEY = ["area_code", "indicator", "Dimension", "Category", "Sex", "Age", "year"]
LOADED_DIMENSIONS = {"Total": "total", "by form of exploitation": "form"}
UNNAMED_CODES = {"CAR", "CAS", "EEU", "MCA", "MCN", "SAF", "SAM"}
NO_CODE_NAMES = {"Sark"}
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")

_UNODC = (
    "UNODC GLOTIP: national figures submitted by Member States through the questionnaire for "
    "the Global Report on Trafficking in Persons, or taken from official national sources "
    "(EU/EFTA states report through Eurostat). ")
_SPLITS = "total,sex,age,sex_age,form,form_sex_age"
INDICATORS: dict[str, dict[str, str]] = {
    "Detected trafficking victims": {
        "code": "glotip_detected_victims", "measure": "detected_victims", "kind": "count",
        "name": "Detected trafficking victims (UNODC)",
        "unit": "persons",
        "definition": _UNODC + "Persons identified by national authorities as victims of "
        "trafficking in persons (ICCS 0204) in the year.",
        "what_counts": "Victims detected by the authorities; UNODC says the figures show "
        "detection capacity and must not be read as the prevalence of the crime. National "
        "definitions differ (some count presumed victims, some only formally identified ones). "
        "Counts under 5 are published as '<5'.", "breakdowns": _SPLITS},
    "Persons prosecuted": {
        "code": "glotip_persons_prosecuted", "measure": "persons_prosecuted", "kind": "count",
        "name": "Persons prosecuted for trafficking (UNODC)",
        "unit": "persons", "definition": _UNODC + "Persons prosecuted for trafficking in "
        "persons in the year.", "what_counts": "Persons, not cases.", "breakdowns": _SPLITS},
    "Persons convicted": {
        "code": "glotip_persons_convicted", "measure": "persons_convicted", "kind": "count",
        "name": "Persons convicted of trafficking (UNODC)",
        "unit": "persons", "definition": _UNODC + "Persons found guilty of trafficking in "
        "persons by a legal body, preferably at first instance, in the year.",
        "what_counts": "Persons, not cases.", "breakdowns": _SPLITS},
    "Persons brought into formal contact": {
        "code": "glotip_persons_formal_contact", "measure": "persons_formal_contact",
        "kind": "count",
        "name": "Persons brought into formal contact with police for trafficking (UNODC)",
        "unit": "persons", "definition": _UNODC + "Persons suspected, arrested or cautioned "
        "for trafficking in persons in the year.", "what_counts": "Suspects, not convictions.",
        "breakdowns": _SPLITS},
    "Offences of trafficking in persons": {
        "code": "glotip_offences", "measure": "offences", "kind": "count",
        "name": "Offences of trafficking in persons recorded (UNODC)",
        "unit": "offences", "definition": _UNODC + "Offences of trafficking in persons "
        "recorded by the police in the year.", "what_counts": "Offences, not persons.",
        "breakdowns": _SPLITS},
}


def _read_excel(path: Path) -> pd.DataFrame:
    # Every cell as text, '' when empty. na_filter=False: pandas would otherwise read the
    # 12 'N/A' cells (and any 'NA', 'null' ...) as gaps instead of reporting them.
    return pd.read_excel(path, sheet_name=0, engine="calamine", dtype=str, na_filter=False,
                         header=None)


def _as_text(cell: object) -> str | None:
    """A cell as ``_read_excel`` writes it, for the cell types it converts plainly (text, and a
    finite number: written as a whole number when it is one); None for any other."""
    if cell.__class__ is str:
        return cell  # type: ignore[return-value]
    if cell.__class__ is float and math.isfinite(cell):  # type: ignore[arg-type]
        whole = int(cell)  # type: ignore[call-overload]
        return str(whole) if whole == cell else str(cell)
    return None


def text_cells(path: Path) -> pd.DataFrame:
    """The first sheet as text cells: the frame ``_read_excel`` returns, read straight from
    calamine's rows.

    pandas converts every cell in Python, then runs its text parser over the rows: 0.4 s of
    the 46,600-row sheet, more than calamine's own read. Here a column of text is taken as it
    is and the numbers (the Year column) are written as pandas writes them. Any other sheet —
    a cell of another type (a date, a boolean), rows of uneven width, fewer than two columns,
    or a file calamine cannot open — goes through ``_read_excel`` itself, so its frame and its
    errors are pandas' own (tests/test_source_glotip.py compares the two)."""
    try:
        rows = load_workbook(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:
        return _read_excel(path)
    width = len(rows[0]) if rows else 0
    if width < 2 or any(len(row) != width for row in rows):
        return _read_excel(path)
    cells = np.array(rows, dtype=object)
    for i in range(width):
        if infer_dtype(cells[:, i], skipna=False) != "string":  # not all text: convert its cells
            column = [_as_text(cell) for cell in cells[:, i]]
            if None in column:
                return _read_excel(path)
            cells[:, i] = column
    return pd.DataFrame({i: cells[:, i] for i in range(width)})


def read_table(fetched: FetchedFile) -> pd.DataFrame:
    """The data table as text columns, header found wherever it is (row 3 in the 2023 file)."""
    try:
        cells = text_cells(fetched.path)
    except Exception as exc:
        raise SourceError(ID, FILE, f"not a readable xlsx workbook: {exc}") from exc
    at = cells.index[cells[0] == "Iso3_code"] if len(cells.columns) else []
    if not len(at):
        raise SourceError(ID, FILE, "no header row starting with 'Iso3_code'",
                          column="Iso3_code")
    header = [c.strip() for c in cells.iloc[at[0]]]
    body = cells.iloc[at[0] + 1:]
    # Blank rows are dropped, so line numbers in errors hold for files without them.
    body = body[(body.to_numpy() != "").any(axis=1)]
    frame = pd.DataFrame(body.to_numpy(), columns=header)
    frame.attrs["first_data_line"] = int(at[0]) + 2  # spreadsheet row of the first data row
    tables.validated(SCHEMA, frame, ID, FILE)  # the columns the parser reads
    return frame[NEEDED]


def _strip_all(cells: list) -> list[str] | None:
    """Every cell stripped, when every cell is text (as the sheet's are); None otherwise, and
    the caller's pandas expression says what a gap or a number becomes. A list, not pandas'
    ``.str.strip()``: iterating its result cost a tenth of a second per column."""
    if all(cell.__class__ is str for cell in cells):
        return [cell.strip() for cell in cells]
    return None


def _areas(frame: pd.DataFrame) -> pd.Series:
    """ISO alpha-3 per row; None for rows that are skipped by rule (see module docstring)."""
    pairs = frame[["Iso3_code", "Country"]].drop_duplicates()
    codes: dict[tuple, str | None] = {}
    for code, name in pairs.itertuples(index=False):
        code = (code or "").strip()
        name = (name or "").strip()
        if (not name and code in UNNAMED_CODES) or (not code and name in NO_CODE_NAMES):
            codes[(code, name)] = None
            continue
        found = resolve(name or code)
        if found is None:
            raise SourceError(ID, FILE, "country not resolved (add it to etl/countries.py "
                              "ALIASES)", column="Country", value=name or code)
        if name and re.fullmatch(r"[A-Z]{3}", code) and found != code:
            raise SourceError(ID, FILE, f"Iso3_code does not match the country name "
                              f"(the name resolves to {found})", column="Iso3_code",
                              value=f"{code} / {name}")
        codes[(code, name)] = found
    # Two spellings of one country would be settled below as repeated rows ("conflicting
    # rows"), hiding that the file names it twice: that is an error in the file.
    spellings: dict[str, str] = {}
    for (_, name), found in codes.items():
        if found is None or not name:
            continue
        if spellings.setdefault(found, name) != name:
            raise SourceError(ID, FILE, f"two spellings of one country ({found}) in one file",
                              column="Country", value=f"{spellings[found]!r} and {name!r}")
    iso3, names = _strip_all(frame["Iso3_code"].tolist()), _strip_all(frame["Country"].tolist())
    if iso3 is None or names is None:
        iso3 = frame["Iso3_code"].fillna("").str.strip().tolist()
        names = frame["Country"].fillna("").str.strip().tolist()
    keys = list(zip(iso3, names, strict=True))
    return pd.Series([codes[k] for k in keys], index=frame.index, dtype=object)


def _values(frame: pd.DataFrame, first_line: int) -> pd.DataFrame:
    text = frame["txtVALUE"].fillna("").str.strip()
    censored = text == "<5"
    ok = censored | text.str.match(_NUMBER)
    if not ok.all():
        i = int(ok.idxmin())
        raise SourceError(ID, FILE, "txtVALUE is neither a whole number nor '<5'",
                          column="txtVALUE", value=text[i], row=i + first_line)
    value = pd.to_numeric(text.where(~censored).str.replace(",", "", regex=False))
    return frame.assign(value=value, censored=censored, text=text)


def _breakdowns(frame: pd.DataFrame) -> pd.DataFrame:
    sex_t, age_t = frame["Sex"] == TOTAL, frame["Age"] == TOTAL
    is_form = frame["Dimension"] == "by form of exploitation"
    split = frame["Sex"] + ", " + frame["Age"]
    dim = pd.Series("sex_age", index=frame.index, dtype=object)
    dim[sex_t & age_t] = "total"
    dim[~sex_t & age_t] = "sex"
    dim[sex_t & ~age_t] = "age"
    label = split.where(~sex_t | ~age_t, "")
    label = label.where(~(~sex_t & age_t), frame["Sex"])
    label = label.where(~(sex_t & ~age_t), frame["Age"])
    form_dim = dim.map(lambda d: "form" if d == "total" else "form_sex_age")
    form_label = frame["Category"] + label.map(lambda s: f"; {s}" if s else "")
    return frame.assign(breakdown_dim=dim.where(~is_form, form_dim),
                        breakdown=label.where(~is_form, form_label))


def _settle(group: pd.DataFrame) -> dict:
    """One row for a key that the file repeats (rules 1–3 of the module docstring)."""
    first = group.iloc[0].to_dict()
    shown = ", ".join(group["text"])
    n = len(group)
    if first["Category"] == OTHER_FORMS:
        if group["censored"].any():
            first.update(value=None, qualifier=SUPPRESSED_PART,
                         note=f"{n} '{OTHER_FORMS}' rows (unnamed sub-forms) in the file: "
                              f"{shown}; no sum is possible because a part is '<5'.")
        else:
            first.update(value=float(group["value"].sum()), qualifier=None,
                         note=f"Sum of {n} '{OTHER_FORMS}' rows (unnamed sub-forms) in the "
                              f"file: {shown}.")
    elif group["text"].nunique() == 1:
        first["note"] = f"The file repeats this row {n} times with the same value."
    else:
        first.update(value=None, qualifier=CONFLICT,
                     note=f"The file gives {n} different values for this key ({shown}) "
                          "without saying which is right; none is loaded as the value.")
    first["quote"] = first["quote"].rsplit(": ", 1)[0] + f": {shown}"
    return first


def parse(files: dict[str, FetchedFile]) -> Parsed:
    raw = read_table(files[FILE])
    first_line = int(raw.attrs.get("first_data_line", 1))
    for col in NEEDED:
        if col != "Year":
            cells = _strip_all(raw[col].tolist())
            raw[col] = cells if cells is not None else raw[col].fillna("").astype(str).str.strip()
    unknown = set(raw["Indicator"]) - set(INDICATORS)
    if unknown:
        raise SourceError(ID, FILE, "unknown indicator", column="Indicator",
                          value=sorted(unknown)[0])
    raw["row"] = raw.index + first_line  # spreadsheet row, for error messages
    frame = raw[raw["Dimension"].isin(LOADED_DIMENSIONS)].copy()
    years = pd.to_numeric(frame["Year"], errors="coerce")
    if years.isna().any() or (years % 1 != 0).any():
        i = int(years.isna().idxmax()) if years.isna().any() else int((years % 1 != 0).idxmax())
        raise SourceError(ID, FILE, "Year is not a whole number", column="Year",
                          value=frame.loc[i, "Year"], row=i + first_line)
    frame["year"] = years.astype(int)
    frame["area_code"] = _areas(frame)
    frame = frame[frame["area_code"].notna()]
    frame = _breakdowns(_values(frame, first_line))
    frame["indicator"] = frame["Indicator"].map(lambda k: INDICATORS[k]["code"])
    frame["qualifier"] = frame["censored"].map({True: SUPPRESSED, False: None})
    frame["note"] = None
    frame["quote"] = (frame["Country"] + "; " + frame["Indicator"] + "; " + frame["Dimension"]
                      + "; " + frame["Category"] + "; sex " + frame["Sex"] + "; age "
                      + frame["Age"] + "; " + frame["year"].astype(str) + ": " + frame["text"])
    repeated = frame.duplicated(KEY, keep=False)
    settled = [_settle(g) for _, g in frame[repeated].groupby(KEY, sort=False)]
    if settled:
        frame = pd.concat([frame[~repeated], pd.DataFrame(settled, columns=frame.columns)],
                          ignore_index=True)
    obs = frame.assign(area_kind="jurisdiction", file=FILE, cited_url=None)
    obs["value"] = obs["value"].astype(object).where(obs["value"].notna(), None)
    obs = obs.sort_values(["indicator", "area_code", "year", "breakdown_dim", "breakdown"])
    obs = obs[[*OBSERVATION_COLUMNS, "row"]].reset_index(drop=True)
    indicators = indicator_frame(INDICATORS.values(), publisher="UNODC")
    return Parsed(indicators=indicators, observations=obs, rows_per_file={FILE: len(obs)})


# The address serves whatever release is current, so the file is pinned to one release: the
# date UNODC stamps in the workbook (row 2) and its sha256. A new release then fails
# `refresh --live` with a checksum mismatch naming both hashes, instead of loading unseen;
# adopting it is an explicit re-pin of these two lines (see fetch.py's mismatch message).
RELEASE = "2023-05-30"
SHA256 = "b0d5fcedaef86dcae33f74ef28f8e0cd25f49f12446d46642f05160159f15119"

SOURCE = Source(
    id=ID,
    publisher="United Nations Office on Drugs and Crime (UNODC)",
    title="UNODC Research – Data Portal: Trafficking in Persons (GLOTIP country data)",
    licence="UNODC data portal; cite 'UNODC Research - Data Portal – Trafficking in Persons' "
            "(no licence statement seen)",
    homepage="https://dataunodc.un.org/dp-trafficking-persons",
    # UNODC's own address, pinned to RELEASE. The snapshot is that release, as copied from GitHub
    # SophiaCKJ/ChildTraffickingData commit 37c8b202a15242325103d423fae5d11999443949.
    files=(SourceFile(FILE, URL, sha256=SHA256),),
    parse=parse,
    description=(
        "National detected victims, prosecutions, convictions, suspects and offences per year "
        "(2003–2021 in the May 2023 release), with sex, age and form-of-exploitation splits. "
        "'<5' stays censored (no number)."),
)
