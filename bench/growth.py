"""Throwaway databases with synthetic rows (×10, ×100) to show how page cost grows.

Copies of a freshly built database get the tier tables (``tip_tiers``,
``tier_observations``) and the jurisdiction rows of ``observations`` (the largest value
table) replicated onto made-up jurisdictions named "<real name> (synthetic NN)" with codes
"<ISO3>NN", all pointing at one source row whose publisher says SYNTHETIC. The copy carries
``meta('synthetic') = 'true'`` so the dashboard shows a banner on every page. Never run
against data/trafficking.duckdb: ``make_synthetic`` refuses to write there.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = (ROOT / "data" / "trafficking.duckdb").resolve()
SOURCE_ID = "bench-synthetic/rows"


def make_synthetic(base: Path, target: Path, factor: int) -> dict[str, int]:
    """Copy ``base`` to ``target`` and scale the tier and observation rows by ``factor``."""
    if target.resolve() == PUBLISHED or base.resolve() == target.resolve():
        raise ValueError(f"refusing to write synthetic rows into {target}")
    if factor < 2 or factor > 999:
        raise ValueError("factor must be between 2 and 999")
    shutil.copyfile(base, target)
    con = duckdb.connect(str(target))
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TEMP TABLE k AS SELECT range AS k FROM range(1, ?)", [factor])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('synthetic', 'true')")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('synthetic_factor', ?)", [str(factor)])
        con.execute(
            "INSERT INTO sources SELECT ?, 'bench-synthetic', 'rows', "
            "'SYNTHETIC (benchmark only, not data)', 'Synthetic rows for the growth benchmark', "
            "NULL, 'bench/growth.py', 'generated', 'none', NULL, ?, '', 0, 0, false, NULL",
            [SOURCE_ID, datetime.now(UTC).replace(tzinfo=None)])
        code = "j.iso3 || lpad(CAST(k.k AS VARCHAR), 2, '0')"
        con.execute(
            f"INSERT INTO jurisdictions (iso3, name, region) SELECT {code}, "
            "j.name || ' (synthetic ' || lpad(CAST(k.k AS VARCHAR), 2, '0') || ')', j.region "
            "FROM jurisdictions j CROSS JOIN k")
        code_t = code.replace("j.iso3", "t.iso3")
        con.execute(
            "INSERT INTO tip_tiers (iso3, report_year, tier, source_id, resolved, note, method, "
            f"secondary) SELECT {code_t}, t.report_year, t.tier, ?, t.resolved, "
            "'synthetic row', t.method, t.secondary FROM tip_tiers t CROSS JOIN k WHERE t.source_id <> ?",
            [SOURCE_ID, SOURCE_ID])
        con.execute(
            "INSERT INTO tier_observations (iso3, report_year, tier, name_as_published, source_id, "
            f"list_complete, cited_url, note) SELECT {code_t}, t.report_year, t.tier, "
            "t.name_as_published || ' (synthetic)', ?, t.list_complete, NULL, 'synthetic row' "
            "FROM tier_observations t CROSS JOIN k WHERE t.source_id <> ?", [SOURCE_ID, SOURCE_ID])
        code_o = code.replace("j.iso3", "o.area_code")
        con.execute(
            "INSERT INTO observations (indicator, area_code, area_kind, year, breakdown_dim, "
            "breakdown, value, qualifier, source_id, quote, cited_url, note, edition, preferred, "
            "is_total, series_break) "
            f"SELECT o.indicator, {code_o}, o.area_kind, o.year, o.breakdown_dim, o.breakdown, "
            "o.value, o.qualifier, ?, NULL, NULL, 'synthetic row', o.edition, o.preferred, "
            "o.is_total, o.series_break "
            "FROM observations o CROSS JOIN k WHERE o.area_kind = 'jurisdiction' "
            "AND o.source_id <> ?", [SOURCE_ID, SOURCE_ID])
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("jurisdictions", "tip_tiers", "tier_observations", "observations")}
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts
