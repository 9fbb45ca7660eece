"""trafficking.style: source notes stay text and fit their width."""

from __future__ import annotations

import plotly.graph_objects as go

from trafficking import style


def _note(fig: go.Figure) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == style.SOURCE_NOTE)


def test_source_note_escapes_tags_from_source_files() -> None:
    fig = style.source_note(go.Figure(), "Source: <a href='https://x.example'>Evil</a> & co")
    text = _note(fig)
    assert "<a " not in text and "&lt;a href='https://x.example'&gt;Evil&lt;/a&gt; &amp; co" in text


def test_a_prewrapped_note_is_wrapped_once_at_the_given_width() -> None:
    words = "Source: " + " ".join(f"word{i}" for i in range(60))
    fig = style.source_note(go.Figure(), words.replace(" word10 ", "<br>word10 "), width=50)
    lines = _note(fig).split("<br>")
    assert all(len(line) <= 50 for line in lines)
    assert " ".join(lines) == words
