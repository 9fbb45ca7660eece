"""Data strings inside Streamlit markdown, shown as plain text.

Streamlit renders markdown (with automatic links, images and some HTML). A string read from a
source file — an indicator's name, a definition, a publisher — must never become markup, so
every such string placed inside markdown goes through :func:`md_plain`, every one that
reaches a Plotly figure through :func:`plotly_plain`, and every downloaded table through
:func:`csv_safe` (no cell a spreadsheet would run as a formula).
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

# CommonMark treats a backslash before any ASCII punctuation as that literal character.
_MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'@^%])")
# Control and bidirectional-override characters could hide or reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


# GFM turns 'www.x', 'https://x' and 'a@b.c' into links after escapes are resolved (seen in
# Chromium: 'www\\.evil\\.example' is still a link), so escaping cannot stop it; an invisible
# WORD JOINER inside each trigger does.
_AUTOLINK = re.compile(r"(?i)(www)(?=\.)|(https?|ftp|mailto|xmpp)(?=:)|(?=@)")
_JOINER = "\u2060"


def md_plain(text: object) -> str:
    """``text`` escaped so that markdown shows exactly its characters ('' for None/NaN), and
    no address or e-mail in it becomes a link."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    unlinked = _AUTOLINK.sub(lambda m: (m.group(1) or m.group(2) or "") + _JOINER,
                             _CONTROL.sub(" ", str(text)))
    return _MARKUP.sub(r"\\\1", unlinked)


def plotly_plain(text: object) -> str:
    """``text`` for a Plotly string (hover, legend, tick label, annotation, title): every tag
    and quote escaped, since Plotly renders <a href>, <b>, <br>… in all of them."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(_CONTROL.sub(" ", str(text)), quote=True)


# OWASP's CSV-injection rule: a spreadsheet evaluates a cell that starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A string cell that a spreadsheet would read as a formula gets a leading "'"."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for download: string cells neutralised, numbers untouched."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_cell)
    out.columns = [csv_cell(str(c)) for c in out.columns]
    return out


def http_url(value: object) -> str | None:
    """``value`` when it is an http(s) address, else None: a link never runs javascript:,
    data: or a file path."""
    if isinstance(value, str) and _HTTP.match(value.strip()):
        return value.strip()
    return None


_HTTP = re.compile(r"https?://[^\s\x00-\x1f]+\Z", re.IGNORECASE)
