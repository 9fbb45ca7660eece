"""Address values are checked against the database; rejected ones are reported safely."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

HOSTILE = "<script>alert(1)</script>"
LONG = "A" * 5000


@pytest.fixture()
def reg(built_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRAFFICKING_DB", str(built_db))
    from trafficking.present import registry

    return registry


def test_shown_escapes_markup_and_clips() -> None:
    from trafficking.present.validate import MAX_SHOWN, shown

    text = shown(HOSTILE)
    assert "<" not in text.replace("\\<", "") and ">" not in text.replace("\\>", "")
    assert text.startswith("\\<script\\>")
    long = shown(LONG)
    assert len(long) < MAX_SHOWN + 40 and "5,000 characters" in long
    assert "\n" not in shown("a\nb\x00c")
    # Markdown links and emphasis are escaped too, so nothing becomes a link or formatting.
    assert shown("[x](javascript:alert(1))").startswith("\\[x\\]\\(javascript\\:")


@pytest.mark.parametrize("raw, why", [
    (HOSTILE, "not a year"), ("1800", "2001–"), (LONG, "not a year"), ("2024.5", "not a year"),
])
def test_year_param_drops_bad_values(reg, raw: str, why: str) -> None:
    values, notices = reg.from_address("tiers-map", {"year": [raw]})
    assert values["year"] == reg.YEAR.default() == 2025
    assert len(notices) == 1 and why in notices[0]
    assert "<script>" not in notices[0] and len(notices[0]) < 200


def test_year_param_keeps_years_the_database_holds(reg) -> None:
    values, notices = reg.from_address("tiers-map", {"year": ["2015"]})
    assert values == {"year": 2015} and notices == []


def test_codes_param_keeps_known_codes_only(reg) -> None:
    values, notices = reg.from_address(
        "tier-timeline", {"jurisdictions": [f"hkg,XXX,SGP,{HOSTILE}"]})
    assert values["jurisdictions"] == ["HKG", "SGP"]
    assert len(notices) == 1 and "XXX" in notices[0] and "<script>" not in notices[0]
    values, notices = reg.from_address("tier-timeline", {"jurisdictions": [LONG]})
    assert values["jurisdictions"] == ["HKG"] and "too long" in notices[0]


def test_choice_params(reg) -> None:
    values, notices = reg.from_address(
        "tier-heatmap", {"regions": ["Eastern Asia,Atlantis"], "sort": ["WATCH"]})
    assert values == {"regions": ["Eastern Asia"], "sort": "watch"}
    assert len(notices) == 1 and "Atlantis" in notices[0]


def test_links_encode_values(reg) -> None:
    from trafficking.present import links

    spec = reg.CHARTS["tier-timeline"]
    url = links.permalink(spec, {"jurisdictions": ["HKG", "SGP"]}, "https://example.org")
    assert url == "https://example.org/tiers?jurisdictions=HKG%2CSGP&section=timeline"
    embed = links.embed_url(spec, {"jurisdictions": ["HKG"]}, "https://example.org")
    assert parse_qs(urlsplit(embed).query) == {
        "embed": ["true"], "chart": ["tier-timeline"], "jurisdictions": ["HKG"]}
    snippet = links.iframe(reg.CHARTS["tier-heatmap"], {"regions": ['"><script>'], "sort": "name"},
                           "https://example.org")
    assert "<script>" not in snippet and snippet.count('"') == 12


def test_base_url_strips_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from trafficking.present import links

    monkeypatch.delenv("TRAFFICKING_PUBLIC_URL", raising=False)
    assert links.base_url("http://h:8501/tiers", ("tiers",)) == "http://h:8501"
    assert links.base_url("http://h/app/tiers", ("tiers",)) == "http://h/app"
    assert links.base_url(None) == links.DEFAULT_BASE
    monkeypatch.setenv("TRAFFICKING_PUBLIC_URL", "https://stats.example.org/")
    assert links.base_url("http://h:8501/tiers", ("tiers",)) == "https://stats.example.org"


def test_pack_address_round_trip(reg) -> None:
    from trafficking.present import pack

    entries, notices = pack.parse(
        ["tiers-map:year=2015;tier-timeline:jurisdictions=HKG,SGP;nope:x=1;tier-counts:"])
    assert [e["chart"] for e in entries] == ["tiers-map", "tier-timeline", "tier-counts"]
    assert len(notices) == 1 and "nope" in notices[0]
    again, _ = pack.parse([pack.encode(entries)])
    assert again == entries
    bad, notices = pack.parse([f"tiers-map:year={HOSTILE}"])
    assert bad[0]["params"]["year"] == str(reg.YEAR.default()) and "<script>" not in notices[0]


def test_every_registered_chart_builds_with_sources(reg) -> None:
    """Each shareable chart builds from its defaults, has data, and names its source files."""
    from trafficking.present import export

    assert len(reg.CHARTS) >= 10
    for chart_id, spec in reg.CHARTS.items():
        view = reg.view(chart_id)
        assert view.title == spec.title or view.title
        assert len(view.data) > 0, chart_id
        assert len(view.sources) > 0 and view.sources["publisher"].notna().all(), chart_id
        assert view.source_line and view.caption, chart_id
        assert export.csv_bytes(view, "2026-01-01 00:00 UTC").startswith(b"# title: ")
