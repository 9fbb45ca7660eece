"""The TIP tier vocabulary, defined once: every tier value, its rank, labels, colour and orders.

The ETL (schema CHECK, merge, the ``tiers`` table it writes), the queries, the charts and the
styling all read it from here. This module imports nothing of the project and no third-party
package, so the ETL can import it without the dashboard importing ETL code.

Colours are the Okabe–Ito colour-blind-safe set: the ranked tiers run blue → orange →
vermillion so the order survives red–green colour blindness, and the two "not a placement"
categories are greys. 'Tier 1 or 2' (a range the sources cannot resolve) gets a grey-blue and
its own label, so it is never read as a guessed tier.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:  # noqa: N802 (gettext's "mark for the catalogue, translate later")
    """Mark a label for the message catalogue; pages show it with ``trafficking.i18n._``.
    A local copy: this module imports nothing of the project (the ETL imports it)."""
    return message


@dataclass(frozen=True)
class Tier:
    """One value of ``tip_tiers.tier`` (or the display-only 'Not ranked')."""

    name: str  # the value as stored in the database
    label: str  # what readers see, in English; shown through ``i18n._`` (the catalogue)
    short: str  # heatmap cells and compact tables
    color: str
    # Comparison ranks, lower is better; a range for 'Tier 1 or 2', None where a placement is not
    # on the scale (Special Case, Not ranked).
    rank_best: int | None
    rank_worst: int | None
    position: float | None  # place on the ordinal tier axis (movements, timeline, sorting)
    legend_order: int  # legends and the map's colour codes
    stack_order: int | None  # bottom to top in stacked bars; None: never stacked
    ranked: bool  # one of the report's four ranked lists
    resolved: bool  # a placement, not a range


TIER_1 = "Tier 1"
TIER_2 = "Tier 2"
WATCH_LIST = "Tier 2 Watch List"
TIER_3 = "Tier 3"
SPECIAL_CASE = "Special Case"
UNRESOLVED = "Tier 1 or 2"
NOT_RANKED = "Not ranked"

# The unresolved range sits between Tier 1 and Tier 2 on the axis, on Tier 2 (below the Watch
# List) in stacked bars, and after every placement in legends.
TIERS: tuple[Tier, ...] = (
    Tier(TIER_1, N_("Tier 1"), "1", "#0072B2", 1, 1, 1.0, 0, 0, True, True),  # Okabe–Ito blue
    Tier(TIER_2, N_("Tier 2"), "2", "#56B4E9", 2, 2, 2.0, 1, 1, True, True),  # sky blue
    Tier(WATCH_LIST, N_("Tier 2 Watch List"), "2WL", "#E69F00", 3, 3, 3.0, 2, 3, True,
         True),  # orange
    Tier(TIER_3, N_("Tier 3"), "3", "#D55E00", 4, 4, 4.0, 3, 4, True, True),  # vermillion
    Tier(SPECIAL_CASE, N_("Special Case"), "SC", "#CC79A7", None, None, 5.0, 4, 5, False, True),
    Tier(UNRESOLVED, N_("Tier 1 or 2 (unresolved)"), "1/2?", "#A9B8C8", 1, 2, 1.5, 5, 2, False,
         False),
)
# Not a database value: what a map or heatmap shows where no source places a jurisdiction.
NOT_RANKED_TIER = Tier(NOT_RANKED, N_("Not ranked / no data"), "", "#E4E4E4", None, None,
                       None, 6, None, False, False)

BY_NAME: dict[str, Tier] = {t.name: t for t in (*TIERS, NOT_RANKED_TIER)}
NAMES: tuple[str, ...] = tuple(t.name for t in TIERS)  # every value tip_tiers.tier may hold
RANKED: tuple[str, ...] = tuple(t.name for t in TIERS if t.ranked)
PLACEMENTS: tuple[str, ...] = tuple(t.name for t in TIERS if t.resolved)  # what a page can state
RANGE: tuple[str, str] = (TIER_1, TIER_2)  # the pair 'Tier 1 or 2' stands for
LEGEND_ORDER: tuple[str, ...] = tuple(
    t.name for t in sorted((*TIERS, NOT_RANKED_TIER), key=lambda t: t.legend_order))
STACK_ORDER: tuple[str, ...] = tuple(
    t.name for t in sorted(TIERS, key=lambda t: t.stack_order or 0) if t.stack_order is not None)
AXIS_ORDER: tuple[str, ...] = tuple(
    t.name for t in sorted(TIERS, key=lambda t: t.position or 0.0))
POSITION: dict[str, float] = {t.name: t.position for t in TIERS if t.position is not None}
RANK_RANGE: dict[str, tuple[int, int]] = {
    t.name: (t.rank_best, t.rank_worst) for t in TIERS
    if t.rank_best is not None and t.rank_worst is not None}


def label(tier: str | None) -> str:
    """The label shown to readers; no placement reads as 'Not ranked / no data'."""
    if tier is None:
        return NOT_RANKED_TIER.label
    found = BY_NAME.get(tier)
    return found.label if found else tier


def color(tier: str | None) -> str:
    return BY_NAME.get(tier or NOT_RANKED, NOT_RANKED_TIER).color


def short(tier: str | None) -> str:
    found = BY_NAME.get(tier or NOT_RANKED)
    return found.short if found else ""
