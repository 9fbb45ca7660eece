"""The source registry: every module in ``etl/sources`` that defines ``SOURCE``."""

from __future__ import annotations

import importlib
import pkgutil

from etl import sources as sources_pkg
from etl.source import Source


def all_sources() -> dict[str, Source]:
    found: dict[str, Source] = {}
    for info in sorted(pkgutil.iter_modules(sources_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{sources_pkg.__name__}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if isinstance(source, Source):
            if source.id in found:
                raise RuntimeError(f"two source modules declare the id {source.id!r}")
            found[source.id] = source
    return found


def get(source_id: str) -> Source:
    sources = all_sources()
    if source_id not in sources:
        raise KeyError(
            f"unknown source {source_id!r}; known sources: {', '.join(sorted(sources))}"
        )
    return sources[source_id]
