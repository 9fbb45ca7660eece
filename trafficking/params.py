"""Read widget defaults from the page address (``?year=2024&jurisdictions=HKG,SGP``).

Addresses are user input: every value is checked against what the database holds, and
anything unknown is dropped and reported so the page can say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from trafficking.present.validate import shown

MAX_DROPPED = 5  # rejected values quoted back; the rest are counted


def parse_year(raw: str | None, valid: Sequence[int], default: int) -> tuple[int, str | None]:
    """(year, notice): the requested year if the database has it, else ``default``."""
    if raw is None or raw == "":
        return default, None
    try:
        year = int(str(raw).strip())
    except ValueError:
        return default, f"Ignored year “{shown(raw)}” in the address: not a number."
    if year not in valid:
        return default, (f"Ignored year {year} in the address: the database has report years "
                         f"{min(valid)}–{max(valid)}.")
    return year, None


def parse_codes(raw: Iterable[str], valid: Iterable[str]) -> tuple[list[str], list[str]]:
    """(kept, dropped): ISO-3 codes from one or more 'A,B' values, upper-cased, de-duplicated.

    ``dropped`` is for showing: each value clipped and Markdown-escaped (``validate.shown``),
    at most ``MAX_DROPPED`` of them plus a count of the rest.
    """
    known = set(valid)
    kept: list[str] = []
    dropped: list[str] = []
    for value in raw:
        for part in str(value).split(","):
            code = part.strip().upper()
            if not code:
                continue
            if code in known:
                if code not in kept:
                    kept.append(code)
            else:
                dropped.append(part.strip())
    shown_dropped = [shown(d) for d in dropped[:MAX_DROPPED]]
    if len(dropped) > MAX_DROPPED:
        shown_dropped.append(f"and {len(dropped) - MAX_DROPPED:,} more")
    return kept, shown_dropped
