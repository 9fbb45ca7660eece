"""trafficking.text: data strings in markdown stay text."""

from __future__ import annotations

from trafficking.text import md_plain


def test_markup_characters_are_escaped() -> None:
    assert md_plain("**bold** [x](https://e.org) <img src=x>") == (
        r"\*\*bold\*\* \[x\]\(https\://e\.org\) \<img src\=x\>")


def test_links_and_newlines_do_not_survive() -> None:
    text = md_plain("see www.example.org\n# heading")
    assert "www.example" not in text and "\n" not in text and r"\#" in text


def test_missing_values_are_empty() -> None:
    assert md_plain(None) == "" and md_plain(float("nan")) == ""
    assert md_plain(12) == "12"
