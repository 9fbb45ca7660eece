"""The briefing pack's list of charts: kept in the session, mirrored in the address as
``?pack=tiers-map:year=2024;tier-timeline:jurisdictions=HKG,SGP`` and checked on the way in
like any other address value. No Streamlit here (the export CLI builds packs too); the
session and the address are written by ``render``.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qs, urlencode

from trafficking.i18n import _
from trafficking.present import links, registry
from trafficking.present.briefing import PackItem
from trafficking.present.validate import MAX_RAW, shown
from trafficking.present.view import ChartView
from trafficking.text import md_plain

MAX_ITEMS = 20


def parse(raw: Sequence[str]) -> tuple[list[dict], list[str]]:
    """Pack entries from ``pack`` address values; unknown charts or values are dropped."""
    entries: list[dict] = []
    notices: list[str] = []
    text = ";".join(str(r) for r in raw)
    if len(text) > MAX_RAW:
        return [], [_("Ignored the pack in the address: too long.")]
    for part in (p for p in text.split(";") if p.strip()):
        chart_id, _sep, query = part.partition(":")
        chart_id = chart_id.strip()
        if chart_id not in registry.CHARTS:
            notices.append(_("Ignored unknown chart “{chart}” in the pack address.").format(
                chart=shown(chart_id)))
            continue
        values, more = registry.from_address(chart_id, parse_qs(query))
        notices += more
        entry = {"chart": chart_id, "params": links.encode(registry.CHARTS[chart_id], values)}
        if entry not in entries and len(entries) < MAX_ITEMS:
            entries.append(entry)
    return entries, notices


def encode(items: Sequence[dict]) -> str:
    return ";".join(f"{e['chart']}:{urlencode(e['params'], safe=',')}" for e in items)


def build(items: Sequence[dict], base: str) -> list[PackItem]:
    """Views for the pack entries (values re-checked against the current database)."""
    out = []
    for e in items:
        spec = registry.CHARTS.get(e["chart"])
        if spec is None:
            continue
        values, _ = registry.from_address(e["chart"], {k: [v] for k, v in e["params"].items()})
        out.append(PackItem(e["chart"], registry.view(e["chart"], values),
                            links.permalink(spec, values, base)))
    return out


def move(items: list[dict], i: int, step: int) -> None:
    j = i + step
    if 0 <= i < len(items) and 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]


def remove(items: list[dict], i: int) -> None:
    if 0 <= i < len(items):
        del items[i]


def clear(items: list[dict]) -> None:
    items.clear()


def heading(n: int, view: ChartView) -> str:
    """A pack entry on the page: its number and title in bold, its caption (Markdown; both
    escaped, they name places and indicators from the data)."""
    return f"**{n}. {md_plain(view.title)}**  \n{md_plain(view.caption)}"
