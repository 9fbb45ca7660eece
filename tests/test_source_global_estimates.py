"""The three quoted global-estimates sources on their real snapshots, and on broken input."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.build import run_parser
from etl.errors import SourceError
from etl.fetch import Fetcher
from etl.source import FetchedFile
from etl.sources import gems_ilo_estimates, global_estimates_figures, global_estimates_figures_more
from tests.conftest import local_file
from trafficking.queries import estimates as q

MORE = global_estimates_figures_more


@pytest.fixture(scope="module")
def parsed(shared_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    fetcher = Fetcher(mirror=str(shared_raw), cache_dir=tmp_path_factory.mktemp("cache"))
    out = {}
    for module in (global_estimates_figures, gems_ilo_estimates, MORE):
        out[module.ID] = run_parser(module.SOURCE, fetcher.fetch_source(module.SOURCE))
    return out


def _csv_rows(shared_raw: Path, source: str) -> list[dict]:
    with (shared_raw / source / "figures.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _value(obs: pd.DataFrame, indicator: str, year: int, area: str = "WLD",
           breakdown: str = "") -> float:
    hit = obs[(obs["indicator"] == indicator) & (obs["year"] == year)
              & (obs["area_code"] == area) & (obs["breakdown"] == breakdown)]
    assert len(hit) == 1, f"{indicator} {year} {area} {breakdown!r}: {len(hit)} rows"
    return float(hit["value"].iloc[0])


def test_every_row_is_loaded(parsed: dict, shared_raw: Path) -> None:
    for source in (global_estimates_figures.ID, gems_ilo_estimates.ID, MORE.ID):
        rows = _csv_rows(shared_raw, source)
        obs = parsed[source].observations
        assert len(obs) == len(rows) == parsed[source].rows_per_file["figures.csv"]
        # Each CSV value is the loaded value, in order (nothing computed or rounded).
        assert obs["value"].tolist() == [float(r["value"]) for r in rows]
        assert obs["quote"].tolist() == [r["quote"].strip() for r in rows]
    assert len(parsed[global_estimates_figures.ID].observations) == 31
    assert len(parsed[gems_ilo_estimates.ID].observations) == 75
    assert len(parsed[MORE.ID].observations) == 30  # PROVENANCE: 30 rows


def test_more_counts_per_page(parsed: dict) -> None:
    # Each stored excerpt is a declared file; its row count is the figures quoted from it.
    assert parsed[MORE.ID].rows_per_file == {
        "figures.csv": 30,
        "2022ed_walkfree_regional-africa.txt": 3,
        "2022ed_walkfree_regional-europe-and-central-asia.txt": 1,
        "2022ed_walkfree_regional-asia-and-the-pacific.txt": 3,
        "2022ed_ilo-org_forced-labour-topic-page.txt": 11,
        "2017ed_gsi2018_regional-asia-and-the-pacific.txt": 6,
        "2017ed_gsi2018_regional-europe-and-central-asia.txt": 3,
        "2017ed_gsi2018_regional-americas.txt": 3,
    }
    obs = parsed[MORE.ID].observations
    assert obs["cited_url"].str.match(r"https://(walkfree\.org|www\.ilo\.org|www\.globalslaveryindex"
                                      r"\.org)/").all()
    assert obs["note"].str.contains("publisher's own page").all()
    assert obs.groupby("year")["edition"].unique().map(list).to_dict() == {
        2016: ["Global Estimates of Modern Slavery, 2017 edition"],
        2021: ["Global Estimates of Modern Slavery, 2022 edition"]}


def _row(obs: pd.DataFrame, indicator: str, area: str, dim: str = "region",
         breakdown: str | None = None) -> pd.DataFrame:
    hit = obs[(obs["indicator"] == indicator) & (obs["area_code"] == area)
              & (obs["breakdown_dim"] == dim)]
    return hit if breakdown is None else hit[hit["breakdown"] == breakdown]


def test_more_regional_counts_and_qualifiers(parsed: dict) -> None:
    obs = parsed[MORE.ID].observations
    named = {
        # (indicator, region): (value, qualifier as the page words it)
        ("gems2022_modern_slavery", "ILO-AFR"): (7_000_000, "approximately"),  # 'an estimated'
        ("gems2022_modern_slavery", "ILO-ECA"): (6_400_000, "approximately"),
        ("gems2022_forced_labour", "ILO-AFR"): (3_800_000, "more than"),
        ("gems2022_forced_marriage", "ILO-AFR"): (3_100_000, "more than"),
        ("gems2017_modern_slavery", "ILO-ASP"): (24_900_000, "approximately"),
        ("gems2017_modern_slavery", "ILO-ECA"): (3_600_000, "approximately"),
        ("gems2017_modern_slavery", "ILO-AMR"): (1_900_000, "approximately"),
        ("gems2022_forced_labour_prevalence", "ILO-ARB"): (5.3, None),
    }
    for (indicator, area), (value, qualifier) in named.items():
        hit = _row(obs, indicator, area)
        assert hit["value"].tolist() == [value], (indicator, area)
        assert hit["qualifier"].tolist() == [qualifier], (indicator, area)
        assert (hit["area_kind"] == "region").all()
    # Asia and the Pacific forced labour 2021 from two pages: Walk Free rounds, the ILO does not.
    apac = _row(obs, "gems2022_forced_labour", "ILO-ASP")
    assert sorted(zip(apac["value"], apac["qualifier"].fillna(""), strict=True)) == [
        (15_000_000, "rounded"), (15_100_000, "")]
    assert apac["cited_url"].nunique() == 2


def test_more_region_details_get_their_own_dimension(parsed: dict) -> None:
    obs = parsed[MORE.ID].observations
    # 'Asia and the Pacific (females)' is a group within the region, not a region.
    sex = _row(obs, "gems2022_forced_marriage_prevalence", "ILO-ASP", "sex")
    assert dict(zip(sex["breakdown"], sex["value"], strict=True)) == {"females": 4.5, "males": 2.1}
    assert (sex["qualifier"] == "approximately").all()
    assert sex["note"].str.contains("Compiled as region breakdown 'Asia and the Pacific "
                                    "\\(females\\)'").any()
    shares = obs[obs["breakdown_dim"] == "share_of_world"]
    assert len(shares) == 6 and (shares["indicator"].str.endswith("_share")).all()
    asp = dict(zip(shares.loc[shares["area_code"] == "ILO-ASP", "breakdown"],
                   shares.loc[shares["area_code"] == "ILO-ASP", "value"], strict=True))
    assert asp == {"share of the world's forced sexual exploitation": 73,
                   "share of the world's state-imposed forced labour": 68,
                   "share of the world's forced labour exploitation": 64,
                   "share of the world's forced marriage": 42}
    americas = _row(obs, "gems2017_forced_labour_share", "ILO-AMR", "share_of_world")
    # 'four percent' in words: a plain figure, the wording kept in the note.
    assert americas["value"].tolist() == [4] and americas["qualifier"].isna().all()
    assert "stated as 'four percent'" in americas["note"].iloc[0]
    bondage = obs[obs["indicator"] == "gems2017_forced_labour_private_share"]
    assert dict(zip(bondage["area_code"], bondage["value"], strict=True)) == {
        "ILO-ASP": 55, "ILO-ECA": 36, "ILO-AMR": 37.9}
    assert set(bondage["breakdown"]) == {"in debt bondage (share)"}  # as the world row words it
    # Only whole regions keep breakdown_dim 'region', named exactly as the scheme names them.
    whole = obs[obs["breakdown_dim"] == "region"]
    assert set(whole["breakdown"]) <= set(global_estimates_figures.REGIONS["gems"])


def test_published_headlines(parsed: dict) -> None:
    ge = parsed[global_estimates_figures.ID].observations
    gems = parsed[gems_ilo_estimates.ID].observations
    # 2021 (2022 edition): 49.6 million, of whom 27.6 million in forced labour, 22 million in
    # forced marriage.
    assert _value(ge, "gems2022_modern_slavery", 2021) == 49_600_000
    assert _value(ge, "gems2022_forced_labour", 2021) == 27_600_000
    assert _value(ge, "gems2022_forced_marriage", 2021) == 22_000_000
    # 2016 (2017 edition): 40.3 million in both files; 24.9 + 15.4 = 40.3.
    assert _value(ge, "gems2017_modern_slavery", 2016) == 40_300_000
    assert _value(gems, "gems2017_modern_slavery", 2016) == 40_300_000
    assert (_value(gems, "gems2017_forced_labour", 2016)
            + _value(gems, "gems2017_forced_marriage", 2016)) == 40_300_000
    # The reference year is the observation year; the edition lives in the code.
    assert set(ge["year"]) == {2016, 2021}
    assert _value(ge, "gems2022_forced_marriage_prevalence", 2016) == 2.1  # restated in 2022


def test_regional_split_2021(parsed: dict) -> None:
    ge = parsed[global_estimates_figures.ID].observations
    regional = ge[(ge["indicator"] == "gems2022_forced_labour") & (ge["area_kind"] == "region")]
    split = dict(zip(regional["breakdown"], regional["value"], strict=True))
    assert split == {"Asia and the Pacific": 15_100_000, "Europe and Central Asia": 4_100_000,
                     "Africa": 3_800_000, "Americas": 3_600_000, "Arab States": 900_000}
    assert set(regional["area_code"]) == {"ILO-ASP", "ILO-ECA", "ILO-AFR", "ILO-AMR", "ILO-ARB"}
    # Rounded regional figures add up to the rounded total within rounding.
    assert abs(sum(split.values()) - 27_600_000) <= 250_000
    fm = ge[(ge["indicator"] == "gems2022_forced_marriage") & (ge["area_kind"] == "region")]
    assert dict(zip(fm["area_code"], fm["value"], strict=True)) == {
        "ILO-ASP": 14_200_000, "ILO-AFR": 3_200_000, "ILO-ECA": 2_300_000}
    # The 2012 regions are a different scheme and never share codes with the 2017+ regions.
    gems = parsed[gems_ilo_estimates.ID].observations
    old = gems[(gems["indicator"] == "ilo2012_forced_labour") & (gems["area_kind"] == "region")]
    assert len(old) == 6 and old["area_code"].str.startswith("ILO12-").all()
    assert old["value"].sum() == 20_900_000


def test_qualifiers_and_quotes_are_kept(parsed: dict) -> None:
    ge = parsed[global_estimates_figures.ID].observations
    gems = parsed[gems_ilo_estimates.ID].observations
    child = ge[(ge["indicator"] == "gems2022_forced_labour") & (ge["breakdown"] == "children")]
    assert child["qualifier"].tolist() == ["more than"]
    assert ge.loc[(ge["indicator"] == "gems2017_forced_labour")
                  & (ge["breakdown_dim"] == "total"), "qualifier"].tolist() == ["approximately"]
    assert gems.loc[gems["indicator"] == "ilo2005_forced_labour", "qualifier"].iloc[0] == "at least"
    both = pd.concat([ge, gems])
    # Where the page states the figure in digits, the loaded value appears in its quote.
    for _, r in both[both["qualifier"] != "approximately"].iterrows():
        v = r["value"]
        forms = {f"{v:g}", f"{v:,.0f}", f"{v / 1e6:g} million", f"{v / 1e6:.1f} million"}
        assert any(s in r["quote"] for s in forms), (r["indicator"], v, r["quote"])
    # Page addresses are kept; the IOM press release has none, and says so in the note.
    iom = ge[ge["cited_url"].isna()]
    assert len(iom) == 3 and iom["note"].str.contains("Quoted in: IOM press release").all()
    assert ge["cited_url"].dropna().str.match(r"https?://").all()


def test_both_roundings_kept_and_precise_one_preferred(parsed: dict) -> None:
    both = pd.concat([
        parsed[global_estimates_figures.ID].observations.assign(
            source_id="global-estimates-figures/figures.csv"),
        parsed[gems_ilo_estimates.ID].observations.assign(
            source_id="gems-ilo-estimates-quoted/figures.csv"),
    ], ignore_index=True)
    apac = both[(both["indicator"] == "gems2022_modern_slavery") & (both["area_code"] == "ILO-ASP")]
    assert sorted(apac["value"]) == [29_000_000, 29_300_000]
    best = q.preferred(q.with_facts(both, parsed[gems_ilo_estimates.ID].indicators))
    row = best[(best["indicator"] == "gems2022_modern_slavery") & (best["area_code"] == "ILO-ASP")]
    assert row["value"].tolist() == [29_300_000]
    assert "29,000,000 — global-estimates-figures/figures.csv" in row["also_quoted"].iloc[0]
    fl16 = best[(best["indicator"] == "gems2017_forced_labour") & (best["breakdown_dim"] == "total")]
    assert fl16["value"].tolist() == [24_900_000]  # exact beats 'approximately 25 million'


def test_catalogue_registers_each_indicator_once(parsed: dict) -> None:
    cat = parsed[gems_ilo_estimates.ID].indicators
    assert parsed[global_estimates_figures.ID].indicators is None
    assert cat["code"].is_unique
    used = set(parsed[global_estimates_figures.ID].observations["indicator"]) | set(
        parsed[gems_ilo_estimates.ID].observations["indicator"])
    assert used <= set(cat["code"])
    assert cat.loc[cat["code"].str.endswith("_share"), "unit"].eq("percent").all()
    assert cat.loc[cat["code"].str.endswith("_prevalence"), "unit"].eq("per 1,000 population").all()
    assert cat["what_counts"].str.contains("not a time series").all()
    assert not cat["code"].str.match(r"ilo\d{4}_(modern_slavery|forced_marriage)").any()


def _fixture(tmp: Path, body: str) -> dict[str, FetchedFile]:
    header = ",".join(global_estimates_figures.COLUMNS)
    path = tmp / "figures.csv"
    path.write_text(header + "\n" + body + "\n", encoding="utf-8")
    return {"figures.csv": FetchedFile(
        source=global_estimates_figures.ID, name="figures.csv", path=path, url=None,
        fetched_from=str(path), via="test", sha256="x", bytes=path.stat().st_size,
        retrieved_at="2026-01-01")}


GOOD = ("2022,2021,forced_labour,region,Africa,3800000,persons,T,P,2022-09-12,"
        "https://example.org/a,Africa (3.8 million)")


def test_fixture_parses(tmp_path: Path) -> None:
    obs = global_estimates_figures.parse(_fixture(tmp_path, GOOD)).observations
    assert obs[["indicator", "area_code", "area_kind", "year", "value"]].values.tolist() == [
        ["gems2022_forced_labour", "ILO-AFR", "region", 2021, 3_800_000.0]]


@pytest.mark.parametrize(("row", "column", "value"), [
    (GOOD.replace("persons", "people"), "unit", "people"),
    (GOOD.replace("persons", "persons (give or take)"), "unit", "persons (give or take)"),
    (GOOD.replace("Africa,", "Oceania,", 1), "breakdown", "Oceania"),
    (GOOD.replace("2022,2021", "2019,2018"), "edition", "2019"),
    (GOOD.replace("3800000", "3.8m"), "value", "3.8m"),
    (GOOD.replace("2022,2021", "2022,21"), "reference_year", "21"),
    (GOOD.replace(",Africa (3.8 million)", ","), "quote", ""),
])
def test_bad_rows_name_column_and_value(tmp_path: Path, row: str, column: str, value: str) -> None:
    with pytest.raises(SourceError) as err:
        global_estimates_figures.parse(_fixture(tmp_path, row))
    assert err.value.column == column and err.value.value == value and err.value.row == 2
    assert "global-estimates-figures" in str(err.value) and "figures.csv" in str(err.value)


def _more_fixture(tmp: Path, shared_raw: Path, body: str) -> dict[str, FetchedFile]:
    files = {}
    for name in MORE.EXCERPTS.values():
        files[name] = local_file(MORE.ID, name, shared_raw / MORE.ID / name)
    path = tmp / "figures.csv"
    path.write_text(",".join(global_estimates_figures.COLUMNS) + "\n" + body + "\n",
                    encoding="utf-8")
    files["figures.csv"] = local_file(MORE.ID, "figures.csv", path)
    return files


AFRICA = "https://walkfree.org/global-slavery-index/findings/regional-findings/africa"
MORE_GOOD = (f"2022,2021,forced_labour,region,Africa,3800000,persons (lower bound: 'more than'),"
             f"T,P,2022-09-12,{AFRICA},There are more than 3.8 million people in forced labour "
             "across Africa.")


def test_more_fixture_parses(tmp_path: Path, shared_raw: Path) -> None:
    obs = MORE.parse(_more_fixture(tmp_path, shared_raw, MORE_GOOD)).observations
    assert obs[["indicator", "area_code", "value", "qualifier"]].values.tolist() == [
        ["gems2022_forced_labour", "ILO-AFR", 3_800_000.0, "more than"]]


@pytest.mark.parametrize(("row", "column", "value"), [
    # A quote that is not on the stored page: a typo in the figure.
    (MORE_GOOD.replace("more than 3.8 million", "more than 3.9 million"), "quote",
     "There are more than 3.9 million people in forced labour across Africa."),
    # A page with no stored excerpt.
    (MORE_GOOD.replace(AFRICA, "https://example.org/africa"), "quoted_at",
     "https://example.org/africa"),
    # A detail after the region name that the reader does not know.
    (MORE_GOOD.replace(",Africa,", ",Africa (urban),"), "breakdown", "Africa (urban)"),
    (MORE_GOOD.replace("(lower bound: 'more than')", "(somewhere near)"), "unit",
     "persons (somewhere near)"),
])
def test_more_bad_rows_name_column_and_value(tmp_path: Path, shared_raw: Path, row: str,
                                             column: str, value: str) -> None:
    with pytest.raises(SourceError) as err:
        run_parser(MORE.SOURCE, _more_fixture(tmp_path, shared_raw, row))
    assert err.value.column == column and err.value.value == value and err.value.row == 2
    assert "global-estimates-figures-more" in str(err.value) and "figures.csv" in str(err.value)


def test_more_same_page_twice_is_an_error(tmp_path: Path, shared_raw: Path) -> None:
    with pytest.raises(SourceError, match="appears twice") as err:
        MORE.parse(_more_fixture(tmp_path, shared_raw, MORE_GOOD + "\n" + MORE_GOOD))
    assert err.value.row == 2


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text("edition,value\n2022,1\n", encoding="utf-8")
    files = {"figures.csv": FetchedFile(source="x", name="figures.csv", path=path, url=None,
                                        fetched_from=str(path), via="test", sha256="x", bytes=1,
                                        retrieved_at="2026-01-01")}
    with pytest.raises(SourceError, match="expected column missing") as err:
        gems_ilo_estimates.parse(files)
    assert "quote" in err.value.column and "note" in err.value.column


def test_loaded_through_the_http_mirror(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        rows = dict(con.execute(
            "SELECT s.dataset, count(*) FROM observations o JOIN sources s USING (source_id) "
            "WHERE s.dataset IN ('global-estimates-figures', 'gems-ilo-estimates-quoted') "
            "GROUP BY 1").fetchall())
        assert rows == {"global-estimates-figures": 31, "gems-ilo-estimates-quoted": 75}
        assert con.execute(
            "SELECT count(*) FROM observations o JOIN sources s USING (source_id) "
            "WHERE s.dataset = ?", [MORE.ID]).fetchone()[0] == 30
        via = con.execute("SELECT DISTINCT via FROM sources WHERE dataset = ?",
                          ["global-estimates-figures"]).fetchall()
        assert via == [("mirror-http",)]
        total = con.execute(
            "SELECT value, quote, cited_url FROM observations WHERE indicator = ? AND year = ? "
            "AND area_code = 'WLD' AND breakdown_dim = 'total' AND preferred",
            ["gems2022_modern_slavery", 2021]).fetchall()
        assert total == [(49_600_000.0, total[0][1], total[0][2])]
        assert "49.6 million" in total[0][1] and total[0][2].startswith("https://")
    finally:
        con.close()


def _gems_conflicts(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT indicator, area_code, year, value, chosen_value, source_id, chosen_source_id "
            "FROM observation_conflicts WHERE indicator LIKE 'gems%' OR indicator LIKE 'ilo%' "
            "ORDER BY ALL").fetchall()
    finally:
        con.close()


# Four figures are stated twice with different rounding (25 / 24.9 million, 15 / 15.1, more than
# 3.1 / 3.2, 29 / 29.3): each pair can be true together, so none is a conflict; the more precise
# statement is charted.
EXPECTED_CONFLICTS: list[tuple] = []
ROUNDED_PAIRS = [
    ("gems2017_forced_labour", "WLD", 2016, 25_000_000.0, 24_900_000.0),
    ("gems2022_forced_labour", "ILO-ASP", 2021, 15_000_000.0, 15_100_000.0),
    ("gems2022_forced_marriage", "ILO-AFR", 2021, 3_100_000.0, 3_200_000.0),
    ("gems2022_modern_slavery", "ILO-ASP", 2021, 29_000_000.0, 29_300_000.0),
]


def _charted_over_rounding(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = []
        for code, area, year, rounded, precise in ROUNDED_PAIRS:
            rows = dict(con.execute(
                "SELECT value, bool_or(preferred) FROM observations WHERE indicator = ? AND "
                "area_code = ? AND year = ? AND value IN (?, ?) AND breakdown_dim IN "
                "('total', 'region') GROUP BY value", [code, area, year, rounded, precise]).fetchall())
            out.append((code, rows.get(precise), rows.get(rounded)))
        return out
    finally:
        con.close()


def test_one_preferred_statement_per_figure_across_sources(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        counts = con.execute(
            "SELECT count(*) FILTER (WHERE preferred), count(*) FROM observations "
            "WHERE indicator IN (SELECT code FROM indicators WHERE dataset = ?) "
            "GROUP BY indicator, area_code, year, breakdown_dim, breakdown",
            [gems_ilo_estimates.ID]).fetchall()
        assert {c[0] for c in counts} == {1}  # exactly one charted statement per figure
        assert sum(c[1] for c in counts) == 31 + 75 + 30  # and every statement kept
        apac = con.execute(
            "SELECT value, qualifier, source_id, cited_url, preferred, preferred_reason "
            "FROM observations WHERE indicator = 'gems2022_forced_labour' AND area_code = "
            "'ILO-ASP' ORDER BY preferred DESC, value, source_id").fetchall()
        assert [(r[0], r[4]) for r in apac] == [
            (15_100_000.0, True), (15_000_000.0, False), (15_100_000.0, False)]
        assert apac[0][2] == "global-estimates-figures-more/figures.csv"
        assert apac[0][3] == "https://www.ilo.org/global/topics/forced-labour/lang--en/index.htm"
        assert "3 statements" in apac[0][5]
        assert "'rounded'" in apac[1][5] and "publisher's own page" in apac[2][5]
        # Africa forced labour: an exact 3.8 million beats Walk Free's 'more than 3.8 million';
        # the same value, so no conflict.
        afr = con.execute(
            "SELECT value, qualifier, preferred FROM observations WHERE indicator = "
            "'gems2022_forced_labour' AND area_code = 'ILO-AFR' ORDER BY preferred DESC"
        ).fetchall()
        assert afr == [(3_800_000.0, None, True), (3_800_000.0, "more than", False)]
        # 'More than 3.1 million' and 3.2 million agree: the exact figure is charted, no conflict.
        reason = con.execute(
            "SELECT preferred_reason FROM observations WHERE indicator = "
            "'gems2022_forced_marriage' AND area_code = 'ILO-AFR' AND qualifier = 'more than'"
        ).fetchone()[0]
        assert reason.startswith("not charted: an exact figure is charted over one stated as "
                                 "'more than' (3,200,000 from")
    finally:
        con.close()
    assert _gems_conflicts(built_db) == EXPECTED_CONFLICTS
    assert _charted_over_rounding(built_db) == [(p[0], True, False) for p in ROUNDED_PAIRS]


def test_partial_refresh_recomputes_preference(built_db: Path, http_mirror: str,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from etl import build

    db = tmp_path / "copy.duckdb"
    shutil.copy(built_db, db)
    monkeypatch.setenv("TRAFFICKING_RAW_CACHE", str(tmp_path / "raw"))
    build.refresh([MORE.ID], mirror=f"{http_mirror}/raw", db_path=db)
    # Conflicts whose losing row was carried over are not doubled.
    assert _gems_conflicts(db) == EXPECTED_CONFLICTS
    assert _charted_over_rounding(db) == [(p[0], True, False) for p in ROUNDED_PAIRS]
