"""Addresses of the compare and profile pages, so any page can link to them.

The pages read the same parameters back (validated against the database) from
``st.query_params``.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

COMPARE_PAGE = "pages/compare.py"
PROFILE_PAGE = "pages/profile.py"
COMPARE_PATH = "compare"
PROFILE_PATH = "profile"


def profile_params(iso3: str) -> dict[str, str]:
    return {"iso3": iso3.upper()}


def compare_params(areas: Sequence[str], series: Sequence[str] = ()) -> dict[str, str]:
    params = {"areas": ",".join(areas)}
    if series:
        params["indicators"] = ",".join(series)
    return params


def profile_url(iso3: str) -> str:
    """Relative address of a jurisdiction's profile, e.g. 'profile?iso3=HKG'."""
    return f"{PROFILE_PATH}?{urlencode(profile_params(iso3))}"


def compare_url(areas: Sequence[str], series: Sequence[str] = ()) -> str:
    """Relative address of the compare page with places and indicators chosen."""
    return f"{COMPARE_PATH}?{urlencode(compare_params(areas, series), safe=',')}"
