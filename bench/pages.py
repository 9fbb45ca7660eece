"""Which pages to measure: read from dashboard.py's ``st.Page(...)`` list at run time.

Parsing the source (not importing it) keeps this free of Streamlit's runtime, and new pages
are benchmarked as soon as another helper adds them to the navigation. Scripts in the
pages' folder that are not (yet) in the navigation are still timed server side, run on their own.
"""

from __future__ import annotations

import ast
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


def _const(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def nav_pages(entry: Path = ENTRY) -> list[PageInfo]:
    """Pages listed as ``st.Page("app_pages/x.py", title=..., url_path=..., default=...)``."""
    tree = ast.parse(entry.read_text(encoding="utf-8"))
    found: list[PageInfo] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "Page" and node.args):
            continue
        path = _const(node.args[0])
        if not isinstance(path, str):
            continue
        kw = {k.arg: _const(k.value) for k in node.keywords if k.arg}
        stem = Path(path).stem
        url = "" if kw.get("default") else str(kw.get("url_path") or stem)
        found.append(PageInfo(path=path, title=str(kw.get("title") or stem), url_path=url,
                              in_nav=True))
    # ast.walk is breadth-first; keep the order of the source instead.
    return sorted(found, key=lambda p: _position(entry, p.path))


def _position(entry: Path, path: str) -> int:
    return entry.read_text(encoding="utf-8").find(f'"{path}"')


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
