"""Bad-input suite for the parsers: every test feeds one real snapshot file with one bad cell.

Each test runs the source's parser through ``build.run_parser`` (the shared checks of
``etl/validate.py`` included) on the snapshot with one change, and asserts the SourceError names
the source, the file, the row (the line an editor shows), the column and the value. Magnitude
checks that need another table (a unit, a population) run in ``validate.database`` on an
in-memory database loaded with the real loader.

Control characters (decided here): a NUL byte anywhere in a text file is an error naming its
line and column; so is any other C0 control character except tab, CR and LF. In parser output
a tab or line break is allowed inside quoted text (``quote``, ``note``) and nowhere else.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from etl import build, schema, validate
from etl.errors import SourceError
from etl.source import FetchedFile, Source
from etl.sources import (
    eurostat_thb_quoted,
    global_estimates_figures,
    government_responses,
    hk_screening,
    hk_screening_gov,
    referral_funnels,
    tip_global_law_enforcement_2016,
    tip_tier_lists,
    tip_tier_pages,
    walkfree_gsi,
    wikipedia_tiers,
)
from tests.conftest import local_file

Edit = Callable[[bytes], bytes]


def _files(source: Source, shared_raw: Path, tmp_path: Path,
           edits: dict[str, Edit] | None = None) -> dict[str, FetchedFile]:
    """The source's snapshot files, with ``edits`` applied to copies of the named ones."""
    folder = shared_raw / (source.mirror_subdir or source.id)
    out = {}
    for f in source.files:
        path = (folder / f.name).resolve()
        if edits and f.name in edits:
            path = tmp_path / Path(f.name).name
            path.write_bytes(edits[f.name]((folder / f.name).read_bytes()))
        out[f.name] = local_file(source.id, f.name, path)
    return out


def _records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _write(records: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(records)
    return buf.getvalue().encode("utf-8")


def set_cell(index: int, column: str, value: str) -> Edit:
    """Replace one cell of data record ``index`` (0-based, header excluded)."""
    def edit(data: bytes) -> bytes:
        records = _records(data)
        records[index + 1][records[0].index(column)] = value
        return _write(records)
    return edit


def add_copy(index: int, **changes: str) -> Edit:
    """Append a copy of data record ``index`` with some cells changed."""
    def edit(data: bytes) -> bytes:
        records = _records(data)
        row = list(records[index + 1])
        for column, value in changes.items():
            row[records[0].index(column)] = value
        return _write([*records, row])
    return edit


def _starts(path: Path) -> list[int]:
    """The line each data record starts on (as an editor numbers them), header excluded."""
    starts, previous = [], 0
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        for record in reader:
            if previous and record:
                starts.append(previous + 1)
            previous = reader.line_num
    return starts


def _line(files: dict[str, FetchedFile], name: str, index: int) -> int:
    return _starts(files[name].path)[index]


def _fails(source: Source, files: dict[str, FetchedFile]) -> SourceError:
    with pytest.raises(SourceError) as info:
        build.run_parser(source, files)
    return info.value


def _named(err: SourceError, source: Source, file: str, row: int | None, column: str,
           value: object = None) -> None:
    assert err.source == source.id
    assert err.file == file
    assert err.row == row, str(err)
    assert err.column == column, str(err)
    if value is not None:
        assert value in str(err.value), str(err)


EUROSTAT, EU_FILE = eurostat_thb_quoted.SOURCE, eurostat_thb_quoted.FILE
HK, HK_FILE = hk_screening.SOURCE, hk_screening.FILE
GE, GE_FILE = global_estimates_figures.SOURCE, global_estimates_figures.FILE
PAGES, PAGES_CSV = tip_tier_pages.SOURCE, tip_tier_pages.CSV
NON_FINITE = ["nan", "NaN", "inf", "-inf", "1e400"]


# 1. Non-finite values ------------------------------------------------------------------------

@pytest.mark.parametrize("text", NON_FINITE)
def test_eurostat_non_finite_value(shared_raw: Path, tmp_path: Path, text: str) -> None:
    files = _files(EUROSTAT, shared_raw, tmp_path, {EU_FILE: set_cell(3, "value", text)})
    err = _fails(EUROSTAT, files)
    assert "not a finite number" in err.detail
    _named(err, EUROSTAT, EU_FILE, _line(files, EU_FILE, 3), "value", text)


@pytest.mark.parametrize("text", NON_FINITE)
def test_global_estimates_non_finite_value(shared_raw: Path, tmp_path: Path, text: str) -> None:
    files = _files(GE, shared_raw, tmp_path, {GE_FILE: set_cell(0, "value", text)})
    err = _fails(GE, files)
    assert "not a finite number" in err.detail
    _named(err, GE, GE_FILE, _line(files, GE_FILE, 0), "value", text)


@pytest.mark.parametrize("text", NON_FINITE)
def test_hk_share_non_finite_value(shared_raw: Path, tmp_path: Path, text: str) -> None:
    """The one fractional indicator (a share) once took 'inf' for a number."""
    src = hk_screening_gov
    data = (shared_raw / src.SUBDIR / src.FILE).read_bytes()
    index = next(i for i, r in enumerate(_records(data)[1:])
                 if r[2] == "victims_identified_share_of_screenings")
    files = _files(src.SOURCE, shared_raw, tmp_path, {src.FILE: set_cell(index, "value", text)})
    err = _fails(src.SOURCE, files)
    assert "not a finite number" in err.detail
    _named(err, src.SOURCE, src.FILE, _line(files, src.FILE, index), "value", text)


def test_gsi_infinite_cell(shared_raw: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    src = walkfree_gsi
    book = openpyxl.load_workbook(shared_raw / src.ID / src.FILE)
    sheet = book[src.SHEET]
    header = [c.value for c in sheet[src.HEADER_ROW + 1]]
    col = header.index(src.NUMBER) + 1
    sheet.cell(row=src.HEADER_ROW + 2, column=col, value="inf")
    path = tmp_path / src.FILE
    book.save(path)
    err = _fails(src.SOURCE, {src.FILE: local_file(src.ID, src.FILE, path)})
    assert "not a finite number" in err.detail
    _named(err, src.SOURCE, src.FILE, src.HEADER_ROW + 2, src.NUMBER, "inf")


def test_missing_value_without_qualifier_is_not_loaded_as_null() -> None:
    """A NaN that reached the validator (a parser bug) is not a NULL figure."""
    import pandas as pd

    frame = pd.DataFrame([{"indicator": "x", "area_code": "LVA", "area_kind": "jurisdiction",
                           "year": 2020, "breakdown_dim": "total", "breakdown": "",
                           "value": float("nan"), "qualifier": None, "file": "f.csv",
                           "quote": "q", "cited_url": None, "note": None, "row": 7}])
    with pytest.raises(SourceError) as info:
        validate.observations(EUROSTAT, frame)
    assert "without a qualifier" in info.value.detail and info.value.row == 7
    frame.loc[0, "qualifier"] = "suppressed (<5)"  # UNODC's '<5': stated, not a number
    validate.observations(EUROSTAT, frame)


# 2. Negative counts and impossible magnitudes ------------------------------------------------

def test_negative_count_names_its_row(shared_raw: Path, tmp_path: Path) -> None:
    files = _files(EUROSTAT, shared_raw, tmp_path, {EU_FILE: set_cell(0, "value", "-5")})
    err = _fails(EUROSTAT, files)
    assert "negative" in err.detail
    _named(err, EUROSTAT, EU_FILE, _line(files, EU_FILE, 0), "value", "-5")


def test_count_above_world_population(shared_raw: Path, tmp_path: Path) -> None:
    files = _files(EUROSTAT, shared_raw, tmp_path, {EU_FILE: set_cell(0, "value", "9000000000")})
    err = _fails(EUROSTAT, files)
    assert "world population" in err.detail
    _named(err, EUROSTAT, EU_FILE, _line(files, EU_FILE, 0), "value", "9000000000")


def _loaded(parts: list[tuple[Source, dict[str, FetchedFile]]]) -> duckdb.DuckDBPyConnection:
    """An in-memory database loaded by the real loader (what ``refresh`` validates)."""
    con = duckdb.connect()
    schema.create(con)
    for source, files in parts:
        stamped = {n: dataclasses.replace(f, retrieved_at="2025-01-01 00:00:00")
                   for n, f in files.items()}
        build._load_parsed(con, source, stamped, build.run_parser(source, files))
    return con


def _eurostat_row(shared_raw: Path, indicator: str, unit: str, geo: str | None = None) -> int:
    records = _records((shared_raw / EUROSTAT.id / EU_FILE).read_bytes())
    return next(i for i, r in enumerate(records[1:])
                if r[2] == indicator and r[5] == unit and (geo is None or r[0] == geo))


@pytest.mark.parametrize(("indicator", "unit", "value", "words"), [
    ("registered_victims", "percent", "150", "percentage outside 0–100"),
    ("registered_victims_rate", "per million inhabitants", "2000000", "rate above 1,000,000"),
])
def test_share_or_rate_beyond_its_base(shared_raw: Path, tmp_path: Path, indicator: str,
                                       unit: str, value: str, words: str) -> None:
    index = _eurostat_row(shared_raw, indicator, unit)
    files = _files(EUROSTAT, shared_raw, tmp_path, {EU_FILE: set_cell(index, "value", value)})
    con = _loaded([(EUROSTAT, files)])
    with pytest.raises(SourceError) as info:
        validate.database(con)
    err = info.value
    assert words in err.detail and err.source == EUROSTAT.id and err.file == EU_FILE
    assert err.column == "value" and float(err.value) == float(value)


def test_count_above_the_jurisdictions_population(shared_raw: Path, tmp_path: Path) -> None:
    """Latvia: 5 million registered victims, against Walk Free's population of 1.9 million."""
    index = _eurostat_row(shared_raw, "registered_victims", "persons", "LV")
    files = _files(EUROSTAT, shared_raw, tmp_path,
                   {EU_FILE: set_cell(index, "value", "5000000")})
    gsi = _files(walkfree_gsi.SOURCE, shared_raw, tmp_path)
    con = _loaded([(walkfree_gsi.SOURCE, gsi), (EUROSTAT, files)])
    with pytest.raises(SourceError) as info:
        validate.database(con)
    err = info.value
    assert "above the population" in err.detail and "LVA" in err.detail
    assert "walkfree-gsi-2023/" in err.detail  # where the population comes from
    assert err.source == EUROSTAT.id and err.file == EU_FILE and err.value == 5_000_000


def test_real_snapshots_pass_the_magnitude_checks(shared_raw: Path, tmp_path: Path) -> None:
    parts = [(s, _files(s, shared_raw, tmp_path)) for s in
             (walkfree_gsi.SOURCE, EUROSTAT, hk_screening.SOURCE, referral_funnels.SOURCE)]
    validate.database(_loaded(parts))


# 3. Duplicates, two spellings of one country, two tiers -------------------------------------

def test_same_figure_twice_names_both_rows(shared_raw: Path, tmp_path: Path) -> None:
    files = _files(EUROSTAT, shared_raw, tmp_path, {EU_FILE: add_copy(3)})
    err = _fails(EUROSTAT, files)
    assert "stated twice" in err.detail
    last = len(_starts(files[EU_FILE].path)) - 1
    _named(err, EUROSTAT, EU_FILE, _line(files, EU_FILE, last), "value")
    assert f"row {_line(files, EU_FILE, 3)}" in err.value


@pytest.mark.parametrize("value", ["same", "other"])
def test_two_spellings_of_one_country(shared_raw: Path, tmp_path: Path, value: str) -> None:
    index = _eurostat_row(shared_raw, "registered_victims", "persons", "LV")
    original = _records((shared_raw / EUROSTAT.id / EU_FILE).read_bytes())[index + 1][4]
    changes = {"geo": "Latvia", "value": original if value == "same" else "49"}
    files = _files(EUROSTAT, shared_raw, tmp_path, {EU_FILE: add_copy(index, **changes)})
    err = _fails(EUROSTAT, files)
    assert "two spellings of one country" in err.detail
    assert "'LV' 48.0" in err.value
    assert f"'Latvia' {float(changes['value'])}" in err.value
    last = len(_starts(files[EU_FILE].path)) - 1
    _named(err, EUROSTAT, EU_FILE, _line(files, EU_FILE, last), "area_as_published")


def test_hk_two_spellings_two_values(shared_raw: Path, tmp_path: Path) -> None:
    files = _files(HK, shared_raw, tmp_path,
                   {HK_FILE: add_copy(0, jurisdiction="Hong Kong SAR", value="7600")})
    err = _fails(HK, files)
    assert "two spellings" in err.detail
    assert "'Hong Kong' 7678.0" in err.value and "'Hong Kong SAR' 7600.0" in err.value


def test_two_tiers_for_one_country_year(shared_raw: Path, tmp_path: Path) -> None:
    records = _records((shared_raw / PAGES.id / PAGES_CSV).read_bytes())
    index = next(i for i, r in enumerate(records[1:]) if r[1] == "Argentina")
    year, page = records[index + 1][0], records[index + 1][3]
    files = _files(PAGES, shared_raw, tmp_path, {PAGES_CSV: add_copy(
        index, country_name_as_published="Argentine Republic", tier="Tier 3", report_year=year,
        source_file=page)})
    err = _fails(PAGES, files)
    assert f"two tiers for {year}" in err.detail
    assert "Argentina: Tier 1" in err.value and "Argentine Republic: Tier 3" in err.value
    last = len(_starts(files[PAGES_CSV].path)) - 1
    _named(err, PAGES, PAGES_CSV, _line(files, PAGES_CSV, last), "tier")


def test_wikipedia_two_spellings_two_tiers(shared_raw: Path, tmp_path: Path) -> None:
    src = wikipedia_tiers
    def edit(data: bytes) -> bytes:
        records = _records(data)
        i = next(i for i, r in enumerate(records) if r[0] == "Chile")
        copy = list(records[i])
        copy[0] = "Republic of Chile"
        year = next(j for j, h in enumerate(records[0]) if h.startswith("2015"))
        copy[year] = "3" if records[i][year] != "3" else "1"
        return _write([*records, copy])
    files = _files(src.SOURCE, shared_raw, tmp_path, {src.FILE: edit})
    err = _fails(src.SOURCE, files)
    assert "two tiers for 2015" in err.detail and "Republic of Chile" in err.value
    assert err.row == _starts(files[src.FILE].path)[-1]


# 4. Link fields are http(s) addresses --------------------------------------------------------

BAD_ADDRESSES = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                 "file:///etc/passwd", "//evil.example/x", " http://x.example/a",
                 "http://x.example/a b", "http://x.example/a\nb", "https://"]


@pytest.mark.parametrize("url", BAD_ADDRESSES)
def test_eurostat_quoted_at(shared_raw: Path, tmp_path: Path, url: str) -> None:
    files = _files(EUROSTAT, shared_raw, tmp_path, {EU_FILE: set_cell(2, "quoted_at", url)})
    err = _fails(EUROSTAT, files)
    assert "address" in err.detail
    _named(err, EUROSTAT, EU_FILE, _line(files, EU_FILE, 2), "quoted_at")
    assert err.value == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", " http://x.example/a"])
def test_global_estimates_quoted_at(shared_raw: Path, tmp_path: Path, url: str) -> None:
    files = _files(GE, shared_raw, tmp_path, {GE_FILE: set_cell(1, "quoted_at", url)})
    err = _fails(GE, files)
    _named(err, GE, GE_FILE, _line(files, GE_FILE, 1), "quoted_at")
    assert err.value == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", " https://www.state.gov/x", "data:,x"])
def test_hk_source_url(shared_raw: Path, tmp_path: Path, url: str) -> None:
    files = _files(HK, shared_raw, tmp_path, {HK_FILE: set_cell(4, "source_url", url)})
    err = _fails(HK, files)
    _named(err, HK, HK_FILE, _line(files, HK_FILE, 4), "source_url")
    assert err.value == url


def test_referral_funnels_source_url(shared_raw: Path, tmp_path: Path) -> None:
    src = referral_funnels
    records = _records((shared_raw / src.ID / src.FILE).read_bytes())
    index = next(i for i, r in enumerate(records[1:]) if r[0] == "Japan")
    url = " " + records[index + 1][records[0].index("source_url")]
    files = _files(src.SOURCE, shared_raw, tmp_path,
                   {src.FILE: set_cell(index, "source_url", url)})
    err = _fails(src.SOURCE, files)
    _named(err, src.SOURCE, src.FILE, _line(files, src.FILE, index), "source_url")


def test_government_response_address(shared_raw: Path, tmp_path: Path) -> None:
    src = government_responses
    files = _files(src.SOURCE, shared_raw, tmp_path,
                   {src.CSV: set_cell(0, "address", "javascript:alert(document.cookie)")})
    err = _fails(src.SOURCE, files)
    _named(err, src.SOURCE, src.CSV, _line(files, src.CSV, 0), "address", "javascript:")


@pytest.mark.parametrize(("module", "url"), [
    (tip_tier_pages, "javascript:alert(1)"), (tip_tier_pages, "file:///etc/passwd"),
    (tip_tier_lists, "data:text/html,x"), (tip_global_law_enforcement_2016, "//evil.example"),
])
def test_page_address_read_from_provenance(shared_raw: Path, tmp_path: Path, module,
                                           url: str) -> None:
    """A PROVENANCE.md table row's <address> becomes each row's cited_url: checked there."""
    text = (shared_raw / module.ID / module.PROV).read_text(encoding="utf-8")
    match = getattr(module, "TABLE_ROW", tip_tier_pages.TABLE_ROW).search(text)
    start, end = match.span(2)
    line = text.count("\n", 0, match.start()) + 1
    edited = (text[:start] + url + text[end:]).encode("utf-8")
    files = _files(module.SOURCE, shared_raw, tmp_path, {module.PROV: lambda _: edited})
    err = _fails(module.SOURCE, files)
    _named(err, module.SOURCE, module.PROV, line, "address")
    assert err.value == url


# 5. NUL bytes and control characters ---------------------------------------------------------

def _insert(after: bytes, char: bytes) -> Edit:
    return lambda data: data.replace(after, after + char, 1)


@pytest.mark.parametrize("char", [b"\x00", b"\x1b", b"\x07", b"\x7f"])
def test_control_character_in_a_quote(shared_raw: Path, tmp_path: Path, char: bytes) -> None:
    files = _files(EUROSTAT, shared_raw, tmp_path,
                   {EU_FILE: _insert(b"Nearly two-thirds", char)})
    err = _fails(EUROSTAT, files)
    assert ("NUL byte" if char == b"\x00" else "control character") in err.detail
    _named(err, EUROSTAT, EU_FILE, _line(files, EU_FILE, 3), "quote", "Nearly two-thirds")


def test_tab_and_line_break_inside_a_quote_are_allowed(shared_raw: Path, tmp_path: Path) -> None:
    quote = "Nearly two-thirds\t(63%)\nof registered victims were women or girls."
    files = _files(EUROSTAT, shared_raw, tmp_path, {EU_FILE: set_cell(3, "quote", quote)})
    parsed = build.run_parser(EUROSTAT, files)
    assert parsed.observations["quote"].tolist().count(quote) == 1
    # Line numbers follow the file, not the record count, after a quoted line break.
    assert parsed.observations["row"].iloc[4] == parsed.observations["row"].iloc[3] + 2


def test_nul_in_a_tier_name(shared_raw: Path, tmp_path: Path) -> None:
    files = _files(PAGES, shared_raw, tmp_path, {PAGES_CSV: _insert(b",Argentina", b"\x00")})
    err = _fails(PAGES, files)
    assert "NUL byte" in err.detail
    line = next(i for i, t in enumerate(files[PAGES_CSV].path.read_bytes().split(b"\n"), 1)
                if b"\x00" in t)
    _named(err, PAGES, PAGES_CSV, line, "country_name_as_published", "Argentina")


def test_nul_in_an_excerpt(shared_raw: Path, tmp_path: Path) -> None:
    src = government_responses
    name = src.EXCERPTS[0]
    files = _files(src.SOURCE, shared_raw, tmp_path,
                   {name: lambda d: d.replace(b"\n", b"\n\x00", 2)})
    err = _fails(src.SOURCE, files)
    _named(err, src.SOURCE, name, 2, None)
    assert "NUL byte" in err.detail


def test_control_character_in_parser_output_from_a_spreadsheet() -> None:
    """xlsx and sql sources never pass through ``text_files``; their strings are checked too."""
    import pandas as pd

    frame = pd.DataFrame([{"iso3": "CHL", "report_year": 2020, "tier": "Tier 1",
                           "name_as_published": "Chile\x1b[31m", "file": "x.csv",
                           "list_complete": False, "note": None, "cited_url": None}])
    with pytest.raises(SourceError) as info:
        validate.tier_observations(PAGES, frame)
    assert info.value.column == "name_as_published" and "control character" in info.value.detail


# 6. Unparsable numbers -----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["12,3x4", "about 40", "—", ""])
@pytest.mark.parametrize(("source", "file", "index"), [
    (EUROSTAT, EU_FILE, 0), (GE, GE_FILE, 0), (HK, HK_FILE, 0),
    (referral_funnels.SOURCE, referral_funnels.FILE, 0),
])
def test_unparsable_number(shared_raw: Path, tmp_path: Path, source: Source, file: str,
                           index: int, text: str) -> None:
    files = _files(source, shared_raw, tmp_path, {file: set_cell(index, "value", text)})
    err = _fails(source, files)
    assert "could not parse" not in err.detail
    _named(err, source, file, _line(files, file, index), "value")
    assert err.value.strip() == text


# 7. Country names resolve exactly ------------------------------------------------------------

HOSTILE_NAMES = ["Not Chile at all", "<img src=x onerror=alert(1)>Chile", "Chile\u200b",
                 "Chile\u2060", "Ch\u200dile"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_name_in_a_tier_csv(shared_raw: Path, tmp_path: Path, name: str) -> None:
    files = _files(PAGES, shared_raw, tmp_path,
                   {PAGES_CSV: set_cell(3, "country_name_as_published", name)})
    err = _fails(PAGES, files)
    assert "not resolved" in err.detail
    _named(err, PAGES, PAGES_CSV, _line(files, PAGES_CSV, 3), "country_name_as_published")
    assert err.value == name


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_name_in_an_observation_csv(shared_raw: Path, tmp_path: Path, name: str) -> None:
    index = _eurostat_row(shared_raw, "registered_victims", "persons", "LV")
    files = _files(EUROSTAT, shared_raw, tmp_path, {EU_FILE: set_cell(index, "geo", name)})
    err = _fails(EUROSTAT, files)
    assert "not resolved" in err.detail
    _named(err, EUROSTAT, EU_FILE, _line(files, EU_FILE, index), "geo")
    assert err.value == name


def test_trailing_no_break_space_is_padding(shared_raw: Path, tmp_path: Path) -> None:
    """A no-break space is whitespace, trimmed like a space: still Chile, spelled as published.
    Invisible format characters (zero-width space, joiner) are not: those names fail above."""
    files = _files(PAGES, shared_raw, tmp_path,
                   {PAGES_CSV: set_cell(3, "country_name_as_published", "Chile\u00a0")})
    out = build.run_parser(PAGES, files).tier_observations
    assert (out[out["name_as_published"] == "Chile\u00a0"]["iso3"] == "CHL").all()


def test_kelley_2015_two_tiers_for_one_country(shared_raw: Path, tmp_path: Path) -> None:
    from etl.sources import kelley_tiers as src

    def edit(data: bytes) -> bytes:
        records = _records(data)
        i = next(i for i, r in enumerate(records) if "Chile" in r)
        copy = list(records[i])
        copy[records[0].index("countryname")] = "Republic of Chile"
        copy[records[0].index("tier")] = "3"
        return _write([*records, copy])
    files = _files(src.SOURCE, shared_raw, tmp_path, {src.CSV_2015: edit})
    err = _fails(src.SOURCE, files)
    assert "two tiers for 2015" in err.detail
    assert "Chile: Tier 1" in err.value and "Republic of Chile: Tier 3" in err.value
    _named(err, src.SOURCE, src.CSV_2015, _starts(files[src.CSV_2015].path)[-1], "tier")
