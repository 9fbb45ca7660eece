"""Shareable charts of the Global estimates page: headlines by edition, the breakdowns (by form,
region, sex and age, others; drawn in the page's lazy ``breakdowns`` section) and the GSI 2023 map.

A breakdown chart draws one kind of figure (counts or shares) of one edition; its ``edition``
defaults to the latest edition that quotes such figures, so an embed without one is never empty.

This is the query-to-view step: the frames the charts draw get their labels in the reader's
language here (measures and editions are our words; quotes, region names as the publishers
wrote them and source ids stay as they are), and every view carries a summary written from the
plotted values and a table of exactly those values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from trafficking import db, formatting, geo, places
from trafficking.charts import estimates as charts
from trafficking.i18n import N_, _
from trafficking.present import sources
from trafficking.present import text_estimates as tx
from trafficking.present.tiles import Tile
from trafficking.present.validate import choice_param, year_param
from trafficking.present.view import ChartSpec, ChartView, Param, plain
from trafficking.queries import estimates as q

GSI_CITATION = "Walk Free 2023, The Global Slavery Index 2023, Minderoo Foundation"


def gsi_source() -> str:
    return _("Source: {citation} (walkfree-gsi-2023). © Minderoo Foundation, used with "
             "attribution.").format(citation=GSI_CITATION)


def edition_name(edition: int) -> str:
    """An edition as the reader reads it ('Global Estimates 2022 edition (2021)')."""
    return _(q.edition_label(edition))


def measure_name(measure: str | None) -> str:
    return _(q.MEASURE_LABELS.get(measure or "", measure or ""))


# The page's frames do not depend on its widgets: built once per database file and language,
# not on every rerun (issue 14: a rerun was 11× the cost of drawing its charts).
@db.per_file(maxsize=8, by_language=True)
def figures() -> pd.DataFrame:
    """``queries.estimates.quoted_figures`` with measure and edition labels and the regions'
    names in the reader's language (the codes beside them are unchanged, so every rule still
    works on them)."""
    frame = q.quoted_figures()
    whole = (frame["area_kind"] == "region") & (frame["breakdown_dim"] == "region")
    regions = [places.name(c, b) if w else b for c, b, w in
               zip(frame["area_code"], frame["breakdown"], whole, strict=True)]
    return frame.assign(measure_label=frame["measure_label"].map(_),
                        edition_label=frame["edition"].map(edition_name), breakdown=regions)


@db.per_file(maxsize=8, by_language=True)
def gsi_countries() -> pd.DataFrame:
    """The GSI 2023 countries (``queries.estimates.gsi_countries``), named in the reader's
    language, Walk Free's regions too."""
    countries = places.localise(q.gsi_countries(), "iso3", "name")
    return countries.assign(gsi_region=countries["gsi_region"].map(
        lambda r: places.group_name(q.GSI_REGION_SCHEME, r) if isinstance(r, str) else r))


def ranked(countries: pd.DataFrame) -> pd.DataFrame:
    """``queries.estimates.ranked`` with its shown figures in the reader's language: 'no
    estimate' and 'not assessed' stay words, never zero."""
    out = q.ranked(countries)

    def text(column: str, missing: str, pattern: str) -> pd.Series:
        return out[column].map(lambda v: _(missing) if pd.isna(v)
                               else formatting.decimal(v, pattern))
    return out.assign(prevalence_text=text("prevalence", "no estimate", "0.0"),
                      number_text=text("number", "no estimate", "#,##0"),
                      vulnerability_text=text("vulnerability", "no score", "0.0"),
                      response_text=text("government_response", "not assessed", "0.0"))


@db.per_file(maxsize=8, by_language=True)
def ranked_countries() -> pd.DataFrame:
    """``ranked`` of every GSI 2023 country."""
    return ranked(gsi_countries())


@db.per_file(maxsize=8, by_language=True)
def headlines() -> pd.DataFrame:
    """``queries.estimates.headlines`` of ``figures``."""
    return q.headlines(figures())


@db.per_file(maxsize=16, by_language=True)
def headline_tiles(series: str) -> list[tuple[int, list[Tile]]]:
    """``text_estimates.headline_tiles`` of one series of editions."""
    heads = headlines()
    return tx.headline_tiles(heads, q.changes(heads), series)


@db.per_file(maxsize=8, by_language=True)
def regional_gaps() -> pd.DataFrame:
    """``queries.estimates.regional_gaps`` with edition, measure, figure and the list of
    regions in the reader's language ('Americas, Arab States', '美洲、阿拉伯國家')."""
    gaps = q.regional_gaps(figures())
    return gaps.assign(edition_label=gaps["edition"].map(edition_name),
                       measure_label=gaps["measure"].map(measure_name),
                       what=gaps["what"].map(_), regions=gaps["regions"].map(_(", ").join))


# Once per database file: the address check calls these on every run of the page, and the
# GSI table is a pivot of ~900 rows (≈ 13 ms a run). Tuples: a cached value is shared.
@db.per_file(maxsize=4)
def _edition_tuple() -> tuple[int, ...]:
    return tuple(sorted(q.quoted_figures()["edition"].dropna().astype(int).unique().tolist()))


@db.per_file(maxsize=4)
def _gsi_tuple() -> tuple[str, ...]:
    return tuple(q.gsi_countries()["iso3"].tolist())


def _editions() -> list[int]:
    return list(_edition_tuple())


def _gsi_codes() -> list[str]:
    return list(_gsi_tuple())


# Address parameters of the Global estimates page (checked against the database).
EDITION = year_param(_editions, name="edition", label=N_("edition"))
COUNTRY = choice_param("country", N_("country code"), _gsi_codes,
                       default=lambda: "HKG" if "HKG" in _gsi_codes() else _gsi_codes()[0])


def quoted_source(frame: pd.DataFrame) -> str:
    """The page's source line for quoted global-estimate figures."""
    return _("Source: ILO / Walk Free / IOM global estimates, figures as quoted on public pages "
             "(datasets {datasets}). Hover for each figure's page and quote.").format(
                 datasets=_(", ").join(sorted(frame["dataset"].unique())))


def _items(rows: pd.DataFrame, label: Callable[[pd.Series], str], kind: str | None = None
           ) -> str:
    """'Forced labour 27.6 million, Forced marriage 22 million' from the rows, in order."""
    return _(", ").join(_("{label} {value}").format(
        label=plain(label(r)), value=formatting.estimate(r["value"], kind or r["kind"],
                                                         r["qualifier"]))
        for _i, r in rows.iterrows())


def headline_summary(heads: pd.DataFrame) -> str:
    """One clause per edition, newest first: 'Global Estimates 2022 edition (2021): Modern
    slavery 49.6 million, …'."""
    if heads.empty:
        return _("No global totals in the database.")
    order = {m: i for i, m in enumerate(q.MEASURE_LABELS)}
    ordered = heads.assign(_m=heads["measure"].map(order)).sort_values(
        ["edition", "_m"], ascending=[False, True])
    parts = [_("{edition}: {figures}").format(
        edition=edition_name(e), figures=_items(grp, lambda r: r["measure_label"], "count"))
        for e, grp in ordered.groupby("edition", sort=False)]
    return _("{editions}. Editions are not a time series: methods changed between them.").format(
        editions=_("; ").join(parts))


def headline_table(heads: pd.DataFrame) -> pd.DataFrame:
    """The headline bars: edition, measure, the bar's height and its label."""
    return pd.DataFrame({
        _("Edition"): heads["edition_label"], _("Measure"): heads["measure_label"],
        _(charts.AXIS["count"]): heads["value"] / 1e6,
        _("Figure as quoted"): [formatting.estimate(v, "count", x) for v, x in
                                zip(heads["value"], heads["qualifier"], strict=True)],
    }).reset_index(drop=True)


def _headlines(v: Mapping[str, Any]) -> ChartView:
    del v
    frame = figures()
    heads = q.headlines(frame)
    line = quoted_source(frame)
    caption = _("Headline estimates of each edition as public pages quote them. Editions are "
                "not a time series: the publishers revised their methods between editions.")
    cols = ["edition", "series", "measure_label", "year", "value", "qualifier", "unit",
            "source_id", "cited_url", "quote"]
    ordered = heads.sort_values(["edition", "measure"])
    return ChartView(charts.headline_chart(heads, line), heads[cols], caption, line,
                     sources.rows(heads["source_id"]), title=_(HEADLINES_TITLE),
                     summary=headline_summary(heads), table=headline_table(ordered))


def _class_of(countries: pd.DataFrame) -> pd.Series:
    cls = charts.prevalence_class(countries["prevalence"]).astype(object)
    return cls.where(countries["prevalence"].notna(), charts.NO_ESTIMATE).map(_)


def gsi_summary(countries: pd.DataFrame) -> str:
    """The three highest prevalences and how many countries have no estimate."""
    est = countries.dropna(subset=["prevalence"]).sort_values("prevalence", ascending=False)
    if est.empty:
        return _("No Global Slavery Index estimates in the database.")
    top = _(", ").join(_("{place} ({value})").format(
        place=r["name"], value=formatting.decimal(r["prevalence"], "0.0"))
        for _i, r in est.head(3).iterrows())
    return _("Walk Free estimates prevalence for {n} of the {total} countries it assessed "
             "(2021); the highest, per 1,000 people: {top}. {none} countries have no estimate "
             "(grey), which is not zero.").format(
                 n=len(est), total=len(countries), top=top, none=len(countries) - len(est))


def gsi_table(countries: pd.DataFrame) -> pd.DataFrame:
    """Every country the map colours: its class (the legend) and the figures the hover shows."""
    return pd.DataFrame({
        _("Country"): countries["name"], _("Class (per 1,000 people)"): _class_of(countries),
        _("Prevalence per 1,000"): countries["prevalence"].round(1),
        _("Estimated number"): countries["number"],
        _("Government response (%)"): countries["government_response"].round(1),
    }).reset_index(drop=True)


def _gsi_map(v: Mapping[str, Any]) -> ChartView:
    del v
    countries = gsi_countries()
    markers = geo.markers_for(countries["iso3"].tolist())
    n_est = int(countries["prevalence"].notna().sum())
    line = gsi_source()
    caption = _("Walk Free's estimated prevalence of modern slavery (per 1,000 people, 2021) "
                "for {n} of the {total} countries it assessed. Grey: no estimate (not "
                "zero).").format(n=n_est, total=len(countries))
    return ChartView(charts.gsi_map(countries, markers, line), countries, caption, line,
                     sources.rows(countries["source_id"]), title=_(GSI_TITLE),
                     summary=gsi_summary(countries), table=gsi_table(countries))


# The provenance every breakdown's data download carries, in the page table's order.
FIGURE_COLUMNS = ["edition", "year", "measure_label", "breakdown_dim", "breakdown",
                  "value", "qualifier", "kind", "unit", "source_id", "cited_url", "quote",
                  "also_quoted", "preferred_reason", "note"]


@dataclass(frozen=True)
class Breakdown:
    """One breakdown chart: which dimensions, which kind of figure, its title."""

    id: str
    title: str  # the figure's title; the edition is added as a second line
    dims: tuple[str, ...]
    kind: str  # 'count' | 'share'
    spec_title: str
    what: str  # the caption's first words


BREAKDOWNS = (
    Breakdown("ge-forms", N_("People by form (millions)"), ("form", "sector"), "count",
              N_("Global estimates: people by form of modern slavery"),
              N_("People by form of modern slavery")),
    Breakdown("ge-form-shares", N_("Shares by form (%)"), ("form", "sector"), "share",
              N_("Global estimates: shares by form of modern slavery"),
              N_("Shares by form of modern slavery")),
    Breakdown("ge-sex-age", N_("People by sex and age (millions)"), ("sex", "age"), "count",
              N_("Global estimates: people in modern slavery by sex and age"),
              N_("People in modern slavery by sex and age")),
    Breakdown("ge-sex-age-shares", N_("Shares by sex and age (%)"), ("sex", "age"), "share",
              N_("Global estimates: shares by sex and age"), N_("Shares by sex and age")),
    Breakdown("ge-other", N_("Other breakdowns: people (millions)"),
              ("movement", "income_group"), "count",
              N_("Global estimates: people by movement and income group"),
              N_("People by movement and income group")),
    Breakdown("ge-other-shares", N_("Other breakdowns: shares (%)"),
              ("movement", "income_group"), "share",
              N_("Global estimates: shares by movement and income group"),
              N_("Shares by movement and income group")),
)
BREAKDOWN = {b.id: b for b in BREAKDOWNS}


@db.per_file(maxsize=32, by_language=True)
def breakdown_rows(edition: int, dims: tuple[str, ...]) -> pd.DataFrame:
    """The preferred world figures of one edition for a group of breakdowns (every kind)."""
    return q.breakdown(figures(), edition, list(dims))


def _latest_edition_with(has: Callable[[pd.DataFrame, int], bool]) -> Callable[[], int]:
    """A default edition: the latest one for which ``has(figures, edition)``."""
    def default() -> int:
        frame = q.quoted_figures()
        found = [e for e in sorted(_editions(), reverse=True) if has(frame, e)]
        return found[0] if found else max(_editions())
    return default


def rows_of(frame: pd.DataFrame, edition: int, b: Breakdown) -> pd.DataFrame:
    """The figures one breakdown chart draws."""
    part = q.breakdown(frame, edition, list(b.dims))
    return part[part["kind"] == b.kind]


def charts_with_figures(edition: int, ids: Mapping[str, str]) -> dict[str, str]:
    """The breakdown charts (id → widget key) that have a figure to draw for ``edition``."""
    def drawn(b: Breakdown) -> bool:
        part = breakdown_rows(edition, b.dims)
        return bool((part["kind"] == b.kind).any())
    return {i: k for i, k in ids.items() if drawn(BREAKDOWN[i])}


def _edition_of(b: Breakdown) -> Param:
    return year_param(_editions, name="edition", label=N_("edition"),
                      default=_latest_edition_with(
                          lambda frame, edition: not rows_of(frame, edition, b).empty))


def _bar(r: pd.Series) -> str:
    return charts.bar_label(r["measure_label"], r["breakdown"])


def breakdown_summary(rows: pd.DataFrame, b: Breakdown, edition: int) -> str:
    """The bars, largest first (at most four), and how many there are."""
    if rows.empty:
        return _("No figure of this kind is quoted for the {edition}.").format(
            edition=edition_name(edition))
    top = rows.sort_values("value", ascending=False)
    text = _("{what}, {edition}: {figures}.").format(
        what=_(b.what), edition=edition_name(edition), figures=_items(top.head(4), _bar))
    if len(top) > 4:
        text += " " + _("{n} figures in all; the smallest: {figure}.").format(
            n=len(top), figure=_items(top.tail(1), _bar))
    return text


def bar_table(rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The bars as drawn (top to bottom): label, length on the axis, label at its end."""
    scale = 1e6 if kind == "count" else 1
    return pd.DataFrame({
        _("Figure"): [plain(_bar(r)) for _i, r in rows.iterrows()],
        _(charts.AXIS[kind]): rows["value"] / scale,
        _("Figure as quoted"): [formatting.estimate(v, kind, x) for v, x in
                                zip(rows["value"], rows["qualifier"], strict=True)],
    }).reset_index(drop=True)


def _breakdown_view(b: Breakdown) -> Callable[[Mapping[str, Any]], ChartView]:
    def build(v: Mapping[str, Any]) -> ChartView:
        edition = int(v["edition"])
        frame = figures()
        rows = rows_of(frame, edition, b)
        line = quoted_source(frame)
        label = edition_name(edition)
        caption = _("{what}, {edition}, as public pages quote them. Each bar is one figure as "
                    "a page states it, not a slice of one total.").format(what=_(b.what),
                                                                         edition=label)
        fig = charts.bar_chart(rows, f"{_(b.title)}<br>{label}", line)
        return ChartView(fig, rows.reindex(columns=FIGURE_COLUMNS).reset_index(drop=True),
                         caption, line, sources.rows(rows["source_id"]), title=_(b.spec_title),
                         summary=breakdown_summary(rows, b, edition),
                         table=bar_table(rows, b.kind))
    return build


def _region_measure_options() -> list[str]:
    frame = q.quoted_figures()
    have = {m for e in _editions() for m in q.region_measures(frame, e)}
    return [m for m in q.MEASURE_LABELS if m in have]


def region_measure(frame: pd.DataFrame, edition: int, measure: str | None) -> str | None:
    """``measure`` if the edition quotes it by region, else the edition's first such measure."""
    measures = q.region_measures(frame, edition)
    if not measures:
        return None
    return measure if measure in measures else measures[0]


MEASURE = choice_param("measure", N_("measure"), _region_measure_options,
                       default=lambda: region_measure(q.quoted_figures(), max(_editions()), None)
                       or "")
REGION_EDITION = year_param(_editions, name="edition", label=N_("edition"),
                            default=_latest_edition_with(
                                lambda frame, e: bool(q.region_measures(frame, e))))


def region_title(edition: int, measure: str) -> str:
    return _("{measure} by region").format(measure=measure_name(measure)) + "<br>" + \
        edition_name(edition)


def regional_gap_note(gaps: pd.DataFrame, edition: int, measure: str) -> str:
    """Which regions the chart leaves 'not quoted', or that every region has both figures."""
    missing = gaps[(gaps["edition"] == edition) & (gaps["measure"] == measure)]
    if missing.empty:
        return _("Every region has both a number and a rate per 1,000 for this measure.")
    return _("Not quoted for this edition and measure — {gaps}.").format(gaps=_("; ").join(
        _("{what}: {regions}").format(what=r["what"], regions=r["regions"])
        for _i, r in missing.iterrows()))


def region_panels(rows: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """The region chart's two panels side by side, one row per region (blank: not quoted)."""
    def panel(kind: str) -> pd.DataFrame:
        part = rows[rows["kind"] == kind].drop_duplicates("breakdown").set_index("breakdown")
        return part.reindex(order)
    count, rate = panel("count"), panel("prevalence")
    return pd.DataFrame({
        _("Region"): order, _("People (millions)"): (count["value"] / 1e6).tolist(),
        _("Per 1,000 people"): rate["value"].tolist(),
    })


def region_summary(rows: pd.DataFrame, measure: str, edition: int, gap: str) -> str:
    """Where the number and the rate are highest, then ``gap`` (which regions are not
    quoted)."""
    head = _("{measure} by region, {edition}").format(measure=measure_name(measure),
                                                      edition=edition_name(edition))
    parts = []
    for kind, words in (("count", N_("most people: {region} ({value})")),
                        ("prevalence", N_("highest rate: {region} ({value})"))):
        part = rows[rows["kind"] == kind]
        if not part.empty:
            r = part.loc[part["value"].idxmax()]
            parts.append(_(words).format(region=r["breakdown"], value=formatting.estimate(
                r["value"], kind, r["qualifier"])))
    if not parts:
        return _("No regional figure is quoted for the {edition}.").format(
            edition=edition_name(edition))
    return _("{head}: {figures}.").format(head=head, figures=_("; ").join(parts)) + " " + gap


def _regions(v: Mapping[str, Any]) -> ChartView:
    edition = int(v["edition"])
    frame = figures()
    measure = region_measure(frame, edition, v.get("measure"))
    line = quoted_source(frame)
    order = q.region_names(frame, edition)
    if measure is None:
        rows, title, gap = frame.iloc[0:0], _("By region"), _("No regional figure is quoted.")
    else:
        rows = q.regions(frame, edition, measure)
        title = region_title(edition, measure)
        gap = regional_gap_note(regional_gaps(), edition, measure)
    caption = _(
        "{measure} by region, {edition}. Left: people (absolute). Right: per 1,000 people in "
        "the region. 'Not quoted': no public page in the mirror states that figure. Regions "
        "are the ones each edition used; the 2005 and 2012 groupings differ from the five "
        "used since 2017. Where pages state a figure more than once, the chart draws the "
        "exact, most precise statement (then the publisher's own page); the table lists the "
        "others. {gap}").format(measure=measure_name(measure) if measure else _("Figures"),
                                edition=edition_name(edition), gap=gap)
    return ChartView(charts.region_chart(rows, order, title, line),
                     rows.reindex(columns=FIGURE_COLUMNS).reset_index(drop=True), caption, line,
                     sources.rows(rows["source_id"]), title=_(REGIONS_TITLE),
                     summary=region_summary(rows, measure or "", edition, gap),
                     table=region_panels(rows, order))


HEADLINES_TITLE = N_("Global estimates of modern slavery: headlines by edition")
GSI_TITLE = N_("Global Slavery Index 2023: prevalence per 1,000 people")
REGIONS_TITLE = N_("Global estimates by region: people and rate per 1,000")
SPECS = [
    ChartSpec("ge-headlines", HEADLINES_TITLE, "global_estimates", (), _headlines),
    ChartSpec("gsi-map", GSI_TITLE, "global_estimates", (), _gsi_map),
    *(ChartSpec(b.id, b.spec_title, "global_estimates", (_edition_of(b),), _breakdown_view(b),
                section="breakdowns") for b in BREAKDOWNS),
    ChartSpec("ge-regions", REGIONS_TITLE, "global_estimates", (REGION_EDITION, MEASURE),
              _regions, section="breakdowns"),
]
