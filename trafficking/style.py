"""One look for every chart: a Plotly template, the tier palette, and the source-note helper.

The tier palette, labels and orders come from ``trafficking.vocabulary`` (the one definition,
shared with the ETL). 'Tier 1 or 2' also gets a hatch where Plotly allows, so it is never read
as a guessed tier.
"""

from __future__ import annotations

import html
import textwrap
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
NOTE_CHARS = 120  # wrap width: fits a chart about 780 px wide at 11 px


def source_note(fig: go.Figure, text: str, width: int = NOTE_CHARS) -> go.Figure:
    """Write ``text`` ('Source: ...') inside the figure, under the plot, so exports carry it.

    Long notes wrap every ``width`` characters rather than run off the edge, and the bottom
    margin grows to hold them below the x-axis title, if there is one. The text names
    publishers and titles from source files, so it is escaped: Plotly renders tags in
    annotations.
    """
    flat = " ".join(str(text).replace("<br>", " ").split())
    lines = [html.escape(line, quote=False)
             for line in textwrap.wrap(flat, width, break_on_hyphens=False)] or [""]
    axis_title = 24 if fig.layout.xaxis.title.text else 0
    note_px = 14 * len(lines)
    bottom = max(fig.layout.margin.b or 0, 52 + axis_title + note_px)
    fig.add_annotation(
        text="<br>".join(lines), name=SOURCE_NOTE, showarrow=False, xref="paper", yref="paper",
        x=0, y=0, xanchor="left", yanchor="top", yshift=-(bottom - note_px - 8), align="left",
        font={"size": 11, "color": MUTED},
    )
    fig.update_layout(margin={"b": bottom})
    return fig


def chart_config() -> dict[str, Any]:
    """The plotly.js config every chart gets: offline map geometry, no Plotly logo."""
    return {"topojsonURL": geo.TOPOJSON_URL, "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "scale": 2}}
