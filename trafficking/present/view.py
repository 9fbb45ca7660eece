"""The records every presenter tool works on: a chart's parameters, its spec and its view."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from trafficking import style

SOURCE_COLUMNS = ["source_id", "publisher", "title", "address", "retrieved_at", "licence"]
_TAG = re.compile(r"<br\s*/?>|<[^>]{0,200}>", re.IGNORECASE)


def is_empty(value: object) -> bool:
    """None, or an empty string/list/tuple (never compares arrays or numpy scalars)."""
    return value is None or (isinstance(value, str | list | tuple) and len(value) == 0)


def plain(text: str) -> str:
    """Figure text (which may hold Plotly's <br>, <b>…) as one plain line."""
    return " ".join(_TAG.sub(" ", str(text)).split())


@dataclass(frozen=True)
class Checked:
    """A parsed address value: ``value`` is None when nothing usable was given."""

    value: Any
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Param:
    """One value a chart takes from the address (``?year=2024``).

    ``check`` validates the raw strings (all values given for ``name``) against the
    database's own values; ``default`` gives the value used when the address has none;
    ``encode`` turns a value back into the string written to the address.
    """

    name: str
    label: str
    check: Callable[[Sequence[str]], Checked]
    default: Callable[[], Any]
    encode: Callable[[Any], str]


@dataclass
class ChartView:
    """Everything a presenter needs about one rendered chart."""

    figure: go.Figure
    data: pd.DataFrame
    caption: str
    source_line: str
    sources: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SOURCE_COLUMNS))
    title: str = ""
    # The chart in one or two sentences, written from its data: shown under the chart, the
    # text alternative of the chart and the description inside exported images.
    summary: str = ""
    # Exactly the plotted values, with readable headings: the chart's "data table" view.
    table: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        # Every chart view, wherever it is built, gets the one layout pass that makes its
        # figure fit a phone as well as a desktop (wrapped title, legend under the plot, the
        # source note as text under the chart). Idempotent.
        if isinstance(self.figure, go.Figure):
            style.fit(self.figure)


@dataclass(frozen=True)
class ChartSpec:
    """A shareable chart: its id in addresses, title, page, parameters and builder."""

    id: str
    title: str
    page: str  # url_path of the page that shows it live ('' = the default page)
    params: tuple[Param, ...]
    build: Callable[[Mapping[str, Any]], ChartView]
    section: str = ""  # the page section it is drawn in ('' = the top view, always built)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)
