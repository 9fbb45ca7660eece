"""How a number or a data string reads in a chart, a hover or a table: the one place for it.

Each chart family keeps the style its readers already know (a funnel label is short, '≈11,000';
a comparison reads 'approximately 11,000'), so there are a few number formats, each named for
what it is, sharing one notion of a gap and one table of qualifiers. Hover text is escaped
here, after wrapping, so a line break is counted in the characters a reader sees and a data
string never becomes markup.

Numbers and dates follow the reader's language (``i18n.babel_locale()``): digits, group and
decimal symbols from CLDR through ``babel.numbers`` (the English output is exactly the one these
formats always gave), large counts in 萬/億 in Chinese (CLDR's compact form). Dates and times
read as CLDR's medium date with a 24-hour time, in Python text (``date``, ``timestamp``) and in
the tables' date columns (``moment_format``, the same layout in moment.js tokens, which
Streamlit's tables take): '20 Nov 2026, 10:31 UTC', '2026年11月20日 10:31 UTC'. The fixed words
(qualifiers, 'no figure', 'per 1,000') come from the catalogue.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
from decimal import Decimal

import pandas as pd
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from trafficking import i18n
from trafficking.i18n import N_, _

# Qualifiers that read as a phrase before the number ('approximately 11,000'); any other is
# noted after it ('120 (rounded)').
PREFIX_QUALIFIERS = frozenset({
    "approximately", "about", "around", "more than", "at least", "over", "less than",
    "fewer than", "up to", "at most", "nearly", "almost",
})
# Compact forms: a chart label has no room for the phrase.
SIGNS = {"approximately": "≈", "more than": ">", "less than": "<"}
ESTIMATE_SIGNS = {"approximately": "≈ ", "more than": "> ", "at least": "≥ ", "rounded": ""}
FUNNEL_WORDS = {"approximately": "≈", "almost": N_("almost {n}"), "more than": N_("over {n}")}
NO_FIGURE = N_("no figure")
# The qualifiers the ETL writes (a closed vocabulary, not a publisher's sentence): their words
# are ours, so they are translated; any other qualifier is shown as the source states it.
QUALIFIER_WORDS = {
    "approximately": N_("approximately {n}"), "about": N_("about {n}"),
    "around": N_("around {n}"), "more than": N_("more than {n}"), "at least": N_("at least {n}"),
    "over": N_("over {n}"), "less than": N_("less than {n}"), "fewer than": N_("fewer than {n}"),
    "up to": N_("up to {n}"), "at most": N_("at most {n}"), "nearly": N_("nearly {n}"),
    "almost": N_("almost {n}"), "rounded": N_("{n} (rounded)"),
}
# CLDR's compact forms for Hong Kong Chinese are the English ones ('49.6M'); Traditional
# Chinese counts in 萬 (10⁴) and 億 (10⁸): 4960萬.
_COMPACT_LOCALE = {"zh-Hant": "zh_Hant"}
# English dates as Hong Kong writes them: CLDR's en_HK puts the day first ('20 Nov 2026'),
# where plain 'en' is American ('Nov 20, 2026'). Numbers stay with i18n.babel_locale().
_DATE_LOCALE = {"en": "en_HK"}


def decimal(value: float, pattern: str = "#,##0") -> str:
    """``value`` with a CLDR number pattern in the reader's locale ('#,##0', '#,##0.00',
    '0.0'). The float is converted exactly, so rounding is Python's own (``f"{v:,.0f}"``)."""
    return babel_numbers.format_decimal(Decimal(float(value)), pattern,
                                        locale=i18n.babel_locale())


def _general(value: float, spec: str = "g") -> str:
    """``format(value, spec)`` ('g', '.3g': no grouping) with the locale's decimal symbol."""
    text = format(float(value), spec)
    return text.replace(".", babel_numbers.get_decimal_symbol(i18n.babel_locale()))


def _big(rounded: float, english: str) -> str:
    """A count of a million or more, already rounded to the precision shown: ``english``
    ('27.6 million') in English, CLDR's compact form in a language that counts in 萬."""
    compact = _COMPACT_LOCALE.get(i18n.language())
    if compact is None:
        return english
    return babel_numbers.format_compact_decimal(rounded, locale=compact, fraction_digits=2)


def qualified(text: str, qualifier: object) -> str:
    """A formatted number with its qualifier as a phrase ('approximately 11,000',
    '120 (rounded)'); a qualifier outside the ETL's vocabulary is noted after the number as
    the source states it."""
    q = _qualifier(qualifier)
    if not q:
        return text
    if q in QUALIFIER_WORDS:
        return _(QUALIFIER_WORDS[q]).format(n=text)
    return f"{q} {text}" if q.lower() in PREFIX_QUALIFIERS else f"{text} ({q})"


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
        return q or _("no value")
    v = float(value)  # type: ignore[arg-type]
    if abs(v) >= 1e6:
        millions = f"{v / 1e6:,.2f}".rstrip("0").rstrip(".")
        text = _big(round(v / 1e6, 2) * 1e6, millions + " million")
    elif abs(v) >= 100 or v == int(v):
        text = decimal(v)
    elif abs(v) >= 1:
        text = decimal(v, "#,##0.00")
    else:
        text = _general(v, ".3g")
    return qualified(text, q)


def count(value: float | None, qualifier: object = None) -> str:
    """A whole count with its sign: '1,234', '≈11,000' (rounded), '>7,500' (a lower bound);
    'no figure' for a gap. Other qualifiers are told beside the chart, not in the label."""
    if is_gap(value):
        return _(NO_FIGURE)
    return SIGNS.get(_qualifier(qualifier), "") + decimal(value)  # type: ignore[arg-type]


def funnel_label(value: float | None, qualifier: object = None, percent: bool = False) -> str:
    """A funnel bar's label: '1,234', '≈11,000', 'almost 17,000', 'over 6,000', '53%',
    '30 (rounded)'; '' for a gap (the bar is absent)."""
    if is_gap(value):
        return ""
    text = decimal(value) + ("%" if percent else "")  # type: ignore[arg-type]
    q = _qualifier(qualifier)
    if q == "approximately":
        return FUNNEL_WORDS[q] + text
    if q in FUNNEL_WORDS:
        return _(FUNNEL_WORDS[q]).format(n=text)
    if q == "rounded":
        return _(QUALIFIER_WORDS[q]).format(n=text)
    return f"{text} ({q})" if q else text


def estimate(value: float | None, kind: str, qualifier: object = None, *,
             unit: bool = True) -> str:
    """A Global Estimates figure by its kind: '49.6 million', '≈ 25 million', '54 %',
    '5.4 per 1,000' ('5.4' with ``unit=False``, where a heading gives it); 'no figure' for a
    gap."""
    if is_gap(value):
        return _(NO_FIGURE)
    prefix = ESTIMATE_SIGNS.get(_qualifier(qualifier), "")
    v = float(value)  # type: ignore[arg-type]
    if kind == "share":
        text = _("{value} %").format(value=_general(v))
    elif kind == "prevalence":
        text = _("{value} per 1,000").format(value=_general(v)) if unit else _general(v)
    elif abs(v) >= 1_000_000:
        millions = f"{v / 1e6:.3g}"
        text = _big(float(millions) * 1e6, millions + " million")
    else:
        text = decimal(v)
    return prefix + text


def change(value: float) -> str:
    """A signed difference of two counts of a million or more: '+9.3 million', '+930萬'."""
    millions = f"{value / 1e6:+.1f}"
    if _COMPACT_LOCALE.get(i18n.language()) is None:
        return millions + " million"
    return ("+" if value > 0 else "") + _big(float(millions) * 1e6, "")


def _as_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if is_gap(value) or not str(value).strip():
        return None
    try:
        return pd.Timestamp(str(value).removesuffix(" UTC").replace("T", " ")).to_pydatetime()
    except (ValueError, TypeError):
        return None


def _date_locale() -> Locale:
    lang = i18n.language()
    return Locale.parse(_DATE_LOCALE[lang]) if lang in _DATE_LOCALE else i18n.babel_locale()


def _time_pattern(locale: Locale, seconds: bool) -> str:
    """CLDR's 24-hour time for ``locale`` ('HH:mm'): UTC times read the same everywhere,
    without a morning/afternoon word."""
    return locale.datetime_skeletons["Hms" if seconds else "Hm"].pattern


def date(value: object) -> str:
    """A day as CLDR's medium date in the reader's language: '2 Dec 2026', '2026年12月2日';
    '' for none, the text itself when it is no date."""
    when = _as_datetime(value)
    if when is None:
        return "" if is_gap(value) else str(value)
    return babel_dates.format_date(when, "medium", locale=_date_locale())


def timestamp(value: object) -> str:
    """A UTC time to the minute for a reader: '2 Dec 2026, 07:18 UTC' in English, '2026年12月2日
    07:18 UTC' in Chinese (CLDR's medium date and 24-hour time, joined as the locale joins
    them); '' for none, the text itself when it is no time. Files for software (the data CSV,
    metadata.json) keep ISO times (``present/sources.py``)."""
    when = _as_datetime(value)
    if when is None:
        return "" if is_gap(value) else str(value)
    locale = _date_locale()
    time = babel_dates.format_datetime(when, _time_pattern(locale, False), locale=locale)
    return babel_dates.get_datetime_format("medium", locale=locale).format(
        time, date(when)) + " UTC"


# CLDR (LDML) date fields → moment.js tokens (Streamlit's table columns format with moment).
_MOMENT = {"y": lambda n: "YY" if n == 2 else "YYYY", "M": "M".__mul__, "L": "M".__mul__,
           "d": "D".__mul__, "H": "H".__mul__, "h": "h".__mul__, "m": "m".__mul__,
           "s": "s".__mul__, "a": lambda n: "A", "E": lambda n: "dddd" if n > 3 else "ddd"}


def _moment(pattern: str) -> str:
    out = []
    for kind, token in babel_dates.tokenize_pattern(pattern):
        if kind == "chars":
            out.append(f"[{token}]" if token.strip() else token)  # literal text, kept as is
        elif token[0] in _MOMENT:
            out.append(_MOMENT[token[0]](token[1]))
        else:  # a CLDR field this table does not know: fail where tests see it
            raise ValueError(f"no moment.js token for CLDR field {token[0] * token[1]!r}")
    return "".join(out)


def moment_format(with_time: bool = True, seconds: bool = False) -> str:
    """``date``/``timestamp``'s layout (without 'UTC': a table's heading says it) as a
    moment.js format for ``st.column_config.DatetimeColumn``: 'D MMM YYYY, HH[:]mm' in
    English, 'YYYY[年]M[月]D[日] HH[:]mm' in Chinese (literal text in brackets)."""
    locale = _date_locale()
    day = _moment(babel_dates.get_date_format("medium", locale=locale).pattern)
    if not with_time:
        return day
    time = _moment(_time_pattern(locale, seconds))
    glue = babel_dates.get_datetime_format("medium", locale=locale)  # '{1}, {0}'
    return "".join(day if part == "{1}" else time if part == "{0}" else
                   f"[{part}]" if part.strip() else part
                   for part in re.split(r"(\{[01]\})", glue) if part)


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

