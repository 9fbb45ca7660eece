"""How a number or a data string reads in a chart, a hover or a table: the one place for it.

Each chart family keeps the style its readers already know (a funnel label is short, '≈11,000';
a comparison reads 'approximately 11,000'), so there are a few number formats, each named for
what it is, sharing one notion of a gap and one table of qualifiers. Hover text is escaped
here, after wrapping, so a line break is counted in the characters a reader sees and a data
string never becomes markup.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd

# Qualifiers that read as a phrase before the number ('approximately 11,000'); any other is
# noted after it ('120 (rounded)').
PREFIX_QUALIFIERS = frozenset({
    "approximately", "about", "around", "more than", "at least", "over", "less than",
    "fewer than", "up to", "at most", "nearly", "almost",
})
# Compact forms: a chart label has no room for the phrase.
SIGNS = {"approximately": "≈", "more than": ">", "less than": "<"}
ESTIMATE_SIGNS = {"approximately": "≈ ", "more than": "> ", "at least": "≥ ", "rounded": ""}
FUNNEL_WORDS = {"approximately": "≈", "almost": "almost ", "more than": "over "}
NO_FIGURE = "no figure"


def is_gap(value: object) -> bool:
    """True for a missing number (None, NaN, pandas NA)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or other non-scalar: not a number, not a gap
        return False


def _qualifier(qualifier: object) -> str:
    return qualifier if isinstance(qualifier, str) else ""


def number(value: float | None, qualifier: object = None) -> str:
    """Any figure in words: '1,234', '2.76', '27.6 million', 'approximately 11,000',
    '120 (rounded)'; a missing value reads as its qualifier, or 'no value'."""
    q = _qualifier(qualifier)
    if is_gap(value):
        return q or "no value"
    v = float(value)  # type: ignore[arg-type]
    if abs(v) >= 1e6:
        text = f"{v / 1e6:,.2f}".rstrip("0").rstrip(".") + " million"
    elif abs(v) >= 100 or v == int(v):
        text = f"{v:,.0f}"
    elif abs(v) >= 1:
        text = f"{v:,.2f}"
    else:
        text = f"{v:.3g}"
    if q:
        text = f"{q} {text}" if q.lower() in PREFIX_QUALIFIERS else f"{text} ({q})"
    return text


def count(value: float | None, qualifier: object = None) -> str:
    """A whole count with its sign: '1,234', '≈11,000' (rounded), '>7,500' (a lower bound);
    'no figure' for a gap. Other qualifiers are told beside the chart, not in the label."""
    if is_gap(value):
        return NO_FIGURE
    return SIGNS.get(_qualifier(qualifier), "") + f"{value:,.0f}"


def funnel_label(value: float | None, qualifier: object = None, percent: bool = False) -> str:
    """A funnel bar's label: '1,234', '≈11,000', 'almost 17,000', 'over 6,000', '53%',
    '30 (rounded)'; '' for a gap (the bar is absent)."""
    if is_gap(value):
        return ""
    text = f"{value:,.0f}" + ("%" if percent else "")
    q = _qualifier(qualifier)
    if q in FUNNEL_WORDS:
        return FUNNEL_WORDS[q] + text
    return f"{text} ({q})" if q else text


def estimate(value: float | None, kind: str, qualifier: object = None) -> str:
    """A Global Estimates figure by its kind: '49.6 million', '≈ 25 million', '54 %',
    '5.4 per 1,000'; 'no figure' for a gap."""
    if is_gap(value):
        return NO_FIGURE
    prefix = ESTIMATE_SIGNS.get(_qualifier(qualifier), "")
    if kind == "share":
        text = f"{value:g} %"
    elif kind == "prevalence":
        text = f"{value:g} per 1,000"
    elif abs(value) >= 1_000_000:  # type: ignore[operator]
        text = f"{value / 1e6:.3g} million"  # type: ignore[operator]
    else:
        text = f"{value:,.0f}"
    return prefix + text


def lines(text: str, width: int) -> str:
    """``text`` wrapped every ``width`` characters with Plotly's <br> (for text already safe:
    titles, axis titles, source lines escaped where they are drawn)."""
    return "<br>".join(textwrap.wrap(text, width=width))


def hover(text: object, width: int = 70, *, limit: int | None = None,
          break_long_words: bool = False) -> str:
    """A data string for a hover label: whitespace collapsed, cut at ``limit`` characters
    ('… (in full in the table)'), wrapped every ``width`` characters (hover labels do not wrap
    by themselves) and escaped (Plotly renders tags such as <a href> in hovers). '' for a
    missing string."""
    if is_gap(text):
        return ""
    plain = " ".join(str(text).split())
    if limit is not None and len(plain) > limit:
        plain = plain[:limit - 1].rstrip() + "… (in full in the table)"
    return "<br>".join(html.escape(line, quote=False) for line in
                       textwrap.wrap(plain, width=width, break_long_words=break_long_words))

