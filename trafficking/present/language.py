"""The language switch: ``?lang=zh-Hant`` in the address, a control in the sidebar, and the
language set for the whole script run before any page draws (``trafficking.i18n``)."""

from __future__ import annotations

import streamlit as st

from trafficking import i18n
from trafficking.present import urlstate
from trafficking.present.validate import choice_param

KEY = "lang"
# In both languages, untranslated: a reader of either must find the switch.
LABEL = "Language · 語言"
LANG = choice_param("lang", "language", lambda: list(i18n.LANGUAGES),
                    default=lambda: i18n.DEFAULT)


def apply() -> str:
    """Set this run's language from the reader's choice (first seeded from the address)."""
    urlstate.restore({KEY: LANG})
    return i18n.set_language(st.session_state.get(KEY))


def switch() -> None:
    """The sidebar control; the choice is kept in the address (English, the default, is not)."""
    st.radio(LABEL, options=list(i18n.LANGUAGES),
             format_func=i18n.LANGUAGES.__getitem__, key=KEY, horizontal=True)
    lang = i18n.language()
    urlstate.write({LANG: None if lang == i18n.DEFAULT else lang})
