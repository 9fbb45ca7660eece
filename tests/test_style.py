"""trafficking.style: source notes stay text and fit their width."""

from __future__ import annotations

import plotly.graph_objects as go

from trafficking import style


def _note(fig: go.Figure) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == style.SOURCE_NOTE)


def test_source_note_escapes_tags_from_source_files() -> None:
    fig = style.source_note(go.Figure(), "Source: <a href='https://x.example'>Evil</a> & co")
    text = _note(fig)
    assert "<a " not in text and "&lt;a href='https://x.example'&gt;Evil&lt;/a&gt; &amp; co" in text


def test_a_prewrapped_note_is_wrapped_once_at_the_given_width() -> None:
    words = "Source: " + " ".join(f"word{i}" for i in range(60))
    fig = style.source_note(go.Figure(), words.replace(" word10 ", "<br>word10 "), width=50)
    lines = _note(fig).split("<br>")
    assert all(len(line) <= 50 for line in lines)
    assert " ".join(lines) == words


def _plot_px(fig: go.Figure) -> float:
    return fig.layout.height - fig.layout.margin.t - fig.layout.margin.b


def test_wrap_counts_a_chinese_character_twice() -> None:
    assert style.wrap("one two three four", 9) == ["one two", "three", "four"]
    lines = style.wrap("人口販運問題報告評級" * 3, 20)
    assert [style.units(line) for line in lines] == [20, 20, 20]


def test_wrap_keeps_brackets_and_closing_punctuation_with_their_words() -> None:
    # "）" would open the second line; it stays on the first, one unit over.
    assert style.wrap("全球估算 2022 年版本（2021 年）", 29) == ["全球估算 2022 年版本（2021 年）"]
    # "《" would close the first line; it goes down with the title it opens.
    assert style.wrap("新加坡：按《人口販運問題報告》", 12) == ["新加坡：按", "《人口販運問", "題報告》"]
    assert style.wrap("Tier 2 (Watch List)", 8) == ["Tier 2", "(Watch", "List)"]


def test_fit_makes_one_figure_for_a_phone_and_a_desktop() -> None:
    fig = go.Figure([go.Bar(x=[1], y=[1], name="Tier 1"), go.Bar(x=[1], y=[2], name="Tier 2")])
    fig.update_layout(title="Jurisdictions per tier, by report year, in every report since 2001",
                      height=480, margin={"t": 90, "b": 60},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    style.source_note(fig, "Source: " + "a publisher's long title " * 8)
    plot_px = _plot_px(fig)
    style.fit(fig)
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) == 2 and all(style.units(line) <= style.TITLE_CHARS for line in lines)
    # The note is out of the live figure (the page prints the source line under the chart).
    assert [a for a in fig.layout.annotations if a.name == style.SOURCE_NOTE] == []
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.yanchor, legend.x) == ("h", "container",
                                                                          "bottom", 0)
    assert legend.y < 0  # export.decorate's test for "a legend under the plot"
    assert _plot_px(fig) == plot_px  # the plot area keeps its size
    before = fig.to_dict()
    assert style.fit(fig).to_dict() == before  # idempotent: views may be built twice


def test_fit_leaves_a_legend_already_under_the_plot_and_a_single_trace_alone() -> None:
    fig = go.Figure([go.Scatter(y=[1]), go.Scatter(y=[2])])
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "x": 0.5, "xanchor": "center"})
    style.fit(fig)
    assert (fig.layout.legend.y, fig.layout.legend.x, fig.layout.legend.xanchor) == (-0.2, 0,
                                                                                     "left")
    single = go.Figure([go.Scatter(y=[1])])
    style.fit(single)
    assert single.layout.legend.y is None


def test_the_modebar_offers_no_untraceable_png() -> None:
    # Plotly's own PNG is the live figure without its source line; the chart's "Share and
    # download" tools make the PNG and SVG with title and sources. Zoom and reset stay.
    config = style.chart_config()
    assert config["modeBarButtonsToRemove"] == ["toImage"]
    assert config["displaylogo"] is False and "toImageButtonOptions" not in config
    assert config["topojsonURL"]


def test_an_untitled_figure_keeps_little_room_above_once_its_legend_goes_below() -> None:
    # Compare's panels: no figure title, a legend above them with 118 px kept for it.
    fig = go.Figure([go.Scatter(y=[1], name="Hong Kong"), go.Scatter(y=[2], name="Singapore")])
    fig.update_layout(height=734, margin={"t": 118, "b": 80},
                      legend={"orientation": "h", "yref": "container", "y": 1,
                              "yanchor": "top", "x": 0})
    plot_px = _plot_px(fig)
    style.fit(fig)
    assert fig.layout.margin.t == style.UNTITLED_TOP_PX
    assert fig.layout.legend.y < 0 and _plot_px(fig) == plot_px
