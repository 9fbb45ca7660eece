"""Addresses of the compare and profile pages, so any page can link to them.

Parameter names and encodings are the pages' own ``Param`` declarations
(``specs_compare``, ``specs_profile``), which the pages read back through ``urlstate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from trafficking import pages
from trafficking.present.specs_compare import AREAS, INDICATORS
from trafficking.present.specs_profile import ISO3

COMPARE_PATH = "compare"
PROFILE_PATH = "profile"
COMPARE_PAGE = pages.script(COMPARE_PATH)
PROFILE_PAGE = pages.script(PROFILE_PATH)


def profile_params(iso3: str) -> dict[str, str]:
    return {ISO3.name: ISO3.encode([iso3.upper()])}


def compare_params(areas: Sequence[str], series: Sequence[str] = ()) -> dict[str, str]:
    params = {AREAS.name: AREAS.encode(list(areas))}
    if series:
        params[INDICATORS.name] = INDICATORS.encode(list(series))
    return params


def profile_url(iso3: str) -> str:
    """Relative address of a jurisdiction's profile, e.g. 'profile?iso3=HKG'."""
    return f"{PROFILE_PATH}?{urlencode(profile_params(iso3))}"


def compare_url(areas: Sequence[str], series: Sequence[str] = ()) -> str:
    """Relative address of the compare page with places and indicators chosen."""
    return f"{COMPARE_PATH}?{urlencode(compare_params(areas, series), safe=',')}"


def iso3_from_selection(event: object, valid: set[str] | None = None,
                        by_name: dict[str, str] | None = None) -> str | None:
    """The ISO-3 code of the first clicked country in a Plotly selection event.

    ``st.plotly_chart(fig, on_select=..., selection_mode="points")`` stores an event whose
    ``selection.points`` entries carry ``location`` for a choropleth (checked in Chromium: a
    click on Brazil gives ``{"location": "BRA", ...}``). A marker dot (a place too small to
    click on the map) has no location; its ``customdata[0]`` is the place's name, looked up
    in ``by_name``. Anything else — no click, a code not in ``valid`` — gives None.
    """
    selection = getattr(event, "selection", None)
    if selection is None and isinstance(event, dict):
        selection = event.get("selection")
    points = (selection.get("points") if isinstance(selection, dict)
              else getattr(selection, "points", None)) or []
    for point in points:
        if not isinstance(point, dict):
            continue
        code = point.get("location")
        if not isinstance(code, str) and by_name:
            custom = point.get("customdata")
            if isinstance(custom, list | tuple) and custom and isinstance(custom[0], str):
                code = by_name.get(custom[0])
        if isinstance(code, str) and len(code) == 3 and code.isalpha():
            code = code.upper()
            if valid is None or code in valid:
                return code
    return None
