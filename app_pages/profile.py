"""One jurisdiction: tier history, every indicator held with a sparkline, latest value and
rank, what is missing, and the sources used."""

from __future__ import annotations

import streamlit as st

from trafficking import db, links, params, style
from trafficking.charts import profile as charts
from trafficking.charts import tiers as tier_charts
from trafficking.charts.compare import fmt
from trafficking.queries import catalogue as cq
from trafficking.queries import profile as q
from trafficking.queries import responses
from trafficking.queries import tiers as tq
from trafficking.text import md_plain

db.require_database()

places = cq.areas()
places = places[places["area_kind"] == "jurisdiction"]
names = dict(zip(places["area_code"], places["name"], strict=True))
if not names:
    st.title("Jurisdiction profile")
    st.warning("The database holds no jurisdictions yet. Run `make data`.")
    st.stop()

# The address wins when it changed since the last run (e.g. a click on the tier map opened
# this page for another country); otherwise the select box keeps the reader's choice.
address = tuple(st.query_params.get_all("iso3"))
if "profile_iso3" not in st.session_state or address != st.session_state.get("profile_address"):
    kept, dropped = params.parse_codes(address, names)
    if dropped:
        # parse_codes has already clipped and escaped each value.
        st.warning("Ignored jurisdiction code(s) in the address that the database does not "
                   "hold: " + ", ".join(dropped))
    st.session_state["profile_iso3"] = kept[0] if kept else (
        "HKG" if "HKG" in names else next(iter(names)))
iso3 = st.selectbox("Jurisdiction", options=list(names), format_func=lambda c: names[c],
                    key="profile_iso3", help="Type to search.")
st.query_params["iso3"] = iso3
st.session_state["profile_address"] = (iso3,)
place = q.jurisdiction(iso3)
name = md_plain(names[iso3])  # the jurisdiction's name inside markdown, as plain text
st.title(name)
st.caption(f"ISO code {md_plain(iso3)} · region: "
           f"{md_plain(place['region']) if place is not None else 'unknown'}")

cat = cq.catalogue()
pop_code = cq.population_code(cat)
rows = q.held(iso3, cat)
summary = q.summary(rows)
hist = tq.history([iso3])
sources = q.sources_for(iso3)

m1, m2, m3 = st.columns([2, 1, 1])
if hist.empty:
    m1.metric("Latest TIP tier", "none")
else:
    last = hist.sort_values("report_year").iloc[-1]
    m1.metric(f"TIP tier, {int(last['report_year'])} report", style.tier_label(last["tier"]))
m2.metric("Indicators with values", len(summary))
m3.metric("Source files used", sources["source_id"].nunique())

# --- Tier history ---------------------------------------------------------------------------
st.header("TIP report tiers", divider="gray")
if hist.empty:
    st.info(f"No source in the database gives a TIP tier for {name}.")
else:
    n_years = hist["report_year"].nunique()
    st.caption(f"{n_years} report years with a placement, {int(hist['report_year'].min())}–"
               f"{int(hist['report_year'].max())}. Years without one in any source are gaps.")
    style.show_chart(tier_charts.timeline(hist, tier_charts.sources_line(
        sorted(hist["dataset"].unique()))), key="profile_tiers", height=360)

# --- Government responses ---------------------------------------------------------------------
st.header("What the government said", divider="gray")
said = q.government_responses(iso3, hist)
if said.empty:
    st.info(f"No published government response to a TIP report is in the database for "
            f"{name}.")
else:
    years_said = sorted(said["report_year"].unique())
    st.caption(f"{len(said)} published statement(s) answering the TIP report of "
               + ", ".join(str(y) for y in years_said) + ". " + responses.STANCE_NOTE
               + " Figures cited: the numbers the statement itself gives, as far as the stored "
               "copy reaches.")
    style.dataframe(
        said[["report_year", "tier", "date", "stance", "stance_quote", "cited_url",
              "figures_cited", "publisher", "language", "title"]],
        hide_index=True, key="profile_responses", height=min(38 + 35 * len(said), 600),
        column_config={"report_year": "Report year", "tier": "Tier that report",
                       "date": "Date", "publisher": "Statement by",
                       "stance": "Stance (project's reading)",
                       "stance_quote": st.column_config.TextColumn(
                           "The statement's own words", width="large"),
                       "language": "Language", "figures_cited": "Figures cited",
                       "cited_url": st.column_config.LinkColumn("Statement", width="medium"),
                       "title": "Title"})

# --- Indicators -----------------------------------------------------------------------------
st.header("Indicators", divider="gray")
if summary.empty:
    st.info(f"The database holds no indicator values for {name}: only what the tier "
            "sources say. The list below names the indicators other jurisdictions have.")
else:
    lo, hi = int(summary["first_year"].min()), int(summary["last_year"].max())
    st.caption(f"Every indicator held for {name}, {lo}–{hi}. Sparklines share one year "
               "axis; breaks are missing years or a new edition. Rank: among all jurisdictions "
               f"with a value that year (1 = highest), shown where at least {q.MIN_PEERS} have "
               "one.")
    head = st.columns([3, 2, 2, 2])
    for col, text in zip(head, ["Indicator", f"{lo}–{hi}", "Latest value", "Rank"],
                         strict=True):
        col.markdown(f"**{text}**")
    for _, s in summary.iterrows():
        c1, c2, c3, c4 = st.columns([3, 2, 2, 2], vertical_alignment="center")
        c1.markdown(f"{md_plain(s['name'])}  \n:gray[{md_plain(s['unit'])} · {s['n_years']} "
                    f"year(s) · {md_plain(s['indicator'])}]")
        part = rows[(rows["series"] == s["series"]) & rows["charted"]]
        with c2:
            st.plotly_chart(charts.sparkline(part, first_year=lo, last_year=hi), theme=None,
                            config={"displayModeBar": False, "staticPlot": False},
                            key=f"spark_{s['series']}")
        c3.markdown(f"**{fmt(s['value'], s['qualifier'])}** ({int(s['year'])})  \n"
                    f":gray[{md_plain(str(s['source_id']).split('/')[0])}]")
        if s["series"] == pop_code:  # a population is not a ranking of anything
            c4.caption("not ranked")
            continue
        if s["value"] != s["value"]:  # NaN: the latest value has no number
            c4.caption("no rank (no number for that year)")
            continue
        r = q.rank(s["indicator"], int(s["year"]), iso3)
        if r is None:
            c4.caption(f"no rank (fewer than {q.MIN_PEERS} jurisdictions have a value)")
        else:
            c4.markdown(f"**{r['rank']}** of {r['of']}  \n:gray[{r['region_rank']} of "
                        f"{r['region_of']} in {r['region']}]")
    mates = q.peers(iso3, summary["indicator"].tolist())
    st.page_link(links.COMPARE_PAGE, label=(
        "Compare with " + ", ".join(md_plain(names.get(m, m)) for m in mates)
        + " on these indicators"
        if mates else "Open these indicators on the compare page"),
        icon=":material/compare_arrows:",
        query_params=links.compare_params(
            [iso3, *mates], [x for x in summary["series"] if x != pop_code]))
    with st.expander("All values and their sources"):
        style.dataframe(
            rows[["name", "year", "value", "qualifier", "charted", "source_id", "quote",
                  "cited_url", "note"]].sort_values(["name", "year"]),
            hide_index=True, key="profile_values",
            column_config={"name": "Indicator", "year": "Year", "value": "Value",
                           "qualifier": "Qualifier", "charted": "Charted",
                           "source_id": "Source file", "quote": "Quote",
                           "cited_url": st.column_config.LinkColumn("Page"), "note": "Note"})

missing = q.not_held(iso3, cat, summary["series"].tolist() if len(summary) else [])
if not missing.empty:
    with st.expander(f"Not held for {name}: {len(missing)} indicator(s) that other "
                     "jurisdictions have", expanded=summary.empty):
        style.dataframe(missing[["name", "unit", "publisher", "n_jurisdictions"]], hide_index=True,
                     column_config={"name": "Indicator", "unit": "Unit",
                                    "publisher": "Publisher",
                                    "n_jurisdictions": "Jurisdictions with values"})

# --- Sources --------------------------------------------------------------------------------
st.header("Sources used", divider="gray")
if sources.empty:
    st.info("No source in the database mentions this jurisdiction.")
else:
    style.show_chart(charts.coverage(sources), key="profile_coverage")
    style.dataframe(
        sources[["source_id", "publisher", "title", "what", "n", "first", "last", "address",
                 "retrieved_at", "sha256"]],
        hide_index=True, key="profile_sources",
        column_config={"source_id": "Source file", "publisher": "Publisher", "title": "Title",
                       "what": "Used for", "n": "Rows", "first": "From", "last": "To",
                       "address": st.column_config.LinkColumn("Address"),
                       "retrieved_at": "Retrieved", "sha256": "sha256"})
    st.caption("A blank address: a file compiled by this project from quoted public pages "
               "(each quote's page is in the values table).")
