"""State in the address: restore widget values from ``st.query_params`` on load, write the
current selections back, so a copied address reopens the same view.

Usage in a page (widget keys on the left, address parameters on the right)::

    urlstate.restore({"tiers_year": registry.YEAR, "tiers_places": registry.PLACES})
    year = st.select_slider(..., key="tiers_year")
    ...
    urlstate.write({registry.YEAR: year, registry.PLACES: chosen})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from trafficking.present.view import Param, is_empty


def raw(name: str) -> list[str]:
    """All values the address gives for ``name`` (``?a=1&a=2`` → ['1', '2'])."""
    return [str(v) for v in st.query_params.get_all(name)]


def restore(bindings: Mapping[str, Param], *, transform: Mapping[str, Any] | None = None
            ) -> list[str]:
    """Seed each widget's session state from the address (checked) or the default.

    Only widgets without a value yet are seeded, so the reader's later changes win. Rejected
    values are reported with ``st.warning`` as escaped, clipped plain text. ``transform``
    maps a widget key to a function applied to the checked value (e.g. int → label).
    """
    notices: list[str] = []
    for key, param in bindings.items():
        if key in st.session_state:
            continue
        checked = param.check(raw(param.name))
        notices += checked.notices
        value = checked.value if checked.value is not None else param.default()
        if transform and key in transform:
            value = transform[key](value)
        st.session_state[key] = value
    for text in notices:
        st.warning(text, icon=":material/link_off:")
    return notices


def write(values: Mapping[Param, Any]) -> None:
    """Write the current selections into the address (empty ones are removed)."""
    for param, value in values.items():
        if is_empty(value):
            if param.name in st.query_params:
                del st.query_params[param.name]
            continue
        text = param.encode(value)
        if st.query_params.get(param.name) != text:
            st.query_params[param.name] = text
