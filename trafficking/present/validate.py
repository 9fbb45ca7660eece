"""Address values are user input. Check them against the database and show them safely.

A value that does not check out is dropped and reported in a notice. Notices quote the
value as plain text: clipped (so a 5,000-character value cannot flood the page), stripped
of control characters, and with every Markdown/HTML character escaped, because Streamlit
renders ``st.warning`` bodies as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from trafficking.present.view import Checked, Param
from trafficking.text import md_plain

MAX_SHOWN = 40  # characters of a rejected value quoted back in a notice
MAX_RAW = 2000  # longer raw values are rejected without being parsed


def shown(raw: object, limit: int = MAX_SHOWN) -> str:
    """``raw`` as safe Markdown text: clipped to ``limit`` characters and fully escaped."""
    text = str(raw)
    clipped = text if len(text) <= limit else text[:limit] + "…"
    suffix = "" if len(text) <= limit else f" ({len(text):,} characters)"
    return md_plain(clipped) + suffix


def split_values(raw: Iterable[str]) -> list[str]:
    """The non-empty, stripped parts of one or more 'A,B' address values."""
    parts: list[str] = []
    for value in raw:
        parts += [p.strip() for p in str(value).split(",") if p.strip()]
    return parts


def year_param(options: Callable[[], Sequence[int]], name: str = "year",
               label: str = "report year", default: Callable[[], int] | None = None) -> Param:
    """A single year that must be one the database holds."""

    def check(raw: Sequence[str]) -> Checked:
        if not raw or raw[-1] == "":
            return Checked(None)
        value = str(raw[-1])
        valid = list(options())
        try:
            if len(value) > 12:
                raise ValueError
            year = int(value.strip())
        except ValueError:
            return Checked(None, (f"Ignored {label} “{shown(value)}” in the address: "
                                  "not a year.",))
        if year not in valid:
            span = f"{min(valid)}–{max(valid)}" if valid else "none"
            return Checked(None, (f"Ignored {label} {shown(year)} in the address: the database "
                                  f"has {span}.",))
        return Checked(year)

    return Param(name=name, label=label, check=check,
                 default=default or (lambda: max(options())), encode=str)


def codes_param(options: Callable[[], Iterable[str]], default: Callable[[], list[str]],
                name: str = "jurisdictions", label: str = "jurisdiction code",
                max_n: int = 8) -> Param:
    """A list of ISO-3 codes that must be jurisdictions the database holds."""

    def check(raw: Sequence[str]) -> Checked:
        if sum(len(str(r)) for r in raw) > MAX_RAW:
            return Checked(None, (f"Ignored the {label}s in the address: too long.",))
        known = set(options())
        kept: list[str] = []
        dropped: list[str] = []
        for part in split_values(raw):
            code = part.upper()
            if code in known:
                if code not in kept:
                    kept.append(code)
            else:
                dropped.append(part)
        notices = []
        if dropped:
            notices.append(f"Ignored unknown {label}(s) in the address: "
                           + ", ".join(f"“{shown(d)}”" for d in dropped[:5])
                           + (f" and {len(dropped) - 5} more" if len(dropped) > 5 else "") + ".")
        if len(kept) > max_n:
            notices.append(f"Kept the first {max_n} of {len(kept)} {label}s in the address.")
            kept = kept[:max_n]
        return Checked(kept or None, tuple(notices))

    return Param(name=name, label=label, check=check, default=default, encode=",".join)


def choice_param(name: str, label: str, options: Callable[[], Sequence[str]],
                 default: Callable[[], str | list[str]], multi: bool = False) -> Param:
    """One value (or, with ``multi``, several) from a fixed or database-derived list."""

    def check(raw: Sequence[str]) -> Checked:
        if sum(len(str(r)) for r in raw) > MAX_RAW:
            return Checked(None, (f"Ignored the {label} in the address: too long.",))
        valid = list(options())
        lookup = {v.casefold(): v for v in valid}
        parts = split_values(raw) if multi else ([str(raw[-1]).strip()] if raw and raw[-1] else [])
        kept = [lookup[p.casefold()] for p in parts if p.casefold() in lookup]
        dropped = [p for p in parts if p.casefold() not in lookup]
        notices = ()
        if dropped:
            notices = (f"Ignored unknown {label} in the address: "
                       + ", ".join(f"“{shown(d)}”" for d in dropped[:5]) + ".",)
        if multi:
            return Checked(list(dict.fromkeys(kept)) or None, notices)
        return Checked(kept[0] if kept else None, notices)

    encode = ",".join if multi else str
    return Param(name=name, label=label, check=check, default=default, encode=encode)


FLAG_VALUES = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def flag_param(name: str, label: str) -> Param:
    """An on/off setting (``?log=1``); off by default, written as 1 or 0."""

    def check(raw: Sequence[str]) -> Checked:
        if not raw or str(raw[-1]).strip() == "":
            return Checked(None)
        value = str(raw[-1]).strip().casefold()
        if value in FLAG_VALUES:
            return Checked(FLAG_VALUES[value])
        return Checked(None, (f"Ignored {label} “{shown(raw[-1])}” in the address: use 1 or 0.",))

    return Param(name=name, label=label, check=check, default=lambda: False,
                 encode=lambda v: "1" if v else "0")


def resolve(params: Sequence[Param], raw: dict[str, list[str]]) -> tuple[dict, list[str]]:
    """Values for every parameter (checked address value or default) and the notices."""
    values: dict = {}
    notices: list[str] = []
    for p in params:
        checked = p.check(raw.get(p.name, []))
        notices += checked.notices
        values[p.name] = checked.value if checked.value is not None else p.default()
    return values, notices
