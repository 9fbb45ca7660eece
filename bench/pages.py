"""Which pages to measure: the navigation's pages (``trafficking.pages.PAGES``, which
dashboard.py builds its ``st.Page`` list from; importing it needs no Streamlit runtime), so new
pages are benchmarked as soon as they are added to the navigation. Scripts in the
pages' folder that are not (yet) in the navigation are still timed server side, run on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "dashboard.py"


@dataclass(frozen=True)
class PageInfo:
    path: str          # relative to the repository, e.g. 'pages/tiers.py'
    title: str
    url_path: str      # '' for the default page (served at '/')
    in_nav: bool

    @property
    def slug(self) -> str:
        return Path(self.path).stem


def nav_pages(entry: Path = ENTRY) -> list[PageInfo]:
    """The navigation's pages, in menu order (``entry`` names the app whose folder holds them)."""
    del entry  # one navigation: trafficking.pages
    from trafficking import pages

    return [PageInfo(path=p.script, title=p.title, url_path="" if p.default else p.stem,
                     in_nav=True) for p in pages.PAGES]


def discover(entry: Path = ENTRY, only: list[str] | None = None) -> list[PageInfo]:
    """Navigation pages, then any other script in their folder(s); ``only`` filters by slug."""
    pages = nav_pages(entry)
    listed = {p.path for p in pages}
    folders = sorted({(entry.parent / p.path).parent for p in pages})
    for script in sorted(s for folder in folders for s in folder.glob("*.py")):
        rel = script.relative_to(entry.parent).as_posix()
        if rel not in listed and not script.name.startswith("_"):
            pages.append(PageInfo(path=rel, title=script.stem, url_path="", in_nav=False))
    if only:
        pages = [p for p in pages if p.slug in only]
    return pages
