"""Addresses for a chart: the permalink to its live page view, the embed address, and the
iframe snippet. Values are percent-encoded, so nothing typed into a page can break out of
the address or the snippet's attribute.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from trafficking import i18n
from trafficking.present.view import ChartSpec, is_empty

DEFAULT_BASE = "http://localhost:8501"


def base_url(current: str | None = None, page_paths: tuple[str, ...] = ()) -> str:
    """The app's root address, without a trailing slash.

    ``TRAFFICKING_PUBLIC_URL`` wins (a deployment behind a proxy knows its public name);
    otherwise the address the browser used (``st.context.url``) with the page part removed.
    """
    env = os.environ.get("TRAFFICKING_PUBLIC_URL", "").strip()
    if env:
        return env.rstrip("/")
    if current and current.startswith(("http://", "https://")):
        parts = urlsplit(current)
        path = parts.path.rstrip("/")
        last = path.rsplit("/", 1)[-1] if path else ""
        if last and last in page_paths:
            path = path[: -len(last)].rstrip("/")
        return f"{parts.scheme}://{parts.netloc}{path}"
    return DEFAULT_BASE


def encode(spec: ChartSpec, values: Mapping[str, Any]) -> dict[str, str]:
    """The chart's parameters as address strings (in the spec's order)."""
    out = {}
    for p in spec.params:
        value = values.get(p.name)
        if is_empty(value):
            continue
        out[p.name] = p.encode(value)
    return out


def _language() -> dict[str, str]:
    """``lang`` for an address: a link copied in Chinese opens in Chinese (English, the
    default, is left out)."""
    lang = i18n.language()
    return {} if lang == i18n.DEFAULT else {"lang": lang}


def permalink(spec: ChartSpec, values: Mapping[str, Any], base: str) -> str:
    """The live page showing this view, e.g. ``…/tiers?year=2024``; a chart in a section
    that is built only when open also opens it (``&section=heatmap``)."""
    query = urlencode({**encode(spec, values), **({"section": spec.section} if spec.section
                                                   else {}), **_language()})
    path = f"{base}/{spec.page}" if spec.page else f"{base}/"
    return f"{path}?{query}" if query else path


def embed_url(spec: ChartSpec, values: Mapping[str, Any], base: str) -> str:
    """The chart alone: Streamlit's ``embed=true`` plus our ``chart=<id>``."""
    query = urlencode({"embed": "true", "chart": spec.id, **encode(spec, values),
                       **_language()})
    return f"{base}/?{query}"


def iframe(spec: ChartSpec, values: Mapping[str, Any], base: str, height: int = 640) -> str:
    """An iframe snippet for the embed address (attribute values HTML-escaped)."""
    src = html.escape(embed_url(spec, values, base), quote=True)
    title = html.escape(i18n._(spec.title), quote=True)
    return (f'<iframe src="{src}" title="{title}" width="100%" height="{int(height)}" '
            'style="border:0" loading="lazy"></iframe>')
