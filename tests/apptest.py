"""Running a page the way a visitor reaches it: through dashboard.py's navigation, on a real DB."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def open_page(page: str | None, db: Path, monkeypatch: pytest.MonkeyPatch, timeout: float = 240,
              **params: str) -> AppTest:
    """Run ``page`` (None: the default page) with ``params`` in the address; fail on any exception."""
    monkeypatch.setenv("TRAFFICKING_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    """The Plotly figures the page drew, as JSON dicts."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def sql(db: Path, text: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(text, params or []).fetchall()
    finally:
        con.close()
