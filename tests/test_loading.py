"""Loading a data directory: what a user types is accepted; anything else is a precise error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.paths import SAMPLE
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.errors import DataFileError
from xlscorecard.model import NOT_APPLICABLE, Unit
from xlscorecard.model.months import Month
from xlscorecard.model.values import parse_value


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target)
    return target


def append(path: Path, line: str) -> int:
    """Append a CSV line and return its line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def load_error(directory: Path) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        load_data_dir(directory)
    return caught.value


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("25%", Unit.PERCENT, 0.25),
        ("0.25", Unit.PERCENT, 0.25),
        ("1,234", Unit.COUNT, 1234.0),
        (" 52.3 ", Unit.RATE, 52.3),
        ("", Unit.COUNT, None),
        ("-", Unit.PERCENT, NOT_APPLICABLE),
        ("100%", Unit.PERCENT, 1.0),
        ("0", Unit.COUNT, 0.0),
    ],
)
def test_values_are_read_as_a_user_types_them(text, unit, expected):
    assert parse_value(text, unit) == expected


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("12a", Unit.COUNT, "expected a whole number of 0 or more, like 1,234, found '12a'"),
        ("-3", Unit.COUNT, "found a negative number -3"),
        ("2.5", Unit.COUNT, "expected a whole number of 0 or more, like 1,234, found 2.5"),
        ("45", Unit.PERCENT, "found 45 (did you mean 45%?)"),
        ("4500%", Unit.PERCENT, "expected a percentage from 0% to 100%, found 4500%"),
        ("25%", Unit.COUNT, "found a percentage '25%'"),
        ("1,23", Unit.COUNT, "found '1,23'"),
        ("n/a", Unit.RATE, "expected a rate of 0 or more, like 52.3, found 'n/a'"),
    ],
)
def test_bad_values_say_what_was_expected(text, unit, message):
    with pytest.raises(ValueError) as caught:
        parse_value(text, unit)
    assert message in str(caught.value)


def test_a_bad_value_names_file_line_column_indicator_and_month(data_dir):
    line = append(data_dir / "values.csv", "M1,2020-09,12a,entered")
    error = load_error(data_dir)
    assert str(error) == (
        f"{data_dir / 'values.csv'}, line {line}, column 'value': M1 Sep-20: expected a whole "
        "number of 0 or more, like 1,234, found '12a'"
    )


def test_a_percentage_typed_as_a_whole_number_is_questioned(data_dir):
    line = append(data_dir / "values.csv", "M8-QL,2020-09,45,entered")
    error = load_error(data_dir)
    assert (error.line, error.column) == (line, "value")
    assert "did you mean 45%?" in str(error)


def test_a_calculated_percentage_over_100_is_read_so_the_workbook_still_opens(data_dir):
    # a derived figure worked out from parts that do not fit (LAC10-QL over LAC1): the checks
    # say so (R201); History holding it must not stop every command
    append(data_dir / "values.csv", "LAC10 (%),2020-09,1.62,calculated")
    dataset = load_data_dir(data_dir)
    assert dataset.values[("LAC10 (%)", Month.parse("2020-09"))] == 1.62


def test_an_unknown_ref_is_an_error(data_dir):
    line = append(data_dir / "values.csv", "M99,2020-09,1,entered")
    error = load_error(data_dir)
    assert (error.line, error.column) == (line, "ref")
    assert "unknown indicator ref 'M99'" in str(error)


def test_a_badly_written_month_is_an_error(data_dir):
    line = append(data_dir / "values.csv", "M1,Smarch-20,1,entered")
    error = load_error(data_dir)
    assert (error.line, error.column) == (line, "month")
    assert "expected a month written like 2020-08, Aug-20 or 2020-08-01, found 'Smarch-20'" in (
        str(error)
    )


def test_a_duplicated_month_is_an_error(data_dir):
    line = append(data_dir / "values.csv", "M1,2020-08,1343,entered")
    error = load_error(data_dir)
    assert error.line == line
    assert "M1 already has a value for Aug-20 on line" in str(error)


def test_a_missing_column_is_an_error(data_dir):
    path = data_dir / "values.csv"
    path.write_text("ref,month,source\nM1,2020-08,printed\n", encoding="utf-8")
    error = load_error(data_dir)
    assert (error.line, error.column) == (1, None)
    assert "missing column(s) value" in str(error)


def test_an_unknown_unit_lists_the_allowed_units(data_dir):
    path = data_dir / "indicators.csv"
    text = path.read_text(encoding="utf-8").replace(",count,none,", ",number,none,", 1)
    path.write_text(text, encoding="utf-8")
    error = load_error(data_dir)
    assert (error.line, error.column) == (2, "unit")
    assert "expected one of count, percent, rate_per_10k, found 'number'" in str(error)


def test_a_derived_indicator_naming_an_unknown_ref_is_an_error(data_dir):
    path = data_dir / "indicators.csv"
    text = path.read_text(encoding="utf-8").replace(",M2,M1\n", ",M2,M1x\n", 1)
    path.write_text(text, encoding="utf-8")
    error = load_error(data_dir)
    assert error.column == "denominator"
    assert "M3: no indicator has ref M1x" in str(error)


def test_a_bad_population_is_an_error(data_dir):
    path = data_dir / "council.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("= 50832", "= -1", 1), "utf-8")
    error = load_error(data_dir)
    assert error.column == "population.2019-20"


def test_the_sample_loads_every_indicator_and_month(sample):
    assert len(sample.indicators) == 55
    assert Month(2019, 10) in sample.months and Month(2020, 8) in sample.months


def test_a_check_naming_an_unknown_ref_is_an_error(data_dir):
    path = data_dir / "council.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('stock = "LAC1"', 'stock = "LAC99"'))
    error = load_error(data_dir)
    assert error.column == "checks"
    assert "checks.stock_flow names 'LAC99', which is not an indicator" in str(error)


@pytest.mark.parametrize(
    ("spelt", "meant"),
    [("arrow_threshold = ", "arow_threshold = "), ("[spc]", "[SPC]"), ("region = ", "regoin = ")],
)
def test_a_misspelt_setting_is_an_error_naming_its_line(data_dir, spelt, meant):
    """Spelt wrong, a setting would be ignored and the officer never know."""
    path = data_dir / "council.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith(spelt))
    lines[line - 1] = lines[line - 1].replace(spelt, meant)
    path.write_text("".join(lines), encoding="utf-8")
    error = load_error(data_dir)
    key = meant.strip("[] =")
    assert (error.line, error.column) == (line, key)
    assert f"did you mean {spelt.strip('[] =')!r}? As it is spelt, it would be" in str(error)


def test_a_councils_own_setting_unlike_any_is_kept(data_dir):
    path = data_dir / "council.toml"
    own = 'intranet_page = "https://intranet.example/dataset"\n'
    path.write_text(own + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_data_dir(data_dir).settings.as_given["intranet_page"].startswith("https://")


def test_an_unknown_check_setting_is_an_error(data_dir):
    path = data_dir / "council.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("range_factor", "range_facter"))
    error = load_error(data_dir)
    assert error.column == "checks"
    assert "checks.range_facter is not a check setting; they are at_most, big_change" in str(error)
