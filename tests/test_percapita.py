"""Per-100,000 arithmetic on known values, and a cross-check against a real sourced rate."""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trafficking import percapita as pc


def test_per_100k_known_values() -> None:
    # Hong Kong in the GSI 2023 workbook: 21,000 people of a population of 7,497,000.
    assert pc.per_100k(21_000, 7_497_000) == pytest.approx(280.112045, rel=1e-9)
    assert pc.per_100k(5, 100_000) == 5.0
    assert pc.per_100k(1, 1_000_000) == pytest.approx(0.1)
    assert pc.per_100k(0, 1_000) == 0.0  # a real zero stays zero


@pytest.mark.parametrize("value,population", [
    (None, 1_000), (10, None), (10, 0), (10, -5), (float("nan"), 1_000), (10, float("nan")),
])
def test_per_100k_missing_is_none(value, population) -> None:
    assert pc.per_100k(value, population) is None


@pytest.mark.parametrize("kind,conversion", [
    ("count", "count"), ("rate", "rate"), ("share", None), ("score", None), (None, None),
])
def test_conversion_follows_the_indicator_kind(kind, conversion) -> None:
    assert pc.conversion(kind) == conversion


def test_every_indicator_states_its_per_capita_form(built_db) -> None:
    """The database says what each unit is; the page no longer reads it out of the wording.
    The kinds reproduce what parsing the units gave (rate bases 1,000 and 1,000,000; shares
    and scores without a per-capita form)."""
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        facts = {code: (kind, base) for code, kind, base in con.execute(
            "SELECT code, kind, rate_base FROM indicators").fetchall()}
    finally:
        con.close()
    assert facts["gsi2023_prevalence"] == ("rate", 1_000.0)
    assert facts["eurostat_registered_victims_per_million"] == ("rate", 1_000_000.0)
    assert facts["gems2022_forced_labour_prevalence"] == ("rate", 1_000.0)
    assert facts["gsi2023_number"] == ("count", None)
    assert facts["tip_global_new_legislation"] == ("count", None)  # laws: a count
    assert facts["hk_initial_screenings"] == ("count", None)
    assert facts["eurostat_registered_victims_share"] == ("share", None)
    assert facts["uk_nrm_cg_positive_share"] == ("share", None)
    assert facts["gsi2023_government_response"] == ("score", None)  # percent of the maximum
    assert facts["gsi2023_vulnerability"] == ("score", None)
    rates = {c for c, (k, _) in facts.items() if k == "rate"}
    assert all(facts[c][1] in (1_000.0, 1_000_000.0) for c in rates)
    assert all(b is None for k, b in facts.values() if k != "rate")


def test_rescale_rate() -> None:
    assert pc.rescale_rate(2.76, 1_000) == pytest.approx(276.0)
    assert pc.rescale_rate(15.0, 1_000_000) == pytest.approx(1.5)
    assert pc.rescale_rate(None, 1_000) is None


def test_attach_population_same_year_and_nearest() -> None:
    obs = pd.DataFrame({"area_code": ["AAA", "AAA", "AAA", "BBB", "CCC"],
                        "year": [2021, 2019, 2010, 2021, 2021]})
    pop = pd.DataFrame({"area_code": ["AAA", "AAA", "BBB", "CCC"],
                        "year": [2021, 2018, 2021, 2021], "value": [1000.0, 900.0, 0.0, None]})
    strict = pc.attach_population(obs, pop, max_year_gap=0)
    assert strict["population"].iloc[0] == 1000.0
    assert math.isnan(strict["population"].iloc[1])  # 2019: no same-year population
    assert math.isnan(strict["population"].iloc[3])  # a population of 0 is not a population
    assert math.isnan(strict["population"].iloc[4])  # nor is a missing one
    near = pc.attach_population(obs, pop, max_year_gap=2)
    # 2019 is one year from 2018 and two from 2021: the nearest wins.
    assert near["population"].iloc[1] == 900.0 and near["population_year"].iloc[1] == 2018
    assert math.isnan(near["population"].iloc[2])  # 2010 is out of reach


def test_attach_population_tie_takes_the_earlier_year() -> None:
    obs = pd.DataFrame({"area_code": ["AAA", "AAA", "AAA"], "year": [2010, 2012, 2010]},
                       index=[7, 3, 5])
    pop = pd.DataFrame({"area_code": ["AAA", "AAA", "AAA"], "year": [2012, 2008, 2012],
                        "value": [1200.0, 800.0, 1250.0]})
    near = pc.attach_population(obs, pop, max_year_gap=2)
    # 2010 is two years from 2008 and from 2012: the earlier year wins.
    assert near["population_year"].tolist() == [2008, 2012, 2008]
    # 2012 is stated twice: the later row wins; rows keep their order and index.
    assert near["population"].tolist() == [800.0, 1250.0, 800.0]
    assert near.index.tolist() == [7, 3, 5]
    # One year short of both: nothing, never the nearer-by-luck one.
    short = pc.attach_population(obs, pop, max_year_gap=1)
    assert short["population"].isna().tolist() == [True, False, True]


def _nearest_by_rule(obs: pd.DataFrame, pop: pd.DataFrame, gap: int) -> list[tuple]:
    """The rule, spelled out one row at a time: same place, years within ``gap``, nearest
    first, earlier first on a tie, a later statement of one year over an earlier one."""
    stated: dict[tuple[str, int], float] = {}
    for area, year, value in pop.itertuples(index=False):
        if value is not None and not math.isnan(value) and value > 0:
            stated[(area, year)] = value
    out: list[tuple] = []
    for area, year in obs.itertuples(index=False):
        years = sorted((y for a, y in stated if a == area and abs(y - year) <= gap),
                       key=lambda y, yr=year: (abs(y - yr), y))
        out.append((stated[(area, years[0])], years[0]) if years else (None, None))
    return out


@settings(max_examples=200, deadline=None)
@given(pop_rows=st.lists(st.tuples(st.sampled_from("AB"), st.integers(2000, 2010),
                                   st.sampled_from([None, 0.0, 1.0, 2.0, 3.0, 4.0])),
                         max_size=12),
       obs_rows=st.lists(st.tuples(st.sampled_from("ABC"), st.integers(1998, 2012)),
                         min_size=1, max_size=12),
       gap=st.integers(0, 4))
def test_attach_population_follows_the_rule(pop_rows, obs_rows, gap) -> None:
    pop = pd.DataFrame(pop_rows, columns=["area_code", "year", "value"], dtype=object)
    pop["value"] = pop["value"].astype(float)
    obs = pd.DataFrame(obs_rows, columns=["area_code", "year"])
    got = pc.attach_population(obs, pop, max_year_gap=gap)
    pairs = [(None if math.isnan(v) else v, None if pd.isna(y) else int(y))
             for v, y in zip(got["population"], got["population_year"], strict=True)]
    assert pairs == _nearest_by_rule(obs, pop, gap)


def test_to_per_100k_counts_rates_and_shares() -> None:
    obs = pd.DataFrame({
        "indicator": ["n", "n", "rate", "share", "n"],
        "area_code": ["AAA", "AAA", "AAA", "AAA", "BBB"],
        "year": [2021, 2020, 2021, 2021, 2021],
        "value": [50.0, 40.0, 3.0, 12.5, None],
    })
    indicators = pd.DataFrame({"code": ["n", "rate", "share"],
                               "kind": ["count", "rate", "share"],
                               "rate_base": [None, 1_000.0, None]})
    pop = pd.DataFrame({"area_code": ["AAA", "BBB"], "year": [2021, 2021],
                        "value": [200_000.0, 1_000.0]})
    out = pc.to_per_100k(obs, indicators, pop)
    assert out["value"].iloc[0] == pytest.approx(25.0)       # 50 / 200,000 × 100,000
    assert math.isnan(out["value"].iloc[1])                 # no 2020 population: a gap
    assert out["value_original"].iloc[1] == 40.0            # ... but the number is kept
    assert out["value"].iloc[2] == pytest.approx(300.0)      # 3 per 1,000 = 300 per 100,000
    assert math.isnan(out["population"].iloc[2])            # a rate needs no population
    assert math.isnan(out["value"].iloc[3])                 # a share has no per-capita form
    assert out["per_capita"].iloc[3] is None
    assert math.isnan(out["value"].iloc[4])                 # suppressed stays without a number
    assert not (out["value"].fillna(-1) == 0).any()


def test_count_per_100k_matches_the_published_rate(built_db) -> None:
    """GSI 2023: number ÷ population × 100,000 agrees with the published prevalence × 100
    wherever rounding the number to thousands cannot matter (numbers of a million or more)."""
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        frame = con.execute(
            """
            SELECT i.code, o.area_code, o.year, o.value FROM observations o
            JOIN indicators i ON i.code = o.indicator
            WHERE i.dataset = 'walkfree-gsi-2023' AND o.breakdown = '' AND o.value IS NOT NULL
            """).df()
        indicators = con.execute("SELECT code, kind, rate_base FROM indicators").df()
    finally:
        con.close()
    if frame.empty:
        pytest.skip("the GSI 2023 source is not in this database")
    wide = frame.pivot_table(index="area_code", columns="code", values="value")
    number, prevalence = wide["gsi2023_number"], wide["gsi2023_prevalence"]
    big = wide[number >= 1_000_000].index
    assert len(big) >= 10
    pop = frame[frame["code"] == "gsi2023_population"].rename(columns={"code": "indicator"})
    counts = pd.DataFrame({"indicator": "gsi2023_number", "area_code": list(big),
                           "year": 2021, "value": number[big].to_numpy()})
    rates = counts.assign(indicator="gsi2023_prevalence", value=prevalence[big].to_numpy())
    out = pc.to_per_100k(pd.concat([counts, rates], ignore_index=True), indicators, pop)
    from_count = out[out["indicator"] == "gsi2023_number"].set_index("area_code")["value"]
    from_rate = out[out["indicator"] == "gsi2023_prevalence"].set_index("area_code")["value"]
    rel = ((from_count - from_rate).abs() / from_rate)
    assert rel.max() < 1e-3, rel.sort_values().tail()
    # India, the largest number in the workbook, as a spot check (11,050,000 people).
    if "IND" in big:
        assert from_count["IND"] == pytest.approx(
            number["IND"] / pop.set_index("area_code").at["IND", "value"] * 1e5)
