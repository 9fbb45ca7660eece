"""Sections of a page that are built only when the reader opens them.

Below a page's top view, each section is a collapsed expander that tracks its state: while it is
closed, its queries, figures and tables are never built or sent, so a first visit costs the top
view only. The open sections are written to the address (``?section=heatmap,timeline``), so a
permalink reopens them; an address that carries a parameter only one section uses (e.g.
``?jurisdictions=HKG`` for the timeline) opens that section too, so links made before sections
existed still show what they pointed at.

Usage in a page::

    SECTION = sections.param(("movements", "heatmap"))
    sections.restore(SECTION, "tiers", implied={"heatmap": (REGIONS, SORT)})
    with sections.section("tiers", "heatmap", "All jurisdictions") as shown:
        if shown:
            ...
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st

from trafficking.i18n import N_
from trafficking.present import urlstate
from trafficking.present.validate import choice_param
from trafficking.present.view import Param

NAME = "section"


def param(names: Sequence[str]) -> Param:
    """The page's ``section`` parameter: which of ``names`` are open (none by default)."""
    names = tuple(names)
    return choice_param(NAME, N_("section"), lambda: list(names), default=list, multi=True)


def _key(page: str, name: str) -> str:
    return f"{page}_section_{name}"


def restore(sections: Param, page: str,
            implied: Mapping[str, Sequence[Param]] | None = None) -> list[str]:
    """Open the sections the address names (or implies) on the session's first visit, then
    write the open ones back to the address; returns them."""
    checked = sections.check(urlstate.raw(NAME))
    for text in checked.notices:
        st.warning(text, icon=":material/link_off:")
    wanted = set(checked.value or [])
    for name, params in (implied or {}).items():
        if any(urlstate.raw(p.name) for p in params):
            wanted.add(name)
    for name in wanted:
        st.session_state.setdefault(_key(page, name), True)
    # The reader's own toggles are in the session state (each expander reruns the page).
    prefix = _key(page, "")
    opened = sorted(k[len(prefix):] for k, v in st.session_state.items()
                    if isinstance(k, str) and k.startswith(prefix) and v is True)
    shown = sections.check([",".join(opened)]).value or []
    urlstate.write({sections: shown})
    return shown


@contextmanager
def section(page: str, name: str, label: str) -> Iterator[bool]:
    """A collapsed section; yields whether it is open (build its content only then)."""
    box = st.expander(label, key=_key(page, name), on_change="rerun")
    with box:
        yield bool(box.open)


def tabs(labels: Sequence[str], key: str, default: str | None = None) -> list[tuple[Any, bool]]:
    """Tabs whose content is built only for the selected one: each (tab, is_open). A click on
    another tab reruns the page, which then builds that tab alone (Streamlit otherwise runs
    and sends every tab's content, hidden ones included). ``default``: the label selected on
    a first visit (e.g. the tab an address parameter belongs to)."""
    boxes = st.tabs(list(labels), key=key, on_change="rerun", default=default)
    return [(box, bool(box.open)) for box in boxes]
