"""render.table: a table declared once (column → header or column config) drawn in its order,
with its caption, empty text, blank missing texts and link columns holding only http(s)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import pandas as pd
    import streamlit as st

    from trafficking.present import render

    columns = {"year": st.column_config.NumberColumn("Year", format="%d"),
               "qualifier": "Qualifier",
               "cited_url": st.column_config.LinkColumn("Page")}
    frame = pd.DataFrame({"cited_url": ["https://a.example/x", "javascript:alert(1)"],
                          "qualifier": [None, "about"], "year": [2020, 2021],
                          "unused": ["x", "y"]})
    render.table(frame, columns, key="full", caption="Two figures")
    render.table(frame.iloc[:0], columns, key="empty", empty="No figures.")
    render.table(frame.iloc[:0], columns, key="silent")


def test_table_columns_caption_and_empty_text() -> None:
    at = AppTest.from_function(_page).run()
    assert not at.exception
    assert [c.value for c in at.caption] == ["Two figures", "No figures."]
    assert len(at.dataframe) == 1  # an empty frame without an empty text draws nothing
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["year", "qualifier", "cited_url"]
    assert shown["qualifier"].tolist() == ["", "about"]  # no 'None' in a text cell
    assert shown["cited_url"].tolist()[0] == "https://a.example/x"
    assert shown["cited_url"].isna().tolist()[1]  # javascript: is never a link
