"""Address values are user input. Check them against the database and show them safely.

A value that does not check out is dropped and reported in a notice. Notices quote the
value as plain text: clipped (so a 5,000-character value cannot flood the page), stripped
of control characters, and with every Markdown/HTML character escaped, because Streamlit
renders ``st.warning`` bodies as Markdown.

Notices are in the reader's language: a check runs while the page is drawn, after the
language is set, so each notice is translated when it is made (its parameter's ``label`` is
marked ``N_`` where the parameter is defined and translated here). The quoted value goes in
after translation, so it is shown exactly as given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from trafficking import formatting
from trafficking.i18n import N_, _, ngettext
from trafficking.present.view import Checked, Param
from trafficking.text import md_plain

MAX_SHOWN = 40  # characters of a rejected value quoted back in a notice
MAX_RAW = 2000  # longer raw values are rejected without being parsed


def shown(raw: object, limit: int = MAX_SHOWN) -> str:
    """``raw`` as safe Markdown text: clipped to ``limit`` characters and fully escaped."""
    text = str(raw)
    if len(text) <= limit:
        return md_plain(text)
    return _("{text}… ({n} characters)").format(text=md_plain(text[:limit]),
                                                n=formatting.decimal(len(text)))


def quoted(raw: object) -> str:
    """``raw`` in the reader's quotation marks (“…” or 「…」), made safe by ``shown``."""
    return _("“{value}”").format(value=shown(raw))


def listed(values: Sequence[object], most: int = 5) -> str:
    """The first ``most`` values quoted and joined in the reader's language, then how many
    more: '“A”, “B” and 3 more'."""
    text = _(", ").join(quoted(v) for v in values[:most])
    if len(values) > most:
        text = _("{values} and {n} more").format(values=text, n=len(values) - most)
    return text


def unknown(label: str, values: Sequence[object]) -> str:
    """The notice for address values that are not a known ``label`` (an N_-marked noun)."""
    return ngettext("Ignored an unknown {label} in the address: {values}.",
                    "Ignored {n} values in the address that are not a known {label}: {values}.",
                    len(values)).format(label=_(label), values=listed(values), n=len(values))


def too_long(label: str) -> str:
    return _("Ignored the {label} in the address: it is too long.").format(label=_(label))


def split_values(raw: Iterable[str]) -> list[str]:
    """The non-empty, stripped parts of one or more 'A,B' address values."""
    parts: list[str] = []
    for value in raw:
        parts += [p.strip() for p in str(value).split(",") if p.strip()]
    return parts


def year_param(options: Callable[[], Sequence[int]], name: str = "year",
               label: str = N_("report year"), default: Callable[[], int] | None = None) -> Param:
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
            return Checked(None, (_("Ignored the {label} {value} in the address: it is not a "
                                    "year.").format(label=_(label), value=quoted(value)),))
        if year not in valid:
            if not valid:
                return Checked(None, (_("Ignored the {label} {value} in the address: the "
                                        "database holds none.").format(label=_(label),
                                                                       value=shown(year)),))
            return Checked(None, (_("Ignored the {label} {value} in the address: the database "
                                    "holds {first}–{last}.").format(
                label=_(label), value=shown(year), first=min(valid), last=max(valid)),))
        return Checked(year)

    return Param(name=name, label=label, check=check,
                 default=default or (lambda: max(options())), encode=str)


def codes_param(options: Callable[[], Iterable[str]], default: Callable[[], list[str]],
                name: str = "jurisdictions", label: str = N_("jurisdiction code"),
                max_n: int = 8) -> Param:
    """A list of ISO-3 codes that must be jurisdictions the database holds."""

    def check(raw: Sequence[str]) -> Checked:
        if sum(len(str(r)) for r in raw) > MAX_RAW:
            return Checked(None, (too_long(label),))
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
            notices.append(unknown(label, dropped))
        if len(kept) > max_n:
            notices.append((_("Kept the first of the {n} values the address gives for {label}.")
                            if max_n == 1 else
                            _("Kept the first {max_n} of the {n} values the address gives for "
                              "{label}.")).format(max_n=max_n, n=len(kept), label=_(label)))
            kept = kept[:max_n]
        return Checked(kept or None, tuple(notices))

    return Param(name=name, label=label, check=check, default=default, encode=",".join)


def choice_param(name: str, label: str, options: Callable[[], Sequence[str]],
                 default: Callable[[], str | list[str]], multi: bool = False) -> Param:
    """One value (or, with ``multi``, several) from a fixed or database-derived list."""

    def check(raw: Sequence[str]) -> Checked:
        if sum(len(str(r)) for r in raw) > MAX_RAW:
            return Checked(None, (too_long(label),))
        valid = list(options())
        lookup = {v.casefold(): v for v in valid}
        parts = split_values(raw) if multi else ([str(raw[-1]).strip()] if raw and raw[-1] else [])
        kept = [lookup[p.casefold()] for p in parts if p.casefold() in lookup]
        dropped = [p for p in parts if p.casefold() not in lookup]
        notices = (unknown(label, dropped),) if dropped else ()
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
        return Checked(None, (_("Ignored the {label} {value} in the address: use 1 or 0.").format(
            label=_(label), value=quoted(raw[-1])),))

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
