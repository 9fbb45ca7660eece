"""Every address the README gives opens its view: the page runs without an exception, nothing in
the address is dropped with a notice, the address keeps every value, and a section the address
names is open."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.apptest import open_page
from trafficking import pages

README = Path(__file__).resolve().parent.parent / "README.md"
# `…` spans that are addresses on the dashboard: a path (or none) and a query.
ADDRESS = re.compile(r"`(/[a-z_]*\?[^`\s]+)`")


def _addresses() -> list[str]:
    found = ADDRESS.findall(README.read_text(encoding="utf-8"))
    return [a for a in dict.fromkeys(found) if "…" not in a]


def test_the_readme_gives_addresses_to_check() -> None:
    assert len(_addresses()) >= 4, _addresses()


@pytest.mark.parametrize("address", _addresses())
def test_a_readme_address_opens_its_view(address: str, built_db: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    parts = urlsplit(address)
    stem = parts.path.strip("/")
    params = dict(parse_qsl(parts.query))
    at = open_page(pages.script(stem) if stem else None, built_db, monkeypatch, **params)
    notices = [w.value for w in at.warning if "Ignored" in str(w.value)]
    assert notices == []
    kept = {k: at.query_params.get(k) for k in params}
    assert kept == params
