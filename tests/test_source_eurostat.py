"""Eurostat quoted figures on the snapshot: counts, shares and rates kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.build import run_parser
from etl.errors import SourceError
from etl.source import FetchedFile
from etl.sources import eurostat_thb_quoted as src
from tests.conftest import local_file


def _fetched(path: Path) -> dict[str, FetchedFile]:
    return {src.FILE: local_file(src.ID, src.FILE, path, None)}


@pytest.fixture(scope="module")
def parsed(shared_raw: Path):
    return run_parser(src.SOURCE, _fetched(shared_raw / src.ID / src.FILE))


def _rows(obs, code, area, year, dim="total"):
    return obs[(obs["indicator"] == code) & (obs["area_code"] == area) & (obs["year"] == year)
               & (obs["breakdown_dim"] == dim)]


def test_all_29_figures_with_their_pages(parsed) -> None:
    obs = parsed.observations
    assert len(obs) == 29
    assert obs["cited_url"].str.startswith("http").all()
    assert obs["quote"].str.len().min() > 20
    assert src.SOURCE.files[0].url is None  # compiled quotes: mirror only


def test_eu_2022_and_latvia_2020(parsed) -> None:
    obs = parsed.observations
    assert _rows(obs, "eurostat_registered_victims", "EU27_2020", 2022)["value"].tolist() == [
        10093.0]
    assert _rows(obs, "eurostat_registered_victims", "EU27_2020", 2022)["area_kind"].iloc[0] \
        == "region"
    assert _rows(obs, "eurostat_registered_victims", "LVA", 2020)["value"].tolist() == [48.0]
    assert _rows(obs, "eurostat_registered_victims_per_million", "LVA", 2020)[
        "value"].tolist() == [25.0]
    assert _rows(obs, "eurostat_registered_victims_per_million", "NLD", 2020)[
        "value"].tolist() == [57.0]
    assert _rows(obs, "eurostat_convicted_traffickers", "EU27_2020", 2021)["value"].tolist() \
        == [2517.0]


def test_forms_are_not_forced_to_the_total(parsed) -> None:
    forms = _rows(parsed.observations, "eurostat_registered_victims", "EU27_2020", 2022, "form")
    assert sorted(forms["value"]) == [1699.0, 3990.0, 4014.0]
    assert forms["value"].sum() == 9703  # the rest of 10,093 is victims with unknown form


def test_shares_are_their_own_indicator(parsed) -> None:
    shares = parsed.observations[parsed.observations["indicator"]
                                 == "eurostat_registered_victims_share"]
    assert set(shares["breakdown_dim"]) == {"sex", "citizenship"}
    assert shares["value"].max() <= 100
    units = parsed.indicators.set_index("code")["unit"]
    assert units["eurostat_registered_victims_share"].startswith("percent")


def test_unknown_unit_is_an_error(tmp_path: Path, shared_raw: Path) -> None:
    text = (shared_raw / src.ID / src.FILE).read_text(encoding="utf-8")
    bad = tmp_path / src.FILE
    bad.write_text(text.replace("10093,persons", "10093,people", 1), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        run_parser(src.SOURCE, _fetched(bad))
    assert "registered_victims / people" in str(err.value) and "row 2" in str(err.value)
