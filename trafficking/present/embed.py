"""Embed mode: ``?embed=true&chart=<id>&…`` shows one chart with its title, caption and
source line and nothing else (for an iframe on another site)."""

from __future__ import annotations

import streamlit as st

from trafficking.i18n import _
from trafficking.present import registry
from trafficking.present.render import cached_view, require_database, show_chart
from trafficking.present.validate import shown
from trafficking.present.view import plain
from trafficking.text import md_plain


def requested() -> bool:
    return "chart" in st.query_params


def render() -> None:
    """Draw the requested chart alone; an unknown id gets a plain-text notice."""
    require_database()
    chart_id = st.query_params.get("chart", "")
    spec = registry.get(chart_id)
    if spec is None:
        st.warning(_("No chart “{chart}” here. Charts that can be embedded: {charts}.").format(
            chart=shown(chart_id), charts=", ".join(registry.CHARTS)))
        return
    raw = {p.name: st.query_params.get_all(p.name) for p in spec.params}
    values, notices = registry.from_address(chart_id, raw)
    for text in notices:
        st.warning(text, icon=":material/link_off:")
    view = cached_view(chart_id, values)  # built once per database file, as on the pages
    show_chart(view.figure, key=f"embed-{chart_id}")
    st.caption(md_plain(view.caption))
    st.caption(md_plain(plain(view.source_line)))
