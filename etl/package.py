"""The published database as an open data package (Frictionless Data Package, v1).

``write(db_path)`` writes ``<db folder>/package/``: one Parquet and one CSV file per published
table, ``datapackage.json`` (a resource per table with its schema, bytes and sha256; the
licences and sources of every dataset; a citation) and a README, then
``<db folder>/trafficking-data.zip`` of the same files. Both are staged under temporary names and
renamed into place, so a reader (nginx, the Data & sources page) sees the old package or the new.

Left out: ``meta`` and ``etl_runs`` (the build's own bookkeeping) and the ``sources`` columns
``fetched_from`` and ``via`` (where this machine read a file, not where the public can).
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl import schema
from etl.errors import EtlError
from etl.fetch import sha256_of

TABLES = [t for t in schema.TABLES if t not in ("meta", "etl_runs")]
HIDDEN_COLUMNS = {"sources": {"fetched_from", "via"}}
ZIP_NAME = "trafficking-data.zip"
# The dashboard's rule for downloads (trafficking.text.csv_cell), written again here because the
# ETL never imports the read side; tests/test_package.py checks that both agree.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_SQL = "^[=+\\-@\\t\\r]"
_TYPES = {"VARCHAR": "string", "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "datetime",
          "DOUBLE": "number", "FLOAT": "number", "INTEGER": "integer", "BIGINT": "integer",
          "SMALLINT": "integer", "TINYINT": "integer", "HUGEINT": "integer"}


def csv_cell(value: object) -> object:
    """A string cell a spreadsheet would run as a formula, prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _descriptions() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Table and column descriptions from the comments in etl/schema.py's DDL: the schema's
    own words, kept beside it rather than copied here."""
    tables: dict[str, str] = {}
    columns: dict[str, dict[str, str]] = {}
    pending: list[str] = []
    current = None
    for line in schema.DDL.splitlines():
        stripped = line.strip()
        m = re.match(r"CREATE TABLE IF NOT EXISTS (\w+)", stripped)
        if m:
            current = m.group(1)
            if pending:
                tables[current] = " ".join(pending)
            pending = []
            continue
        if stripped.startswith("--"):
            if current is None or stripped.startswith("-- "):
                pending.append(stripped[2:].strip())
            continue
        m = re.match(r"(\w+)\s+[A-Z]+.*?--\s*(.+)$", stripped)
        if current and m:
            columns.setdefault(current, {})[m.group(1)] = m.group(2).strip()
        if stripped.startswith(");"):
            current, pending = None, []
    return tables, columns


def _fields(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(c, t) for c, t in con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
        "AND database_name = current_database() ORDER BY column_index", [table]).fetchall()
        if c not in HIDDEN_COLUMNS.get(table, set())]


def _select(table: str, fields: list[tuple[str, str]], for_csv: bool) -> str:
    cols = []
    for name, kind in fields:
        if for_csv and kind == "VARCHAR":
            cols.append(f"CASE WHEN regexp_matches({name}, '{_FORMULA_SQL}') "
                        f"THEN '''' || {name} ELSE {name} END AS {name}")
        elif for_csv and kind == "TIMESTAMP":
            cols.append(f"strftime({name}, '%Y-%m-%dT%H:%M:%S') AS {name}")
        else:
            cols.append(name)
    return f"SELECT {', '.join(cols)} FROM {table}"


def _primary_keys(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    out = {}
    for table, cols in con.execute(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
        "WHERE constraint_type = 'PRIMARY KEY' AND database_name = current_database()"
    ).fetchall():
        out[table] = list(cols)
    return out


def _write_files(con: duckdb.DuckDBPyConnection, folder: Path) -> tuple[dict, list[dict]]:
    described, column_notes = _descriptions()
    keys = _primary_keys(con)
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    resources = []
    for table in TABLES:
        fields = _fields(con, table)
        n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for fmt, for_csv in (("csv", True), ("parquet", False)):
            path = folder / f"{table}.{fmt}"
            options = "FORMAT csv, HEADER true" if for_csv else "FORMAT parquet"
            con.execute(f"COPY ({_select(table, fields, for_csv)}) TO '{path}' ({options})")
            resource = {
                "name": f"{table}-{fmt}".replace("_", "-"),
                "path": path.name,
                "title": f"{table} ({fmt.upper()})",
                "description": described.get(table, f"The {table} table."),
                "format": fmt,
                "mediatype": "text/csv" if for_csv else "application/vnd.apache.parquet",
                "bytes": path.stat().st_size,
                "hash": f"sha256:{sha256_of(path)}",
                "rows": n,
            }
            if for_csv:
                resource["encoding"] = "utf-8"
                resource["schema"] = {
                    "fields": [
                        {"name": c, "type": _TYPES.get(t, "string"),
                         **({"description": column_notes[table][c]}
                            if c in column_notes.get(table, {}) else {})}
                        for c, t in fields],
                    **({"primaryKey": keys[table]} if table in keys else {}),
                }
            resources.append(resource)
    return meta, resources


def _datapackage(con: duckdb.DuckDBPyConnection, meta: dict, resources: list[dict]) -> dict:
    datasets = con.execute(
        "SELECT dataset, any_value(publisher), any_value(title), any_value(licence), "
        "any_value(homepage), min(retrieved_at), max(retrieved_at) FROM sources "
        "GROUP BY dataset ORDER BY dataset").fetchall()
    licences = sorted({d[3] for d in datasets})
    built = meta.get("built_at", "")
    return {
        "name": "trafficking-statistics",
        "title": "Human trafficking statistics and indicators",
        "description": (
            "Every figure and TIP tier the dashboard shows, each row naming the source file it "
            "came from (source_id, a row of sources.csv: publisher, title, public address, "
            "licence, retrieval date, sha256). CSV cells that begin with = + - @ or a tab are "
            "prefixed with ' so a spreadsheet shows them as text; the Parquet files hold the "
            "values exactly."),
        "version": meta.get("run_id", ""),
        "created": built[:19] + "Z" if built else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "keywords": ["human trafficking", "TIP report", "modern slavery", "statistics"],
        # Each dataset keeps its publisher's licence: the package has no single licence.
        "licenses": [{"name": re.sub(r"[^a-z0-9._/-]+", "-", lic.lower()).strip("-")[:60] or "other",
                      "title": lic} for lic in licences],
        "sources": [
            {"title": f"{d[1]}: {d[2]}", **({"path": d[4]} if d[4] else {}),
             "description": f"dataset {d[0]}; licence: {d[3]}; retrieved {d[5]:%Y-%m-%d}"
             + (f" to {d[6]:%Y-%m-%d}" if d[6] != d[5] else "")}
            for d in datasets],
        "citation": (f"Human trafficking statistics dashboard, data package version "
                     f"{meta.get('run_id', '')} (built {built[:10]}); cite each figure's original "
                     "publisher as named in sources.csv."),
        "schema_version": meta.get("schema_version", ""),
        "resources": resources,
    }


def _readme(package: dict) -> str:
    lines = [f"# {package['title']}", "", package["description"], "",
             f"Version {package['version']}, built {package['created']}.", "",
             "## Files", ""]
    for r in package["resources"]:
        if r["format"] == "csv":
            lines.append(f"- `{r['path']}` / `{r['path'][:-4]}.parquet` ({r['rows']:,} rows): "
                         f"{r['description']}")
    lines += ["", "`datapackage.json` describes every file (columns, types, sha256) in the "
              "Frictionless Data Package format; validate it with `frictionless validate "
              "datapackage.json`.", "", "## How to cite", "", package["citation"], "",
              "## Licences", "",
              "Each dataset keeps its publisher's licence (the `licence` column of sources.csv):",
              ""]
    lines += [f"- {s['title']} — {s['description']}" for s in package["sources"]]
    return "\n".join(lines) + "\n"


def write(db_path: Path, out_dir: Path | None = None) -> Path:
    """Write the package of the database at ``db_path``; returns the package folder."""
    db_path = Path(db_path)
    out_dir = Path(out_dir or db_path.parent / "package")
    if not db_path.exists():
        raise EtlError(f"no database at {db_path}; build it first with `python -m etl refresh`")
    stage = out_dir.with_name(f".{out_dir.name}.staging")
    zip_path = out_dir.parent / ZIP_NAME
    zip_stage = zip_path.with_name(f".{ZIP_NAME}.staging")
    shutil.rmtree(stage, ignore_errors=True)
    try:
        stage.mkdir(parents=True)
        with duckdb.connect(str(db_path), read_only=True) as con:
            meta, resources = _write_files(con, stage)
            package = _datapackage(con, meta, resources)
        (stage / "datapackage.json").write_text(json.dumps(package, indent=1, default=str),
                                                encoding="utf-8")
        (stage / "README.md").write_text(_readme(package), encoding="utf-8")
        with zipfile.ZipFile(zip_stage, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(stage.iterdir()):
                zf.write(path, f"trafficking-data/{path.name}")
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out_dir.exists():
            out_dir.rename(old)
        stage.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
        zip_stage.replace(zip_path)
    except (OSError, duckdb.Error) as exc:
        shutil.rmtree(stage, ignore_errors=True)
        zip_stage.unlink(missing_ok=True)
        raise EtlError(f"writing the data package into {out_dir} failed "
                       f"({exc.__class__.__name__}: {exc})") from exc
    return out_dir
