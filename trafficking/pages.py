"""The dashboard's pages, named once: each page's stem is its file under ``app_pages/`` and
its address (``/compare``). ``dashboard.py`` builds its navigation from ``PAGES``; links
between pages take their script paths from here, so a page renamed here is renamed
everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from trafficking.i18n import N_


@dataclass(frozen=True)
class PageInfo:
    stem: str  # file app_pages/<stem>.py and address /<stem> ('' address for the default)
    title: str
    icon: str
    default: bool = False

    @property
    def script(self) -> str:
        return script(self.stem)


PAGES: tuple[PageInfo, ...] = (
    PageInfo("overview", N_("Overview"), ":material/home:", default=True),
    PageInfo("tiers", N_("TIP tiers"), ":material/public:"),
    PageInfo("screening", N_("Screening and identification"), ":material/fact_check:"),
    PageInfo("global_estimates", N_("Global estimates"), ":material/groups:"),
    PageInfo("compare", N_("Compare"), ":material/compare_arrows:"),
    PageInfo("profile", N_("Jurisdiction profile"), ":material/badge:"),
    PageInfo("data_sources", N_("Data & sources"), ":material/source:"),
    PageInfo("briefing_pack", N_("Briefing pack"), ":material/slideshow:"),
)
STEMS: tuple[str, ...] = tuple(p.stem for p in PAGES)


def script(stem: str) -> str:
    """The page's script as st.page_link and st.switch_page take it: 'app_pages/<stem>.py'."""
    if stem not in STEMS:
        raise KeyError(f"no page {stem!r}; pages: {', '.join(STEMS)}")
    return f"app_pages/{stem}.py"
