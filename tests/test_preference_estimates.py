"""The cross-source choice of the charted global-estimates statement, on small frames."""

from __future__ import annotations

import pandas as pd

from etl.preference import estimates as pref

COLUMNS = ["rid", "indicator", "area_code", "year", "breakdown_dim", "breakdown", "value",
           "qualifier", "source_id", "cited_url", "edition"]


def _rows(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame([(i, "gems2022_forced_labour", "ILO-ASP", 2021, "region",
                          "Asia and the Pacific", *r, "2022 edition")
                         for i, r in enumerate(rows)], columns=COLUMNS)


def test_exact_then_precise_then_publisher() -> None:
    rows = _rows([
        (15_000_000, "rounded", "b/f.csv", "https://walkfree.org/x"),
        (15_100_000, None, "a/f.csv", "https://news.example/x"),
        (15_100_000, None, "c/f.csv", "https://www.ilo.org/x"),
    ])
    decisions, conflicts = pref.decide(rows)
    chosen = decisions[decisions["preferred"]]
    assert chosen["rid"].tolist() == [2]  # exact, and the publisher's own page
    assert "publisher's own page" in decisions.set_index("rid").loc[1, "preferred_reason"]
    # A rounding of the charted figure, and the same value elsewhere, are not conflicts.
    assert conflicts.empty
    assert "'rounded'" in decisions.set_index("rid").loc[0, "preferred_reason"]


def test_more_digits_beat_fewer_and_singletons_are_left_alone() -> None:
    rows = _rows([(29_000_000, None, "a/f.csv", None), (29_300_000, None, "b/f.csv", None)])
    rows = pd.concat([rows, _rows([(4_100_000, None, "a/f.csv", None)]).assign(
        rid=9, area_code="ILO-ECA", breakdown="Europe and Central Asia")], ignore_index=True)
    decisions, conflicts = pref.decide(rows)
    assert decisions.set_index("rid")["preferred"].to_dict() == {1: True, 0: False}
    assert "more significant digits" in decisions.set_index("rid").loc[0, "preferred_reason"]
    assert conflicts.empty  # 29 million is a rounding of 29.3 million


def test_publisher_pages() -> None:
    assert pref.publisher_page("https://www.ilo.org/global/topics/forced-labour/")
    assert pref.publisher_page("https://walkfree.org/global-slavery-index/")
    assert not pref.publisher_page("https://notilo.org/x")
    assert not pref.publisher_page("https://ilo.org.example.com/x")
    assert not pref.publisher_page(None)


def test_roundings_and_bounds_that_agree_are_not_conflicts() -> None:
    rows = _rows([(29_000_000, None, "a/f.csv", None), (29_300_000, None, "b/f.csv", None)])
    rows = pd.concat([rows, _rows([(3_100_000, "more than", "a/f.csv", None),
                                   (3_200_000, None, "b/f.csv", None)]).assign(
        rid=[7, 8], area_code="ILO-AFR", breakdown="Africa")], ignore_index=True)
    decisions, conflicts = pref.decide(rows)
    assert decisions.set_index("rid")["preferred"].to_dict() == {1: True, 0: False,
                                                                 8: True, 7: False}
    assert conflicts.empty


def test_statements_that_cannot_both_be_true_are_conflicts() -> None:
    rows = _rows([(3_100_000, "more than", "a/f.csv", None), (2_900_000, None, "b/f.csv", None),
                  (15_100_000, None, "c/f.csv", None)]).assign(rid=[0, 1, 2])
    rows.loc[2, "breakdown"] = "other"
    decisions, conflicts = pref.decide(rows.iloc[:2])
    assert conflicts[["value", "chosen_value"]].values.tolist() == [[3_100_000, 2_900_000]]
    assert pref.can_both_be_true(pd.Series({"value": 15_000_000, "qualifier": "rounded"}),
                                 pd.Series({"value": 15_100_000, "qualifier": None}))
    assert not pref.can_both_be_true(pd.Series({"value": 25_000_000, "qualifier": None}),
                                     pd.Series({"value": 24_000_000, "qualifier": None}))
