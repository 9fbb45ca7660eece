"""Read widget defaults from the page address (``?year=2024&jurisdictions=HKG,SGP``).

Addresses are user input: every value is checked against what the database holds, and
anything unknown is dropped and reported so the page can say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def parse_year(raw: str | None, valid: Sequence[int], default: int) -> tuple[int, str | None]:
    """(year, notice): the requested year if the database has it, else ``default``."""
    if raw is None or raw == "":
        return default, None
    try:
        year = int(str(raw).strip())
    except ValueError:
        return default, f"Ignored year '{raw}' in the address: not a number."
    if year not in valid:
        return default, (f"Ignored year {year} in the address: the database has report years "
                         f"{min(valid)}–{max(valid)}.")
    return year, None


def parse_codes(raw: Iterable[str], valid: Iterable[str]) -> tuple[list[str], list[str]]:
    """(kept, dropped): ISO-3 codes from one or more 'A,B' values, upper-cased, de-duplicated."""
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
    return kept, dropped
