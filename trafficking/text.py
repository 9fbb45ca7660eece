"""Data strings inside Streamlit markdown, shown as plain text.

Streamlit renders markdown (with automatic links, images and some HTML). A string read from a
source file — an indicator's name, a definition, a publisher — must never become markup, so
every such string placed inside markdown goes through :func:`md_plain`.
"""

from __future__ import annotations

import math
import re

# CommonMark treats a backslash before any ASCII punctuation as that literal character; ':' and
# '.' are included so 'https://…' and 'www.…' are not turned into links.
_MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'@^%])")
# Control and bidirectional-override characters could hide or reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def md_plain(text: object) -> str:
    """``text`` escaped so that markdown shows exactly its characters ('' for None/NaN)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _MARKUP.sub(r"\\\1", _CONTROL.sub(" ", str(text)))
