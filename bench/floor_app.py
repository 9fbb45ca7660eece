"""The floor: an otherwise empty Streamlit script that draws saved Plotly figures from memory.

For each page the benchmark saves the figures the page drew (spec and config, byte for
byte as Streamlit sent them). This script draws the same number of figures of the same
size with no database, no queries and no chart building, so "page ÷ floor" is the cost
the page adds on top of what drawing its charts costs at all.

Which page's figures: ``?page=<slug>`` (browser) or ``at.query_params`` (AppTest); the saved
figures live in the folder named by ``BENCH_FLOOR_DIR``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st


@st.cache_resource(show_spinner=False)
def _figures(page: str) -> list[tuple[go.Figure, dict]]:
    # Figures built once, as the dashboard's view cache keeps them: st.plotly_chart validates a
    # dict again on every run (slower than the page, and plotly's validator cache is not safe
    # for sessions building at once), but takes a Figure as it is.
    folder = Path(os.environ.get("BENCH_FLOOR_DIR", "."))
    target = folder / f"{page}.json"
    saved = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else []
    return [(go.Figure(f["spec"]), f) for f in saved]


page = st.query_params.get("page", "")
st.title("Benchmark floor")
for i, (figure, saved) in enumerate(_figures(page)):
    st.plotly_chart(figure, theme="streamlit" if saved.get("theme") else None,
                    config=saved.get("config") or {}, key=f"floor_{i}")
