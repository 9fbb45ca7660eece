"""trafficking/i18n.py and its catalogue: every marked string of the code is in the Chinese
catalogue with a translation, placeholders agree, and ``?lang=zh-Hant`` turns the interface
Chinese while ``?lang=`` values we do not offer fall back to English with a notice."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.apptest import open_page
from trafficking import i18n

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "trafficking" / "locale" / "zh_Hant" / "LC_MESSAGES" / "messages.po"
METHODS = [("dashboard.py", "python"), ("app_pages/**.py", "python"),
           ("trafficking/**.py", "python")]
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
# Modules whose every interface string goes through the catalogue: a literal handed straight to
# a Streamlit text call is an untranslated string.
TRANSLATED = ["dashboard.py", "trafficking/present/language.py",
              "app_pages/global_estimates.py", "trafficking/present/text_estimates.py",
              "trafficking/present/specs_estimates.py", "trafficking/charts/estimates.py",
              "trafficking/formatting.py",
              "app_pages/tiers.py", "app_pages/overview.py", "app_pages/profile.py",
              "trafficking/present/text_tiers.py", "trafficking/present/text_overview.py",
              "trafficking/present/text_profile.py", "trafficking/present/registry.py",
              "trafficking/present/specs_profile.py", "trafficking/present/tiles.py",
              "trafficking/present/widgets.py", "trafficking/charts/tiers.py",
              "trafficking/charts/profile.py", "trafficking/vocabulary.py",
              "trafficking/queries/responses.py", "trafficking/queries/profile.py",
              # Screening and Compare (their charts, specs, words and data notes)
              "app_pages/screening.py", "app_pages/compare.py",
              "trafficking/present/specs_screening.py", "trafficking/present/specs_funnels.py",
              "trafficking/present/specs_compare.py", "trafficking/present/text_screening.py",
              "trafficking/present/text_compare.py", "trafficking/present/datatable.py",
              "trafficking/charts/screening.py", "trafficking/charts/funnels.py",
              "trafficking/charts/compare.py", "trafficking/percapita.py",
              # Data & sources, the briefing pack, exports, embeds and table headings
              "app_pages/data_sources.py", "trafficking/present/text_sources.py",
              "app_pages/briefing_pack.py", "trafficking/present/briefing.py",
              "trafficking/present/pack.py", "trafficking/present/embed.py",
              "trafficking/present/export.py", "trafficking/present/tables.py",
              "trafficking/present/sources.py"]
TEXT_CALLS = {"title", "header", "subheader", "markdown", "caption", "write", "info", "warning",
              "error", "success", "button", "radio", "selectbox", "multiselect", "toggle",
              "checkbox", "expander", "page_link", "download_button", "text", "metric",
              "select_slider", "slider", "segmented_control", "tabs"}


def _code_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=METHODS):
        for part in message if isinstance(message, tuple) else (message,):
            if part:
                found.add(part)
    return found


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_Hant")


def test_every_marked_string_has_a_chinese_translation(catalogue) -> None:
    # A plural entry (ngettext) is found by its singular and its plural msgid.
    entries = {part: m for m in catalogue if m.id
               for part in ((m.id,) if isinstance(m.id, str) else m.id)}
    code = _code_messages()
    assert sorted(code - set(entries)) == [], "run `make messages` and translate the new entries"
    untranslated = sorted(i for i, m in entries.items()
                          if not (m.string if isinstance(m.string, str) else all(m.string)))
    assert untranslated == []
    assert sorted(i for i, m in entries.items() if m.fuzzy) == []
    assert sorted(set(entries) - code) == [], "entries no code uses: `make messages` drops them"


def test_placeholders_agree(catalogue) -> None:
    for m in catalogue:
        if m.id and isinstance(m.id, str):
            assert sorted(PLACEHOLDER.findall(m.id)) == sorted(PLACEHOLDER.findall(m.string)), m.id


def test_bold_marks_close_in_both_languages(catalogue) -> None:
    """CommonMark ends bold only where ``**`` is right-flanking: after punctuation it needs a
    space or punctuation next, so '**缺口。**來源' shows its asterisks (write '**缺口**。來源')."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    open_marks = []
    for m in catalogue:
        for text in (m.id if isinstance(m.id, tuple) else (m.id,)) + (
                m.string if isinstance(m.string, tuple) else (m.string,)):
            if text and "**" in text:
                # Placeholders filled with a plain word, as the pages fill them.
                html = md.render(PLACEHOLDER.sub("x", text).replace("\n", "\n\n"))
                if "**" in html:
                    open_marks.append(text[:60])
    assert open_marks == []


@pytest.mark.parametrize("module", TRANSLATED)
def test_no_literal_reaches_a_text_call(module: str) -> None:
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    literal = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in TEXT_CALLS and node.args
                and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
                and (not isinstance(node.args[0], ast.Constant)
                     or isinstance(node.args[0].value, str) and node.args[0].value.strip())):
            literal.append(f"{module}:{node.lineno}")
    assert literal == []


def test_translation_and_fallbacks() -> None:
    with i18n.using("zh-Hant"):
        assert i18n._("Overview") == "總覽"
        assert i18n._("a string no catalogue holds") == "a string no catalogue holds"
        assert i18n.territory_name("HK", "Hong Kong") == "香港"  # our alias, not CLDR's long form
        assert i18n.territory_name("SG", "Singapore") == "新加坡"  # CLDR
        assert i18n.territory_name("142", "Asia") == "亞洲"  # a UN M49 region
        assert i18n.territory_name(None, "European Union") == "European Union"
    assert i18n.language() == "en"
    assert i18n._("Overview") == "Overview"
    assert i18n.territory_name("SG", "Singapore") == "Singapore"
    assert i18n.set_language("fr") == "en"


def test_the_catalogue_is_read_without_a_compiled_file(tmp_path, monkeypatch) -> None:
    # A checkout that never ran the compile step still shows Chinese: the .po is read directly.
    folder = tmp_path / "zh_Hant" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes(PO.read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._translations.cache_clear()
    try:
        with i18n.using("zh-Hant"):
            assert i18n._("Compare") == "比較"
    finally:
        i18n._translations.cache_clear()


def test_lang_in_the_address_turns_the_interface_chinese(built_db, monkeypatch) -> None:
    at = open_page(None, built_db, monkeypatch, lang="zh-Hant")
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "人口販運開放數據" in sidebar
    assert at.sidebar.radio[0].value == "zh-Hant"
    assert at.query_params.get("lang") == "zh-Hant"


def test_an_unknown_language_falls_back_to_english_with_a_notice(built_db, monkeypatch) -> None:
    at = open_page(None, built_db, monkeypatch, lang="<b>fr</b>")
    assert at.sidebar.radio[0].value == "en"
    notices = " ".join(w.value for w in at.warning)
    assert "Ignored an unknown language in the address" in notices and "<b>" not in notices
    assert "lang" not in at.query_params


def test_links_keep_the_language() -> None:
    from trafficking.present import links, registry

    spec = registry.get("tiers-map")
    with i18n.using("zh-Hant"):
        assert links.permalink(spec, {"year": 2024}, "http://127.0.0.1:8501") == (
            "http://127.0.0.1:8501/tiers?year=2024&lang=zh-Hant")
        assert "&lang=zh-Hant" in links.embed_url(spec, {"year": 2024}, "http://127.0.0.1:8501")
    assert "lang" not in links.permalink(spec, {"year": 2024}, "http://127.0.0.1:8501")


def test_an_address_notice_is_chinese_in_the_chinese_interface(built_db, monkeypatch) -> None:
    at = open_page("app_pages/tiers.py", built_db, monkeypatch, lang="zh-Hant", year="abc",
                   jurisdictions="HKG,XXX")
    notices = [w.value for w in at.warning]
    assert "已略過網址中的報告年份「abc」：不是年份。" in notices
    assert "已略過網址中不明的司法管轄區代碼：「XXX」。" in notices
    assert not [n for n in notices if "Ignored" in n]
