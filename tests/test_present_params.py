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


def test_notices_read_right_for_one_value_and_for_several(reg) -> None:
    one = reg.PLACES.check(["XXX"]).notices
    assert one == ("Ignored an unknown jurisdiction code in the address: “XXX”.",)
    many = reg.PLACES.check(["HKG,A1,A2,A3,A4,A5,A6"]).notices
    assert many == ("Ignored 6 values in the address that are not a known jurisdiction code: "
                    "“A1”, “A2”, “A3”, “A4”, “A5” and 1 more.",)
    assert reg.YEAR.check(["1800"]).notices == (
        "Ignored the report year 1800 in the address: the database holds 2001–2025.",)
    assert reg.ANIMATE.check(["maybe"]).notices == (
        "Ignored the animation setting “maybe” in the address: use 1 or 0.",)


def test_notices_are_in_the_readers_language_and_quote_the_value(reg) -> None:
    from trafficking import i18n
    from trafficking.present import specs_profile

    with i18n.using("zh-Hant"):
        assert reg.YEAR.check(["abc"]).notices == ("已略過網址中的報告年份「abc」：不是年份。",)
        assert reg.YEAR.check(["1800"]).notices == (
            "已略過網址中的報告年份 1800：數據庫只有 2001–2025。",)
        assert reg.PLACES.check(["XXX,<b>y</b>"]).notices == (
            "已略過網址中不明的司法管轄區代碼：「XXX」、「\\<b\\>y\\</b\\>」。",)
        assert reg.PLACES.check([LONG]).notices == ("已略過網址中的司法管轄區代碼：過長。",)
        assert reg.REGIONS.check(["Atlantis"]).notices == ("已略過網址中不明的地區：「Atlantis」。",)
        assert specs_profile.ISO3.check(["HKG,SGP"]).notices == (
            "網址為司法管轄區代碼提供了 2 個值，只保留第一個。",)
        long = reg.YEAR.check(["Y" * 5000]).notices[0]
        assert "（共 5,000 個字元）" in long and len(long) < 120


def test_pickers_order_values_by_the_name_shown(reg) -> None:
    from trafficking import i18n
    from trafficking.present import text_tiers, widgets
    from trafficking.queries import tiers

    names = {"CZE": "Czechia", "CIV": "Côte d'Ivoire", "CRI": "Costa Rica", "ALB": "albania"}
    assert widgets.by_name(names) == ["ALB", "CRI", "CIV", "CZE"]  # case and accents folded
    regions = tiers.regions()
    with i18n.using("zh-Hant"):
        ordered = widgets.by_name(regions, text_tiers.region_name)
        shown = [text_tiers.region_name(r) for r in ordered]
    assert sorted(ordered) == sorted(regions)  # the values are the database's own
    assert shown[:3] == ["中亞", "中美洲", "中非"] and ordered[0] == "Central Asia"
