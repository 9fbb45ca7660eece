"""Per-100,000-population arithmetic, kept apart from pages and charts so it can be tested alone.

Two ways a value becomes "per 100,000":

* a **count** (unit 'persons', 'prosecutions', ...) is divided by a population that a source in
  the database states for the same place (and, by default, the same year), times 100,000;
* a **rate** already per some base ('per 1,000 population', 'per million inhabitants') is
  rescaled: per 1,000 × 100 = per 100,000. No population is needed.

Shares, percentages and scores have no per-capita form and are left out (``None``), never
forced into a number.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

PER = 100_000
PER_LABEL = "per 100,000 population"

# 'per 1,000 population', 'per million inhabitants', 'per 100,000 people' ...
_RATE = re.compile(
    r"^\s*per\s+(?P<n>[\d,\.]+\s*(?:thousand|million)?|thousand|million)\s+"
    r"(?:population|inhabitants|people|persons|residents)\s*$",
    re.IGNORECASE,
)
# Units that are not counts of anything that scales with population.
_NOT_COUNT = re.compile(r"percent|%|score|index|share|ratio|rank|\bper\b|rate", re.IGNORECASE)
_WORDS = {"thousand": 1_000, "million": 1_000_000}


def rate_base(unit: str | None) -> float | None:
    """The population base of a rate unit (1,000 for 'per 1,000 population'), else None."""
    if not unit:
        return None
    match = _RATE.match(unit)
    if not match:
        return None
    text = match.group("n").strip().lower()
    factor = 1.0
    for word, mult in _WORDS.items():
        if text.endswith(word):
            factor = float(mult)
            text = text[: -len(word)].strip()
    if not text:
        return factor
    try:
        return float(text.replace(",", "")) * factor
    except ValueError:
        return None


def is_count_unit(unit: str | None) -> bool:
    """True for units that count people or events ('persons', 'convictions', 'laws' ...)."""
    return bool(unit) and not _NOT_COUNT.search(str(unit))


def conversion(unit: str | None) -> str | None:
    """'count' (divide by population), 'rate' (rescale) or None (no per-capita form)."""
    if rate_base(unit) is not None:
        return "rate"
    if is_count_unit(unit):
        return "count"
    return None


def per_100k(value: float | None, population: float | None) -> float | None:
    """``value`` per 100,000 of ``population``; None when either is missing or population ≤ 0."""
    if value is None or population is None:
        return None
    value, population = float(value), float(population)
    if math.isnan(value) or math.isnan(population) or population <= 0:
        return None
    return value / population * PER


def rescale_rate(value: float | None, base: float | None) -> float | None:
    """A rate per ``base`` people expressed per 100,000 (per 1,000 → × 100)."""
    if value is None or base is None or base <= 0:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    return value * (PER / base)


def attach_population(obs: pd.DataFrame, population: pd.DataFrame,
                      max_year_gap: int = 0) -> pd.DataFrame:
    """Add ``population`` and ``population_year`` to each observation row.

    ``obs`` needs area_code and year; ``population`` needs area_code, year, value. The
    population of the same year is used; with ``max_year_gap`` > 0 the nearest year within
    that many years is used instead when the same year is missing (the earlier year wins a
    tie). Rows with no population within reach get NaN, never a guess.
    """
    out = obs.copy()
    out["population"] = float("nan")
    out["population_year"] = pd.array([pd.NA] * len(out), dtype="Int64")
    if out.empty or population.empty:
        return out
    pop = population.dropna(subset=["value"])
    pop = pop[pop["value"] > 0]
    if pop.empty or max_year_gap < 0:
        return out
    right = pd.DataFrame({"_area": pop["area_code"].astype(str).to_numpy(),
                          "_year": pop["year"].astype("int64").to_numpy(),
                          "_pop": pop["value"].astype(float).to_numpy()})
    # A year stated twice for one place: the later row wins (as a dict built row by row did).
    right = right.drop_duplicates(["_area", "_year"], keep="last").sort_values("_year")
    right["_pop_year"] = right["_year"]
    left = pd.DataFrame({"_area": out["area_code"].astype(str).to_numpy(),
                         "_year": out["year"].astype("int64").to_numpy(),
                         "_pos": np.arange(len(out))}).sort_values("_year", kind="stable")
    # 'nearest' takes the earlier year when two are equally near: pandas keeps the backward
    # match on a tie (tests/test_percapita.py checks it); tolerance 0 means the same year only.
    hit = pd.merge_asof(left, right, on="_year", by="_area", direction="nearest",
                        tolerance=int(max_year_gap)).sort_values("_pos")
    out["population"] = hit["_pop"].to_numpy(dtype=float)
    out["population_year"] = pd.array(hit["_pop_year"].to_numpy(), dtype="Int64")
    return out


def to_per_100k(obs: pd.DataFrame, units: dict[str, str], population: pd.DataFrame,
                max_year_gap: int = 0) -> pd.DataFrame:
    """Observations (indicator, area_code, year, value) with ``value`` made per 100,000.

    Adds ``per_capita`` ('count' / 'rate' / None) and the population columns. Rows whose
    indicator has no per-capita form, or whose population is missing, get value NaN and
    keep the original in ``value_original`` so a table can still show it.
    """
    out = attach_population(obs, population, max_year_gap)
    out["value_original"] = out["value"]
    kinds = out["indicator"].map(lambda c: conversion(units.get(c)))
    out["per_capita"] = kinds
    new = []
    for kind, ind, value, pop in zip(kinds, out["indicator"], out["value"], out["population"],
                                     strict=True):
        v = None if pd.isna(value) else float(value)
        if kind == "count":
            p = None if pd.isna(pop) else float(pop)
            new.append(per_100k(v, p))
        elif kind == "rate":
            new.append(rescale_rate(v, rate_base(units.get(ind))))
        else:
            new.append(None)
    out["value"] = pd.array(new, dtype="Float64").astype(float)
    # The population matters only for counts; a rescaled rate did not use one.
    not_count = out["per_capita"] != "count"
    out.loc[not_count, "population"] = float("nan")
    out.loc[not_count, "population_year"] = pd.NA
    return out
