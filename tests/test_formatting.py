"""trafficking.formatting: every number format and the hover wrapper, on the values charts use."""

from __future__ import annotations

import pandas as pd
import pytest

from trafficking import formatting


def test_number_reads_any_figure_in_words() -> None:
    assert formatting.number(27_600_000) == "27.6 million"
    assert formatting.number(6912.0) == "6,912"
    assert formatting.number(2.762861) == "2.76"
    assert formatting.number(0.01234) == "0.0123"
    assert formatting.number(11000.0, "approximately") == "approximately 11,000"
    assert formatting.number(120.0, "rounded") == "120 (rounded)"
    assert formatting.number(30.0, "suppressed (<5) in part") == "30 (suppressed (<5) in part)"
    assert formatting.number(None, "suppressed (<5)") == "suppressed (<5)"
    assert formatting.number(float("nan")) == "no value"
    assert formatting.number(pd.NA) == "no value"
    # A missing qualifier (NaN from a text column) is no qualifier, never 'nan'.
    assert formatting.number(1234.0, float("nan")) == "1,234"


def test_count_is_a_whole_number_with_its_sign() -> None:
    assert formatting.count(11_300.0, "approximately") == "≈11,300"
    assert formatting.count(7_500.0, "more than") == ">7,500"
    assert formatting.count(4.0, "less than") == "<4"
    assert formatting.count(6_912.0) == "6,912"
    assert formatting.count(120.0, "rounded") == "120"  # told beside the chart
    assert formatting.count(float("nan")) == "no figure"


def test_a_funnel_label_is_short_and_empty_for_a_gap() -> None:
    assert formatting.funnel_label(11_000.0, "approximately") == "≈11,000"
    assert formatting.funnel_label(16_900.0, "almost") == "almost 16,900"
    assert formatting.funnel_label(6_000.0, "more than") == "over 6,000"
    assert formatting.funnel_label(53.0, percent=True) == "53%"
    assert formatting.funnel_label(30.0, "rounded") == "30 (rounded)"
    assert formatting.funnel_label(None) == ""


@pytest.mark.parametrize(("value", "kind", "qualifier", "text"), [
    (49_600_000, "count", None, "49.6 million"),
    (22_000_000, "count", None, "22 million"),
    (25_000_000, "count", "approximately", "≈ 25 million"),
    (3_300_000, "count", "more than", "> 3.3 million"),
    (12_300_000, "count", "at least", "≥ 12.3 million"),
    (660_000, "count", None, "660,000"),
    (660_000, "count", "rounded", "660,000"),
    (54, "share", None, "54 %"),
    (5.4, "prevalence", None, "5.4 per 1,000"),
    (float("nan"), "count", None, "no figure"),
])
def test_estimate(value: float, kind: str, qualifier: str | None, text: str) -> None:
    assert formatting.estimate(value, kind, qualifier) == text


def test_hover_text_from_source_files_is_escaped() -> None:
    # Publisher, title and page come from the compiled CSVs: a tag must never reach Plotly.
    text = formatting.hover("HKSAR <a href='https://evil.example'>statement</a> & more", 90)
    assert text == "HKSAR &lt;a href='https://evil.example'&gt;statement&lt;/a&gt; &amp; more"


def test_hover_wraps_at_the_characters_a_reader_sees() -> None:
    # A UNODC note: '<5' is two characters on screen, not the four of its escaped form.
    note = ("Albania; Detected trafficking victims; by form of exploitation; Other forms of "
            "exploitation; sex Total; age Total; 2017: <5, 27, <5, 5, 20")
    assert formatting.hover(note) == (
        "Albania; Detected trafficking victims; by form of exploitation; Other<br>forms of "
        "exploitation; sex Total; age Total; 2017: &lt;5, 27, &lt;5, 5, 20")


def test_hover_cuts_a_long_statement_and_skips_a_missing_one() -> None:
    text = formatting.hover("word " * 100, 46, limit=60)
    assert text.endswith("… (in full in the table)")
    assert all(len(line) <= 46 for line in text.split("<br>"))
    assert formatting.hover(None) == formatting.hover(float("nan")) == formatting.hover("") == ""
    assert formatting.hover("x" * 50, 20) == "x" * 50  # an address is not broken...
    assert formatting.hover("x" * 50, 20, break_long_words=True) == "<br>".join(
        ["x" * 20, "x" * 20, "x" * 10])  # ...unless asked


def test_lines_wraps_safe_text_with_plotly_breaks() -> None:
    assert formatting.lines("Victims of trafficking identified", 22) == \
        "Victims of trafficking<br>identified"
    assert formatting.lines("", 22) == ""


def test_times_read_as_the_reader_writes_dates() -> None:
    from trafficking import i18n

    # English as Hong Kong writes it (CLDR en_HK: day first), Chinese as CLDR's medium date;
    # a 24-hour time in both, so a UTC time needs no morning/afternoon word.
    assert formatting.timestamp("2026-11-20 10:31 UTC") == "20 Nov 2026, 10:31 UTC"
    assert formatting.timestamp(pd.Timestamp("2026-01-02 15:04:59")) == "2 Jan 2026, 15:04 UTC"
    assert formatting.date("2026-12-02") == "2 Dec 2026"
    with i18n.using("zh-Hant"):
        assert formatting.timestamp("2026-11-20 10:31 UTC") == "2026年11月20日 10:31 UTC"
        assert formatting.timestamp("2026-01-02T15:04") == "2026年1月2日 15:04 UTC"
        assert formatting.date("2026-12-02") == "2026年12月2日"
    assert formatting.timestamp(None) == "" and formatting.timestamp("not a time") == "not a time"


def test_table_columns_get_the_same_layout_in_moment_tokens() -> None:
    from trafficking import i18n

    assert formatting.moment_format() == "D MMM YYYY[, ]HH[:]mm"
    assert formatting.moment_format(seconds=True) == "D MMM YYYY[, ]HH[:]mm[:]ss"
    assert formatting.moment_format(with_time=False) == "D MMM YYYY"
    with i18n.using("zh-Hant"):
        assert formatting.moment_format() == "YYYY[年]M[月]D[日] HH[:]mm"
