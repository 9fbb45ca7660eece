"""etl/diff.py: the change report names every source file whose bytes changed (a re-pinned release,
a changed snapshot) with both checksums."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from etl import diff


def test_a_changed_file_is_reported_with_both_checksums(built_db: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    new = tmp_path / "new.duckdb"
    shutil.copyfile(built_db, old)
    shutil.copyfile(built_db, new)
    con = duckdb.connect(str(new))
    try:
        sha = con.execute("SELECT sha256 FROM sources WHERE source_id = "
                          "'unodc-glotip/data_glotip.xlsx'").fetchone()[0]
        assert diff.compare(con, old)["files_changed"] == []
        con.execute("UPDATE sources SET sha256 = 'f' || substr(sha256, 2) "
                    "WHERE source_id = 'unodc-glotip/data_glotip.xlsx'")
        report = diff.compare(con, old)
    finally:
        con.close()
    assert report["files_changed"] == [{"source_id": "unodc-glotip/data_glotip.xlsx",
                                        "old_sha256": sha, "new_sha256": "f" + sha[1:]}]
