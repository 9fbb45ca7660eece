"""Screening and identification: Hong Kong's screenings and victims, compared, and worldwide."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trafficking import params
from trafficking.charts import screening as charts
from trafficking.present import render
from trafficking.queries import funnels as fq
from trafficking.queries import responses
from trafficking.queries import screening as q
from trafficking.text import md_plain

render.require_database()

st.title("Screening and identification")
st.markdown(
    "How many people do authorities check for signs of trafficking, and how many do they "
    "recognise as victims? Hong Kong's figures (below) put thousands of screenings beside a "
    "handful of victims each year. Read as proof that trafficking is rare, or as proof that "
    "screening does not find victims, the pair only makes sense beside other years and other "
    "places — shown here with every figure's source and definition.")

# --- 1. Hong Kong -------------------------------------------------------------------------
st.header("Hong Kong", divider="gray")
hk = q.hk_observations()
if hk.empty:
    st.warning("The database holds no Hong Kong screening figures (source `hk_screening`). "
               "Run `make data` to load them.")
else:
    wide = q.hk_wide(hk)
    rates = q.hk_rates(wide)
    tiers = q.tiers_for(q.HK)
    hk_source = q.source_line(hk)
    latest = wide.dropna(subset=[q.SCREENINGS]).iloc[-1]
    c1, c2, c3 = st.columns(3)
    c1.metric(f"People screened, {int(latest['year'])}",
              charts.fmt_count(latest[q.SCREENINGS], latest[q.SCREENINGS + "_qualifier"]))
    vic = latest[q.VICTIMS_SCREENED]
    c2.metric(f"Victims identified through screening, {int(latest['year'])}",
              "no figure" if pd.isna(vic) else f"{vic:,.0f}")
    rate_now = rates.set_index("year")["rate"].get(int(latest["year"]))
    mark_now = rates.set_index("year")["mark"].get(int(latest["year"]), "")
    c3.metric(f"Per 1,000 screened, {int(latest['year'])}",
              "not computable" if rate_now is None or pd.isna(rate_now)
              else f"{mark_now}{rate_now:.2f}")

    st.caption(
        "Bars: people put through the first-tier screening for trafficking indicators by "
        "Hong Kong's law-enforcement departments (the mechanism started in 2016). Lines: victims "
        "identified through that mechanism (solid) and all victims identified (dotted). Pale "
        "bars are rounded government figures ('around 11,300'); hatched bars are lower bounds "
        "('more than 7,500'), drawn at the bound. Years without a figure are "
        "left empty and labelled — never drawn as zero. The coloured squares on top show Hong "
        "Kong's TIP tier in the report of the **following** year: the TIP report of year N "
        "covers calendar year N−1, so data year 2023 sits under the 2024 report's tier.")
    render.show("hk-screening", {}, key="hk_chart", caption=False)

    st.caption(
        "Identification rate = victims identified through screening ÷ people screened × "
        "1,000. Computed only for years with both figures; '≈' marks a rate whose screening "
        "count is rounded by its source, '≤' one whose screening count is a lower bound "
        "(more people were screened, so the rate is at most that).")
    render.show("hk-identification-rate", {}, key="hk_rate", caption=False)

    missing_scr = wide.loc[wide[q.SCREENINGS].isna(), "year"].tolist()
    missing_vic = wide.loc[wide[q.VICTIMS_SCREENED].isna(), "year"].tolist()
    st.markdown(
        "**Gaps.** No screening count in the sources for "
        + (", ".join(str(y) for y in missing_scr) or "—")
        + "; no count of victims identified through screening for "
        + (", ".join(str(y) for y in missing_vic) or "—")
        + ". Relative statements are not figures and fill no gap: 2021's screenings were "
        "'a three-fold increase over the number conducted in 2016', which gives no 2016 count.")
    other = q.hk_other_observations()
    if not other.empty:
        st.caption(
            "Two Hong Kong figures of other kinds are kept apart from these counts (and listed "
            "in the table at the foot of the page): the share of persons screened in 2017 who "
            "were identified as victims, stated only as 'less than 0.2 percent' (its own "
            "indicator, a share with the qualifier 'less than'; no count is derived from it), "
            "and human trafficking cases reported 2005–2008 (cases, not persons, before the "
            "screening mechanism).")
    both = hk[~q.is_charted(hk)]
    if not both.empty:
        with st.expander(f"Years stated by two sources ({len(both)} figures not charted)"):
            st.markdown(
                "Where several sources state one year's figure (the HKSAR government rounded, "
                "the TIP report exact, press copies of either), all are kept. **Rule** (decided "
                "in the database, across sources): the chart uses the exact figure; between "
                "exact figures, the TIP report's; a year with only rounded figures charts one "
                "(marked ≈), a year with only lower bounds the highest bound (marked >).")
            shown = hk[hk["year"].isin(both["year"]) & hk["indicator"].isin(both["indicator"])]
            render.dataframe(
                shown.assign(charted=q.is_charted(shown))[
                    ["year", "indicator_name", "value", "qualifier", "charted",
                     "preferred_reason", "quote", "cited_url"]],
                hide_index=True, key="hk_two_sources",
                column_config={"year": "Year", "indicator_name": "Series",
                               "value": st.column_config.NumberColumn("Figure", format="%,d"),
                               "qualifier": "Qualifier", "charted": "Charted",
                               "preferred_reason": "Why charted or not",
                               "quote": "Sentence in the source",
                               "cited_url": st.column_config.LinkColumn("Address")})

# Hong Kong's government answers each TIP report; its own words sit beside its figures.
hk_said = responses.for_jurisdiction("HKG")
st.subheader("What the Hong Kong government said about its TIP placement")
if hk_said.empty:
    st.caption("No published Hong Kong government response to a TIP report is in the database.")
else:
    st.caption(f"{len(hk_said)} published statements answering the TIP report, "
               f"{int(hk_said['report_year'].min())}–{int(hk_said['report_year'].max())}; "
               "several give the screening figures charted above. " + responses.STANCE_NOTE)
    render.dataframe(
        hk_said.assign(date=hk_said["statement_date"].map(responses.date_text))[
            ["report_year", "date", "stance", "stance_quote", "cited_url", "figures_cited",
             "publisher"]],
        hide_index=True, key="hk_responses",
        column_config={"report_year": "Report year", "date": "Date",
                       "stance": "Stance (project's reading)",
                       "stance_quote": "The statement's own words",
                       "figures_cited": "Figures cited", "publisher": "Statement by",
                       "cited_url": st.column_config.LinkColumn("Statement")})

# --- 2. Compare -----------------------------------------------------------------------------
st.header("Compare jurisdictions", divider="gray")
choices = q.compare_choices()
names = dict(zip(choices["iso3"], choices["name"], strict=True))
default = [c for c in ("HKG", "SGP", "JPN", "MYS", "THA") if c in names]
if "screening_places" not in st.session_state:
    kept, dropped = params.parse_codes(st.query_params.get_all("compare"), names)
    if dropped:
        st.warning("Ignored unknown jurisdiction code(s) in the address: " + ", ".join(dropped))
    st.session_state["screening_places"] = kept or default
chosen = st.multiselect("Jurisdictions", options=list(names), format_func=lambda c: names[c],
                        key="screening_places", max_selections=10,
                        help="Only jurisdictions with at least one victim count are listed.")
st.query_params["compare"] = ",".join(chosen)
frame = q.compare_series(chosen) if chosen else pd.DataFrame()
if not chosen:
    st.caption("Choose one or more jurisdictions.")
else:
    with_scr, without = q.screening_coverage(chosen, frame)
    if without:
        st.info(
            "**No screening counts for " + ", ".join(names[c] for c in without) + ".** "
            "No source in the database publishes how many people these jurisdictions screened, "
            "so no identification rate per 1,000 screened can be computed for them; they are "
            "left out of that chart rather than drawn as zero. Their victim counts are in the "
            "'Absolute numbers' tab.", icon=":material/info:")
    tab_rate, tab_abs, tab_pop = st.tabs(
        ["Per 1,000 screened", "Absolute numbers", "Per million inhabitants"])
    with tab_rate:
        rates_cmp = q.rates_per_screened(frame)
        st.caption(
            "Victims identified through screening per 1,000 people screened. Hong Kong is the "
            "only jurisdiction in the database with a published screening count; others "
            "publish victims only, so the denominator is missing for them.")
        render.show_chart(charts.compare_rate_chart(
            rates_cmp, q.source_line(frame[frame["indicator"].isin(q.HK_CODES)])),
            key="cmp_rate")
    with tab_abs:
        log = st.toggle("Logarithmic scale", value=True, key="screening_log",
                        help="Counts range from 1 to over 10,000; a log scale keeps small "
                             "series readable.")
        st.caption(
            "Victims per year as each publisher counts them: Hong Kong's identified victims "
            "(TIP report / HKSAR), UNODC's detected victims, Eurostat's registered victims. "
            "Lines break where a year has no figure. Hover for the source and its address.")
        render.show_chart(charts.compare_absolute_chart(
            frame[frame["indicator"].isin(q.VICTIM_SERIES)], q.source_line(frame),
            log_scale=log), key="cmp_abs")
        censored = frame[frame["value"].isna() & frame["qualifier"].notna()]
        if not censored.empty:
            listed = censored.groupby("area_name")["year"].apply(
                lambda s: ", ".join(str(y) for y in sorted(s)))
            st.caption(
                "Not plotted — UNODC publishes these counts only as '<5' (suppressed), which "
                "is neither 0 nor 5: " + "; ".join(f"{a} {y}" for a, y in listed.items()))
    with tab_pop:
        pm = q.rates_per_million()
        st.caption(
            "A different denominator: Eurostat's registered victims per million inhabitants, "
            "as quoted by public pages (2019–2020). Hong Kong is not in Eurostat's data; no "
            "population figures are in the database to compute a rate for it.")
        render.show_chart(charts.per_million_chart(pm, q.source_line(pm)), key="cmp_pm")

    shown_codes = sorted(set(frame["indicator"])) if not frame.empty else []
    if shown_codes:
        st.subheader("What each series counts")
        defs = q.definitions(shown_codes + [q.RATE_PER_MILLION])
        for d in defs.itertuples(index=False):
            st.markdown(f"- **{md_plain(d.name)}** — {md_plain(d.publisher)}; unit: "
                        f"{md_plain(d.unit)}.  \n  {md_plain(d.definition)}  \n"
                        f"  *What counts:* {md_plain(d.what_counts)}")
    st.warning(
        "**Where the comparison misleads.** Screened, referred, identified, detected and "
        "registered victims are different counts. Hong Kong's 'identified' victims passed a "
        "second-tier assessment; UNODC's 'detected' victims are whatever each government "
        "reports to the UN questionnaire; Eurostat's 'registered' victims include presumed "
        "victims not formally identified (Austria 2020: 43 per million in Eurostat, 129 "
        "detected victims in UNODC). A low count can mean little trafficking or weak "
        "detection; neither publisher claims its figures measure prevalence. Years differ "
        "too: " + "; ".join(
            f"{label} {span[0]}–{span[1]}" for label, span in (
                ("UNODC's release covers", q.year_span("glotip_detected_victims")),
                ("Hong Kong's figures cover", q.year_span(q.VICTIMS_SCREENED)))
            if span) + ".",
        icon=":material/warning:")

# --- 3. Worldwide ---------------------------------------------------------------------------
st.header("Worldwide", divider="gray")
world = q.worldwide()
st.caption(
    "Prosecutions, convictions and victims identified worldwide per data year, from the TIP "
    "report's 'Global Law Enforcement Data' table (orange: the labour-trafficking part, where "
    "the report prints it). The data year is the year before the report year. '–' marks a year "
    "the table does not give; the State Department calls the figures estimates. Later reports "
    "revise earlier years: each year shows the latest edition in the data that gives it, and "
    "'*' marks a year another edition or page gives differently — hover for every edition's "
    "value; all of them are in the table below.")
render.show("tip-worldwide", {}, key="world", caption=False)
if not world.empty:
    last = int(world["year"].max())

    def _span(code: str, labour: bool) -> str:
        part = world[(world["indicator"] == code) & ((world["breakdown"] != "") == labour)]
        years = sorted(set(part["year"].astype(int)))
        if not years:
            return "no year"
        runs, start = [], years[0]
        for prev, y in zip(years, [*years[1:], None], strict=True):
            if y is None or y != prev + 1:
                runs.append(f"{start}–{prev}" if prev > start else str(start))
                start = y
        return ", ".join(runs)

    vic_years = set(world.loc[(world["indicator"] == "tip_global_victims_identified")
                              & (world["breakdown"] == ""), "year"])
    no_vic = [y for y in range(int(world["year"].min()), last + 1) if y not in vic_years]
    weak = world[(world["year"] == last) & world["preferred"].fillna(True).astype(bool)]
    st.markdown(
        f"**Data year {last}** rests on one weak page: "
        + ", ".join(sorted(set(weak["edition"].dropna())))
        + " figures as summarised by a blog (its tier counts on the same page contradict the "
        "official lists), not the report's own table; treat them as provisional. "
        f"**Missing:** victims identified for {', '.join(str(y) for y in no_vic) or '—'}; "
        f"the labour part of victims is given only for "
        f"{_span('tip_global_victims_identified', True)}; the first-published figures of the "
        "2018–2023 editions (only the 2024 edition's revised series is in the data).")
    conflicts = q.world_conflicts()
    if not conflicts.empty:
        st.caption("Where editions disagree (kept, not resolved; the chart uses the latest "
                   "edition):")
        render.dataframe(conflicts, hide_index=True, key="world_conflicts",
                     column_config={"indicator_name": "Series", "year": "Data year",
                                    "breakdown": "Part", "edition": "Edition",
                                    "value": st.column_config.NumberColumn("Value", format="%,d"),
                                    "chosen_edition": "Charted edition",
                                    "chosen_value": st.column_config.NumberColumn(
                                        "Charted value", format="%,d"),
                                    "reason": "Why"})

# --- 4. Table -------------------------------------------------------------------------------
st.header("Every figure on this page", divider="gray")
table = q.table([hk, q.hk_other_observations(), frame if chosen else None, world,
                 q.rates_per_million()])
if table.empty:
    st.caption("No figures.")
else:
    st.caption(
        "One row per figure with the sentence or source row it comes from, the page that "
        "states it and the file it was loaded from. 'Charted' is false for a figure kept beside "
        "a preferred one for the same year. A qualifier 'suppressed (<5)' means the publisher "
        "gives no number.")
    table["qualifier"] = table["qualifier"].fillna("")
    render.dataframe(
        table[["area_name", "indicator_name", "year", "breakdown", "value", "qualifier",
               "charted", "edition", "preferred_reason", "quote", "cited_url",
               "source_publisher", "source_address", "source_id", "retrieved", "note"]],
        hide_index=True, key="figures_table",
        column_config={
            "area_name": "Area", "indicator_name": "Series", "year": "Year",
            "breakdown": "Part", "value": st.column_config.NumberColumn("Value", format="%,g"),
            "qualifier": "Qualifier", "charted": "Charted", "edition": "Stated in",
            "preferred_reason": "Why charted or not", "quote": "Quote / source row",
            "cited_url": st.column_config.LinkColumn("Page quoted"),
            "source_publisher": "Publisher",
            "source_address": st.column_config.LinkColumn("File address"),
            "source_id": "Loaded from", "retrieved": "Retrieved", "note": "Note"})

st.subheader("Not in this database")
st.markdown(
    "- **IOM Counter-Trafficking Data Collaborative (CTDC)** victim-case datasets: not mirrored "
    "(every file is larger than the snapshots allow), so CTDC's assisted-victim counts are not "
    "shown. They count cases reported by contributing organisations, not a census.\n"
    "- **Eurostat crim_thb tables**: only the figures quoted on public pages are loaded.\n"
    "- **Human Trafficking Indicators (HTI)** codes whether formal victim-identification "
    "procedures exist (yes/no), not how many victims were identified, so it is not a series "
    "here.\n"
    "- **Hong Kong** screening counts for 2016, 2017 and 2018 (no stored statement gives them; "
    "2017 has only a share, 'less than 0.2 percent' identified), victims identified through "
    "screening for 2016, and UNODC figures for Hong Kong (its GLOTIP rows are only "
    "repatriation breakdowns).\n"
    "- **Worldwide:** the 2025 TIP report's own Global Law Enforcement table (data year 2024 "
    "comes from one blog summary) and the first-published figures of the 2018–2023 editions.")

# --- Referral funnels ----------------------------------------------------------------------
st.header("Referral funnels", divider="gray")
st.markdown(
    "Hong Kong **screens** people for signs of trafficking and **identifies** a few of them as "
    "victims. The UK **refers** potential victims into its National Referral Mechanism (NRM) "
    "and then **decides**: first on 'reasonable grounds', finally on 'conclusive grounds'. "
    "The stages are not equivalent — a referral is not an identification, and Hong Kong's "
    "identified victims (after the second-tier assessment) are nearer a UK *positive "
    "conclusive-grounds decision* than a UK referral. Each stage is drawn in its own panel "
    "with its own axis and unit; nothing is added up, divided or converted.")


def _definitions(pairs: tuple[tuple[str, str], ...]) -> None:
    for d in fq.definitions(pairs).itertuples(index=False):
        st.caption(f"**{md_plain(d.name)}** ({md_plain(d.unit)}). {md_plain(d.definition)} "
                   + (f"*What counts:* {md_plain(d.what_counts)}" if d.what_counts else ""))


def _unsettled(pairs: tuple[tuple[str, str], ...]) -> None:
    _, _, ambiguous = fq.funnel(pairs)
    if not ambiguous.empty:
        listed = sorted({f"{r.indicator_name} {int(r.year)}"
                         for r in ambiguous.itertuples(index=False)})
        st.info("Not drawn: the database marks no single preferred figure for "
                + "; ".join(md_plain(x) for x in listed) + ". Every statement is in the table "
                "below.", icon=":material/info:")


funnel_hk, funnel_uk = st.columns(2)
with funnel_hk:
    render.show("funnel-hong-kong", {}, key="funnel_hk")
    _unsettled(fq.HK_FUNNEL)
    _definitions(fq.HK_FUNNEL)
with funnel_uk:
    render.show("funnel-uk-nrm", {}, key="funnel_uk")
    _unsettled(fq.UK_FUNNEL)
    _definitions(fq.UK_FUNNEL)

st.subheader("UK referrals: every statement of a year, revisions kept")
history = fq.revision_history()
if history.empty:
    st.caption("No year of UK referrals is stated more than once in the database.")
else:
    history["qualifier"] = history["qualifier"].fillna("")
    st.caption(
        "NRM figures are revised in later releases ('data should be considered provisional "
        "until all cases are concluded', NCA). Every statement is kept with the publication "
        "that states it; the chart draws the one marked preferred — the latest official "
        "release — and shows the others as hollow diamonds.")
    render.dataframe(
        fq.linkable(history)[["year", "value", "qualifier", "preferred", "edition",
                              "preferred_reason", "quote", "cited_url"]],
        hide_index=True, key="funnel_revisions",
        column_config={
            "year": st.column_config.NumberColumn("Year", format="%d"),
            "value": st.column_config.NumberColumn("Referrals", format="%,d"),
            "qualifier": "Qualifier", "preferred": "Charted", "edition": "Stated in",
            "preferred_reason": "Why (not) charted", "quote": "Sentence in the source",
            "cited_url": st.column_config.LinkColumn("Page")})
disagree = fq.conflicts([c for _, c in fq.ALL_PAIRS])
if not disagree.empty:
    st.caption(
        f"{len(disagree)} statement(s) disagree with the official figure without being an "
        "official revision (the US TIP report, a page quoting unnamed 'government "
        "statistics'); they are recorded as conflicts and not charted:")
    render.dataframe(
        disagree[["indicator_name", "year", "edition", "value", "chosen_edition",
                  "chosen_value", "reason"]],
        hide_index=True, key="funnel_conflicts",
        column_config={
            "indicator_name": "Series", "year": st.column_config.NumberColumn("Year", format="%d"),
            "edition": "Stated in", "value": st.column_config.NumberColumn("Figure", format="%,d"),
            "chosen_edition": "Official release charted",
            "chosen_value": st.column_config.NumberColumn("Charted figure", format="%,d"),
            "reason": "Reason"})

st.subheader("Identified victims elsewhere: Japan and Singapore")
st.caption(
    "Counts of victims only: neither government publishes how many people it screened or "
    "referred, so no funnel or rate can be drawn. Japan has two official counts — the police's "
    "and the immigration authority's — that overlap and are never added.")
funnel_jp, funnel_sg = st.columns(2)
with funnel_jp:
    render.show("funnel-japan", {}, key="funnel_jp")
    _unsettled(fq.JP_COUNTS)
    _definitions(fq.JP_COUNTS)
with funnel_sg:
    render.show("funnel-singapore", {}, key="funnel_sg")
    _unsettled(fq.SG_COUNTS)
    _definitions(fq.SG_COUNTS)

with st.expander("Also loaded, not charted here: UK Duty to Notify, UK backlog, US T visas"):
    st.caption("These are in the Compare page's indicator list. Duty to Notify reports are "
               "adults who did not consent to an NRM referral (outside the referral count); "
               "US T-visa applications are self-initiated applications, not referrals.")
    _definitions(fq.UK_OTHER + fq.US_COUNTS)

funnel_rows = fq.observations(fq.ALL_PAIRS)
funnel_rows["qualifier"] = funnel_rows["qualifier"].fillna("")
with st.expander(f"Every figure in this section ({len(funnel_rows)} statements)"):
    render.dataframe(
        fq.linkable(funnel_rows)[["area_name", "indicator_name", "year", "value", "qualifier",
                                  "preferred", "edition", "preferred_reason", "quote",
                                  "cited_url", "source_id", "retrieved"]],
        hide_index=True, key="funnel_table",
        column_config={
            "area_name": "Place", "indicator_name": "Series",
            "year": st.column_config.NumberColumn("Year", format="%d"),
            "value": st.column_config.NumberColumn("Value", format="%,g"),
            "qualifier": "Qualifier", "preferred": "Charted", "edition": "Stated in",
            "preferred_reason": "Why (not) charted", "quote": "Sentence in the source",
            "cited_url": st.column_config.LinkColumn("Page"), "source_id": "Loaded from",
            "retrieved": "Retrieved"})
st.caption(
    "Not in the stored sources: counts of positive conclusive-grounds decisions (only their "
    "share), UK decisions before 2021 (except the 2009 reasonable-grounds outcomes), and any "
    "victim-identification count for Taiwan or Macau. Years without a figure are listed in "
    "each chart panel.")
