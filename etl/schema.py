"""The database schema, created in one place. Every value row names its ``source_id``."""

from __future__ import annotations

import duckdb

from trafficking import vocabulary

SCHEMA_VERSION = 4

# What an indicator's value is: a count (divided by a population for per-capita figures), a
# rate per ``rate_base`` people (rescaled), a share in percent or a score (neither has a
# per-capita form).
INDICATOR_KINDS = ("count", "rate", "share", "score")
# Roles an indicator plays for others: 'population' is a sourced population denominator.
INDICATOR_ROLES = ("population",)


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


_KINDS, _ROLES = _sql_list(INDICATOR_KINDS), _sql_list(INDICATOR_ROLES)
TIERS = vocabulary.NAMES
_TIER_LIST = _sql_list(TIERS)  # constants of our own, never data
AREA_KINDS = ("jurisdiction", "region", "world", "union")

DDL = f"""
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per raw file: where it came from and what it hashed to.
CREATE TABLE IF NOT EXISTS sources (
    source_id    VARCHAR PRIMARY KEY,      -- '<dataset>/<file>'
    dataset      VARCHAR NOT NULL,         -- source module id, e.g. 'wikipedia-tip-tier-table'
    file         VARCHAR NOT NULL,
    publisher    VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    address      VARCHAR,                  -- official public address (NULL: compiled file, mirror only)
    fetched_from VARCHAR NOT NULL,         -- where this build actually read it
    via          VARCHAR NOT NULL,         -- mirror-dir | mirror-http | http
    licence      VARCHAR NOT NULL,
    homepage     VARCHAR,
    retrieved_at TIMESTAMP NOT NULL,
    sha256       VARCHAR NOT NULL,
    bytes        BIGINT NOT NULL,
    rows         INTEGER NOT NULL,
    published    BOOLEAN NOT NULL,         -- false: used only for cross-checks, values not shown
    description  VARCHAR                   -- what the dataset holds, as its source module says
);

CREATE TABLE IF NOT EXISTS jurisdictions (
    iso3   VARCHAR PRIMARY KEY,
    name   VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    iso2   VARCHAR                   -- ISO 3166 alpha-2 ('XK' for Kosovo); NULL when it has none
);

-- The tier vocabulary (trafficking/vocabulary.py), so the data package carries it.
CREATE TABLE IF NOT EXISTS tiers (
    tier         VARCHAR PRIMARY KEY,      -- the value tip_tiers.tier holds
    label        VARCHAR NOT NULL,         -- what readers see
    short_label  VARCHAR NOT NULL,
    color        VARCHAR NOT NULL,         -- hex, Okabe–Ito colour-blind-safe set
    rank_best    INTEGER,                  -- comparison rank, lower is better; NULL: not on the scale
    rank_worst   INTEGER,                  -- differs from rank_best for a range ('Tier 1 or 2')
    axis_position DOUBLE NOT NULL,         -- place on the ordinal tier axis
    legend_order INTEGER NOT NULL,
    stack_order  INTEGER NOT NULL,         -- bottom to top in stacked bars
    ranked       BOOLEAN NOT NULL,         -- one of the report's four ranked lists
    resolved     BOOLEAN NOT NULL          -- a placement, not a range
);

-- Every place with a tier or a value, and where the map draws it when it has no visible outline.
CREATE TABLE IF NOT EXISTS areas (
    code          VARCHAR PRIMARY KEY,     -- ISO alpha-3, a region code, 'WLD', 'EU27_2020'
    kind          VARCHAR NOT NULL CHECK (kind IN ({_sql_list(AREA_KINDS)})),
    name          VARCHAR NOT NULL,        -- the one display name
    parent_region VARCHAR,                 -- a jurisdiction's UN sub-region
    marker_lon    DOUBLE,                  -- a dot here on the map; NULL: its outline is drawn
    marker_lat    DOUBLE,
    marker_reason VARCHAR,                 -- why a dot, or why it cannot be placed at all
    cldr_code     VARCHAR                  -- CLDR territory naming it in other languages (or NULL)
);

-- A publisher's own grouping of places (e.g. Walk Free's regions), one row per place and scheme.
CREATE TABLE IF NOT EXISTS area_groups (
    scheme      VARCHAR NOT NULL,        -- whose grouping, e.g. 'Walk Free region'
    code        VARCHAR NOT NULL,        -- the place (ISO alpha-3)
    group_name  VARCHAR NOT NULL,        -- the group as the publisher names it
    source_id   VARCHAR NOT NULL REFERENCES sources (source_id),
    PRIMARY KEY (scheme, code)
);

-- What the map geometry (world-geometry source) holds for each code: computed once from the
-- topojson files, so the dashboard never decodes arcs.
CREATE TABLE IF NOT EXISTS map_shapes (
    code          VARCHAR PRIMARY KEY,     -- ISO alpha-3 (a shape without one: by its neighbours)
    outline       VARCHAR NOT NULL CHECK (outline IN ('drawn', 'too small', 'missing')),
    marker_lon    DOUBLE,                  -- NULL when the outline is drawn
    marker_lat    DOUBLE,
    marker_reason VARCHAR,
    source_id     VARCHAR NOT NULL REFERENCES sources (source_id)
);

-- Every tier statement from every source, before precedence is applied.
CREATE TABLE IF NOT EXISTS tier_observations (
    iso3              VARCHAR NOT NULL,
    report_year       INTEGER NOT NULL,
    tier              VARCHAR NOT NULL,
    name_as_published VARCHAR NOT NULL,
    source_id         VARCHAR NOT NULL REFERENCES sources (source_id),
    list_complete     BOOLEAN NOT NULL,    -- this row belongs to a complete list of its tier that year
    cited_url         VARCHAR,             -- the page the statement was read from, where one row = one page
    note              VARCHAR,
    secondary         BOOLEAN NOT NULL DEFAULT false  -- read from a secondary compilation, ranked last
);

-- The published tier per jurisdiction and report year, after precedence.
CREATE TABLE IF NOT EXISTS tip_tiers (
    iso3        VARCHAR NOT NULL REFERENCES jurisdictions (iso3),
    report_year INTEGER NOT NULL,
    tier        VARCHAR NOT NULL CHECK (tier IN ({_TIER_LIST})),
    source_id   VARCHAR NOT NULL REFERENCES sources (source_id),
    resolved    BOOLEAN NOT NULL,          -- false for 'Tier 1 or 2' (a range, not a placement)
    note        VARCHAR,
    -- 'stated': a source states this placement; 'elimination': ranked that year and absent from
    -- every other tier's complete list; 'range': only 'Tier 1 or 2' can be said.
    method       VARCHAR NOT NULL DEFAULT 'stated' CHECK (method IN ('stated', 'elimination', 'range')),
    derived_from VARCHAR,                  -- for elimination / range: the source_ids it rests on, ', '-joined
    secondary    BOOLEAN NOT NULL DEFAULT false,  -- the chosen statement comes from a secondary compilation
    PRIMARY KEY (iso3, report_year)
);

-- Every country-year where sources disagree: one row per losing statement.
CREATE TABLE IF NOT EXISTS tier_conflicts (
    iso3             VARCHAR NOT NULL,
    report_year      INTEGER NOT NULL,
    source_id        VARCHAR NOT NULL,
    tier             VARCHAR NOT NULL,
    chosen_tier      VARCHAR NOT NULL,
    chosen_source_id VARCHAR NOT NULL,
    reason           VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS indicators (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    unit        VARCHAR NOT NULL,
    definition  VARCHAR NOT NULL,
    what_counts VARCHAR,                   -- how this publisher's definition differs from others'
    publisher   VARCHAR NOT NULL,
    breakdowns  VARCHAR,                   -- comma-separated breakdown dimensions that exist
    series      VARCHAR NOT NULL,          -- measure shared by editions (one line, broken per edition)
    edition     VARCHAR,                   -- e.g. 'GEMS 2022'; NULL when unversioned
    edition_year INTEGER,                  -- the edition's year; NULL when unversioned
    programme   VARCHAR,                   -- editions of one programme compare ('gems', 'ilo')
    measure     VARCHAR NOT NULL,          -- what is measured, e.g. 'forced_labour'
    kind        VARCHAR NOT NULL CHECK (kind IN ({_KINDS})),  -- count | rate | share | score
    rate_base   DOUBLE,                    -- 1000 for 'per 1,000 population'; else NULL
    role        VARCHAR CHECK (role IN ({_ROLES})),  -- 'population': a denominator
    label       VARCHAR NOT NULL,          -- display label of the measure, without its edition
    dataset     VARCHAR NOT NULL,          -- the source module that registers it
    CHECK ((kind = 'rate') = (rate_base IS NOT NULL)),
    CHECK ((edition IS NULL) = (edition_year IS NULL))
);

CREATE TABLE IF NOT EXISTS observations (
    indicator     VARCHAR NOT NULL REFERENCES indicators (code),
    area_code     VARCHAR NOT NULL,        -- ISO alpha-3, a region code, or 'WLD'
    area_kind     VARCHAR NOT NULL CHECK (area_kind IN ('jurisdiction', 'region', 'world')),
    year          INTEGER NOT NULL,
    breakdown_dim VARCHAR NOT NULL,        -- 'total', 'sex', 'age', 'form', 'region', ...
    breakdown     VARCHAR NOT NULL,        -- '' for totals
    value         DOUBLE,                  -- NULL with a qualifier such as 'suppressed (<5)'
    qualifier     VARCHAR,                 -- 'approximately', 'more than', ...
    source_id     VARCHAR NOT NULL REFERENCES sources (source_id),
    quote         VARCHAR,                 -- the sentence a quoted figure comes from
    cited_url     VARCHAR,                 -- the page that states it
    note          VARCHAR,
    edition       VARCHAR,                 -- the publication edition stating it, e.g. '2024 TIP report'
    preferred     BOOLEAN NOT NULL DEFAULT true,  -- the one value charted where a figure is stated twice
    preferred_reason VARCHAR,              -- why this row is (or is not) the charted one
    is_total      BOOLEAN NOT NULL,        -- the area's total: no breakdown, or a region's own row
    series_break  BOOLEAN NOT NULL DEFAULT false  -- definition or method changed here
);

-- Two statements of one figure (same indicator, area, year, breakdown) that disagree:
-- one row per losing value, as tier_conflicts does for placements.
CREATE TABLE IF NOT EXISTS observation_conflicts (
    indicator        VARCHAR NOT NULL,
    area_code        VARCHAR NOT NULL,
    year             INTEGER NOT NULL,
    breakdown_dim    VARCHAR NOT NULL,
    breakdown        VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,
    edition          VARCHAR,
    value            DOUBLE,
    chosen_source_id VARCHAR NOT NULL,
    chosen_edition   VARCHAR,
    chosen_value     DOUBLE,
    reason           VARCHAR NOT NULL
);

-- A government's published answer to its placement in a TIP report edition.
CREATE TABLE IF NOT EXISTS government_responses (
    iso3          VARCHAR NOT NULL,
    report_year   INTEGER NOT NULL,        -- the TIP report edition answered
    statement_date DATE,                   -- as the statement states it; NULL when it does not
    publisher     VARCHAR NOT NULL,        -- who made the statement (and where the copy was read)
    title         VARCHAR NOT NULL,
    cited_url     VARCHAR NOT NULL,        -- the address of the copy read
    stance        VARCHAR NOT NULL CHECK (stance IN ('rejects', 'welcomes', 'notes')),
    stance_quote  VARCHAR,                 -- the statement's own words supporting the stance
    figures_cited VARCHAR,                 -- the numbers the statement itself cites, summarised
    language      VARCHAR,                 -- BCP 47 tag of the statement's own words, e.g. 'en', 'zh-Hant'
    source_id     VARCHAR NOT NULL REFERENCES sources (source_id),
    note          VARCHAR
);

CREATE TABLE IF NOT EXISTS etl_runs (
    run_id      VARCHAR PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL,          -- 'ok' | 'failed'
    sources     VARCHAR NOT NULL,          -- comma-separated source ids refreshed
    mirror      VARCHAR,
    summary     VARCHAR                    -- JSON: rows per table, conflicts, timings, changes
);

-- The values readers may see: observations of published sources with the facts of their source
-- file and indicator. Every read query of values uses it.
CREATE OR REPLACE VIEW published AS
SELECT o.*,
       s.dataset, s.publisher AS source_publisher, s.title AS source_title,
       s.address AS source_address, s.retrieved_at, s.sha256, s.licence,
       i.name AS indicator_name, i.unit, i.publisher AS indicator_publisher, i.what_counts,
       i.series, i.edition AS indicator_edition, i.edition_year, i.programme, i.measure, i.kind,
       i.rate_base, i.role, i.label AS indicator_label
FROM observations o
JOIN sources s USING (source_id)
JOIN indicators i ON i.code = o.indicator
WHERE s.published;
"""

TABLES = (
    "meta", "sources", "jurisdictions", "tiers", "areas", "area_groups", "map_shapes",
    "tier_observations", "tip_tiers", "tier_conflicts", "indicators", "observations", "observation_conflicts",
    "government_responses", "etl_runs",
)
# Stances a government response can take: the project's reading of the statement.
STANCES = ("rejects", "welcomes", "notes")
TIER_METHODS = ("stated", "elimination", "range")


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    con.executemany(
        "INSERT OR REPLACE INTO tiers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(t.name, t.label, t.short, t.color, t.rank_best, t.rank_worst, t.position,
          t.legend_order, t.stack_order, t.ranked, t.resolved) for t in vocabulary.TIERS])
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
    )
