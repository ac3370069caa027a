"""A reporting year with figures needs its 0-17 population when there are rates per 10,000:
without it the rates would be blank and nothing would say why. It is an error naming the year,
when the data is loaded and when a refresh reaches a new reporting year."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.paths import SAMPLE
from tests.support.person import add_setting
from xlscorecard.app import workbook_file
from xlscorecard.cli import cli
from xlscorecard.errors import Refused
from xlscorecard.model import Month


def data_with_populations(tmp_path: Path, years: dict[str, int], start: int = 4) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    toml = data / "council.toml"
    text = toml.read_text("utf-8")
    table = "[population]\n" + "".join(f'"{year}" = {n}\n' for year, n in years.items())
    text = re.sub(r"\[population\]\n(\"[^\n]*\n)+", table, text)
    text = text.replace("year_start_month = 4", f"year_start_month = {start}")
    toml.write_text(text, "utf-8")
    return data


def test_a_year_with_figures_and_no_population_is_an_error_naming_it(tmp_path):
    data = data_with_populations(tmp_path, {"2019-20": 50832})
    result = CliRunner().invoke(
        cli, ["build", str(data), "--month", "2020-08", "-o", str(tmp_path / "d.xlsx")]
    )
    assert result.exit_code == 2
    assert "column 'population.2020-21': there is no 0-17 population for 2020-21" in result.output
    assert "M2-NI, CP1-NI, CP6B-NI and 2 more" in result.output
    assert "(Apr-20 to Aug-20)" in result.output
    assert not (tmp_path / "d.xlsx").exists()


@pytest.fixture
def before_a_new_year(tmp_path) -> Path:
    """Aug-20 as the last month of a reporting year (years start in September here), with no
    population given for the year that follows."""
    data = data_with_populations(tmp_path, {"2018-19": 50832, "2019-20": 50832}, start=9)
    path = tmp_path / "dataset.xlsx"
    workbook_file.build_file(data, Month(2020, 8), path)
    return path


def test_a_refresh_into_a_year_without_its_population_refuses_naming_the_year(before_a_new_year):
    before = before_a_new_year.read_bytes()
    with pytest.raises(Refused) as caught:
        workbook_file.refresh_file(before_a_new_year)
    message = str(caught.value)
    assert message.startswith("Cannot move on to Sep-20: there is no 0-17 population for 2020-21")
    assert "add population.2020-21" in message and "Settings sheet" in message
    assert before_a_new_year.read_bytes() == before


def test_once_the_population_is_on_settings_the_refresh_goes_ahead(before_a_new_year):
    add_setting(before_a_new_year, "population.2020-21", 51200)
    outcome = workbook_file.refresh_file(before_a_new_year)
    assert outcome.month == Month(2020, 9)
    assert outcome.dataset.settings.population(Month(2020, 9)) == 51200
