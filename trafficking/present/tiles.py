"""What the pages show beside their charts (metric tiles, lists of facts, table frames), shaped
from query results by plain functions: frames in, values out, no Streamlit. Every string that
comes from the data is escaped here with ``md_plain``, because pages render these as Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from trafficking import db, formatting, places, style
from trafficking.i18n import N_, _
from trafficking.present.text_tiers import with_regions
from trafficking.queries import responses
from trafficking.queries import tiers as tq
from trafficking.queries.catalogue import name_key


@dataclass(frozen=True)
class Tile:
    """One ``st.metric``: label, value, and the optional delta and help."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None


# --- Global estimates (their words: present/text_estimates.py) -------------------------
def with_shown(rows: pd.DataFrame) -> pd.DataFrame:
    """Quoted figures with ``shown``: each value as the page states it ('≈ 25 million')."""
    return rows.assign(shown=[formatting.estimate(v, k, qq) for v, k, qq in
                              zip(rows["value"], rows["kind"], rows["qualifier"], strict=True)])


def not_on_map(names: dict[str, str], markers: pd.DataFrame) -> str:
    """Names of the places a map cannot draw (no shape and no marker position), or ''."""
    lost = markers.loc[markers["lon"].isna(), "iso3"]
    return _(", ").join(names.get(c, c) for c in lost)


# --- TIP tiers ----------------------------------------------------------------------------------
def unresolved_count(panel: pd.DataFrame, year: int) -> int:
    """Placements of ``year`` known only as 'Tier 1 or 2'."""
    return int((panel.loc[panel["report_year"] == year, "tier"] == style.UNRESOLVED).sum())


def movement_tiles(moves: pd.DataFrame) -> list[Tile]:
    counts = moves["movement"].value_counts()
    return [
        Tile(_("Upgraded"), str(int(counts.get("upgrade", 0)))),
        Tile(_("Downgraded"), str(int(counts.get("downgrade", 0)))),
        Tile(_("Not comparable or unclear"),
             str(int(counts.get("unclear", 0) + counts.get("not comparable", 0))),
             help=_("'Unclear': one of the two years is 'Tier 1 or 2 (unresolved)' and the "
                    "other is Tier 1 or Tier 2. 'Not comparable': a Special Case on either "
                    "side.")),
    ]


# ``queries.tiers.classify_movement``'s values, as the movements table words them.
MOVEMENTS = {"upgrade": N_("upgrade"), "downgrade": N_("downgrade"), "unclear": N_("unclear"),
             "not comparable": N_("not comparable")}


def _named(frame: pd.DataFrame, by: list[str], ascending: list[bool] | None = None
           ) -> pd.DataFrame:
    """``frame`` with jurisdictions and regions in the reader's language, ordered by ``by``
    (``name`` as a reader looks it up: a Chinese table in Chinese order, not the English
    names')."""
    named = with_regions(places.localise(frame, "iso3", "name"))
    return named.sort_values(by, ascending=ascending or True, kind="stable",
                             key=lambda c: c.map(name_key) if c.name == "name" else c)


def moved(moves: pd.DataFrame) -> pd.DataFrame:
    """The jurisdictions whose tier changed, with both tiers' labels and the movement in the
    reader's words."""
    return _named(moves[moves["movement"] != "no change"], ["movement", "name"]).assign(
        name_prev=lambda f: f["previous_tier"].map(style.tier_label),
        name_now=lambda f: f["tier"].map(style.tier_label),
        movement=lambda f: f["movement"].map(lambda m: _(MOVEMENTS.get(m, m))))


_RESPONSE_TEXT = ["response_date", "response_stance", "response_quote", "response_figures",
                  "response_publisher", "response_others"]


def timeline_table(hist: pd.DataFrame) -> pd.DataFrame:
    """The timeline's rows for its values table: a placement without a government response
    shows blanks, and a statement's address only when it is http(s)."""
    out = places.localise(hist, "iso3", "name").assign(
        response_url=hist["response_url"].map(responses.safe_url),
                      **{c: hist[c].fillna("") for c in _RESPONSE_TEXT})
    # The stance is this project's word (rejects, welcomes, notes): in the reader's language.
    return out.assign(response_stance=out["response_stance"].map(_))


def watch_streaks(streaks: pd.DataFrame) -> pd.DataFrame:
    """Jurisdictions on the Watch List for two or more consecutive reports (regions in the
    reader's language)."""
    return _named(streaks[streaks["consecutive_years"] >= 2], ["consecutive_years", "name"],
                  [False, True])


# --- Overview -------------------------------------------------------------------------------------
def holdings_tiles(held: dict) -> list[Tile]:
    """What the database holds: jurisdictions, reports, datasets, values, last refresh."""
    # The build time in the reader's date layout (``formatting``), 'unknown' without one.
    built = held["built_at"]
    day, when = ((formatting.date(built), formatting.timestamp(built)) if built else
                 (_("unknown"), _("unknown")))
    return [
        Tile(_("Jurisdictions with a TIP tier"), str(int(held["tier_places"] or 0))),
        Tile(_("TIP reports"), f"{held['first_report']}–{held['last_report']}"
             if held["first_report"] is not None else _("none")),
        Tile(_("Source datasets"), str(int(held["datasets"])),
             help=_("{n} raw files").format(n=held["files"])),
        Tile(_("Statistical values"), formatting.count(held["values"]),
             help=_("{indicators} indicators from non-tier sources, {places} "
                    "jurisdictions").format(indicators=held["indicators"],
                                            places=held["value_places"])),
        Tile(_("Last refresh"), day, help=_("Database built {built}.").format(built=when)),
    ]


def tier_tiles(this: pd.DataFrame) -> list[Tile]:
    """One tile per tier of one report (the unresolved range only in a year that has one)."""
    counts = this["tier"].value_counts()
    shown = [t for t in style.TIER_ORDER if t != style.NOT_RANKED
             and (t != style.UNRESOLVED or counts.get(t, 0))]
    return [Tile(style.tier_label(t), str(int(counts.get(t, 0)))) for t in shown]


def _bold(n: object) -> str:
    """A number in bold (Markdown kept out of the translated sentences)."""
    return f"**{n}**"


def _per_tier(counts: pd.Series) -> str:
    """'3 Tier 2, 1 Tier 3' in tier order, tiers in the reader's language."""
    return _(", ").join(_("{n} {tier}").format(n=int(counts[t]), tier=style.tier_label(t))
                     for t in style.TIER_ORDER if counts.get(t, 0))


def report_facts(panel: pd.DataFrame, latest: int, years: list[int]) -> list[str]:
    """The latest report at a glance, as Markdown lines; how each placement was established
    comes from ``tip_tiers.method`` / ``.secondary``, which the ETL writes."""
    this = panel[panel["report_year"] == latest]
    counts = this["tier"].value_counts()
    facts = []
    by_elim = panel[panel["method"] == "elimination"]
    n_elim = int((this["method"] == "elimination").sum())
    resolved = dict(n=_bold(int(this["resolved"].sum())), total=len(this), year=latest)
    facts.append(_("{n} of the {total} placements in {year} are resolved to one tier; {elim} of "
                   "them are derived by elimination (ranked that year and on none of the other "
                   "tiers' complete lists).").format(elim=_bold(n_elim), **resolved) if n_elim
                 else _("{n} of the {total} placements in {year} are resolved to one tier; none "
                        "is derived by elimination: a source states each one.").format(
                            **resolved))
    if len(by_elim) > n_elim:
        per = by_elim[by_elim["report_year"] != latest].groupby(["report_year", "tier"]).size()
        facts.append(_("Earlier reports with placements derived by elimination: {list}.").format(
            list=_(", ").join(_("{year}: {n} {tier}").format(
                year=int(y), n=_bold(int(n)), tier=style.tier_label(tier))
                for (y, tier), n in per.items())))
    sec = this[this["secondary"].fillna(False).astype(bool)]
    if len(sec):
        facts.append(_(
            "{n} placements ({split}) rest on a secondary compilation: a third party's "
            "transcription of the {year} report, ranked below every primary page and used only "
            "where no stored page states the placement. Hover on the map says which.").format(
                n=_bold(len(sec)), split=_per_tier(sec["tier"].value_counts()), year=latest))
    if latest - 1 in years:
        moves = tq.movements(panel, latest)["movement"].value_counts()
        ranges = panel["report_year"].isin([latest - 1, latest]) & (panel["method"] == "range")
        moved_n = dict(down=_bold(int(moves.get("downgrade", 0))),
                       up=_bold(int(moves.get("upgrade", 0))), previous=latest - 1)
        facts.append(_("{down} jurisdictions were downgraded and {up} upgraded against the "
                       "{previous} report (moves that the unresolved 'Tier 1 or 2' rows leave "
                       "uncertain are not counted).").format(**moved_n) if ranges.any() else
                     _("{down} jurisdictions were downgraded and {up} upgraded against the "
                       "{previous} report.").format(**moved_n))
    streaks = tq.watch_list_streaks(panel, latest)
    facts.append(_("{n} of the {total} jurisdictions on the Tier 2 Watch List in {year} have "
                   "been on it for two or more consecutive reports.").format(
                       n=_bold(len(watch_streaks(streaks))), total=len(streaks), year=latest))
    if counts.get(style.UNRESOLVED, 0):
        facts.append(_(
            "For {n} jurisdictions the sources say only 'Tier 1 or Tier 2' for this year: the "
            "Watch List and Tier 3 lists are complete, the split between Tier 1 and Tier 2 is "
            "not in any stored source. They are shown as unresolved, never as a "
            "guess.").format(n=_bold(int(counts[style.UNRESOLVED]))))
    return facts


def year_span(first: object, last: object) -> str:
    """'2001–2025', '2019' or '—' (no year)."""
    if pd.isna(first):
        return "—"
    return f"{int(first)}–{int(last)}" if first != last else str(int(first))


def with_year_spans(inds: pd.DataFrame) -> pd.DataFrame:
    return inds.assign(years=[year_span(a, b) for a, b in
                              zip(inds["first_year"], inds["last_year"], strict=True)])


@dataclass(frozen=True)
class Glance:
    """The latest TIP report at a glance (the overview): its year, how many placements, the
    tier tiles and the facts."""

    year: int
    placements: int
    tiles: list[Tile]
    facts: list[str]


@db.per_file(maxsize=4, by_language=True)
def glance() -> Glance | None:
    """``Glance`` of the latest report (None without tiers), once per database file and
    language: the facts walk the whole panel (issue 14: most of the overview's rerun)."""
    years = tq.report_years()
    if not years:
        return None
    panel = tq.panel()
    this = panel[panel["report_year"] == years[-1]]
    return Glance(years[-1], len(this), tier_tiles(this), report_facts(panel, years[-1], years))
