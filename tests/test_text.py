"""trafficking.text: data strings in markdown stay text."""

from __future__ import annotations

from trafficking.text import md_plain


def test_markup_characters_are_escaped() -> None:
    assert md_plain("**bold** [x](https://e.org) <img src=x>") == (
        "\\*\\*bold\\*\\* \\[x\\]\\(https\u2060\\://e\\.org\\) \\<img src\\=x\\>")


def test_links_and_newlines_do_not_survive() -> None:
    text = md_plain("see www.example.org\n# heading")
    assert "www.example" not in text and "\n" not in text and r"\#" in text


def test_missing_values_are_empty() -> None:
    assert md_plain(None) == "" and md_plain(float("nan")) == ""
    assert md_plain(12) == "12"


def test_addresses_and_emails_do_not_become_links() -> None:
    # GFM links these after resolving escapes, so each trigger gets a WORD JOINER.
    for raw in ("www.evil.example", "https://evil.example", "_www.x.org", "me@evil.example"):
        text = md_plain(raw).replace("\\", "")
        assert "www." not in text and "https:" not in text and not any(
            text[i - 1].isalnum() for i, ch in enumerate(text) if ch == "@" and i)
        assert text.replace("\u2060", "") == raw  # nothing visible changes


def test_plotly_text_escapes_tags_and_quotes() -> None:
    from trafficking.text import plotly_plain

    assert plotly_plain('<a href="x">y</a>') == "&lt;a href=&quot;x&quot;&gt;y&lt;/a&gt;"
