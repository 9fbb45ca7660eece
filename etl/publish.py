"""Published databases are immutable, versioned files; the stable path is a pointer to one.

Each refresh moves its new file to ``published/<stem>-<UTC time>-<run id>.duckdb`` beside the
stable path (``data/trafficking.duckdb``) and then points the stable path at it with a relative
symbolic link swapped in by one atomic rename. A reader sees the old file or the new one, and an
old file is never changed or removed while it is current or among the last ``keep`` versions,
so ``rollback`` is one more pointer swap and a replica still reading the previous file keeps
working. Readers on other hosts can copy any versioned file (from a static file server or an
object store) and rename it into place; they follow the file's identity, not its name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from etl.errors import EtlError

KEEP = 5  # published versions kept besides the current one (TRAFFICKING_KEEP_PUBLISHED)
# Microseconds in the name: two quick refreshes (or a copied plain file and the refresh after it)
# can fall in one second, and the order of versions is what rollback and pruning rely on. Names
# from before, to the second, still parse and sort before any later name.
_NAME = re.compile(r"-(\d{8}T\d{6}(?:\d{6})?)-([0-9a-z]+)$")
_STAMP = "%Y%m%dT%H%M%S%f"


@dataclass(frozen=True)
class Version:
    path: Path
    stamp: str  # UTC, e.g. 20261202T014701123456: names sort in publishing order
    run_id: str
    current: bool

    @property
    def when(self) -> str:
        """The publishing time to the second, for people: 2026-12-02 01:47:01."""
        s = self.stamp
        return f"{s[0:4]}-{s[4:6]}-{s[6:8]} {s[9:11]}:{s[11:13]}:{s[13:15]}"


def folder(db_path: Path) -> Path:
    return db_path.parent / "published"


def current(db_path: Path) -> Path | None:
    """The versioned file the stable path points at (None: no pointer, e.g. an older layout)."""
    if not db_path.is_symlink():
        return None
    return (db_path.parent / os.readlink(db_path)).resolve()


def versions(db_path: Path) -> list[Version]:
    """Every kept version, oldest first."""
    now = current(db_path)
    out = []
    for path in folder(db_path).glob(f"{db_path.stem}-*{db_path.suffix}"):
        m = _NAME.search(path.name[: -len(db_path.suffix)] if db_path.suffix else path.name)
        if m:
            out.append(Version(path, m.group(1), m.group(2), path.resolve() == now))
    return sorted(out, key=lambda v: (v.stamp, v.run_id))


def _point(db_path: Path, target: Path, tag: str) -> None:
    """Swap the stable path to ``target`` in one rename (a relative link: the data folder may move)."""
    link = db_path.with_name(f"{db_path.name}.link-{tag}")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(target, db_path.parent))
    try:
        os.replace(link, db_path)
    except BaseException:
        link.unlink(missing_ok=True)
        raise


def publish(new_path: Path, db_path: Path, run_id: str) -> Path:
    """Make the finished file ``new_path`` the published database; returns its versioned path.

    A stable path that is still a plain file (a database from before versioning) is kept as a
    version first, so rollback can return to it."""
    folder(db_path).mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = folder(db_path) / f"{db_path.stem}-{stamp}-{run_id}{db_path.suffix}"
    if db_path.exists() and not db_path.is_symlink():
        # A hard link: the same bytes under a versioned name, with no moment without a database.
        mtime = datetime.fromtimestamp(db_path.stat().st_mtime, UTC).strftime(_STAMP)
        legacy = folder(db_path) / f"{db_path.stem}-{mtime}-unversioned{db_path.suffix}"
        if not legacy.exists():
            os.link(db_path, legacy)
    os.replace(new_path, target)
    try:
        _point(db_path, target, run_id)
    except BaseException:
        if current(db_path) != target.resolve():
            target.unlink(missing_ok=True)
        raise
    return target


def prune(db_path: Path, keep: int = KEEP) -> list[Path]:
    """Remove versions beyond the newest ``keep`` (never the current one); returns them.
    At least one earlier version always stays: it is what ``rollback`` returns to."""
    old = [v for v in versions(db_path) if not v.current][: -max(1, keep)]
    for v in old:
        v.path.unlink(missing_ok=True)
    return [v.path for v in old]


def rollback(db_path: Path, to: str | None = None) -> tuple[Version | None, Version]:
    """Point the stable path at the version before the current one (or at run ``to``).

    Returns (the version that was current, the version now current)."""
    kept = versions(db_path)
    now = next((v for v in kept if v.current), None)
    if to is not None:
        match = [v for v in kept if v.run_id == to or v.path.name == to]
        if not match:
            raise EtlError(f"no published version of run {to!r} in {folder(db_path)}; "
                           f"kept: {', '.join(v.run_id for v in kept) or 'none'}")
        target = match[-1]
    else:
        earlier = [v for v in kept if now is None or (v.stamp, v.run_id) < (now.stamp, now.run_id)]
        if not earlier:
            raise EtlError(f"nothing to roll back to: {folder(db_path)} holds no version older "
                           "than the current one")
        target = earlier[-1]
    if now is not None and target.path == now.path:
        raise EtlError(f"run {target.run_id} is already the published database")
    _point(db_path, target.path, f"rollback-{os.getpid()}")
    return now, Version(target.path, target.stamp, target.run_id, True)
