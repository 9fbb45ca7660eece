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
    # Only the differing value is a conflict; the same value elsewhere is not.
    assert conflicts[["value", "chosen_value", "source_id", "chosen_source_id"]].values.tolist() \
        == [[15_000_000, 15_100_000, "b/f.csv", "c/f.csv"]]
    assert "'rounded'" in conflicts["reason"].iloc[0]


def test_more_digits_beat_fewer_and_singletons_are_left_alone() -> None:
    rows = _rows([(29_000_000, None, "a/f.csv", None), (29_300_000, None, "b/f.csv", None)])
    rows = pd.concat([rows, _rows([(4_100_000, None, "a/f.csv", None)]).assign(
        rid=9, area_code="ILO-ECA", breakdown="Europe and Central Asia")], ignore_index=True)
    decisions, conflicts = pref.decide(rows)
    assert decisions.set_index("rid")["preferred"].to_dict() == {1: True, 0: False}
    assert "more significant digits" in conflicts["reason"].iloc[0]


def test_publisher_pages() -> None:
    assert pref.publisher_page("https://www.ilo.org/global/topics/forced-labour/")
    assert pref.publisher_page("https://walkfree.org/global-slavery-index/")
    assert not pref.publisher_page("https://notilo.org/x")
    assert not pref.publisher_page("https://ilo.org.example.com/x")
    assert not pref.publisher_page(None)
