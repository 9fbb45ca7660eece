"""The interface language: English (the source strings) or Traditional Chinese as written in
Hong Kong. One message catalogue (gettext, managed with Babel) holds every interface string.

- Mark a string where it is used with ``_("…")``; where it is defined before the reader's
  language is known (a page title, a chart spec's title, a parameter's label) mark it with
  ``N_("…")`` and translate it where it is shown with ``_(value)``.
- Placeholders are ``{name}`` and filled after translation: ``_("{n} jurisdictions").format(n=3)``.
- The language is per script run (each Streamlit session runs in its own thread), set once at
  the start of the run from ``?lang=``; exports and the command line use ``using(lang)``.
- Quotes from sources and data strings are never translated: they stay in the language their
  publisher wrote them in.

Catalogue: ``trafficking/locale/messages.pot`` (extracted with ``pybabel extract -F babel.cfg``)
and ``trafficking/locale/zh_Hant/LC_MESSAGES/messages.po``; ``make`` compiles the ``.mo``.
A missing or outdated ``.mo`` is compiled in memory from the ``.po``, so a checkout without the
compile step still shows the translation.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"
# Address value → the name shown in the language switch (each in its own language).
LANGUAGES: dict[str, str] = {"en": "English", "zh-Hant": "繁體中文"}
# Address value → Babel locale (numbers, dates, CLDR territory names) and catalogue folder.
BABEL_LOCALES: dict[str, str] = {"en": "en", "zh-Hant": "zh_Hant_HK"}
CATALOGUES: dict[str, str] = {"zh-Hant": "zh_Hant"}

_state = threading.local()


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Mark ``message`` for the catalogue without translating it now."""
    return message


def language() -> str:
    """The language of this run ('en' or 'zh-Hant')."""
    return getattr(_state, "lang", DEFAULT)


def set_language(lang: str | None) -> str:
    """Use ``lang`` for the rest of this thread's run; anything unknown means English."""
    _state.lang = lang if lang in LANGUAGES else DEFAULT
    return _state.lang


@contextmanager
def using(lang: str | None) -> Iterator[str]:
    """``lang`` inside the block (an export in the reader's language), then the previous one."""
    before = language()
    try:
        yield set_language(lang)
    finally:
        set_language(before)


def babel_locale(lang: str | None = None) -> Locale:
    return Locale.parse(BABEL_LOCALES[lang or language()])


@functools.cache
def _translations(lang: str) -> NullTranslations:
    folder = CATALOGUES.get(lang)
    if folder is None:
        return NullTranslations()
    base = LOCALE_DIR / folder / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime_ns >= po.stat().st_mtime_ns):
        with mo.open("rb") as fh:
            return Translations(fh, domain=DOMAIN)
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=BABEL_LOCALES[lang])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _(message: str) -> str:
    """``message`` in this run's language (itself when the catalogue has no translation)."""
    if not message:
        return message
    return _translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(language()).ngettext(singular, plural, n)


# Where CLDR's name is not the one Hong Kong readers use for a place, or CLDR has none, or
# CLDR's is wrong: its zh_Hant name for region 202 (Sub-Saharan Africa, CLDR 49 as Babel
# 2.19 ships it) repeats a character, "撒哈拉撒沙漠以南非洲"; the UN's Chinese name is
# "撒哈拉以南非洲".
_TERRITORY_ALIASES: dict[str, dict[str, str]] = {
    "zh-Hant": {"HK": "香港", "MO": "澳門", "XK": "科索沃", "202": "撒哈拉以南非洲"},
}


def territory_name(iso2: str | None, fallback: str) -> str:
    """A place's name in this run's language from CLDR (``iso2``: ISO 3166 alpha-2 or a UN
    M49 region code), with our alias table first; ``fallback`` (the English name the
    database holds) when neither knows it, and always in English."""
    lang = language()
    if lang == DEFAULT or not iso2:
        return fallback
    alias = _TERRITORY_ALIASES.get(lang, {}).get(iso2)
    if alias:
        return alias
    return babel_locale(lang).territories.get(iso2, fallback)
