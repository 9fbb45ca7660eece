"""TIP Global Law Enforcement Data (Kelley & Heiss transcription) on its snapshot."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from etl.build import run_parser
from etl.errors import SourceError
from etl.source import FetchedFile
from etl.sources import tip_global_law_enforcement as src
from tests.conftest import local_file


def _fetched(path: Path) -> dict[str, FetchedFile]:
    return {src.FILE: local_file(src.ID, src.FILE, path, src.URL)}


@pytest.fixture(scope="module")
def obs(shared_raw: Path):
    return run_parser(src.SOURCE, _fetched(shared_raw / src.ID / src.FILE)).observations


def _value(obs, code: str, year: int, breakdown: str = "") -> float | None:
    rows = obs[(obs["indicator"] == code) & (obs["year"] == year)
               & (obs["breakdown"] == breakdown)]
    assert len(rows) <= 1
    return None if rows.empty else float(rows["value"].iloc[0])


def test_address_is_commit_pinned_and_sha_matches_snapshot(shared_raw: Path) -> None:
    spec = src.SOURCE.files[0]
    assert src.COMMIT in spec.url and spec.url.endswith("data/original/data_figure3_2.csv")
    digest = hashlib.sha256((shared_raw / src.ID / src.FILE).read_bytes()).hexdigest()
    assert spec.sha256 == digest


def test_2009_values_match_the_2010_report(obs) -> None:
    assert _value(obs, "tip_global_prosecutions", 2009) == 5606
    assert _value(obs, "tip_global_convictions", 2009) == 4166
    assert _value(obs, "tip_global_victims_identified", 2009) == 49105
    assert _value(obs, "tip_global_convictions", 2009, src.LABOUR) == 335
    assert _value(obs, "tip_global_prosecutions", 2009, src.LABOUR) == 432


def test_labour_split_and_gaps(obs) -> None:
    assert _value(obs, "tip_global_victims_identified", 2012, src.LABOUR) == 17368
    labour_victims = obs[(obs["indicator"] == "tip_global_victims_identified")
                         & (obs["breakdown"] == src.LABOUR)]
    assert sorted(labour_victims["year"]) == [2011, 2012, 2013, 2014]
    # 2015 has only prosecutions and convictions; empty cells are gaps, never zeros
    assert _value(obs, "tip_global_prosecutions", 2015) == 18930
    assert _value(obs, "tip_global_convictions", 2015) == 6609
    assert _value(obs, "tip_global_victims_identified", 2015) is None
    assert _value(obs, "tip_global_victims_identified", 2007) is None
    assert (obs["value"] > 0).all()
    assert len(obs) == 65
    assert set(obs["area_kind"]) == {"world"} and set(obs["area_code"]) == {"WLD"}
    assert "2010 TIP report" in obs[obs["year"] == 2009]["note"].iloc[0]


def test_bad_cell_names_column_and_row(tmp_path: Path, shared_raw: Path) -> None:
    text = (shared_raw / src.ID / src.FILE).read_text(encoding="utf-8")
    bad = tmp_path / src.FILE
    bad.write_text(text.replace('"5606"', '"about 5600"'), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        run_parser(src.SOURCE, _fetched(bad))
    msg = str(err.value)
    assert src.ID in msg and "'Prosecutions'" in msg and "about 5600" in msg
