"""Per-100,000-population arithmetic, kept apart from pages and charts so it can be tested alone.

What a value is comes from the database (``indicators.kind`` and ``rate_base``), never from its
unit's wording. Two ways a value becomes "per 100,000":

* a **count** (kind 'count': persons, prosecutions, ...) is divided by a population that a
  source in the database states for the same place (and, by default, the same year), times
  100,000;
* a **rate** (kind 'rate') already per ``rate_base`` people (1,000 for 'per 1,000 population')
  is rescaled: per 1,000 × 100 = per 100,000. No population is needed.

Shares and scores have no per-capita form and are left out (``None``), never forced into a
number.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from trafficking.i18n import N_

PER = 100_000
PER_LABEL = N_("per 100,000 population")  # shown with _(PER_LABEL)


def conversion(kind: str | None) -> str | None:
    """'count' (divide by population), 'rate' (rescale) or None (no per-capita form), from
    an indicator's ``kind``."""
    return kind if kind in ("count", "rate") else None


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


def to_per_100k(obs: pd.DataFrame, indicators: pd.DataFrame, population: pd.DataFrame,
                max_year_gap: int = 0) -> pd.DataFrame:
    """Observations (indicator, area_code, year, value) with ``value`` made per 100,000.

    ``indicators`` gives each code's ``kind`` and ``rate_base`` (the catalogue, or the
    ``indicators`` table). Adds ``per_capita`` ('count' / 'rate' / None) and the population
    columns. Rows whose indicator has no per-capita form, or whose population is missing, get
    value NaN and keep the original in ``value_original`` so a table can still show it.
    """
    kind_of = dict(zip(indicators["code"], indicators["kind"], strict=True))
    base_of = dict(zip(indicators["code"], indicators["rate_base"], strict=True))
    out = attach_population(obs, population, max_year_gap)
    out["value_original"] = out["value"]
    kinds = out["indicator"].map(lambda c: conversion(kind_of.get(c)))
    out["per_capita"] = kinds
    new = []
    for kind, ind, value, pop in zip(kinds, out["indicator"], out["value"], out["population"],
                                     strict=True):
        v = None if pd.isna(value) else float(value)
        if kind == "count":
            p = None if pd.isna(pop) else float(pop)
            new.append(per_100k(v, p))
        elif kind == "rate":
            base = base_of.get(ind)
            new.append(rescale_rate(v, None if pd.isna(base) else float(base)))
        else:
            new.append(None)
    out["value"] = pd.array(new, dtype="Float64").astype(float)
    # The population matters only for counts; a rescaled rate did not use one.
    not_count = out["per_capita"] != "count"
    out.loc[not_count, "population"] = float("nan")
    out.loc[not_count, "population_year"] = pd.NA
    return out
