"""Start the dashboard warm: ``python -m trafficking.serve [streamlit run options]``.

``make run`` and ``deploy/cluster.py`` start the server this way. Before the server listens,
the warm-up runs every page once per language in this process (Streamlit's AppTest, through
dashboard.py's navigation, at the default address), so the imports, the database connection, the query and
view caches and each page's top view are ready when the first visitor arrives; it then draws
the still image of each page's top chart (present/firstview.py) and moves everything made so
far out of the garbage collector's way (``gc.freeze()``: a collection no longer walks the
warmed-up objects, which is most of the heap). Then it hands over to ``streamlit run
dashboard_app.py`` (dashboard.py as an ``st.App`` whose index page preloads the still's code,
trafficking/preload.py) with the given options, in the same process.

``--no-warm-up``: start at once, cold (what a plain ``streamlit run`` does).
``--no-images``: warm up without the still images (the interactive charts alone, as before).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "dashboard.py"
SERVER_APP = ROOT / "dashboard_app.py"  # dashboard.py as an st.App, with preload hints
PAGE_TIMEOUT = 240.0  # s for one page's warm-up run on a loaded machine


@dataclass
class WarmUp:
    """What the warm-up did, for its log line and the tests."""

    seconds: dict[str, float] = field(default_factory=dict)  # step → wall time
    pages: dict[str, str] = field(default_factory=dict)  # page stem → its top chart ('' none)
    failed: dict[str, str] = field(default_factory=dict)  # page stem → what went wrong
    images: int = 0
    frozen: int = 0  # objects moved to the permanent generation

    def line(self) -> str:
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
        tops = ", ".join(f"{p or 'overview'}: {c}" for p, c in self.pages.items() if c)
        text = (f"warm-up: {steps}; top charts: {tops or 'none'}; {self.images} still "
                f"image(s); gc.freeze() kept {self.frozen} objects out of collections")
        if self.failed:
            text += "; FAILED pages: " + ", ".join(f"{p}: {e}" for p, e in self.failed.items())
        return text


def _run_page(stem: str, default: bool, lang: str = "en") -> tuple[str, object] | None:
    """Run one page as a first visitor in ``lang`` would; the first chart it drew, if any."""
    from streamlit.testing.v1 import AppTest

    from trafficking import i18n, pages
    from trafficking.present import firstview

    at = AppTest.from_file(str(SCRIPT), default_timeout=PAGE_TIMEOUT)
    if not default:
        at.switch_page(pages.script(stem))
    if lang != i18n.DEFAULT:
        at.query_params["lang"] = lang
    with firstview.collecting() as drawn:
        at.run()
    if at.exception:
        raise RuntimeError("; ".join(e.message for e in at.exception)[:300])
    return drawn[0] if drawn else None


def _no_context_warning(record: logging.LogRecord) -> bool:
    return "missing ScriptRunContext" not in record.getMessage()


def warm_up(images: bool = True, only: Collection[str] | None = None) -> WarmUp:
    """Run every page once (``only``: these page stems), draw the top charts' stills
    (``images``), then ``gc.freeze()``."""
    report = WarmUp()
    start = time.perf_counter()
    # Outside a session Streamlit warns at every cached call ("missing ScriptRunContext"); a
    # filter, since Streamlit resets its loggers' levels when it reads its config.
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    quiet.addFilter(_no_context_warning)
    from trafficking import i18n, pages
    from trafficking.present import firstview, render  # noqa: F401 - imports are the point

    report.seconds["imports"] = time.perf_counter() - start
    tops = []
    step = time.perf_counter()
    # Every language: each has its own views (titles, labels, summaries) and stills.
    for lang in i18n.LANGUAGES:
        for page in pages.PAGES:
            if (only is not None and page.stem not in only) or page.stem in report.failed:
                continue
            try:
                first = _run_page(page.stem, page.default, lang)
            except Exception as exc:  # a broken page must not keep the others from being served
                report.failed[page.stem] = f"{type(exc).__name__}: {exc}"
                continue
            report.pages[page.stem] = first[0][0] if first else ""
            if first:
                firstview.mark_top(first[0][0])
                tops.append(first)
    report.seconds["pages"] = time.perf_counter() - step
    quiet.removeFilter(_no_context_warning)
    if images:
        step = time.perf_counter()
        report.images = firstview.render(tops)
        report.seconds["images"] = time.perf_counter() - step
    gc.collect()
    gc.freeze()
    report.frozen = gc.get_freeze_count()
    report.seconds["total"] = time.perf_counter() - start
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m trafficking.serve", description=__doc__.split("\n\n")[0],
        epilog="Any other option goes to `streamlit run dashboard_app.py`.")
    parser.add_argument("--no-warm-up", action="store_true", help="start cold")
    parser.add_argument("--no-images", action="store_true",
                        help="no still images of the top charts")
    ours, rest = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    os.chdir(ROOT)  # streamlit run resolves dashboard.py, static/ and .streamlit/ from here
    if ours.no_images:
        os.environ["TRAFFICKING_FIRST_VIEW"] = "0"  # also no background images after a refresh
    from streamlit import config
    from streamlit.web import bootstrap, cli

    run = ["run", str(SERVER_APP), *rest]
    if not ours.no_warm_up:
        # The same config as the server's (config.toml and these options) before the pages run,
        # so that Streamlit reads it once, as `streamlit run` would.
        options = cli.main_run.make_context("run", run[1:]).params
        config._main_script_path = str(SCRIPT)
        bootstrap.load_config_options(
            flag_options={k: v for k, v in options.items() if k not in ("target", "args")})
        print(warm_up(images=not ours.no_images).line(), file=sys.stderr, flush=True)
    cli.main.main(args=run, prog_name="streamlit")


if __name__ == "__main__":
    main()
