"""Entry point: `streamlit run dashboard.py`. Navigation, shared sidebar and footer.

Add a page by adding one line to ``trafficking.pages.PAGES``; every page is a thin script under
``app_pages/`` that calls ``trafficking.present.render.require_database()`` first.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import streamlit as st

from trafficking import db, formatting, pages
from trafficking.i18n import _
from trafficking.present import embed, language, render

# One database file for the whole run: a refresh landing mid-render waits for the next run.
db.pin()
# One language for the whole run, before anything is drawn (``?lang=zh-Hant``).
language.apply()
st.set_page_config(
    page_title=_("Human trafficking statistics"),
    page_icon="🌍",
    layout="wide",
)
log = logging.getLogger("trafficking.dashboard")

# url_path equals each file's stem: AppTest (and a session's first request) find a page by its
# file name before st.navigation has run.
PAGES = [st.Page(p.script, title=_(p.title), icon=p.icon, default=p.default,
                 **({} if p.default else {"url_path": p.stem})) for p in pages.PAGES]


def _footer_text() -> str:
    """'Database built … · N source files', or why it is not available."""
    if db.database_problem() is not None:
        return _("No database loaded — run `make data`.")
    built = db.meta("built_at")
    n_files = int(db.query("SELECT count(*) AS n FROM sources")["n"].iloc[0])
    n_sets = int(db.query("SELECT count(DISTINCT dataset) AS n FROM sources")["n"].iloc[0])
    return _("Database built {built} from {n_sets} datasets ({n_files} source files). "
             "Every figure names its source; see *Data & sources*.").format(
        built=formatting.timestamp(built[:16]) if built else _("unknown"), n_sets=n_sets,
        n_files=n_files)


def guarded(run: Callable[[], object], name: str) -> None:
    """Run a page; an unexpected error shows a short apology with a reference, and the
    traceback goes to the server log under that reference, never to the visitor."""
    try:
        run()
    except Exception:  # st.stop()/st.rerun() raise BaseExceptions, which pass through
        ref = secrets.token_hex(4)
        log.exception("page %s failed (reference %s)", name, ref)
        st.error(_("Something went wrong while drawing this page. Please try again later; "
                   "if it keeps happening, report reference {ref}.").format(ref=ref),
                 icon=":material/error:")


# Embed mode (?chart=<id>): that chart alone, no navigation, sidebar or footer.
if embed.requested():
    st.navigation(PAGES, position="hidden")
    render.page_style()  # the phone layout: embeds are often narrow
    guarded(embed.render, "embed")
    st.stop()

page = st.navigation(PAGES)
render.page_style()  # visible keyboard focus and the phone layout

with st.sidebar:
    st.markdown("**" + _("Human trafficking statistics") + "**")
    st.caption(_(
        "Open data on trafficking in persons: US TIP report tiers, global estimates and "
        "screening figures, each traced to its publisher."))
    language.switch()


guarded(page.run, page.url_path or "overview")

st.divider()
st.caption(_footer_text())
