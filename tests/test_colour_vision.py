"""The tier colours (trafficking/vocabulary.py) stay apart for the common colour-vision
deficiencies: each is simulated at full severity with colorspacious (Machado et al. 2009) and
every pair of tier colours shown together must differ by at least ``MIN_DELTA_E`` in CAM02-UCS.
The README's accessibility section lists the measured minima; this test keeps it true."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from colorspacious import cspace_convert

from trafficking import vocabulary

ROOT = Path(__file__).resolve().parent.parent
# Below about 10 CAM02-UCS units two flat fills of a map or bar are easily confused; the
# closest pair of any simulated vision is kept above it.
MIN_DELTA_E = 10.0
# The map shows every tier and the 'Not ranked' land together; the heatmap and the counts every
# tier. So every pair of the vocabulary's colours counts.
SHOWN_TOGETHER = (*vocabulary.TIERS, vocabulary.NOT_RANKED_TIER)
VISIONS = {"typical": None, "deuteranopia": "deuteranomaly", "protanopia": "protanomaly",
           "tritanopia": "tritanomaly"}


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])


def _seen(hex_colour: str, cvd: str | None) -> np.ndarray:
    rgb = _rgb(hex_colour)
    if cvd:
        space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
        rgb = np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def closest_pair(cvd: str | None) -> tuple[float, str, str]:
    """The smallest CAM02-UCS difference between two tier colours as seen with ``cvd``."""
    return min((float(np.linalg.norm(_seen(a.color, cvd) - _seen(b.color, cvd))), a.name, b.name)
               for a, b in itertools.combinations(SHOWN_TOGETHER, 2))


@pytest.mark.parametrize("vision", list(VISIONS))
def test_tier_colours_stay_apart(vision: str) -> None:
    delta, a, b = closest_pair(VISIONS[vision])
    assert delta >= MIN_DELTA_E, f"{vision}: {a} and {b} differ by {delta:.1f}"


def test_readme_states_the_measured_minima() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"at least {MIN_DELTA_E:.0f}" in readme
    for vision, cvd in VISIONS.items():
        delta, a, b = closest_pair(cvd)
        row = f"| {vision} | {delta:.1f} | {vocabulary.label(a)} – {vocabulary.label(b)} |"
        assert row in readme, row
