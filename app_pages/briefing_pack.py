"""Briefing pack: the charts added this session, as one offline HTML file or a set of PNGs."""

from __future__ import annotations

import streamlit as st

from trafficking.i18n import N_, _, ngettext
from trafficking.present import briefing, export, registry, render, sources
from trafficking.present import pack as pack_state
from trafficking.present import widgets as ui
from trafficking.present.view import plain
from trafficking.text import md_plain

render.require_database()

INTRO = N_(
    "Charts you add with 'Add to briefing pack' on any page collect here. Download them as one "
    "HTML file that opens with no internet, prints one chart per page, and gives each chart's "
    "caption, sources and the link back to its live view.")
EMPTY = N_("The pack is empty. Open a chart page and press 'Add to briefing pack' under a "
           "chart.")

st.title(_("Briefing pack"))
st.markdown(_(INTRO))

# The pack lives in the session and in the address (?pack=…), so the page can be shared.
items = render.pack()
if "pack_restored" not in st.session_state:
    st.session_state["pack_restored"] = True
    restored, notices = pack_state.parse(st.query_params.get_all("pack"))
    for text in notices:
        st.warning(text, icon=":material/link_off:")
    for entry in restored:
        if entry not in items and len(items) < render.MAX_PACK:
            items.append(entry)

with st.expander(_("Add a chart directly"), icon=":material/add_chart:"):
    chart_id = ui.selectbox(_("Chart"), list(registry.CHARTS),
                            format_func=lambda c: _(registry.CHARTS[c].title), key="pack_pick")
    st.caption(_("Added with its default settings; open the chart's page to choose others."))
    if st.button(_("Add"), key="pack_add", disabled=len(items) >= render.MAX_PACK):
        render.add_to_pack(chart_id, registry.view_defaults(chart_id))
        st.rerun()

if not items:
    st.info(_(EMPTY), icon=":material/playlist_add:")
    render.write_pack([])
    st.stop()

render.write_pack(items)
base = render.base_url()
built = sources.built_at()
views = pack_state.build(items, base)

st.subheader(ngettext("{n} chart", "{n} charts", len(views)).format(n=len(views)))
for i, item in enumerate(views):
    c1, c2, c3 = st.columns([7, 1.2, 1.5])
    c1.markdown(pack_state.heading(i + 1, item.view))
    c1.caption(md_plain(plain(item.view.source_line)))
    c1.page_link(item.permalink, label=_("Open the live view"), icon=":material/open_in_new:")
    c2.button(_("Up"), key=f"pack_up_{i}", disabled=i == 0, on_click=pack_state.move,
              args=(items, i, -1), icon=":material/arrow_upward:")
    c3.button(_("Remove"), key=f"pack_rm_{i}", on_click=pack_state.remove, args=(items, i),
              icon=":material/delete:")

st.divider()
d1, d2, d3 = st.columns(3)
d1.download_button(
    _("Download briefing (HTML)"),
    data=lambda: briefing.html_pack(views, built).encode("utf-8"),
    file_name="briefing-pack.html", mime="text/html", key="pack_html", on_click="ignore",
    type="primary", icon=":material/download:",
    help=_("One file: charts stay interactive, work offline and print one per page."))
can_draw = export.chromium_path() is not None
d2.download_button(
    _("Download PNG set (zip)"), data=lambda: briefing.png_zip(views, built),
    file_name="briefing-pack-png.zip", mime="application/zip", key="pack_zip",
    on_click="ignore", disabled=not can_draw, icon=":material/photo_library:",
    help=_("1920×1080 PNG and CSV of every chart") if can_draw else
    _("Needs Chromium on the server (/usr/bin/chromium)."))
d3.button(_("Empty the pack"), key="pack_clear", on_click=pack_state.clear, args=(items,),
          icon=":material/delete_sweep:")
st.caption(_("The address of this page holds the pack: copy it to share the same set of "
             "charts."))
