"""One look for every chart: a Plotly template, the tier palette, and the source-note helper.

The tier palette, labels and orders come from ``trafficking.vocabulary`` (the one definition,
shared with the ETL). 'Tier 1 or 2' also gets a hatch where Plotly allows, so it is never read
as a guessed tier.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from trafficking import geo, vocabulary
from trafficking.i18n import _

FONT_FAMILY = "Source Sans, Source Sans Pro, Helvetica Neue, Arial, sans-serif"
INK = "#262730"
MUTED = "#5f6368"

UNRESOLVED = vocabulary.UNRESOLVED
NOT_RANKED = vocabulary.NOT_RANKED

# Views of the one tier vocabulary (trafficking/vocabulary.py), in legend order.
TIER_ORDER: tuple[str, ...] = vocabulary.LEGEND_ORDER
TIER_COLORS: dict[str, str] = {t: vocabulary.color(t) for t in TIER_ORDER}
TIER_LABELS: dict[str, str] = {t: vocabulary.label(t) for t in TIER_ORDER}
TIER_SHORT: dict[str, str] = {t: vocabulary.short(t) for t in TIER_ORDER}
# Hatch for the unresolved range wherever a trace supports marker.pattern (bars).
UNRESOLVED_PATTERN = {"shape": "/", "fgcolor": "#5B6B7C", "size": 6, "solidity": 0.3}


def tier_label(tier: str | None) -> str:
    """The label shown to readers, in this run's language ('Tier 1 or 2' is always marked as
    unresolved)."""
    return _(vocabulary.label(tier))


def tier_color(tier: str | None) -> str:
    return vocabulary.color(tier)


TEMPLATE_NAME = "trafficking"
TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 14, "color": INK},
        title={"font": {"size": 18}, "x": 0, "xanchor": "left"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
                  "#000000"],
        xaxis={"showgrid": False, "linecolor": "#9e9e9e", "ticks": "outside",
               "tickcolor": "#9e9e9e", "zeroline": False},
        yaxis={"gridcolor": "#ececec", "linecolor": "#9e9e9e", "zeroline": False},
        legend={"bgcolor": "rgba(255,255,255,0.85)", "borderwidth": 0},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}},
        margin={"l": 10, "r": 10, "t": 50, "b": 70},
    )
)
pio.templates[TEMPLATE_NAME] = TEMPLATE
# Merged once under its own name: a "plotly_white+trafficking" default is re-merged for every
# figure built (~0.17 s each, seconds on a page of sparklines).
pio.templates["plotly_white_" + TEMPLATE_NAME] = pio.templates.merge_templates("plotly_white",
                                                                              TEMPLATE)
pio.templates.default = "plotly_white_" + TEMPLATE_NAME
# Static image export (kaleido) reads map geometry from the local copy, never from the CDN.
geo.configure_image_export()


SOURCE_NOTE = "source-note"  # the annotation's name, for code that replaces the note
# Wrap widths in display units (a Chinese character counts two). Plotly does not wrap text.
NOTE_CHARS = 120  # fits a chart about 780 px wide at 11 px
# The title on the 358 px a 390 px phone leaves a chart, at the size PHONE_CSS gives it there
# (15 px, ~7.5 px a unit): one figure serves every screen width.
TITLE_CHARS = 44
NOTE_LINE_PX = 14
TITLE_LINE_PX = 24
LEGEND_ROW_PX = 24
PHONE_LEGEND_PX = 330  # room for a horizontal legend's rows on a 390 px phone
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
UNTITLED_TOP_PX = 34  # top margin of an untitled figure once its legend has gone below
UNWRAPPED_TITLE = "title_before_fit"  # key in layout.meta: see fit
# Runs of CJK (each character its own token: Chinese text breaks between any two), other runs
# of non-space characters, and spaces.
# Line-breaking rules (kinsoku): no line starts with closing punctuation ("）" or "、" alone on a
# line), none ends with an opening bracket ("《" with its title on the next line).
_NO_START = frozenset("）」』》〉】〕、。，．：；！？)]}”’%")
_NO_END = frozenset("（「『《〈【〔([{“‘")
_TOKEN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff"
                    r"\uf900-\ufaff\uff00-\uffef]+|\s+")


def units(text: str) -> int:
    """Display width of ``text``: two units for a wide (CJK) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` (one line, no tags) in lines of at most ``width`` display units, broken at
    spaces and between Chinese characters; a single longer word stays whole."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(str(text).split())):
        if token.isspace():
            if line:
                line += " "
            continue
        if line.strip() and units(line + token) > width and token[0] not in _NO_START:
            # An opening bracket goes down with the word it opens.
            keep = line.rstrip()
            carry = ""
            while keep and keep[-1] in _NO_END:
                keep, carry = keep[:-1], keep[-1] + carry
            if keep.strip():
                lines.append(keep.rstrip())
                line = carry
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def source_note(fig: go.Figure, text: str, width: int = NOTE_CHARS) -> go.Figure:
    """Write ``text`` ('Source: ...') inside the figure, under the plot, so exports carry it.

    Long notes wrap every ``width`` characters rather than run off the edge, and the bottom
    margin grows to hold them below the x-axis title, if there is one. The text names
    publishers and titles from source files, so it is escaped: Plotly renders tags in
    annotations.
    """
    flat = " ".join(str(text).replace("<br>", " ").split())
    lines = [html.escape(line, quote=False) for line in wrap(flat, width)] or [""]
    axis_title = 24 if fig.layout.xaxis.title.text else 0
    note_px = NOTE_LINE_PX * len(lines)
    bottom = max(fig.layout.margin.b or 0, 52 + axis_title + note_px)
    fig.add_annotation(
        text="<br>".join(lines), name=SOURCE_NOTE, showarrow=False, xref="paper", yref="paper",
        x=0, y=0, xanchor="left", yanchor="top", yshift=-(bottom - note_px - 8), align="left",
        font={"size": 11, "color": MUTED},
    )
    fig.update_layout(margin={"b": bottom})
    return fig


# Traces that never draw a legend entry unless asked (they carry a colour bar instead).
_NO_LEGEND = {"heatmap", "choropleth", "choroplethmap", "choroplethmapbox", "contour",
              "histogram2d", "histogram2dcontour"}


def _legend_entries(fig: go.Figure) -> list[str]:
    shown = [t for t in fig.data if t.showlegend is not False and t.visible is not False
             and (t.showlegend or t.type not in _NO_LEGEND)]
    if fig.layout.showlegend is False or (len(shown) < 2 and not fig.layout.showlegend):
        return []
    return [plain(t.name or "") for t in shown]


def plain(text: str) -> str:
    return " ".join(_BR.sub(" ", re.sub(r"<(?!br)[^>]*>", "", str(text))).split())


def _legend_rows(fig: go.Figure, entries: list[str]) -> int:
    """Rows a horizontal legend takes at a phone's width (symbol 40 px + ~7 px a unit)."""
    size = fig.layout.legend.font.size or 14
    title = fig.layout.legend.title.text
    widths = [40 + units(e) * size / 2 + 10 for e in entries]
    if title:
        widths.insert(0, units(plain(title)) * size / 2 + 10)
    rows, used = 1, 0.0
    for w in widths:
        if used and used + w > PHONE_LEGEND_PX:
            rows, used = rows + 1, 0.0
        used += w
    return rows


def _legend_placed_below(fig: go.Figure) -> bool:
    legend = fig.layout.legend
    if legend.yref == "container":
        return legend.y is not None and legend.y < 0.5
    return legend.y is not None and (legend.y < 0 or legend.y == 0 and legend.yanchor == "top")


def fit(fig: go.Figure) -> go.Figure:
    """One live figure for every screen, from a 390 px phone up (applied to every registered
    chart once it is built; changes ``fig`` in place and returns it):

    - the title wrapped to a phone's width (Plotly does not wrap text);
    - the source note taken out: the page prints the view's source line under the chart,
      where it wraps at any width (a note inside the figure starts at the plot's left edge,
      right of long tick labels, and runs off a phone's screen), and exports draw their own
      footer;
    - a legend beside or above the plot made horizontal and pinned under it, where it never
      meets the title however many rows it wraps into.

    The plot area keeps the size its builder chose: each change adds or removes its own
    height.
    """
    layout = fig.layout
    t = layout.margin.t if layout.margin.t is not None else 50
    b = layout.margin.b if layout.margin.b is not None else 70
    height = layout.height or 450
    title = layout.title.text
    lines: list[str] = []
    if title:
        lines = [line for part in _BR.split(title) for line in wrap(part, TITLE_CHARS)]
        if len(lines) > len(_BR.split(title)):
            layout.title.text = "<br>".join(lines)
            # The builder's own lines, for exports: they wrap to the image's width, and a
            # title wrapped for a phone and again for an image breaks twice (a word alone).
            layout.meta = {**(layout.meta or {}), UNWRAPPED_TITLE: title}
        need = 26 + TITLE_LINE_PX * len(lines)
        if layout.title.yref != "container" and t < need:
            height, t = height + need - t, need
    notes = [a for a in layout.annotations if a.name == SOURCE_NOTE]
    if notes:
        layout.annotations = [a for a in layout.annotations if a.name != SOURCE_NOTE]
        drop = min(b - 30, max(NOTE_LINE_PX * len(_BR.split(a.text or "")) + 8 for a in notes))
        if drop > 0:
            height, b = height - drop, b - drop
    entries = _legend_entries(fig)
    if entries and not _legend_placed_below(fig):
        legend_px = LEGEND_ROW_PX * _legend_rows(fig, entries) + 10
        above = layout.legend.y is None or layout.legend.y >= 0.5
        axis_on_top = any(axis.side == "top" for axis in fig.select_xaxes())
        # The room a legend had above the plot goes, unless tick labels stand there; without
        # a title, enough stays for a panel title over the top panel.
        if above and not axis_on_top:
            need = 26 + TITLE_LINE_PX * len(lines) if lines else UNTITLED_TOP_PX
            if t > need:
                height, t = height - (t - need), need
        height, b = height + legend_px, b + legend_px
        # Pinned to the figure's bottom edge, in pixels whatever height the page gives the
        # figure (a phone's map is shorter). Just below 0 rather than 0: export.decorate reads
        # a negative y as "a legend under the plot" and drops the room kept for it.
        layout.legend.update(orientation="h", x=0, xanchor="left", xref="paper",
                             yref="container", y=-1e-6, yanchor="bottom", valign="top")
    if layout.legend.orientation == "h" and entries:
        # Left-aligned, a horizontal legend wraps its rows inside the figure; centred or
        # right-aligned, a phone cuts its wider rows at both edges.
        layout.legend.update(x=0, xanchor="left")
        if layout.legend.title.text:
            # Above its entries, not beside them: beside, the title's width is not wrapped
            # and the last entries run off a phone's screen.
            layout.legend.title.side = "top"
    layout.margin.t, layout.margin.b, layout.height = t, b, height
    return fig


# The page's own CSS (render.page_style adds it to every page and embed):
# - keyboard focus always visible: Streamlit draws no focus ring on its sidebar and page links,
#   its scrolling main block, the labels of radio buttons and toggles (their inputs are hidden),
#   select boxes, table toolbars, or a table's grid;
# - phones (Streamlit stacks columns below 640 px): smaller chart titles, and world maps as tall
#   as their width needs: a map 358 px wide in the figure's fixed height leaves blank bands
#   above and below it. Streamlit sizes the Plotly layout to its element's height, and its
#   element container keeps the figure's own height unless told otherwise.
PAGE_CSS = """
[data-testid="stSidebarNavLink"]:focus-visible, [data-testid="stMain"] a:focus-visible,
[data-testid="stMain"]:focus-visible, label:has(input:focus-visible),
[data-testid="stSelectbox"] input:focus-visible, [data-testid="stMultiSelect"] input:focus-visible,
[data-testid="stElementToolbar"] button:focus-visible,
[data-testid="stDataFrame"]:has(:focus-visible) {
  outline: 2px solid #0072B2 !important; outline-offset: -2px;
}
@media (max-width: 640px) {
  .js-plotly-plot .gtitle { font-size: 15px !important; }
  [data-testid="stPlotlyChart"]:has(g.geo) { height: calc(56vw + 150px) !important; }
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"] g.geo),
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"] g.geo) > div {
    height: auto !important; flex-basis: auto !important; }
}
"""


def chart_config() -> dict[str, Any]:
    """The plotly.js config every chart gets: offline map geometry, no Plotly logo, and no
    'Download plot as png' in the modebar: its picture of the live figure has no source line
    (the page prints that as text under the chart), so it would be a copy nobody can trace.
    The chart's "Share and download" tools make PNG and SVG with title, sources and build
    date. Zoom, pan and reset stay."""
    return {"topojsonURL": geo.TOPOJSON_URL, "displaylogo": False,
            "modeBarButtonsToRemove": ["toImage"]}
